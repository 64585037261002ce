// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// failedFor is how many probes the schedule with interval next sends
// before age d, from a first probe at once, when each probe takes rtt.
func failedFor(d, rtt time.Duration, next func(time.Duration) time.Duration) int {
	failed := 0
	for age := time.Duration(0); age+rtt/2 < d; {
		failed++
		age += rtt
		age += next(age)
	}
	return failed
}

// TestFirstShareBudget pins the arithmetic behind firstShare: the first key
// of an endpoint pays at most 15 failed probes for a 60 s propagation,
// round trips included, where the strict schedule of later keys would pay
// about twice as many.
func TestFirstShareBudget(t *testing.T) {
	t.Parallel()
	for _, rtt := range []time.Duration{0, 50 * time.Millisecond} {
		if got := failedFor(time.Minute, rtt, firstInterval); got > 15 {
			t.Errorf("rtt %s: the first key fails %d probes over 60 s, want at most 15", rtt, got)
		}
	}
	if got := failedFor(time.Minute, 0, firstInterval); got != 14 {
		t.Errorf("the first key fails %d probes over 60 s, want 14 (pinned)", got)
	}
	if got := failedFor(time.Minute, 0, probeInterval); got < 29 {
		t.Errorf("the strict schedule fails %d probes over 60 s; the package comment says about 29 or more", got)
	}
	for _, elapsed := range []time.Duration{0, 2 * time.Second, 10 * time.Second, time.Minute} {
		if got, want := firstInterval(elapsed), max(probeFloor, time.Duration(firstShare*float64(elapsed))); got != want {
			t.Errorf("firstInterval(%s) = %s, want %s", elapsed, got, want)
		}
	}
}

// TestWaitReady_firstKeyBudget checks a lone key at an endpoint without
// history: at most 15 failed probes at 60 s, never reported before it
// works, and at most the first-key lateness after.
func TestWaitReady_firstKeyBudget(t *testing.T) {
	t.Parallel()
	const rtt = 50 * time.Millisecond
	for _, delay := range []time.Duration{2 * time.Second, 10 * time.Second, time.Minute, 2 * time.Minute} {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeEndpoint("https://api.example/org/v2/environments", rtt)
			e := newFakeEngine(f)
			k := f.add("A", delay)
			r, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeCloud), "A", "secret")
			if err != nil {
				t.Fatal(err)
			}
			late := time.Since(k.full())
			t.Logf("delay %s: %d failed probes, reported %s late (bound %s)", delay, r.FailedProbes, late, firstLateness(delay, rtt))
			if late < 0 {
				t.Errorf("delay %s: reported %s before the key worked", delay, -late)
			}
			if late > firstLateness(delay, rtt) {
				t.Errorf("delay %s: reported %s late, want at most %s", delay, late, firstLateness(delay, rtt))
			}
			if want := failedFor(delay, rtt, firstInterval); r.FailedProbes > want {
				t.Errorf("delay %s: %d failed probes, the schedule allows %d", delay, r.FailedProbes, want)
			}
			if delay == time.Minute && r.FailedProbes > 15 {
				t.Errorf("delay 60s: %d failed probes, want at most 15", r.FailedProbes)
			}
		})
	}
}

// TestWaitReady_laterKeysStrict checks keys created after one has worked at
// the endpoint: with a steady delay they cost at most one failed probe and
// are found within max(1 s, D/10); a slower key falls back to the strict
// schedule and keeps that bound too. A quicker key is found at the first
// probe the endpoint's history plans, so late by at most the difference,
// never early.
func TestWaitReady_laterKeysStrict(t *testing.T) {
	t.Parallel()
	const rtt = 50 * time.Millisecond
	for _, base := range []time.Duration{2 * time.Second, time.Minute} {
		synctest.Test(t, func(t *testing.T) {
			f := newFakeEndpoint("https://api.example/org/v2/environments", rtt)
			e := newFakeEngine(f)
			f.add("first", base)
			if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeCloud), "first", "secret"); err != nil {
				t.Fatal(err)
			}
			// Steady delays, then delays up to 30 % longer or shorter.
			delays := []time.Duration{base, base, base, base * 13 / 10, base * 8 / 10, base * 12 / 10, base * 9 / 10, base}
			for i, d := range delays {
				id := fmt.Sprintf("K%d", i)
				lo, hi := e.urls.window(ccloud.ScopeCloud, f.url)
				firstAt := newReadinessSchedule(lo, hi).first()
				k := f.add(id, d)
				r, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeCloud), id, "secret")
				if err != nil {
					t.Fatal(err)
				}
				late := time.Since(k.full())
				bound := laterLateness(d, rtt)
				if d < firstAt {
					bound = max(bound, firstAt-d+rtt)
				}
				t.Logf("%s (delay %s, first probe at %s): %d failed probes, %s late (bound %s)", id, d, firstAt, r.FailedProbes, late, bound)
				if late < 0 {
					t.Errorf("%s (delay %s): reported %s before it worked", id, d, -late)
				}
				if late > bound {
					t.Errorf("%s (delay %s): reported %s late, want at most %s", id, d, late, bound)
				}
				if d == base && r.FailedProbes > 1 {
					t.Errorf("%s (steady delay %s): %d failed probes, want at most 1", id, d, r.FailedProbes)
				}
			}
		})
	}
}

