// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The rotation planner.
//
// Whether an existing key rotates, and how, is decided here and nowhere
// else: planRotation looks at the key in state, the planned key and the
// provider's clock, and returns the decision with its reasons. It is a pure
// function, so that every rule and every combination of rules can be tested
// as a row of a table. ModifyPlan applies the decision: the paths that force
// a replacement, the planned values and the warnings that say why.
//
// Time-based rotation is planned the way the tls provider does it, and
// never by removing the resource from state in Read: that would forget the
// live key instead of deleting it. The due date is planned unknown and its
// path forces the replacement, so Terraform plans a real replacement (which
// create_before_destroy and replace_triggered_by compose with). The new key
// gets a fresh created_at, so a missed schedule rotates once, not on every
// plan.

// rotationKind is what a plan does to the current key.
type rotationKind int

const (
	// rotateNone keeps the current key.
	rotateNone rotationKind = iota
	// rotateReplace replaces the resource: a new key is created and the old
	// one, with its previous keys, is deleted.
	rotateReplace
	// rotateInPlace is a grace rotation: the update creates a new key, and
	// the old one joins previous_keys until its grace period ends.
	rotateInPlace
)

func (k rotationKind) String() string {
	switch k {
	case rotateReplace:
		return "replace"
	case rotateInPlace:
		return "in place"
	}
	return "none"
}

// rotationReason is one reason for a key to rotate; a plan may have several.
type rotationReason uint8

const (
	// reasonTriggers: rotation_triggers changed from one non-empty set of
	// values to another.
	reasonTriggers rotationReason = 1 << iota
	// reasonDue: created_at plus rotation_period has passed.
	reasonDue
	// reasonRecipients: secret_recipients changed while state holds the
	// secret only sealed to the old ones, which the provider cannot decrypt
	// to seal it again.
	reasonRecipients
	// reasonCurrentGone: Read found the current key deleted outside
	// Terraform while previous keys still work.
	reasonCurrentGone
)

// graceReasons are the reasons a grace period turns into an in-place
// rotation. The others replace the key whatever grace_period says.
const graceReasons = reasonTriggers | reasonDue

// rotation is the planner's decision for an existing key.
type rotation struct {
	kind    rotationKind
	reasons rotationReason
	// grace is whether the plan has a known grace_period.
	grace bool
	// dueAt is the planned rotation_due_at: null without a period, unknown
	// when it cannot be known yet or the key rotates for it.
	dueAt types.String
	// due is when rotation_period made the key due; zero unless reasonDue.
	due time.Time
}

// has reports whether reason is among the rotation's reasons.
func (r rotation) has(reason rotationReason) bool { return r.reasons&reason != 0 }

// graceRotates reports whether grace_period turns a trigger change or a due
// rotation into an in-place rotation, whose new key and previous keys the
// plan then shows. It holds even when another reason replaces the key:
// Terraform plans the object that replaces it afresh, as a create.
func (r rotation) graceRotates() bool { return r.grace && r.reasons&graceReasons != 0 }

// replacePaths are the attribute paths that force the replacement, one per
// reason that replaces the key, in a fixed order. A trigger change or a due
// rotation forces nothing under a grace period, which rotates in place.
func (r rotation) replacePaths() []path.Path {
	var out []path.Path
	if r.has(reasonTriggers) && !r.grace {
		out = append(out, path.Root("rotation_triggers"))
	}
	if r.has(reasonDue) && !r.grace {
		out = append(out, path.Root("rotation_due_at"))
	}
	if r.has(reasonRecipients) {
		out = append(out, path.Root("secret_recipients"))
	}
	if r.has(reasonCurrentGone) {
		out = append(out, path.Root("id"))
	}
	return out
}

// planRotation decides whether the key in state rotates under plan at now,
// how, and why. It changes neither model.
func planRotation(state, plan *apiKeyModel, now time.Time) rotation {
	rot := rotation{grace: graceOn(plan)}
	rot.dueAt, rot.due = plannedDueAt(state, plan, now)
	if !rot.due.IsZero() {
		rot.reasons |= reasonDue
	}
	if triggersRotate(state.RotationTriggers, plan.RotationTriggers) {
		rot.reasons |= reasonTriggers
	}
	if recipientsRotate(state, plan) {
		rot.reasons |= reasonRecipients
	}
	if state.currentGone {
		rot.reasons |= reasonCurrentGone
	}
	switch {
	case rot.reasons&^graceReasons != 0, rot.reasons != 0 && !rot.grace:
		rot.kind = rotateReplace
	case rot.reasons != 0:
		rot.kind = rotateInPlace
	}
	return rot
}

// plannedDueAt is the planned rotation_due_at, and when the key fell due if
// it is due at now (zero otherwise).
func plannedDueAt(state, plan *apiKeyModel, now time.Time) (types.String, time.Time) {
	switch {
	case plan.RotationPeriod.IsNull():
		return types.StringNull(), time.Time{}
	case plan.RotationPeriod.IsUnknown():
		return types.StringUnknown(), time.Time{}
	}
	due, ok := rotationDueAt(state.CreatedAt, plan.RotationPeriod)
	switch {
	case !ok:
		return types.StringUnknown(), time.Time{}
	case now.Before(due):
		return types.StringValue(due.UTC().Format(time.RFC3339)), time.Time{}
	}
	return types.StringUnknown(), due
}

// triggersRotate reports whether rotation_triggers rotate the key: only
// when triggers that were set change. An import cannot know the triggers a
// configuration uses, so without this rule the first plan after every
// import would rotate the key it just adopted; likewise, dropping the
// triggers altogether is a change of policy, not a request to rotate.
//
// An empty map and null are the same policy, "no triggers", so {} follows
// the rule for null in both directions. Planned triggers not known yet may
// hold a change, so they rotate a key that has triggers.
func triggersRotate(state, plan types.Map) bool {
	if noTriggers(state) || noTriggers(plan) {
		return false
	}
	return !state.Equal(plan)
}

// noTriggers reports a rotation_triggers value that holds no triggers: null
// or an empty map. An unknown value may hold triggers.
func noTriggers(v types.Map) bool {
	return v.IsNull() || (!v.IsUnknown() && len(v.Elements()) == 0)
}

// recipientsRotate reports whether a change of secret_recipients needs a
// new key: state holds the secret only sealed to the old recipients, so a
// new key is the only way to give the new recipients a secret. A plain
// secret in state is sealed in place instead (see planSealingUpdate).
func recipientsRotate(state, plan *apiKeyModel) bool {
	if !recipientsChanged(state, plan) {
		return false
	}
	return !state.EncryptedSecret.IsNull() && !state.EncryptedSecret.IsUnknown()
}
