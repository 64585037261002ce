// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package ccloud is a typed client for the parts of the Confluent Cloud
// management API that manage identities and credentials: service accounts,
// API keys, users, and the lookups and data-plane probes that tell when a new
// key works.
package ccloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// DefaultEndpoint is the production Confluent Cloud API.
const DefaultEndpoint = "https://api.confluent.cloud"

// Defaults for Config fields left at their zero value.
const (
	DefaultMaxRetries   = 8
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultTimeout bounds one attempt, so that a hung attempt leaves
	// time in the request's budget (DefaultRequestTimeout) for another.
	DefaultTimeout = 10 * time.Second
	// PageSize is the page size of every list request: the API's maximum.
	PageSize = 100
	// maxResponseBody bounds how much of a response is read.
	maxResponseBody = 32 << 20
	// maxPages stops a list whose server keeps answering with a next page.
	maxPages = 100000
	// maxIdleConnsPerHost keeps enough warm connections for Terraform's
	// parallelism (10 by default, often raised in large estates).
	maxIdleConnsPerHost = 32
)

// LogFunc receives one structured debug record per HTTP exchange. The fields
// never hold credentials or bodies.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Config configures a Client.
type Config struct {
	// Endpoint is the base URL of the management API.
	Endpoint string
	// APIKey and APISecret are a Cloud API key's credentials.
	APIKey    string
	APISecret string
	// MaxRetries bounds retries of one request; negative means none.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries when the server does not say how long to wait.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// Timeout bounds one attempt of one request.
	Timeout time.Duration
	// RequestTimeout bounds how long one request may go without any answer
	// from the API: connecting, waiting for the response, and retrying
	// refused connections and timeouts. Retries after 429 and 5xx answers
	// are bounded by MaxRetries instead. Zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// Clock replaces the wall clock; tests use it.
	Clock Clock
	// UserAgent is sent on every request.
	UserAgent string
	// Log, when set, receives a record per request attempt.
	Log LogFunc
	// HTTPClient replaces the underlying HTTP client; tests use it.
	HTTPClient *http.Client
}

// Client talks to the Confluent Cloud management API. It is safe for
// concurrent use.
type Client struct {
	endpoint  *url.URL
	apiKey    string
	apiSecret string
	userAgent string
	log       LogFunc
	http      *http.Client
	probe     *http.Client

	maxRetries     int
	retryWaitMin   time.Duration
	retryWaitMax   time.Duration
	attemptTimeout time.Duration
	budget         time.Duration
	clock          Clock
	// unreachable remembers an endpoint that gave no answer; see
	// unreachableMemory.
	unreachable unreachableMemory
	// refused counts 401 answers, so that only the first carries the full
	// explanation; see unauthorizedHint.
	refused refusedCredentials
	// apiTime is the API's clock as its answers tell it; see apiclock.go.
	apiTime apiClock

	orgOnce sync.Mutex
	orgID   string
}

// New returns a Client for cfg. It validates the endpoint but makes no
// request.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	u, err := url.Parse(strings.TrimRight(cfg.Endpoint, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not an absolute http(s) URL", cfg.Endpoint)
	}
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, errors.New("a Cloud API key and secret are required")
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-ccloud/dev"
	}
	base := cfg.HTTPClient
	if base == nil {
		base = cleanhttp.DefaultPooledClient()
		// Each attempt is bounded through its context instead (see do),
		// which also bounds reading the body.
		base.Timeout = 0
		// cleanhttp keeps GOMAXPROCS+1 idle connections per host, fewer than
		// Terraform's default parallelism of 10, so a busy apply would keep
		// opening new TLS connections to the one API host.
		if t, ok := base.Transport.(*http.Transport); ok {
			t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		}
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	c := &Client{
		endpoint:       u,
		apiKey:         cfg.APIKey,
		apiSecret:      cfg.APISecret,
		userAgent:      cfg.UserAgent,
		log:            cfg.Log,
		http:           base,
		probe:          &http.Client{Transport: base.Transport, Timeout: 15 * time.Second},
		maxRetries:     cfg.MaxRetries,
		retryWaitMin:   cfg.RetryWaitMin,
		retryWaitMax:   cfg.RetryWaitMax,
		attemptTimeout: cfg.Timeout,
		budget:         cfg.RequestTimeout,
		clock:          cfg.Clock,
	}
	c.apiTime.local = cfg.Clock
	c.http = withAPIClock(base, &c.apiTime)
	return c, nil
}

