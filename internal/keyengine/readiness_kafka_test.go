// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	// reports holds each key's lateness (reported minus known to every
	// broker) and whether it waited in the endpoint's first wave; span and
	// need are what the endpoint had learnt at the end.
	reports []kafkaReport
	span    time.Duration
	need    int
}

// kafkaReport is one key of a kafkaRun.
type kafkaReport struct {
	wave bool
	late time.Duration
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
				learnt := e.urls.needAt(f.url) >= brokers
				wave := !e.urls.known(f.url)
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
					run.reports = append(run.reports, kafkaReport{wave: wave, late: reported.Sub(k.full())})
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
		run.span, run.need = e.urls.spanAt(f.url), e.urls.needAt(f.url)
	})
	return run
}

// kafkaSettings are the brokers' windows the Kafka tests and the bench's
// Kafka table run: the 5 s window after 3 s, its 60 s / 10 s case,
// a 2 s delay (at which the default must cost at most 2 failed probes per
// key on average), a narrower window and a near-instant one.
var kafkaSettings = []struct{ delay, window time.Duration }{
	{2 * time.Second, 2 * time.Second},
	{3 * time.Second, 2 * time.Second},
	{3 * time.Second, 5 * time.Second},
	{time.Minute, 10 * time.Second},
	{10 * time.Second, 500 * time.Millisecond},
}

// kafkaReportRow is one setting's totals as the bench reads them (see
// tools/bench/kafka.go, which declares the same JSON).
type kafkaReportRow struct {
	Delay       time.Duration `json:"delay"`
	Window      time.Duration `json:"window"`
	Brokers     int           `json:"brokers"`
	Run         int           `json:"run"` // kafka_ready_successes; 0 is the default
	Keys        int           `json:"keys"`
	Early       int           `json:"early"`
	Failed      int           `json:"failed"`
	Flaps       int           `json:"flaps"`
	LateMax     time.Duration `json:"late_max"`
	LearntKeys  int           `json:"learnt_keys"`
	LearntEarly int           `json:"learnt_early"`
}

// writeKafkaReport writes a test's rows for the bench, as
// $CCLOUD_KAFKA_REPORT/<test name>.json, when that variable names a
// directory; tests that leave it unset write nothing.
func writeKafkaReport(t *testing.T, rows []kafkaReportRow) {
	t.Helper()
	dir := os.Getenv("CCLOUD_KAFKA_REPORT")
	if dir == "" {
		return
	}
	b, err := json.Marshal(rows)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, t.Name()+".json"), b, 0o600)
	}
	if err != nil {
		t.Fatalf("writing the bench's Kafka report: %v", err)
	}
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
	var report []kafkaReportRow
	for _, c := range kafkaSettings {
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
		report = append(report, kafkaReportRow{
			Delay: c.delay, Window: c.window, Brokers: brokers, Keys: total.keys, Early: total.early,
			Failed: total.failed, Flaps: total.flaps, LateMax: total.lateMax,
			LearntKeys: total.learntKeys, LearntEarly: total.learntEarly,
		})
	}
	writeKafkaReport(t, report)
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
		need := e.urls.needAt(f.url)
		if want := min(DefaultKafkaSuccesses<<r.Flaps, kafkaMaxSuccesses); need != want {
			t.Errorf("after %d flaps the endpoint needs runs of %d, want %d", r.Flaps, need, want)
		}
		horizon := e.urls.refusedAt(f.url)
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
// begins sooner than any key at its cluster was confirmed needs twice the
// run, and one whose run begins later the run as configured. A run must
// also span kafkaMinSpan, which at 10 ms round trips holds
// kafkaSpanProbes+1 successes (one at once, one per kafkaMinSpan/
// kafkaSpanProbes), so the doubling shows only in a run whose double
// outlasts the span: with the engine's run at kafkaSpanProbes the quicker
// key needs 2×kafkaSpanProbes successes (the cap, kafkaMaxSuccesses,
// allows it) and the slower one the span's kafkaSpanProbes+1. The counts
// are exact: no key flaps, so the span stays at its minimum. With the
// default run of two the span's probes hide the doubling, which the second
// case pins.
func TestWaitReady_kafkaSoonerRunDoubles(t *testing.T) {
	t.Parallel()
	successes := func(f *fakeEndpoint, id string) int {
		n := 0
		for _, p := range f.probesOf(id) {
			if p.ok {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		name                string
		run, sooner, slower int
	}{
		{"run doubled past the span", kafkaSpanProbes, 2 * kafkaSpanProbes, kafkaSpanProbes + 1},
		{"default run", 0, kafkaSpanProbes + 1, kafkaSpanProbes + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeEndpoint("https://pkc.example/kafka/v3/clusters/lkc-1/topics", 10*time.Millisecond)
				e := newFakeEngine(f)
				if 2*kafkaSpanProbes > kafkaMaxSuccesses {
					t.Fatalf("the cap of %d runs hides a doubled run of %d", kafkaMaxSuccesses, kafkaSpanProbes)
				}
				if c.run > 0 {
					e.kafkaSuccesses = c.run
				}
				f.add("first", 10*time.Second)
				if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "first", "secret"); err != nil {
					t.Fatal(err)
				}
				_, hi := e.urls.window(ccloud.ScopeKafka, f.url)
				f.add("sooner", 5*time.Second)
				if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "sooner", "secret"); err != nil {
					t.Fatal(err)
				}
				if first := f.probesOf("sooner")[0]; !first.ok {
					t.Fatalf("the quicker key failed its first probe; the test needs it to work at once")
				}
				if got := successes(f, "sooner"); got != c.sooner {
					t.Errorf("a key working sooner than the estimate %s passed a run of %d, want %d", hi, got, c.sooner)
				}
				f.add("slower", 30*time.Second)
				if _, err := e.WaitReady(t.Context(), f.target(ccloud.ScopeKafka), "slower", "secret"); err != nil {
					t.Fatal(err)
				}
				if got := successes(f, "slower"); got != c.slower {
					t.Errorf("a key working after the estimate passed a run of %d, want %d", got, c.slower)
				}
				if span := e.urls.spanAt(f.url); span != kafkaMinSpan {
					t.Errorf("the cluster learnt a span of %s without a refusal, want %s", span, kafkaMinSpan)
				}
			})
		})
	}
}

