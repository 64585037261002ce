// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// newMockClient returns a client for a mock with short retry waits.
func newMockClient(t *testing.T, m *mockcloud.Server) *ccloud.Client {
	t.Helper()
	key, secret := m.Credentials()
	c, err := ccloud.New(ccloud.Config{
		Endpoint: m.URL(), APIKey: key, APISecret: secret,
		MaxRetries: 2, RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newTestEngine returns an engine that calls the mock through c.
func newTestEngine(c *ccloud.Client) *Engine {
	return New(Config{Client: c})
}

// newTestReadCache returns a read cache that lists through c.
func newTestReadCache(c *ccloud.Client) *ReadCache {
	return newReadCache(c, WallClock(), discardLogger{}, DefaultReadCacheTTL)
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
