// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// TestParentPID reads the parent from stat lines whose command names hold
// the characters that make a naive split go wrong.
func TestParentPID(t *testing.T) {
	for line, want := range map[string]int{
		"4242 (terraform) S 17 4242 4242 0 -1":                 17,
		"4243 (a) b) (c) R 99 4243 4243 0 -1":                  99,
		"4244 (terraform-provi) S 4242 4242 4242 0 -1 4194560": 4242,
	} {
		if got, ok := parentPID([]byte(line)); !ok || got != want {
			t.Errorf("parentPID(%q) = %d, %v; want %d", line, got, ok, want)
		}
	}
	if _, ok := parentPID([]byte("garbage")); ok {
		t.Error("a line without a command name was read")
	}
}

// TestChildProcesses finds a child of the test process by its executable's
// name, and no child of another name.
func TestChildProcesses(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// Start returns once the child is forked, and until it has executed
	// sleep /proc names it after this test binary: look again for a while.
	var got []int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got = ChildProcesses(os.Getpid(), "sleep")
		if slices.Contains(got, cmd.Process.Pid) || time.Now().After(deadline) {
			break
		}
	}
	if !slices.Contains(got, cmd.Process.Pid) {
		t.Errorf("ChildProcesses found %v, want it to include %d", got, cmd.Process.Pid)
	}
	if got := ChildProcesses(os.Getpid(), "terraform-provider-ccloud"); len(got) != 0 {
		t.Errorf("ChildProcesses found provider processes %v under the test", got)
	}
}
