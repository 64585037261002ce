// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
)

// pipeURL is the base URL of a mock served by StartPipe. Any address would
// do, since every connection goes to the in-memory listener; a loopback
// one passes the client's refusal of plain HTTP to remote hosts.
const pipeURL = "http://127.0.0.1:1"

// StartPipe runs a Server for the duration of a test on an in-memory
// network instead of a socket; its HTTPClient reaches it. It is for tests in testing/synctest bubbles: a goroutine
// blocked on a socket is not durably blocked, so a bubble whose server
// listens on 127.0.0.1 never advances its clock while a request is in
// flight, whereas net.Pipe connections are part of the bubble. Call it
// inside the bubble; the server and the client's connections are closed
// when the test ends.
func StartPipe(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("mockcloud: %v", err)
	}
	n := &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
	srv := &http.Server{Handler: s, ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		if err := srv.Serve(n); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("mockcloud: in-memory server: %v", err)
		}
	}()
	tr := &http.Transport{DialContext: n.dial}
	s.pipeClient = &http.Client{Transport: tr}
	s.SetBaseURL(pipeURL)
	t.Cleanup(func() {
		_ = srv.Close()
		_ = n.Close()
		tr.CloseIdleConnections()
		s.Close()
	})
	return s
}

// HTTPClient returns the client that reaches a Server started by StartPipe,
// and nil for any other, which clients then reach over the network with
// their default HTTP client.
func (s *Server) HTTPClient() *http.Client { return s.pipeClient }

// pipeListener is an in-memory network with one server on it: each dial
// hands one end of a net.Pipe to Accept.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func (n *pipeListener) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case n.conns <- server:
		return client, nil
	case <-n.closed:
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Accept, Close and Addr make pipeListener the server's net.Listener.
func (n *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-n.conns:
		return c, nil
	case <-n.closed:
		return nil, net.ErrClosed
	}
}

func (n *pipeListener) Close() error {
	n.once.Do(func() { close(n.closed) })
	return nil
}

func (n *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
