// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import "time"

// Cohorts.
//
// Keys created together at one endpoint start working at about the same
// moment, so while no key there has been seen working, probing them side by
// side only multiplies the failed authentications. The keys waiting at such
// a probe URL therefore form a cohort: the first to arrive (the leader)
// probes on the schedule, and the others (followers) send nothing until a
// member is seen working, which closes the URL's "learnt" channel and sends
// each follower to its first probe at the learnt age. A leader that leaves
// without success (interrupted, timed out, its key deleted, a failed wait)
// hands the schedule to the oldest remaining member, which probes at once
// and goes on from its own age: no follower is left waiting for a leader
// that no longer probes. Followers keep their own context, deadline and
// deleted-key handling while they wait, and a follower whose leader's key
// still does not work when three quarters of its own time are gone probes
// on its own (followerPatience), rather than time out without a probe.

// cohortMember is one wait in a cohort. The cohorts live in the engine's
// urlTable, one per probe URL (urlRecord.cohort).
type cohortMember struct {
	// lead is closed when the member becomes the cohort's leader: at join
	// for the first member, at a handover for the others.
	lead chan struct{}
	// first is set for the member that led from the start.
	first bool
	// unreachableSince is the moment the endpoint began refusing
	// connections as seen by the previous leader, handed over with the
	// schedule so that an endpoint that never answers is not waited out
	// once per key. It is written before lead is closed.
	unreachableSince time.Time
}
