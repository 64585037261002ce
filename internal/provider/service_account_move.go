// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ccloud_service_account accepts `moved` blocks from the official
// provider's confluent_service_account, so that switching providers keeps
// the account (and with it its role bindings and keys).
var _ resource.ResourceWithMoveState = (*serviceAccountResource)(nil)

// confluentServiceAccountState is the state of a confluent_service_account
// at schema version 0. Its api_version and kind have no counterpart here.
type confluentServiceAccountState struct {
	ID          string  `json:"id"`
	DisplayName *string `json:"display_name"`
	Description *string `json:"description"`
}

// parseConfluentServiceAccount reads the raw state of a
// confluent_service_account.
func parseConfluentServiceAccount(raw []byte) (*confluentServiceAccountState, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("the source state has no JSON data; Terraform 0.12 and later always write it, so " +
			"refresh the source with the confluentinc/confluent provider first")
	}
	var src confluentServiceAccountState
	if err := json.Unmarshal(raw, &src); err != nil {
		return nil, fmt.Errorf("the source state is not a confluent_service_account state this provider can read: %w", err)
	}
	if src.ID == "" {
		return nil, fmt.Errorf("the source state has no id")
	}
	if src.DisplayName == nil || *src.DisplayName == "" {
		return nil, fmt.Errorf("the source state of service account %s has no display_name", src.ID)
	}
	return &src, nil
}

// MoveState lets a `moved` block turn a confluent_service_account of the
// official provider into a ccloud_service_account. The source's raw JSON
// state is read, since its schema belongs to another provider.
func (r *serviceAccountResource) MoveState(_ context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveFromConfluent}}
}

func (r *serviceAccountResource) moveFromConfluent(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if !isConfluentProvider(req.SourceProviderAddress) {
		return
	}
	raw := rawStateJSON(req)
	switch req.SourceTypeName {
	case confluentServiceAccountType:
	case confluentAPIKeyType:
		// Name the key resource the key belongs in, when its state says.
		want := "one of the ccloud_*_api_key resource types"
		if m, err := parseConfluentAPIKey(raw); err == nil {
			want = "ccloud_" + scopeRow(m.scope).typeName
		}
		resp.Diagnostics.AddError("Wrong target resource type for a moved block",
			fmt.Sprintf("A confluent_api_key cannot become a ccloud_service_account. Move it to %s instead: "+
				"change the moved block's `to` address and the resource block to match. `go run ./tools/migrate` "+
				"picks the right type for every key.", want))
		return
	default:
		return
	}

	src, err := parseConfluentServiceAccount(raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot move confluent_service_account to ccloud_service_account",
			moveErrorDetail(err, req.SourceSchemaVersion))
		return
	}
	// The official provider writes "" for an account without a
	// description, which this provider keeps null when the configuration
	// leaves it out. created_at and resource_name are filled by the refresh
	// that follows every move.
	for name, v := range map[string]any{
		"id":            types.StringValue(src.ID),
		"display_name":  types.StringValue(*src.DisplayName),
		"description":   nonEmptyString(src.Description),
		"force_destroy": types.BoolValue(false),
	} {
		resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, path.Root(name), v)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "moved a confluent_service_account", map[string]any{"id": src.ID})
}
