// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// EnvRequestTimeout is the environment variable behind request_timeout.
const EnvRequestTimeout = "CONFLUENT_CLOUD_REQUEST_TIMEOUT"

// Bounds of request_timeout. Below a second a healthy API on a slow link
// would fail; above an hour a dead endpoint would hold a pipeline for longer
// than anyone waits for it.
const (
	minRequestTimeout = time.Second
	maxRequestTimeout = time.Hour
)

// requestTimeoutDescription documents request_timeout in the provider schema.
var requestTimeoutDescription = "How long one API request may go without any answer from Confluent Cloud " +
	"before it fails, as a duration such as `\"15s\"` or `\"1m\"`, from 1s to 1h. Within it, refused " +
	"connections and timed-out attempts are retried with backoff; an unknown host name or a TLS failure " +
	"fails at once. Retries after 429 and 5xx answers are bounded by `max_retries` instead. Every error " +
	"says how many attempts were made and how long they took. Defaults to the `" + EnvRequestTimeout +
	"` environment variable, then to `\"" + ccloud.DefaultRequestTimeout.String() + "\"`."

// parseRequestTimeout checks a request_timeout value.
func parseRequestTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; write it like \"15s\", \"90s\" or \"2m\"", s)
	}
	if d < minRequestTimeout || d > maxRequestTimeout {
		return 0, fmt.Errorf("%q is outside the accepted range of %s to %s", s, minRequestTimeout, maxRequestTimeout)
	}
	return d, nil
}

// requestTimeoutValidator checks request_timeout at plan time.
type requestTimeoutValidator struct{}

var _ validator.String = requestTimeoutValidator{}

func (requestTimeoutValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a duration from %s to %s", minRequestTimeout, maxRequestTimeout)
}

func (v requestTimeoutValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (requestTimeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseRequestTimeout(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid request timeout",
			fmt.Sprintf("Invalid value for %s: %s.", req.Path, err))
	}
}

// requestTimeoutFrom reads request_timeout or its environment variable; zero
// means the client's default.
func requestTimeoutFrom(v types.String, diags *diag.Diagnostics) time.Duration {
	s, from := v.ValueString(), "request_timeout"
	if v.IsNull() {
		s, from = os.Getenv(EnvRequestTimeout), "The "+EnvRequestTimeout+" environment variable"
	}
	if s == "" {
		return 0
	}
	d, err := parseRequestTimeout(s)
	if err != nil {
		diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
			fmt.Sprintf("%s is invalid: %s. Got %s.", from, err, strconv.Quote(s)))
	}
	return d
}
