// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"slices"
	"sync"
	"time"
)

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

// cohortMember is one wait in a cohort.
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

// readinessCohorts holds the cohorts of the engine, by probe URL. A cohort
// exists while it has members; it is removed when the last one leaves.
type readinessCohorts struct {
	mu    sync.Mutex
	byURL map[string][]*cohortMember
}

// join adds a member to url's cohort; the first member leads at once.
func (c *readinessCohorts) join(url string) *cohortMember {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byURL == nil {
		c.byURL = map[string][]*cohortMember{}
	}
	m := &cohortMember{lead: make(chan struct{})}
	if len(c.byURL[url]) == 0 {
		m.first = true
		close(m.lead)
	}
	c.byURL[url] = append(c.byURL[url], m)
	return m
}

// leave removes m from url's cohort. When m was leading and handover is
// set (no key at url has been seen working yet), the oldest remaining
// member leads from now on, starting from unreachableSince. After a
// success nobody is promoted: the success has woken every follower.
func (c *readinessCohorts) leave(url string, m *cohortMember, handover bool, unreachableSince time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	members := c.byURL[url]
	i := slices.Index(members, m)
	if i < 0 {
		return
	}
	members = slices.Delete(members, i, i+1)
	if len(members) == 0 {
		delete(c.byURL, url)
		return
	}
	c.byURL[url] = members
	if i == 0 && handover {
		next := members[0]
		next.unreachableSince = unreachableSince
		close(next.lead)
	}
}

// size returns how many waits are in url's cohort; for tests.
func (c *readinessCohorts) size(url string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byURL[url])
}
