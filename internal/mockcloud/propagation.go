// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
)

// Scope names of Propagation.ScopeDelays, Options.ScopePropagationDelays,
// the "scopes" object of PUT /_mock/propagation-delay and the
// -scope-propagation-delay flag.
const (
	PropagationScopeKafka          = "kafka"
	PropagationScopeSchemaRegistry = "schema-registry"
	PropagationScopeKsqlDB         = "ksqldb"
	PropagationScopeFlink          = "flink"
	PropagationScopeTableflow      = "tableflow"
	PropagationScopeCloud          = "cloud"
	PropagationScopeGlobal         = "global"
)

// PropagationScopes lists the valid scope names, in a fixed order.
var PropagationScopes = []string{
	PropagationScopeKafka, PropagationScopeSchemaRegistry, PropagationScopeKsqlDB,
	PropagationScopeFlink, PropagationScopeTableflow, PropagationScopeCloud, PropagationScopeGlobal,
}

// DefaultKafkaBrokers is the number of brokers when KafkaBrokerWindow is set
// and KafkaBrokers is not.
const DefaultKafkaBrokers = 6

// maxKafkaBrokers bounds the per-key work of the broker model.
const maxKafkaBrokers = 1000

// Propagation says when a new key starts to work. A key of scope S created
// at C first authenticates at C + delay(S) + jitter(key), where delay(S) is
// ScopeDelays[S] if set and Delay otherwise, and jitter(key) is drawn per key
// uniformly from [0, Jitter). Kafka keys with a KafkaBrokerWindow W are
// learnt broker by broker: one broker at that first moment, one at the
// moment plus W, and the others at points drawn uniformly in between. Each
// Kafka data-plane request lands on one broker, and answers 401 while that
// broker does not know the key. Changes apply to existing keys too, measured
// from their creation.
type Propagation struct {
	Delay             time.Duration
	ScopeDelays       map[string]time.Duration
	Jitter            time.Duration
	KafkaBrokers      int
	KafkaBrokerWindow time.Duration
}

// propagationJSON is the body of PUT and GET /_mock/propagation-delay.
// Absent fields keep their value on PUT; a scope set to null loses its
// override.
type propagationJSON struct {
	PropagationDelay  *jsonDuration            `json:"propagation_delay,omitempty"`
	Scopes            map[string]*jsonDuration `json:"scopes,omitempty"`
	Jitter            *jsonDuration            `json:"jitter,omitempty"`
	KafkaBrokers      *int                     `json:"kafka_brokers,omitempty"`
	KafkaBrokerWindow *jsonDuration            `json:"kafka_broker_window,omitempty"`
}

func (p Propagation) toJSON() propagationJSON {
	d, j, w, n := jsonDuration(p.Delay), jsonDuration(p.Jitter), jsonDuration(p.KafkaBrokerWindow), p.brokers()
	out := propagationJSON{PropagationDelay: &d, Jitter: &j, KafkaBrokers: &n, KafkaBrokerWindow: &w, Scopes: map[string]*jsonDuration{}}
	for name, v := range p.ScopeDelays {
		v := jsonDuration(v)
		out.Scopes[name] = &v
	}
	return out
}

// apply merges a partial update into p.
func (v propagationJSON) apply(p *Propagation) {
	if v.PropagationDelay != nil {
		p.Delay = time.Duration(*v.PropagationDelay)
	}
	for name, d := range v.Scopes {
		if d == nil {
			delete(p.ScopeDelays, name)
			continue
		}
		if p.ScopeDelays == nil {
			p.ScopeDelays = map[string]time.Duration{}
		}
		p.ScopeDelays[name] = time.Duration(*d)
	}
	if v.Jitter != nil {
		p.Jitter = time.Duration(*v.Jitter)
	}
	if v.KafkaBrokers != nil {
		p.KafkaBrokers = *v.KafkaBrokers
	}
	if v.KafkaBrokerWindow != nil {
		p.KafkaBrokerWindow = time.Duration(*v.KafkaBrokerWindow)
	}
}

