// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
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

// retire deletes keys and returns those it could not delete. A key that is
// already gone counts as deleted.
func (r *apiKeyResource) retire(ctx context.Context, owner string, keys []previousKeyModel, diags *diag.Diagnostics) []previousKeyModel {
	var failed []previousKeyModel
	for _, k := range keys {
		id := k.ID.ValueString()
		if err := r.data.deleteAPIKey(ctx, id, owner); err != nil {
			failed = append(failed, k)
			diags.AddError("Error retiring previous "+r.scope.title+" API key",
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
		resp.Diagnostics.AddError("Error rotating "+r.scope.title+" API key", r.graceCreateErrorDetail(state, spec, err))
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
	resp.Diagnostics.AddError("Error rotating "+r.scope.title+" API key",
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
			diags.AddError("Error reading previous "+r.scope.title+" API key",
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

// createdKey is the outcome of createReadyKey once a key exists.
type createdKey struct {
	// key is the new key, with its final description when that was set.
	key    *ccloud.APIKey
	secret string
	// failure explains why the key cannot be used: it never worked within
	// the timeout, or its description could not be restored. Empty when the
	// key is ready.
	failure string
}

// createReadyKey creates a key for spec through the engine's orphan-safe
// create, waits until it works and then restores its description. It
// returns nil only when no key was created.
func (r *apiKeyResource) createReadyKey(ctx context.Context, client *ccloud.Client, spec ccloud.APIKeyCreateSpec,
	wait bool, values scopeValues, timeout time.Duration,
) (*createdKey, error) {
	engine := r.data.engine
	target := r.scope.target(client, values)
	if wait {
		if err := checkProbeEndpoint(ctx, engine, target); err != nil {
			return nil, err
		}
	}
	key, err := engine.Create(ctx, spec, keyengine.CreateOptions{})
	if err != nil {
		return nil, err
	}
	tflog.Debug(ctx, "created API key for an in-place rotation", map[string]any{"key_id": key.ID, "owner_id": spec.Owner.ID})
	out := &createdKey{key: key, secret: key.Spec.Secret}

	// Unlike Create, the description is restored only once the key works.
	// Until then the key carries its create marker, which is what lets the
	// engine find and delete it should this process die before Terraform
	// saves the rotation (see internal/keyengine); a key with its final
	// description and not yet in state would be an orphan nobody can
	// recognise. The PATCH costs one round trip on the rotation's path.
	if wait {
		if _, err := engine.WaitReady(ctx, target, key.ID, key.Spec.Secret); err != nil {
			out.failure = readinessErrorDetail(r.typeName(), key.ID, timeout, err)
			return out, nil
		}
	}
	restored, err := engine.FinishCreate(ctx, key, spec.Description)
	if err != nil {
		out.failure = fmt.Sprintf("%s %s was created, but setting its final description failed: %s", r.typeName(), key.ID, err)
		return out, nil
	}
	out.key = restored
	return out, nil
}
