// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Error is a non-2xx answer from the API. Its text names the call, the HTTP
// status, the API's errors[].detail and the request ID, and never holds
// credentials.
type Error struct {
	Method     string
	Path       string
	StatusCode int
	RequestID  string
	Errors     []ErrorItem
	// Attempts and Elapsed say how many attempts the request took and how
	// long; zero when unknown.
	Attempts int
	Elapsed  time.Duration
	// raw is a short, redacted excerpt of a body that was not the error
	// envelope, such as a proxy's HTML page.
	raw         string
	contentType string
	// hint tells the user what to do about this answer; see statusHint.
	hint string
}

func newError(method, path string, status int, requestID string, body []byte) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status, RequestID: requestID}
	var f Failure
	if len(body) > 0 && json.Unmarshal(body, &f) == nil && len(f.Errors) > 0 {
		e.Errors = f.Errors
	} else if len(body) > 0 {
		e.raw = excerpt(string(body))
	}
	return e
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if d := e.Detail(); d != "" {
		b.WriteString(": ")
		b.WriteString(d)
	}
	fmt.Fprintf(&b, " (request ID %s)", orNone(e.RequestID))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %s in %s", attemptsText(e.Attempts), formatElapsed(e.Elapsed))
	}
	if e.hint != "" {
		b.WriteString(". ")
		b.WriteString(e.hint)
	}
	return b.String()
}

// Detail joins the details of every error in the envelope, falling back to
// titles and codes where the API gave no detail.
func (e *Error) Detail() string {
	var parts []string
	for _, item := range e.Errors {
		switch {
		case item.Detail != "":
			parts = append(parts, item.Detail)
		case item.Title != "":
			parts = append(parts, item.Title)
		case item.Code != "":
			parts = append(parts, item.Code)
		}
	}
	if len(parts) == 0 && e.raw != "" {
		return e.raw
	}
	return strings.Join(parts, "; ")
}

// Code returns the first error's application code, if any.
func (e *Error) Code() string {
	for _, item := range e.Errors {
		if item.Code != "" {
			return item.Code
		}
	}
	return ""
}

// secretLike matches anything that could be an API secret, so that no
// excerpt of an unexpected body can carry one into an error message.
var secretLike = regexp.MustCompile(`[A-Za-z0-9+/]{32,}`)

func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = secretLike.ReplaceAllString(s, "[redacted]")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// TransportError is a request that got no HTTP answer (connection refused,
// reset, timed out, unknown host) after all retries.
type TransportError struct {
	Method string
	Path   string
	Err    error
	// Endpoint is the API base URL, without any user information.
	Endpoint string
	// Attempts and Elapsed say how many attempts were made and how long
	// they took; Budget is the request time budget they ran under.
	Attempts int
	Elapsed  time.Duration
	Budget   time.Duration
	// Reason says why the request was not retried further, when that was
	// not the end of the budget or of the retries.
	Reason string
}

// Error implements error.
func (e *TransportError) Error() string {
	if e.Endpoint == "" {
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: no answer from %s: %v (%s in %s", e.Method, e.Path, e.Endpoint, e.Err,
		attemptsText(e.Attempts), formatElapsed(e.Elapsed))
	if e.Reason != "" {
		fmt.Fprintf(&b, "; %s", e.Reason)
	} else if e.Budget > 0 {
		fmt.Fprintf(&b, "; the request time budget is %s, set by request_timeout", e.Budget)
	}
	b.WriteString("). Check that the provider's endpoint is the Confluent Cloud API (" + DefaultEndpoint +
		") and that this machine can reach it.")
	return b.String()
}

// Unwrap returns the underlying transport error.
func (e *TransportError) Unwrap() error { return e.Err }

// OutcomeUnknownError is a write whose request may have reached the server
// but whose answer was lost, so the client cannot know whether it took
// effect. Callers that create objects reconcile before trying again.
type OutcomeUnknownError struct {
	Method string
	Path   string
	Err    error
}

// Error implements error.
func (e *OutcomeUnknownError) Error() string {
	// The cause usually names the same request already; say it once.
	cause := strings.TrimPrefix(e.Err.Error(), e.Method+" "+e.Path+": ")
	return fmt.Sprintf("%s %s: the outcome is unknown, the response was lost: %s", e.Method, e.Path, cause)
}

// Unwrap returns the underlying error.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

func apiError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// StatusCode returns the HTTP status of an API error, or 0.
func StatusCode(err error) int {
	if e, ok := apiError(err); ok {
		return e.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 from the API. A 403 is never "not found": it may
// be a permissions problem, and treating it as gone would drop live objects.
// Nor is a 404 that is not the API's JSON answer, such as a web server's
// page at a wrong endpoint, which knows nothing of the object.
func IsNotFound(err error) bool {
	e, ok := apiError(err)
	return ok && e.StatusCode == http.StatusNotFound && !e.notAPI()
}

// IsForbidden reports a 403 from the API, with the same rule as IsNotFound
// for answers that are not the API's.
func IsForbidden(err error) bool {
	e, ok := apiError(err)
	return ok && e.StatusCode == http.StatusForbidden && !e.notAPI()
}

// IsConflict reports a 409.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

// IsUnauthorized reports bad credentials: a 401, or a 403 whose detail says
// the API key is invalid.
func IsUnauthorized(err error) bool {
	e, ok := apiError(err)
	if !ok {
		return false
	}
	if e.StatusCode == http.StatusUnauthorized {
		return true
	}
	return e.StatusCode == http.StatusForbidden && strings.Contains(strings.ToLower(e.Detail()), "invalid api key")
}

// quotaPattern is how Confluent Cloud words a quota in error details; some
// quota errors come as 400 rather than 402.
var quotaPattern = regexp.MustCompile(`(?i)is currently limited to`)

// IsQuotaExceeded reports a quota error: a 402, a quota_exceeded code, or a
// 400 whose detail says a quota limits the request.
func IsQuotaExceeded(err error) bool {
	e, ok := apiError(err)
	if !ok {
		return false
	}
	return e.StatusCode == http.StatusPaymentRequired || e.Code() == "quota_exceeded" ||
		(e.StatusCode == http.StatusBadRequest && quotaPattern.MatchString(e.Detail()))
}

// IsOutcomeUnknown reports a write whose effect is unknown.
func IsOutcomeUnknown(err error) bool {
	var e *OutcomeUnknownError
	return errors.As(err, &e)
}
