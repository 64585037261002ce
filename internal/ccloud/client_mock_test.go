// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// These tests run the client against the full mock backend.

func mockClient(t *testing.T, opts mockcloud.Options) (*ccloud.Client, *mockcloud.Server) {
	t.Helper()
	m := mockcloud.Start(t, opts)
	key, secret := m.Credentials()
	c, err := ccloud.New(ccloud.Config{
		Endpoint: m.URL(), APIKey: key, APISecret: secret,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, m
}

func TestClientServiceAccountLifecycle(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa, err := c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "orders service", Description: "first"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sa.ID, "sa-") || sa.Metadata.CreatedAt == nil || sa.Kind != "ServiceAccount" {
		t.Fatalf("unexpected create answer %+v", sa)
	}
	name := "orders-service"
	updated, err := c.UpdateServiceAccount(ctx, sa.ID, ccloud.ServiceAccountUpdate{DisplayName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if updated.DisplayName != name || updated.Description != "first" {
		t.Fatalf("PATCH of the name changed other fields: %+v", updated)
	}
	empty := ""
	cleared, err := c.UpdateServiceAccount(ctx, sa.ID, ccloud.ServiceAccountUpdate{Description: &empty})
	if err != nil || cleared.Description != "" {
		t.Fatalf("clearing the description: %+v, %v", cleared, err)
	}
	got, err := c.GetServiceAccount(ctx, sa.ID)
	if err != nil || got.DisplayName != name {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if err := c.DeleteServiceAccount(ctx, sa.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetServiceAccount(ctx, sa.ID); !ccloud.IsNotFound(err) {
		t.Fatalf("deleted SA: want 404, got %v", err)
	}
}

func TestClientServiceAccountConflict(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	if _, err := c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "dup"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "dup"})
	if !ccloud.IsConflict(err) || !strings.Contains(err.Error(), "Service name is already in use.") {
		t.Fatalf("want 409 with the API's detail, got %v", err)
	}
	var apiErr *ccloud.Error
	if !errors.As(err, &apiErr) || apiErr.RequestID == "" {
		t.Fatalf("error carries no request ID: %v", err)
	}
}

func TestClientPaginationAndFilters(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	const n = 260
	for i := range n {
		m.CreateServiceAccount(fmt.Sprintf("app %03d", i), "")
	}
	all, err := c.ListServiceAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < n {
		t.Fatalf("listed %d service accounts, want at least %d", len(all), n)
	}
	seen := map[string]bool{}
	for _, sa := range all {
		if seen[sa.ID] {
			t.Fatalf("%s listed twice across pages", sa.ID)
		}
		seen[sa.ID] = true
	}
	if got := m.RequestCounts()["GET /iam/v2/service-accounts"]; got != 3 {
		t.Fatalf("%d list requests for %d items at page size 100, want 3", got, len(all))
	}
	some, err := c.ListServiceAccounts(ctx, "app 007", "app 100", "nobody")
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 2 {
		t.Fatalf("display_name filter matched %d, want 2", len(some))
	}

	m.SetQuotas(mockcloud.Quotas{CloudKeysPerServiceAccount: 1000, ClusterKeysPerServiceAccount: 1000})
	sa := m.CreateServiceAccount("key owner", "")
	for i := range 255 {
		res := &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"}
		if i%2 == 0 {
			res = nil
		}
		if _, err := m.CreateAPIKey(sa.ID, res, fmt.Sprintf("k%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	byOwner, err := c.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: sa.ID})
	if err != nil || len(byOwner) != 255 {
		t.Fatalf("owner filter: %d keys, %v", len(byOwner), err)
	}
	byBoth, err := c.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: sa.ID, Resource: "lkc-q1ck5t"})
	if err != nil || len(byBoth) != 127 {
		t.Fatalf("owner+resource filter: %d keys, %v", len(byBoth), err)
	}
	for _, k := range byBoth {
		if k.Spec.Secret != "" {
			t.Fatal("a listed key carries its secret")
		}
		if ccloud.ScopeOf(k.Spec.Resource) != ccloud.ScopeKafka {
			t.Fatalf("resource filter returned a %s key", ccloud.ScopeOf(k.Spec.Resource))
		}
	}
	everything, err := c.ListAPIKeys(ctx, ccloud.APIKeyFilter{})
	if err != nil || len(everything) < 255 {
		t.Fatalf("empty filters must mean none: %d keys, %v", len(everything), err)
	}
}

func TestClientAPIKeyEveryScope(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa := m.CreateServiceAccount("scoped", "")
	cases := []struct {
		res   *ccloud.ObjectReference
		scope ccloud.Scope
	}{
		{&ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"}, ccloud.ScopeKafka},
		{&ccloud.ObjectReference{ID: "lsrc-q1ck5t", Environment: "env-q1ck5t"}, ccloud.ScopeSchemaRegistry},
		{&ccloud.ObjectReference{ID: "lksqlc-q1ck5t", Environment: "env-q1ck5t"}, ccloud.ScopeKsqlDB},
		{&ccloud.ObjectReference{ID: "aws.us-east-1", Environment: "env-q1ck5t", APIVersion: "fcpm/v2", Kind: "Region"}, ccloud.ScopeFlink},
		{&ccloud.ObjectReference{ID: "tableflow", APIVersion: "tableflow/v1", Kind: "Tableflow"}, ccloud.ScopeTableflow},
		{nil, ccloud.ScopeCloud},
		{&ccloud.ObjectReference{ID: "CLOUD"}, ccloud.ScopeCloud},
	}
	for _, tc := range cases {
		k, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{
			DisplayName: "k", Description: "d", Owner: ccloud.ObjectReference{ID: sa.ID}, Resource: tc.res,
		}})
		if err != nil {
			t.Fatalf("%s: %v", tc.scope, err)
		}
		if len(k.ID) != ccloud.KeyIDLen || !ccloud.IsAPISecret(k.Spec.Secret) {
			t.Fatalf("%s: malformed key %q or secret", tc.scope, k.ID)
		}
		if got := ccloud.ScopeOf(k.Spec.Resource); got != tc.scope {
			t.Fatalf("created a %s key, the answer says %s", tc.scope, got)
		}
		read, err := c.GetAPIKey(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if read.Spec.Secret != "" {
			t.Fatal("GET returned the secret")
		}
		if read.Spec.Owner == nil || read.Spec.Owner.ID != sa.ID || read.Spec.Owner.Kind != "ServiceAccount" {
			t.Fatalf("owner reference %+v", read.Spec.Owner)
		}
	}
}

func TestClientAPIKeyUpdateAndDelete(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa := m.CreateServiceAccount("owner", "")
	k, err := m.CreateAPIKey(sa.ID, nil, "name", "desc")
	if err != nil {
		t.Fatal(err)
	}
	newDesc := "new"
	up, err := c.UpdateAPIKey(ctx, k.ID, ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{Description: &newDesc}})
	if err != nil || up.Spec.Description != "new" || up.Spec.DisplayName != "name" {
		t.Fatalf("update: %+v, %v", up, err)
	}
	if err := c.DeleteAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAPIKey(ctx, k.ID)
	if !ccloud.IsForbidden(err) && !ccloud.IsNotFound(err) {
		t.Fatalf("deleted key: want 403 or 404, got %v", err)
	}
	if ccloud.IsUnauthorized(err) {
		t.Fatal("a deleted key must not look like bad credentials")
	}
	if err := c.DeleteAPIKey(ctx, "NOSUCHKEY0000000"); !ccloud.IsNotFound(err) {
		t.Fatalf("deleting an unknown key: want 404, got %v", err)
	}
}

func TestClientCascades(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa := m.CreateServiceAccount("cascade", "")
	k1, _ := m.CreateAPIKey(sa.ID, nil, "a", "")
	k2, _ := m.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"}, "b", "")
	if err := c.DeleteServiceAccount(ctx, sa.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{k1.ID, k2.ID} {
		if _, err := c.GetAPIKey(ctx, id); err == nil {
			t.Fatalf("key %s survived its owner's deletion", id)
		}
	}
	sa2 := m.CreateServiceAccount("cluster cascade", "")
	k3, _ := m.CreateAPIKey(sa2.ID, &ccloud.ObjectReference{ID: "lksqlc-q1ck5t", Environment: "env-q1ck5t"}, "c", "")
	k4, _ := m.CreateAPIKey(sa2.ID, nil, "d", "")
	if err := m.DeleteCluster("lksqlc-q1ck5t"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAPIKey(ctx, k3.ID); err == nil {
		t.Fatal("a key survived its cluster's deletion")
	}
	if _, err := c.GetAPIKey(ctx, k4.ID); err != nil {
		t.Fatalf("an unrelated key went with the cluster: %v", err)
	}
}

func TestClientQuota(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	m.SetQuotas(mockcloud.Quotas{CloudKeysPerServiceAccount: 2})
	ctx := context.Background()
	sa := m.CreateServiceAccount("quota", "")
	var err error
	for range 3 {
		_, err = c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{Owner: ccloud.ObjectReference{ID: sa.ID}}})
	}
	if !ccloud.IsQuotaExceeded(err) || !strings.Contains(err.Error(), "is currently limited to 2") {
		t.Fatalf("third key: want a quota error naming the limit, got %v", err)
	}
}

func TestClientRetriesInjectedFaults(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa := m.CreateServiceAccount("faults", "")

	m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/service-accounts/{id}", Kind: mockcloud.FaultStatus, Status: 429, RetryAfter: time.Millisecond, Count: 2})
	m.ResetCounters()
	if _, err := c.GetServiceAccount(ctx, sa.ID); err != nil {
		t.Fatalf("GET after two 429s: %v", err)
	}
	if got := m.RequestCounts()["GET /iam/v2/service-accounts/{id}"]; got != 3 {
		t.Fatalf("GET attempts = %d, want 3", got)
	}

	m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/service-accounts/{id}", Kind: mockcloud.FaultStatus, Status: 502, Count: 10})
	m.ResetCounters()
	_, err := c.GetServiceAccount(ctx, sa.ID)
	if ccloud.StatusCode(err) != 502 {
		t.Fatalf("GET under persistent 502: want the 502 back, got %v", err)
	}
	if got := m.RequestCounts()["GET /iam/v2/service-accounts/{id}"]; got != 4 {
		t.Fatalf("GET attempts = %d, want 1 + 3 retries", got)
	}
	m.ClearFaults()

	m.AddFault(mockcloud.Fault{Route: "POST /iam/v2/api-keys", Kind: mockcloud.FaultStatus, Status: 503, Count: 1})
	m.ResetCounters()
	if _, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{Owner: ccloud.ObjectReference{ID: sa.ID}}}); err != nil {
		t.Fatalf("POST after a 503: %v", err)
	}
	if got := m.RequestCounts()["POST /iam/v2/api-keys"]; got != 2 {
		t.Fatalf("POST attempts = %d, want 2", got)
	}
}

func TestClientLostCreateResponseIsNotRetried(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa := m.CreateServiceAccount("lost", "")
	m.AddFault(mockcloud.Fault{Route: "POST /iam/v2/api-keys", Kind: mockcloud.FaultLoseResponse, Count: 1})
	_, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{Owner: ccloud.ObjectReference{ID: sa.ID}}})
	if !ccloud.IsOutcomeUnknown(err) {
		t.Fatalf("want an outcome-unknown error, got %v", err)
	}
	if got := m.RequestCounts()["POST /iam/v2/api-keys"]; got != 1 {
		t.Fatalf("POST sent %d times after a lost response, want 1", got)
	}
	keys, err := c.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: sa.ID})
	if err != nil || len(keys) != 1 {
		t.Fatalf("the mock committed %d keys, want exactly 1 (%v)", len(keys), err)
	}
}

