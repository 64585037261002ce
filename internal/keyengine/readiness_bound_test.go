// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// readinessRoundTrips is the slack the bound allows beyond D + the backoff
// cap: the last failed probe and the successful one each take an in-process
// round trip, which is slow on a loaded machine under the race detector.
const readinessRoundTrips = 150 * time.Millisecond

// probesFor is the most probes the backoff makes for a key that starts
// working delay after the wait starts: one at once, then one after each
// wait (100ms doubling to the cap) until the total wait reaches the delay.
// Round trips only make probes later, hence fewer.
func probesFor(delay time.Duration) int {
	probes, waited, wait := 1, time.Duration(0), readinessFirstWait
	for waited < delay {
		waited += wait
		probes++
		wait = min(2*wait, readinessMaxWait)
	}
	return probes
}

// TestWaitForKeyReady_withinDelayPlusCap checks the readiness
// target: a key whose propagation delay is D is seen ready at most D + 1 s
// after its creation (plus the probes' round trips), and the wait sends no
// more probes than the backoff schedule allows.
func TestWaitForKeyReady_withinDelayPlusCap(t *testing.T) {
	t.Parallel()
	if readinessMaxWait > time.Second {
		t.Fatalf("the backoff cap is %s; readiness within D + 1 s needs a cap of at most 1 s", readinessMaxWait)
	}
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
			if err := newTestEngine(c).WaitReady(context.Background(), cloudTarget(c), key.ID, key.Spec.Secret); err != nil {
				t.Fatal(err)
			}
			ready := time.Since(created)
			probes := m.RequestCounts()["GET /org/v2/environments"]
			t.Logf("propagation delay %s: ready after %s with %d probes (bound %d)", delay, ready.Round(time.Millisecond), probes, probesFor(delay))
			if ready < delay {
				t.Errorf("ready after %s, before the propagation delay %s", ready, delay)
			}
			if limit := delay + time.Second + readinessRoundTrips; ready > limit {
				t.Errorf("ready after %s for a propagation delay of %s; want at most %s", ready, delay, limit)
			}
			if want := probesFor(delay); probes > want || probes < 1 {
				t.Errorf("%d probes for a propagation delay of %s; the backoff allows %d", probes, delay, want)
			}
		})
	}
}

// TestProbesFor pins the schedule the bound above is computed from, so
// that a change of the backoff constants shows here.
func TestProbesFor(t *testing.T) {
	t.Parallel()
	for delay, want := range map[time.Duration]int{
		0: 1, 100 * time.Millisecond: 2, 250 * time.Millisecond: 3, 1200 * time.Millisecond: 5,
		2600 * time.Millisecond: 7, 10 * time.Second: 14,
	} {
		if got := probesFor(delay); got != want {
			t.Errorf("probesFor(%s) = %d, want %d", delay, got, want)
		}
	}
}

// TestWaitForKeyReady_hintTightensWait checks that once a few keys at a URL
// have shown how long keys take there, the next key is found working close
// to its propagation delay, not up to a backoff cap later, and with no more
// probes than the bound allows.
func TestWaitForKeyReady_hintTightensWait(t *testing.T) {
	t.Parallel()
	const delay = 1200 * time.Millisecond
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: delay})
	c := newMockClient(t, m)
	sa := m.CreateServiceAccount("app", "")
	e := newTestEngine(c)
	target := c.CloudProbeURL()

	for i := range 4 {
		hint := e.hints.get(target)
		created := time.Now()
		key, err := m.CreateAPIKey(sa.ID, nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		m.ResetCounters()
		if err := e.WaitReady(context.Background(), cloudTarget(c), key.ID, key.Spec.Secret); err != nil {
			t.Fatal(err)
		}
		ready := time.Since(created)
		probes := m.RequestCounts()["GET /org/v2/environments"]
		t.Logf("key %d: hint %s, ready after %s with %d probes", i+1, hint.Round(time.Millisecond),
			ready.Round(time.Millisecond), probes)
		if ready < delay {
			t.Errorf("key %d ready after %s, before the propagation delay %s", i+1, ready, delay)
		}
		if limit := delay + time.Second + readinessRoundTrips; ready > limit {
			t.Errorf("key %d ready after %s; want at most %s", i+1, ready, limit)
		}
		if limit := probesFor(delay) + maxHintWindowProbes; probes > limit {
			t.Errorf("key %d: %d probes; the backoff and the hint's window allow %d", i+1, probes, limit)
		}
		if i == 3 {
			// By now the estimate has converged on the delay.
			if limit := delay + hintMinSpacing + readinessRoundTrips; ready > limit {
				t.Errorf("key %d ready after %s with a hint of %s; want at most %s", i+1, ready, hint, limit)
			}
		}
	}
}

// TestReadinessHints checks the running estimate: the first observation
// sets it, each later one moves it halfway.
func TestReadinessHints(t *testing.T) {
	t.Parallel()
	h := &readinessHints{}
	if got := h.get("u"); got != 0 {
		t.Errorf("hint before any key = %s, want 0", got)
	}
	h.observe("u", 1500*time.Millisecond)
	h.observe("other", time.Minute)
	if got := h.get("u"); got != 1500*time.Millisecond {
		t.Errorf("hint after one key = %s, want 1.5s", got)
	}
	h.observe("u", time.Second)
	if got := h.get("u"); got != 1250*time.Millisecond {
		t.Errorf("hint after 1.5s and 1s = %s, want 1.25s", got)
	}
}

// TestReadinessSchedule pins the waits between probes with and without a
// hint.
func TestReadinessSchedule(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	for _, tc := range []struct {
		name    string
		hint    time.Duration
		elapsed []time.Duration // when each failed probe answered
		want    []time.Duration
	}{{
		name:    "no hint: 100ms doubling to the cap",
		elapsed: []time.Duration{0, 100 * ms, 300 * ms, 700 * ms, 1500 * ms, 2500 * ms, 3500 * ms},
		want:    []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second, time.Second},
	}, {
		name:    "1s hint: jump to 875ms, every 50ms until 1125ms, then back off",
		hint:    time.Second,
		elapsed: []time.Duration{0, 900 * ms, 1100 * ms, 1125 * ms, 2500 * ms},
		want:    []time.Duration{875 * ms, 50 * ms, 50 * ms, 562500 * time.Microsecond, time.Second},
	}, {
		name:    "60s hint: never more than the cap apart",
		hint:    time.Minute,
		elapsed: []time.Duration{0, time.Second, 52 * time.Second, 53 * time.Second, 70 * time.Second},
		want:    []time.Duration{time.Second, time.Second, 500 * ms, time.Second, time.Second},
	}, {
		name:    "40ms hint: the spacing floor",
		hint:    40 * ms,
		elapsed: []time.Duration{0, 35 * ms, 45 * ms, 300 * ms},
		want:    []time.Duration{35 * ms, 50 * ms, 100 * ms, 150 * ms},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newReadinessSchedule(tc.hint)
			for i, e := range tc.elapsed {
				if got := s.next(e); got != tc.want[i] {
					t.Errorf("wait after a probe answered at %s = %s, want %s", e, got, tc.want[i])
				}
			}
		})
	}
}
