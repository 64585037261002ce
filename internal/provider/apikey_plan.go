// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// ModifyPlan plans what the framework cannot: the computed attributes a new
// key can show already, and for an existing key the rotation planner's
// decision (see apikey_rotation_plan.go), with the warnings that explain it.
// It is the only place that applies that decision.
func (r *apiKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// Destroying: tell the owner's deletion guard that this key goes too.
		noteKeyDestroy(ctx, r.data, req.State)
		return
	}
	var plan apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.data.guardrailsOf().check(r.typeName(), &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	if req.State.Raw.IsNull() {
		r.planCreate(ctx, &plan, &resp.Diagnostics)
		resp.Diagnostics.Append(r.set(ctx, &resp.Plan, &plan)...)
		return
	}
	var state apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if gone, _ := req.Private.GetKey(ctx, privateCurrentGone); len(gone) > 0 {
		state.currentGone = true
	}
	r.planUpdate(ctx, &state, &plan, resp)
}

// planCreate plans a new key. Owner kind and resource reference follow from
// the configuration, so the plan can show them already.
func (r *apiKeyResource) planCreate(ctx context.Context, plan *apiKeyModel, diags *diag.Diagnostics) {
	if !plan.OwnerID.IsUnknown() {
		plan.OwnerKind = types.StringValue(ccloud.OwnerKindOfID(plan.OwnerID.ValueString()))
		if w := userOwnerWarning(r.typeName(), plan.OwnerID.ValueString()); w != nil {
			diags.Append(w)
		}
	}
	if v, known := plan.values(); known {
		plan.ResourceID = types.StringValue(r.scope.resourceID(v))
	}
	if plan.RotationPeriod.IsNull() {
		plan.RotationDueAt = types.StringNull()
	}
	planSealingCreate(plan)
	r.planGraceCreate(ctx, plan, diags)
}

