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
// "[terraform-create:k3x9q2m7ab4z until 2026-12-01T09:01:02Z]", and stays at
// the end of the key's description until the key is ready and the caller is
// about to hand it over. While the caller lives and waits, a keeper renews
// the lease (a PATCH of the description) a third of the way into it; when
// the caller's context ends without FinishCreate (an interrupt, or terraform
// dying, which closes the connection and so cancels the call), or
// FinishCreate's own PATCH fails, the lease is ended at once with an expired
// marker, "[terraform-create:k3x9q2m7ab4z expired 2026-12-01T09:00:00Z]", so
// that the next run need not wait for it.
//
// Deadlines are in the API's clock, never the local one (see
// ccloud.Client.APINow): a deadline is the API's time at the renewal plus
// the lease, and a sweep compares it with the API's time of the list it
// sweeps from, so a runner whose clock is off by any amount neither deletes
// another run's live key nor has its own deleted.
//
// Whatever lists an owner's keys later (the first create for that owner in
// a run, and the refresh's per-owner list) deletes the keys whose lease is
// abandoned (see ClassifyLease): an expired marker, or a deadline that ran
// out by a further lease (the margin for renewals the API throttles) plus
// leaseGrace. A key whose lease still runs is never touched: another run may
// be waiting for it.
//
// Only the provider's own markers count. A marker is recognised only in the
// exact form and place the provider writes it (the end of the description,
// after a space or alone), only that one, and only when the API's own
// timestamp of the key's last change agrees with its time: the provider
// writes a deadline at most MaxLease after that change, and an expiry at
// it. Marker text elsewhere in a description, the docs' example copied into
// a key made by hand, or a deadline the API's timestamps contradict, leave
// the key a plain key that no sweep deletes. The resources refuse marker
// text in description at plan time.
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
	// leaseGrace is added to a sweep's margin for the Date header's
	// one-second resolution and the time an answer travels, by which the
	// client's estimate of the API's time lags behind it.
	leaseGrace = 5 * time.Second
	// stampSlack is how much later than the time its marker names the API
	// may stamp the write that carried it: a renewal or expiry is bounded
	// by renewTimeoutMax or expireTimeout, retries included.
	stampSlack = time.Minute
	// renewTimeoutMax bounds one renewal, its retries after 429 included,
	// so that the deadline it writes was computed shortly before the API
	// stamps it; the keeper then tries again with a fresh deadline.
	renewTimeoutMax = 30 * time.Second
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

// markerPattern matches the create marker the provider writes, and only
// there: at the end of the description, alone or after one space. The
// deadline is absent from the markers of older provider versions, which
// are never swept.
var markerPattern = regexp.MustCompile(`(?:^| )\[terraform-create:([a-z0-9]{12})(?: (until|expired) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))?\]$`)

// markerKind tells the forms of a create marker apart.
type markerKind int

const (
	// markerOld has no time: an older provider version wrote it.
	markerOld markerKind = iota
	// markerUntil holds a running or run-out deadline.
	markerUntil
	// markerExpired says when the run that made the key gave it up.
	markerExpired
)

// marker is a parsed create marker.
type marker struct {
	nonce string
	kind  markerKind
	// at is the deadline of markerUntil and the moment of markerExpired.
	at time.Time
	// start is where the marker, with the space before it, begins in the
	// description.
	start int
}

// leaseMarker renders the marker of nonce with a deadline.
func leaseMarker(nonce string, deadline time.Time) string {
	return CreateMarkerPrefix + nonce + " until " + deadline.UTC().Format(deadlineFormat) + "]"
}

// expiredMarker renders the marker of nonce given up at at.
func expiredMarker(nonce string, at time.Time) string {
	return CreateMarkerPrefix + nonce + " expired " + at.UTC().Format(deadlineFormat) + "]"
}

// parseMarker finds the create marker at the end of a description.
func parseMarker(description string) (marker, bool) {
	loc := markerPattern.FindStringSubmatchIndex(description)
	if loc == nil {
		return marker{}, false
	}
	m := marker{nonce: description[loc[2]:loc[3]], start: loc[0]}
	if loc[4] >= 0 {
		at, err := time.Parse(deadlineFormat, description[loc[6]:loc[7]])
		if err != nil {
			// A date such as 2026-13-45 is no deadline the provider wrote.
			return marker{}, false
		}
		m.at = at
		m.kind = markerUntil
		if description[loc[4]:loc[5]] == "expired" {
			m.kind = markerExpired
		}
	}
	return m, true
}