// waitAll starts a wait for every key at once, a few milliseconds apart as
// Terraform starts them, and returns their results.
func waitAll(ctx context.Context, e *Engine, f *fakeEndpoint, scope ccloud.Scope, ids []string) ([]Readiness, []error) {
	rs := make([]Readiness, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { rs[i], errs[i] = e.WaitReady(ctx, f.target(scope), id, "secret") })
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	return rs, errs
}

// TestWaitReady_cohortWave checks that keys created together at an
// endpoint without history cost the failed probes of one key: the leader
// probes, the others send nothing until it works and then succeed at their
// first probe, none early and none later than the first-key bound.
func TestWaitReady_cohortWave(t *testing.T) {
	t.Parallel()
	const rtt, delay = 50 * time.Millisecond, time.Minute
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", rtt)
		e := newFakeEngine(f)
		var ids []string
		keys := map[string]*fakeKey{}
		for i := range 8 {
			id := fmt.Sprintf("K%d", i)
			ids = append(ids, id)
			keys[id] = f.add(id, delay+time.Duration(i)*5*time.Millisecond)
		}
		rs, errs := waitAll(t.Context(), e, f, ccloud.ScopeKafka, ids)
		leaderWorked := f.probesOf("K0")
		var firstOK time.Time
		for _, p := range leaderWorked {
			if p.ok {
				firstOK = p.at
				break
			}
		}
		for i, id := range ids {
			if errs[i] != nil {
				t.Fatalf("%s: %v", id, errs[i])
			}
			late := rs[i].Waited - (delay + time.Duration(i)*5*time.Millisecond)
			if late < 0 || late > firstLateness(delay, rtt)+2*confirmInterval {
				t.Errorf("%s: reported %s after working, want within [0, %s]", id, late, firstLateness(delay, rtt))
			}
			if i == 0 {
				if rs[i].FailedProbes > 15 {
					t.Errorf("the leader failed %d probes, want at most 15", rs[i].FailedProbes)
				}
				continue
			}
			if rs[i].FailedProbes != 0 {
				t.Errorf("%s failed %d probes; a follower of a steady wave should fail none", id, rs[i].FailedProbes)
			}
			for _, p := range f.probesOf(id) {
				if p.at.Before(firstOK) {
					t.Errorf("%s probed at %s, before the leader first worked at %s", id, p.at, firstOK)
				}
			}
		}
		if n := e.urls.cohortSize(f.url); n != 0 {
			t.Errorf("%d waits left in the cohort after the wave", n)
		}
	})
}

// TestWaitReady_cohortHandover checks that a leader whose context ends hands
// the probing to the oldest follower, which probes at once and still sees
// its key work; a follower whose own deadline passes while it follows ends
// with ErrProbeTimeout without a probe, and nothing is left behind.
func TestWaitReady_cohortHandover(t *testing.T) {
	t.Parallel()
	const rtt, delay = 50 * time.Millisecond, 30 * time.Second
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://psrc.example/subjects", rtt)
		e := newFakeEngine(f)
		leaderCtx, cancelLeader := context.WithCancel(t.Context())
		defer cancelLeader()
		leader := f.add("L", delay)
		// The leader is interrupted after its fourth probe.
		leader.onProbe = func(n int) {
			if n == 4 {
				cancelLeader()
			}
		}
		f.add("F1", delay)
		f.add("F2", delay)
		shortCtx, cancelShort := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancelShort()

		var wg sync.WaitGroup
		var lErr, sErr, f2Err error
		var f1, f2 Readiness
		var f1Err error
		wg.Go(func() { _, lErr = e.WaitReady(leaderCtx, f.target(ccloud.ScopeSchemaRegistry), "L", "secret") })
		time.Sleep(time.Millisecond)
		wg.Go(func() { f1, f1Err = e.WaitReady(t.Context(), f.target(ccloud.ScopeSchemaRegistry), "F1", "secret") })
		time.Sleep(time.Millisecond)
		f.add("S", delay)
		wg.Go(func() { _, sErr = e.WaitReady(shortCtx, f.target(ccloud.ScopeSchemaRegistry), "S", "secret") })
		time.Sleep(time.Millisecond)
		wg.Go(func() { f2, f2Err = e.WaitReady(t.Context(), f.target(ccloud.ScopeSchemaRegistry), "F2", "secret") })
		wg.Wait()

		if !errors.Is(lErr, ErrInterrupted) {
			t.Errorf("the leader ended with %v, want ErrInterrupted", lErr)
		}
		if !errors.Is(sErr, ErrProbeTimeout) {
			t.Errorf("the follower whose deadline passed ended with %v, want ErrProbeTimeout", sErr)
		}
		// S leaves the leader three quarters of its 2 s and then probes on
		// its own once before its deadline.
		if sProbes := f.probesOf("S"); len(sProbes) != 1 {
			t.Errorf("the follower whose deadline passed sent %d probes, want 1 of its own", len(sProbes))
		} else if age := sProbes[0].at.Sub(f.keys["S"].created); age < 1500*time.Millisecond {
			t.Errorf("the follower probed on its own after %s, want after three quarters of its 2s", age)
		}
		if f1Err != nil || f2Err != nil {
			t.Fatalf("followers ended with %v and %v, want their keys working", f1Err, f2Err)
		}
		if !f1.Promoted || f2.Promoted {
			t.Errorf("promoted: F1 %v, F2 %v; want the oldest follower, F1, only", f1.Promoted, f2.Promoted)
		}
		lProbes, f1Probes := f.probesOf("L"), f.probesOf("F1")
		if len(lProbes) != 4 || len(f1Probes) == 0 {
			t.Fatalf("L sent %d probes and F1 %d; want 4 and some", len(lProbes), len(f1Probes))
		}
		if gap := f1Probes[0].at.Sub(lProbes[3].at); gap < 0 || gap > rtt {
			t.Errorf("F1 first probed %s after the leader's last probe, want at once (within a round trip)", gap)
		}
		if f2.FailedProbes != 0 {
			t.Errorf("F2 failed %d probes; it should have waited for F1 to work", f2.FailedProbes)
		}
		if n := e.urls.cohortSize(f.url); n != 0 {
			t.Errorf("%d waits left in the cohort", n)
		}
	})
}

