// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func fakeSize(n int, applyWall time.Duration, planCalls int, peakKB int64) sizeResult {
	m := idealModel{N: n, Latency: 25 * time.Millisecond, Propagation: time.Second, Parallelism: 10}
	res := n * resourcesPerAccount
	plan := m.plan(planCalls)
	return sizeResult{N: n, Phases: []phaseResult{
		{Name: "apply", Resources: res, Wall: applyWall, Calls: 10 * res, Ideal: m.apply(), PeakKB: peakKB, Processes: 3},
		{Name: "plan", Resources: res, Wall: 2 * plan.Total, Calls: planCalls, Ideal: plan, PeakKB: peakKB / 2, Processes: 2},
		{Name: "rotate", Resources: res, Wall: time.Minute, Calls: 12 * res, Ideal: m.rotate(plan.Total), Processes: 3},
		{Name: "destroy", Resources: res, Wall: m.destroy(plan.Total).Total, Calls: 3 * res, Ideal: m.destroy(plan.Total), Processes: 3},
	}}
}

func TestWriteTargetsJudgesEachTargetAtItsN(t *testing.T) {
	t.Parallel()
	sizes := []sizeResult{
		fakeSize(10, time.Hour, 70, 30*1024),
		fakeSize(50, 35*time.Second, 100, 40*1024), // apply 35s over its ideal, plan 100 calls over 50 accounts' resources
		fakeSize(200, time.Hour, 1400, 120*1024),   // peak 120 MB: fails
	}
	var out bytes.Buffer
	writeTargets(&out, sizes)
	got := squeeze(out.String())
	// The ratios at N=50 depend on how many key scopes an account brings.
	applyIdeal := idealModel{N: 50, Latency: 25 * time.Millisecond, Propagation: time.Second, Parallelism: 10}.apply().Total
	for _, want := range []string{
		fmt.Sprintf("apply wall / ideal <= 1.25x at N=50 %.2fx PASS\n", float64(35*time.Second)/float64(applyIdeal)),
		"destroy wall / ideal <= 1.25x at N=50 1.00x PASS\n",
		fmt.Sprintf("plan calls / resource <= 0.35 at N=50 %.2f PASS\n", 100/float64(50*resourcesPerAccount)),
		"plan wall / ideal <= 1.25x at N=50 2.00x FAIL\n",
		"provider peak RSS < 100 MB at N=200 120.0 MB FAIL\n",
		"apply calls/res max/min <= 1.25 N=10..200 1.00 PASS\n",
		"plan calls/res max/min <= 1.25 N=10..200 3.50 FAIL\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "measured at") {
		t.Errorf("a target was judged away from its N:\n%s", got)
	}
}

func TestWriteTargetsSaysWhenJudgedAtAnotherN(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	writeTargets(&out, []sizeResult{fakeSize(5, time.Hour, 35, 20*1024), fakeSize(10, time.Hour, 70, 25*1024)})
	if got := squeeze(out.String()); !strings.Contains(got, "25.0 MB PASS (measured at N=10; the target is for N=200)") {
		t.Errorf("the note on the size is missing:\n%s", got)
	}
}

// squeeze collapses runs of spaces, so tests need not count columns.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// The scaling table's columns line up: every row has its numbers where the
// header puts them.
func TestWriteScalingAligns(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	writeScaling(&out, []sizeResult{fakeSize(10, time.Minute, 70, 30*1024), fakeSize(200, 20*time.Minute, 1400, 90*1024)})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1+2+len(phaseNames)+1 {
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	header := lines[1]
	second := strings.Index(header, "N=200")
	if second < 0 {
		t.Fatalf("no N=200 column:\n%s", out.String())
	}
	for _, l := range lines[3:] {
		if len(l) <= second || l[second-1] != ' ' {
			t.Errorf("row out of line with the header:\n%s\n%s", header, l)
		}
	}
	if !strings.Contains(out.String(), "apply        10.00") {
		t.Errorf("apply's calls per resource are missing:\n%s", out.String())
	}
}

func TestWritePhase(t *testing.T) {
	t.Parallel()
	p := fakeSize(50, 40*time.Second, 100, 40*1024).Phases[0]
	// The ideal is fixed (six key scopes per account), so the block's
	// layout is checked apart from the number of scopes.
	p.Ideal = ideal{Calls: 650, Work: 316250 * time.Millisecond, Chain: 1075 * time.Millisecond, Total: 31625 * time.Millisecond}
	p.Routes = []routeCount{{"POST /iam/v2/api-keys", 300}, {"POST /iam/v2/service-accounts", 50}}
	p.Inventory = inventory{Accounts: 50, Keys: 300}
	var out bytes.Buffer
	writePhase(&out, p, 10)
	got := out.String()
	for _, want := range []string{
		fmt.Sprintf("== apply  (%d resources)", p.Resources),
		"ideal          31.62s  = max(316.25s work / 10, 1.07s chain); 650 critical-path calls",
		"ratio           1.26x",
		"peak RSS      40.0 MB",
		"mock holds  50 accounts, 300 keys: ok",
		fmt.Sprintf("POST /iam/v2/api-keys           300     %.3f      6.00", 300/float64(p.Resources)),
		fmt.Sprintf("POST /iam/v2/service-accounts    50     %.3f      1.00", 50/float64(p.Resources)),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("phase block lacks %q:\n%s", want, got)
		}
	}
}

// A wall-time target that Terraform's own CPU time rules out says so, and
// the phase block shows the floor.
func TestTerraformFloor(t *testing.T) {
	t.Parallel()
	s := fakeSize(50, 35*time.Second, 100, 40*1024)
	plan := &s.Phases[1]
	plan.CPUs = 2
	plan.CPU = 3 * time.Second
	plan.ProviderCPU = time.Second // terraform 2s over 2 CPUs: a 1s floor
	if got := plan.terraformFloor(); got != time.Second {
		t.Fatalf("floor = %s, want 1s", got)
	}
	var out bytes.Buffer
	writeTargets(&out, []sizeResult{s})
	want := fmt.Sprintf("plan wall / ideal <= 1.25x at N=50 2.00x FAIL (out of reach here: Terraform's own CPU alone needs %.2fx)",
		ratio(time.Second, plan.Ideal.Total))
	if got := squeeze(out.String()); !strings.Contains(got, want) {
		t.Errorf("targets lack %q:\n%s", want, got)
	}
	out.Reset()
	writePhase(&out, *plan, 10)
	if got := squeeze(out.String()); !strings.Contains(got, "tf floor 1.00s = terraform's CPU over 2 CPUs") {
		t.Errorf("the phase block lacks the floor:\n%s", got)
	}

	// Without CPU figures there is no floor and no note.
	apply := s.Phases[0]
	if apply.terraformFloor() != 0 {
		t.Errorf("a phase without CPU figures has a floor of %s", apply.terraformFloor())
	}
}
