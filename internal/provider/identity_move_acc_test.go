// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccMoveState_identity moves, on Terraform 1.12 or later, the state of
// the official provider's accounts and keys (one key of every scope) into
// this provider's resources with moved blocks. Every moved object has an
// identity, its ID: in the prior state of a plan made without refresh,
// where only MoveState can have set it (Read has not run), and in the state
// after the apply. The cloud sees no change.
//
// OpenTofu 1.12.6 drops the identity a provider returns from MoveState (its
// plugin client never reads the response's target identity), so there the
// identity arrives with the first refresh after the move, which the test
// checks instead.
func TestAccMoveState_identity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	r := newMigrationRunner(t, env)
	r.SkipBelow(tfversion.Version1_12_0)
	w := newMigrationWorld(t, env.Mock)

	r.WriteFile("terraform.tfstate", w.state)
	r.WriteFile("main.tf", migrationTerraformBlock+"\n"+env.ProviderConfig())
	r.MustRun(0, "init", "-input=false", "-no-color")
	gen, err := migrate.Generate([]byte(r.MustRun(0, "show", "-json").Stdout))
	if err != nil {
		t.Fatalf("generating the migration: %v", err)
	}
	r.WriteFile("migrate.tf", string(gen.HCL))
	env.Mock.ResetCounters()

	r.MustRun(0, "plan", "-refresh=false", "-out=tfplan", "-input=false", "-no-color")
	var plan tfjson.Plan
	if err := json.Unmarshal([]byte(r.MustRun(0, "show", "-json", "tfplan").Stdout), &plan); err != nil {
		t.Fatal(err)
	}
	tofu := r.OpenTofu()
	if !tofu {
		expectMovedIdentities(t, w, "the plan's prior state (set by MoveState)", plan.PriorState)
	}

	r.MustRun(0, "apply", "-input=false", "-no-color", "tfplan")
	if tofu {
		t.Log("OpenTofu keeps no identity from MoveState: checking the identity after a refresh")
		r.MustRun(0, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	}
	var st tfjson.State
	if err := json.Unmarshal([]byte(r.MustRun(0, "show", "-json").Stdout), &st); err != nil {
		t.Fatal(err)
	}
	expectMovedIdentities(t, w, "the state after the apply", &st)
	if writes := writeRequests(env.Mock); len(writes) != 0 {
		t.Errorf("the move changed the cloud: %v", writes)
	}
}

// expectMovedIdentities checks that st holds every account and key of w,
// under this provider's types only, each with its ID as identity.
func expectMovedIdentities(t *testing.T, w *migrationWorld, where string, st *tfjson.State) {
	t.Helper()
	if st == nil || st.Values == nil || st.Values.RootModule == nil {
		t.Fatalf("%s is empty", where)
	}
	moved := 0
	for _, res := range st.Values.RootModule.Resources {
		if strings.HasPrefix(res.Type, "confluent_") {
			t.Errorf("%s: %s is still there", where, res.Address)
			continue
		}
		id, _ := res.AttributeValues["id"].(string)
		if _, isKey := w.keys[id]; !isKey && !slices.Contains(w.sas, id) {
			t.Errorf("%s: %s holds %q, which the official provider did not create", where, res.Address, id)
		}
		for _, check := range []statecheck.StateCheck{
			statecheck.ExpectIdentity(res.Address, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
			statecheck.ExpectIdentityValueMatchesState(res.Address, tfjsonpath.New("id")),
		} {
			var resp statecheck.CheckStateResponse
			check.CheckState(context.Background(), statecheck.CheckStateRequest{State: st}, &resp)
			if resp.Error != nil {
				t.Errorf("%s: %v", where, resp.Error)
			}
		}
		moved++
	}
	if want := len(w.sas) + len(w.keys); moved != want {
		t.Errorf("%s holds %d objects, want %d", where, moved, want)
	}
}
