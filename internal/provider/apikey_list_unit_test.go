// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// Protocol-level tests of the list resources: each List is called as
// Terraform calls it, against the mock, without Terraform.

var (
	exampleKafka = &ccloud.ObjectReference{ID: mockcloud.DefaultKafkaClusterID, Environment: mockcloud.DefaultEnvironmentID}
	exampleSR    = &ccloud.ObjectReference{ID: mockcloud.DefaultSchemaRegistryID, Environment: mockcloud.DefaultEnvironmentID}
	exampleFlink = &ccloud.ObjectReference{ID: "aws.us-east-1", Environment: mockcloud.DefaultEnvironmentID,
		APIVersion: ccloud.APIVersionFCPM, Kind: ccloud.KindRegion}
)

func startListMock(t *testing.T) (*mockcloud.Server, *listServer) {
	t.Helper()
	m := mockcloud.Start(t, mockcloud.Options{Quotas: mockcloud.Quotas{
		CloudKeysPerServiceAccount: 1000, ClusterKeysPerServiceAccount: 1000, CloudKeysPerOrg: 5000,
	}})
	key, secret := m.Credentials()
	return m, newListServer(t, m.URL(), key, secret)
}

func mustKey(t *testing.T, m *mockcloud.Server, owner string, res *ccloud.ObjectReference, name, description string) ccloud.APIKey {
	t.Helper()
	k, err := m.CreateAPIKey(owner, res, name, description)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ids(items []listed) []string {
	var out []string
	for _, l := range items {
		out = append(out, l.ID)
	}
	return out
}

func sameIDs(got []listed, want ...ccloud.APIKey) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]bool{}
	for _, l := range got {
		seen[l.ID] = true
	}
	for _, k := range want {
		if !seen[k.ID] {
			return false
		}
	}
	return true
}

func TestAPIKeyList_filters(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	a := m.CreateServiceAccount("payments", "")
	b := m.CreateServiceAccount("billing", "")
	ka1 := mustKey(t, m, a.ID, exampleKafka, "producer", "")
	ka2 := mustKey(t, m, a.ID, exampleKafka, "", "")
	ku := mustKey(t, m, mockcloud.DefaultUserID, exampleKafka, "", "")
	sr := mustKey(t, m, a.ID, exampleSR, "", "")
	cl := mustKey(t, m, b.ID, nil, "", "")
	fl := mustKey(t, m, a.ID, exampleFlink, "", "")

	for name, c := range map[string]struct {
		typeName string
		filters  map[string]string
		want     []ccloud.APIKey
	}{
		"every kafka key":          {"ccloud_kafka_api_key", nil, []ccloud.APIKey{ka1, ka2, ku}},
		"one owner":                {"ccloud_kafka_api_key", map[string]string{"owner_id": a.ID}, []ccloud.APIKey{ka1, ka2}},
		"user-owned":               {"ccloud_kafka_api_key", map[string]string{"owner_kind": "User"}, []ccloud.APIKey{ku}},
		"service-account-owned":    {"ccloud_kafka_api_key", map[string]string{"owner_kind": "ServiceAccount"}, []ccloud.APIKey{ka1, ka2}},
		"cluster":                  {"ccloud_kafka_api_key", map[string]string{"cluster_id": mockcloud.DefaultKafkaClusterID}, []ccloud.APIKey{ka1, ka2, ku}},
		"other cluster":            {"ccloud_kafka_api_key", map[string]string{"cluster_id": "lkc-nothere"}, nil},
		"other environment":        {"ccloud_kafka_api_key", map[string]string{"environment_id": "env-other"}, nil},
		"schema registry":          {"ccloud_schema_registry_api_key", nil, []ccloud.APIKey{sr}},
		"cloud":                    {"ccloud_cloud_api_key", nil, []ccloud.APIKey{cl}},
		"cloud of an owner":        {"ccloud_cloud_api_key", map[string]string{"owner_id": a.ID}, nil},
		"flink, cloud in any case": {"ccloud_flink_api_key", map[string]string{"cloud": "aws", "region": "us-east-1"}, []ccloud.APIKey{fl}},
		"flink, other region":      {"ccloud_flink_api_key", map[string]string{"region": "eu-west-1"}, nil},
		"global":                   {"ccloud_global_api_key", nil, nil},
	} {
		items, diags := results(t, s.list(c.typeName, listOptions{filters: c.filters}))
		if hasErrors(diags) {
			t.Errorf("%s: %s", name, diagText(diags))
			continue
		}
		if !sameIDs(items, c.want...) {
			t.Errorf("%s: listed %v, want %d keys", name, ids(items), len(c.want))
		}
	}

	// The display name says which key, for what, whose and since when.
	items, _ := results(t, s.list("ccloud_kafka_api_key", listOptions{filters: map[string]string{"owner_id": a.ID}}))
	var got string
	for _, l := range items {
		if l.ID == ka1.ID {
			got = l.DisplayName
		}
	}
	want := ka1.ID + ` "producer" · Kafka lkc-q1ck5t in env-q1ck5t · owner ` + a.ID + ` "payments" · created ` +
		ka1.Metadata.CreatedAt.UTC().Format("2006-01-02")
	if got != want {
		t.Errorf("display name\n got %q\nwant %q", got, want)
	}
	items, _ = results(t, s.list("ccloud_kafka_api_key", listOptions{filters: map[string]string{"owner_kind": "User"}}))
	if len(items) != 1 || !strings.Contains(items[0].DisplayName, "owner "+mockcloud.DefaultUserID+" (") {
		t.Errorf("a user's key names the user by email: %+v", items)
	}
	items, _ = results(t, s.list("ccloud_cloud_api_key", listOptions{}))
	if len(items) != 1 || !strings.HasPrefix(items[0].DisplayName, cl.ID+" · Cloud · owner ") {
		t.Errorf("a Cloud key's display name: %+v", items)
	}
}

