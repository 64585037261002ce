// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

// The key resources accept `moved` blocks from the official provider's
// confluent_api_key, so that switching providers keeps every key and its
// secret instead of rotating them all.
var _ resource.ResourceWithMoveState = (*apiKeyResource)(nil)

// MoveState lets a `moved` block turn a confluent_api_key of the official
// provider into this resource type. The source schema is not declared: it
// belongs to another provider, so its raw JSON state is read instead.
func (r *apiKeyResource) MoveState(_ context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveFromConfluent}}
}

func (r *apiKeyResource) moveFromConfluent(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if !migrate.IsMoveSource(req.SourceProviderAddress, req.SourceTypeName) {
		// Not ours to handle: the framework reports that no mover matched.
		return
	}
	if req.SourceTypeName == migrate.SourceServiceAccountType {
		resp.Diagnostics.AddError("Wrong target resource type for a moved block",
			fmt.Sprintf("A confluent_service_account cannot become a %s. Move it to ccloud_service_account "+
				"instead: change the moved block's `to` address and the resource block to ccloud_service_account.",
				r.typeName()))
		return
	}

	k, err := migrate.ParseAPIKey(rawStateJSON(req))
	if err != nil {
		resp.Diagnostics.AddError("Cannot move confluent_api_key to "+r.typeName(), moveErrorDetail(err, req.SourceSchemaVersion))
		return
	}
	if k.Scope != r.scope.scope {
		resp.Diagnostics.AddError("Wrong target resource type for a moved block", r.wrongScopeDetail(k))
		return
	}
	resp.Diagnostics.Append(r.setMovedState(ctx, &resp.TargetState, k)...)
	resp.Diagnostics.Append(setIdentityID(ctx, resp.TargetIdentity, types.StringValue(k.ID))...)
	if resp.Diagnostics.HasError() {
		return
	}
	if k.Secret == "" {
		resp.Diagnostics.AddWarning("API key secret not in the moved state",
			fmt.Sprintf("The state of confluent_api_key %s holds no secret, so the secret attribute of the %s is "+
				"null. The key itself is unchanged; rotate it to get a new secret into state.", k.ID, r.typeName()))
	}
	tflog.Debug(ctx, "moved a confluent_api_key", map[string]any{"key_id": k.ID, "target": r.typeName()})
}

// rawStateJSON is the source's raw state, or nil when it has none.
func rawStateJSON(req resource.MoveStateRequest) []byte {
	if req.SourceRawState == nil {
		return nil
	}
	return req.SourceRawState.JSON
}

// moveErrorDetail explains a source state that could not be read. The
// official provider has only had schema version 0; a later one may have
// changed its shape, which is worth saying.
func moveErrorDetail(err error, version int64) string {
	detail := "The moved block's source could not be converted: " + err.Error() + "."
	if version != 0 {
		detail += fmt.Sprintf("\n\nThe source state has schema version %d; this provider reads version 0, the "+
			"version of every confluentinc/confluent release it was built against.", version)
	}
	return detail
}

// wrongScopeDetail names the resource type a key must move to.
func (r *apiKeyResource) wrongScopeDetail(k *migrate.APIKey) string {
	want := scopeRow(k.Scope)
	return fmt.Sprintf("confluent_api_key %s (%s) is a %s API key, so it cannot become a %s. Move it to "+
		"%s instead: change the moved block's `to` address and the resource block to %s. "+
		"`go run ./tools/migrate` picks the right type for every key.",
		k.ID, k.Source, want.title(), r.typeName(), k.TargetType(), k.TargetType())
}

// setMovedState writes the moved key to the target state attribute by
// attribute, starting from a null object. Attributes not set here stay
// null: those the source lacks (created_at) are filled by the refresh that
// follows every move, and those that only the configuration knows
// (rotation_triggers, rotation_period, timeouts) are null in an imported
// key's state too, which the plan modifiers treat as "nothing to rotate".
func (r *apiKeyResource) setMovedState(ctx context.Context, st interface {
	SetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, k *migrate.APIKey) diag.Diagnostics {
	var diags diag.Diagnostics
	set := func(name string, v any) {
		diags.Append(st.SetAttribute(ctx, path.Root(name), v)...)
	}
	set("id", types.StringValue(k.ID))
	set("owner_id", types.StringValue(k.OwnerID))
	set("owner_kind", types.StringValue(k.OwnerKind))
	set("display_name", nullIfEmpty(k.DisplayName))
	set("description", nullIfEmpty(k.Description))
	set("secret", nullIfEmpty(k.Secret))
	set("wait_for_ready", types.BoolValue(k.WaitForReady))
	set("resource_id", types.StringValue(r.scope.resourceID(k.Values)))
	for _, a := range r.scope.attributes {
		set(a.name, types.StringValue(k.Values[a.name]))
	}
	return diags
}

// nullIfEmpty turns a value of the official provider's state into a
// framework string. Its SDK writes "" where a value is unset, while this
// provider keeps such values null when the configuration leaves them out,
// so "" becomes null: otherwise the first plan would show "" changing to
// null.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
