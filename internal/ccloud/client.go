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
	"github.com/hashicorp/go-retryablehttp"

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
	// Clock replaces the local clock that measures time elapsed since the
	// API last told its own (see APINow); tests use it. Retries, their
	// waits and the request time budget run on the time package, which
	// tests make virtual with testing/synctest.
	Clock clock.Clock
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
	clock          clock.Clock
	// unreachable remembers an endpoint that gave no answer; see
	// unreachableMemory.
	unreachable unreachableMemory
	// refused counts 401 answers, so that only the first carries the full
	// explanation; see unauthorizedHint.
	refused refusedCredentials
	// apiTime is the API's clock as its answers tell it; see apiclock.go.
	apiTime apiClock

	// orgMu guards orgID, which OrganizationID looks up once per client;
	// callers that come while the lookup runs wait for it.
	orgMu sync.Mutex
	orgID string
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
		probe:          &http.Client{Transport: &attemptTransport{next: transportOf(base)}, Timeout: 15 * time.Second},
		maxRetries:     cfg.MaxRetries,
		retryWaitMin:   cfg.RetryWaitMin,
		retryWaitMax:   cfg.RetryWaitMax,
		attemptTimeout: cfg.Timeout,
		budget:         cfg.RequestTimeout,
		clock:          cfg.Clock,
	}
	c.apiTime.local = cfg.Clock
	c.http = withAPIClock(base, &c.apiTime)
	c.http.Transport = &attemptTransport{next: c.http.Transport}
	return c, nil
}

// transportOf returns hc's transport, or the default one it stands for.
func transportOf(hc *http.Client) http.RoundTripper {
	if hc.Transport == nil {
		return http.DefaultTransport
	}
	return hc.Transport
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
// is returned as an *OutcomeUnknownError. go-retryablehttp runs the
// attempts, with the hooks of retry.go.
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
	parsed, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", r.method, r.path, err)
	}
	start := time.Now()
	x := &exchange{
		c: c, ctx: ctx, method: r.method, path: parsed.Path,
		policy:      retryPolicy{idempotent: r.method != http.MethodPost},
		maxAttempts: c.maxRetries + 1,
		start:       start, deadline: start.Add(c.budget),
	}
	// An endpoint that just gave no answer to another request gets one
	// attempt: the first request already spent the budget finding out.
	if x.downCause = c.unreachable.recent(start); x.downCause != "" {
		x.maxAttempts = 1
	}
	var body any
	if payload != nil {
		body = payload
	}
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, exchangeKey{}, x), r.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", r.method, r.path, err)
	}
	req.SetBasicAuth(c.apiKey, c.apiSecret)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.retryClient(x).Do(req)
	if err != nil {
		var te *TransportError
		var ou *OutcomeUnknownError
		if errors.As(err, &te) || errors.As(err, &ou) {
			return nil, err
		}
		// The library returns the bare context error when the caller's
		// context ends during a wait; giveUp names the request otherwise.
		if ctxErr := ctx.Err(); ctxErr != nil && !strings.HasPrefix(err.Error(), r.method+" ") {
			return nil, fmt.Errorf("%s %s: %w", r.method, x.path, ctxErr)
		}
		return nil, err
	}
	defer resp.Body.Close()
	requestID := resp.Header.Get("X-Request-Id")
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	elapsed := time.Since(start)
	if readErr != nil {
		if r.method == http.MethodPost && resp.StatusCode < 300 {
			return nil, &OutcomeUnknownError{Method: r.method, Path: x.path, Err: readErr}
		}
		return nil, &TransportError{Method: r.method, Path: x.path, Err: readErr, Endpoint: c.endpoint.Redacted(),
			Attempts: x.attempts, Elapsed: elapsed, Budget: c.budget}
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return &response{status: resp.StatusCode, header: resp.Header, body: data, requestID: requestID}, nil
	}
	apiErr := newError(r.method, x.path, resp.StatusCode, requestID, data)
	apiErr.contentType = resp.Header.Get("Content-Type")
	apiErr.Attempts, apiErr.Elapsed = x.attempts, elapsed
	apiErr.hint = c.statusHint(apiErr)
	// A 500, 502 or 504 to a create may come after the server acted.
	if r.method == http.MethodPost && isAmbiguousStatus(resp.StatusCode) {
		return nil, &OutcomeUnknownError{Method: r.method, Path: x.path, Err: apiErr}
	}
	return nil, apiErr
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

// eachPage follows metadata.next from the first page to the last, one
// request per page, and calls fn with each page's items. It stops early when
// fn returns false.
func eachPage[T any](ctx context.Context, c *Client, path string, query url.Values, fn func([]T) bool) error {
	q := url.Values{}
	for k, v := range query {
		for _, s := range v {
			if s != "" {
				q.Add(k, s)
			}
		}
	}
	q.Set("page_size", strconv.Itoa(PageSize))
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		var list List[T]
		if err := c.call(ctx, request{method: http.MethodGet, path: path, query: q}, &list); err != nil {
			return err
		}
		if !fn(list.Data) {
			return nil
		}
		next, err := pageToken(list.Metadata.Next)
		if err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		if next == "" {
			return nil
		}
		if seen[next] {
			return fmt.Errorf("GET %s: the server returned page token %q twice", path, next)
		}
		seen[next] = true
		q.Set("page_token", next)
	}
	return fmt.Errorf("GET %s: more than %d pages", path, maxPages)
}

// listAll follows metadata.next until the last page and returns every item.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, query, func(items []T) bool {
		all = append(all, items...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return all, nil
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
