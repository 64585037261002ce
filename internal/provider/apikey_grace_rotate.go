// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The apply side of grace-period rotation (see apikey_grace.go): Update's
// rotation in place, the retirement of the previous keys a plan drops, and
// Read's and Delete's handling of previous keys.

// rotateInPlace rotates a key with a grace period: it creates the new key
// as Create does, makes it current, moves the old key to previous_keys and
// then deletes the previous keys the plan retires. It writes resp.State
// itself at every step that matters, so that whatever fails no key is left
// untracked.
func (r *apiKeyResource) rotateInPlace(ctx context.Context, state, plan *apiKeyModel, resp *resource.UpdateResponse) {
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	prior, d := previousKeys(ctx, state.PreviousKeys)
	resp.Diagnostics.Append(d...)
	planned, d := previousKeys(ctx, plan.PreviousKeys)
	resp.Diagnostics.Append(d...)
	gracePeriod, err := parseRotationPeriod(plan.GracePeriod.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("grace_period"), "Invalid grace period", err.Error())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout := plan.createContext(ctx, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	values, _ := plan.values()
	spec := r.scope.createSpec(state.OwnerID.ValueString(), plan.DisplayName.ValueString(), plan.Description.ValueString(), values)
	created, err := r.createReadyKey(ctx, client, spec, plan.WaitForReady.ValueBool(), values, timeout)
	if created == nil {
		// No key was created: the old one stays current, untouched.
		resp.Diagnostics.AddError("Error rotating "+r.scope.title()+" API key", r.graceCreateErrorDetail(state, spec, err))
		return
	}
	oldID := state.ID.ValueString()
	rotatedAt := r.now()
	if created.failure != "" {
		r.abandonRotation(ctx, state, prior, created, rotatedAt, resp)
		return
	}

	// The new key is current and works; the old one joins the previous keys
	// until the end of its grace period.
	for i := range planned {
		if planned[i].ID.ValueString() == oldID {
			planned[i].RetireAt = types.StringValue(rotatedAt.Add(gracePeriod).UTC().Format(time.RFC3339))
			planned[i].CreatedAt = state.CreatedAt
		}
	}
	if d := sealCreated(plan, created.secret); d.HasError() {
		// Sealing follows validated recipients, so this is unexpected; a
		// key whose secret nobody can read is no rotation.
		created.failure = fmt.Sprintf("%s %s was created, but its secret could not be sealed to secret_recipients "+
			"(%s)", r.typeName(), created.key.ID, d[0].Summary())
		r.abandonRotation(ctx, state, prior, created, rotatedAt, resp)
		return
	}
	plan.setFromKey(created.key)
	plan.RotationDueAt = rotationDueAtValue(plan.CreatedAt, plan.RotationPeriod)

	// The keys the plan retires are still tracked until they are deleted.
	gone := retirees(prior, planned)
	plan.setPrevious(ctx, append(append([]previousKeyModel(nil), gone...), planned...), &resp.Diagnostics)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, plan)...)
	if len(gone) == 0 || resp.Diagnostics.HasError() {
		return
	}
	failed := r.retire(ctx, state.OwnerID.ValueString(), gone, &resp.Diagnostics)
	plan.setPrevious(ctx, append(failed, planned...), &resp.Diagnostics)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, plan)...)
}

// abandonRotation undoes a rotation whose new key never worked, or whose
// description could not be restored: the old key
// stays current and the configuration's new trigger values are not
// recorded, so the next apply tries the rotation again. The new key is
// deleted; if that fails too it is kept in previous_keys, already due, so
// that the next plan deletes it, rather than being left untracked.
func (r *apiKeyResource) abandonRotation(ctx context.Context, state *apiKeyModel,
	prior []previousKeyModel, created *createdKey, rotatedAt time.Time, resp *resource.UpdateResponse,
) {
	newID := created.key.ID
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), retireTimeout)
	defer cancel()
	failed := r.retire(dctx, state.OwnerID.ValueString(), []previousKeyModel{{ID: types.StringValue(newID)}}, &resp.Diagnostics)
	keys := prior
	what := "the new key " + newID + " has been deleted"
	if len(failed) > 0 {
		keys = append(append([]previousKeyModel(nil), prior...), previousKeyModel{
			ID:        types.StringValue(newID),
			CreatedAt: rfc3339String(created.key.Metadata.CreatedAt),
			RetireAt:  types.StringValue(rotatedAt.UTC().Format(time.RFC3339)),
		})
		what = "deleting the new key " + newID + " failed too, so it is kept in previous_keys, already due, and the " +
			"next apply deletes it"
	}
	restored := *state
	restored.setPrevious(ctx, keys, &resp.Diagnostics)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, &restored)...)
	resp.Diagnostics.AddError("Error rotating "+r.scope.title()+" API key",
		fmt.Sprintf("%s\n\nThe rotation is undone: %s. Key %s is still the current key of %s and nothing was "+
			"retired; the next apply rotates again.", created.failure, what, state.ID.ValueString(), r.typeName()))
}

