// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Every request of the client, management and data plane, goes through a
// go-retryablehttp Client. The library runs the attempts and the waits
// between them; the policy stays the client's own and is given to it as
// hooks:
//
//   - CheckRetry (exchange.checkRetry) decides what may be retried: 429s and
//     5xx as checkRetryStatus says, transport failures by their kind
//     (classifyTransportError), never a create whose request may have
//     reached the server, and nothing past the request time budget.
//   - Backoff (exchange.backoff) waits as the server asks (Retry-After,
//     X-RateLimit-Reset) or exponentially with jitter.
//   - ErrorHandler (exchange.giveUp) turns the last failure into the
//     client's own errors (TransportError, OutcomeUnknownError).
//   - RequestLogHook and ResponseLogHook count the attempts and log each
//     answer through Config.Log, with no credentials and no bodies.
//
// The library's Backoff hook is given no context, so the state of one
// request (its budget, its attempts, the failure it got) cannot reach a
// shared Client's hooks. Each request therefore gets a Client of its own, a
// few words that share the one pooled *http.Client and its connections.

// exchange is one request across its attempts.
type exchange struct {
	c *Client
	// ctx is the caller's context, for the log records and errors.
	ctx          context.Context
	method, path string
	policy       retryPolicy
	// maxAttempts bounds attempts after transport failures; answers are
	// retried up to MaxRetries whatever it says.
	maxAttempts int
	// downCause is why the endpoint is thought unreachable, or "".
	downCause string
	start     time.Time
	// deadline is the end of the request time budget: how long the request
	// may still go without an answer.
	deadline time.Time
	attempts int
	// kind and reason describe the last transport failure; wait is the
	// wait checkRetry chose after it.
	kind   failureKind
	reason string
	wait   time.Duration
}

// exchangeKey carries the *exchange of a request in its context, for
// attemptTransport.
type exchangeKey struct{}

// retryClient returns the go-retryablehttp Client that carries x.
func (c *Client) retryClient(x *exchange) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:      c.http,
		Logger:          libraryLogger{ctx: x.ctx, log: c.log},
		RetryWaitMin:    c.retryWaitMin,
		RetryWaitMax:    c.retryWaitMax,
		RetryMax:        c.maxRetries,
		CheckRetry:      x.checkRetry,
		Backoff:         x.backoff,
		ErrorHandler:    x.giveUp,
		RequestLogHook:  x.beforeAttempt,
		ResponseLogHook: x.logAnswer,
	}
}

// beforeAttempt counts the attempt about to be made (the library numbers
// them from 0).
func (x *exchange) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, i int) {
	x.attempts = i + 1
}

// logAnswer logs an answer; the library calls it for every attempt that got
// one, retried or not.
func (x *exchange) logAnswer(_ retryablehttp.Logger, resp *http.Response) {
	x.c.debug(x.ctx, "Confluent Cloud API request", map[string]any{
		"method": x.method, "path": x.path, "status": resp.StatusCode, "attempt": x.attempts,
		"request_id": resp.Header.Get("X-Request-Id"), "duration_ms": time.Since(x.start).Milliseconds(),
	})
}

// checkRetry is the client's retry policy as the library's CheckRetry.
func (x *exchange) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		err = unwrapURLError(err)
		x.kind, x.reason = classifyTransportError(err)
		x.c.debug(x.ctx, "Confluent Cloud API request failed", map[string]any{
			"method": x.method, "path": x.path, "error": err.Error(), "attempt": x.attempts,
			"duration_ms": time.Since(x.start).Milliseconds(),
		})
		retry := x.kind == failNotSent || (x.kind == failNoAnswer && x.policy.idempotent)
		if !retry || x.attempts >= x.maxAttempts {
			return false, nil
		}
		wait := backoff(x.c.retryWaitMin, x.c.retryWaitMax, x.attempts-1, nil)
		// A retry needs time for its own attempt too; one that could only
		// start at the end of the budget is not made.
		if time.Now().Add(wait).Add(minAttemptWindow(x.c.budget)).After(x.deadline) {
			return false, nil
		}
		x.wait = wait
		return true, nil
	}
	// The server answered, so it is reachable.
	x.c.unreachable.forget()
	x.wait = 0
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return false, nil
	}
	return x.attempts < x.c.maxRetries+1 && checkRetryStatus(x.policy, resp.StatusCode), nil
}

// backoff is the library's Backoff: the wait checkRetry chose after a
// transport failure, or after an answer the wait the server asks for
// (Retry-After) or else exponential backoff. An answer renews the budget,
// because the server is there and said how long to wait.
func (x *exchange) backoff(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
	wait := x.wait
	if resp != nil {
		wait = backoff(minWait, maxWait, n, resp)
		x.deadline = time.Now().Add(wait).Add(x.c.budget)
	}
	x.c.debug(x.ctx, "retrying Confluent Cloud API request", map[string]any{
		"method": x.method, "path": x.path, "attempt": x.attempts + 1, "wait_ms": wait.Milliseconds(),
	})
	return wait
}

