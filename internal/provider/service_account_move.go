// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

// ccloud_service_account accepts `moved` blocks from the official
// provider's confluent_service_account, so that switching providers keeps
// the account (and with it its role bindings and keys).
var _ resource.ResourceWithMoveState = (*serviceAccountResource)(nil)

// MoveState lets a `moved` block turn a confluent_service_account of the
// official provider into a ccloud_service_account. The source's raw JSON
// state is read, since its schema belongs to another provider.
func (r *serviceAccountResource) MoveState(_ context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveFromConfluent}}
}

func (r *serviceAccountResource) moveFromConfluent(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if !migrate.IsMoveSource(req.SourceProviderAddress, req.SourceTypeName) {
		return
	}
	if req.SourceTypeName == migrate.SourceAPIKeyType {
		// Name the key resource the key belongs in, when its state says.
		want := "one of the ccloud_*_api_key resource types"
		if k, err := migrate.ParseAPIKey(rawStateJSON(req)); err == nil {
			want = k.TargetType()
		}
		resp.Diagnostics.AddError("Wrong target resource type for a moved block",
			fmt.Sprintf("A confluent_api_key cannot become a ccloud_service_account. Move it to %s instead: "+
				"change the moved block's `to` address and the resource block to match. `go run ./tools/migrate` "+
				"picks the right type for every key.", want))
		return
	}

	sa, err := migrate.ParseServiceAccount(rawStateJSON(req))
	if err != nil {
		resp.Diagnostics.AddError("Cannot move confluent_service_account to ccloud_service_account",
			moveErrorDetail(err, req.SourceSchemaVersion))
		return
	}
	// created_at and resource_name are filled by the refresh that follows
	// every move.
	for name, v := range map[string]any{
		"id":            types.StringValue(sa.ID),
		"display_name":  types.StringValue(sa.DisplayName),
		"description":   nullIfEmpty(sa.Description),
		"force_destroy": types.BoolValue(false),
	} {
		resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, path.Root(name), v)...)
	}
	resp.Diagnostics.Append(setIdentityID(ctx, resp.TargetIdentity, types.StringValue(sa.ID))...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "moved a confluent_service_account", map[string]any{"id": sa.ID})
}
