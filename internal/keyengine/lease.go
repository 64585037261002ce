// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Process-death safety.
//
// A key exists from the moment the create request is answered, but it
// reaches Terraform's state only when the resource's Create returns. If the
// process dies in between (SIGKILL of terraform or of the provider, a CI
// timeout, an out-of-memory kill), nothing tracks the key. So the create
// marker carries a lease: a deadline, as in
// "[terraform-create:k3x9q2m7ab4z until 2026-12-01T09:01:02Z]", and stays on
// the key's description until the key is ready and the caller is about to
// hand it over. While the caller lives and waits, a keeper renews the lease
// (a PATCH of the description) well before it runs out; when the caller's
// context ends without FinishCreate (an interrupt, or terraform dying, which
// closes the connection and so cancels the call) the keeper expires the
// lease at once, so that the next run need not wait for it.
//
// Whatever lists an owner's keys later (the first create for that owner in
// a run, and the refresh's per-owner list) deletes the keys whose lease has
// run out, and never a key whose lease is still running: another run may be
// waiting for it. A dead process's keys are therefore deleted by the first
// run that lists their owner after at most one lease (at once when the
// process lived long enough to expire them), and the caller learns which
// keys went through TakeAbandoned.
//
// What this cannot cover: a death in the moment between FinishCreate's
// answer (which removes the marker) and Terraform writing the state leaves a
// key no run can tell from one made by hand.

const (
	// DefaultLease is how long a create marker protects its key without a
	// renewal. It bounds how long a key of a dead provider process survives.
	DefaultLease = 2 * time.Minute
	// MinLease and MaxLease bound a lease given through ParseLease. Below
	// three seconds a renewal, at a third of the lease, would have to
	// succeed within a second on a slow link; above the default a dead
	// process's keys would only live longer.
	MinLease = 3 * time.Second
	MaxLease = DefaultLease
	// leaseGrace is added to a deadline before a key counts as abandoned,
	// for clocks that differ between machines.
	leaseGrace = 10 * time.Second
	// expireTimeout bounds the PATCH that expires a lease after the
	// caller's context ended.
	expireTimeout = 10 * time.Second
	// deadlineFormat is RFC 3339 in UTC to the second.
	deadlineFormat = "2006-01-02T15:04:05Z"
)

// ParseLease reads a lease duration written as a Go duration ("3s", "1m")
// and accepts it only between MinLease and MaxLease. It serves the
// provider's test hook: tests that kill the provider process shorten the
// lease so that they need not wait two minutes for its keys to be swept.
func ParseLease(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"3s\" or \"1m\"", s)
	}
	if d < MinLease || d > MaxLease {
		return 0, fmt.Errorf("%s is outside the accepted range of %s to %s", d, MinLease, MaxLease)
	}
	return d, nil
}

// markerPattern matches a create marker; the deadline is absent from the
// markers of older provider versions, which are never swept.
var markerPattern = regexp.MustCompile(`\[terraform-create:([a-z0-9]{12})(?: until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))?\]`)

// leaseMarker renders the marker of nonce with a deadline.
func leaseMarker(nonce string, deadline time.Time) string {
	return CreateMarkerPrefix + nonce + " until " + deadline.UTC().Format(deadlineFormat) + "]"
}

// parseMarker finds the marker in a description: its nonce, its deadline
// (zero without one), and whether there was a marker.
func parseMarker(description string) (nonce string, deadline time.Time, ok bool) {
	m := markerPattern.FindStringSubmatch(description)
	if m == nil {
		return "", time.Time{}, false
	}
	if m[2] != "" {
		deadline, _ = time.Parse(deadlineFormat, m[2])
	}
	return m[1], deadline, true
}

// MarkerDeadline returns the lease deadline of the create marker in a
// description, if it has one.
func MarkerDeadline(description string) (time.Time, bool) {
	_, deadline, ok := parseMarker(description)
	return deadline, ok && !deadline.IsZero()
}

// StripMarker removes a create marker from a description, as a user should
// see it.
func StripMarker(description string) string {
	loc := markerPattern.FindStringIndex(description)
	if loc == nil {
		return description
	}
	return strings.TrimSuffix(description[:loc[0]], " ") + description[loc[1]:]
}

