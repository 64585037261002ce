// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// baseModel is a Kafka key model with every value set the way the
// framework would hand it over.
func baseModel(owner string) *apiKeyModel {
	return &apiKeyModel{
		ID:               types.StringUnknown(),
		OwnerID:          types.StringValue(owner),
		DisplayName:      types.StringNull(),
		Description:      types.StringNull(),
		RotationTriggers: types.MapNull(types.StringType),
		RotationPeriod:   types.StringNull(),
		WaitForReady:     types.BoolValue(true),
		Timeouts:         timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
		Secret:           types.StringUnknown(),
		OwnerKind:        types.StringUnknown(),
		ResourceID:       types.StringUnknown(),
		CreatedAt:        types.StringUnknown(),
		RotationDueAt:    types.StringUnknown(),
		GracePeriod:      types.StringNull(),
		MaxPreviousKeys:  types.Int64Value(1),
		PreviousKeys:     types.ListUnknown(previousKeyType),
		NextRetirementAt: types.StringUnknown(),
		SecretRecipients: types.SetNull(types.StringType),
		EncryptedSecret:  types.StringNull(),
		scope: map[string]types.String{
			"cluster_id":     types.StringValue("lkc-abc123"),
			"environment_id": types.StringValue("env-abc123"),
		},
	}
}

// storedModel is baseModel as state holds it after a create at createdAt.
func storedModel(createdAt time.Time, period string) *apiKeyModel {
	m := baseModel("sa-abc123")
	m.ID = types.StringValue("ABCDEFGHIJKLMNOP")
	m.Secret = types.StringValue(ccloud.NewAPISecret())
	m.OwnerKind = types.StringValue(ccloud.KindServiceAccount)
	m.ResourceID = types.StringValue("lkc-abc123")
	m.CreatedAt = types.StringValue(createdAt.UTC().Format(time.RFC3339))
	m.RotationPeriod = types.StringValue(period)
	m.RotationDueAt = rotationDueAtValue(m.CreatedAt, m.RotationPeriod)
	m.PreviousKeys, _ = previousKeysValue(context.Background(), nil)
	m.NextRetirementAt = types.StringNull()
	return m
}

func toPlan(t *testing.T, r *apiKeyResource, m *apiKeyModel) tfsdk.Plan {
	t.Helper()
	ctx := context.Background()
	s := r.scope.schema(ctx)
	p := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	if m != nil {
		if d := r.set(ctx, &p, m); d.HasError() {
			t.Fatal(d)
		}
	}
	return p
}

func toState(t *testing.T, r *apiKeyResource, m *apiKeyModel) tfsdk.State {
	t.Helper()
	return tfsdk.State(toPlan(t, r, m))
}

// modifyPlan runs ModifyPlan with the clock at now.
func modifyPlan(t *testing.T, now time.Time, plan, state *apiKeyModel) (*resource.ModifyPlanResponse, *apiKeyModel) {
	t.Helper()
	r := newAPIKeyResource(ccloud.ScopeKafka)
	r.data = &providerData{now: func() time.Time { return now }}
	req := resource.ModifyPlanRequest{Plan: toPlan(t, r, plan), State: toState(t, r, state)}
	req.Config = tfsdk.Config{Schema: req.Plan.Schema, Raw: req.Plan.Raw}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(context.Background(), req, resp)
	var out apiKeyModel
	if d := r.get(context.Background(), resp.Plan, &out); d.HasError() {
		t.Fatal(d)
	}
	return resp, &out
}

func warnings(d diag.Diagnostics) string {
	var b strings.Builder
	for _, w := range d.Warnings() {
		b.WriteString(w.Summary() + ": " + w.Detail() + "\n")
	}
	return b.String()
}

