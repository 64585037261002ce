// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The probe budget.
//
// Every failed probe is a failed authentication in the organisation's audit
// log, and security teams alert on bursts of them; a real Kafka key takes
// about two minutes to work. Two targets pull against each other: a key
// that starts working at D should be seen within max(1 s, D/10) of D, and a
// one-minute wait should cost at most fifteen failed probes. A lone key with
// no history cannot meet both: to stay within a tenth of the time waited,
// each probe may follow the previous one by at most a tenth of its age, so
// the ages grow by a factor of 1.1 per probe after the first ten seconds of
// one-second steps, and reaching 60 s takes about 29 probes. So the engine
// spends the lateness where it saves the most probes, on the first key of
// an endpoint, and keeps the strict bound for every key after it.
//
// One apply often creates many keys for the same endpoint, and they take
// about as long as each other. So the engine learns, per probe URL, the
// earliest age (time since the wait began) at which a key there was seen
// working, and the next key's first probe waits until that age: when the
// endpoint's delay is steady, that probe succeeds and the key costs no
// failed probe at all. An endpoint without history borrows the estimate of
// another endpoint of the same scope, since scopes propagate alike; a key
// that is not working at the estimate falls back to the growing intervals
// of probeShare. While a URL has no estimate of its own, its waiting keys
// form a cohort (see readiness_cohort.go) in which one key probes for all.
// That key, with no estimate borrowed either, probes at the wider intervals
// of firstShare.
//
// Kafka keys are reported after a run of successes, because brokers learn a
// key one by one and a request lands on one of them. The engine cannot know
// how many brokers there are, so it learns from what it sees: a 401 after a
// success doubles the run that key and later keys at the URL need, and the
// URL remembers the latest age of such a refusal, before which no run there
// begins; a run that begins sooner than any key of its kind was confirmed
// needs twice the run too. Once the run learnt at a URL is as long as its
// number of brokers, no key there can be reported before every broker knows
// it; before that, a key could be. So a Kafka run must also last a minimum
// time, learnt per URL: kafkaMinSpan at first, then kafkaSpanMargin times
// the longest span seen there from a key's first success to a later
// refusal of it, the spread over which brokers learn a key. No broker
// count is needed: a run that outlasts the spread ends after the last
// broker learnt the key (see readiness_kafka_test.go for the rates).
//
// The run is what a Kafka key pays in lateness for that safety. A key that
// every broker knows from age D is reported by D plus its schedule's
// lateness (max(1 s, D/10) for keys after an endpoint's first wave,
// firstShare×D for the first wave) plus one run: the learnt span, then
// one probe per confirmInterval for each success the run needs beyond
// kafkaSpanProbes. A key of the first wave waits for its leader's run
// before it begins its own, so it pays two runs (TestWaitReady_kafkaLateness).
const (
	// probeFloor is the shortest interval between two failed probes of one
	// key, and probeShare the share of the waited time the interval grows
	// to: both keep the key's discovery within max(1 s, D/10) of D, round
	// trips included.
	probeFloor = 800 * time.Millisecond
	probeShare = 0.085
	// firstShare is probeShare for the key that probes at an endpoint with
	// no history at all. From the first probe at once, ages run 0, 0.8,
	// 1.6, 2.4 s on the floor, then grow by 1.35 per probe: 14 probes fall
	// before 60 s (15 would be allowed) and the 15th, at about 65 s, finds
	// the key. The price is lateness: a key that starts working just after
	// a probe is found up to firstShare×D late (21 s at 60 s), and so are
	// the keys of its wave, which first probe at the age it was found. A
	// smaller share costs more probes (0.30 gives 16 before 60 s); a larger
	// one saves one probe per step of about 0.05 and adds 3 s of lateness
	// at 60 s each time. Later keys keep the strict bound.
	firstShare = 0.35
	// readinessMaxErrors is how many unexpected answers in a row (neither
	// "not yet", nor an outage that may pass) end the wait.
	readinessMaxErrors = 5
	// unreachableLimit is how long an endpoint that never answered this
	// engine may refuse connections before the wait gives up on it; an
	// endpoint that answered before is retried until the deadline.
	unreachableLimit = 3 * time.Second
	// DefaultKafkaSuccesses is how many probes in a row must succeed for a Kafka
	// key: brokers learn keys one by one, so one success proves little.
	DefaultKafkaSuccesses = 2
	// kafkaMaxSuccesses caps the run a Kafka key must complete after its
	// endpoint has shown flaps (see readinessHints.need).
	kafkaMaxSuccesses = 16
	// followerPatience is how many quarters of its time a follower of a
	// cohort leaves to the leader before it probes on its own.
	followerPatience = 3
	// confirmInterval separates the confirming probes after a success.
	confirmInterval = 100 * time.Millisecond
	// kafkaMinSpan is the shortest time a Kafka run of successes must
	// cover, from its first success to its last, before a cluster has shown
	// how long its brokers take to learn a key: at confirmInterval it holds
	// ten probes, which visit a cluster's brokers in turn several times.
	kafkaMinSpan = time.Second
	// kafkaSpanMargin is the factor by which a Kafka run must outlast the
	// longest span, from a key's first success to its last refusal, seen at
	// its cluster: brokers learn each key at moments that vary a little.
	kafkaSpanMargin = 1.25
	// kafkaSpanProbes is how many confirming probes a span holds at least.
	kafkaSpanProbes = 8
	// DefaultProbeTimeout bounds one probe; a slower answer counts as an
	// outage, retried on the schedule.
	DefaultProbeTimeout = 10 * time.Second
)

