// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"testing/synctest"
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

// TestWaitReady_withinBound checks the readiness target on the mock: a key
// whose propagation delay is D is seen ready at most max(1 s, D/10) after D
// (plus the probes' round trips), never before, and with no more probes
// than the strict schedule allows. Each key here is the first at its
// engine's endpoint, so it probes on the first-key schedule, whose
// intervals stay below a second at these delays; readiness_budget_test.go
// checks both schedules at long delays on a fake clock.
func TestWaitReady_withinBound(t *testing.T) {
	t.Parallel()
	for _, delay := range []time.Duration{0, 250 * time.Millisecond, 1200 * time.Millisecond, 2600 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: delay})
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
		10 * time.Second: 14, time.Minute: 36, 2 * time.Minute: 44,
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
	synctest.Test(t, func(t *testing.T) {
		const delay = 1200 * time.Millisecond
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: delay})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		e := newBubbleEngine(t, c)
		target := c.CloudProbeURL()

		for i := range 3 {
			hint := e.urls.get(target)
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
	})
}

// TestReadinessHints checks the estimate: the earliest age seen per URL,
// and per scope for URLs without history.
func TestReadinessHints(t *testing.T) {
	t.Parallel()
	h := &urlTable{}
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
	if _, got := h.window(ccloud.ScopeKafka, "new-cluster"); got != time.Second {
		t.Errorf("a new Kafka endpoint borrows %s, want the scope's 1s", got)
	}
	if _, got := h.window(ccloud.ScopeFlink, "flink"); got != 0 {
		t.Errorf("a scope without history borrows %s, want 0", got)
	}
	// Failures below the estimate narrow the window from below; later
	// ones (a slower key) do not.
	h.observeFailure("u", 600*time.Millisecond)
	h.observeFailure("u", 800*time.Millisecond)
	h.observeFailure("u", 2*time.Second)
	if lo, hi := h.window(ccloud.ScopeKafka, "u"); lo != 800*time.Millisecond || hi != time.Second {
		t.Errorf("window after failures at 0.6s, 0.8s and 2s = [%s, %s], want [800ms, 1s]", lo, hi)
	}
}

// TestReadinessSchedule pins where the probes of one wait go: at once
// without history; halfway into the learnt window first, then at its upper
// end, then on the growing intervals.
func TestReadinessSchedule(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	if got := newReadinessSchedule(0, 0).first(); got != 0 {
		t.Errorf("first probe without history at %s, want at once", got)
	}
	s := newReadinessSchedule(1800*ms, 2600*ms)
	if got := s.first(); got != 2200*ms {
		t.Errorf("first probe at %s, want halfway into [1.8s, 2.6s]", got)
	}
	if got := s.next(2210 * ms); got != 390*ms {
		t.Errorf("after failing at 2.21s the next probe waits %s, want 390ms (the window's end)", got)
	}
	if got := s.next(2610 * ms); got != probeInterval(2610*ms) {
		t.Errorf("after the window the next probe waits %s, want the interval %s", got, probeInterval(2610*ms))
	}
	if got := newReadinessSchedule(3*time.Second, 2*time.Second).first(); got != 2*time.Second {
		t.Errorf("a window upside down (a slower key failed late) starts at %s, want its upper end", got)
	}
	long := newReadinessSchedule(0, time.Minute)
	if got := long.next(10 * time.Second); got != probeInterval(10*time.Second) {
		t.Errorf("far below the estimate the interval is %s, want the growing interval", got)
	}
}

// TestProbeInterval pins the waits between probes: at least 800 ms, and
// about a tenth of the time waited, so that a key is found within
// max(1 s, D/10) of working.
func TestProbeInterval(t *testing.T) {
	t.Parallel()
	for elapsed, want := range map[time.Duration]time.Duration{
		0:                      800 * time.Millisecond,
		5 * time.Second:        800 * time.Millisecond,
		10 * time.Second:       850 * time.Millisecond,
		20 * time.Second:       1700 * time.Millisecond,
		2 * time.Minute:        10200 * time.Millisecond,
		100 * time.Millisecond: 800 * time.Millisecond,
	} {
		if got := probeInterval(elapsed); got != want {
			t.Errorf("probeInterval(%s) = %s, want %s", elapsed, got, want)
		}
		if got := probeInterval(elapsed); elapsed+got > elapsed+allowedLateness(elapsed) {
			t.Errorf("probeInterval(%s) = %s exceeds the allowed lateness %s", elapsed, got, allowedLateness(elapsed))
		}
	}
}