// graceCreateErrorDetail explains a failed create during an in-place
// rotation. A quota error says that the grace window holds extra keys.
func (r *apiKeyResource) graceCreateErrorDetail(state *apiKeyModel, spec ccloud.APIKeyCreateSpec, err error) string {
	var endpoint *probeEndpointError
	if errors.As(err, &endpoint) {
		return probeEndpointErrorDetail(r.typeName(), err) + fmt.Sprintf("\n\nKey %s is still the current key and "+
			"nothing was retired.", state.ID.ValueString())
	}
	detail := r.createErrorDetail(spec, err)
	if !ccloud.IsQuotaExceeded(err) {
		return detail + fmt.Sprintf("\n\nKey %s is still the current key and nothing was retired.", state.ID.ValueString())
	}
	n := len(state.PreviousKeys.Elements())
	return fmt.Sprintf("%s\n\nWith grace_period, an in-place rotation needs room for one more key than the owner "+
		"holds for this resource now: the new key is created while the current key %s and its %d previous key(s) "+
		"still exist, and the old key then stays for its grace period, so up to max_previous_keys + 1 keys per "+
		"resource count against the quota. Lower max_previous_keys or shorten grace_period, or raise the quota. "+
		"Key %s is still the current key and nothing was retired.", detail, state.ID.ValueString(), n, state.ID.ValueString())
}

// retire deletes keys and returns those it could not delete. A key that is
// already gone counts as deleted.
func (r *apiKeyResource) retire(ctx context.Context, owner string, keys []previousKeyModel, diags *diag.Diagnostics) []previousKeyModel {
	var failed []previousKeyModel
	for _, k := range keys {
		id := k.ID.ValueString()
		if err := r.data.deleteAPIKey(ctx, id, owner); err != nil {
			failed = append(failed, k)
			diags.AddError("Error retiring previous "+r.scope.title()+" API key",
				fmt.Sprintf("Could not delete previous key %s of %s: %s\n\nThe key stays in previous_keys, and the next "+
					"apply tries again.", id, r.typeName(), err))
			continue
		}
		tflog.Info(ctx, "retired a previous API key", map[string]any{"key_id": id, "owner_id": owner})
	}
	return failed
}

// retirePlanned deletes the previous keys the plan dropped, in an update
// that does not rotate, and records what is left in plan.
func (r *apiKeyResource) retirePlanned(ctx context.Context, state, plan *apiKeyModel, diags *diag.Diagnostics) {
	prior, d := previousKeys(ctx, state.PreviousKeys)
	diags.Append(d...)
	planned, d := previousKeys(ctx, plan.PreviousKeys)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	gone := retirees(prior, planned)
	if len(gone) > 0 {
		if r.data.clientOrError(diags) == nil {
			return
		}
		planned = append(r.retire(ctx, state.OwnerID.ValueString(), gone, diags), planned...)
	}
	l, d := previousKeysValue(ctx, planned)
	diags.Append(d...)
	plan.PreviousKeys = l
	plan.NextRetirementAt = nextRetirement(planned)
}

// refreshPreviousKeys drops previous keys that no longer exist. Like the
// current key, a previous key counts as gone only on a real "gone" answer.
func (r *apiKeyResource) refreshPreviousKeys(ctx context.Context, client *ccloud.Client, m *apiKeyModel, diags *diag.Diagnostics) {
	if m.MaxPreviousKeys.IsNull() {
		// Imported, or saved before this attribute existed.
		m.MaxPreviousKeys = types.Int64Value(defaultMaxPreviousKeys)
	}
	prev, d := previousKeys(ctx, m.PreviousKeys)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	owner := m.OwnerID.ValueString()
	var kept []previousKeyModel
	for _, k := range prev {
		id := k.ID.ValueString()
		if _, listed := r.data.reads.APIKey(ctx, owner, id); listed {
			kept = append(kept, k)
			continue
		}
		_, err := client.GetAPIKey(ctx, id)
		switch {
		case err == nil:
			kept = append(kept, k)
		case r.data.engine.IsGone(ctx, id, owner, err):
			tflog.Info(ctx, "previous API key no longer exists; removing it from previous_keys", map[string]any{"key_id": id})
		default:
			diags.AddError("Error reading previous "+r.scope.title()+" API key",
				fmt.Sprintf("Could not read previous key %s of %s %s: %s", id, r.typeName(), m.ID.ValueString(), err))
			return
		}
	}
	m.setPrevious(ctx, kept, diags)
}

// keepForPreviousKeys handles a current key deleted outside Terraform. With
// no previous keys left the resource is simply gone; with some, forgetting
// the resource would orphan them, so it stays in state marked for
// replacement, and it reports true.
func (r *apiKeyResource) keepForPreviousKeys(ctx context.Context, client *ccloud.Client, m *apiKeyModel, resp *resource.ReadResponse) bool {
	if len(m.PreviousKeys.Elements()) == 0 {
		return false
	}
	r.refreshPreviousKeys(ctx, client, m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return true
	}
	if len(m.PreviousKeys.Elements()) == 0 {
		return false
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateCurrentGone, []byte(`true`))...)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, m)...)
	return true
}

// deletePreviousKeys deletes every previous key of a resource being
// destroyed or replaced, before its current key: should a delete fail, the
// resource stays in state with its current key, so nothing is forgotten.
func (r *apiKeyResource) deletePreviousKeys(ctx context.Context, m *apiKeyModel, diags *diag.Diagnostics) {
	prev, d := previousKeys(ctx, m.PreviousKeys)
	diags.Append(d...)
	if diags.HasError() || len(prev) == 0 {
		return
	}
	r.retire(ctx, m.OwnerID.ValueString(), prev, diags)
}
