// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// attemptsPattern finds "(N attempts in D" in an error.
var attemptsPattern = regexp.MustCompile(`\((\d+) attempts? in (under 1ms|[0-9.]+m?s)`)

func reportedAttempts(t *testing.T, err error) (int, time.Duration) {
	t.Helper()
	m := attemptsPattern.FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("the error does not state attempts and elapsed time: %v", err)
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "under 1ms" {
		return n, 0
	}
	d, perr := time.ParseDuration(m[2])
	if perr != nil {
		t.Fatalf("bad elapsed %q in %v", m[2], err)
	}
	return n, d
}

// A refused connection is retried, but only within the request's time
// budget, with production backoff; the error says how many attempts were
// made in how long, and where to look.
func TestDeadEndpointGivesUpWithinBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		n, hc := startBubbleServer(t, nil, false)
		n.Refuse.Store(true)
		const endpoint = "http://127.0.0.1:9"
		c := newBubbleClient(t, endpoint, hc, func(cfg *Config) { cfg.MaxRetries = DefaultMaxRetries })
		start := time.Now()
		_, err := c.ListServiceAccounts(context.Background())
		elapsed := time.Since(start)
		var te *TransportError
		if !errors.As(err, &te) {
			t.Fatalf("want a transport error, got %T %v", err, err)
		}
		if elapsed > DefaultRequestTimeout || elapsed < DefaultRequestTimeout/2 {
			t.Fatalf("the request took %v of the bubble's clock; its budget is %v", elapsed, DefaultRequestTimeout)
		}
		if te.Attempts < 3 || int(n.Dials.Load()) != te.Attempts {
			t.Fatalf("%d attempts reported, %d dials: a refused connection must be retried within the budget", te.Attempts, n.Dials.Load())
		}
		for _, want := range []string{"connection refused", endpoint, "request time budget is 15s", "request_timeout", "endpoint"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
		n2, d := reportedAttempts(t, err)
		if n2 != te.Attempts || d != elapsed.Round(100*time.Millisecond) {
			t.Fatalf("reported %d attempts in %v; want %d in %v", n2, d, te.Attempts, elapsed)
		}
	})
}

// A second request soon after the first found the endpoint dead gets one
// attempt, so a refresh (list, then a GET fallback, for every resource)
// pays the time budget once, not once per request.
func TestDeadEndpointIsNotRetriedTwice(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		n, hc := startBubbleServer(t, nil, false)
		n.Refuse.Store(true)
		c := newBubbleClient(t, "http://127.0.0.1:9", hc)
		start := time.Now()
		if _, err := c.ListAPIKeys(context.Background(), APIKeyFilter{Owner: "sa-1"}); err == nil {
			t.Fatal("want an error")
		}
		first := time.Since(start)
		_, err := c.GetAPIKey(context.Background(), "ABCDEFGH12345678")
		if n, _ := reportedAttempts(t, err); n != 1 {
			t.Fatalf("the fallback GET made %d attempts: %v", n, err)
		}
		if !strings.Contains(err.Error(), "an earlier request to this endpoint got no answer either") {
			t.Fatalf("the error does not say why it was not retried: %v", err)
		}
		if total := time.Since(start); total != first || total > DefaultRequestTimeout {
			t.Fatalf("list and GET took %v of the bubble's clock (the list alone %v)", total, first)
		}
		// Once the memory has lapsed the endpoint gets a full budget again.
		time.Sleep(DefaultRequestTimeout + time.Second)
		_, err = c.GetAPIKey(context.Background(), "ABCDEFGH12345678")
		if n, _ := reportedAttempts(t, err); n < 2 {
			t.Fatalf("after the memory lapsed, %d attempts: %v", n, err)
		}
	})
}

// An unknown host name does not start resolving within seconds: one
// attempt, and the error says so.
func TestUnresolvableEndpointIsNotRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var dials atomic.Int32
		transport := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
			dials.Add(1)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.confluent.clod", IsNotFound: true}}
		}}
		c := newBubbleClient(t, "https://api.confluent.clod", &http.Client{Transport: transport})
		start := time.Now()
		_, err := c.GetServiceAccount(context.Background(), "sa-1")
		if dials.Load() != 1 || time.Since(start) != 0 {
			t.Fatalf("%d dials in %v for an unknown host, want 1 and no wait", dials.Load(), time.Since(start))
		}
		for _, want := range []string{`the host name "api.confluent.clod" does not resolve`, "(1 attempt in", "not retried", "endpoint"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
	})
}

