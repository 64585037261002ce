// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestWorkCounter_waitsForTheLastPiece checks the counter WaitIdle rests
// on: a wait ends when the last piece of work ends, not before, and a
// bounded wait gives up at its bound.
func TestWorkCounter_waitsForTheLastPiece(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		w := &workCounter{}
		if err := w.wait(t.Context()); err != nil {
			t.Fatalf("an idle counter: %v", err)
		}
		first, second := w.begin(), w.begin()
		go func() {
			time.Sleep(time.Second)
			first()
			first() // Ending a piece twice counts once.
			time.Sleep(time.Second)
			second()
		}()
		start := time.Now()
		if err := w.wait(t.Context()); err != nil || time.Since(start) != 2*time.Second {
			t.Fatalf("the wait ended after %v with %v; want 2s and nil", time.Since(start), err)
		}
		stuck := w.begin()
		defer stuck()
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		if err := w.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("a bounded wait on running work returned %v", err)
		}
	})
}

// TestWaitIdle_afterLeaseExpiry checks what an exiting provider relies on:
// once the calls of a create are cancelled, WaitIdle returns only after the
// keeper has expired the new key's lease. It does not run in parallel, as
// WaitIdle counts the work of every engine in the process.
func TestWaitIdle_afterLeaseExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		e := newTestEngine(c)
		ctx, cancel := context.WithCancel(context.Background())
		key, err := e.Create(ctx, kafkaSpec(sa.ID), CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if n := InFlight(); n < 1 {
			t.Fatalf("%d pieces of work in flight while a key's lease is kept", n)
		}
		// Slow the expiry down, so that a WaitIdle that did not wait for it
		// would return before the lease is expired.
		m.SetLatency(300 * time.Millisecond)
		cancel()
		wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer wcancel()
		if err := WaitIdle(wctx); err != nil {
			t.Fatalf("WaitIdle: %v", err)
		}
		k, ok := mockKey(t, m, key.ID)
		if !ok {
			t.Fatal("the key is gone; its expired lease should leave it to the next run")
		}
		if mk, _ := parseMarker(k.Spec.Description); mk.kind != markerExpired {
			t.Fatalf("WaitIdle returned while the key's marker is %+v, not expired", mk)
		}
	})
}