// TestAPIKeyList_pages follows the API's pages with one list call per page,
// names owners with one list of accounts, reads no key on its own, and
// stops at the limit without reading further pages.
func TestAPIKeyList_pages(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	var accounts []ccloud.ServiceAccount
	for i := range 3 {
		accounts = append(accounts, m.CreateServiceAccount("app-"+strconv.Itoa(i), ""))
	}
	for i := range 250 {
		mustKey(t, m, accounts[i%3].ID, nil, "", "")
	}
	before := m.RequestCounts()
	items, diags := results(t, s.list("ccloud_cloud_api_key", listOptions{includeResource: true}))
	if hasErrors(diags) || len(items) != 250 {
		t.Fatalf("listed %d keys: %s", len(items), diagText(diags))
	}
	after := m.RequestCounts()
	delta := func(route string) int { return after[route] - before[route] }
	if delta("GET /iam/v2/api-keys") != 3 || delta("GET /iam/v2/service-accounts") != 1 || delta("GET /iam/v2/api-keys/{id}") != 0 {
		t.Errorf("requests: %d key pages (want 3), %d account pages (want 1), %d key reads (want 0)",
			delta("GET /iam/v2/api-keys"), delta("GET /iam/v2/service-accounts"), delta("GET /iam/v2/api-keys/{id}"))
	}
	seen := map[string]bool{}
	for _, l := range items {
		if seen[l.ID] {
			t.Errorf("key %s listed twice", l.ID)
		}
		seen[l.ID] = true
	}

	before = m.RequestCounts()
	items, _ = results(t, s.list("ccloud_cloud_api_key", listOptions{limit: 5}))
	if len(items) != 5 || m.RequestCounts()["GET /iam/v2/api-keys"]-before["GET /iam/v2/api-keys"] != 1 {
		t.Errorf("limit 5: %d results after %d pages", len(items), m.RequestCounts()["GET /iam/v2/api-keys"]-before["GET /iam/v2/api-keys"])
	}
}

// TestAPIKeyList_resourceHasNoSecret returns the resource as an import
// reads it: secret null, description without the create marker, and the
// scope's arguments from the key.
func TestAPIKeyList_resourceHasNoSecret(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	a := m.CreateServiceAccount("payments", "")
	plain := mustKey(t, m, a.ID, exampleKafka, "producer", "orders producer")
	bare := mustKey(t, m, a.ID, exampleKafka, "", "")
	abandoned := mustKey(t, m, a.ID, exampleKafka, "", "half made "+expiredMarkerText(time.Now()))
	items, diags := results(t, s.list("ccloud_kafka_api_key", listOptions{includeResource: true}))
	if hasErrors(diags) || len(items) != 3 {
		t.Fatalf("listed %d: %s", len(items), diagText(diags))
	}
	for _, l := range items {
		for _, k := range []ccloud.APIKey{plain, bare, abandoned} {
			if secret, _ := m.APIKeySecret(k.ID); strings.Contains(l.Raw, secret) || strings.Contains(l.DisplayName, secret) {
				t.Errorf("result %s carries the secret of %s", l.ID, k.ID)
			}
		}
		if _, set := l.str("secret"); set {
			t.Errorf("%s: secret is not null", l.ID)
		}
		if id, _ := l.str("id"); id != l.ID {
			t.Errorf("resource id %q, identity %q", id, l.ID)
		}
		for attr, want := range map[string]string{
			"owner_id": a.ID, "owner_kind": "ServiceAccount", "resource_id": "lkc-q1ck5t",
			"cluster_id": "lkc-q1ck5t", "environment_id": "env-q1ck5t",
		} {
			if got, _ := l.str(attr); got != want {
				t.Errorf("%s: %s = %q, want %q", l.ID, attr, got, want)
			}
		}
		var wait bool
		_ = l.Resource["wait_for_ready"].As(&wait)
		if !wait {
			t.Errorf("%s: wait_for_ready is not its default, true", l.ID)
		}
		name, nameSet := l.str("display_name")
		desc, descSet := l.str("description")
		switch l.ID {
		case plain.ID:
			if name != "producer" || desc != "orders producer" {
				t.Errorf("plain key: display_name %q, description %q", name, desc)
			}
		case bare.ID:
			if nameSet || descSet {
				t.Errorf("a key without name and description lists them as null, got %q, %q", name, desc)
			}
		case abandoned.ID:
			if desc != "half made" {
				t.Errorf("abandoned key: description %q, want the marker stripped", desc)
			}
			if !strings.HasSuffix(l.DisplayName, " · abandoned") {
				t.Errorf("abandoned key: display name %q does not say so", l.DisplayName)
			}
		}
	}
}

