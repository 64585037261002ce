// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// These tests use small purpose-built servers to pin down retry, backoff
// and error decoding exactly; client_mock_test.go runs every operation
// against the full mock backend.

func newTestClient(t *testing.T, url string, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint:     url,
		APIKey:       "TESTKEY000000000",
		APISecret:    NewAPISecret(),
		MaxRetries:   3,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		UserAgent:    "terraform-provider-ccloud/test",
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

func writeFailure(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-"+code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Failure{Errors: []ErrorItem{{ID: "e1", Status: fmt.Sprint(status), Code: code, Detail: detail}}})
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		method       string
		status       int
		wantAttempts int32
	}{
		{"GET retried on 500", http.MethodGet, 500, 4},
		{"GET retried on 502", http.MethodGet, 502, 4},
		{"GET not retried on 501", http.MethodGet, 501, 1},
		{"GET retried on 429", http.MethodGet, 429, 4},
		{"GET not retried on 404", http.MethodGet, 404, 1},
		{"GET not retried on 403", http.MethodGet, 403, 1},
		{"PATCH retried on 503", http.MethodPatch, 503, 4},
		{"DELETE retried on 500", http.MethodDelete, 500, 4},
		{"POST retried on 429", http.MethodPost, 429, 4},
		{"POST retried on 503", http.MethodPost, 503, 4},
		{"POST not retried on 500", http.MethodPost, 500, 1},
		{"POST not retried on 502", http.MethodPost, 502, 1},
		{"POST not retried on 400", http.MethodPost, 400, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var attempts atomic.Int32
				_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					attempts.Add(1)
					if tc.status == 429 {
						w.Header().Set("Retry-After", "2")
					}
					writeFailure(w, tc.status, "boom", "failure detail")
				}), false)
				c := newBubbleClient(t, "http://api.example.test", hc)
				start := time.Now()
				err := c.call(context.Background(), request{method: tc.method, path: "/iam/v2/api-keys/X"}, nil)
				if err == nil {
					t.Fatal("expected an error")
				}
				if got := attempts.Load(); got != tc.wantAttempts {
					t.Fatalf("attempts = %d, want %d", got, tc.wantAttempts)
				}
				if StatusCode(err) != tc.status {
					t.Fatalf("status of %v = %d, want %d", err, StatusCode(err), tc.status)
				}
				if !strings.Contains(err.Error(), "failure detail") || !strings.Contains(err.Error(), "req-boom") {
					t.Fatalf("error %q lacks the API detail or request ID", err)
				}
				// A 429's retries wait exactly as long as Retry-After asks.
				if tc.status == 429 {
					if got, want := time.Since(start), time.Duration(tc.wantAttempts-1)*2*time.Second; got != want {
						t.Fatalf("the retries of a 429 with Retry-After: 2 took %v, want %v", got, want)
					}
				}
			})
		})
	}
}

func TestRetrySucceedsAfterTransientErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var attempts atomic.Int32
		_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if attempts.Add(1) < 3 {
				w.Header().Set("Retry-After", "0")
				writeFailure(w, 429, "too_many_requests", "slow down")
				return
			}
			_ = json.NewEncoder(w).Encode(ServiceAccount{ID: "sa-abc123", DisplayName: "app"})
		}), false)
		sa, err := newBubbleClient(t, "http://api.example.test", hc).GetServiceAccount(context.Background(), "sa-abc123")
		if err != nil {
			t.Fatal(err)
		}
		if sa.DisplayName != "app" || attempts.Load() != 3 {
			t.Fatalf("got %+v after %d attempts", sa, attempts.Load())
		}
	})
}

