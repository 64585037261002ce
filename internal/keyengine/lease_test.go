// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// waitKeeper waits until the keeper of key id has stopped.
func waitKeeper(t *testing.T, e *Engine, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.pendingKey(id) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("the keeper of %s did not stop", id)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mockKey(t *testing.T, m *mockcloud.Server, id string) (ccloud.APIKey, bool) {
	t.Helper()
	for _, k := range m.APIKeys() {
		if k.ID == id {
			return k, true
		}
	}
	return ccloud.APIKey{}, false
}

// TestCreate_interruptedKeyIsSweptByTheNextRun is process-death safety in
// the engine: a caller whose context ends before FinishCreate (an interrupt,
// or Terraform dying, which cancels the call) leaves a key whose lease the
// keeper expires at once, and the next run's first create for that owner
// deletes it and reports it, while keys with a running lease, old-style
// markers and keys made by hand survive.
func TestCreate_interruptedKeyIsSweptByTheNextRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)

		// Bystanders: another run's key whose lease runs, a key with a marker
		// of an older provider version (no deadline), and a key made by hand.
		live, _ := m.CreateAPIKey(sa.ID, spec.Resource, "other run", withMarker("x", leaseMarker("abcdefghijkl", time.Now().Add(time.Hour))))
		old, _ := m.CreateAPIKey(sa.ID, spec.Resource, "old", withMarker("y", createMarker()))
		byHand, _ := m.CreateAPIKey(sa.ID, spec.Resource, "by hand", spec.Description)

		dead := newBubbleEngine(t, c)
		ctx, cancel := context.WithCancel(context.Background())
		key, err := dead.Create(ctx, spec, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mk, ok := parseMarker(key.Spec.Description)
		if !ok || mk.kind != markerUntil || mk.at.Before(time.Now().Add(DefaultLease-time.Minute)) {
			t.Fatalf("new key's description %q lacks a marker with a lease", key.Spec.Description)
		}
		// The wait is cut off: the caller never calls FinishCreate.
		go func() {
			time.Sleep(500 * time.Millisecond)
			cancel()
		}()
		if _, err := dead.WaitReady(ctx, cloudTarget(c), key.ID, key.Spec.Secret); !errors.Is(err, ErrInterrupted) {
			t.Fatalf("an interrupted wait returned %v, want ErrInterrupted", err)
		}
		waitKeeper(t, dead, key.ID)
		k, ok := mockKey(t, m, key.ID)
		if !ok {
			t.Fatal("the interrupted key is gone already; it belongs in state (tainted) until a later run")
		}
		if mk, _ := parseMarker(k.Spec.Description); mk.kind != markerExpired {
			t.Fatalf("after the interrupt the description is %q; want an expired marker", k.Spec.Description)
		}

		next := newBubbleEngine(t, c)
		if _, err := next.Create(t.Context(), spec, CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, ok := mockKey(t, m, key.ID); ok {
			t.Error("the next run's create did not delete the abandoned key")
		}
		for _, id := range []string{live.ID, old.ID, byHand.ID} {
			if _, ok := mockKey(t, m, id); !ok {
				t.Errorf("bystander %s was deleted", id)
			}
		}
		abandoned := next.TakeAbandoned(sa.ID)
		if len(abandoned) != 1 || abandoned[0].ID != key.ID || abandoned[0].ResourceID != "lkc-q1ck5t" {
			t.Errorf("abandoned keys reported: %+v; want exactly %s", abandoned, key.ID)
		}
		if again := next.TakeAbandoned(sa.ID); len(again) != 0 {
			t.Errorf("abandoned keys reported twice: %+v", again)
		}
	})
}

// TestSweep_readsDeleteExpiredLeases checks the refresh's side: a key left
// by a process that died outright (its lease simply ran out) is deleted by
// the first per-owner list, is missing from that list, and is reported.
func TestSweep_readsDeleteExpiredLeases(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		// Its last renewal, stamped by the API, wrote a deadline one lease on;
		// that deadline ran out more than a further lease ago.
		orphan := plantLease(t, m, sa.ID, spec, "zyxwvutsrqpo", time.Now().Add(-3*DefaultLease-leaseGrace), DefaultLease)
		kept, _ := m.CreateAPIKey(sa.ID, spec.Resource, "orders", spec.Description)

		e := newBubbleEngine(t, c)
		if _, ok := e.Reads().APIKey(context.Background(), sa.ID, orphan.ID); ok {
			t.Error("the abandoned key was read from the list that deleted it")
		}
		if _, ok := e.Reads().APIKey(context.Background(), sa.ID, kept.ID); !ok {
			t.Error("a live key is missing from the list")
		}
		if _, ok := mockKey(t, m, orphan.ID); ok {
			t.Error("the refresh's list did not delete the abandoned key")
		}
		if got := e.TakeAbandoned(sa.ID); len(got) != 1 || got[0].ID != orphan.ID {
			t.Errorf("abandoned keys reported: %+v", got)
		}
	})
}

