// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Every request this package sends carries an API key and its secret as
// Basic credentials: the provider's own on the management API, a new key's
// on the readiness probes. Plain HTTP would send them in clear text, so a
// secret goes over http:// only to a loopback host (a local mock, or a
// local TLS proxy), where it never leaves the machine. The management
// endpoint is checked when the provider is configured; data-plane URLs come
// from API answers (a cluster's HTTP endpoint, a Flink region's), so every
// probe URL is checked before a secret is sent to it.

// PlainHTTPError refuses a URL that would carry a secret over plain HTTP to
// a host that is not a loopback address. It holds the URL without userinfo
// and never a secret.
type PlainHTTPError struct {
	// URL is the refused URL, redacted.
	URL string
	// Host is its host name or address.
	Host string
}

// Error implements error.
func (e *PlainHTTPError) Error() string {
	return fmt.Sprintf("refusing to send an API key and secret over plain HTTP to %s: the host %q is not a "+
		"loopback address, and http:// would carry the secret in clear text; only https:// is used for other "+
		"hosts, and nothing was sent", e.URL, e.Host)
}

// CheckSecretTransport returns a *PlainHTTPError when target is an http://
// URL whose host is not a loopback address, and nil otherwise. Malformed
// URLs and other schemes are left to the HTTP client, which sends nothing
// for them either.
func CheckSecretTransport(target string) error {
	u, err := url.Parse(target)
	if err != nil || !strings.EqualFold(u.Scheme, "http") || IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return &PlainHTTPError{URL: u.Redacted(), Host: u.Hostname()}
}

// IsLoopbackHost reports whether host is "localhost" or a loopback IP
// address. Other names are not resolved: what a name resolves to can
// change, and the check must not depend on DNS.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
