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

// Readiness polling starts at once and backs off exponentially up to a short
// cap, so that a key which needs a propagation delay D is seen working
// within about D plus one cap, while the number of probes stays bounded
// (roughly D/cap). Fixed sleeps, as the official provider uses, either
// waste minutes or give up too early.
//
// One apply often creates many keys for the same cluster, and they take
// about as long as each other to propagate. So the engine keeps, per probe
// URL, a running estimate h of how long earlier keys took to work (the
// hint), and probes the next keys there differently: at once, then at most
// a cap apart until 7h/8, then every h/20 (at least 50 ms, at most the cap)
// until 9h/8, then backing off again. A key that works about when its
// predecessors did is found within tens of milliseconds instead of up to a
// cap later, and with fewer probes than the plain backoff spends early on;
// one that works sooner or later is still found within one cap.
const (
	readinessFirstWait = 100 * time.Millisecond
	readinessMaxWait   = time.Second
	// readinessMaxErrors is how many unexpected answers in a row (neither
	// "not yet" nor success) end the wait.
	readinessMaxErrors = 5

	// The dense window around a hint h runs from h*hintWindowStart/8 to
	// h*hintWindowEnd/8, probing every h/hintSpacingDivisor but no more
	// often than hintMinSpacing.
	hintWindowStart     = 7
	hintWindowEnd       = 9
	hintSpacingDivisor  = 20
	hintMinSpacing      = 50 * time.Millisecond
	maxHintWindowProbes = (hintWindowEnd-hintWindowStart)*hintSpacingDivisor/8 + 1
)

// readinessSchedule says when to send the next probe of one wait.
type readinessSchedule struct {
	hint    time.Duration // the estimate of how long keys take to work; 0 if none
	backoff time.Duration // the plain backoff's next wait
}

func newReadinessSchedule(hint time.Duration) *readinessSchedule {
	return &readinessSchedule{hint: hint, backoff: readinessFirstWait}
}

// next returns how long to wait before the next probe, given that the
// failed probe just answered elapsed after the wait began.
func (s *readinessSchedule) next(elapsed time.Duration) time.Duration {
	if s.hint <= 0 {
		wait := s.backoff
		s.backoff = min(2*s.backoff, readinessMaxWait)
		return wait
	}
	start := s.hint * hintWindowStart / 8
	end := s.hint * hintWindowEnd / 8
	switch {
	case elapsed < start:
		return min(readinessMaxWait, start-elapsed)
	case elapsed < end:
		return min(max(s.hint/hintSpacingDivisor, hintMinSpacing), readinessMaxWait)
	default:
		// Later than expected: back off in proportion to the time waited.
		return min(max(elapsed/2, readinessFirstWait), readinessMaxWait)
	}
}

// readinessHints keeps, per probe URL, a running estimate of how long a new
// key takes from the start of its wait to the probe that finds it working,
// for the life of the engine. Each observation moves the estimate halfway
// towards it: quick to follow a change, and not pulled far by one key that
// happened to be early or late, as a minimum or maximum would be.
type readinessHints struct {
	mu       sync.Mutex
	estimate map[string]time.Duration
}

func (h *readinessHints) get(url string) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.estimate[url]
}

func (h *readinessHints) observe(url string, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.estimate == nil {
		h.estimate = map[string]time.Duration{}
	}
	old, ok := h.estimate[url]
	if !ok {
		h.estimate[url] = d
		return
	}
	h.estimate[url] = old + (d-old)/2
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

// ReadinessError says why a new key was not seen working. It never holds
// the secret.
type ReadinessError struct {
	// URL is the probe URL.
	URL string
	// Probes is how many probes were sent.
	Probes int
	// Err is the cause: ErrProbeTimeout, a *ccloud.ProbeUnreachableError or
	// an API error.
	Err error
}

func (e *ReadinessError) Error() string {
	return fmt.Sprintf("readiness check at %s after %d probes: %v", e.URL, e.Probes, e.Err)
}

func (e *ReadinessError) Unwrap() error { return e.Err }

// WaitReady resolves target's probe URL and polls it with the key's own
// credentials until the key authenticates, ctx ends, or the probe fails in
// a way that waiting will not fix. A failed lookup is returned as is; a
// failed wait as a *ReadinessError.
func (e *Engine) WaitReady(ctx context.Context, target Target, keyID, secret string) error {
	url, err := e.ProbeURL(ctx, target)
	if err != nil {
		return err
	}
	return e.waitAt(ctx, url, keyID, secret)
}

// waitAt polls url until the key authenticates there.
func (e *Engine) waitAt(ctx context.Context, url, keyID, secret string) error {
	schedule := newReadinessSchedule(e.hints.get(url))
	probes, unexpected := 0, 0
	start := e.clock.Now()
	for {
		probes++
		sent := e.clock.Now().Sub(start)
		err := e.client.Probe(ctx, url, keyID, secret)
		var unreachable *ccloud.ProbeUnreachableError
		switch {
		case err == nil:
			e.hints.observe(url, sent)
			e.log.Debug(ctx, "new API key authenticates", map[string]any{
				"key_id": keyID, "url": url, "probes": probes, "waited_ms": e.clock.Now().Sub(start).Milliseconds(),
			})
			return nil
		case ctx.Err() != nil:
			return &ReadinessError{URL: url, Probes: probes, Err: ErrProbeTimeout}
		case errors.Is(err, ccloud.ErrNotReady):
			unexpected = 0
		case errors.As(err, &unreachable):
			return &ReadinessError{URL: url, Probes: probes, Err: err}
		default:
			unexpected++
			if unexpected >= readinessMaxErrors {
				return &ReadinessError{URL: url, Probes: probes, Err: err}
			}
		}
		timer := e.clock.NewTimer(schedule.next(e.clock.Now().Sub(start)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return &ReadinessError{URL: url, Probes: probes, Err: ErrProbeTimeout}
		case <-timer.C():
		}
	}
}
