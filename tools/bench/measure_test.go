// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestAggregateRoutes(t *testing.T) {
	t.Parallel()
	rows, total := aggregateRoutes(map[string]int{
		"GET /iam/v2/api-keys/{id}":    350,
		"POST /iam/v2/api-keys":        300,
		"DELETE /iam/v2/api-keys/{id}": 300,
		"GET /iam/v2/service-accounts": 0,
		"GET /org/v2/organizations":    1,
		"PATCH /iam/v2/api-keys/{id}":  300,
	})
	want := []routeCount{
		{"GET /iam/v2/api-keys/{id}", 350},
		{"DELETE /iam/v2/api-keys/{id}", 300},
		{"PATCH /iam/v2/api-keys/{id}", 300},
		{"POST /iam/v2/api-keys", 300},
		{"GET /org/v2/organizations", 1},
	}
	if !reflect.DeepEqual(rows, want) || total != 1251 {
		t.Errorf("aggregateRoutes = %v, %d; want %v, 1251", rows, total, want)
	}
	if rows, total := aggregateRoutes(nil); len(rows) != 0 || total != 0 {
		t.Errorf("aggregateRoutes(nil) = %v, %d", rows, total)
	}
}

const statusSample = `Name:	terraform-provi
Umask:	0022
State:	S (sleeping)
Tgid:	4242
Pid:	4242
PPid:	4200
VmPeak:	 1289644 kB
VmSize:	 1289644 kB
VmHWM:	   38912 kB
VmRSS:	   30100 kB
Threads:	9
`

func TestParseVmHWM(t *testing.T) {
	t.Parallel()
	if kb, ok := parseVmHWM(statusSample); !ok || kb != 38912 {
		t.Errorf("parseVmHWM = %d, %v; want 38912, true", kb, ok)
	}
	for name, bad := range map[string]string{
		"kernel thread": "Name:\tkthreadd\nState:\tS (sleeping)\n",
		"garbled":       "VmHWM:\tlots kB\n",
		"empty value":   "VmHWM:\n",
		"other unit":    "VmHWM:\t38 MB\n",
	} {
		if kb, ok := parseVmHWM(bad); ok {
			t.Errorf("%s: parseVmHWM = %d, true; want false", name, kb)
		}
	}
}

func TestParseStatCPU(t *testing.T) {
	t.Parallel()
	// A command name with spaces and parentheses; utime 1234, stime 66 ticks.
	const stat = "4242 (terraform-provi (x) y) S 4200 4242 4200 0 -1 4194560 2515 0 0 0 1234 66 0 0 20 0 9 0 4711 1320603648 9548 18446744073709551615\n"
	if got, ok := parseStatCPU(stat); !ok || got != 13*time.Second {
		t.Errorf("parseStatCPU = %s, %v; want 13s, true", got, ok)
	}
	for _, bad := range []string{"", "4242 (x) S 1 2", "4242 (x) S 1 2 3 4 5 6 7 8 9 10 ten 12"} {
		if got, ok := parseStatCPU(bad); ok {
			t.Errorf("parseStatCPU(%q) = %s, true; want false", bad, got)
		}
	}
}

func TestIsExe(t *testing.T) {
	t.Parallel()
	const exe = "/tmp/ccloud-bench-1/bin/terraform-provider-ccloud"
	for target, want := range map[string]bool{
		exe:                                    true,
		exe + " (deleted)":                     true,
		"/usr/bin/terraform":                   false,
		"/other/bin/terraform-provider-ccloud": false,
	} {
		if got := isExe(target, exe); got != want {
			t.Errorf("isExe(%q) = %v, want %v", target, got, want)
		}
	}
}

// The poller finds processes by their exe link in a /proc-like directory
// and keeps each process's largest VmHWM.
func TestMemoryPollerSamplesMatchingProcesses(t *testing.T) {
	t.Parallel()
	proc := t.TempDir()
	const exe = "/bench/bin/terraform-provider-ccloud"
	write := func(pid int, target string, hwmKB int) {
		dir := filepath.Join(proc, strconv.Itoa(pid))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(filepath.Join(dir, "exe"))
		if err := os.Symlink(target, filepath.Join(dir, "exe")); err != nil {
			t.Fatal(err)
		}
		status := "Name:\tx\nVmHWM:\t" + strconv.Itoa(hwmKB) + " kB\n"
		if err := os.WriteFile(filepath.Join(dir, "status"), []byte(status), 0o600); err != nil {
			t.Fatal(err)
		}
		// 50 ticks of user and 25 of system time: 0.75s.
		stat := strconv.Itoa(pid) + " (x) S 1 1 1 0 -1 0 0 0 0 0 50 25 0 0 20 0 9 0 1 0 0\n"
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(stat), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(10, exe, 20000)
	write(11, exe, 51200)
	write(12, "/usr/bin/terraform", 900000)
	if err := os.MkdirAll(filepath.Join(proc, "self"), 0o700); err != nil {
		t.Fatal(err)
	}

	p := &memoryPoller{procDir: proc, exe: exe, interval: time.Hour}
	p.start()
	p.sample()
	write(10, exe, 60000) // grows, and is sampled again
	p.sample()
	got := p.finish()
	if got.PeakKB != 60000 || got.Processes != 2 || got.CPU != 1500*time.Millisecond {
		t.Errorf("finish = %+v; want 60000 kB over 2 processes using 1.5s", got)
	}

	// A new phase starts from nothing.
	if err := os.RemoveAll(filepath.Join(proc, "10")); err != nil {
		t.Fatal(err)
	}
	p.start()
	got = p.finish()
	if got.PeakKB != 51200 || got.Processes != 1 || got.CPU != 750*time.Millisecond {
		t.Errorf("second phase = %+v; want 51200 kB over 1 process using 0.75s", got)
	}
}
