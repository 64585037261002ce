// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// kafkaRun is what one run of Kafka keys at one fake endpoint showed.
type kafkaRun struct {
	keys, early, failed, flaps int
	// learntKeys and learntEarly count the keys whose wait began once the
	// endpoint had learnt a run at least as long as it has brokers.
	learntKeys, learntEarly int
	lateMax                 time.Duration
}

// runKafkaWaves creates waves of keys at one fake Kafka endpoint with
// brokers learning each key over [delay, delay+window]: each wave creates
// size keys together and waits for them all, as one apply does. It counts
// the keys reported ready while some broker still refused them.
func runKafkaWaves(t *testing.T, seed uint64, delay, window time.Duration, brokers, waves, size int) kafkaRun {
	t.Helper()
	return runKafkaWavesWith(t, 0, seed, delay, window, brokers, waves, size)
}

// runKafkaWavesWith is runKafkaWaves with the engine's Kafka run set to
// successes (the default when 0).
func runKafkaWavesWith(t *testing.T, successes int, seed uint64, delay, window time.Duration, brokers, waves, size int) kafkaRun {
	t.Helper()
	var run kafkaRun
	synctest.Test(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(seed, 1))
		f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", 30*time.Millisecond)
		e := newFakeEngine(f)
		if successes > 0 {
			e.kafkaSuccesses = successes
		}
		var mu sync.Mutex
		for w := range waves {
			var wg sync.WaitGroup
			for i := range size {
				id := fmt.Sprintf("K%d-%d", w, i)
				k := f.addBrokers(id, delay, window, brokers, rng)
				learnt := e.hints.needAt(f.url) >= brokers
				wg.Go(func() {
					r, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), id, "secret")
					if err != nil {
						t.Errorf("key %s: %v", id, err)
						return
					}
					reported := time.Now()
					mu.Lock()
					defer mu.Unlock()
					run.keys++
					run.failed += r.FailedProbes
					run.flaps += r.Flaps
					early := reported.Before(k.full())
					if early {
						run.early++
					} else {
						run.lateMax = max(run.lateMax, reported.Sub(k.full()))
					}
					if learnt {
						run.learntKeys++
						if early {
							run.learntEarly++
						}
					}
				})
				// Terraform starts the creates of one apply a few
				// milliseconds apart.
				time.Sleep(5 * time.Millisecond)
			}
			wg.Wait()
		}
	})
	return run
}

// TestWaitReady_kafkaSixBrokers counts the Kafka keys reported ready while
// some of six brokers still refused them, the mock's default model: brokers
// learn each key at moments spread over a window, and a key's requests
// visit them in turn from a random start. What can be proven, and is
// asserted: once keys at an endpoint have flapped often enough to need a
// run at least as long as the number of brokers, no key there is early,
// since such a run visits every broker and brokers never forget a key. The
// keys before that (mostly the first wave, with runs of two) can still be
// early; their rate is printed, not asserted, because the engine cannot
// know the broker count.
func TestWaitReady_kafkaSixBrokers(t *testing.T) {
	t.Parallel()
	const brokers, seeds = 6, 20
	learntKeys := 0
	for _, c := range []struct{ delay, window time.Duration }{
		{3 * time.Second, 2 * time.Second},
		{3 * time.Second, 5 * time.Second},
		{time.Minute, 10 * time.Second},
		{10 * time.Second, 500 * time.Millisecond},
	} {
		var total kafkaRun
		for seed := range uint64(seeds) {
			r := runKafkaWaves(t, seed, c.delay, c.window, brokers, 4, 5)
			total.keys += r.keys
			total.early += r.early
			total.failed += r.failed
			total.flaps += r.flaps
			total.learntKeys += r.learntKeys
			total.learntEarly += r.learntEarly
			total.lateMax = max(total.lateMax, r.lateMax)
		}
		t.Logf("delay %s, window %s, %d brokers, %d seeds: %d keys, %d early (%.1f %%); after a run of %d was learnt %d keys, %d early; %.2f failed probes and %.2f flaps per key; late at most %s",
			c.delay, c.window, brokers, seeds, total.keys, total.early, 100*float64(total.early)/float64(total.keys), brokers,
			total.learntKeys, total.learntEarly, float64(total.failed)/float64(total.keys), float64(total.flaps)/float64(total.keys),
			total.lateMax.Round(time.Millisecond))
		// The default's run spans the longest spread the cluster showed
		// between a key's first success and its last refusal, at least
		// kafkaMinSpan: no key is early, the first wave included.
		if total.early != 0 {
			t.Errorf("delay %s, window %s: %d of %d keys were reported early with the default run",
				c.delay, c.window, total.early, total.keys)
		}
		if total.learntEarly != 0 {
			t.Errorf("delay %s, window %s: %d of the %d keys started after the endpoint learnt a run of %d were reported early",
				c.delay, c.window, total.learntEarly, total.learntKeys, brokers)
		}
		learntKeys += total.learntKeys
	}
	if learntKeys == 0 {
		t.Error("no endpoint ever learnt a run as long as its brokers; the assertion above tested nothing")
	}
}