// FirstShare is firstShare, for the benchmark, which judges the lateness
// of an endpoint's first wave of keys against FirstShare×D.
const FirstShare = firstShare

// probeInterval is the wait after a failed probe at age elapsed, for a key
// whose endpoint has history.
func probeInterval(elapsed time.Duration) time.Duration {
	return max(probeFloor, time.Duration(float64(elapsed)*probeShare))
}

// firstInterval is the wait after a failed probe at age elapsed, for the
// key that probes at an endpoint without any history.
func firstInterval(elapsed time.Duration) time.Duration {
	return max(probeFloor, time.Duration(float64(elapsed)*firstShare))
}

// readinessSchedule says when to send the next probe of one wait.
type readinessSchedule struct {
	lo, hi time.Duration // what the endpoint's history says; hi 0 if none
	// started is set once the key has succeeded at all: it is then about
	// to work everywhere (Kafka brokers learning it one by one), the long
	// wait the first-key intervals save probes on is over, and the strict
	// bound applies to what remains.
	started bool
}

func newReadinessSchedule(lo, hi time.Duration) *readinessSchedule {
	return &readinessSchedule{lo: lo, hi: hi}
}

// first is the age of the first probe: at once without history, else
// halfway between the latest age at which a key there still failed and the
// earliest at which one worked, so that each key narrows the window for the
// next.
func (s *readinessSchedule) first() time.Duration {
	if s.hi <= 0 || s.lo >= s.hi {
		return s.hi
	}
	return s.lo + (s.hi-s.lo)/2
}

// next returns how long to wait before the next probe, given that a failed
// probe just answered elapsed after the wait began: without any history the
// wide first-key interval; else straight to the age at which keys there
// worked if that is still ahead, else the growing interval.
func (s *readinessSchedule) next(elapsed time.Duration) time.Duration {
	if s.hi <= 0 && !s.started {
		return firstInterval(elapsed)
	}
	if s.hi > elapsed {
		return min(s.hi-elapsed, probeInterval(elapsed))
	}
	return probeInterval(elapsed)
}

// readinessHints keeps, per probe URL and per scope, the earliest age at
// which a key was seen working, for the life of the engine. The minimum is
// right for a steady delay: the first probe of the next key lands just after
// it. A later key that is slower (jitter) costs one more probe and falls
// back to the growing intervals; a quicker one is found late by at most the
// difference, which the running minimum then removes.
type readinessHints struct {
	mu    sync.Mutex
	url   map[string]*urlHints
	scope map[ccloud.Scope]time.Duration
}

// urlHints is what the engine learnt about one probe URL.
type urlHints struct {
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
}

// observeSpan records that a Kafka key at url was refused d after its
// first success.
func (h *readinessHints) observeSpan(url string, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	u := h.at(url)
	u.span = max(u.span, d)
}

// spanAt returns the time a Kafka run at url must cover: the longest span
// seen there with a margin, and at least kafkaMinSpan.
func (h *readinessHints) spanAt(url string) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(kafkaMinSpan, time.Duration(float64(h.at(url).span)*kafkaSpanMargin))
}

// at returns url's hints, made on first use; h.mu must be held.
func (h *readinessHints) at(url string) *urlHints {
	if h.url == nil {
		h.url = map[string]*urlHints{}
		h.scope = map[ccloud.Scope]time.Duration{}
	}
	u, ok := h.url[url]
	if !ok {
		u = &urlHints{}
		h.url[url] = u
	}
	return u
}

