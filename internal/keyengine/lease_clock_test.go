// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// testLease is the lease of the clock tests: the shortest the test hook
// accepts, so that renewals happen within a second.
const testLease = 3 * time.Second

// newSkewedEngine returns an engine, with a client of its own, whose local
// clock is off by off, with lease testLease.
func newSkewedEngine(t *testing.T, m *mockcloud.Server, off time.Duration) *Engine {
	t.Helper()
	return newEngineAt(t, m, off, testLease)
}

// newEngineAt is an engine whose local clock is off by off and whose create
// markers carry lease.
func newEngineAt(t *testing.T, m *mockcloud.Server, off, lease time.Duration) *Engine {
	t.Helper()
	key, secret := m.Credentials()
	clk := clock.NewOffset(off) // a machine without time sync
	c, err := ccloud.New(ccloud.Config{
		Endpoint: m.URL(), APIKey: key, APISecret: secret, Clock: clk, HTTPClient: m.HTTPClient(),
		MaxRetries: 2, RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Client: c, Clock: clk, Lease: lease})
}

// die stops the keeper of key id as a SIGKILL of its process would: no
// renewal and no expiry from now on.
func die(t *testing.T, e *Engine, id string) {
	t.Helper()
	p := e.pendingKey(id)
	if p == nil {
		t.Fatalf("key %s has no keeper", id)
	}
	p.mu.Lock()
	p.finished = true
	close(p.stop)
	p.mu.Unlock()
	<-p.done
}

// TestLease_skewedClocks is a writer and a sweeper of one owner's keys
// whose local clocks are minutes apart, in both directions, against a mock
// with a correct clock. The sweeper must delete no live key, however often
// it sweeps across a renewal, and must delete the writer's key once the
// writer is dead and its lease and the sweep's margin have run out in the
// API's time, and not earlier.
func TestLease_skewedClocks(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ writer, sweeper time.Duration }{
		"writer 3m behind":  {writer: -3 * time.Minute},
		"writer 3m ahead":   {writer: 3 * time.Minute},
		"sweeper 3m ahead":  {sweeper: 3 * time.Minute},
		"sweeper 3m behind": {sweeper: -3 * time.Minute},
		"both, 5m apart":    {writer: -2 * time.Minute, sweeper: 3 * time.Minute},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				api := clock.NewOffset(0) // the API's clock, which the test moves ahead
				m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour, Clock: api})
				sa := m.CreateServiceAccount("app", "")
				spec := kafkaSpec(sa.ID)
				writer := newSkewedEngine(t, m, tc.writer)
				sweeper := newSkewedEngine(t, m, tc.sweeper)

				key, err := writer.Create(t.Context(), spec, CreateOptions{})
				if err != nil {
					t.Fatal(err)
				}
				mk, _ := parseMarker(key.Spec.Description)
				if d := mk.at.Sub(api.Now()); d < testLease-2*time.Second || d > testLease+time.Second {
					t.Errorf("the create wrote a deadline %s from the API's now; want about the lease, %s", d, testLease)
				}
				// Sweep across more than a lease, so across renewals.
				for end := time.Now().Add(testLease + time.Second); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
					if got, err := sweeper.Sweep(t.Context(), sa.ID); err != nil || len(got) != 0 {
						t.Fatalf("a sweep deleted %+v (error %v) while the writer lives", got, err)
					}
				}
				if _, ok := mockKey(t, m, key.ID); !ok {
					t.Fatal("the live key is gone")
				}

				die(t, writer, key.ID)
				k, _ := mockKey(t, m, key.ID)
				l := sweeper.ClassifyLease(k, sweeper.APINow())
				if l.State != LeaseRunning {
					t.Fatalf("right after the writer died its lease is %+v; want it running", l)
				}
				// Just short of the margin in the API's time, the key stays.
				api.Advance(l.AbandonedAt.Sub(api.Now()) - 2*time.Second)
				if got, _ := sweeper.Sweep(t.Context(), sa.ID); len(got) != 0 {
					t.Fatalf("the sweep deleted %+v before the margin ran out", got)
				}
				// The API's time as a client knows it lags up to a second (the
				// Date header's resolution) behind.
				api.Advance(4 * time.Second)
				got, err := sweeper.Sweep(t.Context(), sa.ID)
				if err != nil || len(got) != 1 || got[0].ID != key.ID {
					k, _ := mockKey(t, m, key.ID)
					t.Fatalf("once the lease and margin ran out the sweep deleted %+v (error %v); want %s. API now %s, the sweeper's %s, lease %+v",
						got, err, key.ID, api.Now(), sweeper.APINow(), sweeper.ClassifyLease(k, sweeper.APINow()))
				}
			})
		})
	}
}

// TestLease_marginCoversTheWriter checks that a sweeper with a shorter
// lease than the writer's gives the writer's lease its full margin: the
// margin is the longer of the two leases.
func TestLease_marginCoversTheWriter(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	k := ccloud.APIKey{Spec: ccloud.APIKeySpec{Description: "x " + leaseMarker("abcdefghijkl", now.Add(DefaultLease))}}
	k.Metadata.UpdatedAt = &now
	l := ClassifyLease(k, now.Add(DefaultLease+testLease+leaseGrace+time.Second), testLease)
	if l.State != LeaseRunning || !l.AbandonedAt.Equal(now.Add(2*DefaultLease+leaseGrace)) {
		t.Errorf("a 2m lease classified by a 3s sweeper: %+v; want running until two leases and the grace", l)
	}
}

