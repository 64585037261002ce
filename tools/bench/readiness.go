// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The readiness report: how many probes each new key cost, and how soon
// after it started working the provider saw it. Both come from the mock:
// every probe is an Authentication event in its audit log (with the key,
// the route and the result), and the mock says when each key started
// working. A key counts as reported ready at its last successful
// authentication, which is the probe that ended its wait: nothing else in
// the benchmark uses the new keys.

// keyProbes is what the audit log says about one key's probes.
type keyProbes struct {
	id          string
	scope       string
	route       string
	firstProbe  time.Time
	lastSuccess time.Time
	failed, ok  int
	lateness    time.Duration // lastSuccess minus the moment the key fully worked
}

// readinessRow sums the keys of one scope.
type readinessRow struct {
	Scope string
	Keys  int
	// Probes and Failed count all probes and the failed ones (401).
	Probes, Failed int
	// FirstFailed is the most failed probes of the first key probed at an
	// endpoint, LaterFailedMax and LaterFailedSum those of the later keys.
	FirstFailed, LaterFailedMax, LaterFailedSum, LaterKeys int
	LateMax, LateSum                                       time.Duration
	// Early counts keys reported ready before they fully worked.
	Early int
}

// probeScope names the scope a probe route belongs to.
func probeScope(route string) string {
	switch {
	case strings.Contains(route, "/kafka/v3/"):
		return "kafka"
	case strings.HasPrefix(route, "GET /sr/"):
		return "schema-registry"
	case strings.HasPrefix(route, "GET /ksql/"):
		return "ksqldb"
	case strings.HasPrefix(route, "GET /flink/"):
		return "flink"
	case strings.HasPrefix(route, "GET /tableflow/"):
		return "tableflow"
	case strings.HasPrefix(route, "GET /org/v2/environments"):
		return "cloud"
	}
	return ""
}

// clearAudit empties the mock's audit log, so that a phase's report sees
// only its own probes.
func (m *mockProcess) clearAudit(ctx context.Context) error {
	return m.do(ctx, http.MethodDelete, "/_mock/audit", nil, nil)
}

// readiness reads the probes of the phase from the audit log.
func (m *mockProcess) readiness(ctx context.Context) ([]readinessRow, error) {
	var events []mockcloud.AuditEvent
	if err := m.do(ctx, http.MethodGet, "/_mock/audit", nil, &events); err != nil {
		return nil, err
	}
	keys := map[string]*keyProbes{}
	for _, ev := range events {
		id := ev.Data.AuthenticationInfo.Principal.APIKey
		if ev.Data.MethodName != "Authentication" || id == "" || id == m.Key {
			continue
		}
		scope := probeScope(ev.Data.Request.Route)
		if scope == "" {
			continue
		}
		k := keys[id]
		if k == nil {
			k = &keyProbes{id: id, scope: scope, route: ev.Data.Request.Route, firstProbe: ev.Time}
			keys[id] = k
		}
		if ev.Data.AuthenticationInfo.Result == mockcloud.AuditSuccess {
			k.ok++
			k.lastSuccess = ev.Time
		} else {
			k.failed++
		}
	}
	rows := map[string]*readinessRow{}
	byEndpoint := map[string][]*keyProbes{}
	for _, k := range keys {
		var prop struct {
			Full time.Time `json:"full"`
		}
		if err := m.do(ctx, http.MethodGet, "/_mock/api-keys/"+k.id+"/propagation", nil, &prop); err != nil {
			continue // deleted since, for example the old keys of a rotation
		}
		k.lateness = k.lastSuccess.Sub(prop.Full)
		r := rows[k.scope]
		if r == nil {
			r = &readinessRow{Scope: k.scope}
			rows[k.scope] = r
		}
		r.Keys++
		r.Probes += k.ok + k.failed
		r.Failed += k.failed
		if k.ok == 0 || k.lateness < 0 {
			r.Early++
		} else {
			r.LateMax = max(r.LateMax, k.lateness)
			r.LateSum += k.lateness
		}
		byEndpoint[k.route] = append(byEndpoint[k.route], k)
	}
	for _, ks := range byEndpoint {
		slices.SortFunc(ks, func(a, b *keyProbes) int { return a.firstProbe.Compare(b.firstProbe) })
		r := rows[ks[0].scope]
		r.FirstFailed = max(r.FirstFailed, ks[0].failed)
		for _, k := range ks[1:] {
			r.LaterKeys++
			r.LaterFailedSum += k.failed
			r.LaterFailedMax = max(r.LaterFailedMax, k.failed)
		}
	}
	var out []readinessRow
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b readinessRow) int { return strings.Compare(a.Scope, b.Scope) })
	return out, nil
}

// writeReadiness prints the readiness table of a phase.
func writeReadiness(w io.Writer, rows []readinessRow, delay time.Duration) {
	if len(rows) == 0 {
		return
	}
	bound := max(time.Second, delay/10)
	fmt.Fprintf(w, "   readiness   per scope, from the mock's audit log (late = reported ready minus working; bound %s)\n", bound)
	fmt.Fprintf(w, "     %-16s %5s %7s %7s %8s %9s %11s %9s %9s %6s\n",
		"scope", "keys", "probes", "failed", "fail/key", "1st key", "later max", "late avg", "late max", "early")
	total := readinessRow{Scope: "all"}
	for _, r := range append(rows, readinessRow{}) {
		if r.Scope == "" {
			r = total
		} else {
			total.Keys += r.Keys
			total.Probes += r.Probes
			total.Failed += r.Failed
			total.FirstFailed = max(total.FirstFailed, r.FirstFailed)
			total.LaterFailedMax = max(total.LaterFailedMax, r.LaterFailedMax)
			total.LateMax = max(total.LateMax, r.LateMax)
			total.LateSum += r.LateSum
			total.Early += r.Early
		}
		avgLate := time.Duration(0)
		if n := r.Keys - r.Early; n > 0 {
			avgLate = r.LateSum / time.Duration(n)
		}
		fmt.Fprintf(w, "     %-16s %5d %7d %7d %8.2f %9d %11d %9s %9s %6d\n", r.Scope, r.Keys, r.Probes, r.Failed,
			float64(r.Failed)/float64(max(r.Keys, 1)), r.FirstFailed, r.LaterFailedMax,
			avgLate.Round(time.Millisecond), r.LateMax.Round(time.Millisecond), r.Early)
	}
}