// giveUp is the library's ErrorHandler, called when the last attempt failed
// without an answer to hand back, or the caller's context ended.
func (x *exchange) giveUp(resp *http.Response, err error, _ int) (*http.Response, error) {
	if ctxErr := x.ctx.Err(); ctxErr != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, fmt.Errorf("%s %s: %w", x.method, x.path, ctxErr)
	}
	if resp != nil && err == nil {
		// An answer after the last retry: the caller decodes it.
		return resp, nil
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err == nil {
		err = errors.New("the request failed without an error")
	}
	err = unwrapURLError(err)
	c := x.c
	elapsed := time.Since(x.start)
	te := &TransportError{
		Method: x.method, Path: x.path, Err: err, Endpoint: c.endpoint.Redacted(),
		Attempts: x.attempts, Elapsed: elapsed, Budget: c.budget,
	}
	switch {
	case x.kind == failPermanent:
		te.Reason = "not retried: " + x.reason
	case x.downCause != "":
		te.Reason = "not retried: an earlier request to this endpoint got no answer either (" + x.downCause + ")"
	}
	// A create that timed out once is not retried, so one slow answer says
	// nothing of the endpoint; timeouts count only after retries.
	if x.kind == failPermanent || x.kind == failNotSent || (isTimeout(err) && x.attempts > 1) {
		c.unreachable.remember(time.Now(), c.budget, shortCause(err))
	}
	if x.method == http.MethodPost && x.kind == failNoAnswer {
		return nil, &OutcomeUnknownError{Method: x.method, Path: x.path, Err: te}
	}
	return nil, te
}

// unwrapURLError drops the *url.Error around a transport failure: it
// repeats the method and URL, which the client's errors name anyway.
func unwrapURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// attemptTransport bounds each attempt of a management request by what is
// left of its request time budget (at most Config.Timeout), reading the
// answer's body included: the attempt's context ends when the body is
// closed. It also keeps the library's CloseIdleConnections, which it calls
// whenever a request fails, from closing the warm connections that every
// other request of the process shares.
type attemptTransport struct {
	next http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	x, _ := req.Context().Value(exchangeKey{}).(*exchange)
	if x == nil {
		return t.next.RoundTrip(req)
	}
	timeout := min(x.c.attemptTimeout, max(time.Until(x.deadline), time.Millisecond))
	actx, cancel := context.WithTimeout(req.Context(), timeout)
	resp, err := t.next.RoundTrip(req.WithContext(actx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends an attempt's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// neverRetry is the CheckRetry of readiness probes: their polling owns the
// schedule.
func neverRetry(context.Context, *http.Response, error) (bool, error) { return false, nil }

// libraryLogger is the LeveledLogger given to go-retryablehttp, which
// otherwise logs to the process's standard error. The library logs the
// method and the URL (with any password in it redacted) and transport
// errors; never headers or bodies. Its debug records ("performing request",
// "retrying request") say less than the client's own records of every
// attempt and are dropped; its errors and warnings are passed to
// Config.Log without any field whose name suggests credentials, and with
// anything that looks like a secret redacted.
type libraryLogger struct {
	ctx context.Context
	log LogFunc
}

var _ retryablehttp.LeveledLogger = libraryLogger{}

func (l libraryLogger) Error(msg string, kv ...any) { l.forward(msg, kv) }
func (l libraryLogger) Warn(msg string, kv ...any)  { l.forward(msg, kv) }
func (l libraryLogger) Info(msg string, kv ...any)  { l.forward(msg, kv) }
func (libraryLogger) Debug(string, ...any)          {}

func (l libraryLogger) forward(msg string, kv []any) {
	if l.log == nil {
		return
	}
	fields := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		key := fmt.Sprint(kv[i])
		if sensitiveLogKey(key) {
			continue
		}
		fields[key] = redactLogValue(kv[i+1])
	}
	l.log(l.ctx, "go-retryablehttp: "+redactLogText(msg), fields)
}

// sensitiveLogKey reports a field that could hold a credential or a body.
func sensitiveLogKey(key string) bool {
	k := strings.ToLower(key)
	for _, word := range []string{"auth", "secret", "password", "token", "body", "header", "cookie"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

// redactLogValue renders v for a log record without user information in
// URLs or anything that looks like a secret.
func redactLogValue(v any) string {
	switch v := v.(type) {
	case *url.URL:
		if v == nil {
			return ""
		}
		return redactLogText(v.Redacted())
	case error:
		return redactLogText(v.Error())
	default:
		return redactLogText(fmt.Sprint(v))
	}
}

// basicCredentials matches an Authorization value of the Basic scheme.
var basicCredentials = regexp.MustCompile(`(?i)basic\s+[A-Za-z0-9+/=]+`)

func redactLogText(s string) string {
	s = basicCredentials.ReplaceAllString(s, "[redacted]")
	return secretLike.ReplaceAllString(s, "[redacted]")
}
