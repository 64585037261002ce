// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestWaitOrphaned checks the parent watch: it notices a new parent process
// ID within one interval, never fires while the parent lives, and does not
// watch a process whose parent is init.
func TestWaitOrphaned(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var ppid atomic.Int64
		ppid.Store(4242)
		getppid := func() int { return int(ppid.Load()) }
		go func() {
			time.Sleep(10 * time.Second)
			ppid.Store(1)
		}()
		start := time.Now()
		if !waitOrphaned(t.Context(), 4242, getppid, parentPollInterval) {
			t.Fatal("the watch did not notice the parent's death")
		}
		if took := time.Since(start); took < 10*time.Second || took > 10*time.Second+parentPollInterval {
			t.Fatalf("the watch fired %v after start; the parent died at 10s", took)
		}

		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		ppid.Store(4242)
		if waitOrphaned(ctx, 4242, getppid, parentPollInterval) {
			t.Fatal("the watch fired while the parent lives")
		}
		if waitOrphaned(t.Context(), 1, getppid, parentPollInterval) {
			t.Fatal("a process started by init was watched")
		}
	})
}
