// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// Compile-time checks that the resource implements the interfaces it means to.
var (
	_ resource.Resource                = (*apiKeyResource)(nil)
	_ resource.ResourceWithConfigure   = (*apiKeyResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*apiKeyResource)(nil)
	_ resource.ResourceWithImportState = (*apiKeyResource)(nil)
)

// apiKeyResources returns one resource constructor per row of the scope
// table, in the table's order.
func apiKeyResources() []func() resource.Resource {
	out := make([]func() resource.Resource, 0, len(apiKeyScopes))
	for _, row := range apiKeyScopes {
		out = append(out, func() resource.Resource { return &apiKeyResource{scope: row} })
	}
	return out
}

func (r *apiKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.scope.typeName
	apiKeyIdentityMutable(resp)
}

func (r *apiKeyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.scope.schema(ctx)
}

// schema is the resource schema of the scope: the attributes it shares with
// the ephemeral resource (see apikey_attributes.go), plus those of managed
// keys only.
func (s *apiKeyScope) schema(ctx context.Context) schema.Schema {
	attrs := map[string]schema.Attribute{
		"rotation_triggers": schema.MapAttribute{
			Description: "Arbitrary values that rotate the key when any of them changes: the key is replaced by a " +
				"new one (or, with `grace_period`, rotated in place). Use it to rotate on demand (bump a value) or " +
				"on a schedule kept elsewhere, for example the `id` of a `time_rotating` resource or a CI variable. " +
				"Exactly this rotates: a key whose triggers were set, changed from one non-empty set of values to " +
				"another (a value changed, added or removed). Setting triggers on a key that has none (such as a " +
				"freshly imported key), or removing them all, records the change without rotating; an empty map " +
				"`{}` counts as no triggers, like null.",
			ElementType: types.StringType,
			Optional:    true,
			// Whether a change rotates the key is the rotation planner's
			// decision (see apikey_rotation_plan.go), applied by ModifyPlan.
		},
		"rotation_period": schema.StringAttribute{
			Description: "How long a key lives before it is rotated, in days (`d`), hours (`h`) and minutes (`m`), " +
				"for example `\"90d\"`, `\"2160h\"` or `\"1d12h\"`; at least one hour. Once `created_at` plus the " +
				"period has passed, the next plan replaces the key (or, with `grace_period`, rotates it in place), " +
				"with a warning. A missed schedule rotates once. " + rotationPeriodRulesNote,
			Optional:   true,
			Validators: []validator.String{rotationPeriodValidator, outlastsGrace{}},
		},
		"wait_for_ready": schema.BoolAttribute{
			Description: "Wait after creating the key until it authenticates on its " + s.title() + " endpoint, so " +
				"that resources and applications using it right away do not fail while it propagates. A 401 means " +
				"not yet. Keys created together for an endpoint let one of them probe: at once, then about a third " +
				"of the time waited apart (at least 0.8 s); later keys are first probed about when earlier ones " +
				"worked, then about a twelfth of the time waited apart. A 403 (the owner lacks " +
				"permissions) counts as ready, with a warning. Outages are retried, and a key deleted meanwhile " +
				"fails the apply within seconds. The wait is bounded by the create timeout. Set it to `false` when " +
				"the endpoint is not reachable from where Terraform runs (for example a private cluster). " +
				"Defaults to `true`.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
		},
		"rotation_due_at": schema.StringAttribute{
			Description: "When the key is due for rotation (`created_at` plus `rotation_period`), in RFC 3339 " +
				"format; null without a `rotation_period`.",
			Computed: true,
		},
	}
	for name, a := range sealingAttributes() {
		attrs[name] = a
	}
	for name, a := range graceAttributes() {
		attrs[name] = a
	}
	for _, a := range s.keyAttributes() {
		attrs[a.name] = a.resourceAttribute()
	}
	return schema.Schema{
		Description: s.description,
		Attributes:  attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true,
				CreateDescription: "How long creating the key may take, including the wait until it works " +
					"(see `wait_for_ready`), as a duration such as `\"10m\"`. Defaults to 10 minutes.",
			}),
		},
	}
}

