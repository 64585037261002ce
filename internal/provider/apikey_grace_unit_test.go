// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// graceModel is a stored key with a grace period and the given previous keys.
func graceModel(t *testing.T, created time.Time, prev ...previousKeyModel) *apiKeyModel {
	t.Helper()
	m := storedModel(created, "")
	m.RotationPeriod = types.StringNull()
	m.RotationDueAt = types.StringNull()
	m.GracePeriod = types.StringValue("72h")
	m.RotationTriggers = triggers("1")
	l, d := previousKeysValue(context.Background(), prev)
	if d.HasError() {
		t.Fatal(d)
	}
	m.PreviousKeys = l
	m.NextRetirementAt = nextRetirement(prev)
	return m
}

// triggers is a rotation_triggers value with one entry.
func triggers(v string) types.Map {
	return types.MapValueMust(types.StringType, map[string]attr.Value{"v": types.StringValue(v)})
}

func prevKey(id string, created, retire time.Time) previousKeyModel {
	return previousKeyModel{
		ID:        types.StringValue(id),
		CreatedAt: types.StringValue(created.UTC().Format(time.RFC3339)),
		RetireAt:  types.StringValue(retire.UTC().Format(time.RFC3339)),
	}
}

func plannedPrevious(t *testing.T, m *apiKeyModel) []previousKeyModel {
	t.Helper()
	keys, d := previousKeys(context.Background(), m.PreviousKeys)
	if d.HasError() {
		t.Fatal(d)
	}
	return keys
}

func TestAPIKeyModifyPlan_graceRetirement(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	retire := created.Add(72 * time.Hour)
	state := graceModel(t, created, prevKey("OLDKEY0000000001", created.Add(-time.Hour), retire))

	// Before retire_at nothing changes.
	resp, out := modifyPlan(t, retire.Add(-time.Second), graceModel(t, created, prevKey("OLDKEY0000000001", created.Add(-time.Hour), retire)), state)
	if resp.Diagnostics.HasError() || warnings(resp.Diagnostics) != "" || len(plannedPrevious(t, out)) != 1 {
		t.Fatalf("before retire_at: diagnostics %v, previous %v", resp.Diagnostics, out.PreviousKeys)
	}
	if out.NextRetirementAt.ValueString() != retire.Format(time.RFC3339) {
		t.Errorf("next_retirement_at = %s, want %s", out.NextRetirementAt, retire.Format(time.RFC3339))
	}

	// From retire_at the plan drops the key and says so, naming it.
	resp, out = modifyPlan(t, retire, graceModel(t, created, prevKey("OLDKEY0000000001", created.Add(-time.Hour), retire)), state)
	if resp.Diagnostics.HasError() || len(resp.RequiresReplace) != 0 {
		t.Fatalf("at retire_at: diagnostics %v, replace %v", resp.Diagnostics, resp.RequiresReplace)
	}
	if got := plannedPrevious(t, out); len(got) != 0 || !out.NextRetirementAt.IsNull() {
		t.Errorf("at retire_at: previous %v, next_retirement_at %s; want none", got, out.NextRetirementAt)
	}
	if out.ID.ValueString() != state.ID.ValueString() {
		t.Errorf("retirement changed the current key to %s", out.ID)
	}
	w := warnings(resp.Diagnostics)
	for _, want := range []string{"OLDKEY0000000001", "grace period ended", retire.Format(time.RFC3339), state.ID.ValueString()} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not mention %q", w, want)
		}
	}
}

func TestAPIKeyModifyPlan_graceRotation(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	now := created.Add(24 * time.Hour)
	older := prevKey("OLDKEY0000000001", created.Add(-time.Hour), now.Add(time.Hour))
	state := graceModel(t, created, older)
	plan := graceModel(t, created, older)
	plan.RotationTriggers = triggers("2")

	resp, out := modifyPlan(t, now, plan, state)
	if resp.Diagnostics.HasError() || len(resp.RequiresReplace) != 0 {
		t.Fatalf("diagnostics %v, replace %v; want an in-place update", resp.Diagnostics, resp.RequiresReplace)
	}
	if !out.ID.IsUnknown() || !out.Secret.IsUnknown() || !out.CreatedAt.IsUnknown() || !out.NextRetirementAt.IsUnknown() {
		t.Errorf("id %s, secret unknown %v, created_at %s, next_retirement_at %s: want all unknown", out.ID,
			out.Secret.IsUnknown(), out.CreatedAt, out.NextRetirementAt)
	}
	// max_previous_keys = 1: the older previous key is retired at once and
	// the plan names it; the current key becomes the previous key.
	got := plannedPrevious(t, out)
	if len(got) != 1 || got[0].ID.ValueString() != state.ID.ValueString() || !got[0].RetireAt.IsUnknown() {
		t.Fatalf("planned previous keys %v, want the current key with an unknown retire_at", got)
	}
	w := warnings(resp.Diagnostics)
	for _, want := range []string{"OLDKEY0000000001", "max_previous_keys = 1", "oldest"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not mention %q", w, want)
		}
	}

	// With room for two, both stay and nothing is retired.
	plan = graceModel(t, created, older)
	plan.RotationTriggers = triggers("2")
	plan.MaxPreviousKeys = types.Int64Value(2)
	resp, out = modifyPlan(t, now, plan, state)
	if got := plannedPrevious(t, out); len(got) != 2 || warnings(resp.Diagnostics) != "" {
		t.Errorf("max 2: previous %v, warnings %q", got, warnings(resp.Diagnostics))
	}
}

