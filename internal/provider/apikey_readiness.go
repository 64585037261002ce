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
// about as long as each other to propagate. So the provider remembers, per
// probe URL, how soon the fastest earlier key authenticated (its hint h),
// and probes the next keys densely around that time: every h/20 (at least
// 50 ms, at most the cap) from 3h/4 to 5h/4, on top of the ordinary
// backoff. That finds such a key within a few tens of milliseconds of the
// moment it works instead of up to a second later, for at most 11 extra
// probes per key; the ordinary backoff still runs, so a key that works
// sooner or later than the hint is found as it was without one.
const (
	readinessFirstWait = 100 * time.Millisecond
	readinessMaxWait   = time.Second
	// readinessMaxErrors is how many unexpected answers in a row (neither
	// "not yet" nor success) end the wait.
	readinessMaxErrors = 5

	// The dense window around a hint h: from h*hintWindowStart to
	// h*hintWindowEnd (in quarters of h), probing every h/hintSpacingDivisor
	// but no more often than hintMinSpacing.
	hintWindowStart     = 3
	hintWindowEnd       = 5
	hintSpacingDivisor  = 20
	hintMinSpacing      = 50 * time.Millisecond
	maxHintWindowProbes = (hintWindowEnd-hintWindowStart)*hintSpacingDivisor/4 + 1
)

// readinessSchedule says when to send the next probe of one wait.
type readinessSchedule struct {
	hint    time.Duration // the fastest earlier key's time to work; 0 if none
	backoff time.Duration // the ordinary backoff's next wait
}

func newReadinessSchedule(hint time.Duration) *readinessSchedule {
	return &readinessSchedule{hint: hint, backoff: readinessFirstWait}
}

// next returns how long to wait before the next probe, given that the
// failed probe just answered elapsed after the wait began.
func (s *readinessSchedule) next(elapsed time.Duration) time.Duration {
	wait := s.backoff
	s.backoff = min(2*s.backoff, readinessMaxWait)
	if s.hint <= 0 {
		return wait
	}
	start := s.hint * hintWindowStart / 4
	end := s.hint * hintWindowEnd / 4
	switch {
	case elapsed < start:
		return min(wait, start-elapsed)
	case elapsed < end:
		spacing := min(max(s.hint/hintSpacingDivisor, hintMinSpacing), readinessMaxWait)
		return min(wait, spacing)
	default:
		return wait
	}
}

// readinessHints remembers, per probe URL, the shortest time from the start
// of a wait to the probe that found a new key working, for the life of the
// provider process.
type readinessHints struct {
	mu      sync.Mutex
	fastest map[string]time.Duration
}

func (h *readinessHints) get(url string) time.Duration {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fastest[url]
}

func (h *readinessHints) observe(url string, d time.Duration) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fastest == nil {
		h.fastest = map[string]time.Duration{}
	}
	if old, ok := h.fastest[url]; !ok || d < old {
		h.fastest[url] = d
	}
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