// refusedAt returns the latest age of a flap at url; 0 when none.
func (h *readinessHints) refusedAt(url string) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at(url).refused
}

// observeFlap records a key at url refused at age d after a success, and
// that keys there need runs of at least n successes.
func (h *readinessHints) observeFlap(url string, d time.Duration, n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	u := h.at(url)
	u.need = max(u.need, n)
	u.refused = max(u.refused, d)
}

// known reports whether a key at url has been seen working.
func (h *readinessHints) known(url string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at(url).known
}

// needAt returns the run of successes learnt for url; 0 when none was.
func (h *readinessHints) needAt(url string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at(url).need
}

// changed returns a channel that is closed when url's estimate next changes.
func (h *readinessHints) changed(url string) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	u := h.at(url)
	if u.learnt == nil {
		u.learnt = make(chan struct{})
	}
	return u.learnt
}

// get returns the earliest age at which a key at url worked; 0 when none.
func (h *readinessHints) get(url string) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.at(url).worked
}

// observeFailure records a failed probe at age d.
func (h *readinessHints) observeFailure(url string, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if u := h.at(url); (!u.known || d < u.worked) && d > u.failed {
		u.failed = d
	}
}

// window returns the URL's lower and upper estimate; the upper one is
// borrowed from the scope for a URL without history.
func (h *readinessHints) window(scope ccloud.Scope, url string) (lo, hi time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if u := h.at(url); u.known {
		return u.failed, u.worked
	}
	return 0, h.scope[scope]
}

// observe records a key at url of scope seen working at age d.
func (h *readinessHints) observe(scope ccloud.Scope, url string, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if u := h.at(url); !u.known || d < u.worked {
		u.worked, u.known = d, true
		if u.learnt != nil {
			close(u.learnt)
			u.learnt = nil
		}
	}
	if old, ok := h.scope[scope]; !ok || d < old {
		h.scope[scope] = d
	}
}

// Target is the endpoint a new key is probed at.
type Target struct {
	// Scope is the key's scope.
	Scope ccloud.Scope
	// Resource identifies the endpoint within the scope, for example
	// "lkc-abc123 env-abc123": lookups with equal Scope and Resource share
	// one answer for the life of the engine.
	Resource string
	// Lookup finds the probe URL (a data-plane call only a working key
	// passes), for example by reading
	// the cluster's HTTP endpoint.
	Lookup func(ctx context.Context) (string, error)
	// Successes is how many probes in a row must succeed; when zero, the
	// engine's Config.KafkaSuccesses for Kafka (whose brokers learn keys one
	// by one) and 1 elsewhere. A Kafka key may need a longer run once keys
	// at its cluster have flapped.
	Successes int
}

type probeURLCacheKey struct {
	scope    ccloud.Scope
	resource string
}

// probeURLLookup is one endpoint lookup: in flight until done is closed,
// then holding its answer.
type probeURLLookup struct {
	done chan struct{}
	url  string
	err  error
}

// probeURLCache remembers the probe URL of each resource for the life of the
// engine: endpoints do not change, and an apply that creates many keys for
// one cluster then looks the cluster up once. Concurrent creates for the
// same resource share one lookup in flight. A failed lookup is forgotten,
// so that a later create tries again.
type probeURLCache struct {
	mu      sync.Mutex
	lookups map[probeURLCacheKey]*probeURLLookup
}

// ProbeURL resolves target's probe URL, looking it up at most once per
// engine while lookups succeed.
func (e *Engine) ProbeURL(ctx context.Context, target Target) (string, error) {
	target = target.refusingPlainHTTP()
	c := &e.probeURLs
	key := probeURLCacheKey{scope: target.Scope, resource: target.Resource}
	c.mu.Lock()
	if c.lookups == nil {
		c.lookups = map[probeURLCacheKey]*probeURLLookup{}
	}
	l, ok := c.lookups[key]
	if !ok {
		l = &probeURLLookup{done: make(chan struct{})}
		c.lookups[key] = l
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-l.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if l.err == nil {
			return l.url, nil
		}
		// The shared lookup failed; this caller tries once on its own, on
		// its own context, rather than inherit a failure that may have been
		// the other caller's deadline.
		return target.Lookup(ctx)
	}

	l.url, l.err = target.Lookup(ctx)
	if l.err != nil {
		c.mu.Lock()
		delete(c.lookups, key)
		c.mu.Unlock()
	}
	close(l.done)
	return l.url, l.err
}