// expiredMarkerText is a create marker whose lease was expired at at, as a
// run that gave its key up writes it.
func expiredMarkerText(at time.Time) string {
	return "[terraform-create:abcdefghijkl expired " + at.UTC().Format("2006-01-02T15:04:05Z") + "]"
}

// TestAPIKeyList_leases leaves out the keys of a live run and marks the
// abandoned ones.
func TestAPIKeyList_leases(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	a := m.CreateServiceAccount("payments", "")
	now := time.Now()
	live := mustKey(t, m, a.ID, exampleKafka, "", "[terraform-create:abcdefghijkl until "+
		now.Add(time.Minute).UTC().Format("2006-01-02T15:04:05Z")+"]")
	gone := mustKey(t, m, a.ID, exampleKafka, "", expiredMarkerText(now))
	byHand := mustKey(t, m, a.ID, exampleKafka, "", "made with the CLI")
	items, diags := results(t, s.list("ccloud_kafka_api_key", listOptions{}))
	if hasErrors(diags) || !sameIDs(items, gone, byHand) {
		t.Fatalf("listed %v, want %s and %s but not %s: %s", ids(items), gone.ID, byHand.ID, live.ID, diagText(diags))
	}
	for _, l := range items {
		if marked := strings.Contains(l.DisplayName, "abandoned"); marked != (l.ID == gone.ID) {
			t.Errorf("%s: display name %q", l.ID, l.DisplayName)
		}
	}
}

// TestAPIKeyList_errors reports 401, 403 and an owner deleted mid-listing
// as error diagnostics with the usual explanations, and ends the stream
// there.
func TestAPIKeyList_errors(t *testing.T) {
	t.Parallel()
	t.Run("401", func(t *testing.T) {
		t.Parallel()
		m := mockcloud.Start(t, mockcloud.Options{})
		key, _ := m.Credentials()
		s := newListServer(t, m.URL(), key, "wrong-secret-0123456789abcdef0123456789abcdef0123456789abcdef")
		all := s.list("ccloud_kafka_api_key", listOptions{})
		if len(all) != 1 || !hasErrors(all[0].Diagnostics) ||
			!strings.Contains(diagText(all[0].Diagnostics), "did not accept the provider's credentials") {
			t.Fatalf("want one result with the 401 explanation, got %d: %s", len(all), diagText(all[0].Diagnostics))
		}
	})
	t.Run("403", func(t *testing.T) {
		t.Parallel()
		m, s := startListMock(t)
		m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/api-keys", Kind: mockcloud.FaultStatus, Status: http.StatusForbidden})
		all := s.list("ccloud_global_api_key", listOptions{})
		if len(all) != 1 || !strings.Contains(diagText(all[0].Diagnostics), "lacks the permission") {
			t.Fatalf("want one result with the 403 explanation, got %d: %s", len(all), diagText(all[0].Diagnostics))
		}
	})
	t.Run("owner deleted mid-listing", func(t *testing.T) {
		t.Parallel()
		m, s := startListMock(t)
		a := m.CreateServiceAccount("payments", "")
		for range 150 {
			mustKey(t, m, a.ID, nil, "", "")
		}
		all := s.list("ccloud_cloud_api_key", listOptions{filters: map[string]string{"owner_id": a.ID}, each: func(i int, _ listed) {
			if i == 0 {
				// The account goes, and with it its keys, while the first
				// page is being read; the API refuses the next page.
				if err := m.DeleteServiceAccount(a.ID); err != nil {
					t.Error(err)
				}
				m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/api-keys", Kind: mockcloud.FaultStatus, Status: http.StatusForbidden})
			}
		}})
		items, diags := results(t, all)
		last := all[len(all)-1]
		if len(items) != 100 || !hasErrors(last.Diagnostics) || last.ID != "" {
			t.Fatalf("want the first page and then an error, got %d results, last %+v", len(items), last)
		}
		if text := diagText(diags); !strings.Contains(text, "Owner deleted while listing API keys") || !strings.Contains(text, a.ID+" no longer exists") {
			t.Fatalf("the error does not say the owner went: %s", text)
		}
	})
}