// AbandonedKey is a key a sweep deleted because its create marker's lease
// had run out: the process that created it died before handing it over.
type AbandonedKey struct {
	ID          string
	Owner       string
	ResourceID  string
	DisplayName string
	// Deadline is when its lease ran out.
	Deadline time.Time
}

// ErrKeyDeleted ends a wait for a key that was deleted meanwhile (revoked,
// or its owner or resource deleted).
var ErrKeyDeleted = errors.New("the key was deleted while waiting for it to work")

// pending is one created key that has not been handed over yet.
type pending struct {
	id          string
	owner       string
	description string // the description the caller asked for
	nonce       string

	mu       sync.Mutex
	deadline time.Time
	finished bool
	// gone is closed when the keeper learns the key no longer exists.
	gone chan struct{}
	stop chan struct{}
	done chan struct{}
}

// keeper renews p's lease while ctx lives, checks now and then that the key
// still exists, and expires the lease when ctx ends before FinishCreate.
func (e *Engine) keeper(ctx context.Context, p *pending) {
	defer close(p.done)
	created := e.clock.Now()
	check := existenceCheckFirst
	for {
		p.mu.Lock()
		renewAt := p.deadline.Add(-2 * e.lease / 3)
		p.mu.Unlock()
		now := e.clock.Now()
		next := min(renewAt.Sub(now), created.Add(check).Sub(now))
		timer := e.clock.NewTimer(max(next, 0))
		select {
		case <-p.stop:
			timer.Stop()
			return
		case <-ctx.Done():
			timer.Stop()
			e.expire(ctx, p)
			return
		case <-timer.C():
		}
		now = e.clock.Now()
		if !now.Before(renewAt) {
			if err := e.renew(ctx, p, now.Add(e.lease)); err != nil {
				if e.markGone(ctx, p, err) {
					return
				}
				e.log.Warn(ctx, "could not renew the lease of a new API key", map[string]any{"key_id": p.id, "error": err.Error()})
			}
			continue
		}
		// An existence check: cheap, and it lets a wait for a deleted key end
		// in seconds instead of at the create timeout.
		age := now.Sub(created)
		check = age + min(max(existenceCheckFirst, age/4), existenceCheckMax)
		if _, err := e.client.GetAPIKey(ctx, p.id); err != nil && e.markGone(ctx, p, err) {
			return
		}
	}
}

const (
	// The keeper checks that a waiting key exists first this long after
	// creation, then at a quarter of its age, at most existenceCheckMax
	// apart.
	existenceCheckFirst = 2 * time.Second
	existenceCheckMax   = 30 * time.Second
)

// markGone reports whether err says p's key is gone, and if so signals it.
// A 403 counts only when the owner's list, read with the same credentials,
// lacks the key.
func (e *Engine) markGone(ctx context.Context, p *pending, err error) bool {
	if !e.IsGone(ctx, p.id, p.owner, err) {
		return false
	}
	close(p.gone)
	return true
}

// IsGone decides whether a failed read, update or delete of key id means the
// key no longer exists. A 404 does. A 403 is what the API answers for
// deleted keys, but it is also what a permissions problem looks like, so it
// counts only when listing owner's keys succeeds and the key is not among
// them (an owner deleted with its keys lists none).
func (e *Engine) IsGone(ctx context.Context, id, owner string, err error) bool {
	if ccloud.IsNotFound(err) {
		return true
	}
	if !ccloud.IsForbidden(err) || ccloud.IsUnauthorized(err) || owner == "" {
		return false
	}
	keys, lerr := e.client.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: owner})
	if lerr != nil {
		e.log.Debug(ctx, "could not confirm that an API key answering 403 is gone", map[string]any{"key_id": id, "error": lerr.Error()})
		return false
	}
	for _, k := range keys {
		if k.ID == id {
			return false
		}
	}
	return true
}

// renew moves p's deadline.
func (e *Engine) renew(ctx context.Context, p *pending, deadline time.Time) error {
	desc := withMarker(p.description, leaseMarker(p.nonce, deadline))
	_, err := e.client.UpdateAPIKey(ctx, p.id, ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{Description: &desc}})
	e.reads.InvalidateKeys(p.owner)
	if err == nil {
		p.mu.Lock()
		p.deadline = deadline
		p.mu.Unlock()
	}
	return err
}