// plantLease creates, through the mock, the key of a run whose last
// renewal the API stamped at renewed with a deadline lease later, as a run
// that died then leaves it.
func plantLease(t *testing.T, m *mockcloud.Server, owner string, spec ccloud.APIKeyCreateSpec, nonce string, renewed time.Time, lease time.Duration) ccloud.APIKey {
	t.Helper()
	k, err := m.CreateAPIKey(owner, spec.Resource, "orders", withMarker(spec.Description, leaseMarker(nonce, renewed.Add(lease))))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetAPIKeyUpdatedAt(k.ID, renewed); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKeeper_renewsLease checks that a living caller's lease is renewed
// before it runs out, and that FinishCreate removes the marker.
func TestKeeper_renewsLease(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		e := New(Config{Client: c, Lease: 1500 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		key, err := e.Create(ctx, spec, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		firstMarker, _ := parseMarker(key.Spec.Description)
		first := firstMarker.at
		time.Sleep(2500 * time.Millisecond)
		k, _ := mockKey(t, m, key.ID)
		renewedMarker, ok := parseMarker(k.Spec.Description)
		renewed := renewedMarker.at
		if !ok || !renewed.After(first) || renewed.Before(time.Now()) {
			t.Fatalf("after 2.5 s of a 1.5 s lease the marker says %q (first deadline %s); want a renewed, running lease",
				k.Spec.Description, first)
		}
		restored, err := e.FinishCreate(ctx, key, spec.Description)
		if err != nil {
			t.Fatal(err)
		}
		if restored.Spec.Description != spec.Description {
			t.Errorf("description after FinishCreate %q, want %q", restored.Spec.Description, spec.Description)
		}
		// Time for a renewal that should no longer happen.
		time.Sleep(700 * time.Millisecond)
		if k, _ := mockKey(t, m, key.ID); k.Spec.Description != spec.Description {
			t.Errorf("the keeper wrote %q after FinishCreate", k.Spec.Description)
		}
	})
}

// TestWaitReady_keyDeletedMeanwhile checks that a wait for a key deleted
// while waiting ends within seconds, saying so.
func TestWaitReady_keyDeletedMeanwhile(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		spec.Resource = nil
		e := newBubbleEngine(t, c)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		key, err := e.Create(ctx, spec, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(300 * time.Millisecond)
			_ = m.DeleteAPIKey(key.ID)
		}()
		start := time.Now()
		_, err = e.WaitReady(ctx, cloudTarget(c), key.ID, key.Spec.Secret)
		if !errors.Is(err, ErrKeyDeleted) {
			t.Fatalf("got %v, want ErrKeyDeleted", err)
		}
		if waited := time.Since(start); waited > 15*time.Second {
			t.Errorf("noticed the deletion after %s; want seconds", waited)
		}
	})
}

