// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Readiness polling starts at once and backs off exponentially up to a short
// cap, so that a key which needs a propagation delay D is seen working
// within about D plus one cap, while the number of probes stays bounded
// (roughly D/cap). Fixed sleeps, as the official provider uses, either
// waste minutes or give up too early.
//
// One apply often creates many keys for the same cluster, and they take
// about as long as each other to propagate. So the provider keeps, per probe
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
// for the life of the provider process. Each observation moves the estimate
// halfway towards it: quick to follow a change, and not pulled far by one
// key that happened to be early or late, as a minimum or maximum would be.
type readinessHints struct {
	mu       sync.Mutex
	estimate map[string]time.Duration
}

func (h *readinessHints) get(url string) time.Duration {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.estimate[url]
}

func (h *readinessHints) observe(url string, d time.Duration) {
	if h == nil {
		return
	}
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

// probeURLCacheKey identifies one endpoint lookup. The client is part of the
// key because the same IDs mean different things behind different
// endpoints and credentials.
type probeURLCacheKey struct {
	client *ccloud.Client
	scope  ccloud.Scope
	values string
}

// probeURLLookup is one endpoint lookup: in flight until done is closed,
// then holding its answer.
type probeURLLookup struct {
	done chan struct{}
	url  string
	err  error
}

// probeURLCache remembers the probe URL of each resource for the life of the
// provider process: endpoints do not change, and an apply that creates many
// keys for one cluster then looks the cluster up once. Concurrent creates
// for the same resource share one lookup in flight. A failed lookup is
// forgotten, so that a later create tries again.
var probeURLCache = struct {
	mu      sync.Mutex
	lookups map[probeURLCacheKey]*probeURLLookup
}{lookups: map[probeURLCacheKey]*probeURLLookup{}}

func (s *apiKeyScope) cachedProbeURL(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
	names := make([]string, 0, len(v))
	for k, val := range v {
		names = append(names, k+"="+val)
	}
	sort.Strings(names)
	key := probeURLCacheKey{client: c, scope: s.scope, values: strings.Join(names, ",")}

	probeURLCache.mu.Lock()
	l, ok := probeURLCache.lookups[key]
	if !ok {
		l = &probeURLLookup{done: make(chan struct{})}
		probeURLCache.lookups[key] = l
	}
	probeURLCache.mu.Unlock()
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
		return s.probeURL(ctx, c, v)
	}

	l.url, l.err = s.probeURL(ctx, c, v)
	if l.err != nil {
		probeURLCache.mu.Lock()
		delete(probeURLCache.lookups, key)
		probeURLCache.mu.Unlock()
	}
	close(l.done)
	return l.url, l.err
}

// errProbeTimeout is the end of a wait whose deadline passed before the key
// worked.
var errProbeTimeout = errors.New("the key did not authenticate before the create timeout")

// readinessError says why a new key was not seen working. It never holds the
// secret.
type readinessError struct {
	url    string
	probes int
	err    error
}

func (e *readinessError) Error() string {
	return fmt.Sprintf("readiness check at %s after %d probes: %v", e.url, e.probes, e.err)
}

func (e *readinessError) Unwrap() error { return e.err }

// waitForKeyReady polls target with the key's own credentials until it
// authenticates, ctx ends, or the probe fails in a way that waiting will not
// fix. hints, which may be nil, shapes the schedule and learns from it.
func waitForKeyReady(ctx context.Context, c *ccloud.Client, hints *readinessHints, target, keyID, secret string) error {
	schedule := newReadinessSchedule(hints.get(target))
	probes, unexpected := 0, 0
	start := time.Now()
	for {
		probes++
		sent := time.Since(start)
		err := c.Probe(ctx, target, keyID, secret)
		var unreachable *ccloud.ProbeUnreachableError
		switch {
		case err == nil:
			hints.observe(target, sent)
			tflog.Debug(ctx, "new API key authenticates", map[string]any{
				"key_id": keyID, "url": target, "probes": probes, "waited_ms": time.Since(start).Milliseconds(),
			})
			return nil
		case ctx.Err() != nil:
			return &readinessError{url: target, probes: probes, err: errProbeTimeout}
		case errors.Is(err, ccloud.ErrNotReady):
			unexpected = 0
		case errors.As(err, &unreachable):
			return &readinessError{url: target, probes: probes, err: err}
		default:
			unexpected++
			if unexpected >= readinessMaxErrors {
				return &readinessError{url: target, probes: probes, err: err}
			}
		}
		timer := time.NewTimer(schedule.next(time.Since(start)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return &readinessError{url: target, probes: probes, err: errProbeTimeout}
		case <-timer.C:
		}
	}
}

// readinessErrorDetail explains a failed wait and what to do about it. The
// key is already in state at this point, so the resource ends up tainted.
func readinessErrorDetail(typeName, keyID string, timeout time.Duration, err error) string {
	var b strings.Builder
	var unreachable *ccloud.ProbeUnreachableError
	var re *readinessError
	switch {
	case errors.As(err, &unreachable):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works failed: the provider cannot reach %s "+
			"(%v). This usually means the endpoint is private (for example a cluster behind private networking) "+
			"and not reachable from where Terraform runs. Set wait_for_ready = false on this %s to skip the check.",
			keyID, unreachable.URL, unreachable.Err, typeName)
	case errors.Is(err, errProbeTimeout) && errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created but did not authenticate at %s within the create timeout of %s "+
			"(%d checks). Confluent Cloud usually propagates new keys within a few minutes; raise timeouts { create } "+
			"or set wait_for_ready = false to skip the check.", keyID, re.url, timeout, re.probes)
	case errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works at %s failed: %v. Set wait_for_ready = "+
			"false to skip the check.", keyID, re.url, re.err)
	default:
		fmt.Fprintf(&b, "API key %s was created, but the endpoint to check it against could not be found: %v. Set "+
			"wait_for_ready = false to skip the check.", keyID, err)
	}
	b.WriteString("\n\nThe key is saved in state and marked tainted, so the next apply replaces it and deletes " +
		"this key; no key is left behind untracked.")
	return b.String()
}
