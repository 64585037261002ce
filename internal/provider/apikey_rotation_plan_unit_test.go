// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestPlanRotation walks the rotation planner through each reason on its own
// and in combination: what it decides, why, which paths force the
// replacement, and the rotation_due_at it plans.
func TestPlanRotation(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	due := created.Add(30 * 24 * time.Hour)
	dueText := due.Format(time.RFC3339)
	before := due.Add(-time.Second)

	triggers := func(kv ...string) types.Map {
		if kv == nil {
			return types.MapNull(types.StringType)
		}
		elems := map[string]attr.Value{}
		for i := 0; i+1 < len(kv); i += 2 {
			elems[kv[i]] = types.StringValue(kv[i+1])
		}
		return types.MapValueMust(types.StringType, elems)
	}
	recipients := func(rs ...string) types.Set {
		if rs == nil {
			return types.SetNull(types.StringType)
		}
		var elems []attr.Value
		for _, r := range rs {
			elems = append(elems, types.StringValue(r))
		}
		return types.SetValueMust(types.StringType, elems)
	}
	// Edits of a stored key: applied to state, plan or both.
	type edit func(*apiKeyModel)
	withTriggers := func(m types.Map) edit { return func(k *apiKeyModel) { k.RotationTriggers = m } }
	withPeriod := func(p types.String) edit { return func(k *apiKeyModel) { k.RotationPeriod = p } }
	withGrace := func(g types.String) edit { return func(k *apiKeyModel) { k.GracePeriod = g } }
	withRecipients := func(s types.Set) edit { return func(k *apiKeyModel) { k.SecretRecipients = s } }
	sealedState := func(rs ...string) edit {
		return func(k *apiKeyModel) {
			k.Secret = types.StringNull()
			k.SecretRecipients = recipients(rs...)
			k.EncryptedSecret = types.StringValue("-----BEGIN AGE ENCRYPTED FILE-----\n...")
		}
	}
	noSecret := func(k *apiKeyModel) { k.Secret, k.EncryptedSecret = types.StringNull(), types.StringNull() }
	unknownCreated := func(k *apiKeyModel) { k.CreatedAt = types.StringUnknown() }
	gone := func(k *apiKeyModel) { k.currentGone = true }

	grace := withGrace(types.StringValue("72h"))
	set1, set2 := withTriggers(triggers("gen", "1")), withTriggers(triggers("gen", "2"))
	dueValue := types.StringValue(dueText)

	for name, tc := range map[string]struct {
		state, plan []edit
		now         time.Time
		kind        rotationKind
		reasons     rotationReason
		graceRot    bool
		paths       []path.Path
		dueAt       types.String
	}{
		"nothing changes": {now: before, kind: rotateNone, dueAt: dueValue},

		// Triggers.
		"trigger changed": {
			state: []edit{set1}, plan: []edit{set2}, now: before,
			kind: rotateReplace, reasons: reasonTriggers, paths: []path.Path{path.Root("rotation_triggers")}, dueAt: dueValue,
		},
		"trigger added": {
			state: []edit{set1}, plan: []edit{withTriggers(triggers("gen", "1", "team", "a"))}, now: before,
			kind: rotateReplace, reasons: reasonTriggers, paths: []path.Path{path.Root("rotation_triggers")}, dueAt: dueValue,
		},
		"triggers unchanged":       {state: []edit{set1}, plan: []edit{set1}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers set on none":     {plan: []edit{set1}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers set on empty":    {state: []edit{withTriggers(triggers())}, plan: []edit{set1}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers removed":         {state: []edit{set1}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers emptied":         {state: []edit{set1}, plan: []edit{withTriggers(triggers())}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers null to empty":   {plan: []edit{withTriggers(triggers())}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers unknown on none": {plan: []edit{withTriggers(types.MapUnknown(types.StringType))}, now: before, kind: rotateNone, dueAt: dueValue},
		"triggers unknown, were set": {
			state: []edit{set1}, plan: []edit{withTriggers(types.MapUnknown(types.StringType))}, now: before,
			kind: rotateReplace, reasons: reasonTriggers, paths: []path.Path{path.Root("rotation_triggers")}, dueAt: dueValue,
		},

		// Rotation period.
		"not due": {now: before, kind: rotateNone, dueAt: dueValue},
		"exactly due": {
			now: due, kind: rotateReplace, reasons: reasonDue, paths: []path.Path{path.Root("rotation_due_at")},
			dueAt: types.StringUnknown(),
		},
		"long overdue": {
			now: due.Add(365 * 24 * time.Hour), kind: rotateReplace, reasons: reasonDue,
			paths: []path.Path{path.Root("rotation_due_at")}, dueAt: types.StringUnknown(),
		},
		"no period":            {plan: []edit{withPeriod(types.StringNull())}, now: due, kind: rotateNone, dueAt: types.StringNull()},
		"period unknown":       {plan: []edit{withPeriod(types.StringUnknown())}, now: due, kind: rotateNone, dueAt: types.StringUnknown()},
		"created_at unknown":   {state: []edit{unknownCreated}, now: due, kind: rotateNone, dueAt: types.StringUnknown()},
		"period lengthened":    {plan: []edit{withPeriod(types.StringValue("60d"))}, now: due, kind: rotateNone, dueAt: types.StringValue(created.Add(60 * 24 * time.Hour).Format(time.RFC3339))},
		"period shortened due": {plan: []edit{withPeriod(types.StringValue("1d"))}, now: before, kind: rotateReplace, reasons: reasonDue, paths: []path.Path{path.Root("rotation_due_at")}, dueAt: types.StringUnknown()},

		// Grace period: triggers and due rotate in place.
		"grace, trigger changed": {
			state: []edit{grace, set1}, plan: []edit{grace, set2}, now: before,
			kind: rotateInPlace, reasons: reasonTriggers, graceRot: true, dueAt: dueValue,
		},
		"grace, due": {
			state: []edit{grace}, plan: []edit{grace}, now: due,
			kind: rotateInPlace, reasons: reasonDue, graceRot: true, dueAt: types.StringUnknown(),
		},
		"grace added with the trigger change": {
			state: []edit{set1}, plan: []edit{grace, set2}, now: before,
			kind: rotateInPlace, reasons: reasonTriggers, graceRot: true, dueAt: dueValue,
		},
		"grace removed with the trigger change": {
			state: []edit{grace, set1}, plan: []edit{set2}, now: before,
			kind: rotateReplace, reasons: reasonTriggers, paths: []path.Path{path.Root("rotation_triggers")}, dueAt: dueValue,
		},
		"grace unknown, trigger changed": {
			state: []edit{set1}, plan: []edit{withGrace(types.StringUnknown()), set2}, now: before,
			kind: rotateReplace, reasons: reasonTriggers, paths: []path.Path{path.Root("rotation_triggers")}, dueAt: dueValue,
		},
		"grace, nothing changes": {state: []edit{grace}, plan: []edit{grace}, now: before, kind: rotateNone, dueAt: dueValue},

		// Triggers and due together.
		"trigger changed and due": {
			state: []edit{set1}, plan: []edit{set2}, now: due,
			kind: rotateReplace, reasons: reasonTriggers | reasonDue,
			paths: []path.Path{path.Root("rotation_triggers"), path.Root("rotation_due_at")}, dueAt: types.StringUnknown(),
		},
		"grace, trigger changed and due": {
			state: []edit{grace, set1}, plan: []edit{grace, set2}, now: due,
			kind: rotateInPlace, reasons: reasonTriggers | reasonDue, graceRot: true, dueAt: types.StringUnknown(),
		},

		// Secret recipients.
		"sealed, recipients changed": {
			state: []edit{sealedState("age1a")}, plan: []edit{sealedState("age1a"), withRecipients(recipients("age1b"))}, now: before,
			kind: rotateReplace, reasons: reasonRecipients, paths: []path.Path{path.Root("secret_recipients")}, dueAt: dueValue,
		},
		"sealed, recipients removed": {
			state: []edit{sealedState("age1a")}, plan: []edit{sealedState("age1a"), withRecipients(recipients())}, now: before,
			kind: rotateReplace, reasons: reasonRecipients, paths: []path.Path{path.Root("secret_recipients")}, dueAt: dueValue,
		},
		"sealed, recipients unknown": {
			state: []edit{sealedState("age1a")}, plan: []edit{sealedState("age1a"), withRecipients(types.SetUnknown(types.StringType))}, now: before,
			kind: rotateReplace, reasons: reasonRecipients, paths: []path.Path{path.Root("secret_recipients")}, dueAt: dueValue,
		},
		"sealed, recipients reordered": {
			state: []edit{sealedState("age1a", "age1b")}, plan: []edit{sealedState("age1b", "age1a")}, now: before,
			kind: rotateNone, dueAt: dueValue,
		},
		"plain secret, recipients added": {
			plan: []edit{withRecipients(recipients("age1a"))}, now: before, kind: rotateNone, dueAt: dueValue,
		},
		"no secret, recipients added": {
			state: []edit{noSecret}, plan: []edit{noSecret, withRecipients(recipients("age1a"))}, now: before,
			kind: rotateNone, dueAt: dueValue,
		},
		"grace, sealed, recipients changed": {
			state: []edit{grace, sealedState("age1a")}, plan: []edit{grace, sealedState("age1a"), withRecipients(recipients("age1b"))}, now: before,
			kind: rotateReplace, reasons: reasonRecipients, paths: []path.Path{path.Root("secret_recipients")}, dueAt: dueValue,
		},
		"grace, sealed, recipients and trigger changed": {
			state: []edit{grace, set1, sealedState("age1a")}, plan: []edit{grace, set2, sealedState("age1a"), withRecipients(recipients("age1b"))},
			now: before, kind: rotateReplace, reasons: reasonTriggers | reasonRecipients, graceRot: true,
			paths: []path.Path{path.Root("secret_recipients")}, dueAt: dueValue,
		},
		"sealed, recipients and trigger changed, due": {
			state: []edit{set1, sealedState("age1a")}, plan: []edit{set2, sealedState("age1a"), withRecipients(recipients("age1b"))},
			now: due, kind: rotateReplace, reasons: reasonTriggers | reasonDue | reasonRecipients,
			paths: []path.Path{path.Root("rotation_triggers"), path.Root("rotation_due_at"), path.Root("secret_recipients")},
			dueAt: types.StringUnknown(),
		},

		// The current key deleted outside Terraform, previous keys left.
		"current key gone": {
			state: []edit{gone}, now: before, kind: rotateReplace, reasons: reasonCurrentGone,
			paths: []path.Path{path.Root("id")}, dueAt: dueValue,
		},
		"current key gone, trigger changed": {
			state: []edit{gone, set1}, plan: []edit{set2}, now: before, kind: rotateReplace, reasons: reasonCurrentGone | reasonTriggers,
			paths: []path.Path{path.Root("rotation_triggers"), path.Root("id")}, dueAt: dueValue,
		},
		"grace, current key gone, due": {
			state: []edit{grace, gone}, plan: []edit{grace}, now: due, kind: rotateReplace, reasons: reasonCurrentGone | reasonDue,
			graceRot: true, paths: []path.Path{path.Root("id")}, dueAt: types.StringUnknown(),
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			state, plan := storedModel(created, "30d"), storedModel(created, "30d")
			for _, e := range tc.state {
				e(state)
			}
			for _, e := range tc.plan {
				e(plan)
			}
			stateBefore, planBefore := *state, *plan

			rot := planRotation(state, plan, tc.now)

			if rot.kind != tc.kind {
				t.Errorf("kind = %s, want %s", rot.kind, tc.kind)
			}
			if rot.reasons != tc.reasons {
				t.Errorf("reasons = %04b, want %04b", rot.reasons, tc.reasons)
			}
			if got := rot.graceRotates(); got != tc.graceRot {
				t.Errorf("graceRotates = %v, want %v", got, tc.graceRot)
			}
			if got := rot.replacePaths(); !reflect.DeepEqual(got, tc.paths) {
				t.Errorf("replacePaths = %v, want %v", got, tc.paths)
			}
			if !rot.dueAt.Equal(tc.dueAt) {
				t.Errorf("dueAt = %s, want %s", rot.dueAt, tc.dueAt)
			}
			if rot.has(reasonDue) != !rot.due.IsZero() {
				t.Errorf("due = %s with reasons %04b: a due time only with reasonDue", rot.due, rot.reasons)
			}
			if rot.has(reasonDue) && !rot.due.Equal(created.Add(mustPeriod(t, plan.RotationPeriod.ValueString()))) {
				t.Errorf("due = %s, want created_at plus rotation_period", rot.due)
			}
			if !reflect.DeepEqual(*state, stateBefore) || !reflect.DeepEqual(*plan, planBefore) {
				t.Error("planRotation changed a model")
			}
		})
	}
}

func mustPeriod(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := parseRotationPeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
