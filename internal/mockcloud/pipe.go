// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"errors"
	"io"
	"log"
	"net/http"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/pipenet"
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
	n := pipenet.New()
	srv := &http.Server{Handler: s, ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		if err := srv.Serve(n); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("mockcloud: in-memory server: %v", err)
		}
	}()
	tr := &http.Transport{DialContext: n.Dial}
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
