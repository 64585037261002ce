// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// readinessRoundTrips is the slack the bound allows beyond D + the allowed
// lateness: the last failed probe and the successful one each take an
// in-process round trip, which is slow on a loaded machine under the race
// detector.
const readinessRoundTrips = 150 * time.Millisecond

// allowedLateness is the bound: a key is seen working no later than
// max(1 s, D/10) after it starts working.
func allowedLateness(d time.Duration) time.Duration { return max(time.Second, d/10) }

// probesFor is the most probes the schedule makes for a key that starts
// working delay after the wait starts: one at once, then one after each
// interval until the total wait reaches the delay. Round trips only make
// probes later, hence fewer.
func probesFor(delay time.Duration) int {
	probes, waited := 1, time.Duration(0)
	for waited < delay {
		waited += probeInterval(waited)
		probes++
	}
	return probes
}

// TestWaitReady_withinBound checks the readiness target: a key whose
// propagation delay is D is seen ready at most max(1 s, D/10) after D (plus
// the probes' round trips), never before, and with no more probes than the
// schedule allows.
func TestWaitReady_withinBound(t *testing.T) {
	t.Parallel()
	for _, delay := range []time.Duration{0, 250 * time.Millisecond, 1200 * time.Millisecond, 2600 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			t.Parallel()
			m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: delay})
			c := newMockClient(t, m)
			sa := m.CreateServiceAccount("app", "")
			created := time.Now()
			key, err := m.CreateAPIKey(sa.ID, nil, "", "")
			if err != nil {
				t.Fatal(err)
			}
			m.ResetCounters()
			r, err := newTestEngine(c).WaitReady(context.Background(), cloudTarget(c), key.ID, key.Spec.Secret)
			if err != nil {
				t.Fatal(err)
			}
			ready := time.Since(created)
			usage := m.KeyUsage(key.ID)
			t.Logf("propagation delay %s: ready after %s with %d probes (%d failed; bound %d)", delay,
				ready.Round(time.Millisecond), r.Probes, r.FailedProbes, probesFor(delay))
			if ready < delay {
				t.Errorf("ready after %s, before the propagation delay %s", ready, delay)
			}
			if limit := delay + allowedLateness(delay) + readinessRoundTrips; ready > limit {
				t.Errorf("ready after %s for a propagation delay of %s; want at most %s", ready, delay, limit)
			}
			if usage.Unauthenticated != r.FailedProbes || usage.OK != 1 {
				t.Errorf("the mock counted %+v; the wait reported %d failed probes and one success", usage, r.FailedProbes)
			}
			if want := probesFor(delay); r.Probes > want || r.Probes < 1 {
				t.Errorf("%d probes for a propagation delay of %s; the schedule allows %d", r.Probes, delay, want)
			}
		})
	}
}

// TestProbesFor pins the schedule the bound above is computed from, so
// that a change of the constants shows here. A two-minute propagation
// costs a few dozen probes, not one a second.
func TestProbesFor(t *testing.T) {
	t.Parallel()
	for delay, want := range map[time.Duration]int{
		0: 1, 250 * time.Millisecond: 2, 1200 * time.Millisecond: 3, 2 * time.Second: 4,
		10 * time.Second: 13, time.Minute: 33, 2 * time.Minute: 41,
	} {
		if got := probesFor(delay); got != want {
			t.Errorf("probesFor(%s) = %d, want %d", delay, got, want)
		}
	}
}

// TestWaitReady_hintSavesProbes checks that once a key at a URL has shown
// how long keys take there, the next keys are probed first at that age and
// so cost no failed probe when the delay is steady, yet are never reported
// before they work.
func TestWaitReady_hintSavesProbes(t *testing.T) {
	t.Parallel()
	const delay = 1200 * time.Millisecond
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: delay})
	c := newMockClient(t, m)
	sa := m.CreateServiceAccount("app", "")
	e := newTestEngine(c)
	target := c.CloudProbeURL()

	for i := range 3 {
		hint := e.hints.get(target)
		created := time.Now()
		key, err := m.CreateAPIKey(sa.ID, nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.WaitReady(context.Background(), cloudTarget(c), key.ID, key.Spec.Secret); err != nil {
			t.Fatal(err)
		}
		ready := time.Since(created)
		failed := m.DataPlaneAuthFailures(key.ID)
		t.Logf("key %d: hint %s, ready after %s with %d failed probes", i+1, hint.Round(time.Millisecond),
			ready.Round(time.Millisecond), failed)
		if ready < delay {
			t.Errorf("key %d ready after %s, before the propagation delay %s", i+1, ready, delay)
		}
		if limit := delay + allowedLateness(delay) + readinessRoundTrips; ready > limit {
			t.Errorf("key %d ready after %s; want at most %s", i+1, ready, limit)
		}
		// The first key pays for learning; later ones probe just after the
		// learnt age. One failure is allowed for a probe that lands a hair
		// early on a loaded machine.
		if i > 0 && failed > 1 {
			t.Errorf("key %d: %d failed probes with a hint of %s; want at most 1", i+1, failed, hint)
		}
	}
}

// TestReadinessHints checks the estimate: the earliest age seen per URL,
// and per scope for URLs without history.
func TestReadinessHints(t *testing.T) {
	t.Parallel()
	h := &readinessHints{}
	if got := h.get("u"); got != 0 {
		t.Errorf("hint before any key = %s, want 0", got)
	}
	h.observe(ccloud.ScopeKafka, "u", 1500*time.Millisecond)
	h.observe(ccloud.ScopeCloud, "other", time.Minute)
	if got := h.get("u"); got != 1500*time.Millisecond {
		t.Errorf("hint after one key = %s, want 1.5s", got)
	}
	h.observe(ccloud.ScopeKafka, "u", time.Second)
	h.observe(ccloud.ScopeKafka, "u", 3*time.Second)
	if got := h.get("u"); got != time.Second {
		t.Errorf("hint after 1.5s, 1s and 3s = %s, want the earliest, 1s", got)
	}
	if got := h.forTarget(ccloud.ScopeKafka, "new-cluster"); got != time.Second {
		t.Errorf("a new Kafka endpoint borrows %s, want the scope's 1s", got)
	}
	if got := h.forTarget(ccloud.ScopeFlink, "flink"); got != 0 {
		t.Errorf("a scope without history borrows %s, want 0", got)
	}
}

// TestProbeInterval pins the waits between probes: at least 900 ms, and
// about a tenth of the time waited, so that a key is found within
// max(1 s, D/10) of working.
func TestProbeInterval(t *testing.T) {
	t.Parallel()
	for elapsed, want := range map[time.Duration]time.Duration{
		0:                      900 * time.Millisecond,
		5 * time.Second:        900 * time.Millisecond,
		10 * time.Second:       900 * time.Millisecond,
		20 * time.Second:       1800 * time.Millisecond,
		2 * time.Minute:        10800 * time.Millisecond,
		100 * time.Millisecond: 900 * time.Millisecond,
	} {
		if got := probeInterval(elapsed); got != want {
			t.Errorf("probeInterval(%s) = %s, want %s", elapsed, got, want)
		}
		if got := probeInterval(elapsed); elapsed+got > elapsed+allowedLateness(elapsed) {
			t.Errorf("probeInterval(%s) = %s exceeds the allowed lateness %s", elapsed, got, allowedLateness(elapsed))
		}
	}
}
