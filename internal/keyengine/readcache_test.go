// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

const (
	cacheKeyListRoute = "GET /iam/v2/api-keys"
	cacheKeyGetRoute  = "GET /iam/v2/api-keys/{id}"
	cacheSAListRoute  = "GET /iam/v2/service-accounts"
)

// seedKeys creates n Kafka keys for a new service account and returns the
// account's ID and the keys.
func seedKeys(t *testing.T, m *mockcloud.Server, name string, n int) (string, []ccloud.APIKey) {
	t.Helper()
	sa := m.CreateServiceAccount(name, "")
	keys := make([]ccloud.APIKey, 0, n)
	for i := range n {
		k, err := m.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"},
			fmt.Sprintf("%s-%d", name, i), "")
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return sa.ID, keys
}

// concurrently runs f n times at once and waits for all of them.
func concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// TestReadCache_singleFlightKeys reads many keys of two owners at once: each
// owner's keys cost one list call and no GET, and every key read from the
// list equals its GET.
func TestReadCache_singleFlightKeys(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		ownerA, keysA := seedKeys(t, m, "app-a", 6)
		ownerB, keysB := seedKeys(t, m, "app-b", 6)
		// A slow list keeps the first call in flight while the others arrive.
		m.AddFault(mockcloud.Fault{Route: cacheKeyListRoute, Kind: mockcloud.FaultLatency, Latency: 200 * time.Millisecond})
		cache := newTestReadCache(c)
		ctx := context.Background()

		type job struct {
			owner string
			key   ccloud.APIKey
		}
		var jobs []job
		for range 3 {
			for _, k := range keysA {
				jobs = append(jobs, job{ownerA, k})
			}
			for _, k := range keysB {
				jobs = append(jobs, job{ownerB, k})
			}
		}
		got := make([]*ccloud.APIKey, len(jobs))
		concurrently(len(jobs), func(i int) {
			got[i], _ = cache.APIKey(ctx, jobs[i].owner, jobs[i].key.ID)
		})

		counts := m.RequestCounts()
		if n := counts[cacheKeyListRoute]; n != 2 {
			t.Errorf("%d concurrent reads of 2 owners' keys made %d list calls, want 2 (one per owner)", len(jobs), n)
		}
		if n := counts[cacheKeyGetRoute]; n != 0 {
			t.Errorf("reads from the list made %d GET calls, want none", n)
		}
		for i, k := range got {
			if k == nil {
				t.Fatalf("key %s of %s not found in the list", jobs[i].key.ID, jobs[i].owner)
			}
		}
		// The list gives what a GET gives: the same object, without a secret.
		for _, k := range got[:len(keysA)] {
			direct, err := c.GetAPIKey(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(k, direct) {
				t.Errorf("listed key %+v differs from its GET %+v", *k, *direct)
			}
			if k.Spec.Secret != "" {
				t.Errorf("listed key %s carries a secret", k.ID)
			}
		}
	})
}

// TestReadCache_singleFlightServiceAccounts reads many accounts at once with
// one list call.
func TestReadCache_singleFlightServiceAccounts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		var ids []string
		for i := range 12 {
			ids = append(ids, m.CreateServiceAccount(fmt.Sprintf("app-%d", i), "desc").ID)
		}
		m.AddFault(mockcloud.Fault{Route: cacheSAListRoute, Kind: mockcloud.FaultLatency, Latency: 200 * time.Millisecond})
		cache := newTestReadCache(c)
		var found atomic.Int32
		concurrently(len(ids)*2, func(i int) {
			sa, ok := cache.ServiceAccount(context.Background(), ids[i%len(ids)])
			if ok && sa.ID == ids[i%len(ids)] && sa.Description == "desc" {
				found.Add(1)
			}
		})
		if n := found.Load(); int(n) != len(ids)*2 {
			t.Errorf("found %d of %d accounts in the list", n, len(ids)*2)
		}
		counts := m.RequestCounts()
		if n := counts[cacheSAListRoute]; n != 1 {
			t.Errorf("%d concurrent reads made %d list calls, want 1", len(ids)*2, n)
		}
		if n := counts["GET /iam/v2/service-accounts/{id}"]; n != 0 {
			t.Errorf("reads from the list made %d GET calls, want none", n)
		}
	})
}

