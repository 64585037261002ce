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
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// ErrNotReady is returned by Probe while a new key does not authenticate
// yet: the API answered 401.
var ErrNotReady = errors.New("the key does not authenticate yet")

// ErrForbidden is returned by Probe when the key authenticates but its
// owner may not make the probe's request: the API answered 403. The key
// works; its owner lacks a role binding or ACL.
var ErrForbidden = errors.New("the key authenticates, but its owner is not authorised for the probe's request")

// ProbeUnreachableError is a probe that got no HTTP answer, for example
// because a private cluster's endpoint cannot be reached from this machine.
type ProbeUnreachableError struct {
	URL string
	Err error
}

// Error implements error.
func (e *ProbeUnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err)
}

// Unwrap returns the transport error.
func (e *ProbeUnreachableError) Unwrap() error { return e.Err }

// Probe sends one GET to a data-plane or management URL authenticated with
// a key's own credentials, to learn whether the key works yet. It does not
// retry: readiness polling owns the schedule. It returns nil on 2xx,
// ErrNotReady on 401, ErrForbidden on 403, a *ProbeUnreachableError when no
// answer came, and an *Error for any other status; a *PlainHTTPError, with
// nothing sent, for an http:// target that is not a loopback host.
func (c *Client) Probe(ctx context.Context, target, keyID, secret string) error {
	// Every probe passes here, so no caller can send a secret over plain
	// HTTP to a remote host (see plain_http.go).
	if err := CheckSecretTransport(target); err != nil {
		return err
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("building probe request for %s: %w", target, err)
	}
	req.SetBasicAuth(keyID, secret)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	// One attempt: readiness polling owns the schedule.
	probe := &retryablehttp.Client{
		HTTPClient: c.probe, Logger: libraryLogger{ctx: ctx, log: c.log},
		RetryMax: 0, CheckRetry: neverRetry, ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := probe.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The url.Error repeats the URL; keep only its cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return &ProbeUnreachableError{URL: target, Err: err}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	c.debug(ctx, "readiness probe", map[string]any{
		"url": target, "key_id": keyID, "status": resp.StatusCode, "request_id": resp.Header.Get("X-Request-Id"),
	})
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return nil
	case resp.StatusCode == http.StatusUnauthorized:
		return ErrNotReady
	case resp.StatusCode == http.StatusForbidden:
		return ErrForbidden
	}
	u, _ := url.Parse(target)
	path := target
	if u != nil {
		path = u.Path
	}
	return newError(http.MethodGet, path, resp.StatusCode, resp.Header.Get("X-Request-Id"), body)
}

func joinURL(base string, parts ...string) string {
	out := strings.TrimRight(base, "/")
	for _, p := range parts {
		out += "/" + strings.Trim(p, "/")
	}
	return out
}

// KafkaProbeURL is the Kafka REST call that proves a Kafka key works: list
// the cluster's topics.
func KafkaProbeURL(httpEndpoint, clusterID string) string {
	return joinURL(httpEndpoint, "kafka/v3/clusters", url.PathEscape(clusterID), "topics")
}

// SchemaRegistryProbeURL lists subjects, which any valid key may do.
func SchemaRegistryProbeURL(httpEndpoint string) string {
	return joinURL(httpEndpoint, "subjects")
}

// KsqlDBProbeURL reads the server info of a ksqlDB cluster.
func KsqlDBProbeURL(httpEndpoint string) string {
	return joinURL(httpEndpoint, "info")
}

// FlinkProbeURL lists the Flink statements of an environment in a region.
func FlinkProbeURL(httpEndpoint, orgID, envID string) string {
	return joinURL(httpEndpoint, "sql/v1/organizations", url.PathEscape(orgID), "environments", url.PathEscape(envID), "statements")
}

// TableflowProbeURL lists Tableflow regions on the management API.
func (c *Client) TableflowProbeURL() string {
	return joinURL(c.endpoint.String(), tableflowRegionsPath)
}

// CloudProbeURL lists environments on the management API, which every
// Cloud key may do.
func (c *Client) CloudProbeURL() string {
	return joinURL(c.endpoint.String(), environmentsPath)
}