// MarkerDeadline returns the time in the create marker at the end of a
// description, if it has one: the deadline of a running lease, or the
// moment an expired one was given up.
func MarkerDeadline(description string) (time.Time, bool) {
	m, ok := parseMarker(description)
	return m.at, ok && !m.at.IsZero()
}

// StripMarker removes the create marker from the end of a description, as
// a user should see it.
func StripMarker(description string) string {
	m, ok := parseMarker(description)
	if !ok {
		return description
	}
	return description[:m.start]
}

// HasMarkerText reports whether text holds create marker syntax in any
// form, which descriptions must not: the provider appends its own marker,
// and text that looks like one could be mistaken for it.
func HasMarkerText(text string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(CreateMarkerPrefix))
}

// LeaseState is what a listed key's create marker says about the run that
// made it.
type LeaseState int

const (
	// LeaseNone: the key carries no create marker of this provider (or one
	// that the API's timestamps contradict, or an older version's without
	// a deadline). It is a key like any other and no sweep deletes it.
	LeaseNone LeaseState = iota
	// LeaseRunning: a run may still be creating the key and waiting for it.
	LeaseRunning
	// LeaseAbandoned: the run that created the key gave it up or died, and
	// a sweep deletes it.
	LeaseAbandoned
)

// Lease is a listed key's create lease as ClassifyLease sees it.
type Lease struct {
	State LeaseState
	// Deadline is when a running or abandoned lease ran or runs out, or
	// when it was expired.
	Deadline time.Time
	// AbandonedAt is when, in the API's time, a running lease becomes
	// abandoned unless it is renewed.
	AbandonedAt time.Time
}

// ClassifyLease is the one rule that tells a key's create lease: sweeps,
// and list resources that leave running creates out and flag abandoned
// keys, all decide through it. apiNow is the API's current time (as
// ccloud.Client.APINow tells it), zero when unknown, in which case no
// deadline counts as run out; lease is the caller's own lease, which the
// sweep's margin covers even when the key's writer used a shorter one.
//
// A key is abandoned when its marker was expired, or when apiNow is past its
// deadline by the longer of the two leases plus leaseGrace: a run whose
// renewals the API refuses keeps its key that long after its last renewal.
func ClassifyLease(k ccloud.APIKey, apiNow time.Time, lease time.Duration) Lease {
	m, ok := parseMarker(k.Spec.Description)
	if !ok || m.kind == markerOld {
		return Lease{}
	}
	stamp := lastChange(k)
	switch m.kind {
	case markerExpired:
		// The expiry's time is the API's time when it was written.
		if !stamp.IsZero() && (stamp.Before(m.at.Add(-leaseGrace)) || stamp.After(m.at.Add(stampSlack))) {
			return Lease{}
		}
		return Lease{State: LeaseAbandoned, Deadline: m.at, AbandonedAt: m.at}
	default:
		// A deadline is the API's time at the write plus at most MaxLease.
		if !stamp.IsZero() && (stamp.Before(m.at.Add(-MaxLease-leaseGrace)) || stamp.After(m.at.Add(stampSlack))) {
			return Lease{}
		}
		written := lease
		if !stamp.IsZero() {
			written = max(written, m.at.Sub(stamp))
		}
		l := Lease{State: LeaseRunning, Deadline: m.at, AbandonedAt: m.at.Add(written + leaseGrace)}
		if !apiNow.IsZero() && !apiNow.Before(l.AbandonedAt) {
			l.State = LeaseAbandoned
		}
		return l
	}
}

// lastChange is the API's time of a key's last change: updated_at, else
// created_at; zero when the API sent neither.
func lastChange(k ccloud.APIKey) time.Time {
	switch {
	case k.Metadata.UpdatedAt != nil:
		return *k.Metadata.UpdatedAt
	case k.Metadata.CreatedAt != nil:
		return *k.Metadata.CreatedAt
	}
	return time.Time{}
}

