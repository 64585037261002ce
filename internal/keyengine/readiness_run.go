// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

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
	p := &probeRun{e: e, ctx: ctx, scope: target.Scope, url: url, keyID: keyID, secret: secret, need: need, gone: gone}
	return p.run()
}

// sendProbe sends one probe, through the test's prober when one is set.
func (e *Engine) sendProbe(ctx context.Context, url, keyID, secret string) error {
	if e.probe != nil {
		return e.probe(ctx, url, keyID, secret)
	}
	return e.client.Probe(ctx, url, keyID, secret)
}

// kafkaMaxRun caps the run a Kafka key must complete after flaps: at
// kafkaMaxSuccesses, or at the configured run when that is longer.
func (e *Engine) kafkaMaxRun() int {
	return max(kafkaMaxSuccesses, e.kafkaSuccesses)
}

// probeRun is one wait for one new key at one probe URL: WaitReady's
// state, with each step of the wait (the cohort, the sleep before a probe,
// what a probe's answer changes) a method of its own. Ages are times since
// the wait began, on the engine's clock; what the wait learns about the
// URL goes to the engine's urlTable, where later waits find it.
type probeRun struct {
	e                  *Engine
	ctx                context.Context
	scope              ccloud.Scope
	url, keyID, secret string
	// need is the run of successes the key must complete; gone is closed
	// when the key is found deleted.
	need int
	gone <-chan struct{}

	r     Readiness
	start time.Time
	// kafka is set for Kafka keys, the only ones that learn from flaps: the
	// brokers of a cluster learn a key one by one.
	kafka    bool
	schedule *readinessSchedule
	// member is the run's place in its URL's cohort while it holds one.
	member *cohortMember

	// unexpected counts unexpected answers in a row, successes the current
	// run of successes, which began at age firstSuccess.
	unexpected, successes int
	firstSuccess          time.Duration
	// everSucceeded is the age of the key's first success of the wait, from
	// which a later refusal measures the span over which brokers learn keys;
	// -1 before it.
	everSucceeded time.Duration
	// unreachableSince is when the endpoint began refusing connections, if
	// it never answered this engine; zero otherwise.
	unreachableSince time.Time
}

// run waits until the key works, the context ends, the key is deleted, or
// the probes fail in a way that waiting will not fix.
func (p *probeRun) run() (Readiness, error) {
	p.r = Readiness{URL: p.url}
	p.start = p.e.clock.Now()
	p.everSucceeded = -1
	p.kafka = p.scope == ccloud.ScopeKafka
	if p.kafka {
		p.need = max(p.need, p.e.urls.needAt(p.url))
	}
	defer p.leaveCohort()
	wait, err := p.firstWait()
	if err != nil {
		return p.fail(err)
	}
	for {
		if err := p.sleep(wait); err != nil {
			return p.fail(err)
		}
		var done bool
		if wait, done, err = p.probe(); done || err != nil {
			if err != nil {
				return p.fail(err)
			}
			return p.r, nil
		}
	}
}

// age is the time since the wait began.
func (p *probeRun) age() time.Duration { return p.e.clock.Now().Sub(p.start) }

// fail ends the wait with err.
func (p *probeRun) fail(err error) (Readiness, error) {
	p.r.Waited = p.age()
	return p.r, &ReadinessError{URL: p.url, Probes: p.r.Probes, Err: err}
}

// ended is the error of a wait whose context ended.
func (p *probeRun) ended() error {
	if errors.Is(p.ctx.Err(), context.DeadlineExceeded) {
		return ErrProbeTimeout
	}
	return ErrInterrupted
}

// firstWait returns how long to wait before the first probe: at an URL
// where no key has worked yet, after waiting in its cohort (see
// readiness_cohort.go); else on the schedule the URL's history gives.
func (p *probeRun) firstWait() (time.Duration, error) {
	// The channel is taken before the estimate is read, so that a key seen
	// working in between still wakes this wait.
	learnt := p.e.urls.changed(p.url)
	var wait time.Duration
	planned := false
	if !p.e.urls.known(p.url) {
		var err error
		if wait, planned, err = p.awaitCohort(learnt); err != nil {
			return 0, err
		}
	}
	p.schedule = newReadinessSchedule(p.e.urls.window(p.scope, p.url))
	if !planned {
		wait = p.schedule.first()
	}
	return wait, nil
}

