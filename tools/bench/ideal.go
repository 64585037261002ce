// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"time"
)

// The ideal wall time of a phase.
//
// Terraform runs at most P resource operations at once (-parallelism,
// default 10), and an operation holds its slot for as long as the provider
// works on it: its API calls and any wait, such as a new key's readiness.
// Every API call costs at least the injected latency L (the mock answers
// after L; the work behind it is free in comparison). So a phase cannot
// finish sooner than
//
//	work  = sum over resources r of (c_r * L + w_r)
//	ideal = max(work / P, chain)
//
// where c_r is the number of sequential API calls r itself must make (its
// critical-path calls), w_r the propagation delay D it must wait out, and
// chain the longest dependency chain, which no parallelism shortens. Phases
// that start with a refresh (the rotation and destroy) add the refresh's
// ideal in front, because Terraform refreshes the whole state before it
// changes anything.
//
// Critical-path calls per resource, by phase (N accounts, K = 7N keys):
//
//	apply    account: 1 (POST service-accounts)
//	         key:     2 (POST api-keys, one successful data-plane probe) + D
//	         chain:   account POST -> key POST -> probe after D = 3L + D
//	plan     every call the provider actually made (measured), because a
//	         refresh has no API-imposed minimum: shared or batched reads
//	         (one list per owner) are credited as the one call they are.
//	         chain: account read -> key read = 2L
//	rotate   refresh (the no-change plan's ideal) +
//	         key: 2 (new key's POST and probe) + D, then 1 (DELETE old key)
//	         chain: POST -> probe after D -> DELETE = 3L + D
//	destroy  refresh (the no-change plan's ideal) +
//	         key:     1 (DELETE)
//	         account: 2 (list its keys for the deletion guard, DELETE)
//	         chain:   key DELETE -> account list -> account DELETE = 3L
//
// Not on any critical path, and so not in the ideal: endpoint lookups (one
// per scope per provider process), the provider's own bookkeeping calls
// (such as the PATCH that removes the orphan-proof create marker from a new
// key's description), and probes that found the key not yet working. They
// show up in the measured calls and push the ratio above 1.
type idealModel struct {
	N           int           // service accounts
	Latency     time.Duration // L
	Propagation time.Duration // D
	Parallelism int           // P
}

// Critical-path calls of one resource.
const (
	accountCreateCalls = 1 // POST /iam/v2/service-accounts
	keyCreateCalls     = 2 // POST /iam/v2/api-keys + the probe that succeeds
	keyDeleteCalls     = 1 // DELETE /iam/v2/api-keys/{id}
	accountDeleteCalls = 2 // GET /iam/v2/api-keys?spec.owner= (guard) + DELETE
)

// ideal is a phase's ideal wall time with the terms it came from, so the
// report can show its working.
type ideal struct {
	Refresh time.Duration // ideal of the refresh that precedes the changes
	Calls   int           // critical-path calls summed over resources
	Work    time.Duration // sum of c_r*L + w_r
	Chain   time.Duration // longest dependency chain
	Total   time.Duration // Refresh + max(Work/P, Chain)
}

func (m idealModel) keys() int { return m.N * len(keyResources) }

func (m idealModel) finish(refresh time.Duration, calls int, waits time.Duration, chain time.Duration) ideal {
	work := time.Duration(calls)*m.Latency + waits
	p := max(m.Parallelism, 1)
	return ideal{
		Refresh: refresh,
		Calls:   calls,
		Work:    work,
		Chain:   chain,
		Total:   refresh + max(work/time.Duration(p), chain),
	}
}

// apply is the ideal of creating everything from an empty state.
func (m idealModel) apply() ideal {
	calls := m.N*accountCreateCalls + m.keys()*keyCreateCalls
	waits := time.Duration(m.keys()) * m.Propagation
	chain := time.Duration(accountCreateCalls+keyCreateCalls)*m.Latency + m.Propagation
	return m.finish(0, calls, waits, chain)
}

// plan is the ideal of a no-change plan that made measuredCalls API calls.
func (m idealModel) plan(measuredCalls int) ideal {
	return m.finish(0, measuredCalls, 0, 2*m.Latency)
}

// rotate is the ideal of replacing every key (create_before_destroy) after
// a refresh whose ideal is refresh.
func (m idealModel) rotate(refresh time.Duration) ideal {
	calls := m.keys() * (keyCreateCalls + keyDeleteCalls)
	waits := time.Duration(m.keys()) * m.Propagation
	chain := time.Duration(keyCreateCalls+keyDeleteCalls)*m.Latency + m.Propagation
	return m.finish(refresh, calls, waits, chain)
}

// destroy is the ideal of deleting everything after a refresh whose ideal
// is refresh.
func (m idealModel) destroy(refresh time.Duration) ideal {
	calls := m.keys()*keyDeleteCalls + m.N*accountDeleteCalls
	chain := time.Duration(keyDeleteCalls+accountDeleteCalls) * m.Latency
	return m.finish(refresh, calls, 0, chain)
}

// explain renders the ideal's working, for example
// "refresh 0.30s + max(316.3s / 10, 1.08s)".
func (i ideal) explain(p int) string {
	s := fmt.Sprintf("max(%s work / %d, %s chain)", seconds(i.Work), p, seconds(i.Chain))
	if i.Refresh > 0 {
		s = fmt.Sprintf("%s refresh + %s", seconds(i.Refresh), s)
	}
	return s
}

// ratio is actual over ideal; 0 when the ideal is 0.
func ratio(actual, ideal time.Duration) float64 {
	if ideal <= 0 {
		return 0
	}
	return float64(actual) / float64(ideal)
}
