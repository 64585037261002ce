// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// routeCount is the number of requests the mock counted on one route, such
// as "POST /iam/v2/api-keys".
type routeCount struct {
	Route string
	Calls int
}

// aggregateRoutes turns the mock's counters into rows sorted by calls,
// most first (ties by route), dropping empty routes, and their total.
func aggregateRoutes(counters map[string]int) ([]routeCount, int) {
	rows := make([]routeCount, 0, len(counters))
	total := 0
	for route, n := range counters {
		if n <= 0 {
			continue
		}
		rows = append(rows, routeCount{Route: route, Calls: n})
		total += n
	}
	slices.SortFunc(rows, func(a, b routeCount) int {
		if c := cmp.Compare(b.Calls, a.Calls); c != 0 {
			return c
		}
		return cmp.Compare(a.Route, b.Route)
	})
	return rows, total
}

// parseVmHWM returns the peak resident set size ("high water mark") in
// kilobytes from the text of /proc/PID/status.
func parseVmHWM(status string) (int64, bool) {
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0, false
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, false
		}
		if len(fields) > 1 && !strings.EqualFold(fields[1], "kB") {
			return 0, false
		}
		return kb, true
	}
	return 0, false
}

// clockTicks is USER_HZ, the unit of the CPU times in /proc/PID/stat: 100
// on every Linux the benchmark runs on.
const clockTicks = 100

// parseStatCPU returns the CPU time (user plus system) a process has used
// from the text of /proc/PID/stat. The command name in parentheses may hold
// spaces and parentheses itself, so the fields are counted from the last
// ")".
func parseStatCPU(stat string) (time.Duration, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	// After ") " come state (field 3), ppid, ..., utime (14), stime (15).
	fields := strings.Fields(stat[i+1:])
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

// isExe reports whether the /proc/PID/exe link target names the binary at
// path. The kernel appends " (deleted)" once the file is gone, which the
// benchmark's own clean-up can cause while a process still runs.
func isExe(linkTarget, path string) bool {
	return strings.TrimSuffix(linkTarget, " (deleted)") == path
}

// memoryPoller samples the peak RSS and CPU time of every running process whose
// executable is the provider binary the benchmark built. Terraform starts
// the provider several times in one command (schema, plan, apply), and
// each process is sampled while it lives: VmHWM is the process's own peak,
// so a sample taken at any point of its life is a lower bound that the last
// sample before it exits makes nearly exact. A process shorter than one
// interval can be missed; those are the schema-only starts, the smallest.
type memoryPoller struct {
	procDir  string
	exe      string
	interval time.Duration

	mu     sync.Mutex
	peakKB map[int]int64         // by PID, over the current phase
	cpu    map[int]time.Duration // by PID, the latest sample
	stop   chan struct{}
	done   chan struct{}
}

func newMemoryPoller(exe string, interval time.Duration) *memoryPoller {
	return &memoryPoller{procDir: "/proc", exe: exe, interval: interval}
}

// start begins a phase's sampling.
func (p *memoryPoller) start() {
	p.mu.Lock()
	p.peakKB = map[int]int64{}
	p.cpu = map[int]time.Duration{}
	p.mu.Unlock()
	p.stop = make(chan struct{})
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// providerSample is what the poller saw of the provider in one phase.
type providerSample struct {
	PeakKB    int64         // the largest VmHWM of any provider process
	Processes int           // provider processes seen
	CPU       time.Duration // their CPU time, as last sampled (a lower bound)
}

// finish ends the phase's sampling.
func (p *memoryPoller) finish() providerSample {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	var s providerSample
	for _, kb := range p.peakKB {
		s.PeakKB = max(s.PeakKB, kb)
	}
	for _, c := range p.cpu {
		s.CPU += c
	}
	s.Processes = len(p.peakKB)
	return s
}

func (p *memoryPoller) sample() {
	entries, err := os.ReadDir(p.procDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join(p.procDir, e.Name())
		target, err := os.Readlink(filepath.Join(dir, "exe"))
		if err != nil || !isExe(target, p.exe) {
			continue
		}
		status, err := os.ReadFile(filepath.Join(dir, "status"))
		if err != nil {
			continue
		}
		kb, ok := parseVmHWM(string(status))
		if !ok {
			continue
		}
		var cpu time.Duration
		if stat, err := os.ReadFile(filepath.Join(dir, "stat")); err == nil {
			cpu, _ = parseStatCPU(string(stat))
		}
		p.mu.Lock()
		p.peakKB[pid] = max(p.peakKB[pid], kb)
		p.cpu[pid] = max(p.cpu[pid], cpu)
		p.mu.Unlock()
	}
}
