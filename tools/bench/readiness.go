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

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
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
	created     time.Time // from the key's CreateAPIKey event; zero if not in the log
	firstProbe  time.Time
	lastSuccess time.Time
	failed, ok  int
	full        time.Time     // when the mock let the key work on every broker
	lateness    time.Duration // lastSuccess minus full
}

// readinessRow sums the keys of one scope.
type readinessRow struct {
	Scope string
	Keys  int
	// Probes and Failed count all probes and the failed ones (401).
	Probes, Failed int
	// FirstFailed is the most failed probes of the first key probed at an
	// endpoint, LaterFailedMax and LaterFailedSum those of the other keys
	// there.
	FirstFailed, LaterFailedMax, LaterFailedSum, LaterKeys int
	// The first wave of an endpoint is the keys created before any key
	// there was reported ready: they wait for one of them to work (the
	// engine's cohort) and may be found up to FirstShare×D late. Later
	// keys are held to max(1 s, D/10).
	WaveKeys, LateKeys         int
	WaveLateMax, WaveLateSum   time.Duration
	LaterLateMax, LaterLateSum time.Duration
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
	keys := keysProbed(events, m.Key)
	for _, k := range keys {
		var prop struct {
			Full time.Time `json:"full"`
		}
		if err := m.do(ctx, http.MethodGet, "/_mock/api-keys/"+k.id+"/propagation", nil, &prop); err != nil {
			continue // deleted since, for example the old keys of a rotation
		}
		k.full = prop.Full
	}
	return summarise(keys), nil
}

// keysProbed collects, from the audit log, the probes of every key other
// than admin, and when each was created.
func keysProbed(events []mockcloud.AuditEvent, admin string) map[string]*keyProbes {
	keys := map[string]*keyProbes{}
	created := map[string]time.Time{}
	for _, ev := range events {
		if ev.Data.MethodName == "CreateAPIKey" && ev.Data.Result.Status == mockcloud.AuditSuccess {
			for _, r := range ev.Data.CloudResources {
				if r.Resource.Type == "API_KEY" {
					created[r.Resource.ResourceID] = ev.Time
				}
			}
			continue
		}
		id := ev.Data.AuthenticationInfo.Principal.APIKey
		if ev.Data.MethodName != "Authentication" || id == "" || id == admin {
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
	for id, k := range keys {
		k.created = created[id]
	}
	return keys
}

// summarise sums the keys per scope. Keys without a full time (deleted
// since) are left out.
func summarise(keys map[string]*keyProbes) []readinessRow {
	rows := map[string]*readinessRow{}
	byEndpoint := map[string][]*keyProbes{}
	for _, k := range keys {
		if k.full.IsZero() {
			continue
		}
		k.lateness = k.lastSuccess.Sub(k.full)
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
		// The endpoint's first report ends its first wave.
		var firstReport time.Time
		for _, k := range ks {
			if k.ok > 0 && (firstReport.IsZero() || k.lastSuccess.Before(firstReport)) {
				firstReport = k.lastSuccess
			}
		}
		for _, k := range ks {
			if k.ok == 0 || k.lateness < 0 {
				continue
			}
			if k == ks[0] || k.created.IsZero() || k.created.Before(firstReport) {
				r.WaveKeys++
				r.WaveLateSum += k.lateness
				r.WaveLateMax = max(r.WaveLateMax, k.lateness)
			} else {
				r.LateKeys++
				r.LaterLateSum += k.lateness
				r.LaterLateMax = max(r.LaterLateMax, k.lateness)
			}
		}
	}
	var out []readinessRow
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b readinessRow) int { return strings.Compare(a.Scope, b.Scope) })
	return out
}

// Lateness bounds: the first wave of an endpoint may be found up to
// FirstShare×D late, later keys max(1 s, D/10).
func waveBound(delay time.Duration) time.Duration {
	return max(time.Second, time.Duration(keyengine.FirstShare*float64(delay)))
}