// TestWaitReady_kafkaFlapsDoubleTheRun checks the learning from flaps: a
// Kafka key refused after a success needs twice the run (2, 4, 8), and the
// endpoint remembers the run and the age of the last refusal for later
// keys, which then complete that run after that age.
func TestWaitReady_kafkaFlapsDoubleTheRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", 20*time.Millisecond)
		e := newFakeEngine(f)
		// Two brokers know the key from 1 s, four only from 20 s: probes in
		// between succeed on two brokers in a row, then fail.
		k := f.add("A", time.Second)
		for i := 2; i < 6; i++ {
			k.brokers = append(k.brokers, k.created.Add(20*time.Second))
		}
		r, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "A", "secret")
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().Before(k.full()) {
			t.Errorf("the key was reported %s before every broker knew it", time.Until(k.full()))
		}
		if r.Flaps < 2 {
			t.Errorf("%d flaps; the brokers' window should show at least two", r.Flaps)
		}
		need := e.hints.needAt(f.url)
		if want := min(DefaultKafkaSuccesses<<r.Flaps, kafkaMaxSuccesses); need != want {
			t.Errorf("after %d flaps the endpoint needs runs of %d, want %d", r.Flaps, need, want)
		}
		horizon := e.hints.refusedAt(f.url)
		if horizon <= time.Second || horizon >= 20*time.Second {
			t.Errorf("the last refusal was remembered at age %s, want within the window (1 s, 20 s)", horizon)
		}

		// A later key with the same brokers completes the learnt run, all of
		// it after the remembered age.
		b := f.add("B", time.Second)
		for i := 2; i < 6; i++ {
			b.brokers = append(b.brokers, b.created.Add(20*time.Second))
		}
		if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "B", "secret"); err != nil {
			t.Fatal(err)
		}
		run := 0
		for _, p := range f.probesOf("B") {
			if p.ok && p.at.Sub(b.created) > horizon {
				run++
			} else {
				run = 0
			}
		}
		if run < need {
			t.Errorf("the later key ended on a run of %d successes after the horizon, want at least %d", run, need)
		}
		if time.Now().Before(b.full()) {
			t.Errorf("the later key was reported before every broker knew it")
		}
	})
}

// TestWaitReady_kafkaSoonerRunDoubles checks that a Kafka key whose run
// begins sooner than any key at its cluster was confirmed needs at least
// twice the run, and one whose run begins later one minimum span.
func TestWaitReady_kafkaSoonerRunDoubles(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", 20*time.Millisecond)
		e := newFakeEngine(f)
		f.add("first", 10*time.Second)
		if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "first", "secret"); err != nil {
			t.Fatal(err)
		}
		_, hi := e.hints.window(ccloud.ScopeKafka, f.url)
		successes := func(id string) int {
			n := 0
			for _, p := range f.probesOf(id) {
				if p.ok {
					n++
				}
			}
			return n
		}
		f.add("sooner", 5*time.Second)
		if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "sooner", "secret"); err != nil {
			t.Fatal(err)
		}
		if first := f.probesOf("sooner")[0]; !first.ok {
			t.Fatalf("the quicker key failed its first probe; the test needs it to work at once")
		}
		// The run must also span kafkaMinSpan, which at the confirming
		// interval holds more successes than the counted run.
		if got := successes("sooner"); got < 2*DefaultKafkaSuccesses {
			t.Errorf("a key working sooner than the estimate %s passed a run of %d, want %d", hi, got, 2*DefaultKafkaSuccesses)
		}
		f.add("slower", 30*time.Second)
		if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "slower", "secret"); err != nil {
			t.Fatal(err)
		}
		if got := successes("slower"); got < DefaultKafkaSuccesses || got > kafkaSpanProbes+1 {
			t.Errorf("a key working after the estimate passed a run of %d, want %d", got, DefaultKafkaSuccesses)
		}
	})
}

// TestWaitReady_kafkaConfiguredRun checks what a user who sets the Kafka
// run to the cluster's broker count gets: no key, the first wave included,
// is reported ready while a broker still refuses it, because a run as long
// as the broker count visits every broker.
func TestWaitReady_kafkaConfiguredRun(t *testing.T) {
	t.Parallel()
	const brokers, seeds = 6, 20
	for _, c := range []struct{ delay, window time.Duration }{
		{3 * time.Second, 2 * time.Second},
		{3 * time.Second, 5 * time.Second},
		{time.Minute, 10 * time.Second},
		{10 * time.Second, 500 * time.Millisecond},
	} {
		keys, early, failed := 0, 0, 0
		for seed := range uint64(seeds) {
			r := runKafkaWavesWith(t, brokers, seed, c.delay, c.window, brokers, 4, 5)
			keys += r.keys
			early += r.early
			failed += r.failed
		}
		t.Logf("delay %s, window %s, run of %d at %d brokers: %d keys, %d early, %.2f failed probes per key",
			c.delay, c.window, brokers, brokers, keys, early, float64(failed)/float64(max(keys, 1)))
		if keys != seeds*4*5 {
			t.Fatalf("delay %s, window %s: %d keys became ready, want %d", c.delay, c.window, keys, seeds*4*5)
		}
		if early != 0 {
			t.Errorf("delay %s, window %s: %d of %d keys were reported ready while a broker still refused them",
				c.delay, c.window, early, keys)
		}
	}
}