// TestWaitReady_forbiddenOwner checks that a key whose owner lacks
// permissions (403) counts as working, flagged, and is not probed on and
// on. A 403 is a success of the Kafka run, which must count
// DefaultKafkaSuccesses successes and span kafkaMinSpan: a cluster without
// history has no learnt span, so the run is the first 403 and one
// confirming probe every kafkaMinSpan/kafkaSpanProbes until the span is
// covered, kafkaSpanProbes+1 403s in all. In the bubble the mock answers
// in no time, so the count is exact: one more would be a run that ignored
// its span's end, one fewer a run cut short.
func TestWaitReady_forbiddenOwner(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const delay = 500 * time.Millisecond
		m, c := newBubbleMock(t, mockcloud.Options{PropagationDelay: delay})
		sa := m.CreateServiceAccount("app", "")
		m.SetOwnerAuthorized(sa.ID, false)
		e := newBubbleEngine(t, c)
		key, err := e.Create(t.Context(), kafkaSpec(sa.ID), CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.WaitReady(t.Context(), kafkaTarget(c), key.ID, key.Spec.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Forbidden {
			t.Error("a key answering 403 was not flagged as forbidden")
		}
		if want := kafkaSpanProbes + 1; want <= DefaultKafkaSuccesses {
			t.Fatalf("the span's %d probes do not outnumber the run of %d; the count below would not test the span", want, DefaultKafkaSuccesses)
		}
		u := m.KeyUsage(key.ID)
		if want := kafkaSpanProbes + 1; u.Forbidden != want {
			t.Errorf("the mock answered %+v; want exactly %d 403s (one run over the minimum span %s)", u, want, kafkaMinSpan)
		}
		if r.Probes != r.FailedProbes+u.Forbidden || u.OK != 0 {
			t.Errorf("the wait counted %d probes, %d failed; the mock %+v", r.Probes, r.FailedProbes, u)
		}
		if !strings.Contains(ccloud.ForbiddenHint(ccloud.ScopeKafka), "ACL") {
			t.Errorf("the Kafka hint %q does not mention ACLs", ccloud.ForbiddenHint(ccloud.ScopeKafka))
		}
	})
}

// TestWaitReady_kafkaBrokerWindow checks that a Kafka key is not reported
// ready while some brokers still refuse it. The mock's brokers take
// requests in turn, so with two brokers two successes in a row mean both
// know the key.
func TestWaitReady_kafkaBrokerWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: 300 * time.Millisecond, KafkaBrokers: 2, KafkaBrokerWindow: 2 * time.Second})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		e := newBubbleEngine(t, c)
		for range 3 {
			key, err := e.Create(t.Context(), kafkaSpec(sa.ID), CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.WaitReady(t.Context(), kafkaTarget(c), key.ID, key.Spec.Secret); err != nil {
				t.Fatal(err)
			}
			reported := time.Now()
			_, full, ok := m.KeyPropagation(key.ID)
			if !ok || reported.Before(full) {
				t.Errorf("key %s reported ready at %s, before every broker knew it (%s)", key.ID, reported.Format(time.StampMilli), full.Format(time.StampMilli))
			}
		}
	})
}

// TestWaitReady_outageAndSlowProbe checks that dropped connections, a 503
// and a probe slower than its timeout during the wait are waited out.
func TestWaitReady_outageAndSlowProbe(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: 2 * time.Second})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		const route = "GET /org/v2/environments"
		e := New(Config{Client: c, ProbeTimeout: 300 * time.Millisecond})
		key, err := m.CreateAPIKey(sa.ID, nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultDrop, Count: 1})
		m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultStatus, Status: 503, Count: 1})
		m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultLatency, Latency: time.Second, Count: 1})
		r, err := e.WaitReady(context.Background(), cloudTarget(c), key.ID, key.Spec.Secret)
		if err != nil {
			t.Fatalf("a passing outage failed the wait: %v", err)
		}
		if r.Probes < 3 {
			t.Errorf("%d probes; the faults and a success need at least 3", r.Probes)
		}
	})
}

// kafkaTarget probes the mock's seeded Kafka cluster.
func kafkaTarget(c *ccloud.Client) Target {
	return Target{Scope: ccloud.ScopeKafka, Resource: "lkc-q1ck5t", Lookup: func(ctx context.Context) (string, error) {
		cl, err := c.GetKafkaCluster(ctx, "lkc-q1ck5t", "env-q1ck5t")
		if err != nil {
			return "", err
		}
		return ccloud.KafkaProbeURL(cl.Spec.HTTPEndpoint, "lkc-q1ck5t"), nil
	}}
}

// TestParseLease checks the bounds of the lease test hook: a Go duration
// from MinLease to MaxLease, and nothing else.
func TestParseLease(t *testing.T) {
	for in, want := range map[string]time.Duration{"3s": 3 * time.Second, "90s": 90 * time.Second, "2m": 2 * time.Minute} {
		if got, err := ParseLease(in); err != nil || got != want {
			t.Errorf("ParseLease(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, wantErr := range map[string]string{
		"2999ms": "outside the accepted range of 3s to 2m0s",
		"121s":   "outside the accepted range",
		"-5s":    "outside the accepted range",
		"3":      "is not a duration",
		"soon":   "is not a duration",
	} {
		if got, err := ParseLease(in); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseLease(%q) = %v, %v; want an error containing %q", in, got, err, wantErr)
		}
	}
}
