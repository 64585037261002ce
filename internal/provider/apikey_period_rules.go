// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A schedule that outruns its grace period.
//
// With grace_period, each rotation moves the current key to previous_keys
// until its retire_at, the rotation time plus the grace period, and a
// rotation that would keep more than max_previous_keys old keys deletes the
// oldest at once. A rotation_period shorter than the grace period therefore
// makes every scheduled rotation find the last old key still in its grace
// period: with max_previous_keys = 1 it is deleted before its retire_at,
// while applications may still use it. In general the schedule keeps
// ceil(grace_period / rotation_period) old keys alive, so the rule is
// grace_period <= rotation_period * max_previous_keys. Equal periods are
// accepted: the old key's grace period then ends as the next rotation falls
// due.

// rotationPeriodRulesNote documents the rule in rotation_period's schema.
const rotationPeriodRulesNote = "With `grace_period`, it must be at least the grace period times " +
	"`max_previous_keys` (equal is accepted: an old key's grace period then ends as the next rotation falls due), " +
	"or scheduled rotations would delete old keys before their `retire_at`; a shorter period is refused at plan time."

// outlastsGrace is the validator of rotation_period that compares it with
// grace_period and max_previous_keys, read from the same configuration.
type outlastsGrace struct{}

var _ validator.String = outlastsGrace{}

func (outlastsGrace) Description(context.Context) string {
	return "with grace_period, must be at least grace_period times max_previous_keys"
}

func (v outlastsGrace) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (outlastsGrace) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var grace types.String
	var keep types.Int64
	if d := req.Config.GetAttribute(ctx, path.Root("grace_period"), &grace); d.HasError() || grace.IsNull() || grace.IsUnknown() {
		return
	}
	if d := req.Config.GetAttribute(ctx, path.Root("max_previous_keys"), &keep); d.HasError() || keep.IsUnknown() {
		return
	}
	rotation, err1 := parseRotationPeriod(req.ConfigValue.ValueString())
	gracePeriod, err2 := parseRotationPeriod(grace.ValueString())
	if err1 != nil || err2 != nil {
		// Each attribute's own validator reports its syntax.
		return
	}
	limit := int64(defaultMaxPreviousKeys)
	if !keep.IsNull() {
		limit = keep.ValueInt64()
	}
	if detail := scheduleOutrunsGrace(req.Path, req.ConfigValue.ValueString(), grace.ValueString(), rotation, gracePeriod, limit); detail != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Rotation period shorter than grace period", detail)
	}
}

// scheduleOutrunsGrace is the message for a rotation period that keeps more
// old keys in their grace period than max_previous_keys allows, or "" when
// the schedule fits.
func scheduleOutrunsGrace(p path.Path, rotationText, graceText string, rotation, grace time.Duration, limit int64) string {
	if limit < 1 || rotation <= 0 || grace <= rotation*time.Duration(limit) {
		return ""
	}
	needed := int64((grace + rotation - 1) / rotation)
	keys := "the old key"
	if limit > 1 {
		keys = "the oldest old key"
	}
	return fmt.Sprintf("The %s %q is shorter than the grace_period %q allows with max_previous_keys = %d: each "+
		"scheduled rotation would find %s still in its grace period and delete it before its retire_at. Make "+
		"%s at least %s (equal is accepted), shorten grace_period, or set max_previous_keys to %d.",
		p, rotationText, graceText, limit, keys, p, periodText(grace/time.Duration(limit)), needed)
}

// periodText writes d in the period form, largest unit first ("1d12h"),
// rounded up to a whole minute so that a suggested minimum is enough.
func periodText(d time.Duration) string {
	d = (d + time.Minute - 1) / time.Minute * time.Minute
	var out string
	for _, u := range []struct {
		unit string
		d    time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}} {
		if n := d / u.d; n > 0 {
			out += fmt.Sprintf("%d%s", n, u.unit)
			d -= n * u.d
		}
	}
	return fmt.Sprintf("%q", out)
}