func (p Propagation) validate() error {
	var errs []error
	if p.Delay < 0 || p.Jitter < 0 || p.KafkaBrokerWindow < 0 {
		errs = append(errs, errors.New("propagation delays, jitter and the Kafka broker window must not be negative"))
	}
	for name, d := range p.ScopeDelays {
		if !slices.Contains(PropagationScopes, name) {
			errs = append(errs, fmt.Errorf("unknown propagation scope %q (valid: %s)", name, strings.Join(PropagationScopes, ", ")))
		}
		if d < 0 {
			errs = append(errs, fmt.Errorf("the propagation delay of scope %q must not be negative", name))
		}
	}
	if p.KafkaBrokers < 0 || p.KafkaBrokers > maxKafkaBrokers {
		errs = append(errs, fmt.Errorf("kafka_brokers must be between 0 and %d", maxKafkaBrokers))
	}
	return errors.Join(errs...)
}

// normalised fills in the broker default and copies the map, so the
// server never shares it with the caller.
func (p Propagation) normalised() Propagation {
	p.ScopeDelays = maps.Clone(p.ScopeDelays)
	if p.KafkaBrokers == 0 && p.KafkaBrokerWindow > 0 {
		p.KafkaBrokers = DefaultKafkaBrokers
	}
	return p
}

// brokers is the number of brokers a Kafka key is learnt by: one when there
// is no window, as the propagation is then a single switch-over.
func (p Propagation) brokers() int {
	if p.KafkaBrokerWindow <= 0 || p.KafkaBrokers <= 1 {
		return 1
	}
	return p.KafkaBrokers
}

func scopeName(sc keyScope) string {
	switch sc {
	case scopeSchemaRegistry:
		return PropagationScopeSchemaRegistry
	default:
		return string(sc)
	}
}

func (p Propagation) delayOf(sc keyScope) time.Duration {
	if d, ok := p.ScopeDelays[scopeName(sc)]; ok {
		return d
	}
	return p.Delay
}

// splitmix64 is the finaliser of the SplitMix64 generator: a cheap, well
// mixed hash of one word.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// keyDraw returns a number in [0, 1) fixed by the server's seed, the key ID
// and salt. Deriving the per-key draws instead of storing them keeps them
// stable across restarts, backdating and configuration changes, and makes
// them reproducible under Options.FaultSeed.
func (s *Server) keyDraw(id string, salt uint64) float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return float64(splitmix64(s.seed^h.Sum64()^splitmix64(salt))>>11) / (1 << 53)
}

// Salts of the per-key draws.
const (
	saltJitter      = 1
	saltBrokerStart = 2
	saltBroker      = 1 << 32 // Plus the broker's index.
)

// keyTimesLocked returns when a key first authenticates anywhere and the
// moment each broker learns it (one entry unless the key is a Kafka key and
// a broker window is set), in broker order. s.mu must be held.
func (s *Server) keyTimesLocked(k *keyRec) (first time.Time, brokers []time.Time) {
	p := s.prop
	first = k.CreatedAt.Add(p.delayOf(k.Scope))
	if p.Jitter > 0 {
		first = first.Add(time.Duration(s.keyDraw(k.ID, saltJitter) * float64(p.Jitter)))
	}
	first = ceilMicro(first)
	n := 1
	if k.Scope == scopeKafka {
		n = p.brokers()
	}
	if n == 1 {
		return first, []time.Time{first}
	}
	// Stretch the draws so the earliest broker learns the key at first and
	// the latest at first+window: the window is then exactly how long the
	// key works on some brokers but not all.
	u := make([]float64, n)
	lo, hi := 2.0, -1.0
	for i := range u {
		u[i] = s.keyDraw(k.ID, saltBroker+uint64(i))
		lo, hi = min(lo, u[i]), max(hi, u[i])
	}
	brokers = make([]time.Time, n)
	for i := range u {
		f := 0.0
		if hi > lo {
			f = (u[i] - lo) / (hi - lo)
		}
		brokers[i] = ceilMicro(first.Add(time.Duration(f * float64(p.KafkaBrokerWindow))))
	}
	return first, brokers
}

