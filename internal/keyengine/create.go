// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Orphan-proof creation of API keys.
//
// A create request whose answer is lost (a timeout or a connection dropped
// after the request was sent, reported by the client as an
// *ccloud.OutcomeUnknownError) may or may not have created a key. If it did,
// that key's secret is lost with the answer, and nothing tracks it:
// retrying blindly would leave it behind as an orphan, and giving up would
// too. So the engine finds that key and deletes it before retrying.
//
// The danger is deleting a key the engine did not create: another
// Terraform run, another resource in this run, or a person may have created
// a key with the same owner, resource, name and description. Matching on
// those attributes and a creation time window is therefore not enough.
// Instead every create request carries a marker that no other request can
// carry: a random nonce appended to the description, such as
// "orders reader [terraform-create:k3x9q2m7ab4z]". After a lost answer the
// engine lists the owner's keys and deletes only keys for the same resource
// whose description holds this request's nonce. Only the request that made
// up the nonce can have created such a key, so no other key can be touched.
// Once a create answer is in hand, the caller records the key's ID and
// secret first, and FinishCreate then restores the exact description the
// caller asks for.
//
// Creates with identical owner, resource, display name and description are
// also serialised within one engine, so that two resources of one
// configuration never race each other's reconciliation; with the nonce this
// is defence in depth.
//
// A list that lags behind the create could hide the lost key for a moment.
// After a later attempt succeeds, the keys of all earlier nonces are looked
// for once more and deleted, which narrows that window further.

const (
	// CreateMarkerPrefix opens the marker appended to the description of
	// every create request.
	CreateMarkerPrefix = "[terraform-create:"
	createNonceLen     = 12
	nonceAlphabet      = "abcdefghijklmnopqrstuvwxyz0123456789"
	// maxCreateAttempts bounds the creates sent for one key when answers
	// keep getting lost.
	maxCreateAttempts = 3
	// reconcileTimeout bounds the clean-up after a create cut off by its
	// own deadline.
	reconcileTimeout = 30 * time.Second
)

// createMarker returns a fresh marker with a random nonce and no deadline.
func createMarker() string {
	return CreateMarkerPrefix + newNonce() + "]"
}

// newNonce returns a random nonce for a create marker.
func newNonce() string {
	var b strings.Builder
	limit := big.NewInt(int64(len(nonceAlphabet)))
	for range createNonceLen {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			// crypto/rand does not fail on supported platforms.
			panic("reading random bytes: " + err.Error())
		}
		b.WriteByte(nonceAlphabet[n.Int64()])
	}
	return b.String()
}

// withMarker appends a marker to a description.
func withMarker(description, marker string) string {
	if description == "" {
		return marker
	}
	return description + " " + marker
}

// keyedMutex serialises work per key and forgets keys nobody holds.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedMutexEntry
}

type keyedMutexEntry struct {
	mu   sync.Mutex
	refs int
}