// TestWaitReady_cohortUnreachable checks that a cohort at an endpoint that
// never answers gives up about once, not once per key after the other: the
// followers inherit how long the endpoint has refused.
func TestWaitReady_cohortUnreachable(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://private.example/kafka/v3/clusters/lkc-1/topics", 20*time.Millisecond)
		f.refuse = true
		e := newFakeEngine(f)
		start := time.Now()
		_, errs := waitAll(t.Context(), e, f, ccloud.ScopeKafka, []string{"A", "B", "C", "D", "E"})
		for i, err := range errs {
			var unreachable *ccloud.ProbeUnreachableError
			if !errors.As(err, &unreachable) {
				t.Errorf("key %d ended with %v, want the endpoint unreachable", i, err)
			}
		}
		if took := time.Since(start); took > 2*unreachableLimit {
			t.Errorf("five keys at an unreachable endpoint gave up after %s, want about %s", took, unreachableLimit)
		}
		f.mu.Lock()
		probes := len(f.log)
		f.mu.Unlock()
		if probes > 6+4 {
			t.Errorf("%d probes at an unreachable endpoint; the leader's few and one per follower expected", probes)
		}
	})
}

// TestWaitReady_cohortFollowerImpatient checks that a follower whose
// leader's key never works does not time out unprobed: once three quarters
// of its time are gone it probes for itself, and its own working key is
// found.
func TestWaitReady_cohortFollowerImpatient(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://psrc.example/subjects", 20*time.Millisecond)
		e := newFakeEngine(f)
		f.add("L", time.Hour) // never works within the test
		f.add("F", 5*time.Second)
		leaderCtx, cancelLeader := context.WithTimeout(t.Context(), time.Minute)
		defer cancelLeader()
		followerCtx, cancelFollower := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancelFollower()

		var wg sync.WaitGroup
		var fr Readiness
		var lErr, fErr error
		wg.Go(func() { _, lErr = e.WaitReady(leaderCtx, f.target(ccloud.ScopeSchemaRegistry), "L", "secret") })
		time.Sleep(time.Millisecond)
		wg.Go(func() { fr, fErr = e.WaitReady(followerCtx, f.target(ccloud.ScopeSchemaRegistry), "F", "secret") })
		wg.Wait()

		if !errors.Is(lErr, ErrProbeTimeout) {
			t.Errorf("the leader ended with %v, want ErrProbeTimeout", lErr)
		}
		if fErr != nil {
			t.Fatalf("the follower ended with %v, want its key working", fErr)
		}
		if !fr.Impatient || fr.Promoted {
			t.Errorf("the follower's wait: impatient %v, promoted %v; want impatient only", fr.Impatient, fr.Promoted)
		}
		probes := f.probesOf("F")
		if len(probes) == 0 {
			t.Fatal("the follower sent no probe")
		}
		if age := probes[0].at.Sub(f.keys["F"].created); age < 15*time.Second || age > 16*time.Second {
			t.Errorf("the follower first probed at age %s, want at three quarters of its 20s", age)
		}
		if fr.FailedProbes != 0 {
			t.Errorf("the follower failed %d probes; its key worked before it began", fr.FailedProbes)
		}
	})
}
