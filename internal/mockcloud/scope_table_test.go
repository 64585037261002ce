// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// TestScopeTable_agreesWithMock walks the client's scope table against the
// mock's own recognition, which is written separately from the wire facts:
// the mock must accept each row's ID form as the row's scope, and the
// spec.resource it answers for a key of that scope must carry the row's
// api_version and kind and an ID the client reads back as the same scope.
// A row the mock does not know, or knows differently, fails here before
// any acceptance test.
func TestScopeTable_agreesWithMock(t *testing.T) {
	t.Parallel()
	w := newWorld(DefaultSeed(), time.Now())
	for _, f := range ccloud.Scopes {
		t.Run(string(f.Scope), func(t *testing.T) {
			ids := []string{f.ExampleID}
			args := map[string]string{}
			for _, a := range f.Arguments {
				args[a] = map[string]string{"environment_id": "env-abc123", "cloud": "AWS", "region": "us-east-1"}[a]
				if args[a] == "" {
					args[a] = f.ExampleID
				}
			}
			if ref := f.Reference(args); ref != nil {
				ids = append(ids, ref.ID)
			}
			for _, id := range ids {
				if got := scopeOfResource(id); string(got) != string(f.Scope) {
					t.Errorf("the mock reads the resource ID %q as scope %q", id, got)
				}
			}
			k := &keyRec{Scope: keyScope(f.Scope), ResourceID: f.ExampleID}
			if f.InEnvironment() {
				k.Environment = "env-abc123"
			}
			ref := w.resourceRef(k, "https://api.example")
			if ref.APIVersion != f.APIVersion || ref.Kind != f.Kind {
				t.Errorf("the mock answers api_version %q, kind %q; the table says %q, %q", ref.APIVersion, ref.Kind, f.APIVersion, f.Kind)
			}
			if got := ccloud.ScopeOfResourceID(ref.ID); got != f.Scope {
				t.Errorf("the mock answers the resource ID %q, which reads as scope %q", ref.ID, got)
			}
		})
	}
}
