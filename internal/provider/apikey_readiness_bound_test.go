// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

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
			if err := waitForKeyReady(context.Background(), c, c.CloudProbeURL(), key.ID, key.Spec.Secret); err != nil {
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
