// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParseRotationPeriod(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	good := map[string]time.Duration{
		"90d":     90 * day,
		"2160h":   2160 * time.Hour,
		"1d12h":   36 * time.Hour,
		"1d1h30m": 25*time.Hour + 30*time.Minute,
		"90m":     90 * time.Minute,
		"0d1h":    time.Hour,
		"365d":    365 * day,
	}
	for in, want := range good {
		got, err := parseRotationPeriod(in)
		if err != nil || got != want {
			t.Errorf("parseRotationPeriod(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "90", "1w", "1.5d", "30s", "12h1d", "1h1h", "-1d", " 1d", "1d ",
		"1D", "99999999999999999999d", "106752d", "106751d1000000h"} {
		if got, err := parseRotationPeriod(in); err == nil {
			t.Errorf("parseRotationPeriod(%q) = %s, want an error", in, got)
		}
	}
}

func TestRotationPeriodValidator(t *testing.T) {
	t.Parallel()
	for in, wantErr := range map[string]bool{"1h": false, "60m": false, "90d": false, "59m": true, "0d": true, "soon": true} {
		resp := &validator.StringResponse{}
		rotationPeriodValidator.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("rotation_period"), ConfigValue: types.StringValue(in),
		}, resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("%q: error = %v, want %v (%v)", in, resp.Diagnostics.HasError(), wantErr, resp.Diagnostics)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		resp := &validator.StringResponse{}
		rotationPeriodValidator.ValidateString(context.Background(), validator.StringRequest{ConfigValue: v}, resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s: unexpected error %v", v, resp.Diagnostics)
		}
	}
}

func TestIDPrefixValidator(t *testing.T) {
	t.Parallel()
	v := idPrefixValidator("a service account or user", "sa-", "u-")
	for in, wantErr := range map[string]bool{
		"sa-abc123": false, "u-q1ck5t": false, "sa-": true, "u-": true, "bob": true, "sa-a b": true,
		"lkc-abc": true, "sa-a/b": true, "xsa-abc": true,
	} {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("owner_id"), ConfigValue: types.StringValue(in)}, resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("%q: error = %v, want %v", in, resp.Diagnostics.HasError(), wantErr)
		}
	}
}