// ErrProbeTimeout is the end of a wait whose deadline passed before the key
// worked.
var ErrProbeTimeout = errors.New("the key did not authenticate before the create timeout")

// ErrInterrupted is the end of a wait whose context was cancelled (an
// interrupt, or Terraform going away) rather than timed out.
var ErrInterrupted = errors.New("the run was interrupted before the key was seen working")

// ReadinessError says why a new key was not seen working. It never holds
// the secret.
type ReadinessError struct {
	// URL is the probe URL.
	URL string
	// Probes is how many probes were sent.
	Probes int
	// Err is the cause: ErrProbeTimeout, ErrInterrupted, ErrKeyDeleted, a
	// *ccloud.ProbeUnreachableError or an API error.
	Err error
}

func (e *ReadinessError) Error() string {
	return fmt.Sprintf("readiness check at %s after %d probes: %v", e.URL, e.Probes, e.Err)
}

func (e *ReadinessError) Unwrap() error { return e.Err }

// Readiness describes a wait that ended with a working key.
type Readiness struct {
	// URL is where the key was probed.
	URL string
	// Probes and FailedProbes count the probes sent and those answered 401.
	Probes, FailedProbes int
	// Waited is how long the wait took.
	Waited time.Duration
	// Forbidden is set when the key authenticates but its owner may not make
	// the probe's request (403): the key works, its owner lacks a role
	// binding or ACL. ForbiddenHint names what is likely missing.
	Forbidden bool
	// Flaps counts the 401s that followed a success: the endpoint was still
	// learning the key (Kafka brokers, one by one).
	Flaps int
	// Promoted is set when the wait took over the probing of its cohort
	// from a leader that left without success.
	Promoted bool
	// Impatient is set when the wait, a follower, began to probe on its own
	// because most of its time had passed with the leader's key not working.
	Impatient bool
}

// ForbiddenHint names the permission an owner whose key answers 403 at its
// scope's probe most likely lacks.
func ForbiddenHint(scope ccloud.Scope) string {
	switch scope {
	case ccloud.ScopeKafka:
		return "an ACL or role binding that allows it to describe topics (for example DeveloperRead on a topic)"
	case ccloud.ScopeSchemaRegistry:
		return "a role binding on the Schema Registry's subjects (for example DeveloperRead)"
	case ccloud.ScopeKsqlDB:
		return "a role binding on the ksqlDB cluster (for example KsqlAdmin or ResourceOwner)"
	case ccloud.ScopeFlink:
		return "a Flink role binding in the environment (for example FlinkDeveloper)"
	case ccloud.ScopeTableflow:
		return "a role binding for Tableflow"
	}
	return "a role binding"
}

// WaitReady resolves target's probe URL and polls it with the key's own
// credentials until the key works, ctx ends, the key turns out to be
// deleted, or the probe fails in a way that waiting will not fix. A 401 is
// "not yet"; a 403 counts as working (see Readiness.Forbidden); a Kafka key
// must succeed Config.KafkaSuccesses times in a row (more after flaps); outages (no answer, 5xx,
// timeouts) are retried until ctx ends, except an endpoint that has never
// answered and keeps refusing. A failed lookup is returned as is; a failed
// wait as a *ReadinessError.
func (e *Engine) WaitReady(ctx context.Context, target Target, keyID, secret string) (Readiness, error) {
	url, err := e.ProbeURL(ctx, target)
	if err != nil {
		return Readiness{}, err
	}
	var gone <-chan struct{}
	if p := e.pendingKey(keyID); p != nil {
		gone = p.gone
	}
	need := target.Successes
	if need <= 0 {
		need = 1
		if target.Scope == ccloud.ScopeKafka {
			need = e.kafkaSuccesses
		}
	}
	return e.waitAt(ctx, target.Scope, url, keyID, secret, need, gone)
}