func TestBackoffHonoursServerHints(t *testing.T) {
	t.Parallel()
	mk := func(status int, h map[string]string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	if d := backoff(time.Millisecond, time.Second, 0, mk(429, map[string]string{"Retry-After": "7"})); d != 7*time.Second {
		t.Fatalf("Retry-After 7: waited %v", d)
	}
	if d := backoff(time.Millisecond, time.Second, 0, mk(429, map[string]string{"X-RateLimit-Reset": "3"})); d != 3*time.Second {
		t.Fatalf("X-RateLimit-Reset 3: waited %v", d)
	}
	if d := backoff(time.Millisecond, time.Second, 0, mk(429, map[string]string{"Retry-After": "99999"})); d != maxServerWait {
		t.Fatalf("huge Retry-After not capped: %v", d)
	}
	for attempt := range 30 {
		d := backoff(100*time.Millisecond, 2*time.Second, attempt, mk(500, nil))
		if d < 50*time.Millisecond || d > 2*time.Second {
			t.Fatalf("attempt %d: backoff %v outside [50ms, 2s]", attempt, d)
		}
	}
}

// A POST whose connection drops after the request was sent must not be
// retried: the server may have created the object.
func TestNoPostRetryAfterLostResponse(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var attempts atomic.Int32
		_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			attempts.Add(1)
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
		}), false)
		c := newBubbleClient(t, "http://api.example.test", hc)
		_, err := c.CreateAPIKey(context.Background(), APIKeyCreate{Spec: APIKeyCreateSpec{Owner: ObjectReference{ID: "sa-1"}}})
		if !IsOutcomeUnknown(err) {
			t.Fatalf("want an outcome-unknown error, got %v", err)
		}
		if attempts.Load() != 1 {
			t.Fatalf("POST sent %d times, want 1", attempts.Load())
		}
		// The same failure on a GET is retried.
		attempts.Store(0)
		_, err = c.GetAPIKey(context.Background(), "ABC")
		if err == nil || IsOutcomeUnknown(err) {
			t.Fatalf("GET: want a transport error, got %v", err)
		}
		if attempts.Load() != 4 {
			t.Fatalf("GET sent %d times, want 4", attempts.Load())
		}
	})
}

// A refused connection means nothing reached the server, so even a POST
// may be retried, and the result is a plain transport error.
func TestPostToClosedPortIsNotOutcomeUnknown(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := newTestClient(t, "http://"+addr)
	_, err = c.CreateServiceAccount(context.Background(), ServiceAccountCreate{DisplayName: "x"})
	var te *TransportError
	if !errors.As(err, &te) || IsOutcomeUnknown(err) {
		t.Fatalf("want a transport error, got %T %v", err, err)
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var attempts atomic.Int32
		_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			attempts.Add(1)
			w.Header().Set("Retry-After", "30")
			writeFailure(w, 429, "rate", "slow down")
		}), false)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := newBubbleClient(t, "http://api.example.test", hc).GetServiceAccount(ctx, "sa-1")
		if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "GET /iam/v2/service-accounts/sa-1: ") {
			t.Fatalf("want deadline exceeded naming the request, got %v", err)
		}
		// The 30 s wait is cut off when the context ends.
		if time.Since(start) != 200*time.Millisecond || attempts.Load() != 1 {
			t.Fatalf("cancellation took %v after %d attempts", time.Since(start), attempts.Load())
		}
	})
}

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   string
		detail string
		check  func(error) bool
		name   string
	}{
		{404, "api_key_not_found", "The API Key (id=X) does not exist", IsNotFound, "not found"},
		{409, "resource_already_exists", "Service name is already in use.", IsConflict, "conflict"},
		{402, "quota_exceeded", "Your organization is currently limited to 10 keys", IsQuotaExceeded, "quota 402"},
		{400, "", "Your environment is currently limited to 1000 service accounts", IsQuotaExceeded, "quota 400"},
		{401, "user_unauthenticated", "Valid authentication credentials must be provided", IsUnauthorized, "401"},
		{403, "", "invalid API key: make sure you're using a Cloud API key", IsUnauthorized, "403 invalid key"},
		{403, "forbidden_access", "Forbidden Access", IsForbidden, "403"},
	}
	for _, tc := range cases {
		err := newError("GET", "/p", tc.status, "rid", mustJSON(Failure{Errors: []ErrorItem{{Code: tc.code, Detail: tc.detail}}}))
		if !tc.check(err) {
			t.Errorf("%s: classifier rejected %v", tc.name, err)
		}
	}
	forbidden := newError("GET", "/p", 403, "rid", mustJSON(Failure{Errors: []ErrorItem{{Code: "forbidden_access", Detail: "Forbidden Access"}}}))
	if IsNotFound(forbidden) || IsUnauthorized(forbidden) {
		t.Error("a plain 403 must be neither not-found nor unauthorized")
	}
	plain400 := newError("POST", "/p", 400, "rid", mustJSON(Failure{Errors: []ErrorItem{{Detail: "display_name is required"}}}))
	if IsQuotaExceeded(plain400) {
		t.Error("a plain 400 is not a quota error")
	}
}

