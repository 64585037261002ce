// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package pipenet

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

func TestListener(t *testing.T) {
	t.Parallel()
	l := New()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	c, err := l.Dial(t.Context(), "tcp", "anything:1")
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	go func() { _, _ = c.Write([]byte("x")) }()
	s := <-accepted
	if s == nil {
		t.Fatal("Accept returned no connection for the dial")
	}
	buf := make([]byte, 1)
	if _, err := s.Read(buf); err != nil || buf[0] != 'x' {
		t.Fatalf("the server end read %q, %v; want the client's byte", buf, err)
	}

	l.Refuse.Store(true)
	if _, err := l.Dial(t.Context(), "tcp", ""); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial while refusing: %v, want ECONNREFUSED", err)
	}
	l.Refuse.Store(false)
	_ = l.Close()
	_ = l.Close() // a second Close must not panic
	if _, err := l.Dial(t.Context(), "tcp", ""); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial after Close: %v, want ECONNREFUSED", err)
	}
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
	}
	if n := l.Dials.Load(); n != 3 {
		t.Errorf("%d dials counted, want 3", n)
	}
}
