// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"slices"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// urlTable is what the engine learns about each probe URL, for its life:
// one record per URL under one mutex, so that a wait reads a consistent
// picture (the estimate, the Kafka run, whether the endpoint ever answered,
// its cohort) and the steps of a probeRun never juggle several locks.
//
// The estimate is the earliest age at which a key there was seen working,
// kept per URL and per scope. The minimum is right for a steady delay: the
// first probe of the next key lands just after it. A later key that is
// slower (jitter) costs one more probe and falls back to the growing
// intervals; a quicker one is found late by at most the difference, which
// the running minimum then removes.
type urlTable struct {
	mu    sync.Mutex
	byURL map[string]*urlRecord
	scope map[ccloud.Scope]time.Duration
}

// urlRecord is what the engine learnt about one probe URL.
type urlRecord struct {
	// worked is the earliest age at which a key there was seen working;
	// known says whether one was.
	worked time.Duration
	known  bool
	// failed is the latest age at which a probe there failed while younger
	// than worked: the lower end of the window in which keys there start
	// working.
	failed time.Duration
	// learnt is closed, and replaced, whenever worked changes, so that keys
	// still waiting there re-plan at once: keys created together work
	// together.
	learnt chan struct{}
	// need is the run of successes a Kafka key there must complete, raised
	// when a key there flapped: a 401 after a success means the cluster's
	// brokers were still learning the key, and the next keys there should
	// not trust a run that short either.
	need int
	// refused is the latest age at which a Kafka key there was refused
	// after it had already worked: brokers may still be learning keys up to
	// that age, so no key there is reported on a run that began sooner, and
	// none is probed sooner.
	refused time.Duration
	// span is the longest time seen at this URL from a Kafka key's first
	// success to a later refusal of it: the spread over which the cluster's
	// brokers learn a key, which a run must outlast.
	span time.Duration
	// reached is set once the URL answered over HTTP, so that later outages
	// there are waited out rather than taken for an unreachable endpoint.
	reached bool
	// cohort holds the waits at the URL while no key there has been seen
	// working, the leader first (see readiness_cohort.go); nil when none.
	cohort []*cohortMember
}

// at returns url's record, made on first use; t.mu must be held.
func (t *urlTable) at(url string) *urlRecord {
	if t.byURL == nil {
		t.byURL = map[string]*urlRecord{}
		t.scope = map[ccloud.Scope]time.Duration{}
	}
	u, ok := t.byURL[url]
	if !ok {
		u = &urlRecord{}
		t.byURL[url] = u
	}
	return u
}

// do runs f on url's record under the table's lock.
func (t *urlTable) do(url string, f func(u *urlRecord)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(t.at(url))
}

// observeSpan records that a Kafka key at url was refused d after its
// first success.
func (t *urlTable) observeSpan(url string, d time.Duration) {
	t.do(url, func(u *urlRecord) { u.span = max(u.span, d) })
}

// spanAt returns the time a Kafka run at url must cover: the longest span
// seen there with a margin, and at least kafkaMinSpan.
func (t *urlTable) spanAt(url string) (span time.Duration) {
	t.do(url, func(u *urlRecord) { span = max(kafkaMinSpan, time.Duration(float64(u.span)*kafkaSpanMargin)) })
	return span
}

// refusedAt returns the latest age of a flap at url; 0 when none.
func (t *urlTable) refusedAt(url string) (v time.Duration) {
	t.do(url, func(u *urlRecord) { v = u.refused })
	return v
}

// observeFlap records a key at url refused at age d after a success, and
// that keys there need runs of at least n successes.
func (t *urlTable) observeFlap(url string, d time.Duration, n int) {
	t.do(url, func(u *urlRecord) {
		u.need = max(u.need, n)
		u.refused = max(u.refused, d)
	})
}

// known reports whether a key at url has been seen working.
func (t *urlTable) known(url string) (v bool) {
	t.do(url, func(u *urlRecord) { v = u.known })
	return v
}

// needAt returns the run of successes learnt for url; 0 when none was.
func (t *urlTable) needAt(url string) (v int) {
	t.do(url, func(u *urlRecord) { v = u.need })
	return v
}

// changed returns a channel that is closed when url's estimate next changes.
func (t *urlTable) changed(url string) (learnt <-chan struct{}) {
	t.do(url, func(u *urlRecord) {
		if u.learnt == nil {
			u.learnt = make(chan struct{})
		}
		learnt = u.learnt
	})
	return learnt
}

// get returns the earliest age at which a key at url worked; 0 when none.
func (t *urlTable) get(url string) (v time.Duration) {
	t.do(url, func(u *urlRecord) { v = u.worked })
	return v
}

// observeFailure records a failed probe at age d.
func (t *urlTable) observeFailure(url string, d time.Duration) {
	t.do(url, func(u *urlRecord) {
		if (!u.known || d < u.worked) && d > u.failed {
			u.failed = d
		}
	})
}

// window returns the URL's lower and upper estimate; the upper one is
// borrowed from the scope for a URL without history.
func (t *urlTable) window(scope ccloud.Scope, url string) (lo, hi time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if u := t.at(url); u.known {
		return u.failed, u.worked
	}
	return 0, t.scope[scope]
}

// observe records a key at url of scope seen working at age d.
func (t *urlTable) observe(scope ccloud.Scope, url string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if u := t.at(url); !u.known || d < u.worked {
		u.worked, u.known = d, true
		if u.learnt != nil {
			close(u.learnt)
			u.learnt = nil
		}
	}
	if old, ok := t.scope[scope]; !ok || d < old {
		t.scope[scope] = d
	}
}

// reached records that url answered over HTTP.
func (t *urlTable) reached(url string) {
	t.do(url, func(u *urlRecord) { u.reached = true })
}

// wasReached reports whether url ever answered over HTTP.
func (t *urlTable) wasReached(url string) (v bool) {
	t.do(url, func(u *urlRecord) { v = u.reached })
	return v
}

// join adds a member to url's cohort; the first member leads at once.
func (t *urlTable) join(url string) *cohortMember {
	m := &cohortMember{lead: make(chan struct{})}
	t.do(url, func(u *urlRecord) {
		if len(u.cohort) == 0 {
			m.first = true
			close(m.lead)
		}
		u.cohort = append(u.cohort, m)
	})
	return m
}

// leave removes m from url's cohort. When m was leading and handover is
// set (no key at url has been seen working yet), the oldest remaining
// member leads from now on, starting from unreachableSince. After a
// success nobody is promoted: the success has woken every follower.
func (t *urlTable) leave(url string, m *cohortMember, handover bool, unreachableSince time.Time) {
	t.do(url, func(u *urlRecord) {
		i := slices.Index(u.cohort, m)
		if i < 0 {
			return
		}
		u.cohort = slices.Delete(u.cohort, i, i+1)
		if len(u.cohort) == 0 {
			u.cohort = nil
			return
		}
		if i == 0 && handover {
			next := u.cohort[0]
			next.unreachableSince = unreachableSince
			close(next.lead)
		}
	})
}

// cohortSize returns how many waits are in url's cohort; for tests.
func (t *urlTable) cohortSize(url string) (v int) {
	t.do(url, func(u *urlRecord) { v = len(u.cohort) })
	return v
}