func TestAPIKeyModifyPlan_rotationPeriod(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	due := created.Add(30 * 24 * time.Hour)
	for name, tc := range map[string]struct {
		now     time.Time
		replace bool
	}{
		"not due":      {now: due.Add(-time.Second)},
		"exactly due":  {now: due, replace: true},
		"overdue":      {now: due.Add(24 * time.Hour), replace: true},
		"long overdue": {now: due.Add(365 * 24 * time.Hour), replace: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			state := storedModel(created, "30d")
			plan := storedModel(created, "30d")
			resp, out := modifyPlan(t, tc.now, plan, state)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			gotReplace := len(resp.RequiresReplace) == 1 && resp.RequiresReplace[0].Equal(path.Root("rotation_due_at"))
			if gotReplace != tc.replace {
				t.Fatalf("RequiresReplace = %v, want replacement %v", resp.RequiresReplace, tc.replace)
			}
			w := warnings(resp.Diagnostics)
			if tc.replace {
				if !out.RotationDueAt.IsUnknown() {
					t.Errorf("rotation_due_at = %s, want unknown so that the replacement shows", out.RotationDueAt)
				}
				for _, want := range []string{"ccloud_kafka_api_key", "ABCDEFGHIJKLMNOP", due.Format(time.RFC3339), "30d"} {
					if !strings.Contains(w, want) {
						t.Errorf("warning %q does not mention %q", w, want)
					}
				}
				return
			}
			if w != "" {
				t.Errorf("unexpected warning %q", w)
			}
			if out.RotationDueAt.ValueString() != due.Format(time.RFC3339) {
				t.Errorf("rotation_due_at = %s, want %s", out.RotationDueAt, due.Format(time.RFC3339))
			}
		})
	}
}

func TestAPIKeyModifyPlan_periodChangesAndRemoval(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	now := created.Add(40 * 24 * time.Hour)

	// Lengthening the period of an overdue key postpones the rotation.
	plan := storedModel(created, "60d")
	resp, out := modifyPlan(t, now, plan, storedModel(created, "30d"))
	if len(resp.RequiresReplace) != 0 || out.RotationDueAt.ValueString() != created.Add(60*24*time.Hour).Format(time.RFC3339) {
		t.Errorf("60d: replace %v, due %s", resp.RequiresReplace, out.RotationDueAt)
	}

	// Removing the period removes the schedule.
	plan = storedModel(created, "30d")
	plan.RotationPeriod = types.StringNull()
	resp, out = modifyPlan(t, now, plan, storedModel(created, "30d"))
	if len(resp.RequiresReplace) != 0 || !out.RotationDueAt.IsNull() {
		t.Errorf("no period: replace %v, due %s", resp.RequiresReplace, out.RotationDueAt)
	}
}

func TestAPIKeyModifyPlan_create(t *testing.T) {
	t.Parallel()
	for owner, wantKind := range map[string]string{"sa-abc123": ccloud.KindServiceAccount, "u-abc123": ccloud.KindUser} {
		resp, out := modifyPlan(t, time.Now(), baseModel(owner), nil)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		if out.OwnerKind.ValueString() != wantKind || out.ResourceID.ValueString() != "lkc-abc123" {
			t.Errorf("%s: owner_kind %s, resource_id %s", owner, out.OwnerKind, out.ResourceID)
		}
		if !out.RotationDueAt.IsNull() || !out.ID.IsUnknown() {
			t.Errorf("%s: rotation_due_at %s (want null), id %s (want unknown)", owner, out.RotationDueAt, out.ID)
		}
		w := warnings(resp.Diagnostics)
		if isUser := wantKind == ccloud.KindUser; isUser != strings.Contains(w, "owned by a user") {
			t.Errorf("%s: warnings %q", owner, w)
		}
		if wantKind == ccloud.KindUser && !strings.Contains(w, "service account") {
			t.Errorf("the user-owner warning %q does not recommend a service account", w)
		}
	}
}

// TestAPIKeyImportState_secret cannot run in parallel: it sets the
// environment variable the import reads.
func TestAPIKeyImportState_secret(t *testing.T) {
	good := ccloud.NewAPISecret()
	// Changing the last character breaks the checksum.
	last := "A"
	if strings.HasSuffix(good, "A") {
		last = "B"
	}
	bad := good[:len(good)-1] + last
	legacy := strings.Repeat("x", 64)
	for name, tc := range map[string]struct {
		env                 string
		wantSecret, wantErr bool
		wantWarning         bool
	}{
		"unset":         {}, // Read warns, once the key is known to fit (importSecretWarning).
		"valid":         {env: good, wantSecret: true},
		"bad checksum":  {env: bad, wantErr: true},
		"legacy format": {env: legacy, wantSecret: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(EnvImportAPISecret, tc.env)
			r := newAPIKeyResource(ccloud.ScopeCloud)
			ctx := context.Background()
			s := r.scope.schema(ctx)
			resp := &resource.ImportStateResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}}
			r.ImportState(ctx, resource.ImportStateRequest{ID: "ABCDEFGHIJKLMNOP"}, resp)
			if resp.Diagnostics.HasError() != tc.wantErr {
				t.Fatalf("errors: %v", resp.Diagnostics)
			}
			for _, d := range resp.Diagnostics {
				if tc.env != "" && strings.Contains(d.Detail(), tc.env) {
					t.Errorf("a diagnostic echoes the secret: %s", d.Summary())
				}
			}
			if got := len(resp.Diagnostics.Warnings()) > 0; got != tc.wantWarning {
				t.Errorf("warning %v, want %v", got, tc.wantWarning)
			}
			var secret types.String
			resp.State.GetAttribute(ctx, path.Root("secret"), &secret)
			if tc.wantSecret != (secret.ValueString() == tc.env && tc.env != "") {
				t.Errorf("secret set %v, want %v", !secret.IsNull(), tc.wantSecret)
			}
		})
	}
}

