// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
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
	earlyBy                    map[string]int
	lateMax                    time.Duration
}

// runKafkaWaves creates waves of keys at one fake Kafka endpoint with
// brokers learning each key over [delay, delay+window]: each wave creates
// size keys together and waits for them all, as one apply does. It counts
// the keys reported ready while some broker still refused them.
func runKafkaWaves(t *testing.T, seed uint64, delay, window time.Duration, brokers, waves, size int) kafkaRun {
	t.Helper()
	var run kafkaRun
	synctest.Test(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(seed, 1))
		f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", 30*time.Millisecond)
		e := newFakeEngine(f)
		var mu sync.Mutex
		for w := range waves {
			var wg sync.WaitGroup
			for i := range size {
				id := fmt.Sprintf("K%d-%d", w, i)
				k := f.addBrokers(id, delay, window, brokers, rng)
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
					if reported.Before(k.full()) {
						run.early++
						cls := "later"
						if w == 0 && i == 0 {
							cls = "leader"
						} else if w == 0 {
							cls = "follower"
						}
						if run.earlyBy == nil {
							run.earlyBy = map[string]int{}
						}
						run.earlyBy[cls]++
					} else {
						run.lateMax = max(run.lateMax, reported.Sub(k.full()))
					}
					if late := reported.Sub(k.full()); false {
						t.Logf("seed %d key %s late %s: %+v; created %s full %s", seed, id, late, r, k.created.Format(time.StampMilli), k.full().Format(time.StampMilli))
						for _, p := range f.probesOf(id) {
							t.Logf("   %s %v", p.at.Sub(k.created), p.ok)
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

// TestWaitReady_kafkaSixBrokersMeasure prints how many Kafka keys are
// reported ready too early when six brokers learn each key over a window.
func TestWaitReady_kafkaSixBrokersMeasure(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ delay, window time.Duration }{
		{3 * time.Second, 2 * time.Second},
		{3 * time.Second, 5 * time.Second},
		{60 * time.Second, 10 * time.Second},
		{10 * time.Second, 500 * time.Millisecond},
	} {
		var total kafkaRun
		firstEarly := 0
		for seed := range uint64(20) {
			r := runKafkaWaves(t, seed, c.delay, c.window, 6, 4, 5)
			total.keys += r.keys
			total.early += r.early
			total.failed += r.failed
			total.flaps += r.flaps
			total.lateMax = max(total.lateMax, r.lateMax)
			_ = firstEarly
			t.Logf("seed %d: %v", seed, r.earlyBy)
		}
		t.Logf("delay %s window %s: %d keys, %d early, %.2f failed/key, %.2f flaps/key, late max %s", c.delay, c.window,
			total.keys, total.early, float64(total.failed)/float64(total.keys), float64(total.flaps)/float64(total.keys), total.lateMax)
	}
	_ = context.Background
}
