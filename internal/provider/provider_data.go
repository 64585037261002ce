// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// What the configured provider hands to every resource, data source, list
// resource and function. It sits in a file of its own so that those files
// and provider.go, which registers them, do not depend on each other.

// providerData is handed to every resource and data source in Configure.
type providerData struct {
	client *ccloud.Client
	// clock is Options.Clock or the wall clock, and now its Now: the
	// provider's one source of time.
	clock clock.Clock
	now   func() time.Time
	// engine creates keys, waits for them and caches reads (see
	// internal/keyengine); it lives as long as this configuration.
	engine *keyengine.Engine
	// reads is engine's read cache, which shares list calls between the
	// reads of one refresh. It is nil while the provider is unconfigured.
	reads *keyengine.ReadCache
	// run remembers what this Terraform operation planned and created, for
	// the service account's deletion guard and conflict messages; see
	// service_account_destroy_guard.go and service_account_conflict.go.
	run *runMemory
	// guardrails are the opt-in policies of the provider block; see
	// guardrails.go.
	guardrails guardrails
}

// clockOrReal is the provider's clock; the wall clock while unconfigured.
func (d *providerData) clockOrReal() clock.Clock {
	if d == nil || d.clock == nil {
		return clock.Real()
	}
	return d.clock
}

// providerDataFrom extracts the provider's data in a resource's or data
// source's Configure. It returns nil, without a diagnostic, while the
// provider is not configured yet.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return d
}

// clientOrError returns the API client, or adds an error saying why there is
// none: the provider configuration was still unknown when this ran.
func (d *providerData) clientOrError(diags *diag.Diagnostics) *ccloud.Client {
	if d == nil || d.client == nil {
		diags.AddError("Provider not configured",
			"The ccloud provider's configuration (endpoint or credentials) is not known yet, so it cannot call "+
				"Confluent Cloud. This happens when the credentials come from a resource that is not created yet; "+
				"apply that resource first, for example with -target.")
		return nil
	}
	return d.client
}

// guardrailsOf returns the provider's guardrails, or none while the provider
// is not configured yet.
func (d *providerData) guardrailsOf() guardrails {
	if d == nil {
		return guardrails{}
	}
	return d.guardrails
}