// TestWaitReady_kafkaConfiguredRun checks what a user who sets the Kafka
// run to the cluster's broker count gets: no key, the first wave included,
// is reported ready while a broker still refuses it, because a run as long
// as the broker count visits every broker.
func TestWaitReady_kafkaConfiguredRun(t *testing.T) {
	t.Parallel()
	const brokers, seeds = 6, 20
	var report []kafkaReportRow
	for _, c := range kafkaSettings {
		keys, early, failed, flaps := 0, 0, 0, 0
		var lateMax time.Duration
		for seed := range uint64(seeds) {
			r := runKafkaWavesWith(t, brokers, seed, c.delay, c.window, brokers, 4, 5)
			keys += r.keys
			early += r.early
			failed += r.failed
			flaps += r.flaps
			lateMax = max(lateMax, r.lateMax)
		}
		report = append(report, kafkaReportRow{
			Delay: c.delay, Window: c.window, Brokers: brokers, Run: brokers, Keys: keys, Early: early,
			Failed: failed, Flaps: flaps, LateMax: lateMax,
		})
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
	writeKafkaReport(t, report)
}

// kafkaRunBound is the longest a Kafka run can take at an endpoint that
// learnt span and need, with round trips rtt: the span, covered by at least
// kafkaSpanProbes probes, then one probe per confirmInterval for each
// success beyond those that the run needs (doubled when it began sooner
// than the estimate), and the round trip of the last probe.
func kafkaRunBound(span time.Duration, need int, rtt time.Duration) time.Duration {
	n := min(2*max(need, DefaultKafkaSuccesses), kafkaMaxSuccesses)
	return span + time.Duration(max(0, n-kafkaSpanProbes))*(confirmInterval+rtt) + rtt
}

// TestWaitReady_kafkaLateness checks the lateness bound of readiness.go for
// Kafka keys whose brokers learn them one by one: a key every broker knows
// from F (at age D) is reported by F plus its schedule's lateness (the
// strict max(1 s, D/10) for later keys; firstShare×D for the first wave)
// plus the run it must complete (the learnt span, or the run of successes
// at confirmInterval); a key of the first wave waits for its leader's run
// before its own, so it gets two runs.
func TestWaitReady_kafkaLateness(t *testing.T) {
	t.Parallel()
	const brokers, seeds, rtt = 6, 20, 30 * time.Millisecond
	for _, c := range kafkaSettings {
		d := c.delay + c.window
		keys, over := 0, 0
		var worstLater, worstWave time.Duration
		for seed := range uint64(seeds) {
			r := runKafkaWaves(t, seed, c.delay, c.window, brokers, 4, 5)
			run := kafkaRunBound(r.span, r.need, rtt)
			for _, k := range r.reports {
				keys++
				bound := laterLateness(d, rtt) + run
				if k.wave {
					bound = firstLateness(d, rtt) + 2*run
					worstWave = max(worstWave, k.late)
				} else {
					worstLater = max(worstLater, k.late)
				}
				if k.late > bound {
					over++
					t.Errorf("delay %s, window %s, seed %d: a key (first wave %t) was reported %s after every broker knew it, bound %s (span %s, run %d)",
						c.delay, c.window, seed, k.wave, k.late, bound, r.span, r.need)
				}
			}
		}
		t.Logf("delay %s, window %s: %d keys, %d over the bound; late at most %s in first waves, %s later",
			c.delay, c.window, keys, over, worstWave.Round(time.Millisecond), worstLater.Round(time.Millisecond))
		if keys != seeds*4*5 {
			t.Errorf("delay %s, window %s: %d keys reported, want %d", c.delay, c.window, keys, seeds*4*5)
		}
	}
}
