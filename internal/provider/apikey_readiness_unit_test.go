// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestWaitForKeyReady_propagationDelay checks that the wait ends soon after
// the key starts working, with few probes, and that each scope's probe URL
// is looked up once per process.
func TestWaitForKeyReady_propagationDelay(t *testing.T) {
	t.Parallel()
	const delay = 1500 * time.Millisecond
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: delay})
	c := newMockClient(t, m)
	sa := m.CreateServiceAccount("app", "")
	ctx := context.Background()
	engine := keyengine.New(keyengine.Config{Client: c})

	for _, row := range apiKeyScopes {
		t.Run(row.typeName, func(t *testing.T) {
			t.Parallel()
			v := row.example
			key, err := m.CreateAPIKey(sa.ID, row.reference(v), row.typeName, "")
			if err != nil {
				t.Fatal(err)
			}
			target, err := engine.ProbeURL(ctx, row.target(c, v))
			if err != nil {
				t.Fatal(err)
			}
			if again, err := engine.ProbeURL(ctx, row.target(c, v)); err != nil || again != target {
				t.Fatalf("cached probe URL %q, %v; want %q", again, err, target)
			}
			start := time.Now()
			if _, err := engine.WaitReady(ctx, row.target(c, v), key.ID, key.Spec.Secret); err != nil {
				t.Fatalf("waiting for %s: %v", target, err)
			}
			elapsed := time.Since(start)
			// Creation came a moment before the wait, so allow a little
			// slack below the delay; above it, at most one backoff cap.
			if elapsed < delay-200*time.Millisecond || elapsed > delay+time.Second+300*time.Millisecond {
				t.Errorf("waited %s for a %s propagation delay", elapsed, delay)
			}
		})
	}
	t.Cleanup(func() {
		counts := m.RequestCounts()
		for _, route := range []string{"GET /cmk/v2/clusters/{id}", "GET /srcm/v3/clusters/{id}", "GET /ksqldbcm/v2/clusters/{id}"} {
			if counts[route] != 1 {
				t.Errorf("%s was called %d times, want once: endpoint lookups are cached", route, counts[route])
			}
		}
	})
}

func TestWaitForKeyReady_timeout(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: time.Hour})
	c := newMockClient(t, m)
	sa := m.CreateServiceAccount("app", "")
	key, err := m.CreateAPIKey(sa.ID, nil, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel()
	_, err = keyengine.New(keyengine.Config{Client: c}).WaitReady(ctx, scopeRow(ccloud.ScopeCloud).target(c, scopeValues{}), key.ID, key.Spec.Secret)
	if !errors.Is(err, keyengine.ErrProbeTimeout) {
		t.Fatalf("got %v, want a timeout", err)
	}
	detail := readinessErrorDetail("ccloud_cloud_api_key", key.ID, 1200*time.Millisecond, err)
	for _, want := range []string{key.ID, c.CloudProbeURL(), "1.2s", "timeouts { create }", "tainted"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail %q does not mention %q", detail, want)
		}
	}
	if strings.Contains(detail, key.Spec.Secret) {
		t.Error("the detail holds the secret")
	}
	// A timeout is no reason to skip the check: the endpoint answered.
	if strings.Contains(detail, "wait_for_ready = false") {
		t.Errorf("detail %q advises turning the check off after a mere timeout", detail)
	}
	// At once, then no closer than 900 ms: at most 3 probes in 1.2 s.
	if n := m.RequestCounts()["GET /org/v2/environments"]; n > 3 {
		t.Errorf("%d probes in 1.2s, want at most 3", n)
	}
}

func TestWaitForKeyReady_unreachable(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	c := newMockClient(t, m)
	// A port that was just free is almost surely closed.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := "http://" + l.Addr().String() + "/kafka/v3/clusters/lkc-private/topics"
	l.Close()

	start := time.Now()
	unreachableTarget := keyengine.Target{Scope: ccloud.ScopeKafka, Resource: "lkc-private",
		Lookup: func(context.Context) (string, error) { return target, nil }}
	_, err = keyengine.New(keyengine.Config{Client: c}).WaitReady(context.Background(), unreachableTarget, "ABCDEFGHIJKLMNOP", "secret")
	var unreachable *ccloud.ProbeUnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("got %v, want an unreachable error", err)
	}
	// A refused connection may be a moment's outage, so the wait retries
	// for a few seconds, but an endpoint that never answers is given up on
	// long before the create timeout.
	if waited := time.Since(start); waited < 3*time.Second || waited > 15*time.Second {
		t.Errorf("an unreachable endpoint took %s to report; want a few seconds", waited)
	}
	detail := readinessErrorDetail("ccloud_kafka_api_key", "ABCDEFGHIJKLMNOP", time.Minute, err)
	for _, want := range []string{target, "wait_for_ready = false", "private"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail %q does not mention %q", detail, want)
		}
	}
}

