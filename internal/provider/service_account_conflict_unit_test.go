// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// A conflict that comes back before the other create of the same name has
// recorded its account waits for it, so the message can say that this
// configuration has the name twice.
func TestCreatedAccountsAwaitsTheOtherCreate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c createdAccounts
		finishA := c.begin("twice")
		finishB := c.begin("twice")
		defer finishB("")
		go func() {
			time.Sleep(200 * time.Millisecond)
			finishA("sa-a")
		}()
		start := time.Now()
		id, ok := c.await(context.Background(), "twice")
		if !ok || id != "sa-a" {
			t.Fatalf("await = %q, %v; want sa-a", id, ok)
		}
		if waited := time.Since(start); waited != 200*time.Millisecond {
			t.Errorf("await returned after %s, want when the other create finished (200ms)", waited)
		}
	})
}

// With no other create of the name in flight, a conflict does not wait:
// the account belongs to someone else.
func TestCreatedAccountsDoesNotWaitAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c createdAccounts
		finish := c.begin("mine")
		defer finish("")
		start := time.Now()
		if id, ok := c.await(context.Background(), "mine"); ok {
			t.Fatalf("await = %q; want nothing", id)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("await waited %s alone", waited)
		}
	})
}

// A create of the same name that never comes back is waited for at most
// conflictWait, and a failed one ends the wait at once.
func TestCreatedAccountsBoundsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c createdAccounts
		_ = c.begin("stuck")
		finish := c.begin("stuck")
		defer finish("")
		start := time.Now()
		if _, ok := c.await(context.Background(), "stuck"); ok {
			t.Fatal("await found an account nobody created")
		}
		if waited := time.Since(start); waited != conflictWait {
			t.Errorf("await waited %s, want %s", waited, conflictWait)
		}

		failA := c.begin("failed")
		finishB := c.begin("failed")
		defer finishB("")
		go func() {
			time.Sleep(time.Second)
			failA("")
		}()
		start = time.Now()
		if _, ok := c.await(context.Background(), "failed"); ok {
			t.Fatal("await found an account from a failed create")
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("await waited %s after the other create failed at 1s", waited)
		}
	})
}
