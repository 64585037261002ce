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
)

// DefaultEndpoint is the production Confluent Cloud API.
const DefaultEndpoint = "https://api.confluent.cloud"

// Defaults for Config fields left at their zero value.
const (
	DefaultMaxRetries   = 8
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	DefaultTimeout      = 60 * time.Second
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
	http      *retryablehttp.Client
	probe     *http.Client

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
		base.Timeout = cfg.Timeout
		// cleanhttp keeps GOMAXPROCS+1 idle connections per host, fewer than
		// Terraform's default parallelism of 10, so a busy apply would keep
		// opening new TLS connections to the one API host.
		if t, ok := base.Transport.(*http.Transport); ok {
			t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		}
	}
	rc := &retryablehttp.Client{
		HTTPClient:   base,
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		// The last response, or the last transport error, is handed back
		// as it is so that it becomes a typed error with the API's detail
		// and request ID instead of a generic "giving up" message.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	c := &Client{
		endpoint:  u,
		apiKey:    cfg.APIKey,
		apiSecret: cfg.APISecret,
		userAgent: cfg.UserAgent,
		log:       cfg.Log,
		http:      rc,
		probe:     &http.Client{Transport: base.Transport, Timeout: 15 * time.Second},
	}
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			c.debug(req.Context(), "retrying Confluent Cloud API request", map[string]any{
				"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
			})
		}
	}
	return c, nil
}

// Endpoint returns the base URL of the management API.
func (c *Client) Endpoint() string { return c.endpoint.String() }

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, msg, fields)
	}
}

type retryPolicyKey struct{}

// retryPolicy tells checkRetry what may be retried for one request.
type retryPolicy struct {
	// idempotent requests (GET, PATCH, DELETE) are retried on transport
	// errors, 429 and 5xx except 501.
	idempotent bool
}

// checkRetry decides whether a request is sent again. A POST is retried only
// where the server cannot have acted on it: a refused connection, a 429, or a
// 503 (which Confluent Cloud and the mock answer before doing any work). A
// POST whose response was lost is never retried here; the caller reconciles
// it instead, because retrying blindly could create a second object.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	policy, _ := ctx.Value(retryPolicyKey{}).(retryPolicy)
	if err != nil {
		if isDialError(err) {
			return true, nil
		}
		return policy.idempotent, nil
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode == http.StatusServiceUnavailable:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return policy.idempotent, nil
	}
	return false, nil
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
	ctx = context.WithValue(ctx, retryPolicyKey{}, retryPolicy{idempotent: r.method != http.MethodPost})
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, target, payload)
	if err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", r.method, r.path, err)
	}
	req.SetBasicAuth(c.apiKey, c.apiSecret)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	path := req.URL.Path
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, path, ctxErr)
		}
		c.debug(ctx, "Confluent Cloud API request failed", map[string]any{
			"method": r.method, "path": path, "error": err.Error(), "duration_ms": time.Since(start).Milliseconds(),
		})
		if r.method == http.MethodPost && !isDialError(err) {
			return nil, &OutcomeUnknownError{Method: r.method, Path: path, Err: err}
		}
		return nil, &TransportError{Method: r.method, Path: path, Err: err}
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	requestID := resp.Header.Get("X-Request-Id")
	c.debug(ctx, "Confluent Cloud API request", map[string]any{
		"method": r.method, "path": path, "status": resp.StatusCode,
		"request_id": requestID, "duration_ms": time.Since(start).Milliseconds(),
	})
	if readErr != nil {
		if r.method == http.MethodPost && resp.StatusCode < 300 {
			return nil, &OutcomeUnknownError{Method: r.method, Path: path, Err: readErr}
		}
		return nil, &TransportError{Method: r.method, Path: path, Err: readErr}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newError(r.method, path, resp.StatusCode, requestID, body)
		// A 500, 502 or 504 to a create may come after the server acted.
		if r.method == http.MethodPost && isAmbiguousStatus(resp.StatusCode) {
			return nil, &OutcomeUnknownError{Method: r.method, Path: path, Err: apiErr}
		}
		return nil, apiErr
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body, requestID: requestID}, nil
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
		return fmt.Errorf("%s %s: decoding response (request ID %s): %w", r.method, r.path, orNone(resp.requestID), err)
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
