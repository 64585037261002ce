// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package clock is the provider's one source of time. Code that schedules
// anything (retries, leases, readiness waits, rotation dates) reads time and
// sets timers through a Clock, so that tests can drive those schedules with
// a Fake instead of waiting for them.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and makes timers.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that fires once after d.
	NewTimer(d time.Duration) Timer
}

// Timer is a stoppable one-shot timer, as time.Timer.
type Timer interface {
	C() <-chan time.Time
	Stop() bool
}

// Real returns the wall clock.
func Real() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }

func (t realTimer) Stop() bool { return t.t.Stop() }

// Offset is the wall clock moved by an offset that tests set and advance:
// its Now is time.Now plus the offset, and its timers are the time
// package's, so that waits take their real time (or a testing/synctest
// bubble's virtual time) however far the clock was moved. It is the clock
// of a machine whose time is off, and the clock acceptance tests move ahead
// by days to make rotations due while leases, readiness waits and retries
// still wait as they do in production; a Fake there would stop every wait
// for good.
type Offset struct {
	mu  sync.Mutex
	off time.Duration
}

// NewOffset returns the wall clock moved by off.
func NewOffset(off time.Duration) *Offset { return &Offset{off: off} }

// Now returns the wall clock's time plus the offset.
func (o *Offset) Now() time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return time.Now().Add(o.off)
}

// Advance moves the clock forward by d (backwards for a negative d).
func (o *Offset) Advance(d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.off += d
}

// NewTimer returns a timer of the time package: the offset does not change
// how long a wait takes.
func (o *Offset) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// Sleep waits on c for d, or returns the context's error when it ends
// first. A wait of zero or less only reports whether the context has ended.
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fake is a clock that moves only when told to. Its timers fire when
// Advance or Set moves it past their deadline. In auto-advance mode (see
// AutoAdvance) every new timer instead moves the clock by its duration and
// fires at once, so that code which sleeps runs a schedule of minutes in
// microseconds and the time it took is exact.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	auto   bool
	timers []*fakeTimer
	waits  []time.Duration
}

// NewFake returns a fake clock set to start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// AutoAdvance puts f in auto-advance mode and returns it.
func (f *Fake) AutoAdvance() *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auto = true
	return f
}

// Now returns the clock's time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d and fires the timers that are due.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(f.now.Add(d))
}

// Set moves the clock to t, backwards too, and fires the timers that are
// due.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(t)
}

func (f *Fake) setLocked(t time.Time) {
	f.now = t
	kept := f.timers[:0]
	for _, ft := range f.timers {
		if ft.at.After(t) {
			kept = append(kept, ft)
			continue
		}
		ft.c <- t
	}
	f.timers = kept
}

// NewTimer returns a timer that fires once the clock has moved d past now.
func (f *Fake) NewTimer(d time.Duration) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	ft := &fakeTimer{f: f, at: f.now.Add(d), c: make(chan time.Time, 1)}
	if f.auto && d > 0 {
		f.setLocked(ft.at)
	}
	if !ft.at.After(f.now) {
		ft.c <- f.now
		return ft
	}
	f.timers = append(f.timers, ft)
	return ft
}

// Waits returns the durations of every timer asked for so far, in order:
// with auto-advance, the sleeps of the code under test.
func (f *Fake) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// Pending returns how many timers wait for the clock to move.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.timers)
}

type fakeTimer struct {
	f  *Fake
	at time.Time
	c  chan time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

// Stop removes the timer; it reports whether the timer had not fired yet.
func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	for i, ft := range t.f.timers {
		if ft == t {
			t.f.timers = append(t.f.timers[:i], t.f.timers[i+1:]...)
			return true
		}
	}
	return false
}