// TestReadCache_invalidation checks that writes make the next read list
// again and see the write, for keys and service accounts alike, while reads
// without a write in between share the list.
func TestReadCache_invalidation(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		owner, keys := seedKeys(t, m, "app", 2)
		cache := newTestReadCache(c)
		ctx := context.Background()

		if _, ok := cache.APIKey(ctx, owner, keys[0].ID); !ok {
			t.Fatal("key not found")
		}
		if _, ok := cache.APIKey(ctx, owner, keys[1].ID); !ok {
			t.Fatal("key not found")
		}
		if n := m.RequestCounts()[cacheKeyListRoute]; n != 1 {
			t.Fatalf("two reads made %d list calls, want 1", n)
		}

		// A write through the provider invalidates the owner's list.
		name := "renamed"
		if _, err := c.UpdateAPIKey(ctx, keys[0].ID, ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{DisplayName: &name}}); err != nil {
			t.Fatal(err)
		}
		cache.InvalidateKeys(owner)
		k, ok := cache.APIKey(ctx, owner, keys[0].ID)
		if !ok || k.Spec.DisplayName != name {
			t.Fatalf("after the update the read gave %+v, %v; want the new name", k, ok)
		}
		if n := m.RequestCounts()[cacheKeyListRoute]; n != 2 {
			t.Errorf("the read after the invalidation made %d list calls in all, want 2", n)
		}

		// Another owner's list is untouched by it.
		other, otherKeys := seedKeys(t, m, "other", 1)
		if _, ok := cache.APIKey(ctx, other, otherKeys[0].ID); !ok {
			t.Fatal("other key not found")
		}
		cache.InvalidateKeys(owner)
		if _, ok := cache.APIKey(ctx, other, otherKeys[0].ID); !ok {
			t.Fatal("other key not found")
		}
		if n := m.RequestCounts()[cacheKeyListRoute]; n != 3 {
			t.Errorf("invalidating one owner re-listed another: %d list calls, want 3", n)
		}

		// Service accounts likewise.
		if _, ok := cache.ServiceAccount(ctx, owner); !ok {
			t.Fatal("account not found")
		}
		desc := "changed"
		if _, err := c.UpdateServiceAccount(ctx, owner, ccloud.ServiceAccountUpdate{Description: &desc}); err != nil {
			t.Fatal(err)
		}
		if sa, ok := cache.ServiceAccount(ctx, owner); !ok || sa.Description != "" {
			t.Fatalf("without an invalidation the read gave %+v, %v; want the cached account", sa, ok)
		}
		cache.InvalidateServiceAccounts()
		if sa, ok := cache.ServiceAccount(ctx, owner); !ok || sa.Description != desc {
			t.Fatalf("after the invalidation the read gave %+v, %v; want the new description", sa, ok)
		}
		if n := m.RequestCounts()[cacheSAListRoute]; n != 2 {
			t.Errorf("%d service account list calls, want 2", n)
		}
	})
}

// TestReadCache_invalidateInFlight invalidates while a list is in flight:
// the callers already waiting get its answer, but later callers start a new
// list, and the old answer is never cached.
func TestReadCache_invalidateInFlight(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	cache := newReadCache(funcLister(func(context.Context, string) ([]ccloud.APIKey, error) {
		n := calls.Add(1)
		entered <- struct{}{}
		if n == 1 {
			<-release
			return []ccloud.APIKey{{ID: "OLD"}}, nil
		}
		return []ccloud.APIKey{{ID: "NEW"}}, nil
	}), clock.Real(), discardLogger{}, time.Minute)
	ctx := context.Background()
	first := make(chan bool)
	go func() {
		_, ok := cache.APIKey(ctx, "sa-1", "OLD")
		first <- ok
	}()
	<-entered
	cache.InvalidateKeys("sa-1")
	if _, ok := cache.APIKey(ctx, "sa-1", "NEW"); !ok {
		t.Fatal("a read after the invalidation did not list again")
	}
	close(release)
	if !<-first {
		t.Error("the read that started the old list did not get its answer")
	}
	if _, ok := cache.APIKey(ctx, "sa-1", "OLD"); ok {
		t.Error("the old list, finished after the invalidation, was cached")
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d list calls, want 2", n)
	}
}