// ClassifyLease is the package's ClassifyLease with this engine's lease and
// its knowledge of the keys it is creating itself, which always count as
// running; apiNow as there.
func (e *Engine) ClassifyLease(k ccloud.APIKey, apiNow time.Time) Lease {
	l := ClassifyLease(k, apiNow, e.lease)
	if l.State == LeaseAbandoned && e.isPending(k.ID) {
		l.State = LeaseRunning
	}
	return l
}

// APINow is the API's current time as the engine's client last learnt it,
// zero when no answer has told it yet. See ccloud.Client.APINow.
func (e *Engine) APINow() time.Time {
	t, _ := e.client.APINow()
	return t
}

// deadlineBase is the API time from which a new deadline counts: the API's
// time when known, else the local clock's, which only the very first write
// of a client that has had no answer yet can use (Create then renews once
// the create's answer has told the API's time).
func (e *Engine) deadlineBase() (time.Time, bool) {
	if t, ok := e.client.APINow(); ok {
		return t, true
	}
	return e.clock.Now(), false
}

// AbandonedKey is a key a sweep deleted because its create marker's lease
// had run out: the process that created it died before handing it over.
type AbandonedKey struct {
	ID          string
	Owner       string
	ResourceID  string
	DisplayName string
	// Deadline is when its lease ran out, or was expired.
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

	mu sync.Mutex
	// renewAt is when, on the local clock, the keeper renews the lease
	// next; only the keeper reads and writes it.
	renewAt  time.Time
	finished bool
	// gone is closed when the keeper learns the key no longer exists.
	gone chan struct{}
	stop chan struct{}
	done chan struct{}
	// settled is closed once the key was handed over or its lease ended,
	// when the engine forgets it.
	settled chan struct{}
}

