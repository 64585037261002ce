// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

// movedSecret is a well-formed secret for the move tests; only its presence
// in the target state matters.
const movedSecret = "cfltmovedsecretvalue"

// officialAddress is the official provider's address as Terraform sends it.
const officialAddress = "registry.terraform.io/confluentinc/confluent"

// runMove runs a resource's state movers the way the framework does: the
// first one that sets state or reports an error wins. It returns the target
// state, whether any mover handled the request, and the diagnostics.
func runMove(t *testing.T, r resource.ResourceWithMoveState, sourceType, address, raw string) (tfsdk.State, bool, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	s := sresp.Schema
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	for _, mover := range r.MoveState(ctx) {
		resp := resource.MoveStateResponse{TargetState: tfsdk.State{Schema: s, Raw: null}}
		mover.StateMover(ctx, resource.MoveStateRequest{
			SourceTypeName:        sourceType,
			SourceProviderAddress: address,
			SourceRawState:        &tfprotov6.RawState{JSON: []byte(raw)},
		}, &resp)
		if resp.Diagnostics.HasError() || !resp.TargetState.Raw.Equal(null) {
			return resp.TargetState, true, resp.Diagnostics
		}
	}
	return tfsdk.State{}, false, nil
}

// stringAttrs reads every string attribute of a moved state, "<null>" for
// null ones.
func stringAttrs(t *testing.T, st tfsdk.State, s schema.Schema) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, a := range s.Attributes {
		if _, ok := a.(schema.StringAttribute); !ok {
			continue
		}
		var v types.String
		if d := st.GetAttribute(context.Background(), path.Root(name), &v); d.HasError() {
			t.Fatalf("reading %s: %v", name, d)
		}
		if v.IsNull() {
			out[name] = "<null>"
		} else {
			out[name] = v.ValueString()
		}
	}
	return out
}

// officialKeyState renders a confluent_api_key state the way the official
// provider's SDK stores it: nested blocks as JSON lists, unset strings as "".
func officialKeyState(managedResource, extra string) string {
	return `{
  "id": "MOVEDKEY00000001",
  "display_name": "orders",
  "description": "",
  "disable_wait_for_ready": false,
  "owner": [{"id": "sa-abc123", "kind": "ServiceAccount", "api_version": "iam/v2"}],
  "managed_resource": ` + managedResource + `,
  "secret": "` + movedSecret + `"` + extra + `
}`
}

