// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

const cacheKeyGetRoute = "GET /iam/v2/api-keys/{id}"

// laggingLister answers every list with nothing, like lists that lag
// behind the writes they should show.
type laggingLister struct{}

func (laggingLister) ListAPIKeys(context.Context, ccloud.APIKeyFilter) ([]ccloud.APIKey, error) {
	return nil, nil
}

func (laggingLister) ListServiceAccounts(context.Context, ...string) ([]ccloud.ServiceAccount, error) {
	return nil, nil
}

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

// seedKeys creates n Kafka keys for a new service account and returns the
// account's ID and the keys.
func seedKeys(t *testing.T, m *mockcloud.Server, name string, n int) (string, []ccloud.APIKey) {
	t.Helper()
	sa := m.CreateServiceAccount(name, "")
	keys := make([]ccloud.APIKey, 0, n)
	for i := range n {
		k, err := m.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"},
			fmt.Sprintf("%s-%d", name, i), "")
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return sa.ID, keys
}

// TestAPIKeyRead_listFallback runs the resource's Read against lists that
// miss the key: a key missing from a list that lags behind its creation
// stays in state (read by GET), a key the GET says is gone is removed, and a
// key in the list is read without a GET.
func TestAPIKeyRead_listFallback(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	c := newMockClient(t, m)
	owner, keys := seedKeys(t, m, "app", 2)
	gone := keys[1].ID
	if err := m.DeleteAPIKey(gone); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	read := func(t *testing.T, engine *keyengine.Engine, id string) *resource.ReadResponse {
		t.Helper()
		r := newAPIKeyResource(ccloud.ScopeKafka)
		r.data = &providerData{client: c, now: time.Now, engine: engine, reads: engine.Reads()}
		st := storedModel(time.Now(), "")
		st.OwnerID = types.StringValue(owner)
		st.ID = types.StringValue(id)
		st.RotationPeriod = types.StringNull()
		st.RotationDueAt = types.StringNull()
		st.scope["cluster_id"] = types.StringValue("lkc-q1ck5t")
		st.scope["environment_id"] = types.StringValue("env-q1ck5t")
		state := toState(t, r, st)
		resp := &resource.ReadResponse{State: state}
		r.Read(ctx, resource.ReadRequest{State: state}, resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		return resp
	}
	lagging := keyengine.New(keyengine.Config{Client: c, ReadLister: laggingLister{}})

	t.Run("missing from a lagging list", func(t *testing.T) {
		before := m.RequestCounts()[cacheKeyGetRoute]
		resp := read(t, lagging, keys[0].ID)
		if resp.State.Raw.IsNull() {
			t.Fatal("a live key missing from the list was removed from state")
		}
		var out apiKeyModel
		r := newAPIKeyResource(ccloud.ScopeKafka)
		if d := r.get(ctx, resp.State, &out); d.HasError() {
			t.Fatal(d)
		}
		if out.DisplayName.ValueString() != keys[0].Spec.DisplayName || out.CreatedAt.IsNull() {
			t.Errorf("state after the GET fallback: name %s, created_at %s", out.DisplayName, out.CreatedAt)
		}
		if n := m.RequestCounts()[cacheKeyGetRoute] - before; n != 1 {
			t.Errorf("the fallback made %d GET calls, want 1", n)
		}
	})
	t.Run("gone", func(t *testing.T) {
		if resp := read(t, lagging, gone); !resp.State.Raw.IsNull() {
			t.Error("a key the GET says is gone stayed in state")
		}
	})
	t.Run("listed", func(t *testing.T) {
		before := m.RequestCounts()[cacheKeyGetRoute]
		if resp := read(t, keyengine.New(keyengine.Config{Client: c}), keys[0].ID); resp.State.Raw.IsNull() {
			t.Fatal("a listed key was removed from state")
		}
		if n := m.RequestCounts()[cacheKeyGetRoute] - before; n != 0 {
			t.Errorf("a listed key made %d GET calls, want none", n)
		}
	})
}
