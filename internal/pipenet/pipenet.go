// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package pipenet is an in-memory network with one server on it, for tests
// that run in testing/synctest bubbles. A goroutine blocked on a socket is
// not durably blocked, so a bubble whose server listens on 127.0.0.1 never
// advances its clock while a request is in flight; net.Pipe connections are
// part of the bubble. The mock's StartPipe and the client's retry tests
// both serve HTTP on it.
package pipenet

import (
	"context"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// Listener is the server's net.Listener; its Dial, given to an
// http.Transport as DialContext, hands one end of a new net.Pipe to Accept.
type Listener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
	// Dials counts the connections clients tried to make; Refuse, when
	// set, makes them fail as a closed port does.
	Dials  atomic.Int32
	Refuse atomic.Bool
}

// New returns a Listener nobody has dialled yet.
func New() *Listener {
	return &Listener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Dial connects to the server, or fails as a closed port does when the
// listener is closed or refuses connections.
func (l *Listener) Dial(ctx context.Context, network, _ string) (net.Conn, error) {
	l.Dials.Add(1)
	refused := &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	if l.Refuse.Load() {
		return nil, refused
	}
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, refused
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Accept returns the server's end of the next dialled connection.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and makes later dials fail; it may be called twice.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr names the in-memory network.
func (l *Listener) Addr() net.Addr { return addr{} }

type addr struct{}

func (addr) Network() string { return "pipe" }
func (addr) String() string  { return "pipe" }
