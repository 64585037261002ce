// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"os"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// A provider process lives as long as the terraform that started it, which
// ends it when done. A terraform killed outright (SIGKILL, an out-of-memory
// kill, a cancelled CI job) ends nothing, and go-plugin keeps serving for a
// client that will never come back, so such processes used to pile up on
// self-hosted runners. The process therefore watches for its parent's death
// and exits, but only after the work that protects new keys is done: the
// closed connection has already cancelled terraform's calls, and the key
// engine expires the leases of the keys it had not handed over (see
// keyengine.WaitIdle), so the next run deletes them at once.
//
// PR_SET_PDEATHSIG would be simpler, but it kills the process at once,
// before any lease is expired, and it fires when the thread that started
// the process ends rather than the process.

const (
	// parentPollInterval is how often the parent is checked. A change of
	// the parent process ID is the portable sign: an orphan is adopted by
	// init or by a subreaper.
	parentPollInterval = 500 * time.Millisecond
	// orphanExitGrace bounds the wait for lease expiries, so that the
	// process is gone within about ten seconds of its parent even when the
	// API does not answer; a lease not expired then runs out by itself.
	orphanExitGrace = 8 * time.Second
)

// waitOrphaned returns true once getppid no longer returns parent, checking
// every interval, or false when ctx ends first. A parent of 1 or less (the
// process was started by init, or in a container as its first child) is
// never watched: no change would tell of its death.
func waitOrphaned(ctx context.Context, parent int, getppid func() int, interval time.Duration) bool {
	if parent <= 1 {
		return false
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
			if getppid() != parent {
				return true
			}
		}
	}
}

// exitWhenOrphaned exits the process after its parent dies, once the key
// engine's in-flight creates and lease expiries are done or orphanExitGrace
// has passed.
func exitWhenOrphaned(parent int) {
	if !waitOrphaned(context.Background(), parent, os.Getppid, parentPollInterval) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), orphanExitGrace)
	_ = keyengine.WaitIdle(ctx)
	cancel()
	stopProfiling()
	os.Exit(0)
}