// lock blocks until key is free and returns the function that frees it.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedMutexEntry{}
	}
	e := k.locks[key]
	if e == nil {
		e = &keyedMutexEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()

	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

func createLockKey(spec ccloud.APIKeyCreateSpec) string {
	env := ""
	if spec.Resource != nil {
		env = spec.Resource.Environment
	}
	return strings.Join([]string{spec.Owner.ID, ccloud.ResourceID(spec.Resource), env, spec.DisplayName, spec.Description}, "\x00")
}

// CreateOptions tune one Create. The zero value is the default behaviour.
type CreateOptions struct{}

// Create creates a key for spec without leaving an untracked key behind,
// whatever happens to the answers on the way or to the process afterwards.
//
// The first create for an owner in this engine first sweeps the owner's
// keys (see Sweep). The returned key holds the secret, and its description
// carries a create marker with a lease, which a keeper renews while ctx
// lives: the caller records the key, waits for it if it likes (WaitReady)
// and then calls FinishCreate, on a context that has not ended, to remove
// the marker. If ctx ends first, the keeper expires the lease, and a later
// sweep deletes the key: callers must end ctx when they give up on the key.
func (e *Engine) Create(ctx context.Context, spec ccloud.APIKeyCreateSpec, _ CreateOptions) (*ccloud.APIKey, error) {
	// A process that exits because its terraform died waits for this
	// create (see WaitIdle).
	defer work.begin()()
	unlock := e.createLocks.lock(createLockKey(spec))
	defer unlock()
	// The create, and any clean-up of lost attempts, change the owner's keys
	// whatever the outcome.
	defer e.reads.InvalidateKeys(spec.Owner.ID)
	e.sweepOnce(ctx, spec.Owner.ID)

	var lostNonces []string
	for attempt := 1; ; attempt++ {
		nonce := e.newNonce()
		marker := CreateMarkerPrefix + nonce
		// The sweep before this create has told the API's time; only a
		// client that never had an answer falls back to the local clock,
		// and then renews at once (see startKeeper).
		base, inAPITime := e.deadlineBase()
		req := spec
		req.Description = withMarker(spec.Description, leaseMarker(nonce, base.Add(e.lease)))
		key, err := e.client.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: req})
		if err == nil {
			e.client.ObserveAPITime(lastChange(*key))
			if len(lostNonces) > 0 {
				e.sweepLate(ctx, spec, lostNonces, key.ID)
			}
			e.startKeeper(ctx, key, spec, nonce, inAPITime)
			return key, nil
		}
		if ctx.Err() != nil {
			// The create timeout may have cut the answer off after the server
			// acted, which the client cannot tell from a request that never
			// arrived. Reconcile on a short context of its own, then give up.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
			defer cancel()
			if _, rerr := e.deleteMarkedPersistently(rctx, spec, []string{nonce}); rerr != nil {
				return nil, fmt.Errorf("%w; looking for a key it may have created failed too: %v. If a key of owner %s "+
					"whose description ends in %q exists, delete it: its secret was lost", err, rerr, spec.Owner.ID, marker)
			}
			return nil, err
		}
		if !ccloud.IsOutcomeUnknown(err) {
			return nil, err
		}
		e.log.Warn(ctx, "the answer to an API key create was lost; looking for the key it may have created", map[string]any{
			"owner_id": spec.Owner.ID, "attempt": attempt, "error": err.Error(),
		})
		deleted, rerr := e.deleteMarkedPersistently(ctx, spec, []string{nonce})
		if rerr != nil {
			return nil, fmt.Errorf("%w; looking for a key it may have created failed too: %v. If a key of owner %s "+
				"whose description ends in %q exists, delete it: its secret was lost", err, rerr, spec.Owner.ID, marker)
		}
		e.log.Info(ctx, "reconciled an API key create whose answer was lost", map[string]any{
			"owner_id": spec.Owner.ID, "deleted_key_ids": deleted,
		})
		lostNonces = append(lostNonces, nonce)
		if attempt >= e.maxAttempts {
			return nil, fmt.Errorf("%w; gave up after %d attempts whose answers were all lost (any key they created "+
				"has been deleted, so none is left behind)", err, attempt)
		}
	}
}

// deleteMarked deletes the keys of spec's owner and resource whose create
// marker carries one of nonces, except keepID. It returns the IDs it
// deleted.
func (e *Engine) deleteMarked(ctx context.Context, spec ccloud.APIKeyCreateSpec, nonces []string, keepID string) ([]string, error) {
	keys, err := e.client.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: spec.Owner.ID})
	if err != nil {
		return nil, err
	}
	var deleted []string
	for _, k := range keys {
		if k.ID == keepID || !carriesNonce(k.Spec.Description, nonces) || !ccloud.SameResource(spec.Resource, k.Spec.Resource) {
			continue
		}
		if err := e.client.DeleteAPIKey(ctx, k.ID); err != nil && !ccloud.IsNotFound(err) {
			return deleted, fmt.Errorf("deleting key %s, which a create whose answer was lost made: %w", k.ID, err)
		}
		deleted = append(deleted, k.ID)
	}
	return deleted, nil
}

// reconcileTries bounds the attempts to find the key of a create whose
// answer was lost; the list or delete may fail for the same reason the
// answer did, and a key left behind keeps its lease until a later sweep.
const reconcileTries = 3

// deleteMarkedPersistently is deleteMarked, tried again after a failure.
func (e *Engine) deleteMarkedPersistently(ctx context.Context, spec ccloud.APIKeyCreateSpec, nonces []string) ([]string, error) {
	var deleted []string
	var err error
	for try := 1; ; try++ {
		var d []string
		d, err = e.deleteMarked(ctx, spec, nonces, "")
		deleted = append(deleted, d...)
		if err == nil || try >= reconcileTries || ctx.Err() != nil {
			return deleted, err
		}
		timer := e.clock.NewTimer(time.Duration(try) * time.Second)
		select {
		case <-ctx.Done():
			timer.Stop()
			return deleted, err
		case <-timer.C():
		}
	}
}