func TestErrorTextRedactsUnexpectedBodies(t *testing.T) {
	t.Parallel()
	secret := NewAPISecret()
	err := newError("GET", "/p", 502, "", []byte("<html>bad gateway "+secret+"</html>"))
	if strings.Contains(err.Error(), secret) {
		t.Fatal("error text contains a secret-like string")
	}
	if !strings.Contains(err.Error(), "bad gateway") || !strings.Contains(err.Error(), "request ID none") {
		t.Fatalf("error text lost useful context: %q", err)
	}
}

func TestNoCredentialsInErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeFailure(w, 401, "user_unauthenticated", "Valid authentication credentials must be provided")
	}))
	defer srv.Close()
	secret := NewAPISecret()
	var logged []string
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APISecret = secret
		cfg.Log = func(_ context.Context, msg string, fields map[string]any) {
			logged = append(logged, fmt.Sprint(msg, fields))
		}
	})
	_, err := c.ListServiceAccounts(context.Background())
	if !IsUnauthorized(err) {
		t.Fatalf("want unauthorized, got %v", err)
	}
	all := err.Error() + strings.Join(logged, "\n")
	for _, leak := range []string{secret, "Basic ", "Authorization"} {
		if strings.Contains(all, leak) {
			t.Fatalf("error or log contains %q: %s", leak, all)
		}
	}
	if len(logged) == 0 {
		t.Fatal("expected a log record")
	}
}

func TestPaginationFollowsNext(t *testing.T) {
	t.Parallel()
	var pages atomic.Int32
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		if r.URL.Query().Get("page_size") != "100" {
			t.Errorf("page_size = %q, want 100", r.URL.Query().Get("page_size"))
		}
		if got := r.URL.Query()["display_name"]; len(got) != 2 || got[0] != "my app" {
			t.Errorf("display_name filter lost: %v", got)
		}
		list := List[ServiceAccount]{APIVersion: "iam/v2", Kind: "ServiceAccountList"}
		switch r.URL.Query().Get("page_token") {
		case "":
			list.Data = []ServiceAccount{{ID: "sa-1"}, {ID: "sa-2"}}
			list.Metadata.Next = srvURL + "/iam/v2/service-accounts?page_size=100&page_token=t2"
		case "t2":
			list.Data = []ServiceAccount{{ID: "sa-3"}}
		default:
			t.Errorf("unexpected token %q", r.URL.Query().Get("page_token"))
		}
		_ = json.NewEncoder(w).Encode(list)
	}))
	defer srv.Close()
	srvURL = srv.URL
	got, err := newTestClient(t, srv.URL).ListServiceAccounts(context.Background(), "my app", "other")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].ID != "sa-3" || pages.Load() != 2 {
		t.Fatalf("got %d items over %d pages", len(got), pages.Load())
	}
}

func TestPaginationRejectsNextWithoutToken(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(List[APIKey]{Metadata: ListMeta{Next: "https://example.com/iam/v2/api-keys"}})
	}))
	defer srv.Close()
	_, err := newTestClient(t, srv.URL).ListAPIKeys(context.Background(), APIKeyFilter{})
	if err == nil || !strings.Contains(err.Error(), "page_token") {
		t.Fatalf("want a page_token error, got %v", err)
	}
}

func TestEmptyFiltersAreNotSent(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("spec.owner") || r.URL.Query().Has("spec.resource") {
			t.Errorf("empty filter sent: %s", r.URL.RawQuery)
		}
		_ = json.NewEncoder(w).Encode(List[APIKey]{})
	}))
	defer srv.Close()
	if _, err := newTestClient(t, srv.URL).ListAPIKeys(context.Background(), APIKeyFilter{}); err != nil {
		t.Fatal(err)
	}
}

