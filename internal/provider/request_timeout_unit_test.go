// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The attribute wins over the environment variable, and both are checked.
// Not parallel: it sets the process environment.
func TestRequestTimeoutFrom(t *testing.T) {
	cases := []struct {
		attr    types.String
		env     string
		want    time.Duration
		wantErr string
	}{
		{types.StringNull(), "", 0, ""},
		{types.StringNull(), "30s", 30 * time.Second, ""},
		{types.StringValue("5s"), "30s", 5 * time.Second, ""},
		{types.StringNull(), "soon", 0, "The " + EnvRequestTimeout + " environment variable is invalid"},
		{types.StringNull(), "2h", 0, "outside the accepted range"},
		{types.StringValue("500ms"), "", 0, "request_timeout is invalid"},
	}
	for _, tc := range cases {
		t.Setenv(EnvRequestTimeout, tc.env)
		var diags diag.Diagnostics
		got := requestTimeoutFrom(tc.attr, &diags)
		switch {
		case tc.wantErr == "" && diags.HasError():
			t.Errorf("%v / %q: unexpected error %v", tc.attr, tc.env, diags)
		case tc.wantErr != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.wantErr)):
			t.Errorf("%v / %q: want an error containing %q, got %v", tc.attr, tc.env, tc.wantErr, diags)
		case tc.wantErr == "" && got != tc.want:
			t.Errorf("%v / %q: got %v, want %v", tc.attr, tc.env, got, tc.want)
		}
	}
}
