// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestEachAPIKeyPage_PagesAndFilters lists 230 keys of two owners: one
// request per page of 100, the owner filter sent to the API, the owner kind
// and scope matched locally.
func TestEachAPIKeyPage_PagesAndFilters(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{Quotas: mockcloud.Quotas{
		CloudKeysPerServiceAccount: 1000, ClusterKeysPerServiceAccount: 1000, ClusterKeysPerUser: 100,
	}})
	sa := m.CreateServiceAccount("lister", "")
	kafka := &ccloud.ObjectReference{ID: mockcloud.DefaultKafkaClusterID, Environment: mockcloud.DefaultEnvironmentID}
	for i := range 200 {
		res := kafka
		if i%2 == 1 {
			res = nil
		}
		if _, err := m.CreateAPIKey(sa.ID, res, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	for range 30 {
		if _, err := m.CreateAPIKey(mockcloud.DefaultUserID, kafka, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	before := m.RequestCounts()["GET /iam/v2/api-keys"]
	var pages, kept int
	err := c.EachAPIKeyPage(ctx, ccloud.APIKeyQuery{Scope: ccloud.ScopeKafka, OwnerKind: ccloud.KindServiceAccount}, func(p ccloud.APIKeyPage) bool {
		pages++
		for _, k := range p.Keys {
			if k.Spec.Owner.ID != sa.ID || ccloud.ScopeOf(k.Spec.Resource) != ccloud.ScopeKafka {
				t.Errorf("key %s of %s (%s) kept", k.ID, k.Spec.Owner.ID, ccloud.ResourceID(k.Spec.Resource))
			}
			if k.Spec.Secret != "" {
				t.Errorf("key %s carries a secret", k.ID)
			}
		}
		kept += len(p.Keys)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	requests := m.RequestCounts()["GET /iam/v2/api-keys"] - before
	if pages != 3 || requests != 3 || kept != 100 {
		t.Fatalf("pages %d, requests %d, kept %d; want 3, 3, 100", pages, requests, kept)
	}

	// The owner filter is the API's: one page of the user's 30 keys.
	before = m.RequestCounts()["GET /iam/v2/api-keys"]
	kept = 0
	err = c.EachAPIKeyPage(ctx, ccloud.APIKeyQuery{Owner: mockcloud.DefaultUserID}, func(p ccloud.APIKeyPage) bool {
		kept += len(p.Keys)
		return true
	})
	if err != nil || kept != 30 || m.RequestCounts()["GET /iam/v2/api-keys"]-before != 1 {
		t.Fatalf("owner filter: kept %d, %d requests, %v", kept, m.RequestCounts()["GET /iam/v2/api-keys"]-before, err)
	}

	// A caller that has enough stops before the next request.
	before = m.RequestCounts()["GET /iam/v2/api-keys"]
	err = c.EachAPIKeyPage(ctx, ccloud.APIKeyQuery{}, func(ccloud.APIKeyPage) bool { return false })
	if err != nil || m.RequestCounts()["GET /iam/v2/api-keys"]-before != 1 {
		t.Fatalf("stopping: %d requests, %v", m.RequestCounts()["GET /iam/v2/api-keys"]-before, err)
	}
}

// TestEachAPIKeyPage_UnknownScope hands keys of a scope the client does not
// know to the caller apart, and clears any secret an answer carries.
func TestEachAPIKeyPage_UnknownScope(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ccloud.List[ccloud.APIKey]{Data: []ccloud.APIKey{
			{ID: "FOREIGN", Spec: ccloud.APIKeySpec{Secret: "s3cr3t", Resource: &ccloud.ObjectReference{ID: "lfcp-abc"}}},
			{ID: "KAFKA", Spec: ccloud.APIKeySpec{Secret: "s3cr3t", Resource: &ccloud.ObjectReference{ID: "lkc-abc"}}},
		}})
	}))
	t.Cleanup(srv.Close)
	c, err := ccloud.New(ccloud.Config{Endpoint: srv.URL, APIKey: "k", APISecret: "s", RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var got ccloud.APIKeyPage
	if err := c.EachAPIKeyPage(context.Background(), ccloud.APIKeyQuery{Scope: ccloud.ScopeKafka}, func(p ccloud.APIKeyPage) bool {
		got = p
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if len(got.Keys) != 1 || got.Keys[0].ID != "KAFKA" || len(got.Unknown) != 1 || got.Unknown[0].ID != "FOREIGN" {
		t.Fatalf("got %+v", got)
	}
	if got.Keys[0].Spec.Secret != "" || got.Unknown[0].Spec.Secret != "" {
		t.Fatal("a listed key kept its secret")
	}
}

// TestEachServiceAccountPage_DisplayName sends the name filter to the API.
func TestEachServiceAccountPage_DisplayName(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	for _, n := range []string{"a b", "c", "a"} {
		m.CreateServiceAccount(n, "")
	}
	var names []string
	if err := c.EachServiceAccountPage(context.Background(), "a b", func(p []ccloud.ServiceAccount) bool {
		for _, sa := range p {
			names = append(names, sa.DisplayName)
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "a b" {
		t.Fatalf("got %q", names)
	}
}
