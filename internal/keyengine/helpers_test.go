// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// newMockClient returns a client for a mock with short retry waits.
func newMockClient(t *testing.T, m *mockcloud.Server) *ccloud.Client {
	t.Helper()
	key, secret := m.Credentials()
	c, err := ccloud.New(ccloud.Config{
		Endpoint: m.URL(), APIKey: key, APISecret: secret, HTTPClient: m.HTTPClient(),
		MaxRetries: 2, RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newBubbleMock starts a mock on an in-memory network and returns it with a
// client of it, for tests in a testing/synctest bubble: the mock's clock,
// its propagation delays, the client's retry waits and the engine's timers
// all run on the bubble's virtual time, so a test of seconds takes
// milliseconds and its counts are exact on a loaded machine. Call it inside
// the bubble.
func newBubbleMock(t *testing.T, opts mockcloud.Options) (*mockcloud.Server, *ccloud.Client) {
	t.Helper()
	m := mockcloud.StartPipe(t, opts)
	return m, newMockClient(t, m)
}

// newBubbleEngine returns an engine that calls the bubble's mock through c.
// When the test ends, its context's cancellation sends every lease keeper
// still running to expire its lease; the cleanup waits for them in the
// bubble's time, since a bubble whose test returned cannot advance its
// clock for the keepers' retries.
func newBubbleEngine(t *testing.T, c *ccloud.Client) *Engine {
	t.Helper()
	e := New(Config{Client: c})
	t.Cleanup(func() {
		for deadline := time.Now().Add(time.Hour); e.pendingCount() > 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
	})
	return e
}

// pendingCount returns how many keys e keeps a lease for.
func (e *Engine) pendingCount() int {
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	return len(e.pending)
}

// newTestEngine returns an engine that calls the mock through c.
func newTestEngine(c *ccloud.Client) *Engine {
	return New(Config{Client: c})
}

// newTestReadCache returns a read cache that lists through c.
func newTestReadCache(c *ccloud.Client) *ReadCache {
	return newReadCache(c, clock.Real(), discardLogger{}, DefaultReadCacheTTL)
}

// funcLister lists keys with a function and has no service accounts.
type funcLister func(ctx context.Context, owner string) ([]ccloud.APIKey, error)

func (f funcLister) ListAPIKeys(ctx context.Context, filter ccloud.APIKeyFilter) ([]ccloud.APIKey, error) {
	return f(ctx, filter.Owner)
}

func (f funcLister) ListServiceAccounts(context.Context, ...string) ([]ccloud.ServiceAccount, error) {
	return nil, nil
}

// cloudTarget probes the Cloud management API, which needs no lookup.
func cloudTarget(c *ccloud.Client) Target {
	return Target{Scope: ccloud.ScopeCloud, Lookup: func(context.Context) (string, error) { return c.CloudProbeURL(), nil }}
}
