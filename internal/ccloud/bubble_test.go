// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/pipenet"
)

// The retry tests run in testing/synctest bubbles, where time is virtual:
// go-retryablehttp's own timers, the waits its Backoff asks for and the
// request time budget all run on the bubble's clock, so a schedule of many
// seconds takes microseconds and its length is exact. A bubble must not use
// the network (a goroutine blocked on a socket is not durably blocked, and
// the bubble's time would stand still), so the server is an http.Server in
// the bubble that the client reaches over net.Pipe connections, through a
// real http.Transport and the client's real go-retryablehttp Client.

// pipeNet is an in-memory network with one HTTP server on it, and the
// transport that dials into it.
type pipeNet struct {
	*pipenet.Listener
	tr *http.Transport
}

// startBubbleServer serves h on a new in-memory network (over TLS with a
// certificate the client does not trust, when untrusted is set) and
// returns the network and an HTTP client that dials into it. It must run
// inside a bubble; the server and the client's connections are closed when
// the test ends.
func startBubbleServer(t *testing.T, h http.Handler, untrusted bool) (*pipeNet, *http.Client) {
	t.Helper()
	n := &pipeNet{Listener: pipenet.New()}
	srv := &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0)}
	if h != nil {
		go func() {
			var err error
			if untrusted {
				srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{selfSignedCert(t)}}
				err = srv.ServeTLS(n, "", "")
			} else {
				err = srv.Serve(n)
			}
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("in-bubble server: %v", err)
			}
		}()
	}
	n.tr = &http.Transport{DialContext: n.Dial}
	t.Cleanup(func() {
		_ = srv.Close()
		_ = n.Close()
		n.tr.CloseIdleConnections()
	})
	return n, &http.Client{Transport: n.tr}
}

// selfSignedCert makes a certificate for the in-bubble TLS server, valid
// around the bubble's clock (which starts in 2000).
func selfSignedCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "api.example.test"},
		DNSNames:  []string{"api.example.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// newBubbleClient returns a client of the in-bubble server hc reaches, with
// the production retry waits unless mutate changes them: in a bubble they
// cost nothing.
func newBubbleClient(t *testing.T, endpoint string, hc *http.Client, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint: endpoint, APIKey: "TESTKEY000000000", APISecret: NewAPISecret(), MaxRetries: 3,
		UserAgent: "terraform-provider-ccloud/test", HTTPClient: hc,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