// ceilMicro rounds a moment up to the microsecond, the resolution of the
// mock's clock, so a test that sets its clock to a reported moment sees the
// key work at that moment and not a microsecond later, and a key never
// works before its delay has fully passed.
func ceilMicro(t time.Time) time.Time {
	r := t.Truncate(time.Microsecond)
	if r.Before(t) {
		r = r.Add(time.Microsecond)
	}
	return r
}

// keyFullLocked returns when every broker knows a key.
func (s *Server) keyFullLocked(k *keyRec) time.Time {
	_, brokers := s.keyTimesLocked(k)
	full := brokers[0]
	for _, t := range brokers[1:] {
		if t.After(full) {
			full = t
		}
	}
	return full
}

// brokerKnowsLocked decides whether the broker a Kafka data-plane request
// lands on knows the key. Requests of one key visit the brokers in turn
// (round robin from a start drawn per key), so with a broker window a share
// of them fail until every broker knows the key, and a single-threaded
// prober sees the same sequence on every run. It returns a reason for the
// audit log when the broker does not know the key. s.mu must be held.
func (s *Server) brokerKnowsLocked(k *keyRec, brokers []time.Time, now time.Time) (bool, string) {
	if len(brokers) <= 1 {
		return true, ""
	}
	n := uint64(len(brokers))
	start := uint64(s.keyDraw(k.ID, saltBrokerStart) * float64(n))
	b := (start + s.brokerSeq[k.ID]) % n
	s.brokerSeq[k.ID]++
	if now.Before(brokers[b]) {
		return false, fmt.Sprintf("%s to broker %d", authNotPropagated, b)
	}
	return true, ""
}

// KeyPropagation reports when a key first authenticates anywhere and when it
// is fully propagated (every Kafka broker knows it; for other scopes both
// times are equal), under the propagation settings in force now. ok is
// false for an unknown key.
func (s *Server) KeyPropagation(id string) (first, full time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.world.key(id)
	if k == nil {
		return time.Time{}, time.Time{}, false
	}
	first, _ = s.keyTimesLocked(k)
	return first, s.keyFullLocked(k), true
}

// KeyBrokerTimes returns when each broker learns a key, in broker order
// (the order requests visit them is round robin from a per-key start). It
// has one entry unless the key is a Kafka key and a broker window is set.
func (s *Server) KeyBrokerTimes(id string) ([]time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.world.key(id)
	if k == nil {
		return nil, false
	}
	_, b := s.keyTimesLocked(k)
	return b, true
}

// Propagation returns the propagation settings in force.
func (s *Server) Propagation() Propagation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.prop.normalised()
}

// SetPropagation replaces the propagation settings. Like the options, a
// zero KafkaBrokers with a window means DefaultKafkaBrokers.
func (s *Server) SetPropagation(p Propagation) error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("mockcloud: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prop = p.normalised()
	return nil
}

// updatePropagation applies a partial change atomically.
func (s *Server) updatePropagation(change func(*Propagation)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.prop.normalised()
	change(&p)
	if err := p.validate(); err != nil {
		return err
	}
	s.prop = p.normalised()
	return nil
}

// SetScopePropagationDelay sets the delay of one scope (a name of
// PropagationScopes), overriding the default delay for it.
func (s *Server) SetScopePropagationDelay(scope string, d time.Duration) error {
	return s.updatePropagation(func(p *Propagation) {
		if p.ScopeDelays == nil {
			p.ScopeDelays = map[string]time.Duration{}
		}
		p.ScopeDelays[scope] = d
	})
}

// ParseScopeDelays parses "kafka=120s,flink=30s" (the -scope-propagation-delay
// flag's form) into a ScopeDelays map, checking the scope names.
func ParseScopeDelays(v string) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, dur, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not scope=duration", part)
		}
		name = strings.TrimSpace(name)
		if !slices.Contains(PropagationScopes, name) {
			return nil, fmt.Errorf("unknown propagation scope %q (valid: %s)", name, strings.Join(PropagationScopes, ", "))
		}
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("scope %s: %q is not a non-negative duration", name, dur)
		}
		out[name] = d
	}
	return out, nil
}