// expire ends p's lease now, so that the next run deletes the key without
// waiting: the caller's context ended before the key was handed over.
func (e *Engine) expire(ctx context.Context, p *pending) {
	xctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), expireTimeout)
	defer cancel()
	past := e.clock.Now().Add(-leaseGrace - time.Second)
	if err := e.renew(xctx, p, past); err != nil && !e.IsGone(xctx, p.id, p.owner, err) {
		e.log.Warn(ctx, "could not expire the lease of an API key that was not handed over; it expires by itself", map[string]any{
			"key_id": p.id, "error": err.Error(),
		})
	}
}

// Sweep lists owner's keys and deletes those whose create lease ran out,
// never a key whose lease still runs or one this engine is creating. The
// deleted keys are also kept for TakeAbandoned.
func (e *Engine) Sweep(ctx context.Context, owner string) ([]AbandonedKey, error) {
	keys, err := e.client.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: owner})
	if err != nil {
		return nil, err
	}
	return e.sweepListed(ctx, owner, keys), nil
}

// sweepListed deletes the abandoned keys among keys, owner's listed keys,
// and returns them.
func (e *Engine) sweepListed(ctx context.Context, owner string, keys []ccloud.APIKey) []AbandonedKey {
	now := e.clock.Now()
	var out []AbandonedKey
	for _, k := range keys {
		_, deadline, ok := parseMarker(k.Spec.Description)
		if !ok || deadline.IsZero() || now.Before(deadline.Add(leaseGrace)) || e.isPending(k.ID) {
			continue
		}
		if err := e.client.DeleteAPIKey(ctx, k.ID); err != nil && !ccloud.IsNotFound(err) {
			e.log.Warn(ctx, "could not delete an abandoned API key", map[string]any{"key_id": k.ID, "error": err.Error()})
			continue
		}
		a := AbandonedKey{ID: k.ID, Owner: owner, ResourceID: ccloud.ResourceID(k.Spec.Resource), DisplayName: k.Spec.DisplayName, Deadline: deadline}
		out = append(out, a)
		e.log.Info(ctx, "deleted an API key abandoned by a process that died while creating it", map[string]any{
			"key_id": k.ID, "owner_id": owner, "lease_deadline": deadline.Format(time.RFC3339),
		})
	}
	if len(out) > 0 {
		e.reads.InvalidateKeys(owner)
		e.abandonedMu.Lock()
		if e.abandoned == nil {
			e.abandoned = map[string][]AbandonedKey{}
		}
		e.abandoned[owner] = append(e.abandoned[owner], out...)
		e.abandonedMu.Unlock()
	}
	return out
}

// TakeAbandoned returns the keys of owner that sweeps deleted and nobody has
// taken yet, so that each is reported to the user once.
func (e *Engine) TakeAbandoned(owner string) []AbandonedKey {
	if e == nil {
		return nil
	}
	e.abandonedMu.Lock()
	defer e.abandonedMu.Unlock()
	out := e.abandoned[owner]
	delete(e.abandoned, owner)
	return out
}

func (e *Engine) isPending(id string) bool {
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	_, ok := e.pending[id]
	return ok
}

// sweepOnce sweeps owner's keys the first time this engine creates a key for
// owner; concurrent creates share the sweep. A failed sweep is retried by
// the next create.
func (e *Engine) sweepOnce(ctx context.Context, owner string) {
	e.sweptMu.Lock()
	if e.swept == nil {
		e.swept = map[string]chan struct{}{}
	}
	ch, ok := e.swept[owner]
	if !ok {
		ch = make(chan struct{})
		e.swept[owner] = ch
	}
	e.sweptMu.Unlock()
	if ok {
		select {
		case <-ch:
		case <-ctx.Done():
		}
		return
	}
	if _, err := e.Sweep(ctx, owner); err != nil {
		e.log.Warn(ctx, "could not look for abandoned API keys", map[string]any{"owner_id": owner, "error": err.Error()})
		e.sweptMu.Lock()
		delete(e.swept, owner)
		e.sweptMu.Unlock()
	}
	close(ch)
}