// TestReadCache_missingAndErrors checks that a key missing from the list, or
// a failed list, is reported as not listed (so the caller reads it directly),
// and that a failed list is not cached.
func TestReadCache_missingAndErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		owner, keys := seedKeys(t, m, "app", 1)
		cache := newTestReadCache(c)
		ctx := context.Background()
		if _, ok := cache.APIKey(ctx, owner, keys[0].ID); !ok {
			t.Fatal("key not found")
		}
		// A key created after the list is not in it.
		later, err := m.CreateAPIKey(owner, nil, "later", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cache.APIKey(ctx, owner, later.ID); ok {
			t.Fatal("a key created after the list was found in it")
		}

		// A failing list answers "not listed", and the next read tries again.
		m.AddFault(mockcloud.Fault{Route: cacheSAListRoute, Kind: mockcloud.FaultStatus, Status: 403, Count: 1})
		if _, ok := cache.ServiceAccount(ctx, owner); ok {
			t.Fatal("a failed list found the account")
		}
		if _, ok := cache.ServiceAccount(ctx, owner); !ok {
			t.Fatal("the list after a failed one did not find the account: the failure was cached")
		}

		// Without a cache (an unconfigured provider) nothing is listed.
		var none *ReadCache
		if _, ok := none.APIKey(ctx, owner, keys[0].ID); ok {
			t.Error("a nil cache found a key")
		}
		none.InvalidateKeys(owner)
		none.InvalidateServiceAccounts()
	})
}

// TestReadCache_ttl checks that a list is reused within its lifetime and
// listed again after it, using an injected clock.
func TestReadCache_ttl(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		owner, keys := seedKeys(t, m, "app", 1)
		clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		cache := newTestReadCache(c)
		cache.clock = clk
		ctx := context.Background()
		read := func() {
			t.Helper()
			if _, ok := cache.APIKey(ctx, owner, keys[0].ID); !ok {
				t.Fatal("key not found")
			}
		}
		read()
		clk.Advance(DefaultReadCacheTTL - time.Millisecond)
		read()
		if n := m.RequestCounts()[cacheKeyListRoute]; n != 1 {
			t.Fatalf("a read within the lifetime made %d list calls in all, want 1", n)
		}
		clk.Advance(time.Millisecond)
		read()
		if n := m.RequestCounts()[cacheKeyListRoute]; n != 2 {
			t.Fatalf("a read after the lifetime made %d list calls in all, want 2", n)
		}
	})
}

// TestReadCache_waiterContext checks that a caller waiting for another's
// list gives up when its own context ends.
func TestReadCache_waiterContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		entered := make(chan struct{})
		cache := newReadCache(funcLister(func(context.Context, string) ([]ccloud.APIKey, error) {
			close(entered)
			<-release
			return nil, errors.New("never mind")
		}), clock.Real(), discardLogger{}, time.Minute)
		done := make(chan struct{})
		go func() {
			defer close(done)
			cache.APIKey(context.Background(), "sa-1", "X")
		}()
		<-entered
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, ok := cache.APIKey(ctx, "sa-1", "X"); ok {
			t.Error("a cancelled wait found the key")
		}
		close(release)
		<-done
	})
}

// TestReadCache_backdatedCreatedAt checks that the list carries created_at
// as the GET does, backdating included, so rotation schedules see it.
func TestReadCache_backdatedCreatedAt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		owner, keys := seedKeys(t, m, "app", 1)
		past := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		if err := m.BackdateAPIKey(keys[0].ID, past); err != nil {
			t.Fatal(err)
		}
		k, ok := newTestReadCache(c).APIKey(context.Background(), owner, keys[0].ID)
		if !ok || k.Metadata.CreatedAt == nil || !k.Metadata.CreatedAt.Equal(past) {
			t.Fatalf("listed key %+v, %v; want created_at %s", k, ok, past)
		}
	})
}
