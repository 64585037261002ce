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
	// endpoint has shown flaps (see urlRecord.need).
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
	// binding or ACL. ccloud.ForbiddenHint names what is likely missing.
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