func TestProbeURL_lookupFails(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	c := newMockClient(t, m)
	engine := keyengine.New(keyengine.Config{Client: c})
	_, err := engine.ProbeURL(context.Background(), scopeRow(ccloud.ScopeKafka).target(c, scopeValues{"cluster_id": "lkc-gone", "environment_id": "env-q1ck5t"}))
	if err == nil || !ccloud.IsNotFound(err) {
		t.Fatalf("got %v, want a 404", err)
	}
	detail := readinessErrorDetail("ccloud_kafka_api_key", "ABCDEFGHIJKLMNOP", time.Minute, err)
	if !strings.Contains(detail, "could not be found") || !strings.Contains(detail, "lkc-gone") {
		t.Errorf("detail %q", detail)
	}
}

// TestCheckProbeEndpoint_beforeCreate resolves the probe endpoint the way
// Create does before it creates a key. A plain-HTTP endpoint on another
// host and a cluster that cannot be found both fail with a
// *probeEndpointError whose detail says that no key was created and names
// the endpoint or the cluster, never the Cloud secret; a usable endpoint is
// looked up once and then served from the engine's cache to the wait.
func TestCheckProbeEndpoint_beforeCreate(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	c := newMockClient(t, m)
	engine := keyengine.New(keyengine.Config{Client: c})
	_, cloudSecret := m.Credentials()
	kafka := scopeRow(ccloud.ScopeKafka)
	ctx := context.Background()

	m.SetDataPlaneBase("lkc-q1ck5t", "http://kafka.example.com:8082")
	err := checkProbeEndpoint(ctx, engine, kafka.target(c, scopeValues{"cluster_id": "lkc-q1ck5t", "environment_id": "env-q1ck5t"}))
	var endpoint *probeEndpointError
	var plain *ccloud.PlainHTTPError
	if !errors.As(err, &endpoint) || !errors.As(err, &plain) {
		t.Fatalf("got %v, want a *probeEndpointError wrapping a *ccloud.PlainHTTPError", err)
	}
	detail := probeEndpointErrorDetail("ccloud_kafka_api_key", err)
	for _, want := range []string{"No API key was created", "http://kafka.example.com:8082/kafka/v3/clusters/lkc-q1ck5t/topics",
		"wait_for_ready = false on this ccloud_kafka_api_key"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail %q does not say %q", detail, want)
		}
	}

	err = checkProbeEndpoint(ctx, engine, kafka.target(c, scopeValues{"cluster_id": "lkc-gone", "environment_id": "env-q1ck5t"}))
	if !errors.As(err, &endpoint) || !ccloud.IsNotFound(err) {
		t.Fatalf("got %v, want a *probeEndpointError wrapping a 404", err)
	}
	gone := probeEndpointErrorDetail("ccloud_kafka_api_key", err)
	if !strings.Contains(gone, "No API key was created") || !strings.Contains(gone, "lkc-gone") {
		t.Errorf("detail %q", gone)
	}
	for _, d := range []string{detail, gone} {
		if strings.Contains(d, cloudSecret) {
			t.Errorf("detail holds the Cloud secret: %q", d)
		}
	}

	// Back to the mock's own (loopback) endpoint: one lookup, which the
	// wait's own resolution then reuses.
	m.SetDataPlaneBase("lkc-q1ck5t", "")
	target := kafka.target(c, scopeValues{"cluster_id": "lkc-q1ck5t", "environment_id": "env-q1ck5t"})
	m.ResetCounters()
	if err := checkProbeEndpoint(ctx, engine, target); err != nil {
		t.Fatal(err)
	}
	if _, err := engine.ProbeURL(ctx, target); err != nil {
		t.Fatal(err)
	}
	if n := m.RequestCounts()["GET /cmk/v2/clusters/{id}"]; n != 1 {
		t.Errorf("%d cluster lookups, want 1 (the check's, then the cache)", n)
	}
}