func TestAPIKeyModifyPlan_graceDueRotation(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	state := graceModel(t, created)
	state.RotationPeriod = types.StringValue("30d")
	state.RotationDueAt = rotationDueAtValue(state.CreatedAt, state.RotationPeriod)
	plan := graceModel(t, created)
	plan.RotationPeriod = types.StringValue("30d")
	resp, out := modifyPlan(t, created.Add(31*24*time.Hour), plan, state)
	if resp.Diagnostics.HasError() || len(resp.RequiresReplace) != 0 {
		t.Fatalf("diagnostics %v, replace %v; want an in-place rotation", resp.Diagnostics, resp.RequiresReplace)
	}
	if !out.ID.IsUnknown() || !out.RotationDueAt.IsUnknown() {
		t.Errorf("id %s, rotation_due_at %s: want unknown", out.ID, out.RotationDueAt)
	}
	if w := warnings(resp.Diagnostics); !strings.Contains(w, "rotate it in place") || !strings.Contains(w, "72h") {
		t.Errorf("warning %q does not explain the in-place rotation", w)
	}

	// Without a grace period the same key is replaced.
	state.GracePeriod, plan.GracePeriod = types.StringNull(), types.StringNull()
	resp, _ = modifyPlan(t, created.Add(31*24*time.Hour), plan, state)
	if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(path.Root("rotation_due_at")) {
		t.Errorf("without grace_period: replace %v, want rotation_due_at", resp.RequiresReplace)
	}
}

func TestGracePeriodValidator(t *testing.T) {
	t.Parallel()
	for value, ok := range map[string]bool{"1m": true, "72h": true, "7d": true, "1d12h": true, "0m": false, "30s": false, "": false, "1w": false} {
		resp := &validator.StringResponse{}
		gracePeriodValidator.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("grace_period"), ConfigValue: types.StringValue(value),
		}, resp)
		if got := !resp.Diagnostics.HasError(); got != ok {
			t.Errorf("%q: valid %v, want %v (%v)", value, got, ok, resp.Diagnostics)
			continue
		}
		if !ok && !strings.Contains(resp.Diagnostics[0].Detail(), "grace_period") {
			t.Errorf("%q: the error %q does not name grace_period", value, resp.Diagnostics[0].Detail())
		}
	}
}

// TestAPIKeyModifyPlan_graceSettingsChange changes the grace settings of a
// key with previous keys: lowering max_previous_keys retires the oldest,
// removing grace_period keeps retiring on schedule, and a new grace_period
// leaves existing retire_at values alone.
func TestAPIKeyModifyPlan_graceSettingsChange(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	now := created.Add(time.Hour)
	a := prevKey("OLDKEY000000000A", created.Add(-2*time.Hour), now.Add(time.Hour))
	b := prevKey("OLDKEY000000000B", created.Add(-time.Hour), now.Add(2*time.Hour))
	state := graceModel(t, created, a, b)
	state.MaxPreviousKeys = types.Int64Value(2)

	plan := graceModel(t, created, a, b)
	plan.MaxPreviousKeys = types.Int64Value(1)
	resp, out := modifyPlan(t, now, plan, state)
	if got := plannedPrevious(t, out); len(got) != 1 || got[0].ID.ValueString() != "OLDKEY000000000B" ||
		!strings.Contains(warnings(resp.Diagnostics), "OLDKEY000000000A") {
		t.Errorf("max 2 -> 1: previous %v, warnings %q; want A retired", got, warnings(resp.Diagnostics))
	}

	plan = graceModel(t, created, a, b)
	plan.MaxPreviousKeys = types.Int64Value(2)
	plan.GracePeriod = types.StringValue("7d")
	resp, out = modifyPlan(t, now, plan, state)
	if got := plannedPrevious(t, out); len(got) != 2 || !got[0].RetireAt.Equal(a.RetireAt) || !got[1].RetireAt.Equal(b.RetireAt) ||
		warnings(resp.Diagnostics) != "" {
		t.Errorf("new grace_period: previous %v, warnings %q; want both unchanged", got, warnings(resp.Diagnostics))
	}

	plan = graceModel(t, created, a, b)
	plan.GracePeriod = types.StringNull()
	plan.MaxPreviousKeys = types.Int64Value(2)
	_, out = modifyPlan(t, now.Add(90*time.Minute), plan, state)
	if got := plannedPrevious(t, out); len(got) != 1 || got[0].ID.ValueString() != "OLDKEY000000000B" {
		t.Errorf("grace_period removed: previous %v, want A retired on schedule and B kept", got)
	}
}
