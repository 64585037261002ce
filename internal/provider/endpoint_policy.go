// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// checkEndpointTransport refuses an http:// endpoint unless its host is a
// loopback address. Every request carries the Cloud API key and secret as
// Basic credentials, which plain HTTP would send in clear text across the
// network; on the loopback interface (a local mock, or a local TLS proxy)
// they never leave the machine.
func checkEndpointTransport(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		// Malformed URLs and other schemes are the client's to reject.
		return nil
	}
	if ccloud.IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("the endpoint %s uses http:// with the host %q, which is not a loopback address. Every "+
		"request carries the Cloud API key and secret, which plain HTTP would send in clear text. Use https://, "+
		"or http:// only on localhost, 127.0.0.0/8 or [::1] (for example the bundled mock). Set the endpoint "+
		"attribute or the %s environment variable", u.Redacted(), u.Hostname(), EnvEndpoint)
}

// endpointShapeNote documents the shape rule in the endpoint's schema.
const endpointShapeNote = "It must be a base URL, scheme and host (and port) only, such as " +
	"`https://api.confluent.cloud`: user information (`user:password@`), a path other than `/`, a query " +
	"(`?...`) or a fragment (`#...`) is refused at plan time, because the provider appends the API's paths " +
	"to it and authenticates with `cloud_api_key` and `cloud_api_secret` alone."

// checkEndpointShape refuses an endpoint that is more than a base URL:
// with user information, a path other than "/", a query or a fragment. The
// client appends the API's paths (/iam/v2/api-keys) to the endpoint's path,
// so a path sends every request somewhere else; user information would be
// a second, conflicting set of credentials, and a password in the URL shows
// in logs and messages; a query or fragment would be dropped or mangled.
// source names where the endpoint came from, for the message. What is not
// an absolute http(s) URL is left to the client, which says so.
//
// The message never repeats the user information, the query or the
// fragment, any of which may hold a secret.
func checkEndpointShape(endpoint, source string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http")) {
		return nil
	}
	var what string
	switch {
	case u.User != nil:
		what = "user information (a user name or password before the host)"
	case u.Path != "" && u.Path != "/":
		what = fmt.Sprintf("the path %q", u.EscapedPath())
	case u.RawQuery != "" || u.ForceQuery:
		what = "a query (the part from ?)"
	case u.Fragment != "" || strings.Contains(endpoint, "#"):
		what = "a fragment (the part from #)"
	default:
		return nil
	}
	return fmt.Errorf("%s (host %s) holds %s. It must be a base URL, scheme and host only, such as %s: the provider "+
		"appends the API's paths to it and authenticates with cloud_api_key and cloud_api_secret. Remove that part",
		source, u.Host, what, ccloud.DefaultEndpoint)
}

// endpointValidator applies checkEndpointShape to the endpoint attribute at
// plan time; the same check runs in Configure for the environment variable,
// which no validator sees.
type endpointValidator struct{}

var _ validator.String = endpointValidator{}

func (endpointValidator) Description(context.Context) string {
	return "must be a base URL without user information, path, query or fragment"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkEndpointShape(req.ConfigValue.ValueString(), "The endpoint"); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error()+".")
	}
}
