// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"slices"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// TestAPIKeyScopes_matchFacts checks that the provider's table has one row
// per ccloud.Scopes row, in the same order, and that each row's schema
// attributes are the arguments the facts name: the migration generator and
// import build arguments from the facts, so a schema that named them
// differently would lose them.
func TestAPIKeyScopes_matchFacts(t *testing.T) {
	t.Parallel()
	if len(apiKeyScopes) != len(ccloud.Scopes) {
		t.Fatalf("the provider has %d scope rows, ccloud %d", len(apiKeyScopes), len(ccloud.Scopes))
	}
	for i, row := range apiKeyScopes {
		f := &ccloud.Scopes[i]
		if row.scope != f.Scope || row.facts != f {
			t.Errorf("row %d is scope %q, its facts %q; ccloud.Scopes[%d] is %q", i, row.scope, row.facts.Scope, i, f.Scope)
		}
		var names []string
		for _, a := range row.attributes {
			names = append(names, a.name)
		}
		if !slices.Equal(names, f.Arguments) {
			t.Errorf("%s: the schema's scope attributes are %v, the facts' arguments %v", row.typeName, names, f.Arguments)
		}
		if got := ccloud.ScopeOf(row.reference(row.example)); got != row.scope {
			t.Errorf("%s: the example's reference reads as scope %q", row.typeName, got)
		}
	}
}