// Endpoint returns the base URL of the management API.
func (c *Client) Endpoint() string { return c.endpoint.String() }

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, msg, fields)
	}
}

// retryPolicy tells do what may be retried for one request.
type retryPolicy struct {
	// idempotent requests (GET, PATCH, DELETE) are retried on transport
	// errors, 429 and 5xx except 501.
	idempotent bool
}

// checkRetryStatus decides whether an answer is worth another attempt. A
// POST is retried only where the server cannot have acted on it: a 429, or
// a 503 (which Confluent Cloud and the mock answer before doing any work),
// or a refused connection (see do). A POST whose response was lost is never
// retried; the caller reconciles it instead, because retrying blindly could
// create a second object.
func checkRetryStatus(policy retryPolicy, status int) bool {
	switch {
	case status == http.StatusTooManyRequests:
		return true
	case status == http.StatusServiceUnavailable:
		return true
	case status >= 500 && status != http.StatusNotImplemented:
		return policy.idempotent
	}
	return false
}

// isDialError reports whether err happened before any byte of the request
// reached the server.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// backoff waits as long as the server asks (Retry-After, or the relative
// X-RateLimit-Reset), and otherwise grows exponentially with full jitter,
// capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := serverWait(resp.Header); ok {
			return d
		}
	}
	exp := float64(minWait) * math.Pow(2, float64(attempt))
	if exp > float64(maxWait) || math.IsInf(exp, 0) {
		exp = float64(maxWait)
	}
	// Half fixed, half random: spreads retries of concurrent requests while
	// keeping a floor so a retry never comes at once.
	half := exp / 2
	return time.Duration(half + rand.Float64()*half)
}

// maxServerWait caps how long a server can make the client wait for one retry.
const maxServerWait = 5 * time.Minute

func serverWait(h http.Header) (time.Duration, bool) {
	for _, name := range []string{"Retry-After", "X-RateLimit-Reset"} {
		v := strings.TrimSpace(h.Get(name))
		if v == "" {
			continue
		}
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && !math.IsInf(secs, 0) {
			d := time.Duration(secs * float64(time.Second))
			return min(d, maxServerWait), true
		}
		if name == "Retry-After" {
			if at, err := http.ParseTime(v); err == nil {
				return min(max(time.Until(at), 0), maxServerWait), true
			}
		}
	}
	return 0, false
}

// request describes one API call.
type request struct {
	method string
	path   string
	query  url.Values
	body   any
	// rawURL replaces endpoint+path+query; pagination uses it.
	rawURL string
}

// response is what do hands back on success.
type response struct {
	status    int
	header    http.Header
	body      []byte
	requestID string
}