// TestLease_starvedRenewalsKeepTheKey answers every renewal 429 for more
// than twice the lease while another engine sweeps the owner every quarter
// second: the key must stay, its lease be renewed once the throttling ends,
// and the key be handed over normally.
func TestLease_starvedRenewalsKeepTheKey(t *testing.T) {
	t.Parallel()
	t.Run("test lease", func(t *testing.T) {
		t.Parallel()
		starvedRenewals(t, testLease, 2*testLease+time.Second)
	})
	// The case the issue found on the real default: renewals refused for
	// 170 s on a two-minute lease while another run plans every 250 ms. In
	// a bubble the three minutes are virtual.
	t.Run("default lease", func(t *testing.T) {
		t.Parallel()
		starvedRenewals(t, DefaultLease, 170*time.Second)
	})
}

// starvedRenewals answers every renewal of a new key's lease 429 for
// starved while a second engine sweeps the owner's keys four times a
// second, and checks that no sweep deletes the key and that its run hands
// it over afterwards.
func starvedRenewals(t *testing.T, lease, starved time.Duration) {
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		writer := newEngineAt(t, m, 0, lease)
		sweeper := newEngineAt(t, m, 0, lease)
		key, err := writer.Create(t.Context(), spec, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		const route = "PATCH /iam/v2/api-keys/{id}"
		fault := m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultStatus, Status: 429, RetryAfter: time.Second})
		for end := time.Now().Add(starved); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
			if got, _ := sweeper.Sweep(t.Context(), sa.ID); len(got) != 0 {
				t.Fatalf("a sweep deleted %+v while the writer's renewals were throttled", got)
			}
		}
		throttled := m.RequestCounts()[route]
		m.RemoveFault(fault)
		if throttled < 3 {
			t.Errorf("%d renewals were throttled; the test needs the keeper to keep trying", throttled)
		}
		// The next renewal succeeds and moves the deadline past the API's now.
		waitUntil(t, "a renewal after the throttling", func() bool {
			k, _ := mockKey(t, m, key.ID)
			return sweeper.ClassifyLease(k, sweeper.APINow()).Deadline.After(sweeper.APINow())
		})
		if got, _ := sweeper.Sweep(t.Context(), sa.ID); len(got) != 0 {
			t.Fatalf("a sweep deleted %+v after the throttling", got)
		}
		if _, err := writer.FinishCreate(t.Context(), key, spec.Description); err != nil {
			t.Fatalf("the hand-over after the throttling failed: %v", err)
		}
	})
}

// waitUntil polls cond for up to ten seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waited ten seconds for %s", what)
		}
	}
}

// TestFinishCreate_failedHandOverExpiresTheLease is a kill at the worst
// instant: the final PATCH reaches the API, which applies it, but its
// answer never comes back. FinishCreate must then write the marker back as
// expired, so that the next run's sweep deletes the key at once instead of
// finding an unmarked key no run tracks; and WaitSettled must return only
// after that.
func TestFinishCreate_failedHandOverExpiresTheLease(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		writer := newSkewedEngine(t, m, 0)
		key, err := writer.Create(t.Context(), spec, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Every attempt of the final PATCH (the client makes three) is applied
		// and its answer lost.
		m.AddFault(mockcloud.Fault{Route: "PATCH /iam/v2/api-keys/{id}", Kind: mockcloud.FaultLoseResponse, Count: 3})
		if _, err := writer.FinishCreate(t.Context(), key, spec.Description); err == nil {
			t.Fatal("FinishCreate succeeded although no answer came back")
		}
		if err := writer.WaitSettled(t.Context()); err != nil {
			t.Fatal(err)
		}
		k, _ := mockKey(t, m, key.ID)
		if mk, ok := parseMarker(k.Spec.Description); !ok || mk.kind != markerExpired {
			t.Fatalf("after the failed hand-over the description is %q; want an expired marker", k.Spec.Description)
		}
		next := newSkewedEngine(t, m, 0)
		if got, err := next.Sweep(t.Context(), sa.ID); err != nil || len(got) != 1 || got[0].ID != key.ID {
			t.Fatalf("the next run's sweep deleted %+v (error %v); want %s at once", got, err, key.ID)
		}
	})
}

// TestWaitSettled_waitsForTheExpiry checks the hook a provider about to
// exit uses: after its calls were cancelled, WaitSettled returns once every
// lease has been expired.
func TestWaitSettled_waitsForTheExpiry(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		sa := m.CreateServiceAccount("app", "")
		e := newSkewedEngine(t, m, 0)
		ctx, cancel := context.WithCancel(t.Context())
		var ids []string
		for range 2 {
			key, err := e.Create(ctx, kafkaSpec(sa.ID), CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, key.ID)
		}
		cancel()
		wctx, wcancel := context.WithTimeout(t.Context(), 15*time.Second)
		defer wcancel()
		if err := e.WaitSettled(wctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			k, _ := mockKey(t, m, id)
			if mk, _ := parseMarker(k.Spec.Description); mk.kind != markerExpired {
				t.Errorf("key %s is settled with description %q; want an expired marker", id, k.Spec.Description)
			}
		}
	})
}
