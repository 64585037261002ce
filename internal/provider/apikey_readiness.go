// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Readiness polling starts at once and backs off exponentially up to a short
// cap, so that a key which needs a propagation delay D is seen working
// within about D plus one cap, while the number of probes stays bounded
// (roughly D/cap). Fixed sleeps, as the official provider uses, either
// waste minutes or give up too early.
const (
	readinessFirstWait = 100 * time.Millisecond
	readinessMaxWait   = time.Second
	// readinessMaxErrors is how many unexpected answers in a row (neither
	// "not yet" nor success) end the wait.
	readinessMaxErrors = 5
)

// probeURLCacheKey identifies one endpoint lookup. The client is part of the
// key because the same IDs mean different things behind different
// endpoints and credentials.
type probeURLCacheKey struct {
	client *ccloud.Client
	scope  ccloud.Scope
	values string
}

// probeURLCache remembers the probe URL of each resource for the life of the
// provider process: endpoints do not change, and an apply that creates many
// keys for one cluster then looks the cluster up once.
var probeURLCache sync.Map

func (s *apiKeyScope) cachedProbeURL(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
	names := make([]string, 0, len(v))
	for k, val := range v {
		names = append(names, k+"="+val)
	}
	sort.Strings(names)
	key := probeURLCacheKey{client: c, scope: s.scope, values: strings.Join(names, ",")}
	if u, ok := probeURLCache.Load(key); ok {
		return u.(string), nil
	}
	u, err := s.probeURL(ctx, c, v)
	if err != nil {
		return "", err
	}
	probeURLCache.Store(key, u)
	return u, nil
}

// errProbeTimeout is the end of a wait whose deadline passed before the key
// worked.
var errProbeTimeout = errors.New("the key did not authenticate before the create timeout")

// readinessError says why a new key was not seen working. It never holds the
// secret.
type readinessError struct {
	url    string
	probes int
	err    error
}

func (e *readinessError) Error() string {
	return fmt.Sprintf("readiness check at %s after %d probes: %v", e.url, e.probes, e.err)
}

func (e *readinessError) Unwrap() error { return e.err }

// waitForKeyReady polls target with the key's own credentials until it
// authenticates, ctx ends, or the probe fails in a way that waiting will not
// fix.
func waitForKeyReady(ctx context.Context, c *ccloud.Client, target, keyID, secret string) error {
	wait := readinessFirstWait
	probes, unexpected := 0, 0
	start := time.Now()
	for {
		probes++
		err := c.Probe(ctx, target, keyID, secret)
		var unreachable *ccloud.ProbeUnreachableError
		switch {
		case err == nil:
			tflog.Debug(ctx, "new API key authenticates", map[string]any{
				"key_id": keyID, "url": target, "probes": probes, "waited_ms": time.Since(start).Milliseconds(),
			})
			return nil
		case ctx.Err() != nil:
			return &readinessError{url: target, probes: probes, err: errProbeTimeout}
		case errors.Is(err, ccloud.ErrNotReady):
			unexpected = 0
		case errors.As(err, &unreachable):
			return &readinessError{url: target, probes: probes, err: err}
		default:
			unexpected++
			if unexpected >= readinessMaxErrors {
				return &readinessError{url: target, probes: probes, err: err}
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return &readinessError{url: target, probes: probes, err: errProbeTimeout}
		case <-timer.C:
		}
		wait = min(2*wait, readinessMaxWait)
	}
}

// readinessErrorDetail explains a failed wait and what to do about it. The
// key is already in state at this point, so the resource ends up tainted.
func readinessErrorDetail(typeName, keyID string, timeout time.Duration, err error) string {
	var b strings.Builder
	var unreachable *ccloud.ProbeUnreachableError
	var re *readinessError
	switch {
	case errors.As(err, &unreachable):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works failed: the provider cannot reach %s "+
			"(%v). This usually means the endpoint is private (for example a cluster behind private networking) "+
			"and not reachable from where Terraform runs. Set wait_for_ready = false on this %s to skip the check.",
			keyID, unreachable.URL, unreachable.Err, typeName)
	case errors.Is(err, errProbeTimeout) && errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created but did not authenticate at %s within the create timeout of %s "+
			"(%d checks). Confluent Cloud usually propagates new keys within a few minutes; raise timeouts { create } "+
			"or set wait_for_ready = false to skip the check.", keyID, re.url, timeout, re.probes)
	case errors.As(err, &re):
		fmt.Fprintf(&b, "API key %s was created, but checking that it works at %s failed: %v. Set wait_for_ready = "+
			"false to skip the check.", keyID, re.url, re.err)
	default:
		fmt.Fprintf(&b, "API key %s was created, but the endpoint to check it against could not be found: %v. Set "+
			"wait_for_ready = false to skip the check.", keyID, err)
	}
	b.WriteString("\n\nThe key is saved in state and marked tainted, so the next apply replaces it and deletes " +
		"this key; no key is left behind untracked.")
	return b.String()
}
