// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// The readiness wait itself lives in internal/keyengine; this file maps a
// scope's arguments to the endpoint the engine probes, and the engine's
// errors to what a Terraform user is told.

// target is the endpoint a key of this scope with these arguments is probed
// at. The arguments, sorted, identify the endpoint in the engine's cache.
func (s *apiKeyScope) target(c *ccloud.Client, v scopeValues) keyengine.Target {
	names := make([]string, 0, len(v))
	for k, val := range v {
		names = append(names, k+"="+val)
	}
	sort.Strings(names)
	return keyengine.Target{
		Scope:    s.scope,
		Resource: strings.Join(names, ","),
		Lookup:   func(ctx context.Context) (string, error) { return s.probeURL(ctx, c, v) },
	}
}

// probeEndpointError is a failed look-up of the endpoint a new key would be
// probed at, made before the key is created: nothing exists yet, so the
// user is told so, not asked to clean up.
type probeEndpointError struct{ err error }

func (e *probeEndpointError) Error() string { return e.err.Error() }
func (e *probeEndpointError) Unwrap() error { return e.err }

// checkProbeEndpoint resolves target's probe URL before a key is created,
// when the key is to be waited for. The URL comes from an API answer (a
// cluster's http_endpoint), and the readiness probes send the new key's
// secret there, so an endpoint the probes must refuse (plain http:// to a
// host that is not a loopback address) or one that cannot be found fails
// the create before it starts: no key is made only to be tainted and
// deleted, and no apply loops creating keys that can never be checked. The
// engine caches the URL, so the wait that follows does not look it up
// again. The error is a *probeEndpointError.
func checkProbeEndpoint(ctx context.Context, engine *keyengine.Engine, target keyengine.Target) error {
	if _, err := engine.ProbeURL(ctx, target); err != nil {
		return &probeEndpointError{err: err}
	}
	return nil
}

// probeEndpointErrorDetail explains a *probeEndpointError: no key was
// created. It never holds a secret: the URL is redacted, and no key exists.
func probeEndpointErrorDetail(typeName string, err error) string {
	var plain *ccloud.PlainHTTPError
	if errors.As(err, &plain) {
		return fmt.Sprintf("No API key was created. The endpoint Confluent Cloud returned for checking that the new "+
			"key works, %s, uses http:// with the host %q, which is not a loopback address; the check sends the "+
			"key's secret, which plain HTTP would carry in clear text, so the provider refuses it and sent nothing "+
			"there. Use an endpoint served over https://, or set wait_for_ready = false on this %s to skip the check.",
			plain.URL, plain.Host, typeName)
	}
	return fmt.Sprintf("No API key was created: the endpoint to check a new key against could not be found: %v. "+
		"Set wait_for_ready = false on this %s to skip the check.", err, typeName)
}

// readinessErrorDetail explains a failed wait and what to do about it. The
// key is already in state at this point, so the resource ends up tainted;
// its create lease has ended, so the next run deletes it (see
// internal/keyengine) and creates a new one. A plain-HTTP endpoint never
// gets here: checkProbeEndpoint refused it before the key was created, and
// the wait reuses the URL it checked.
func readinessErrorDetail(typeName, keyID string, timeout time.Duration, err error) string {
	var b strings.Builder
	var unreachable *ccloud.ProbeUnreachableError
	var re *keyengine.ReadinessError
	switch {
	case errors.Is(err, keyengine.ErrInterrupted):
		fmt.Fprintf(&b, "The run was interrupted while waiting for the new API key %s to work. The key is saved in "+
			"state and marked tainted, so the next apply deletes it and creates a new one.", keyID)
		return b.String()
	case errors.Is(err, keyengine.ErrKeyDeleted):
		fmt.Fprintf(&b, "API key %s was deleted while the provider waited for it to work (revoked, or its owner or "+
			"resource was deleted). The next apply creates a new key if the owner and resource still exist.", keyID)
		return b.String()
	case errors.As(err, &unreachable):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works failed: the provider cannot reach %s "+
			"(%v), and it has not answered at all since the wait began. This usually means the endpoint is private "+
			"(for example a cluster behind private networking) and not reachable from where Terraform runs. Set "+
			"wait_for_ready = false on this %s to skip the check.",
			keyID, unreachable.URL, unreachable.Err, typeName)
	case errors.Is(err, keyengine.ErrProbeTimeout) && errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created but did not authenticate at %s within the create timeout of %s "+
			"(%d checks). Confluent Cloud usually propagates new keys within a few minutes; raise timeouts { create }.",
			keyID, re.URL, timeout, re.Probes)
	case errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works at %s failed: %v.", keyID, re.URL, re.Err)
	default:
		fmt.Fprintf(&b, "API key %s was created, but the endpoint to check it against could not be found: %v. Set "+
			"wait_for_ready = false to skip the check.", keyID, err)
	}
	b.WriteString("\n\nThe key is saved in state and marked tainted, so the next apply deletes it and creates a " +
		"new one; no key is left behind untracked.")
	return b.String()
}
