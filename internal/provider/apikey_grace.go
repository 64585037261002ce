// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Grace-period rotation.
//
// Without grace_period a rotation is a replacement, and the old key is
// deleted in the same apply that creates the new one. Clients that only
// authenticate when they connect, or that read their secret at start-up,
// then fail until they are restarted. With grace_period a rotation (a
// trigger change or a due rotation_period) is planned as an in-place update
// instead: Update creates the new key the way Create does (orphan-safe,
// waiting until it works), makes it the current key, and moves the old key
// to previous_keys, where it keeps working until its retire_at.
//
// Retirement is planned the tls way, like rotation_period: ModifyPlan, with
// the provider's clock, drops previous keys whose retire_at has passed (or
// that exceed max_previous_keys) from the planned previous_keys and says so
// in a warning, and Update deletes exactly the keys the plan dropped. The
// plan decides and the apply follows it, so a key that falls due between
// plan and apply is retired by the next plan, never by surprise.

const (
	// defaultMaxPreviousKeys is how many old keys a grace rotation keeps.
	defaultMaxPreviousKeys = 1
	// minGracePeriod is the shortest grace period accepted.
	minGracePeriod = time.Minute
	// privateCurrentGone marks, in private state, a key whose current key
	// was deleted outside Terraform while previous keys still exist: the
	// next plan replaces the resource, which deletes them.
	privateCurrentGone = "current_key_gone"
	// retireTimeout bounds the deletion of previous keys after a failed
	// rotation, on a context of its own.
	retireTimeout = 30 * time.Second
)

// graceAttributes are the schema attributes of grace-period rotation,
// shared by every API key resource.
func graceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"grace_period": schema.StringAttribute{
			Description: "Keep the old key working for this long after a rotation, in days (`d`), hours (`h`) and " +
				"minutes (`m`), for example `\"72h\"` or `\"7d\"`; at least one minute. With it set, a rotation by a " +
				"`rotation_triggers` change or a due `rotation_period` is an in-place update instead of a replacement: " +
				"the update creates a new key and waits until it works (as a create does, within `timeouts { create }`), " +
				"`id`, `secret` (or `encrypted_secret`) and `created_at` become the new key's, and the old key moves to `previous_keys` until its " +
				"`retire_at`. The first plan after a `retire_at` deletes that key. `terraform apply -replace` still " +
				"replaces the key and deletes the current and previous keys at once. Changing it applies to later " +
				"rotations, not to keys already in `previous_keys`. With `rotation_period`, it may be at most " +
				"`rotation_period` times `max_previous_keys` (see `rotation_period`).",
			Optional:   true,
			Validators: []validator.String{gracePeriodValidator},
		},
		"max_previous_keys": schema.Int64Attribute{
			Description: "How many old keys `grace_period` keeps at most, at least 1. A rotation that would keep more " +
				"deletes the oldest in the same apply, and its plan says so. Only valid with `grace_period`. Defaults to `1`.",
			Optional: true,
			Computed: true,
			Default:  int64default.StaticInt64(defaultMaxPreviousKeys),
			Validators: []validator.Int64{
				int64validator.AtLeast(1),
				int64validator.AlsoRequires(path.MatchRoot("grace_period")),
			},
		},
		"previous_keys": schema.ListNestedAttribute{
			Description: "Old keys that still work after an in-place rotation (see `grace_period`), oldest first; " +
				"empty without one. Their secrets are not kept. A key deleted outside Terraform drops out on refresh.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id": schema.StringAttribute{
					Description: "ID of the old key.",
					Computed:    true,
				},
				"created_at": schema.StringAttribute{
					Description: "When the old key was created, in RFC 3339 format.",
					Computed:    true,
				},
				"retire_at": schema.StringAttribute{
					Description: "When the grace period of the old key ends, in RFC 3339 format: the first plan " +
						"after it deletes the key.",
					Computed: true,
				},
			}},
		},
		"next_retirement_at": schema.StringAttribute{
			Description: "The earliest `retire_at` in `previous_keys`, in RFC 3339 format; null when there are no " +
				"previous keys.",
			Computed: true,
		},
	}
}

// gracePeriodValidator checks grace_period.
var gracePeriodValidator = periodValidator{
	noun: "grace period", min: minGracePeriod, minText: `one minute ("1m")`,
	advice: "To delete the old key in the same apply that creates the new one, remove grace_period and use " +
		"create_before_destroy.",
}

// retiree is a previous key that the plan deletes, and why.
type retiree struct {
	key    previousKeyModel
	reason string
}

// planRetirements splits the previous keys into those the plan keeps (the
// current key among them when it rotates) and those it retires: keys whose
// grace period has ended, then the oldest beyond max_previous_keys.
func planRetirements(state, plan *apiKeyModel, prev []previousKeyModel, rotate bool, now time.Time) (
	keep []previousKeyModel, retiring []retiree,
) {
	for _, k := range prev {
		at, err := time.Parse(time.RFC3339, k.RetireAt.ValueString())
		if err == nil && !now.Before(at) {
			retiring = append(retiring, retiree{k, fmt.Sprintf("its grace period ended at %s", k.RetireAt.ValueString())})
			continue
		}
		keep = append(keep, k)
	}
	if rotate {
		keep = append(keep, previousKeyModel{ID: state.ID, CreatedAt: state.CreatedAt, RetireAt: types.StringUnknown()})
	}
	if plan.MaxPreviousKeys.IsUnknown() || plan.MaxPreviousKeys.IsNull() {
		return keep, retiring
	}
	limit := int(plan.MaxPreviousKeys.ValueInt64())
	for len(keep) > limit {
		why := "max_previous_keys is %d"
		if rotate {
			why = "this rotation would otherwise keep more than max_previous_keys = %d old keys"
		}
		retiring = append(retiring, retiree{keep[0], fmt.Sprintf(why+", and it is the oldest (its grace period "+
			"would have ended at %s)", limit, keep[0].RetireAt.ValueString())})
		keep = keep[1:]
	}
	return keep, retiring
}

// retirees are the previous keys in state that the plan no longer has.
func retirees(state, planned []previousKeyModel) []previousKeyModel {
	keep := map[string]bool{}
	for _, k := range planned {
		keep[k.ID.ValueString()] = true
	}
	var out []previousKeyModel
	for _, k := range state {
		if !keep[k.ID.ValueString()] {
			out = append(out, k)
		}
	}
	return out
}
