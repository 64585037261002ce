// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// EnvCreateLease is a test hook, not a user setting: it shortens the lease
// of a new key's create marker (keyengine.DefaultLease, two minutes) so that
// tests which kill the provider process see its keys swept within seconds.
// The keeper renews the lease at a third of its length.
const EnvCreateLease = "TF_CCLOUD_CREATE_LEASE"

// createLeaseFromEnv returns the lease EnvCreateLease asks for, or zero
// (the engine's default) when it is unset. A value the engine would not
// accept is an error at configure rather than a silently ignored hook.
func createLeaseFromEnv(diags *diag.Diagnostics) time.Duration {
	v := os.Getenv(EnvCreateLease)
	if v == "" {
		return 0
	}
	d, err := keyengine.ParseLease(v)
	if err != nil {
		diags.AddError("Invalid "+EnvCreateLease,
			"The "+EnvCreateLease+" environment variable, a test hook for the lease of new API keys, is invalid: "+
				err.Error()+". Unset it, or give a duration from "+keyengine.MinLease.String()+" to "+keyengine.MaxLease.String()+".")
	}
	return d
}