// do sends one API request with retries and decodes a non-2xx answer into an
// *Error. A transport failure of a request that may have reached the server
// is returned as an *OutcomeUnknownError.
//
// Two bounds apply. MaxRetries bounds the attempts. The time budget
// (RequestTimeout) bounds how long the request goes without any answer
// from the server: each attempt may wait only for what is left of it, and a
// refused connection or a timeout is retried only while the budget lasts.
// An answer (a 429 or a 5xx) renews the budget, because the server is
// there and said how long to wait. Failures that a retry cannot mend within
// seconds (an unknown host, a TLS failure) are not retried at all.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	target := r.rawURL
	if target == "" {
		u := *c.endpoint
		u.Path = c.endpoint.Path + r.path
		if len(r.query) > 0 {
			u.RawQuery = r.query.Encode()
		}
		target = u.String()
	}
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("encoding %s %s request: %w", r.method, r.path, err)
		}
	}
	if _, err := url.Parse(target); err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", r.method, r.path, err)
	}
	policy := retryPolicy{idempotent: r.method != http.MethodPost}

	start := c.clock.Now()
	deadline := start.Add(c.budget)
	maxAttempts := c.maxRetries + 1
	// An endpoint that just gave no answer to another request gets one
	// attempt: the first request already spent the budget finding out.
	downCause := c.unreachable.recent(start)
	if downCause != "" {
		maxAttempts = 1
	}
	for attempt := 1; ; attempt++ {
		now := c.clock.Now()
		res := c.attempt(ctx, r, target, payload, min(c.attemptTimeout, max(deadline.Sub(now), time.Millisecond)))
		elapsed := c.clock.Now().Sub(start)
		if res.err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("%s %s: %w", r.method, res.path, ctxErr)
			}
			kind, reason := classifyTransportError(res.err)
			c.debug(ctx, "Confluent Cloud API request failed", map[string]any{
				"method": r.method, "path": res.path, "error": res.err.Error(), "attempt": attempt,
				"duration_ms": elapsed.Milliseconds(),
			})
			retry := kind == failNotSent || (kind == failNoAnswer && policy.idempotent)
			var wait time.Duration
			if retry && attempt < maxAttempts {
				wait = backoff(c.retryWaitMin, c.retryWaitMax, attempt-1, nil)
				// A retry needs time for its own attempt too; one that
				// could only start at the end of the budget is not made.
				if c.clock.Now().Add(wait).Add(minAttemptWindow(c.budget)).After(deadline) {
					retry = false
				}
			} else {
				retry = false
			}
			if retry {
				if err := c.sleep(ctx, r.method, res.path, attempt+1, wait); err != nil {
					return nil, err
				}
				continue
			}
			te := &TransportError{
				Method: r.method, Path: res.path, Err: res.err, Endpoint: c.endpoint.Redacted(),
				Attempts: attempt, Elapsed: elapsed, Budget: c.budget,
			}
			switch {
			case kind == failPermanent:
				te.Reason = "not retried: " + reason
			case downCause != "":
				te.Reason = "not retried: an earlier request to this endpoint got no answer either (" + downCause + ")"
			}
			// A create that timed out once is not retried, so one slow answer
			// says nothing of the endpoint; timeouts count only after retries.
			if kind == failPermanent || kind == failNotSent || (isTimeout(res.err) && attempt > 1) {
				c.unreachable.remember(c.clock.Now(), c.budget, shortCause(res.err))
			}
			if r.method == http.MethodPost && kind == failNoAnswer {
				return nil, &OutcomeUnknownError{Method: r.method, Path: res.path, Err: te}
			}
			return nil, te
		}

		// The server answered, so it is reachable.
		c.unreachable.forget()
		c.debug(ctx, "Confluent Cloud API request", map[string]any{
			"method": r.method, "path": res.path, "status": res.status, "attempt": attempt,
			"request_id": res.requestID, "duration_ms": elapsed.Milliseconds(),
		})
		if res.readErr != nil {
			if r.method == http.MethodPost && res.status < 300 {
				return nil, &OutcomeUnknownError{Method: r.method, Path: res.path, Err: res.readErr}
			}
			return nil, &TransportError{Method: r.method, Path: res.path, Err: res.readErr, Endpoint: c.endpoint.Redacted(),
				Attempts: attempt, Elapsed: elapsed, Budget: c.budget}
		}
		if res.status >= 200 && res.status <= 299 {
			return &response{status: res.status, header: res.header, body: res.body, requestID: res.requestID}, nil
		}
		if attempt < c.maxRetries+1 && checkRetryStatus(policy, res.status) {
			wait := backoff(c.retryWaitMin, c.retryWaitMax, attempt-1, &http.Response{StatusCode: res.status, Header: res.header})
			if err := c.sleep(ctx, r.method, res.path, attempt+1, wait); err != nil {
				return nil, err
			}
			deadline = c.clock.Now().Add(c.budget)
			continue
		}
		apiErr := newError(r.method, res.path, res.status, res.requestID, res.body)
		apiErr.contentType = res.header.Get("Content-Type")
		apiErr.Attempts, apiErr.Elapsed = attempt, elapsed
		apiErr.hint = c.statusHint(apiErr)
		// A 500, 502 or 504 to a create may come after the server acted.
		if r.method == http.MethodPost && isAmbiguousStatus(res.status) {
			return nil, &OutcomeUnknownError{Method: r.method, Path: res.path, Err: apiErr}
		}
		return nil, apiErr
	}
}