// A TLS failure is not retried either.
func TestTLSFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The client does not trust the in-bubble server's certificate.
		n, hc := startBubbleServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), true)
		c := newBubbleClient(t, "https://api.example.test", hc)
		start := time.Now()
		_, err := c.GetServiceAccount(context.Background(), "sa-1")
		if err == nil || !strings.Contains(err.Error(), "(1 attempt in") || !strings.Contains(err.Error(), "TLS certificate") {
			t.Fatalf("want one attempt and a TLS reason: %v", err)
		}
		if n.Dials.Load() != 1 || time.Since(start) != 0 {
			t.Fatalf("%d connections in %v, want 1 and no wait", n.Dials.Load(), time.Since(start))
		}
	})
}

// A hung endpoint accepts the connection and never answers. Each attempt
// waits only for what is left of the budget, and timeouts are retried
// while it lasts.
func TestHungEndpointGivesUpWithinBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var requests atomic.Int32
		_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			<-r.Context().Done()
		}), false)
		const budget = 600 * time.Millisecond
		c := newBubbleClient(t, "http://api.example.test", hc, func(cfg *Config) {
			cfg.RequestTimeout = budget
			cfg.Timeout = 200 * time.Millisecond
			cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 5*time.Millisecond
		})
		start := time.Now()
		_, err := c.GetServiceAccount(context.Background(), "sa-1")
		elapsed := time.Since(start)
		var te *TransportError
		if !errors.As(err, &te) || !isTimeout(te.Err) {
			t.Fatalf("want a timeout, got %T %v", err, err)
		}
		// 200 ms attempts in a 600 ms budget with waits of a few
		// milliseconds: two full attempts and a third with what is left.
		if te.Attempts != 3 || int(requests.Load()) != te.Attempts {
			t.Fatalf("%d attempts reported, %d requests seen", te.Attempts, requests.Load())
		}
		if elapsed > budget || elapsed < budget-5*time.Millisecond {
			t.Fatalf("the request took %v of the bubble's clock; its budget is %v", elapsed, budget)
		}
		n, d := reportedAttempts(t, err)
		if n != te.Attempts || d < budget-200*time.Millisecond {
			t.Fatalf("reported %d attempts in %v", n, d)
		}
		if !strings.Contains(err.Error(), "request time budget is 600ms") {
			t.Fatalf("the error does not name the budget: %v", err)
		}
	})
}

// A web page where the API's JSON was expected says what came back and
// suggests checking the endpoint, instead of a JSON syntax error.
func TestHTMLAnswerNamesTheEndpoint(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, "/sa-gone") {
			w.WriteHeader(http.StatusNotFound)
		}
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>hello</body></html>"))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.ListServiceAccounts(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"200 OK", `"text/html; charset=utf-8"`, "<!DOCTYPE html>", srv.URL, "endpoint", DefaultEndpoint} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "TESTKEY") {
		t.Errorf("error names credentials: %v", err)
	}
	// A web server's 404 knows nothing of the account: it must not read as
	// "gone", which would drop the account from state.
	_, err = c.GetServiceAccount(context.Background(), "sa-gone")
	if err == nil || IsNotFound(err) || StatusCode(err) != http.StatusNotFound {
		t.Fatalf("an HTML 404 must be an error but not 'not found': %v", err)
	}
	if !strings.Contains(err.Error(), "probably not the Confluent Cloud API") {
		t.Fatalf("the 404 does not point at the endpoint: %v", err)
	}
}

// A 401 names the key, says a Cloud API key is needed and how to get one;
// only the first of a provider's 401s carries the whole explanation.
func TestUnauthorizedExplainsOnce(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeFailure(w, 401, "user_unauthenticated", "Valid authentication credentials must be provided")
	}))
	defer srv.Close()
	secret := NewAPISecret()
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.APIKey, cfg.APISecret = "KAFKAKEY12345678", secret })
	_, first := c.ListServiceAccounts(context.Background())
	_, second := c.GetServiceAccount(context.Background(), "sa-1")
	if !IsUnauthorized(first) || !IsUnauthorized(second) {
		t.Fatalf("want two 401s, got %v and %v", first, second)
	}
	for _, want := range []string{"API key KAFKAKEY12345678", "needs a Cloud API key", "Kafka", "confluent api-key create --resource cloud", "cloud_api_key"} {
		if !strings.Contains(first.Error(), want) {
			t.Errorf("first 401 lacks %q: %v", want, first)
		}
	}
	if strings.Contains(second.Error(), "confluent api-key create") || !strings.Contains(second.Error(), "see the first") ||
		!strings.Contains(second.Error(), "KAFKAKEY12345678") {
		t.Errorf("later 401s should refer to the first: %v", second)
	}
	if strings.Contains(first.Error()+second.Error(), secret) {
		t.Fatal("an error holds the secret")
	}
}
