// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"net/http"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// The API's clock.
//
// Deadlines that several machines compare (the create leases of
// internal/keyengine) must not be read from any one machine's clock: CI
// runners with clocks minutes off exist (suspended VMs, containers without
// time sync), and a runner whose clock is behind would write deadlines that
// every other runner reads as long past. The client therefore learns the
// API's time from the Date header of every management API answer (RFC 9110
// asks every origin server with a clock to send one) and from the
// timestamps the API stamps on its objects, and tells it through APINow.
//
// Every observation is a lower bound of the API's time when the answer
// arrived: a Date is truncated to the second and was written before the
// answer travelled, and a created_at or updated_at lies in the past. The
// estimate is the observation plus the time elapsed since, measured on the
// local monotonic clock (which a skewed or stepped wall clock does not
// affect), and the best estimate is the largest of them. So APINow is at
// most about a second plus a round trip behind the API, and never ahead of
// it unless the API's own clock steps back; a newer observation well below
// the estimate (a step back) replaces it.

// apiClockStepBack is how far a new observation may lie below the estimate
// before the client takes it as the API's clock having stepped back rather
// than as an older, coarser reading.
const apiClockStepBack = 3 * time.Second

// apiClock estimates the API's current time from observations.
type apiClock struct {
	local clock.Clock

	mu sync.Mutex
	// at is the API time observed, and seen the local time (with its
	// monotonic reading) when it was observed.
	at, seen time.Time
	known    bool
}

// observe records that the API's time was at least t when the local clock
// read now. A Date (fresh) well below the estimate replaces it, as the
// API's clock stepping back; an object's timestamp, which may be old, only
// ever raises it.
func (a *apiClock) observe(t, now time.Time, fresh bool) {
	if t.IsZero() {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.known {
		current := a.at.Add(now.Sub(a.seen))
		if !t.After(current) && (!fresh || current.Sub(t) < apiClockStepBack) {
			return
		}
	}
	a.at, a.seen, a.known = t, now, true
}

// now returns the estimate of the API's current time, and false when no
// answer has told it yet.
func (a *apiClock) now() (time.Time, bool) {
	local := a.local.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.known {
		return time.Time{}, false
	}
	return a.at.Add(local.Sub(a.seen)).UTC(), true
}

// APINow returns the Confluent Cloud API's current time as the client last
// learnt it (see the package's notes on the API's clock), and false when no
// answer has told it yet. It never reads the local wall clock's time of day.
func (c *Client) APINow() (time.Time, bool) {
	return c.apiTime.now()
}

// ObserveAPITime records a timestamp the API wrote (an object's created_at
// or updated_at) as a lower bound of the API's current time.
func (c *Client) ObserveAPITime(t time.Time) {
	c.apiTime.observe(t, c.clock.Now(), false)
}

// dateObserver is the transport under the management API's requests: it
// reads the Date header of every answer, retried ones and errors included.
type dateObserver struct {
	next http.RoundTripper
	api  *apiClock
}

func (d *dateObserver) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(req)
	if err == nil && resp != nil {
		if v := resp.Header.Get("Date"); v != "" {
			if t, perr := http.ParseTime(v); perr == nil {
				d.api.observe(t, d.api.local.Now(), true)
			}
		}
	}
	return resp, err
}

// withAPIClock returns a copy of base whose transport feeds api.
func withAPIClock(base *http.Client, api *apiClock) *http.Client {
	next := base.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc := *base
	hc.Transport = &dateObserver{next: next, api: api}
	return &hc
}
