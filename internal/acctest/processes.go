// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"bytes"
	"fmt"
	"os"
	"time"
)

// ProviderPIDs returns the IDs of the provider processes terraform started
// and that still run, so that a test can follow them after killing
// terraform.
func (p *Process) ProviderPIDs() []int {
	return ChildProcesses(p.cmd.Process.Pid, "terraform-provider-ccloud")
}

// ProcessAlive reports whether process pid runs. A zombie does not count:
// it has exited, and only waits for a parent (here often an init that does
// not reap) to collect its status.
func ProcessAlive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return false
	}
	return stat[i+2] != 'Z' && stat[i+2] != 'X'
}

// WaitProcessesGone waits up to within for every process of pids to be
// gone, and returns those still running then and how long the last of the
// others took.
func WaitProcessesGone(pids []int, within time.Duration) (alive []int, took time.Duration) {
	start := time.Now()
	for {
		alive = alive[:0]
		for _, pid := range pids {
			if ProcessAlive(pid) {
				alive = append(alive, pid)
			}
		}
		if len(alive) == 0 || time.Since(start) > within {
			return alive, time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