// keeper renews p's lease while ctx lives, checks now and then that the key
// still exists, and expires the lease when ctx ends before FinishCreate.
//
// Its schedule runs on the local clock, which measures intervals well
// whatever its time of day; the deadlines it writes are in the API's time.
// A renewal comes a third of the way into the lease; one that fails (the API
// throttling it, say, whose Retry-After the client honours within the
// renewal) is tried again after a short backoff, each time with a fresh
// deadline, so that the lease survives throttling for as long as the sweep's
// margin allows (see ClassifyLease).
func (e *Engine) keeper(ctx context.Context, p *pending) {
	defer close(p.done)
	created := e.clock.Now()
	check := existenceCheckFirst
	failures := 0
	for {
		now := e.clock.Now()
		next := min(p.renewAt.Sub(now), created.Add(check).Sub(now))
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
		if !now.Before(p.renewAt) {
			if err := e.renew(ctx, p); err != nil {
				if e.markGone(ctx, p, err) {
					return
				}
				failures++
				p.renewAt = e.clock.Now().Add(e.renewBackoff(failures))
				e.log.Warn(ctx, "could not renew the lease of a new API key; trying again", map[string]any{
					"key_id": p.id, "error": err.Error(), "failures": failures,
				})
				continue
			}
			failures = 0
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

// renewBackoff is the wait before the next try after failures renewals in
// a row failed: doubling from half a second, at most a sixth of the lease
// (and at least a second), so that many tries fit before the lease runs out.
func (e *Engine) renewBackoff(failures int) time.Duration {
	limit := max(e.lease/6, time.Second)
	return min(500*time.Millisecond<<min(failures-1, 10), limit)
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

// renew moves p's deadline to the API's time now plus the lease. The PATCH
// is bounded (renewTimeoutMax, or half the lease when that is shorter) so
// that the deadline it carries is fresh when the API stamps it.
func (e *Engine) renew(ctx context.Context, p *pending) error {
	base, _ := e.deadlineBase()
	rctx, cancel := context.WithTimeout(ctx, min(renewTimeoutMax, max(e.lease/2, time.Second)))
	defer cancel()
	err := e.patchMarker(rctx, p, leaseMarker(p.nonce, base.Add(e.lease)))
	if err == nil {
		p.renewAt = e.clock.Now().Add(e.lease / 3)
	}
	return err
}

// patchMarker writes p's description with marker, and learns the API's
// time from the answer.
func (e *Engine) patchMarker(ctx context.Context, p *pending, marker string) error {
	desc := withMarker(p.description, marker)
	k, err := e.client.UpdateAPIKey(ctx, p.id, ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{Description: &desc}})
	e.reads.InvalidateKeys(p.owner)
	if err == nil && k != nil {
		e.client.ObserveAPITime(lastChange(*k))
	}
	return err
}

// expire ends p's lease now, so that the next run deletes the key without
// waiting: the caller's context ended before the key was handed over, or
// the hand-over failed. It runs on a context of its own, since the
// caller's has usually ended.
func (e *Engine) expire(ctx context.Context, p *pending) {
	xctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), expireTimeout)
	defer cancel()
	at, _ := e.deadlineBase()
	if err := e.patchMarker(xctx, p, expiredMarker(p.nonce, at)); err != nil && !e.IsGone(xctx, p.id, p.owner, err) {
		e.log.Warn(ctx, "could not expire the lease of an API key that was not handed over; it expires by itself", map[string]any{
			"key_id": p.id, "error": err.Error(),
		})
	}
}

// WaitSettled waits until every key this engine created has been handed
// over (FinishCreate returned) or has had its lease ended (expired, or the
// key found gone), or until ctx ends. A provider that is about to exit
// calls it after its calls were cancelled, so that no lease is left
// running by the exit.
func (e *Engine) WaitSettled(ctx context.Context) error {
	for {
		e.pendingMu.Lock()
		var p *pending
		for _, q := range e.pending {
			p = q
			break
		}
		e.pendingMu.Unlock()
		if p == nil {
			return nil
		}
		select {
		case <-p.settled:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// forget removes p from the pending keys once its fate is settled.
func (e *Engine) forget(p *pending) {
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	if e.pending[p.id] == p {
		delete(e.pending, p.id)
	}
	select {
	case <-p.settled:
	default:
		close(p.settled)
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
// and returns them. It decides in the API's time: that of the list's answer,
// as the client learnt it.
func (e *Engine) sweepListed(ctx context.Context, owner string, keys []ccloud.APIKey) []AbandonedKey {
	for _, k := range keys {
		e.client.ObserveAPITime(lastChange(k))
	}
	apiNow := e.APINow()
	var out []AbandonedKey
	for _, k := range keys {
		l := e.ClassifyLease(k, apiNow)
		if l.State != LeaseAbandoned {
			continue
		}
		if err := e.client.DeleteAPIKey(ctx, k.ID); err != nil && !ccloud.IsNotFound(err) {
			e.log.Warn(ctx, "could not delete an abandoned API key", map[string]any{"key_id": k.ID, "error": err.Error()})
			continue
		}
		a := AbandonedKey{ID: k.ID, Owner: owner, ResourceID: ccloud.ResourceID(k.Spec.Resource), DisplayName: k.Spec.DisplayName, Deadline: l.Deadline}
		out = append(out, a)
		e.log.Info(ctx, "deleted an API key abandoned by a process that died while creating it", map[string]any{
			"key_id": k.ID, "owner_id": owner, "lease_deadline": l.Deadline.Format(time.RFC3339),
			"api_time": apiNow.Format(time.RFC3339),
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

// DropAbandoned sweeps keys, a fresh list of owner's keys, and returns the
// keys left: the abandoned ones are deleted, as any per-owner list deletes
// them, and reported through TakeAbandoned. Checks that count an owner's
// keys (the service account's deletion guard) use it, so that a killed
// run's key does not block them.
func (e *Engine) DropAbandoned(ctx context.Context, owner string, keys []ccloud.APIKey) []ccloud.APIKey {
	if e == nil {
		return keys
	}
	swept := e.sweepListed(ctx, owner, keys)
	if len(swept) == 0 {
		return keys
	}
	gone := map[string]bool{}
	for _, a := range swept {
		gone[a.ID] = true
	}
	out := make([]ccloud.APIKey, 0, len(keys)-len(swept))
	for _, k := range keys {
		if !gone[k.ID] {
			out = append(out, k)
		}
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
