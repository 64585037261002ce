// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func validateText(v validator.String, s string) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("display_name"), ConfigValue: types.StringValue(s),
	}, resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	return resp.Diagnostics.Errors()[0].Detail()
}

func TestTextRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value, want string
		description       bool
	}{
		{"plain", "orders app", "", false},
		{"accents and scripts", "Zahlungsdienst für Aufträge – 注文", "", false},
		{"emoji", "orders 🚀", "", false},
		{"empty is left to the length rule", "", "", false},
		{"spaces only", "   ", "only white space", false},
		{"tab only", "\t", "only white space", false},
		{"no-break spaces only", "\u00a0\u3000", "only white space", false},
		{"NUL", "orders\x00", "a NUL character (U+0000) at character 7", false},
		{"escape sequence", "orders\x1b[31m", "a control character (U+001B)", false},
		{"line feed in a name", "orders\napp", "a control character (U+000A)", false},
		{"DEL", "orders\x7f", "a control character (U+007F)", false},
		{"C1 control", "orders\u0085", "a control character (U+0085)", false},
		{"zero-width space", "pay\u200bments", "an invisible formatting character (U+200B) at character 4", false},
		{"zero-width joiner", "pay\u200dments", "an invisible formatting character (U+200D)", false},
		{"byte order mark", "\ufefforders", "an invisible formatting character (U+FEFF) at character 1", false},
		{"right-to-left override", "invoice\u202etxt.exe", "a bidirectional formatting character (U+202E)", false},
		{"right-to-left isolate", "a\u2067b", "a bidirectional formatting character (U+2067)", false},
		{"right-to-left mark", "a\u200fb", "a bidirectional formatting character (U+200F)", false},
		{"line separator", "a\u2028b", "a line or paragraph separator (U+2028)", false},
		{"invalid UTF-8", "a\xffb", "invalid UTF-8", false},
		{"description with line breaks", "Used by:\n\t- orders\r\n", "", true},
		{"description only line breaks", "\n\n", "only white space", true},
		{"description with NUL", "a\x00", "a NUL character", true},
		{"description with bell", "a\x07", "a control character (U+0007)", true},
		{"description with override", "a\u202db", "a bidirectional formatting character (U+202D)", true},
		{"hangul filler only", "\u3164", `"\u3164" renders as blank`, false},
		{"halfwidth hangul filler only", "\uffa0\uffa0", "renders as blank", false},
		{"hangul choseong and jungseong fillers", "\u115f\u1160", "renders as blank", false},
		{"braille blank only", "\u2800", `"\u2800" renders as blank`, false},
		{"combining marks only", "\u0301\u0308", "renders as blank", false},
		{"variation selector only", "\ufe0f", "renders as blank", false},
		{"fillers and spaces", " \u3164 \u2800 ", "renders as blank", false},
		{"description of fillers and line breaks", "\u3164\n\u2800\n", "renders as blank", true},
		{"hangul text", "주문 서비스", "", false},
		{"filler beside visible text", "orders\u3164", "", false},
		{"combining mark on a letter", "cafe\u0301", "", false},
		{"braille text", "\u2801\u2803", "", false},
		{"emoji with variation selector", "\u2764\ufe0f", "", false},
	}
	for _, tc := range cases {
		v := nameText()
		if tc.description {
			v = descriptionText()
		}
		got := validateText(v, tc.value)
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: %q refused: %s", tc.name, tc.value, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: %q: want an error containing %q, got %q", tc.name, tc.value, tc.want, got)
		case tc.want != "" && !strings.Contains(got, "display_name"):
			t.Errorf("%s: the error does not name the attribute: %q", tc.name, got)
		}
	}
}

func TestCloudValidatorIgnoresCase(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"AWS", "aws", "Aws", "gcp", "AZURE", "azure"} {
		resp := &validator.StringResponse{}
		cloudValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("cloud"), ConfigValue: types.StringValue(ok)}, resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%q refused: %v", ok, resp.Diagnostics)
		}
	}
	for _, bad := range []string{"", "IBM", "aws.us-east-1", " aws", "amazon"} {
		resp := &validator.StringResponse{}
		cloudValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("cloud"), ConfigValue: types.StringValue(bad)}, resp)
		if !resp.Diagnostics.HasError() {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestReplaceUnlessSameCloud(t *testing.T) {
	t.Parallel()
	m := replaceUnlessSameCloud()
	for _, tc := range []struct {
		state, plan string
		replace     bool
	}{
		{"AWS", "aws", false},
		{"aws", "Aws", false},
		{"AWS", "GCP", true},
		{"gcp", "AZURE", true},
	} {
		req := planmodifier.StringRequest{
			Path: path.Root("cloud"), StateValue: types.StringValue(tc.state), PlanValue: types.StringValue(tc.plan),
			ConfigValue: types.StringValue(tc.plan), State: tfsdk.State{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})},
			Plan: tfsdk.Plan{Raw: tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})},
		}
		resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
		m.PlanModifyString(context.Background(), req, resp)
		if resp.RequiresReplace != tc.replace {
			t.Errorf("%s -> %s: replace = %v, want %v", tc.state, tc.plan, resp.RequiresReplace, tc.replace)
		}
	}
}
