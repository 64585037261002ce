// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// periodConfig is a Kafka key's configuration with the given values, nil
// for null and tftypes.UnknownValue for unknown, and null elsewhere.
func periodConfig(t *testing.T, rotation, grace, keep any) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	s := scopeRow(ccloud.ScopeKafka).schema(ctx)
	typ := s.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["rotation_period"] = tftypes.NewValue(tftypes.String, rotation)
	vals["grace_period"] = tftypes.NewValue(tftypes.String, grace)
	vals["max_previous_keys"] = tftypes.NewValue(tftypes.Number, keep)
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, vals)}
}

// TestOutlastsGrace checks the rule between rotation_period, grace_period
// and max_previous_keys: a schedule that would delete old keys before their
// retire_at is refused on rotation_period with what to change; equal
// periods, longer periods, enough previous keys and unknown values pass.
func TestOutlastsGrace(t *testing.T) {
	t.Parallel()
	unknown := tftypes.UnknownValue
	for name, tc := range map[string]struct {
		rotation, grace, keep any
		want                  string
	}{
		"longer rotation":            {"90d", "72h", nil, ""},
		"equal periods":              {"3d", "72h", nil, ""},
		"no grace period":            {"1h", nil, nil, ""},
		"enough previous keys":       {"1d", "3d", 3, ""},
		"grace unknown":              {"1d", unknown, nil, ""},
		"max_previous_keys unknown":  {"1d", "3d", unknown, ""},
		"grace not a period":         {"1d", "soon", nil, ""},
		"shorter rotation":           {"1d", "72h", nil, `The rotation_period "1d" is shorter than the grace_period "72h" allows with max_previous_keys = 1`},
		"one minute shorter":         {"2h59m", "3h", nil, `Make rotation_period at least "3h" (equal is accepted)`},
		"advice names previous keys": {"1d", "72h", nil, "or set max_previous_keys to 3"},
		"too few previous keys":      {"1d", "7d", 3, `at least "2d8h" (equal is accepted), shorten grace_period, or set max_previous_keys to 7`},
		"uneven grace":               {"1h", "2h1m", 2, `at least "1h1m"`},
	} {
		cfg := periodConfig(t, tc.rotation, tc.grace, tc.keep)
		var rotation types.String
		if d := cfg.GetAttribute(context.Background(), path.Root("rotation_period"), &rotation); d.HasError() {
			t.Fatal(d)
		}
		resp := &validator.StringResponse{}
		outlastsGrace{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("rotation_period"), ConfigValue: rotation, Config: cfg,
		}, resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics.Errors()[0].Detail()
		}
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: refused: %s", name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: want an error containing %q, got %q", name, tc.want, got)
		}
	}
	// An unknown rotation_period is left alone whatever the grace period.
	resp := &validator.StringResponse{}
	outlastsGrace{}.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("rotation_period"), ConfigValue: types.StringUnknown(), Config: periodConfig(t, unknown, "3d", nil),
	}, resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("unknown rotation_period refused: %v", resp.Diagnostics)
	}
}
