// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzParseRotationPeriod feeds arbitrary strings to the rotation_period
// parser and its validator. Neither may panic, parsing must be
// deterministic, an accepted period must be made only of the documented
// units and be non-negative, and the validator must accept exactly the
// periods that parse to at least minRotationPeriod.
func FuzzParseRotationPeriod(f *testing.F) {
	for _, s := range []string{
		"90d", "2160h", "1d12h", "1d1h30m", "90m", "0d1h", "365d", "1h", "60m", "59m", "0d",
		"", "d", "90", "1w", "1.5d", "30s", "12h1d", "1h1h", "-1d", " 1d", "1d ", "1D",
		"99999999999999999999d", "106752d", "106751d1000000h", "106751d23h47m", "0000000000000000001h",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseRotationPeriod(s)
		d2, err2 := parseRotationPeriod(s)
		if d != d2 || (err == nil) != (err2 == nil) {
			t.Fatalf("parseRotationPeriod(%q) is not deterministic: %s, %v then %s, %v", s, d, err, d2, err2)
		}
		resp := &validator.StringResponse{}
		rotationPeriodValidator.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("rotation_period"), ConfigValue: types.StringValue(s),
		}, resp)
		accepted := !resp.Diagnostics.HasError()
		if err != nil {
			if d != 0 {
				t.Fatalf("parseRotationPeriod(%q) failed but returned %s", s, d)
			}
			if accepted {
				t.Fatalf("the validator accepted %q, which does not parse: %v", s, err)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("parseRotationPeriod(%q) failed with an empty message", s)
			}
			return
		}
		if d < 0 {
			t.Fatalf("parseRotationPeriod(%q) = %s, a negative period", s, d)
		}
		if accepted != (d >= minRotationPeriod) {
			t.Fatalf("validator accepted=%v for %q (%s); want acceptance exactly from %s", accepted, s, d, minRotationPeriod)
		}
		if strings.Trim(s, "0123456789dhm") != "" {
			t.Fatalf("parseRotationPeriod accepted %q, which has characters other than digits and d, h, m", s)
		}
		// Re-rendering the period in canonical form must give the same
		// duration: the parser has no hidden units or rounding.
		if d2, err := parseRotationPeriod(canonicalPeriod(d)); err != nil || d2 != d {
			t.Fatalf("%q parsed to %s, but its canonical form %q parsed to %s, %v", s, d, canonicalPeriod(d), d2, err)
		}
	})
}

// canonicalPeriod renders a whole number of minutes as "<d>d<h>h<m>m".
func canonicalPeriod(d time.Duration) string {
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	hours := d / time.Hour
	d -= hours * time.Hour
	return strconv.FormatInt(int64(days), 10) + "d" + strconv.FormatInt(int64(hours), 10) + "h" +
		strconv.FormatInt(int64(d/time.Minute), 10) + "m"
}
