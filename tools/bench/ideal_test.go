// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"testing"
	"time"
)

func TestIdealAtTheDefaults(t *testing.T) {
	t.Parallel()
	m := idealModel{N: 50, Latency: 25 * time.Millisecond, Propagation: time.Second, Parallelism: 10}
	ms := time.Millisecond
	// One key of every scope per account: with the six scopes of old, 300
	// keys.
	keys := 50 * len(keyResources)
	per := func(calls, waits int) time.Duration {
		return time.Duration(calls)*25*ms + time.Duration(waits)*time.Second
	}

	// 50 accounts x 1 call + keys x 2 calls, each 25ms, plus one wait of 1s
	// per key, over 10 slots (with six scopes: 316.25s of work).
	apply := m.apply()
	if apply.Calls != 50+2*keys || apply.Work != per(50+2*keys, keys) || apply.Chain != 1075*ms || apply.Total != per(50+2*keys, keys)/10 {
		t.Errorf("apply = %+v", apply)
	}

	// 120 measured calls over 10 slots: 300ms.
	plan := m.plan(120)
	if plan.Calls != 120 || plan.Total != 300*ms || plan.Chain != 50*ms {
		t.Errorf("plan = %+v", plan)
	}

	// keys x (2+1) calls + one wait per key over 10, after the refresh.
	rotate := m.rotate(plan.Total)
	if rotate.Calls != 3*keys || rotate.Work != per(3*keys, keys) || rotate.Total != 300*ms+per(3*keys, keys)/10 {
		t.Errorf("rotate = %+v", rotate)
	}

	// keys x 1 + 50 accounts x 2 calls over 10 slots.
	destroy := m.destroy(plan.Total)
	if destroy.Calls != keys+100 || destroy.Work != per(keys+100, 0) || destroy.Chain != 75*ms || destroy.Total != 300*ms+per(keys+100, 0)/10 {
		t.Errorf("destroy = %+v", destroy)
	}
}

// With few resources the dependency chain bounds the ideal, not the work.
func TestIdealNeverBelowTheChain(t *testing.T) {
	t.Parallel()
	m := idealModel{N: 1, Latency: 25 * time.Millisecond, Propagation: time.Second, Parallelism: 10}
	apply := m.apply()
	if apply.Total != apply.Chain || apply.Chain != 1075*time.Millisecond {
		t.Errorf("apply = %+v, want the chain 3L+D", apply)
	}
	if d := m.destroy(0); d.Total != 75*time.Millisecond {
		t.Errorf("destroy = %+v, want the chain 3L", d)
	}
	if p := m.plan(0); p.Total != 50*time.Millisecond {
		t.Errorf("plan with no calls = %+v, want the chain 2L", p)
	}
}

func TestIdealScalesWithParallelism(t *testing.T) {
	t.Parallel()
	m := idealModel{N: 200, Latency: 25 * time.Millisecond, Propagation: 0, Parallelism: 1}
	serial := m.destroy(0).Total
	m.Parallelism = 20
	if parallel := m.destroy(0).Total; parallel*20 != serial {
		t.Errorf("destroy at parallelism 20 = %s, want %s / 20", parallel, serial)
	}
	m.Parallelism = 0 // treated as 1, never a division by zero
	if got := m.destroy(0).Total; got != serial {
		t.Errorf("destroy at parallelism 0 = %s, want %s", got, serial)
	}
}

func TestRatio(t *testing.T) {
	t.Parallel()
	if got := ratio(3*time.Second, 2*time.Second); got != 1.5 {
		t.Errorf("ratio = %v", got)
	}
	if got := ratio(time.Second, 0); got != 0 {
		t.Errorf("ratio over a zero ideal = %v, want 0", got)
	}
}

func TestIdealExplain(t *testing.T) {
	t.Parallel()
	i := ideal{Refresh: 300 * time.Millisecond, Work: 10 * time.Second, Chain: 75 * time.Millisecond}
	if got, want := i.explain(10), "0.30s refresh + max(10.00s work / 10, 0.07s chain)"; got != want {
		t.Errorf("explain = %q, want %q", got, want)
	}
}