// awaitCohort joins the URL's cohort and returns once this wait is to
// probe: at once as the leader (planned unset: the schedule decides), at
// once when promoted, at the learnt age when a member's key worked, or on
// its own when most of its time has passed.
func (p *probeRun) awaitCohort(learnt <-chan struct{}) (wait time.Duration, planned bool, err error) {
	p.member = p.e.urls.join(p.url)
	// A follower does not wait for the leader to the very end: if the
	// leader's key never works (a key the cloud failed to propagate), the
	// follower would otherwise time out without a single probe of its own.
	// Once most of its time is gone it probes for itself.
	var ownTurn <-chan time.Time
	if deadline, ok := p.ctx.Deadline(); ok {
		if left := deadline.Sub(p.e.clock.Now()); left > 0 {
			timer := p.e.clock.NewTimer(left * followerPatience / 4)
			defer timer.Stop()
			ownTurn = timer.C()
		}
	}
	select {
	case <-ownTurn:
		p.quitCohort()
		p.r.Impatient = true
		return 0, true, nil
	case <-p.member.lead:
		if !p.member.first {
			// The leader left without success: take over at once.
			p.r.Promoted = true
			p.unreachableSince = p.member.unreachableSince
			return 0, true, nil
		}
		return 0, false, nil
	case <-learnt:
		// A member worked: probe first at the age at which it did.
		p.quitCohort()
		return p.e.urls.get(p.url) - p.age(), true, nil
	case <-p.ctx.Done():
		return 0, false, p.ended()
	case <-p.gone:
		return 0, false, ErrKeyDeleted
	}
}

// quitCohort leaves the cohort without handing the lead over: the wait
// probes on its own from now on.
func (p *probeRun) quitCohort() {
	p.e.urls.leave(p.url, p.member, false, time.Time{})
	p.member = nil
}

// leaveCohort ends the run's membership, if it still holds one, as the wait
// ends: a leader that leaves before any key at the URL worked hands the
// schedule, and what it saw of an unreachable endpoint, to the next member.
func (p *probeRun) leaveCohort() {
	if p.member != nil {
		p.e.urls.leave(p.url, p.member, !p.e.urls.known(p.url), p.unreachableSince)
		p.member = nil
	}
}

// horizon delays a Kafka probe until after the latest age at which a key
// at the URL was refused after working: a run may not begin sooner.
func (p *probeRun) horizon(wait time.Duration) time.Duration {
	if !p.kafka {
		return wait
	}
	if h := p.e.urls.refusedAt(p.url); h > 0 {
		return max(wait, h+time.Millisecond-p.age())
	}
	return wait
}

// sleep waits before the next probe, but wakes early when another key at
// the URL shows meanwhile that keys work sooner than the wait assumes.
func (p *probeRun) sleep(wait time.Duration) error {
	wait = p.horizon(wait)
	for wait > 0 {
		learnt := p.e.urls.changed(p.url)
		timer := p.e.clock.NewTimer(wait)
		select {
		case <-p.ctx.Done():
			timer.Stop()
			return p.ended()
		case <-p.gone:
			timer.Stop()
			return ErrKeyDeleted
		case <-learnt:
			timer.Stop()
			wait = p.horizon(p.e.urls.get(p.url) - p.age())
		case <-timer.C():
			return nil
		}
	}
	// A wait that ended with ctx (a promotion after an interrupt) sends no
	// probe.
	if p.ctx.Err() != nil {
		return p.ended()
	}
	return nil
}

// probe sends one probe and takes in its answer: done when the key is
// confirmed working, an error when the wait ends, else the wait before the
// next probe.
func (p *probeRun) probe() (wait time.Duration, done bool, err error) {
	p.r.Probes++
	sent := p.age()
	pctx, cancel := context.WithTimeout(p.ctx, p.e.probeTimeout)
	err = p.e.sendProbe(pctx, p.url, p.keyID, p.secret)
	cancel()
	var unreachable *ccloud.ProbeUnreachableError
	switch {
	case err == nil || errors.Is(err, ccloud.ErrForbidden):
		return p.succeeded(sent, err != nil)
	case p.ctx.Err() != nil:
		return 0, false, p.ended()
	case errors.Is(err, ccloud.ErrNotReady):
		p.refused(sent)
	case errors.As(err, &unreachable) || errors.Is(err, context.DeadlineExceeded) ||
		ccloud.StatusCode(err) >= 500 || ccloud.StatusCode(err) == 429:
		if err := p.outage(err, unreachable != nil); err != nil {
			return 0, false, err
		}
	default:
		p.successes = 0
		p.unexpected++
		if p.unexpected >= readinessMaxErrors {
			return 0, false, err
		}
	}
	p.schedule.lo, p.schedule.hi = p.e.urls.window(p.scope, p.url)
	return p.schedule.next(p.age()), false, nil
}

