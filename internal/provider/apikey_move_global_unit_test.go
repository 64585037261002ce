// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

// officialGlobalKey is the managed_resource block the official provider
// writes for a Global key.
const officialGlobalKey = `[{"id": "global", "kind": "Global", "api_version": "global/v1", "environment": []}]`

// TestAPIKeyMoveState_global checks that a Global confluent_api_key moves
// into ccloud_global_api_key with its ID, owner and secret, and that the
// other organisation-wide resource, ccloud_cloud_api_key, refuses it and
// names the right type.
func TestAPIKeyMoveState_global(t *testing.T) {
	t.Parallel()
	raw := officialKeyState(officialGlobalKey, "")

	r := newAPIKeyResource(ccloud.ScopeGlobal)
	st, handled, diags := runMove(t, r, migrate.SourceAPIKeyType, officialAddress, raw)
	if !handled || diags.HasError() || len(diags) != 0 {
		t.Fatalf("move into %s: handled=%v, diagnostics %v", r.typeName(), handled, diags)
	}
	got := stringAttrs(t, st, r.scope.schema(context.Background()))
	for k, v := range map[string]string{
		"id": "MOVEDKEY00000001", "owner_id": "sa-abc123", "owner_kind": "ServiceAccount",
		"display_name": "orders", "secret": movedSecret, "resource_id": ccloud.ResourceIDGlobal,
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}

	_, handled, diags = runMove(t, newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType, officialAddress, raw)
	if !handled || !diags.HasError() {
		t.Fatalf("move into ccloud_cloud_api_key: handled=%v, diagnostics %v, want an error", handled, diags)
	}
	detail := diags.Errors()[0].Detail()
	for _, want := range []string{"is a Global API key", "cannot become a ccloud_cloud_api_key", "ccloud_global_api_key"} {
		if !strings.Contains(detail, want) {
			t.Errorf("error %q lacks %q", detail, want)
		}
	}
}
