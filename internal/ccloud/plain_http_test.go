// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckSecretTransport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url    string
		refuse bool
	}{
		{"https://pkc-abc.us-east-1.aws.confluent.cloud:443/kafka/v3/clusters/lkc-1/topics", false},
		{"http://127.0.0.1:8080/kafka/v3/clusters/lkc-1/topics", false},
		{"http://127.8.9.10/subjects", false},
		{"http://localhost:9000/info", false},
		{"http://LOCALHOST./info", false},
		{"http://[::1]:9000/info", false},
		{"HTTP://pkc-abc.confluent.cloud/subjects", true},
		{"http://pkc-abc.us-east-1.aws.confluent.cloud/kafka/v3/clusters/lkc-1/topics", true},
		{"http://10.0.0.5:8082/topics", true},
		{"http://[fd00::1]/info", true},
		// A name that merely starts like a loopback one is not resolved.
		{"http://localhost.example.com/info", true},
		{"http://127.0.0.1.nip.io/info", true},
	} {
		err := CheckSecretTransport(tc.url)
		var plain *PlainHTTPError
		if got := errors.As(err, &plain); got != tc.refuse {
			t.Errorf("CheckSecretTransport(%q) = %v, want refused %v", tc.url, err, tc.refuse)
		}
	}
}

// TestProbe_refusesPlainHTTP probes an http:// URL of a remote host: the
// probe fails with a *PlainHTTPError before any request goes out, and the
// error holds neither the secret nor URL userinfo.
func TestProbe_refusesPlainHTTP(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		sent.Add(1)
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, APIKey: "PROVIDERKEY", APISecret: "provider-secret"})
	if err != nil {
		t.Fatal(err)
	}
	// Every request of the probe client goes to the test server, whatever
	// the URL says, so a probe that were sent would be counted.
	c.probe.Transport = redirectTransport{to: srv.Listener.Addr().String()}

	const secret = "cfltS3CR3Tsecretvalue0000000000000000000000000000000000000000000"
	err = c.Probe(context.Background(), "http://user:pw@pkc-abc.confluent.cloud/kafka/v3/clusters/lkc-1/topics",
		"NEWKEYID00000000", secret)
	var plain *PlainHTTPError
	if !errors.As(err, &plain) {
		t.Fatalf("Probe = %v, want a *PlainHTTPError", err)
	}
	if plain.Host != "pkc-abc.confluent.cloud" {
		t.Errorf("Host = %q", plain.Host)
	}
	if msg := err.Error(); strings.Contains(msg, secret) || strings.Contains(msg, "pw@") ||
		!strings.Contains(msg, "plain HTTP") || !strings.Contains(msg, "nothing was sent") {
		t.Errorf("message %q: want plain HTTP and nothing was sent named, no secret or password", msg)
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests were sent, want none", n)
	}

	// Loopback http is still probed (the mock).
	if err := c.Probe(context.Background(), srv.URL+"/kafka/v3/clusters/lkc-1/topics", "NEWKEYID00000000", secret); err != nil {
		t.Fatalf("loopback probe: %v", err)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("%d requests were sent to loopback, want 1", n)
	}
}

// redirectTransport sends every request to one address.
type redirectTransport struct{ to string }

func (r redirectTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Host = r.to
	req.URL.Scheme = "http"
	return http.DefaultTransport.RoundTrip(req)
}