// waitAt polls url until the key works there.
func (e *Engine) waitAt(ctx context.Context, scope ccloud.Scope, url, keyID, secret string, need int, gone <-chan struct{}) (Readiness, error) {
	r := Readiness{URL: url}
	start := e.clock.Now()
	// Only Kafka keys learn from flaps: its brokers learn a key one by one,
	// and the default run of two successes is the choice for them.
	learnFlaps := scope == ccloud.ScopeKafka
	if learnFlaps {
		need = max(need, e.hints.needAt(url))
	}
	unexpected, successes := 0, 0
	var firstSuccess time.Duration
	// everSucceeded is the age of the key's first success of the wait, from
	// which a later refusal measures the span over which brokers learn keys.
	everSucceeded := time.Duration(-1)
	var unreachableSince time.Time
	fail := func(err error) (Readiness, error) {
		r.Waited = e.clock.Now().Sub(start)
		return r, &ReadinessError{URL: url, Probes: r.Probes, Err: err}
	}
	ended := func() error {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ErrProbeTimeout
		}
		return ErrInterrupted
	}

	// The channel is taken before the estimate is read, so that a key seen
	// working in between still wakes this wait.
	learnt := e.hints.changed(url)
	var wait time.Duration
	planned := false
	if !e.hints.known(url) {
		member := e.cohorts.join(url)
		defer func() {
			if member != nil {
				e.cohorts.leave(url, member, !e.hints.known(url), unreachableSince)
			}
		}()
		// A follower does not wait for the leader to the very end: if the
		// leader's key never works (a key the cloud failed to propagate),
		// the follower would otherwise time out without a single probe of
		// its own. Once most of its time is gone it probes for itself.
		var ownTurn <-chan time.Time
		if deadline, ok := ctx.Deadline(); ok {
			if left := deadline.Sub(e.clock.Now()); left > 0 {
				timer := e.clock.NewTimer(left * followerPatience / 4)
				defer timer.Stop()
				ownTurn = timer.C()
			}
		}
		select {
		case <-ownTurn:
			e.cohorts.leave(url, member, false, time.Time{})
			member = nil
			planned = true
			r.Impatient = true
		case <-member.lead:
			if !member.first {
				// The leader left without success: take over at once.
				r.Promoted = true
				planned = true
				unreachableSince = member.unreachableSince
			}
		case <-learnt:
			// A member worked: probe first at the age at which it did.
			e.cohorts.leave(url, member, false, time.Time{})
			member = nil
			planned = true
			wait = e.hints.get(url) - e.clock.Now().Sub(start)
		case <-ctx.Done():
			return fail(ended())
		case <-gone:
			return fail(ErrKeyDeleted)
		}
	}
	schedule := newReadinessSchedule(e.hints.window(scope, url))
	if !planned {
		wait = schedule.first()
	}

	// horizon delays a Kafka probe until after the latest age at which a key
	// here was refused after working: a run may not begin sooner.
	horizon := func(wait time.Duration) time.Duration {
		if !learnFlaps {
			return wait
		}
		if h := e.hints.refusedAt(url); h > 0 {
			return max(wait, h+time.Millisecond-e.clock.Now().Sub(start))
		}
		return wait
	}
	// sleep waits before the next probe, but wakes early when another key at
	// this URL shows meanwhile that keys work sooner than the wait assumes.
	sleep := func(wait time.Duration) error {
		wait = horizon(wait)
		for wait > 0 {
			learnt := e.hints.changed(url)
			timer := e.clock.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ended()
			case <-gone:
				timer.Stop()
				return ErrKeyDeleted
			case <-learnt:
				timer.Stop()
				wait = horizon(e.hints.get(url) - e.clock.Now().Sub(start))
			case <-timer.C():
				return nil
			}
		}
		// A wait that ended with ctx (a promotion after an interrupt) sends
		// no probe.
		if ctx.Err() != nil {
			return ended()
		}
		return nil
	}
	for {
		if err := sleep(wait); err != nil {
			return fail(err)
		}
		r.Probes++
		sent := e.clock.Now().Sub(start)
		pctx, cancel := context.WithTimeout(ctx, e.probeTimeout)
		err := e.sendProbe(pctx, url, keyID, secret)
		cancel()
		var unreachable *ccloud.ProbeUnreachableError
		switch {
		case err == nil || errors.Is(err, ccloud.ErrForbidden):
			unexpected = 0
			unreachableSince = time.Time{}
			e.reached(url)
			if successes == 0 {
				firstSuccess = sent
			}
			if everSucceeded < 0 {
				everSucceeded = sent
			}
			successes++
			schedule.started = true
			r.Forbidden = r.Forbidden || err != nil
			if learnFlaps {
				need = max(need, e.hints.needAt(url))
				if firstSuccess <= e.hints.refusedAt(url) {
					// The run began while keys here were still refused by
					// some broker: it proves nothing yet.
					successes = 1
					firstSuccess = sent
				}
			}
			span := time.Duration(0)
			if learnFlaps {
				span = e.hints.spanAt(url)
			}
			if successes >= e.runNeeded(scope, url, need, firstSuccess, learnFlaps) && sent-firstSuccess >= span {
				e.hints.observe(scope, url, firstSuccess)
				r.Waited = e.clock.Now().Sub(start)
				e.log.Debug(ctx, "new API key works", map[string]any{
					"key_id": keyID, "url": url, "probes": r.Probes, "failed_probes": r.FailedProbes,
					"waited_ms": r.Waited.Milliseconds(), "forbidden": r.Forbidden, "flaps": r.Flaps,
				})
				return r, nil
			}
			wait = confirmInterval
			if left := span - (sent - firstSuccess); left > 0 {
				// Spread kafkaSpanProbes confirming probes over the span:
				// each may land on a broker that does not know the key yet,
				// and a span that long costs a few probes, not one per
				// confirmInterval.
				wait = min(left, max(confirmInterval, span/kafkaSpanProbes))
			}
			continue
		case ctx.Err() != nil:
			return fail(ended())
		case errors.Is(err, ccloud.ErrNotReady):
			r.FailedProbes++
			if successes == 0 {
				e.hints.observeFailure(url, sent)
			} else {
				r.Flaps++
				if learnFlaps {
					// A 401 after a success: some brokers know the key and
					// others not yet. Ask this key, and later keys here, for a
					// longer run.
					need = min(2*need, e.kafkaMaxRun())
					e.hints.observeFlap(url, sent, need)
					e.hints.observeSpan(url, sent-everSucceeded)
				}
			}
			successes = 0
			unexpected = 0
			unreachableSince = time.Time{}
			e.reached(url)
		case errors.As(err, &unreachable) || errors.Is(err, context.DeadlineExceeded) ||
			ccloud.StatusCode(err) >= 500 || ccloud.StatusCode(err) == 429:
			// An outage, a timeout or an overloaded endpoint: it may pass, so
			// keep trying until the deadline, unless the endpoint never
			// answered at all (a private cluster, a wrong address).
			successes = 0
			if unreachable != nil && !e.wasReached(url) {
				if unreachableSince.IsZero() {
					unreachableSince = e.clock.Now()
				} else if e.clock.Now().Sub(unreachableSince) >= unreachableLimit {
					return fail(err)
				}
			}
			e.log.Debug(ctx, "readiness probe failed; retrying", map[string]any{"key_id": keyID, "url": url, "error": err.Error()})
		default:
			successes = 0
			unexpected++
			if unexpected >= readinessMaxErrors {
				return fail(err)
			}
		}
		schedule.lo, schedule.hi = e.hints.window(scope, url)
		wait = schedule.next(e.clock.Now().Sub(start))
	}
}