func TestClientBadCredentials(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	key, _ := m.Credentials()
	wrong := ccloud.NewAPISecret()
	c, err := ccloud.New(ccloud.Config{Endpoint: m.URL(), APIKey: key, APISecret: wrong, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListServiceAccounts(context.Background())
	if !ccloud.IsUnauthorized(err) {
		t.Fatalf("want 401, got %v", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatal("the error contains the secret")
	}
	if got := m.RequestCounts()["GET /iam/v2/service-accounts"]; got != 1 {
		t.Fatalf("a 401 was retried: %d requests", got)
	}
}

func TestClientPropagationDelayAndProbes(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{PropagationDelay: 300 * time.Millisecond})
	ctx := context.Background()
	sa := m.CreateServiceAccount("probe", "")
	k, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{
		Owner: ccloud.ObjectReference{ID: sa.ID}, Resource: &ccloud.ObjectReference{ID: "lsrc-q1ck5t", Environment: "env-q1ck5t"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := c.GetSchemaRegistryCluster(ctx, "lsrc-q1ck5t", "env-q1ck5t")
	if err != nil {
		t.Fatal(err)
	}
	probe := ccloud.SchemaRegistryProbeURL(sr.Spec.HTTPEndpoint)
	if err := c.Probe(ctx, probe, k.ID, k.Spec.Secret); !errors.Is(err, ccloud.ErrNotReady) {
		t.Fatalf("before the delay: want ErrNotReady, got %v", err)
	}
	time.Sleep(350 * time.Millisecond)
	if err := c.Probe(ctx, probe, k.ID, k.Spec.Secret); err != nil {
		t.Fatalf("after the delay: %v", err)
	}
	// A key of another scope does not open this data plane.
	cloud, err := m.CreateAPIKey(sa.ID, nil, "cloud", "")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(350 * time.Millisecond)
	if err := c.Probe(ctx, probe, cloud.ID, cloud.Spec.Secret); !errors.Is(err, ccloud.ErrNotReady) {
		t.Fatalf("cloud key on the SR data plane: want ErrNotReady, got %v", err)
	}
	if err := c.Probe(ctx, c.CloudProbeURL(), cloud.ID, cloud.Spec.Secret); err != nil {
		t.Fatalf("cloud key on the management API: %v", err)
	}
}

func TestClientAuditRecords(t *testing.T) {
	t.Parallel()
	c, m := mockClient(t, mockcloud.Options{})
	ctx := context.Background()
	sa, err := c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "audited"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{Owner: ccloud.ObjectReference{ID: sa.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, ev := range m.AuditLog() {
		if ev.Data.MethodName != "Authentication" {
			methods = append(methods, ev.Data.MethodName)
		}
		if strings.Contains(fmt.Sprintf("%+v", ev), k.Spec.Secret) {
			t.Fatal("an audit record contains the key's secret")
		}
	}
	want := []string{"CreateServiceAccount", "CreateAPIKey", "DeleteAPIKey"}
	if strings.Join(methods, ",") != strings.Join(want, ",") {
		t.Fatalf("audit methods %v, want %v", methods, want)
	}
}