// TestAPIKeyScopes_table checks every row of the scope table: a unique
// type and scope, example values for exactly its arguments, a reference the
// API recognises as the row's scope, and arguments recovered from that
// reference on import.
func TestAPIKeyScopes_table(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, row := range apiKeyScopes {
		if seen[row.typeName] || seen[string(row.scope)] {
			t.Errorf("duplicate type %s or scope %s", row.typeName, row.scope)
		}
		seen[row.typeName], seen[string(row.scope)] = true, true
		v := row.example
		if len(row.attributes) != len(v) {
			t.Errorf("%s: %d attributes, %d example values", row.typeName, len(row.attributes), len(v))
		}
		for _, a := range row.attributes {
			if v[a.name] == "" {
				t.Errorf("%s: no example value for %s", row.typeName, a.name)
			}
		}
		if row.title() == "" || row.resourceIDForm == "" || row.filterForm == "" {
			t.Errorf("%s: a description is missing", row.typeName)
		}
		if got := ccloud.ScopeOfResourceID(ccloud.ResourceID(row.reference(v))); got != row.scope {
			t.Errorf("%s: the example's resource ID names scope %s", row.typeName, got)
		}
		ref := row.reference(v)
		if got := ccloud.ScopeOf(ref); got != row.scope {
			t.Errorf("%s: the reference %+v has scope %s", row.typeName, ref, got)
		}
		if !ccloud.SameResource(ref, ref) {
			t.Errorf("%s: a reference is not the same resource as itself", row.typeName)
		}
		back := row.fromReference(ref)
		for name, want := range v {
			if back[name] != want {
				t.Errorf("%s: import recovers %s = %q, want %q", row.typeName, name, back[name], want)
			}
		}
		if s := row.schema(context.Background()); s.Description == "" || !strings.HasSuffix(s.Description, ".") {
			t.Errorf("%s: the description must be a sentence", row.typeName)
		}
	}
	azure := scopeValues{"environment_id": "env-abc123", "cloud": "AZURE", "region": "centralus"}
	if got := ccloud.ResourceID(azure.ref(ccloud.ScopeFlink)); got != "azure.centralus" {
		t.Errorf("Flink resource ID %q", got)
	}
	legacy := &ccloud.ObjectReference{ID: "env-abc123.aws.us-east-1"}
	if v := scopeRow(ccloud.ScopeFlink).fromReference(legacy); v["environment_id"] != "env-abc123" || v["cloud"] != "AWS" {
		t.Errorf("legacy Flink reference: %v", v)
	}
	if !ccloud.SameResource(scopeRow(ccloud.ScopeFlink).reference(scopeValues{"environment_id": "env-abc123", "cloud": "AWS", "region": "us-east-1"}), legacy) {
		t.Error("a legacy Flink reference is not recognised as the same region")
	}
	if ccloud.SameResource(&ccloud.ObjectReference{ID: "lkc-1", Environment: "env-1"}, &ccloud.ObjectReference{ID: "lkc-1", Environment: "env-2"}) {
		t.Error("keys in different environments are the same resource")
	}
	if ccloud.SameResource(nil, &ccloud.ObjectReference{ID: "tableflow"}) {
		t.Error("a Tableflow key is the same resource as a Cloud key")
	}
}

func (v scopeValues) ref(s ccloud.Scope) *ccloud.ObjectReference { return scopeRow(s).reference(v) }

// newAPIKeyResource returns the resource of a scope's row.
func newAPIKeyResource(s ccloud.Scope) *apiKeyResource {
	row := scopeRow(s)
	if row == nil {
		panic("no API key scope row for " + string(s))
	}
	return &apiKeyResource{scope: row}
}
