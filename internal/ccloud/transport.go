// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// DefaultRequestTimeout is how long one request may go without any answer
// from the API, retries of refused connections and timeouts included,
// before it fails.
const DefaultRequestTimeout = 15 * time.Second

// failureKind sorts a request that got no HTTP answer by what a retry could
// change.
type failureKind int

const (
	// failNotSent: the connection was never made (refused, unreachable
	// network, dial timeout), so the server cannot have acted on it.
	failNotSent failureKind = iota
	// failNoAnswer: the request may have reached the server, but the
	// answer timed out or the connection dropped.
	failNoAnswer
	// failPermanent: retrying cannot help within seconds (the host name
	// does not resolve, the TLS handshake failed).
	failPermanent
)

// classifyTransportError decides how a transport failure is retried, and
// returns a short reason for permanent ones.
func classifyTransportError(err error) (failureKind, string) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return failPermanent, fmt.Sprintf("the host name %q does not resolve", dnsErr.Name)
		}
		// A resolver that timed out or failed for now may answer later.
		return failNotSent, ""
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostnameErr      x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		verifyErr        *tls.CertificateVerificationError
		recordErr        tls.RecordHeaderError
		alertErr         tls.AlertError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr), errors.As(err, &invalidCert),
		errors.As(err, &verifyErr):
		return failPermanent, "the server's TLS certificate is not valid for it"
	case errors.As(err, &recordErr), errors.As(err, &alertErr),
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return failPermanent, "the TLS handshake failed (is the endpoint's scheme, http or https, right?)"
	}
	if isDialError(err) {
		return failNotSent, ""
	}
	return failNoAnswer, ""
}

// unreachableMemory remembers that the endpoint recently gave no answer at
// all, so that the many requests of one Terraform run (a refresh reads
// every resource, and falls back from a list to a GET) do not each spend a
// full time budget on an endpoint that is down. A request started while the
// memory holds gets one attempt; any answer from the server clears it.
type unreachableMemory struct {
	mu    sync.Mutex
	until time.Time
	cause string
}

func (m *unreachableMemory) remember(now time.Time, hold time.Duration, cause string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.until, m.cause = now.Add(hold), cause
}

func (m *unreachableMemory) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.until, m.cause = time.Time{}, ""
}

// recent returns the cause of a recent failure, or "" when there is none.
func (m *unreachableMemory) recent(now time.Time) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Before(m.until) {
		return m.cause
	}
	return ""
}

// formatElapsed renders a duration for an error message: milliseconds below
// a second, tenths of a second above.
func formatElapsed(d time.Duration) string {
	// A refused connection on this machine fails in microseconds, which
	// would round to a misleading "0s".
	if d < time.Millisecond {
		return "under 1ms"
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// attemptsText renders "1 attempt" or "n attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