func laterBound(delay time.Duration) time.Duration { return max(time.Second, delay/10) }

func avg(sum time.Duration, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return sum / time.Duration(n)
}

// writeReadiness prints the readiness table of a phase and its targets.
func writeReadiness(w io.Writer, rows []readinessRow, delay time.Duration) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "   readiness   per scope, from the mock's audit log (late = reported ready minus working)\n")
	fmt.Fprintf(w, "               first wave: keys created before the endpoint's first report, bound %s (max(1 s, %.2f×D));\n",
		waveBound(delay), keyengine.FirstShare)
	fmt.Fprintf(w, "               later keys: bound %s (max(1 s, D/10))\n", laterBound(delay))
	fmt.Fprintf(w, "     %-16s %5s %7s %7s %8s %7s %9s %11s %11s %11s %11s %6s\n",
		"scope", "keys", "probes", "failed", "fail/key", "1st key", "later max", "wave n/late", "wave max", "later n/avg", "later max", "early")
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
			total.LaterKeys += r.LaterKeys
			total.LaterFailedSum += r.LaterFailedSum
			total.WaveKeys += r.WaveKeys
			total.WaveLateSum += r.WaveLateSum
			total.WaveLateMax = max(total.WaveLateMax, r.WaveLateMax)
			total.LateKeys += r.LateKeys
			total.LaterLateSum += r.LaterLateSum
			total.LaterLateMax = max(total.LaterLateMax, r.LaterLateMax)
			total.Early += r.Early
		}
		fmt.Fprintf(w, "     %-16s %5d %7d %7d %8.2f %7d %9d %11s %11s %11s %11s %6d\n", r.Scope, r.Keys, r.Probes, r.Failed,
			float64(r.Failed)/float64(max(r.Keys, 1)), r.FirstFailed, r.LaterFailedMax,
			fmt.Sprintf("%d/%s", r.WaveKeys, avg(r.WaveLateSum, r.WaveKeys).Round(10*time.Millisecond)),
			r.WaveLateMax.Round(10*time.Millisecond),
			fmt.Sprintf("%d/%s", r.LateKeys, avg(r.LaterLateSum, r.LateKeys).Round(10*time.Millisecond)),
			r.LaterLateMax.Round(10*time.Millisecond), r.Early)
	}
	for _, v := range readinessVerdicts(total, delay) {
		fmt.Fprintf(w, "     %s\n", v)
	}
}

// readinessVerdicts judges a phase's totals against issue 10's targets:
// at most 2 failed probes per key on average at short delays; at 60 s and
// longer at most 15 for the first key of an endpoint and 3 for the others;
// lateness within the bounds above; no key reported early.
func readinessVerdicts(t readinessRow, delay time.Duration) []string {
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "FAIL"
	}
	var out []string
	if delay >= time.Minute {
		out = append(out,
			fmt.Sprintf("target: failed probes of the first key <= 15: %d %s", t.FirstFailed, verdict(t.FirstFailed <= 15)),
			fmt.Sprintf("target: failed probes of later keys <= 3: %d at most %s", t.LaterFailedMax, verdict(t.LaterFailedMax <= 3)))
	} else {
		perKey := float64(t.Failed) / float64(max(t.Keys, 1))
		out = append(out, fmt.Sprintf("target: failed probes per key <= 2 on average: %.2f %s", perKey, verdict(perKey <= 2)))
	}
	out = append(out,
		fmt.Sprintf("target: first wave late <= %s: %s %s", waveBound(delay), t.WaveLateMax.Round(10*time.Millisecond), verdict(t.WaveLateMax <= waveBound(delay))),
		fmt.Sprintf("target: later keys late <= %s: %s %s", laterBound(delay), t.LaterLateMax.Round(10*time.Millisecond), verdict(t.LaterLateMax <= laterBound(delay))),
		fmt.Sprintf("target: no key reported early: %d %s", t.Early, verdict(t.Early == 0)))
	return out
}