// runNeeded is the run of successes that confirms a key whose current run
// began at age firstSuccess. A Kafka run that began sooner than any key of
// its kind was confirmed (the estimate) is in the window in which brokers
// are still learning keys, where two successes in a row often come from
// the brokers that already know it: such a run counts as if the key had
// flapped once and needs twice the run.
func (e *Engine) runNeeded(scope ccloud.Scope, url string, need int, firstSuccess time.Duration, learnFlaps bool) int {
	if !learnFlaps {
		return need
	}
	if _, hi := e.hints.window(scope, url); hi > 0 && firstSuccess < hi {
		return min(2*need, e.kafkaMaxRun())
	}
	return need
}

// sendProbe sends one probe, through the test's prober when one is set.
func (e *Engine) sendProbe(ctx context.Context, url, keyID, secret string) error {
	if e.probe != nil {
		return e.probe(ctx, url, keyID, secret)
	}
	return e.client.Probe(ctx, url, keyID, secret)
}

// reached records that url answered over HTTP, so later outages there are
// waited out rather than taken for an unreachable endpoint.
func (e *Engine) reached(url string) {
	e.reachedMu.Lock()
	defer e.reachedMu.Unlock()
	if e.reachedURLs == nil {
		e.reachedURLs = map[string]bool{}
	}
	e.reachedURLs[url] = true
}

func (e *Engine) wasReached(url string) bool {
	e.reachedMu.Lock()
	defer e.reachedMu.Unlock()
	return e.reachedURLs[url]
}

// kafkaMaxRun caps the run a Kafka key must complete after flaps: at
// kafkaMaxSuccesses, or at the configured run when that is longer.
func (e *Engine) kafkaMaxRun() int {
	return max(kafkaMaxSuccesses, e.kafkaSuccesses)
}