func TestAPIKeyMoveState_scopes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name            string
		managedResource string
		scope           ccloud.Scope
		want            map[string]string
	}{
		{
			name:            "kafka",
			managedResource: `[{"id": "lkc-abc123", "kind": "Cluster", "api_version": "cmk/v2", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeKafka,
			want:            map[string]string{"cluster_id": "lkc-abc123", "environment_id": "env-abc123", "resource_id": "lkc-abc123"},
		},
		{
			name:            "schema registry srcm/v2",
			managedResource: `[{"id": "lsrc-abc123", "kind": "Cluster", "api_version": "srcm/v2", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeSchemaRegistry,
			want:            map[string]string{"schema_registry_id": "lsrc-abc123", "environment_id": "env-abc123", "resource_id": "lsrc-abc123"},
		},
		{
			name:            "schema registry srcm/v3",
			managedResource: `[{"id": "lsrc-abc123", "kind": "SchemaRegistry", "api_version": "srcm/v3", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeSchemaRegistry,
			want:            map[string]string{"schema_registry_id": "lsrc-abc123", "environment_id": "env-abc123", "resource_id": "lsrc-abc123"},
		},
		{
			name:            "ksqldb",
			managedResource: `[{"id": "lksqlc-abc123", "kind": "Cluster", "api_version": "ksqldbcm/v2", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeKsqlDB,
			want:            map[string]string{"ksqldb_cluster_id": "lksqlc-abc123", "environment_id": "env-abc123", "resource_id": "lksqlc-abc123"},
		},
		{
			name:            "flink",
			managedResource: `[{"id": "aws.us-east-1", "kind": "Region", "api_version": "fcpm/v2", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeFlink,
			want:            map[string]string{"environment_id": "env-abc123", "cloud": "AWS", "region": "us-east-1", "resource_id": "aws.us-east-1"},
		},
		{
			name:            "flink legacy region ID with the environment in it",
			managedResource: `[{"id": "env-old999.gcp.us-central1", "kind": "Region", "api_version": "fcpm/v2", "environment": []}]`,
			scope:           ccloud.ScopeFlink,
			want:            map[string]string{"environment_id": "env-old999", "cloud": "GCP", "region": "us-central1", "resource_id": "gcp.us-central1"},
		},
		{
			name:            "flink legacy region ID and an environment block",
			managedResource: `[{"id": "env-old999.azure.centralus", "kind": "Region", "api_version": "fcpm/v2", "environment": [{"id": "env-abc123"}]}]`,
			scope:           ccloud.ScopeFlink,
			want:            map[string]string{"environment_id": "env-abc123", "cloud": "AZURE", "region": "centralus", "resource_id": "azure.centralus"},
		},
		{
			name:            "tableflow",
			managedResource: `[{"id": "tableflow", "kind": "Tableflow", "api_version": "tableflow/v1", "environment": []}]`,
			scope:           ccloud.ScopeTableflow,
			want:            map[string]string{"resource_id": "tableflow"},
		},
		{
			name:            "cloud",
			managedResource: `[]`,
			scope:           ccloud.ScopeCloud,
			want:            map[string]string{"resource_id": "cloud"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newAPIKeyResource(tc.scope)
			st, handled, diags := runMove(t, r, migrate.SourceAPIKeyType, officialAddress, officialKeyState(tc.managedResource, ""))
			if !handled || diags.HasError() {
				t.Fatalf("move into %s: handled=%v, diagnostics %v", r.typeName(), handled, diags)
			}
			if len(diags) != 0 {
				t.Errorf("unexpected diagnostics: %v", diags)
			}
			got := stringAttrs(t, st, r.scope.schema(context.Background()))
			want := map[string]string{
				"id":              "MOVEDKEY00000001",
				"owner_id":        "sa-abc123",
				"owner_kind":      "ServiceAccount",
				"display_name":    "orders",
				"description":     "<null>", // "" in the source
				"secret":          movedSecret,
				"rotation_period": "<null>",
				"created_at":      "<null>", // filled by the refresh
				"rotation_due_at": "<null>",
			}
			for k, v := range tc.want {
				want[k] = v
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			// Every other string attribute, including those other features
			// add, is null: the move sets only what the source knows.
			for k := range got {
				if _, ok := want[k]; !ok && got[k] != "<null>" {
					t.Errorf("unexpected string attribute %s = %q, want null", k, got[k])
				}
			}
			var wait types.Bool
			st.GetAttribute(context.Background(), path.Root("wait_for_ready"), &wait)
			if !wait.ValueBool() {
				t.Errorf("wait_for_ready = %v, want true (disable_wait_for_ready is false)", wait)
			}
			var triggers types.Map
			st.GetAttribute(context.Background(), path.Root("rotation_triggers"), &triggers)
			if !triggers.IsNull() {
				t.Errorf("rotation_triggers = %v, want null", triggers)
			}
		})
	}
}

// TestAPIKeyMoveState_otherHosts checks that the source is recognised by the
// provider's namespace and type on any registry host, and only then.
func TestAPIKeyMoveState_otherHosts(t *testing.T) {
	t.Parallel()
	raw := officialKeyState(`[]`, "")
	for _, addr := range []string{
		officialAddress,
		"registry.opentofu.org/confluentinc/confluent",
		"terraform.example.com/confluentinc/confluent",
		"Registry.Terraform.io/ConfluentInc/Confluent",
		// Terraform's address for the second and later instances moved
		// out of one resource (see migrate.IsMoveSource).
		"registry.terraform.io/ccloudiam/ccloud",
	} {
		_, handled, diags := runMove(t, newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType, addr, raw)
		if !handled || diags.HasError() {
			t.Errorf("%s: handled=%v diagnostics %v, want a move", addr, handled, diags)
		}
	}
	for _, addr := range []string{
		"registry.terraform.io/someone/confluent",
		"registry.terraform.io/confluentinc/confluentx",
	} {
		if _, handled, _ := runMove(t, newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType, addr, raw); handled {
			t.Errorf("%s: handled, want the request left to other movers", addr)
		}
	}
	// Other resource types of the official provider are not ours either.
	for _, addr := range []string{officialAddress, "registry.terraform.io/ccloudiam/ccloud"} {
		if _, handled, _ := runMove(t, newAPIKeyResource(ccloud.ScopeCloud), "confluent_kafka_cluster", addr, raw); handled {
			t.Errorf("confluent_kafka_cluster of %s: handled, want it left unmatched", addr)
		}
	}
}

func TestAPIKeyMoveState_carriesValues(t *testing.T) {
	t.Parallel()
	raw := `{
  "id": "MOVEDKEY00000002",
  "display_name": "",
  "description": "Used by the orders service.",
  "disable_wait_for_ready": true,
  "owner": [{"id": "u-abc123", "kind": "User", "api_version": "iam/v2"}],
  "managed_resource": [],
  "secret": "` + movedSecret + `"
}`
	r := newAPIKeyResource(ccloud.ScopeCloud)
	st, _, diags := runMove(t, r, migrate.SourceAPIKeyType, officialAddress, raw)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got := stringAttrs(t, st, r.scope.schema(context.Background()))
	for k, v := range map[string]string{
		"display_name": "<null>", "description": "Used by the orders service.",
		"owner_id": "u-abc123", "owner_kind": "User", "secret": movedSecret,
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	var wait types.Bool
	st.GetAttribute(context.Background(), path.Root("wait_for_ready"), &wait)
	if wait.ValueBool() {
		t.Error("wait_for_ready = true, want false: the source had disable_wait_for_ready = true")
	}

	// A source without the secret moves, with a warning, and no secret.
	noSecret := strings.Replace(raw, `"secret": "`+movedSecret+`"`, `"secret": ""`, 1)
	st, _, diags = runMove(t, r, migrate.SourceAPIKeyType, officialAddress, noSecret)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want one warning and no error, got %v", diags)
	}
	if got := stringAttrs(t, st, r.scope.schema(context.Background())); got["secret"] != "<null>" {
		t.Errorf("secret = %q, want null", got["secret"])
	}
}

func TestAPIKeyMoveState_wrongTarget(t *testing.T) {
	t.Parallel()
	kafka := officialKeyState(`[{"id": "lkc-abc123", "kind": "Cluster", "api_version": "cmk/v2", "environment": [{"id": "env-abc123"}]}]`, "")
	flink := officialKeyState(`[{"id": "env-old999.aws.us-east-1", "kind": "Region", "api_version": "fcpm/v2", "environment": []}]`, "")
	cloud := officialKeyState(`[]`, "")
	cases := []struct {
		name   string
		target resource.ResourceWithMoveState
		source string
		raw    string
		want   []string
	}{
		{"kafka into cloud", newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType, kafka,
			[]string{"is a Kafka API key", "cannot become a ccloud_cloud_api_key", "ccloud_kafka_api_key", "lkc-abc123"}},
		{"cloud into kafka", newAPIKeyResource(ccloud.ScopeKafka), migrate.SourceAPIKeyType, cloud,
			[]string{"is a Cloud API key", "ccloud_cloud_api_key"}},
		{"legacy flink into schema registry", newAPIKeyResource(ccloud.ScopeSchemaRegistry), migrate.SourceAPIKeyType, flink,
			[]string{"is a Flink API key", "ccloud_flink_api_key"}},
		{"key into service account", &serviceAccountResource{}, migrate.SourceAPIKeyType, kafka,
			[]string{"cannot become a ccloud_service_account", "ccloud_kafka_api_key"}},
		{"service account into key", newAPIKeyResource(ccloud.ScopeKafka), migrate.SourceServiceAccountType,
			`{"id": "sa-abc123", "display_name": "orders", "description": "", "api_version": "iam/v2", "kind": "ServiceAccount"}`,
			[]string{"cannot become a ccloud_kafka_api_key", "ccloud_service_account"}},
		{"unknown api_version", newAPIKeyResource(ccloud.ScopeKafka), migrate.SourceAPIKeyType,
			officialKeyState(`[{"id": "lfcp-abc123", "kind": "Pool", "api_version": "fcpm/v9", "environment": [{"id": "env-abc123"}]}]`, ""),
			[]string{`api_version "fcpm/v9"`, "keep the key with the confluentinc/confluent provider"}},
		{"missing environment", newAPIKeyResource(ccloud.ScopeKafka), migrate.SourceAPIKeyType,
			officialKeyState(`[{"id": "lkc-abc123", "kind": "Cluster", "api_version": "cmk/v2", "environment": []}]`, ""),
			[]string{"no environment block", "managed_resource.environment.id"}},
		{"bad flink region", newAPIKeyResource(ccloud.ScopeFlink), migrate.SourceAPIKeyType,
			officialKeyState(`[{"id": "mars.olympus", "kind": "Region", "api_version": "fcpm/v2", "environment": [{"id": "env-abc123"}]}]`, ""),
			[]string{`"mars.olympus"`, "<cloud>.<region>"}},
		{"no owner", newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType,
			`{"id": "MOVEDKEY00000001", "owner": [], "managed_resource": [], "secret": "` + movedSecret + `"}`,
			[]string{"no owner block"}},
		{"not JSON of that shape", newAPIKeyResource(ccloud.ScopeCloud), migrate.SourceAPIKeyType,
			`{"id": "MOVEDKEY00000001", "owner": "sa-abc123", "secret": "` + movedSecret + `"}`,
			[]string{"not a confluent_api_key state"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, handled, diags := runMove(t, tc.target, tc.source, officialAddress, tc.raw)
			if !handled || !diags.HasError() {
				t.Fatalf("handled=%v diagnostics %v, want an error", handled, diags)
			}
			var msg strings.Builder
			for _, d := range diags.Errors() {
				msg.WriteString(d.Summary() + ": " + d.Detail())
			}
			for _, w := range tc.want {
				if !strings.Contains(msg.String(), w) {
					t.Errorf("error does not say %q:\n%s", w, msg.String())
				}
			}
			if strings.Contains(msg.String(), movedSecret) {
				t.Errorf("error quotes the secret:\n%s", msg.String())
			}
		})
	}
}

// TestAPIKeyMoveState_triggersDoNotRotate checks the rule a moved key relies
// on when its new configuration sets rotation_triggers: the moved state has
// none, and setting triggers on a key without any records them without a
// replacement. A change of triggers that were set still rotates.
func TestAPIKeyMoveState_triggersDoNotRotate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newAPIKeyResource(ccloud.ScopeKafka)
	moved, _, diags := runMove(t, r, migrate.SourceAPIKeyType, officialAddress,
		officialKeyState(`[{"id": "lkc-abc123", "kind": "Cluster", "api_version": "cmk/v2", "environment": [{"id": "env-abc123"}]}]`, ""))
	if diags.HasError() {
		t.Fatal(diags)
	}
	var stateTriggers types.Map
	moved.GetAttribute(ctx, path.Root("rotation_triggers"), &stateTriggers)

	// The rule is the rotation planner's, which ModifyPlan applies.
	withTriggers := func(v types.Map) tfsdk.State {
		st := tfsdk.State{Schema: moved.Schema, Raw: moved.Raw.Copy()}
		if d := st.SetAttribute(ctx, path.Root("rotation_triggers"), v); d.HasError() {
			t.Fatal(d)
		}
		return st
	}
	requiresReplace := func(state, plan types.Map) bool {
		req := resource.ModifyPlanRequest{State: withTriggers(state), Plan: tfsdk.Plan(withTriggers(plan))}
		req.Config = tfsdk.Config{Schema: req.Plan.Schema, Raw: req.Plan.Raw}
		resp := &resource.ModifyPlanResponse{Plan: req.Plan}
		r.ModifyPlan(ctx, req, resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		for _, p := range resp.RequiresReplace {
			if p.Equal(path.Root("rotation_triggers")) {
				return true
			}
		}
		return false
	}
	set := types.MapValueMust(types.StringType, map[string]attr.Value{"gen": types.StringValue("1")})
	if requiresReplace(stateTriggers, set) {
		t.Error("setting rotation_triggers on a moved key plans a replacement")
	}
	bumped := types.MapValueMust(types.StringType, map[string]attr.Value{"gen": types.StringValue("2")})
	if !requiresReplace(set, bumped) {
		t.Error("changing a trigger that was set plans no replacement: the test no longer checks the rule")
	}
}

// TestAPIKeyMoveState_typeNames checks that the migration package names the
// same resource types as the scope table, so that the generator's output
// and the move agree.
func TestAPIKeyMoveState_typeNames(t *testing.T) {
	t.Parallel()
	for _, row := range apiKeyScopes {
		if got, want := migrate.KeyResourceType(row.scope), "ccloud_"+row.typeName; got != want {
			t.Errorf("migrate.KeyResourceType(%s) = %s, want %s", row.scope, got, want)
		}
	}
}
