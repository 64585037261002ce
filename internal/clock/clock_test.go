// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package clock

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func fired(t Timer) bool {
	select {
	case <-t.C():
		return true
	default:
		return false
	}
}

func TestFake_timersFireWhenTheClockPassesThem(t *testing.T) {
	f := NewFake(start)
	early, late := f.NewTimer(time.Second), f.NewTimer(time.Minute)
	stopped := f.NewTimer(2 * time.Second)
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop of a waiting timer must report true once")
	}
	f.Advance(999 * time.Millisecond)
	if fired(early) || f.Pending() != 2 {
		t.Fatalf("a timer fired before its time; %d pending", f.Pending())
	}
	f.Advance(time.Millisecond)
	if !fired(early) || fired(late) || fired(stopped) {
		t.Fatal("after one second only the one-second timer may fire")
	}
	f.Set(start.Add(time.Hour))
	if !fired(late) || f.Pending() != 0 || late.Stop() {
		t.Fatal("setting the clock past a timer must fire it")
	}
	if got := f.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Now = %v", got)
	}
}

func TestFake_autoAdvanceMovesTheClockBySleeps(t *testing.T) {
	f := NewFake(start).AutoAdvance()
	other := f.NewTimer(3 * time.Second)
	if !fired(other) {
		t.Fatal("in auto-advance mode a timer fires at once")
	}
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		if err := Sleep(context.Background(), f, d); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Now().Sub(start); got != 6*time.Second {
		t.Fatalf("the clock moved %v, want 6s", got)
	}
	if w := f.Waits(); len(w) != 3 || w[2] != 2*time.Second {
		t.Fatalf("waits %v", w)
	}
}

func TestSleep_endsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, NewFake(start), time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on an ended context = %v", err)
	}
	if err := Sleep(ctx, Real(), 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("a zero Sleep on an ended context = %v", err)
	}
	if err := Sleep(context.Background(), Real(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// TestOffset_movesNowNotWaits checks the acceptance tests' clock: Advance
// moves Now by days, and a timer still fires after its own duration of
// (here virtual) time, not when the clock passes a moved deadline.
func TestOffset_movesNowNotWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := NewOffset(-time.Minute)
		if d := time.Since(o.Now()); d != time.Minute {
			t.Fatalf("an offset of -1m reads %s behind the wall clock", d)
		}
		timer := o.NewTimer(time.Second)
		o.Advance(72 * time.Hour)
		if d := time.Until(o.Now()); d != 72*time.Hour-time.Minute {
			t.Errorf("after Advance(72h) the clock is %s ahead, want 71h59m", d)
		}
		if fired(timer) {
			t.Fatal("Advance fired a timer; only time passing may")
		}
		begun := time.Now()
		<-timer.C()
		if waited := time.Since(begun); waited != time.Second {
			t.Errorf("the timer fired after %s, want its 1s", waited)
		}
	})
}
