// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestCreateLeaseFromEnv checks the lease test hook: unset means the
// engine's default, a duration in range is taken, and anything else is an
// error that names the variable. Not parallel: it sets the process
// environment.
func TestCreateLeaseFromEnv(t *testing.T) {
	cases := []struct {
		env     string
		want    time.Duration
		wantErr string
	}{
		{"", 0, ""},
		{"3s", 3 * time.Second, ""},
		{"2m", 2 * time.Minute, ""},
		{"1s", 0, "outside the accepted range of 3s to 2m0s"},
		{"10m", 0, "outside the accepted range"},
		{"forever", 0, "is not a duration"},
	}
	for _, tc := range cases {
		t.Setenv(EnvCreateLease, tc.env)
		var diags diag.Diagnostics
		got := createLeaseFromEnv(&diags)
		switch {
		case tc.wantErr == "" && diags.HasError():
			t.Errorf("%q: unexpected error %v", tc.env, diags)
		case tc.wantErr != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.wantErr) ||
			!strings.Contains(diags.Errors()[0].Detail(), EnvCreateLease)):
			t.Errorf("%q: want an error naming %s and containing %q, got %v", tc.env, EnvCreateLease, tc.wantErr, diags)
		case tc.wantErr == "" && got != tc.want:
			t.Errorf("%q: got %v, want %v", tc.env, got, tc.want)
		}
	}
}