// succeeded takes in a probe sent at age sent that the key passed (or that
// its owner may not make: forbidden). The key is confirmed once its run of
// successes is long enough and, for Kafka, spans the URL's learnt span;
// until then it returns the wait before the next confirming probe.
func (p *probeRun) succeeded(sent time.Duration, forbidden bool) (wait time.Duration, done bool, err error) {
	p.unexpected = 0
	p.unreachableSince = time.Time{}
	p.e.urls.reached(p.url)
	if p.successes == 0 {
		p.firstSuccess = sent
	}
	if p.everSucceeded < 0 {
		p.everSucceeded = sent
	}
	p.successes++
	p.schedule.started = true
	p.r.Forbidden = p.r.Forbidden || forbidden
	span := time.Duration(0)
	if p.kafka {
		p.need = max(p.need, p.e.urls.needAt(p.url))
		if p.firstSuccess <= p.e.urls.refusedAt(p.url) {
			// The run began while keys here were still refused by some
			// broker: it proves nothing yet.
			p.successes = 1
			p.firstSuccess = sent
		}
		span = p.e.urls.spanAt(p.url)
	}
	if p.successes >= p.runNeeded() && sent-p.firstSuccess >= span {
		p.e.urls.observe(p.scope, p.url, p.firstSuccess)
		p.r.Waited = p.age()
		p.e.log.Debug(p.ctx, "new API key works", map[string]any{
			"key_id": p.keyID, "url": p.url, "probes": p.r.Probes, "failed_probes": p.r.FailedProbes,
			"waited_ms": p.r.Waited.Milliseconds(), "forbidden": p.r.Forbidden, "flaps": p.r.Flaps,
		})
		return 0, true, nil
	}
	wait = confirmInterval
	if left := span - (sent - p.firstSuccess); left > 0 {
		// Spread kafkaSpanProbes confirming probes over the span: each may
		// land on a broker that does not know the key yet, and a span that
		// long costs a few probes, not one per confirmInterval.
		wait = min(left, max(confirmInterval, span/kafkaSpanProbes))
	}
	return wait, false, nil
}

// refused takes in a 401 ("not yet") to a probe sent at age sent.
func (p *probeRun) refused(sent time.Duration) {
	p.r.FailedProbes++
	if p.successes == 0 {
		p.e.urls.observeFailure(p.url, sent)
	} else {
		p.r.Flaps++
		if p.kafka {
			// A 401 after a success: some brokers know the key and others
			// not yet. Ask this key, and later keys here, for a longer run.
			p.need = min(2*p.need, p.e.kafkaMaxRun())
			p.e.urls.observeFlap(p.url, sent, p.need)
			p.e.urls.observeSpan(p.url, sent-p.everSucceeded)
		}
	}
	p.successes = 0
	p.unexpected = 0
	p.unreachableSince = time.Time{}
	p.e.urls.reached(p.url)
}

// outage takes in an outage, a timeout or an overloaded endpoint: it may
// pass, so the wait goes on until the deadline, unless the endpoint never
// answered at all (a private cluster, a wrong address) and has refused
// connections (unreachable) for unreachableLimit.
func (p *probeRun) outage(err error, unreachable bool) error {
	p.successes = 0
	if unreachable && !p.e.urls.wasReached(p.url) {
		if p.unreachableSince.IsZero() {
			p.unreachableSince = p.e.clock.Now()
		} else if p.e.clock.Now().Sub(p.unreachableSince) >= unreachableLimit {
			return err
		}
	}
	p.e.log.Debug(p.ctx, "readiness probe failed; retrying", map[string]any{"key_id": p.keyID, "url": p.url, "error": err.Error()})
	return nil
}

// runNeeded is the run of successes that confirms the key, whose current
// run began at age firstSuccess. A Kafka run that began sooner than any key
// of its kind was confirmed (the estimate) is in the window in which
// brokers are still learning keys, where two successes in a row often come
// from the brokers that already know it: such a run counts as if the key
// had flapped once and needs twice the run.
func (p *probeRun) runNeeded() int {
	if !p.kafka {
		return p.need
	}
	if _, hi := p.e.urls.window(p.scope, p.url); hi > 0 && p.firstSuccess < hi {
		return min(2*p.need, p.e.kafkaMaxRun())
	}
	return p.need
}
