// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// Refreshing a large state one GET per resource spends the organisation's
// rate limit on answers that a handful of list calls give at once. So reads
// go through a short-lived cache of lists: the API keys of one owner (a
// spec.owner list) and all service accounts. Terraform refreshes resources
// in parallel, so concurrent reads of the same list share one call in flight
// (single flight) rather than each starting their own.
//
// A list answer is only ever used to confirm that an object exists and to
// read it; the list and GET return the same object shape, and neither holds
// a secret. An object missing from a list is never declared gone on that
// evidence: lists may lag behind a create, or the list may be older than the
// object. The reader then falls back to a direct GET, whose 404 (or the 403
// rule of the caller) alone removes a resource from state.
//
// Every write the engine's callers make invalidates the list it touches, so
// a read after a write in the same engine never sees the list from before
// it. The lifetime bounds what a change made outside Terraform during one
// refresh can hide: it is a refresh burst, not longer.

// DefaultReadCacheTTL is how long a list answers reads.
const DefaultReadCacheTTL = 10 * time.Second

// ReadCache holds the lists of one engine. A nil *ReadCache is valid and
// caches nothing: every lookup misses.
type ReadCache struct {
	lister Lister
	clock  clock.Clock
	log    Logger
	ttl    time.Duration

	keys     listCache[ccloud.APIKey]
	accounts listCache[ccloud.ServiceAccount]

	// afterKeyList, when set, sees every successful list of an owner's keys
	// and returns the keys it deleted as abandoned.
	afterKeyList func(ctx context.Context, owner string, keys []ccloud.APIKey) []AbandonedKey
}

func newReadCache(l Lister, clk clock.Clock, log Logger, ttl time.Duration) *ReadCache {
	return &ReadCache{lister: l, clock: clk, log: log, ttl: ttl}
}

// APIKey returns key id from the list of owner's keys. It returns false
// when the key is not in the list or the list failed; the caller must then
// read the key directly, never conclude that it is gone.
func (c *ReadCache) APIKey(ctx context.Context, owner, id string) (*ccloud.APIKey, bool) {
	if c == nil || owner == "" || id == "" {
		return nil, false
	}
	return c.keys.lookup(ctx, c, owner, id, func(ctx context.Context) ([]ccloud.APIKey, error) {
		keys, err := c.lister.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: owner})
		if err != nil || c.afterKeyList == nil {
			return keys, err
		}
		deleted := c.afterKeyList(ctx, owner, keys)
		if len(deleted) == 0 {
			return keys, nil
		}
		gone := map[string]bool{}
		for _, a := range deleted {
			gone[a.ID] = true
		}
		live := keys[:0:0]
		for _, k := range keys {
			if !gone[k.ID] {
				live = append(live, k)
			}
		}
		return live, nil
	}, func(k *ccloud.APIKey) string { return k.ID })
}

// ServiceAccount returns account id from the list of all service accounts,
// with the same rules as APIKey.
func (c *ReadCache) ServiceAccount(ctx context.Context, id string) (*ccloud.ServiceAccount, bool) {
	if c == nil || id == "" {
		return nil, false
	}
	return c.accounts.lookup(ctx, c, "", id, func(ctx context.Context) ([]ccloud.ServiceAccount, error) {
		return c.lister.ListServiceAccounts(ctx)
	}, func(sa *ccloud.ServiceAccount) string { return sa.ID })
}

// InvalidateKeys forgets the list of owner's keys. Callers call it after
// every write to one of them, including writes whose outcome is unknown.
func (c *ReadCache) InvalidateKeys(owner string) {
	if c != nil {
		c.keys.invalidate(owner)
	}
}

// InvalidateServiceAccounts forgets the list of service accounts.
func (c *ReadCache) InvalidateServiceAccounts() {
	if c != nil {
		c.accounts.invalidate("")
	}
}

// listCache is a set of lists of T, by a key such as an owner ID.
type listCache[T any] struct {
	mu      sync.Mutex
	entries map[string]*listCall[T]
}

// listCall is one list call: in flight until done is closed, then its
// answer. Invalidation removes it from the cache but lets it finish, so the
// callers already waiting for it get an answer, while later callers start a
// new call that sees the write.
type listCall[T any] struct {
	done    chan struct{}
	started time.Time
	items   []T
	index   map[string]int
	err     error
}

// lookup finds id in the list cached under key, listing when there is no
// fresh list. A list that fails is not cached.
func (l *listCache[T]) lookup(ctx context.Context, c *ReadCache, key, id string,
	list func(context.Context) ([]T, error), idOf func(*T) string,
) (*T, bool) {
	call, leader := l.acquire(c, key)
	if leader {
		items, err := list(ctx)
		call.items, call.err = items, err
		if err == nil {
			call.index = make(map[string]int, len(items))
			for i := range items {
				call.index[idOf(&items[i])] = i
			}
		} else {
			l.drop(key, call)
		}
		close(call.done)
	} else {
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, false
		}
	}
	if call.err != nil {
		c.log.Debug(ctx, "list for a read failed; reading the object directly", map[string]any{
			"id": id, "error": call.err.Error(),
		})
		return nil, false
	}
	i, ok := call.index[id]
	if !ok {
		return nil, false
	}
	// Callers get their own copy of the object, so that setting a field
	// never reaches another reader; nested values are shared and read-only.
	item := call.items[i]
	return &item, true
}

// acquire returns the call to wait for, and whether the caller must make it.
func (l *listCache[T]) acquire(c *ReadCache, key string) (*listCall[T], bool) {
	now := c.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if call, ok := l.entries[key]; ok && now.Sub(call.started) < c.ttl {
		return call, false
	}
	if l.entries == nil {
		l.entries = map[string]*listCall[T]{}
	}
	// The age counts from the start of the call: the list can be no newer.
	call := &listCall[T]{done: make(chan struct{}), started: now}
	l.entries[key] = call
	return call, true
}

// drop removes call from the cache unless a newer call replaced it.
func (l *listCache[T]) drop(key string, call *listCall[T]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries[key] == call {
		delete(l.entries, key)
	}
}

func (l *listCache[T]) invalidate(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}
