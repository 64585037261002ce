// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"maps"
	"testing"
)

// TestScopes_rows checks each row of the scope table for the facts the other
// packages rely on: one ID form, an example ID that reads as the row's scope,
// a reference whose arguments survive the round trip, and an official
// api_version that maps back to the row.
func TestScopes_rows(t *testing.T) {
	t.Parallel()
	seen := map[Scope]bool{}
	for i := range Scopes {
		f := &Scopes[i]
		if seen[f.Scope] {
			t.Errorf("scope %q has two rows", f.Scope)
		}
		seen[f.Scope] = true
		forms := 0
		for _, set := range []bool{f.IDPrefix != "", f.LiteralID != "", f.matchID != nil} {
			if set {
				forms++
			}
		}
		if forms != 1 {
			t.Errorf("%s: %d ID forms, want exactly one", f.Scope, forms)
		}
		if f.Noun == "" || f.Title == "" || f.IDForm == "" || f.ForbiddenHint == "" || f.APIVersion == "" || f.Kind == "" {
			t.Errorf("%s: a fact is missing: %+v", f.Scope, f)
		}
		if got := ScopeOfResourceID(f.ExampleID); got != f.Scope {
			t.Errorf("%s: the example ID %q reads as %q", f.Scope, f.ExampleID, got)
		}
		if FactsOf(f.Scope) != f {
			t.Errorf("%s: FactsOf finds another row", f.Scope)
		}
		for _, v := range f.OfficialAPIVersions {
			if got := ScopeOfOfficialAPIVersion(v); got != f {
				t.Errorf("%s: the official api_version %q maps to %v", f.Scope, v, got)
			}
		}
		args := map[string]string{}
		for _, a := range f.Arguments {
			args[a] = map[string]string{"environment_id": "env-abc123", "cloud": "AWS", "region": "us-east-1"}[a]
			if args[a] == "" {
				args[a] = f.ExampleID
			}
		}
		ref := f.Reference(args)
		if got := ScopeOf(ref); got != f.Scope {
			t.Errorf("%s: the reference %+v reads as %q", f.Scope, ref, got)
		}
		if ref != nil && f.TypedReference != (ref.APIVersion != "") {
			t.Errorf("%s: the reference %+v does not match TypedReference %v", f.Scope, ref, f.TypedReference)
		}
		if got := f.ArgumentsOf(ref); !maps.Equal(got, args) {
			t.Errorf("%s: the arguments %v come back as %v", f.Scope, args, got)
		}
	}
	if FactsOf(ScopeUnknown) != nil {
		t.Error("the unknown scope has a row")
	}
}

// TestForbiddenHint_kafkaNamesACLs checks that the Kafka hint names ACLs,
// which Kafka uses beside role bindings, and that an unknown scope still
// gets a hint.
func TestForbiddenHint_kafkaNamesACLs(t *testing.T) {
	t.Parallel()
	if got := ForbiddenHint(ScopeKafka); got == ForbiddenHint(ScopeUnknown) {
		t.Errorf("the Kafka hint %q is the generic one", got)
	}
	if ForbiddenHint(ScopeUnknown) == "" {
		t.Error("no hint for an unknown scope")
	}
}