// TestAPIKeyList_foreignScope skips a key of a scope the provider does not
// know with a warning and lists the rest.
func TestAPIKeyList_foreignScope(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	sa := m.CreateServiceAccount("payments", "")
	known := mustKey(t, m, sa.ID, exampleKafka, "", "")
	target, _ := url.Parse(m.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method != http.MethodGet || resp.Request.URL.Path != "/iam/v2/api-keys" {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		var page ccloud.List[ccloud.APIKey]
		if err := json.Unmarshal(body, &page); err != nil {
			return err
		}
		page.Data = append(page.Data, ccloud.APIKey{ID: "FOREIGNKEY000001", Kind: ccloud.KindAPIKey, Spec: ccloud.APIKeySpec{
			Owner:    &ccloud.ObjectReference{ID: sa.ID, Kind: ccloud.KindServiceAccount},
			Resource: &ccloud.ObjectReference{ID: "lfcp-abc123", Kind: "ComputePool"},
		}})
		body = []byte(mustJSON(page))
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	ts := httptest.NewServer(proxy)
	t.Cleanup(ts.Close)
	key, secret := m.Credentials()
	s := newListServer(t, ts.URL, key, secret)
	items, diags := results(t, s.list("ccloud_kafka_api_key", listOptions{includeResource: true}))
	if hasErrors(diags) || len(items) != 1 || items[0].ID != known.ID {
		t.Fatalf("listed %v: %s", ids(items), diagText(diags))
	}
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(diags[0].Detail, "FOREIGNKEY000001") {
		t.Fatalf("want one warning naming the foreign key: %s", diagText(diags))
	}
}

// TestAPIKeyList_schemas has a list resource for the service account and
// every row of the scope table, each key list with the owner filters and
// the row's own arguments, and refuses bad filters at validation, before
// any listing.
func TestAPIKeyList_schemas(t *testing.T) {
	t.Parallel()
	_, s := startListMock(t)
	if _, ok := s.schema.ListResourceSchemas["ccloud_service_account"]; !ok {
		t.Error("no ccloud_service_account list resource")
	}
	for _, row := range apiKeyScopes {
		typ := "ccloud_" + row.typeName
		sch, ok := s.schema.ListResourceSchemas[typ]
		if !ok {
			t.Errorf("no %s list resource", typ)
			continue
		}
		want := map[string]bool{"owner_id": true, "owner_kind": true}
		for _, a := range row.attributes {
			want[a.name] = true
		}
		got := map[string]bool{}
		for _, a := range sch.Block.Attributes {
			got[a.Name] = true
			if !a.Optional {
				t.Errorf("%s: filter %s is not optional", typ, a.Name)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: filters %v, want %v", typ, got, want)
		}
	}
	for name, c := range map[string]struct {
		typ     string
		filters map[string]string
		bad     bool
	}{
		"owner kind as in state":     {"ccloud_kafka_api_key", map[string]string{"owner_kind": "User"}, false},
		"owner kind in another form": {"ccloud_kafka_api_key", map[string]string{"owner_kind": "user"}, true},
		"owner of no kind":           {"ccloud_cloud_api_key", map[string]string{"owner_id": "pool-abc"}, true},
		"cluster ID":                 {"ccloud_kafka_api_key", map[string]string{"cluster_id": "lsrc-abc"}, true},
		"Flink cloud":                {"ccloud_flink_api_key", map[string]string{"cloud": "ibm"}, true},
		"account name":               {"ccloud_service_account", map[string]string{"display_name": ""}, true},
	} {
		set := map[string]tftypes.Value{}
		for k, v := range c.filters {
			set[k] = tftypes.NewValue(tftypes.String, v)
		}
		resp, err := s.server.(tfprotov6.ListResourceServer).ValidateListResourceConfig(context.Background(),
			&tfprotov6.ValidateListResourceConfigRequest{TypeName: c.typ, Config: objectValue(t, s.schema.ListResourceSchemas[c.typ], set)})
		if err != nil {
			t.Fatal(err)
		}
		if hasErrors(resp.Diagnostics) != c.bad {
			t.Errorf("%s: errors %v, want %v: %s", name, hasErrors(resp.Diagnostics), c.bad, diagText(resp.Diagnostics))
		}
	}
}