// sweepLate looks once more for keys of earlier attempts, in case the list
// lagged behind their creation. It is best effort: the reconciliation after
// each lost answer already succeeded.
func (e *Engine) sweepLate(ctx context.Context, spec ccloud.APIKeyCreateSpec, nonces []string, keepID string) {
	deleted, err := e.deleteMarked(ctx, spec, nonces, keepID)
	if err != nil {
		e.log.Warn(ctx, "could not look again for keys of API key creates whose answers were lost", map[string]any{
			"owner_id": spec.Owner.ID, "error": err.Error(), "nonces": nonces,
		})
		return
	}
	if len(deleted) > 0 {
		e.log.Info(ctx, "deleted late-appearing keys of API key creates whose answers were lost", map[string]any{
			"deleted_key_ids": deleted,
		})
	}
}

// carriesNonce reports whether description ends in a create marker of one
// of nonces, in the one place the provider writes it.
func carriesNonce(description string, nonces []string) bool {
	m, ok := parseMarker(description)
	return ok && slices.Contains(nonces, m.nonce)
}

// startKeeper registers a new key as pending and starts its lease keeper.
// The first renewal comes a third of the way into the lease, or at once
// when the create's deadline could not be written in the API's time.
func (e *Engine) startKeeper(ctx context.Context, key *ccloud.APIKey, spec ccloud.APIKeyCreateSpec, nonce string, inAPITime bool) {
	p := &pending{
		id: key.ID, owner: spec.Owner.ID, description: spec.Description, nonce: nonce,
		renewAt: e.clock.Now().Add(e.lease / 3),
		gone:    make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{}), settled: make(chan struct{}),
	}
	if !inAPITime {
		p.renewAt = e.clock.Now()
	}
	e.pendingMu.Lock()
	if e.pending == nil {
		e.pending = map[string]*pending{}
	}
	e.pending[key.ID] = p
	e.pendingMu.Unlock()
	// Counted before the goroutine starts, so that WaitIdle cannot see the
	// gap between Create's end and the keeper's start.
	done := work.begin()
	go func() {
		defer done()
		e.keeper(ctx, p)
		// Stopped by FinishCreate, the key is settled only once FinishCreate
		// has handed it over or expired its lease.
		select {
		case <-p.stop:
		default:
			e.forget(p)
		}
	}()
}

// pendingKey returns the pending record of key id, or nil.
func (e *Engine) pendingKey(id string) *pending {
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	return e.pending[id]
}

// FinishCreate hands a key that Create returned over: it stops the lease
// keeper and replaces the marked description with the one the caller asks
// for, returning the key as the API now has it (without the secret). Call
// it last, when nothing else can fail: from its answer on, only the
// caller's record tracks the key.
//
// If the PATCH fails (an error, or ctx ending because terraform died while
// it was under way, when the API may have applied it all the same),
// FinishCreate expires the lease on a context of its own, which writes the
// marker back: so a kill at any instant leaves the key either handed over
// or marked as given up, never unmarked and untracked, and a later sweep
// deletes it at once. The caller must treat the key as failed.
func (e *Engine) FinishCreate(ctx context.Context, key *ccloud.APIKey, description string) (*ccloud.APIKey, error) {
	// Its final PATCH, or the expiry after it fails, is work an exiting
	// process waits for (see WaitIdle).
	defer work.begin()()
	p := e.pendingKey(key.ID)
	if p != nil {
		p.mu.Lock()
		if !p.finished {
			p.finished = true
			close(p.stop)
		}
		p.mu.Unlock()
		<-p.done
		defer e.forget(p)
	}
	restored, err := e.client.UpdateAPIKey(ctx, key.ID, ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{Description: &description}})
	if err != nil && p != nil && !e.IsGone(context.WithoutCancel(ctx), p.id, p.owner, err) {
		e.expire(ctx, p)
	}
	switch {
	case key.Spec.Owner != nil:
		e.reads.InvalidateKeys(key.Spec.Owner.ID)
	case restored != nil && restored.Spec.Owner != nil:
		e.reads.InvalidateKeys(restored.Spec.Owner.ID)
	}
	return restored, err
}
