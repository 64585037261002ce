// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Guardrails are opt-in policies in the provider block. Each one fails the
// plan of every API key resource that breaks it, with an error of its own, so
// that Terraform names each offending resource and a team can turn a
// convention (service accounts own production keys; keys rotate) into a
// check. They apply to every plan of a key that is not being destroyed,
// existing keys included: turning a guardrail on shows every key that breaks
// it.

// guardrails holds the provider's policies; the zero value enforces none.
type guardrails struct {
	denyUserOwnedKeys bool
	requireRotation   bool
	// maxRotationPeriod is zero when unset; maxRotationText is the
	// configured text, for messages.
	maxRotationPeriod time.Duration
	maxRotationText   string
}

// guardrailAttributes are the provider schema's guardrail attributes.
func guardrailAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"deny_user_owned_keys": schema.BoolAttribute{
			Description: "Guardrail: when `true`, planning an API key owned by a user (`u-...`) fails. Confluent " +
				"Cloud deletes a user's keys when the user leaves the organisation, so production keys belong to " +
				"service accounts. Defaults to `false`.",
			Optional: true,
		},
		"require_rotation": schema.BoolAttribute{
			Description: "Guardrail: when `true`, planning an API key resource that has neither `rotation_period` " +
				"nor `rotation_triggers` fails. Ephemeral keys are exempt: they live for one run. Defaults to `false`.",
			Optional: true,
		},
		"max_rotation_period": schema.StringAttribute{
			Description: "Guardrail: the longest `rotation_period` an API key resource may have, in the same form " +
				"(for example `\"90d\"`). When set, every API key resource needs a `rotation_period` no longer than " +
				"this; `rotation_triggers` alone do not satisfy it, because they do not bound a key's age.",
			Optional:   true,
			Validators: []validator.String{rotationPeriodValidator},
		},
	}
}

// guardrailsFrom reads the guardrails of a provider configuration. Unknown
// values are an error: a policy that is only known after apply could not
// stop a plan.
func guardrailsFrom(cfg providerModel) (guardrails, diag.Diagnostics) {
	var g guardrails
	var diags diag.Diagnostics
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"deny_user_owned_keys": cfg.DenyUserOwnedKeys, "require_rotation": cfg.RequireRotation,
		"max_rotation_period": cfg.MaxRotationPeriod,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Guardrail not known at plan time",
				fmt.Sprintf("The provider's %s depends on a value that is only known after apply. Guardrails must be "+
					"known when planning; use a literal or a variable.", name))
		}
	}
	if diags.HasError() {
		return g, diags
	}
	g.denyUserOwnedKeys = cfg.DenyUserOwnedKeys.ValueBool()
	g.requireRotation = cfg.RequireRotation.ValueBool()
	if !cfg.MaxRotationPeriod.IsNull() {
		d, err := parseRotationPeriod(cfg.MaxRotationPeriod.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("max_rotation_period"), "Invalid max_rotation_period",
				fmt.Sprintf("The provider's max_rotation_period is not a valid period: %s.", err))
			return g, diags
		}
		g.maxRotationPeriod, g.maxRotationText = d, cfg.MaxRotationPeriod.ValueString()
	}
	return g, diags
}

// check adds an error for each guardrail the planned key breaks. The
// messages name the resource type and, where known, the key's ID and name;
// Terraform adds the resource's address.
func (g guardrails) check(typeName string, plan *apiKeyModel, diags *diag.Diagnostics) {
	what := typeName
	if !plan.ID.IsNull() && !plan.ID.IsUnknown() {
		what += " " + plan.ID.ValueString()
	}
	what += quotedName(plan.DisplayName)
	owner := plan.OwnerID
	if !owner.IsUnknown() && !owner.IsNull() && g.deniesOwner(owner.ValueString()) {
		diags.AddAttributeError(path.Root("owner_id"), "Guardrail: user-owned API key",
			fmt.Sprintf("%s is owned by user %s, and the provider's deny_user_owned_keys guardrail forbids keys "+
				"owned by users: Confluent Cloud deletes them when the user leaves. Give the key to a service "+
				"account (ccloud_service_account).", what, owner.ValueString()))
	}
	if g.requireRotation && plan.RotationPeriod.IsNull() && plan.RotationTriggers.IsNull() {
		diags.AddAttributeError(path.Root("rotation_period"), "Guardrail: API key without rotation",
			fmt.Sprintf("%s has neither rotation_period nor rotation_triggers, and the provider's require_rotation "+
				"guardrail asks every key to rotate. Set rotation_period (for example \"90d\") or rotation_triggers.",
				what))
	}
	if g.maxRotationPeriod > 0 {
		switch {
		case plan.RotationPeriod.IsNull():
			diags.AddAttributeError(path.Root("rotation_period"), "Guardrail: API key without rotation_period",
				fmt.Sprintf("%s has no rotation_period, and the provider's max_rotation_period guardrail asks every "+
					"key to rotate at least every %s. Set rotation_period to %s or less (rotation_triggers alone do "+
					"not bound a key's age).", what, g.maxRotationText, g.maxRotationText))
		case plan.RotationPeriod.IsUnknown():
		default:
			d, err := parseRotationPeriod(plan.RotationPeriod.ValueString())
			if err == nil && d > g.maxRotationPeriod {
				diags.AddAttributeError(path.Root("rotation_period"), "Guardrail: rotation_period too long",
					fmt.Sprintf("%s has rotation_period %q, longer than the provider's max_rotation_period of %s. "+
						"Shorten rotation_period to %s or less.", what, plan.RotationPeriod.ValueString(),
						g.maxRotationText, g.maxRotationText))
			}
		}
	}
}

// deniesOwner reports whether deny_user_owned_keys forbids a key owned by
// ownerID, for managed and ephemeral keys alike.
func (g guardrails) deniesOwner(ownerID string) bool {
	return g.denyUserOwnedKeys && ccloud.OwnerKindOfID(ownerID) == ccloud.KindUser
}