// minAttemptWindow is the least time worth giving one more attempt.
func minAttemptWindow(budget time.Duration) time.Duration {
	return min(time.Second, budget/10)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortCause names a transport failure in a few words for later requests'
// errors.
func shortCause(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return err.Error()
}

// sleep waits before attempt number next, logging why.
func (c *Client) sleep(ctx context.Context, method, path string, next int, wait time.Duration) error {
	c.debug(ctx, "retrying Confluent Cloud API request", map[string]any{
		"method": method, "path": path, "attempt": next, "wait_ms": wait.Milliseconds(),
	})
	if err := clock.Sleep(ctx, c.clock, wait); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// attemptResult is what one attempt got: an answer, or a transport error.
type attemptResult struct {
	path      string
	status    int
	header    http.Header
	body      []byte
	requestID string
	// err is a failure to get an answer; readErr a failure to read it.
	err     error
	readErr error
}

// attempt sends the request once, bounded by timeout, and reads the answer.
func (c *Client) attempt(ctx context.Context, r request, target string, payload []byte, timeout time.Duration) attemptResult {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, r.method, target, body)
	if err != nil {
		return attemptResult{path: r.path, err: err}
	}
	req.SetBasicAuth(c.apiKey, c.apiSecret)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res := attemptResult{path: req.URL.Path}
	resp, err := c.http.Do(req)
	if err != nil {
		// The url.Error repeats the method and URL, which the final error
		// names anyway.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		res.err = err
		return res
	}
	defer resp.Body.Close()
	res.status, res.header = resp.StatusCode, resp.Header
	res.requestID = resp.Header.Get("X-Request-Id")
	res.body, res.readErr = io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	return res
}

func isAmbiguousStatus(code int) bool {
	return code == http.StatusInternalServerError || code == http.StatusBadGateway || code == http.StatusGatewayTimeout
}

// call sends a request and decodes a successful body into out (if not nil).
func (c *Client) call(ctx context.Context, r request, out any) error {
	resp, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(resp.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return c.undecodableAnswer(r, resp, err)
	}
	return nil
}

// listAll follows metadata.next until the last page and returns every item.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	q := url.Values{}
	for k, v := range query {
		for _, s := range v {
			if s != "" {
				q.Add(k, s)
			}
		}
	}
	q.Set("page_size", strconv.Itoa(PageSize))
	var all []T
	seen := map[string]bool{}
	token := ""
	for page := 0; page < maxPages; page++ {
		if token != "" {
			q.Set("page_token", token)
		}
		var list List[T]
		if err := c.call(ctx, request{method: http.MethodGet, path: path, query: q}, &list); err != nil {
			return nil, err
		}
		all = append(all, list.Data...)
		next, err := pageToken(list.Metadata.Next)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", path, err)
		}
		if next == "" {
			return all, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("GET %s: the server returned page token %q twice", path, next)
		}
		seen[next] = true
		token = next
	}
	return nil, fmt.Errorf("GET %s: more than %d pages", path, maxPages)
}

// pageToken extracts page_token from a metadata.next URL. An empty next
// means the last page; a next without a token is a protocol error.
func pageToken(next string) (string, error) {
	if next == "" {
		return "", nil
	}
	u, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("metadata.next %q is not a URL", next)
	}
	token := u.Query().Get("page_token")
	if token == "" {
		return "", fmt.Errorf("metadata.next %q carries no page_token", next)
	}
	return token, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