// planUpdate plans a key that exists: the rotation planner's decision, a
// change of secret recipients and the grace period's previous keys. The
// plan is written back only when one of them changed it, so the usual
// no-change plan skips rebuilding the whole planned object.
func (r *apiKeyResource) planUpdate(ctx context.Context, state, plan *apiKeyModel, resp *resource.ModifyPlanResponse) {
	planned := plan.RotationDueAt
	rot := planRotation(state, plan, r.now())
	plan.RotationDueAt = rot.dueAt
	resp.RequiresReplace = append(resp.RequiresReplace, rot.replacePaths()...)
	r.warnRotation(rot, state, plan, &resp.Diagnostics)
	sealingChanged := planSealingUpdate(state, plan, rot.has(reasonRecipients))
	graceChanged := true
	if rot.has(reasonCurrentGone) {
		// Replacing the resource deletes the previous keys and creates a key
		// again, as for a plain deleted key. Terraform replaces only for a
		// path whose value changes.
		plan.ID = types.StringUnknown()
	} else {
		graceChanged = r.planGrace(ctx, state, plan, rot.graceRotates(), &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !sealingChanged && !graceChanged && plan.RotationDueAt.Equal(planned) {
		return
	}
	resp.Diagnostics.Append(r.set(ctx, &resp.Plan, plan)...)
}

// warnRotation says why the key rotates, one warning per reason that needs
// saying: a trigger change is the user's own doing and goes unexplained.
func (r *apiKeyResource) warnRotation(rot rotation, state, plan *apiKeyModel, diags *diag.Diagnostics) {
	if rot.has(reasonDue) {
		how := "Terraform plans to replace it with a new key."
		if rot.grace {
			// With a grace period the rotation is in place; see apikey_grace.go.
			how = fmt.Sprintf("Terraform plans to rotate it in place: a new key becomes current and this one "+
				"keeps working for the grace_period of %s.", plan.GracePeriod.ValueString())
		}
		diags.AddWarning("API key due for rotation",
			fmt.Sprintf("%s %s%s was created at %s and its rotation_period is %s, so it was due for rotation at "+
				"%s. %s", r.typeName(), state.ID.ValueString(),
				quotedName(state.DisplayName), state.CreatedAt.ValueString(), plan.RotationPeriod.ValueString(),
				rot.due.UTC().Format(time.RFC3339), how))
	}
	if rot.has(reasonRecipients) {
		_, known := recipientList(plan.SecretRecipients)
		what := "changed"
		if plan.SecretRecipients.IsNull() {
			what = "removed"
		} else if !known {
			what = "not known until apply"
		}
		diags.AddAttributeWarning(path.Root("secret_recipients"), "API key rotates for new secret recipients",
			fmt.Sprintf("The secret_recipients of %s %s%s are %s. State holds the key's secret only encrypted to the "+
				"previous recipients, which the provider cannot decrypt, so Terraform plans to replace the key with a "+
				"new one whose secret goes to the new recipients. Applications must move to the new key (use "+
				"create_before_destroy).", r.typeName(), state.ID.ValueString(), quotedName(state.DisplayName), what))
	}
	if rot.has(reasonCurrentGone) {
		diags.AddWarning("API key deleted outside Terraform",
			fmt.Sprintf("%s %s%s no longer exists in Confluent Cloud, but its previous keys (see previous_keys) still "+
				"do. Terraform plans to replace the resource: a new key is created and the previous keys are deleted.",
				r.typeName(), state.ID.ValueString(), quotedName(state.DisplayName)))
	}
}

// userOwnerWarning warns about keys owned by a user: they die with the user.
func userOwnerWarning(typeName, ownerID string) diag.Diagnostic {
	if ccloud.OwnerKindOfID(ownerID) != ccloud.KindUser {
		return nil
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("owner_id"), "API key owned by a user",
		fmt.Sprintf("This %s is owned by user %s. Confluent Cloud deletes a user's API keys when the user leaves "+
			"the organisation, which would cut off every application using the key. In production, give keys to "+
			"a service account (ccloud_service_account) instead.", typeName, ownerID))
}

// planGraceCreate plans the grace attributes of a new key: no previous keys.
func (r *apiKeyResource) planGraceCreate(ctx context.Context, plan *apiKeyModel, diags *diag.Diagnostics) {
	l, d := previousKeysValue(ctx, nil)
	diags.Append(d...)
	plan.PreviousKeys = l
	plan.NextRetirementAt = types.StringNull()
}

// planGrace plans an update of a key that has state: which previous keys
// retire in this apply and, when the key rotates in place (rotate, see
// rotation.graceRotates), the current key joining them. It reports whether
// it changed the plan.
func (r *apiKeyResource) planGrace(ctx context.Context, state, plan *apiKeyModel, rotate bool, diags *diag.Diagnostics) bool {
	before := *plan
	prev, d := previousKeys(ctx, state.PreviousKeys)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	keep, retiring := planRetirements(state, plan, prev, rotate, r.now())
	if rotate {
		plan.ID, plan.CreatedAt = types.StringUnknown(), types.StringUnknown()
		// The new secret is planned as a create's is: in plain text, or
		// sealed to secret_recipients.
		planSealingCreate(plan)
		if !plan.RotationPeriod.IsNull() {
			plan.RotationDueAt = types.StringUnknown()
		}
	}
	if len(retiring) > 0 || rotate || plan.PreviousKeys.IsUnknown() {
		l, d := previousKeysValue(ctx, keep)
		diags.Append(d...)
		plan.PreviousKeys = l
	} else {
		plan.PreviousKeys = state.PreviousKeys
		if plan.PreviousKeys.IsNull() {
			plan.PreviousKeys, _ = previousKeysValue(ctx, nil)
		}
	}
	plan.NextRetirementAt = nextRetirement(keep)

	for _, rt := range retiring {
		diags.AddWarning("Previous API key retiring",
			fmt.Sprintf("%s %s%s: its previous key %s (created %s) is deleted in this apply because %s. Applications "+
				"still using that key will fail to authenticate.", r.typeName(), state.ID.ValueString(),
				quotedName(state.DisplayName), rt.key.ID.ValueString(), rt.key.CreatedAt.ValueString(), rt.reason))
	}
	return rotate || !plan.PreviousKeys.Equal(before.PreviousKeys) || !plan.NextRetirementAt.Equal(before.NextRetirementAt)
}