func (r *apiKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Create creates the key, saves it to state at once, waits until it works
// and finally hands it over to Terraform by restoring its description.
func (r *apiKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	ctx, cancel, timeout := plan.createContext(ctx, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	values, _ := plan.values()
	nk := &newKey{
		spec:        r.scope.createSpec(plan.OwnerID.ValueString(), plan.DisplayName.ValueString(), plan.Description.ValueString(), values),
		description: plan.Description,
	}
	target := r.scope.target(client, values)
	if plan.WaitForReady.ValueBool() {
		if err := checkProbeEndpoint(ctx, r.data.engine, target); err != nil {
			resp.Diagnostics.AddError("Error creating "+r.scope.title()+" API key", probeEndpointErrorDetail(r.typeName(), err))
			return
		}
	}
	var err error
	nk.key, err = r.data.engine.Create(ctx, nk.spec, keyengine.CreateOptions{})
	addAbandonedWarning(&resp.Diagnostics, r.data.engine, nk.spec.Owner.ID)
	if err != nil {
		resp.Diagnostics.AddError("Error creating "+r.scope.title()+" API key", r.createErrorDetail(nk.spec, err))
		return
	}
	tflog.Debug(ctx, "created API key", map[string]any{"key_id": nk.key.ID, "owner_id": nk.spec.Owner.ID})

	r.saveNewKey(ctx, &plan, nk, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	// The wait comes first and the PATCH that restores the description
	// last: until that PATCH the key's create marker holds a lease, so a
	// key whose process dies before handing it over to Terraform is deleted
	// by a later run (see internal/keyengine). Returning early ends ctx,
	// which expires the lease.
	if plan.WaitForReady.ValueBool() && !r.waitNewKey(ctx, target, &plan, nk, timeout, resp) {
		return
	}
	if err := r.handOver(ctx, &plan, nk, resp); err != nil {
		resp.Diagnostics.AddError("Error creating "+r.scope.title()+" API key",
			fmt.Sprintf("%s %s was created, but setting its final description failed: %s\n\nThe key is saved in "+
				"state and marked tainted; it is deleted and replaced by the next apply.", r.typeName(), nk.key.ID, err))
	}
}

func (r *apiKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Set before anything can remove the resource: a state written before
	// identity existed has none, and the framework wants one either way.
	resp.Diagnostics.Append(setIdentityID(ctx, resp.Identity, state.ID)...)
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	id := state.ID.ValueString()
	// Only import leaves the owner unknown to state.
	importing := state.OwnerID.IsNull()
	// A refresh reads the key from its owner's list, shared with the other
	// keys of that owner. A key missing from the list is read directly:
	// only the GET's answer can say it is gone.
	key, listed := r.data.reads.APIKey(ctx, state.OwnerID.ValueString(), id)
	addAbandonedWarning(&resp.Diagnostics, r.data.engine, state.OwnerID.ValueString())
	var err error
	if !listed {
		key, err = client.GetAPIKey(ctx, id)
	}
	if err != nil {
		if r.data.engine.IsGone(ctx, id, state.OwnerID.ValueString(), err) {
			if r.keepForPreviousKeys(ctx, client, &state, resp) {
				return
			}
			tflog.Info(ctx, "API key no longer exists; removing it from state", map[string]any{"key_id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Error reading "+r.scope.title()+" API key",
			fmt.Sprintf("Could not read %s %s: %s", r.typeName(), id, err))
		return
	}
	if got := ccloud.ScopeOf(key.Spec.Resource); got != r.scope.scope {
		resp.Diagnostics.AddError("Wrong API key type", r.scopeMismatchDetail(key, importing))
		return
	}

	state.setFromKey(key)
	if importing && state.Secret.IsNull() {
		resp.Diagnostics.Append(importSecretWarning(r.typeName(), id))
	}
	if importing {
		// The configuration's scope arguments are not in state yet: take
		// them from the key, and the defaults of the arguments the API does
		// not know.
		for name, v := range r.scope.fromReference(key.Spec.Resource) {
			state.scope[name] = types.StringValue(v)
		}
		if state.WaitForReady.IsNull() {
			state.WaitForReady = types.BoolValue(true)
		}
	}
	state.RotationDueAt = rotationDueAtValue(state.CreatedAt, state.RotationPeriod)
	r.refreshPreviousKeys(ctx, client, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.set(ctx, &resp.State, &state)...)
}

// scopeMismatchDetail explains that a key belongs to another resource type.
func (r *apiKeyResource) scopeMismatchDetail(key *ccloud.APIKey, importing bool) string {
	got := ccloud.ScopeOf(key.Spec.Resource)
	desc := describeKeyScope(key.Spec.Resource)
	if row := scopeRow(got); row != nil {
		verb := "Manage"
		if importing {
			verb = "Import"
		}
		return fmt.Sprintf("API key %s is a %s API key (%s), not a %s API key, so %s cannot manage it. %s it as a "+
			"ccloud_%s instead.", key.ID, row.title(), desc, r.scope.title(), r.typeName(), verb, row.typeName)
	}
	return fmt.Sprintf("API key %s is a %s, not a %s API key, and this provider has no resource type for that scope.",
		key.ID, desc, r.scope.title())
}

func (r *apiKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	// A rotation in place changes the key's ID; the identity follows state.
	defer func() { resp.Diagnostics.Append(identityFromState(ctx, &resp.State, resp.Identity)...) }()
	var plan, state apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(r.get(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if plan.ID.IsUnknown() {
		// Only a rotation with a grace period plans a new ID in place.
		r.rotateInPlace(ctx, &state, &plan, resp)
		return
	}

	// Everything but the name and description either forces a replacement
	// or lives in state alone (rotation_period, wait_for_ready, timeouts).
	plan.ID, plan.Secret, plan.OwnerKind = state.ID, state.Secret, state.OwnerKind
	plan.ResourceID, plan.CreatedAt = state.ResourceID, state.CreatedAt
	resp.Diagnostics.Append(sealInUpdate(&plan, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Only the fields that changed are sent, as the API expects. A removed
	// name or description is sent as "", which clears it.
	var upd ccloud.APIKeyUpdateSpec
	if plan.DisplayName.ValueString() != state.DisplayName.ValueString() {
		v := plan.DisplayName.ValueString()
		upd.DisplayName = &v
	}
	if plan.Description.ValueString() != state.Description.ValueString() {
		v := plan.Description.ValueString()
		upd.Description = &v
	}
	if upd.DisplayName != nil || upd.Description != nil {
		client := r.data.clientOrError(&resp.Diagnostics)
		if client == nil {
			return
		}
		key, err := client.UpdateAPIKey(ctx, state.ID.ValueString(), ccloud.APIKeyUpdate{Spec: upd})
		r.data.reads.InvalidateKeys(state.OwnerID.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Error updating "+r.scope.title()+" API key",
				fmt.Sprintf("Could not update %s %s: %s", r.typeName(), state.ID.ValueString(), err))
			return
		}
		plan.setFromKey(key)
	}
	plan.RotationDueAt = rotationDueAtValue(plan.CreatedAt, plan.RotationPeriod)
	r.retirePlanned(ctx, &state, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, &plan)...)
}

func (r *apiKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state apiKeyModel
	resp.Diagnostics.Append(r.get(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data.clientOrError(&resp.Diagnostics) == nil {
		return
	}

	r.deletePreviousKeys(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if err := r.data.deleteAPIKey(ctx, id, state.OwnerID.ValueString()); err != nil {
		resp.Diagnostics.AddError("Error deleting "+r.scope.title()+" API key",
			fmt.Sprintf("Could not delete %s %s: %s", r.typeName(), id, err))
	}
}

func (r *apiKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	// By ID or by identity, the rest of the import is the same.
	id := importIdentity(ctx, r.typeName(), req, resp)
	if resp.Diagnostics.HasError() {
		return
	}

	// The API never returns a secret after creation; the operator may hand
	// it over through the environment (see apikey_import_secrets.go).
	// Without a secret, the warning that says so comes from Read, once the
	// key is known to be of this resource's type (see importSecretWarning).
	secret, diags := importedSecret(r.typeName(), id)
	resp.Diagnostics.Append(diags...)
	if secret != "" && !diags.HasError() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("secret"), secret)...)
	}
}