func TestUserAgentAndAuth(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); ua != "terraform-provider-ccloud/test" {
			t.Errorf("User-Agent = %q", ua)
		}
		if k, _, ok := r.BasicAuth(); !ok || k != "TESTKEY000000000" {
			t.Errorf("basic auth missing or wrong key %q", k)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	if err := newTestClient(t, srv.URL).DeleteAPIKey(context.Background(), "ABC"); err != nil {
		t.Fatal(err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	s := NewAPISecret()
	for _, cfg := range []Config{
		{Endpoint: "ftp://x", APIKey: "k", APISecret: s},
		{Endpoint: "not a url", APIKey: "k", APISecret: s},
		{Endpoint: "https://x", APIKey: "", APISecret: s},
		{Endpoint: "https://x", APIKey: "k", APISecret: ""},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a bad config", cfg.Endpoint)
		} else if cfg.APISecret != "" && strings.Contains(err.Error(), cfg.APISecret) {
			t.Error("error contains the secret")
		}
	}
}

func TestProbe(t *testing.T) {
	t.Parallel()
	secret := NewAPISecret()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, s, _ := r.BasicAuth()
		switch {
		case k == "READY" && s == secret:
			_, _ = w.Write([]byte(`[]`))
		case r.URL.Path == "/broken":
			writeFailure(w, 500, "err", "internal")
		case k == "UNAUTHORISED" && s == secret:
			writeFailure(w, 403, "user_unauthorized", "User Access Unauthorized")
		default:
			writeFailure(w, 401, "user_unauthenticated", "no")
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	if err := c.Probe(ctx, srv.URL+"/subjects", "READY", secret); err != nil {
		t.Fatalf("ready key: %v", err)
	}
	if err := c.Probe(ctx, srv.URL+"/subjects", "NEW", secret); !errors.Is(err, ErrNotReady) {
		t.Fatalf("new key: want ErrNotReady, got %v", err)
	}
	// 403 is not "not yet": the key authenticates, its owner lacks rights.
	if err := c.Probe(ctx, srv.URL+"/subjects", "UNAUTHORISED", secret); !errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotReady) {
		t.Fatalf("unauthorised owner: want ErrForbidden, got %v", err)
	}
	if err := c.Probe(ctx, srv.URL+"/broken", "NEW", secret); StatusCode(err) != 500 {
		t.Fatalf("broken endpoint: want a 500 error, got %v", err)
	}
	err := c.Probe(ctx, "http://127.0.0.1:1/subjects", "NEW", secret)
	var ue *ProbeUnreachableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "127.0.0.1:1") || strings.Contains(err.Error(), secret) {
		t.Fatalf("unreachable: got %v", err)
	}
}

func TestProbeURLs(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		KafkaProbeURL("https://pkc-1.aws.confluent.cloud:443/", "lkc-1"):               "https://pkc-1.aws.confluent.cloud:443/kafka/v3/clusters/lkc-1/topics",
		SchemaRegistryProbeURL("https://psrc-1.aws.confluent.cloud"):                   "https://psrc-1.aws.confluent.cloud/subjects",
		KsqlDBProbeURL("https://pksqlc-1.aws.confluent.cloud"):                         "https://pksqlc-1.aws.confluent.cloud/info",
		FlinkProbeURL("https://flink.us-east-1.aws.confluent.cloud", "org-1", "env-1"): "https://flink.us-east-1.aws.confluent.cloud/sql/v1/organizations/org-1/environments/env-1/statements",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func FuzzDecodeError(f *testing.F) {
	f.Add(401, []byte(`{"errors":[{"id":"x","status":"401","detail":"Unauthorized","source":{}}]}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(400, []byte(`{"errors":null}`))
	f.Add(404, []byte{})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		err := newError("GET", "/p", status, "rid", body)
		msg := err.Error()
		if !strings.Contains(msg, "rid") {
			t.Fatalf("request ID lost: %q", msg)
		}
		_ = IsQuotaExceeded(err)
		_ = IsUnauthorized(err)
	})
}
