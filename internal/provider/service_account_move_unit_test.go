// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

func TestServiceAccountMoveState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &serviceAccountResource{}
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)

	cases := []struct {
		name, raw       string
		wantDescription string
	}{
		{"with description",
			`{"id": "sa-abc123", "api_version": "iam/v2", "kind": "ServiceAccount", "display_name": "orders", "description": "Produces orders."}`,
			"Produces orders."},
		// The official provider writes "" for no description; here it is
		// null, as the configuration leaves it out.
		{"empty description",
			`{"id": "sa-abc123", "api_version": "iam/v2", "kind": "ServiceAccount", "display_name": "orders", "description": ""}`,
			"<null>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, handled, diags := runMove(t, r, migrate.SourceServiceAccountType, "registry.opentofu.org/confluentinc/confluent", tc.raw)
			if !handled || diags.HasError() {
				t.Fatalf("handled=%v diagnostics %v", handled, diags)
			}
			got := stringAttrs(t, st, sresp.Schema)
			for k, v := range map[string]string{
				"id": "sa-abc123", "display_name": "orders", "description": tc.wantDescription,
				"created_at": "<null>", "resource_name": "<null>",
			} {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			var force types.Bool
			st.GetAttribute(ctx, path.Root("force_destroy"), &force)
			if force.IsNull() || force.ValueBool() {
				t.Errorf("force_destroy = %v, want false", force)
			}
		})
	}

	for name, raw := range map[string]string{
		"no display name": `{"id": "sa-abc123", "display_name": ""}`,
		"no id":           `{"display_name": "orders"}`,
	} {
		_, handled, diags := runMove(t, r, migrate.SourceServiceAccountType, officialAddress, raw)
		if !handled || !diags.HasError() {
			t.Errorf("%s: handled=%v diagnostics %v, want an error", name, handled, diags)
		} else if d := diags.Errors()[0].Detail(); !strings.Contains(d, "could not be converted") {
			t.Errorf("%s: unexpected error %q", name, d)
		}
	}
	if _, handled, _ := runMove(t, r, migrate.SourceServiceAccountType, "registry.terraform.io/hashicorp/random",
		`{"id": "sa-abc123", "display_name": "orders"}`); handled {
		t.Error("a source of another provider was handled")
	}
}
