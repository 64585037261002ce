// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// The tests of the probe budget run in a synctest bubble: the engine's wall
// clock and its timers there are fake, and time moves only when every
// goroutine of the bubble waits, so a one-minute propagation takes no real
// time and every count is exact on a loaded machine. The endpoint is a fake
// prober installed on the engine.

// fakeEndpoint answers probes for the keys it was told about, as an
// endpoint with Kafka-like brokers would: a key works on broker i from
// brokers[i] on, and a key's probes visit the brokers in turn from a start
// drawn per key. An endpoint with one broker switches over at once.
type fakeEndpoint struct {
	url string
	// rtt is the round trip of one probe; half of it passes before the
	// endpoint decides.
	rtt time.Duration
	// refuse makes every probe fail as if the endpoint were unreachable.
	refuse bool

	mu   sync.Mutex
	keys map[string]*fakeKey
	log  []fakeProbe
}

type fakeKey struct {
	created time.Time
	brokers []time.Time
	next    int
	// onProbe, when set, runs after the key's n-th probe (from 1).
	onProbe func(n int)
	probes  int
}

// fakeProbe is one probe the endpoint answered.
type fakeProbe struct {
	key string
	at  time.Time
	ok  bool
}

func newFakeEndpoint(url string, rtt time.Duration) *fakeEndpoint {
	return &fakeEndpoint{url: url, rtt: rtt, keys: map[string]*fakeKey{}}
}

// add makes a key that starts working delay after now on every broker.
func (f *fakeEndpoint) add(id string, delay time.Duration) *fakeKey {
	return f.addBrokers(id, delay, 0, 1, nil)
}

// addBrokers makes a key that brokers learn over [delay, delay+window]
// after now, as the mock does: one at each end, the others uniformly in
// between, and its probes start at a random broker.
func (f *fakeEndpoint) addBrokers(id string, delay, window time.Duration, brokers int, rng *rand.Rand) *fakeKey {
	now := time.Now()
	k := &fakeKey{created: now, brokers: make([]time.Time, brokers)}
	for i := range k.brokers {
		at := delay
		if brokers > 1 {
			switch i {
			case 0:
			case 1:
				at += window
			default:
				at += time.Duration(rng.Float64() * float64(window))
			}
		}
		k.brokers[i] = now.Add(at)
	}
	if brokers > 1 {
		rng.Shuffle(brokers, func(i, j int) { k.brokers[i], k.brokers[j] = k.brokers[j], k.brokers[i] })
		k.next = rng.IntN(brokers)
	}
	f.mu.Lock()
	f.keys[id] = k
	f.mu.Unlock()
	return k
}

// full is when every broker knows the key.
func (k *fakeKey) full() time.Time { return slices.MaxFunc(k.brokers, time.Time.Compare) }

func (f *fakeEndpoint) probe(ctx context.Context, url, keyID, _ string) error {
	if url != f.url {
		return fmt.Errorf("probe at %s, want %s", url, f.url)
	}
	time.Sleep(f.rtt / 2)
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.refuse {
		time.Sleep(f.rtt / 2)
		return &ccloud.ProbeUnreachableError{URL: url, Err: fmt.Errorf("connection refused")}
	}
	f.mu.Lock()
	k := f.keys[keyID]
	ok := false
	if k != nil {
		b := k.next % len(k.brokers)
		k.next++
		ok = !time.Now().Before(k.brokers[b])
		k.probes++
	}
	f.log = append(f.log, fakeProbe{key: keyID, at: time.Now(), ok: ok})
	var hook func(int)
	var n int
	if k != nil {
		hook, n = k.onProbe, k.probes
	}
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	time.Sleep(f.rtt / 2)
	if !ok {
		return ccloud.ErrNotReady
	}
	return nil
}

// probesOf returns the probes the endpoint answered for a key.
func (f *fakeEndpoint) probesOf(id string) []fakeProbe {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeProbe
	for _, p := range f.log {
		if p.key == id {
			out = append(out, p)
		}
	}
	return out
}

// target probes the endpoint for scope.
func (f *fakeEndpoint) target(scope ccloud.Scope) Target {
	return Target{Scope: scope, Resource: f.url, Lookup: func(context.Context) (string, error) { return f.url, nil }}
}

// newFakeEngine returns an engine on the wall clock (fake in a bubble) that
// probes through f.
func newFakeEngine(f *fakeEndpoint) *Engine {
	e := New(Config{Clock: clock.Real()})
	e.probe = f.probe
	return e
}

// firstLateness is the most a key probed on the first-key schedule can be
// late for a propagation delay d with round trips rtt: the interval after
// the last failed probe, answered a round trip after d at worst, and the
// round trip of the probe that finds it.
func firstLateness(d, rtt time.Duration) time.Duration {
	return firstInterval(d+rtt) + 2*rtt
}

// laterLateness is the same for keys on the strict schedule: the issue's
// max(1 s, D/10) bound plus the two round trips.
func laterLateness(d, rtt time.Duration) time.Duration {
	return max(time.Second, d/10) + 2*rtt
}
