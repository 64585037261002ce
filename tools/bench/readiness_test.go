// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestSummarise checks the split of an endpoint's keys into its first key,
// its first wave (created before the endpoint's first report) and later
// keys, with their failed probes and lateness.
func TestSummarise(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	const route = "GET /kafka/v3/clusters/lkc-1/topics"
	var events []mockcloud.AuditEvent
	create := func(id string, s float64) {
		ev := mockcloud.AuditEvent{Time: at(s)}
		ev.Data.MethodName = "CreateAPIKey"
		ev.Data.Result.Status = mockcloud.AuditSuccess
		ev.Data.CloudResources = []mockcloud.AuditCloudResource{{Resource: mockcloud.AuditResource{Type: "API_KEY", ResourceID: id}}}
		events = append(events, ev)
	}
	probe := func(id string, s float64, ok bool) {
		ev := mockcloud.AuditEvent{Time: at(s)}
		ev.Data.MethodName = "Authentication"
		ev.Data.AuthenticationInfo.Principal.APIKey = id
		ev.Data.Request.Route = route
		ev.Data.AuthenticationInfo.Result = mockcloud.AuditFailure
		if ok {
			ev.Data.AuthenticationInfo.Result = mockcloud.AuditSuccess
		}
		events = append(events, ev)
	}
	// A leads the first wave and fails three times; B follows it and
	// succeeds at once; C comes after A was reported and fails once.
	create("A", 0)
	create("B", 0.1)
	for _, s := range []float64{0.01, 0.8, 1.6} {
		probe("A", s, false)
	}
	probe("A", 2.4, true)
	probe("B", 2.5, true)
	create("C", 3)
	probe("C", 4.5, false)
	probe("C", 5.2, true)
	probe("ADMIN", 1, true)
	keys := keysProbed(events, "ADMIN")
	if len(keys) != 3 {
		t.Fatalf("%d keys, want A, B and C", len(keys))
	}
	keys["A"].full, keys["B"].full, keys["C"].full = at(2), at(2.1), at(5)
	rows := summarise(keys)
	if len(rows) != 1 || rows[0].Scope != "kafka" {
		t.Fatalf("rows %+v, want one Kafka row", rows)
	}
	r := rows[0]
	if r.Keys != 3 || r.Probes != 7 || r.Failed != 4 || r.FirstFailed != 3 || r.LaterFailedMax != 1 || r.LaterKeys != 2 {
		t.Errorf("counts %+v", r)
	}
	if r.WaveKeys != 2 || r.WaveLateMax != 400*time.Millisecond || r.LateKeys != 1 || r.LaterLateMax != 200*time.Millisecond || r.Early != 0 {
		t.Errorf("lateness %+v: want a wave of A and B (0.4 s at most) and C later (0.2 s)", r)
	}
	keys["C"].full = at(6)
	if r := summarise(keys)[0]; r.Early != 1 {
		t.Errorf("C reported before it worked counted %d early, want 1", r.Early)
	}
	var out bytes.Buffer
	writeReadiness(&out, rows, 60*time.Second)
	for _, want := range []string{"failed probes of the first key <= 15: 3 PASS", "later keys <= 3: 1 at most PASS",
		"first wave late <= 21s: 400ms PASS", "later keys late <= 6s: 200ms PASS", "no key reported early: 0 PASS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}
