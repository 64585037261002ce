// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"sync"
)

// A provider process that is about to exit on its own (its terraform died)
// must first let the work that protects new keys finish: a create whose
// answer may be lost reconciles, and a keeper whose caller was cancelled
// expires its lease, so that the next run deletes the key at once instead
// of after the lease. That work runs on contexts of its own, so it survives
// the cancellation of the calls; work counts it across every engine of the
// process, and WaitIdle waits for it.

// work counts the creates and lease keepers running in this process.
var work = &workCounter{}

type workCounter struct {
	mu sync.Mutex
	n  int
	// idle is made by a waiter while n is above zero and closed when n
	// next reaches zero. Only waiters make it: the pieces of work run in
	// many goroutines (in tests, in many testing/synctest bubbles, which may
	// not share a channel), while the one waiter is the exiting process.
	idle chan struct{}
}

// begin counts one piece of work and returns the function that ends it.
func (w *workCounter) begin() func() {
	w.mu.Lock()
	w.n++
	w.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.n--
			if w.n == 0 && w.idle != nil {
				close(w.idle)
				w.idle = nil
			}
		})
	}
}

// wait returns nil once no work runs, or ctx's error if it ends first.
func (w *workCounter) wait(ctx context.Context) error {
	w.mu.Lock()
	if w.n == 0 {
		w.mu.Unlock()
		return nil
	}
	if w.idle == nil {
		w.idle = make(chan struct{})
	}
	idle := w.idle
	w.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// InFlight returns how many creates and lease keepers run in this process.
func InFlight() int {
	work.mu.Lock()
	defer work.mu.Unlock()
	return work.n
}

// WaitIdle waits until no engine of this process is creating a key or
// keeping the lease of one not handed over yet, which after a cancellation
// means that every such lease has been expired (or its expiry has given
// up). It returns ctx's error if ctx ends first: the process should exit
// anyway, and the leases left then run out by themselves.
func WaitIdle(ctx context.Context) error {
	return work.wait(ctx)
}
