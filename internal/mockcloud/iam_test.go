// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

var (
	saIDPattern    = regexp.MustCompile(`^sa-[a-z0-9]{6}$`)
	keyIDPattern   = regexp.MustCompile(`^[A-Z0-9]{16}$`)
	timePattern    = regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z"$`)
	quotaCLIRegexp = regexp.MustCompile(`.* is currently limited to .*`)
)

func TestServiceAccountLifecycle(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)

	r := c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "app", "description": "d1"}).want(t, 201)
	var sa ccloud.ServiceAccount
	r.decode(t, &sa)
	if !saIDPattern.MatchString(sa.ID) {
		t.Errorf("id %q does not look like sa-xxxxxx", sa.ID)
	}
	if got, want := r.Header.Get("Location"), s.URL()+"/iam/v2/service-accounts/"+sa.ID; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if sa.APIVersion != "iam/v2" || sa.Kind != "ServiceAccount" || sa.Metadata.Self != r.Header.Get("Location") {
		t.Errorf("bad envelope: %+v", sa)
	}
	if want := "crn://confluent.cloud/organization=" + DefaultOrganizationID + "/service-account=" + sa.ID; sa.Metadata.ResourceName != want {
		t.Errorf("resource_name = %q, want %q", sa.Metadata.ResourceName, want)
	}
	for _, h := range []string{"X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		if r.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}

	// Duplicate names are refused org-wide.
	dup := c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "app"}).want(t, 409).failure(t)
	if dup.Detail != "Service name is already in use." {
		t.Errorf("409 detail = %q", dup.Detail)
	}

	var got ccloud.ServiceAccount
	c.do("GET", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 200).decode(t, &got)
	if got.DisplayName != "app" || got.Description != "d1" {
		t.Errorf("GET = %+v", got)
	}

	time.Sleep(2 * time.Millisecond)
	var upd ccloud.ServiceAccount
	c.do("PATCH", "/iam/v2/service-accounts/"+sa.ID, map[string]string{"description": "d2"}).want(t, 200).decode(t, &upd)
	if upd.Description != "d2" || upd.DisplayName != "app" {
		t.Errorf("PATCH description = %+v", upd)
	}
	if !upd.Metadata.UpdatedAt.After(*upd.Metadata.CreatedAt) {
		t.Errorf("updated_at not bumped: %v vs %v", upd.Metadata.UpdatedAt, upd.Metadata.CreatedAt)
	}
	c.do("PATCH", "/iam/v2/service-accounts/"+sa.ID, map[string]string{"display_name": "app2"}).want(t, 200).decode(t, &upd)
	if upd.DisplayName != "app2" || upd.Description != "d2" {
		t.Errorf("PATCH display_name = %+v", upd)
	}
	c.createSA("taken")
	c.do("PATCH", "/iam/v2/service-accounts/"+sa.ID, map[string]string{"display_name": "taken"}).want(t, 409)

	del := c.do("DELETE", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 204)
	if len(del.body) != 0 {
		t.Errorf("204 with body %q", del.body)
	}
	nf := c.do("GET", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 404).failure(t)
	if nf.Code != "service_account_not_found" || nf.Detail != "Service Account Not Found" {
		t.Errorf("404 = %+v", nf)
	}
	c.do("DELETE", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 404)
	c.do("PATCH", "/iam/v2/service-accounts/"+sa.ID, map[string]string{"description": "x"}).want(t, 404)
}

func TestServiceAccountValidation(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	tests := []struct {
		name    string
		body    any
		status  int
		pointer string
	}{
		{"missing display_name", map[string]string{"description": "x"}, 400, "/display_name"},
		{"empty display_name", map[string]string{"display_name": ""}, 400, "/display_name"},
		{"too long", map[string]string{"display_name": strings.Repeat("a", 65)}, 400, "/display_name"},
		{"wrong type", `{"display_name": 42}`, 400, "/display_name"},
		{"malformed", `{"display_name": "x"`, 400, ""},
		{"empty body", ``, 400, ""},
		{"64 chars ok", map[string]string{"display_name": strings.Repeat("b", 64)}, 201, ""},
		{"unknown fields ignored", `{"display_name":"u","whatever":{"a":1}}`, 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("POST", "/iam/v2/service-accounts", tt.body).want(t, tt.status)
			if tt.status >= 400 {
				e := r.failure(t)
				if e.Source == nil || e.Source.Pointer != tt.pointer {
					t.Errorf("source = %+v, want pointer %q", e.Source, tt.pointer)
				}
			}
		})
	}
}

func TestServiceAccountPaginationAndFilter(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	const n = 260
	for i := range n {
		s.CreateServiceAccount(fmt.Sprintf("sa-%03d", i), "")
	}
	var seen []string
	next := "/iam/v2/service-accounts?page_size=100"
	pages := 0
	for next != "" {
		var l ccloud.List[ccloud.ServiceAccount]
		c.do("GET", next, nil).want(t, 200).decode(t, &l)
		if l.Kind != "ServiceAccountList" || l.APIVersion != "iam/v2" {
			t.Fatalf("list envelope %s/%s", l.APIVersion, l.Kind)
		}
		pages++
		for _, sa := range l.Data {
			seen = append(seen, sa.DisplayName)
		}
		if pages == 1 {
			// A create between pages must not shift the rest.
			s.CreateServiceAccount("late", "")
		}
		next = l.Metadata.Next
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || !strings.HasPrefix(next, s.URL()+"/iam/v2/service-accounts?page_size=100&page_token=") || u.Query().Get("page_token") == "" {
				t.Fatalf("next = %q", next)
			}
		}
	}
	if pages != 3 || len(seen) != n+1 {
		t.Fatalf("pages=%d items=%d, want 3 and %d", pages, len(seen), n+1)
	}
	for i := range n {
		if seen[i] != fmt.Sprintf("sa-%03d", i) {
			t.Fatalf("item %d = %q: order not stable", i, seen[i])
		}
	}

	// Default page size 10; max 100.
	var l ccloud.List[ccloud.ServiceAccount]
	c.do("GET", "/iam/v2/service-accounts", nil).want(t, 200).decode(t, &l)
	if len(l.Data) != 10 || l.Metadata.Next == "" {
		t.Errorf("default page: %d items, next %q", len(l.Data), l.Metadata.Next)
	}
	if e := c.do("GET", "/iam/v2/service-accounts?page_size=101", nil).want(t, 400).failure(t); e.Source.Parameter != "page_size" {
		t.Errorf("page_size error source %+v", e.Source)
	}
	c.do("GET", "/iam/v2/service-accounts?page_token=garbage!", nil).want(t, 400)

	// Filters: repeatable, ORed, exact; an empty value means no filter; the
	// next URL keeps the filter.
	tests := []struct {
		query string
		want  int
	}{
		{"display_name=sa-001&display_name=sa-002", 2},
		{"display_name=sa-00", 0},
		{"display_name=", 10},
		{"display_name=late", 1},
	}
	for _, tt := range tests {
		var l ccloud.List[ccloud.ServiceAccount]
		c.do("GET", "/iam/v2/service-accounts?"+tt.query, nil).want(t, 200).decode(t, &l)
		if len(l.Data) != tt.want {
			t.Errorf("%s: %d items, want %d", tt.query, len(l.Data), tt.want)
		}
	}
	for i := range 15 {
		s.CreateServiceAccount(fmt.Sprintf("dup-%d", i), "")
	}
	q := "?page_size=2"
	for i := range 3 {
		q += fmt.Sprintf("&display_name=dup-%d", i)
	}
	c.do("GET", "/iam/v2/service-accounts"+q, nil).want(t, 200).decode(t, &l)
	if !strings.Contains(l.Metadata.Next, "display_name=dup-0") {
		t.Fatalf("next lost the filter: %q", l.Metadata.Next)
	}
	var l2 ccloud.List[ccloud.ServiceAccount]
	c.do("GET", l.Metadata.Next, nil).want(t, 200).decode(t, &l2)
	if len(l2.Data) != 1 || l2.Data[0].DisplayName != "dup-2" || l2.Metadata.Next != "" {
		t.Errorf("second filtered page = %+v", l2)
	}
}

func TestAPIKeyCreateShapes(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	sa := c.createSA("owner")
	org := "crn://confluent.cloud/organization=" + DefaultOrganizationID
	tests := []struct {
		name     string
		resource string // raw JSON, "" = absent
		want     ccloud.ObjectReference
	}{
		{"cloud absent", "", ccloud.ObjectReference{ID: "cloud", APIVersion: "iam/v2", Kind: "Cloud", Related: "cloud", ResourceName: "cloud"}},
		{"cloud null", "null", ccloud.ObjectReference{ID: "cloud", APIVersion: "iam/v2", Kind: "Cloud", Related: "cloud", ResourceName: "cloud"}},
		{"cloud upper", `{"id":"CLOUD","related":"","resource_name":""}`, ccloud.ObjectReference{ID: "cloud", APIVersion: "iam/v2", Kind: "Cloud", Related: "cloud", ResourceName: "cloud"}},
		{"kafka", `{"id":"lkc-q1ck5t","kind":"Cluster","related":"","resource_name":""}`, ccloud.ObjectReference{
			ID: "lkc-q1ck5t", Environment: "env-q1ck5t", APIVersion: "cmk/v2", Kind: "Cluster",
			Related: s.URL() + "/cmk/v2/clusters/lkc-q1ck5t", ResourceName: org + "/environment=env-q1ck5t/cloud-cluster=lkc-q1ck5t",
		}},
		{"schema registry", `{"id":"lsrc-q1ck5t"}`, ccloud.ObjectReference{
			ID: "lsrc-q1ck5t", Environment: "env-q1ck5t", APIVersion: "srcm/v2", Kind: "SchemaRegistry",
			Related: s.URL() + "/srcm/v2/schema-registries/lsrc-q1ck5t", ResourceName: org + "/environment=env-q1ck5t/schema-registry=lsrc-q1ck5t",
		}},
		{"ksqldb", `{"id":"lksqlc-q1ck5t","kind":"Cluster"}`, ccloud.ObjectReference{
			ID: "lksqlc-q1ck5t", Environment: "env-q1ck5t", APIVersion: "ksqldbcm/v2", Kind: "ksqlDB",
			Related: s.URL() + "/ksqldbcm/v2/clusters/lksqlc-q1ck5t", ResourceName: org + "/environment=env-q1ck5t/cloud-cluster=lkc-q1ck5t/ksql=lksqlc-q1ck5t",
		}},
		{"flink", `{"id":"aws.us-east-1","environment":"env-q1ck5t","api_version":"fcpm/v2","kind":"Region"}`, ccloud.ObjectReference{
			ID: "aws.us-east-1", Environment: "env-q1ck5t", APIVersion: "fcpm/v2", Kind: "Region",
			Related: s.URL() + "/fcpm/v2/regions?cloud=aws", ResourceName: org + "/environment=env-q1ck5t/flink-region=aws.us-east-1",
		}},
		{"flink legacy id", `{"id":"env-q1ck5t.gcp.us-central1"}`, ccloud.ObjectReference{
			ID: "gcp.us-central1", Environment: "env-q1ck5t", APIVersion: "fcpm/v2", Kind: "Region",
			Related: s.URL() + "/fcpm/v2/regions?cloud=gcp", ResourceName: org + "/environment=env-q1ck5t/flink-region=gcp.us-central1",
		}},
		{"tableflow", `{"id":"TableFlow","api_version":"tableflow/v1","kind":"Tableflow"}`, ccloud.ObjectReference{ID: "tableflow", APIVersion: "tableflow/v1", Kind: "Tableflow", Related: "tableflow", ResourceName: "tableflow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"spec":{"display_name":"n","description":"d","owner":{"id":"` + sa.ID + `","kind":"ServiceAccount","related":"","resource_name":""}`
			if tt.resource != "" {
				body += `,"resource":` + tt.resource
			}
			body += `},"unknown":true}`
			r := c.do("POST", "/iam/v2/api-keys", body).want(t, 202)
			var k ccloud.APIKey
			r.decode(t, &k)
			if !keyIDPattern.MatchString(k.ID) || !ccloud.IsAPISecret(k.Spec.Secret) {
				t.Errorf("id %q secret valid=%v", k.ID, ccloud.IsAPISecret(k.Spec.Secret))
			}
			if r.Header.Get("Location") != s.URL()+"/iam/v2/api-keys/"+k.ID || k.Metadata.Self != r.Header.Get("Location") {
				t.Errorf("Location %q self %q", r.Header.Get("Location"), k.Metadata.Self)
			}
			if *k.Spec.Resource != tt.want {
				t.Errorf("resource = %+v\nwant       %+v", *k.Spec.Resource, tt.want)
			}
			wantOwner := ccloud.ObjectReference{ID: sa.ID, APIVersion: "iam/v2", Kind: "ServiceAccount", Related: s.URL() + "/iam/v2/service-accounts/" + sa.ID, ResourceName: org + "/service-account=" + sa.ID}
			if *k.Spec.Owner != wantOwner {
				t.Errorf("owner = %+v", *k.Spec.Owner)
			}
			if k.Metadata.ResourceName != org+"/service-account="+sa.ID+"/api-key="+k.ID {
				t.Errorf("key resource_name %q", k.Metadata.ResourceName)
			}
			// The secret is never shown again.
			g := c.do("GET", "/iam/v2/api-keys/"+k.ID, nil).want(t, 200)
			if strings.Contains(string(g.body), `"secret"`) {
				t.Errorf("GET shows the secret: %s", g.body)
			}
			var raw map[string]any
			r.decode(t, &raw)
			created := fmt.Sprintf("%q", raw["metadata"].(map[string]any)["created_at"])
			if !timePattern.MatchString(created) {
				t.Errorf("created_at %s is not RFC 3339 UTC with fraction", created)
			}
		})
	}
}

func TestAPIKeyCreateErrors(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	sa := c.createSA("owner")
	tests := []struct {
		name    string
		body    string
		status  int
		code    string
		pointer string
	}{
		{"no spec", `{}`, 400, "invalid_input", "/spec/owner/id"},
		{"bad owner prefix", `{"spec":{"owner":{"id":"pool-1"}}}`, 400, "invalid_input", "/spec/owner/id"},
		{"unknown sa", `{"spec":{"owner":{"id":"sa-nope00"}}}`, 404, "service_account_not_found", ""},
		{"unknown user", `{"spec":{"owner":{"id":"u-nope00"}}}`, 404, "user_not_found", ""},
		{"unknown cluster", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"lkc-nope"}}}`, 404, "resource_not_found", "/spec/resource/id"},
		{"wrong env", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"lkc-q1ck5t","environment":"env-other"}}}`, 404, "resource_not_found", "/spec/resource/id"},
		{"flink without env", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"aws.us-east-1"}}}`, 400, "invalid_input", "/spec/resource/environment"},
		{"flink unknown region", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"azure.westeurope","environment":"env-q1ck5t"}}}`, 404, "resource_not_found", "/spec/resource/id"},
		{"unrecognised resource", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"zzz"}}}`, 400, "invalid_input", "/spec/resource/id"},
		{"owner wrong type", `{"spec":{"owner":{"id":7}}}`, 400, "invalid_input", "/spec/owner/id"},
		{"malformed", `{"spec":`, 400, "invalid_input", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := c.do("POST", "/iam/v2/api-keys", tt.body).want(t, tt.status).failure(t)
			if e.Code != tt.code || e.Source.Pointer != tt.pointer {
				t.Errorf("code %q pointer %q, want %q %q (%s)", e.Code, e.Source.Pointer, tt.code, tt.pointer, e.Detail)
			}
		})
	}
	if n := len(s.APIKeys()); n != 0 {
		t.Errorf("%d keys created by failed requests", n)
	}
}

func TestAPIKeyGetUpdateDeleteAndDeletedVsUnknown(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	sa := c.createSA("owner")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})

	time.Sleep(2 * time.Millisecond)
	var upd ccloud.APIKey
	c.do("PATCH", "/iam/v2/api-keys/"+k.ID, `{"spec":{"display_name":"new","description":"dd"}}`).want(t, 200).decode(t, &upd)
	if upd.Spec.DisplayName != "new" || upd.Spec.Description != "dd" || upd.Spec.Secret != "" {
		t.Errorf("PATCH = %+v", upd.Spec)
	}
	if !upd.Metadata.UpdatedAt.After(*upd.Metadata.CreatedAt) {
		t.Errorf("updated_at not bumped")
	}
	c.do("PATCH", "/iam/v2/api-keys/"+k.ID, `{"spec":{"owner":{"id":"u-q1ck5t"}}}`).want(t, 400)
	c.do("PATCH", "/iam/v2/api-keys/"+k.ID, `{"spec":{"resource":{"id":"lkc-q1ck5t"},"description":"same resource is fine"}}`).want(t, 200)

	c.do("DELETE", "/iam/v2/api-keys/"+k.ID, nil).want(t, 204)
	for _, m := range []string{"GET", "DELETE"} {
		e := c.do(m, "/iam/v2/api-keys/"+k.ID, nil).want(t, 403).failure(t)
		if e.Code != "forbidden_access" || e.Detail != "Forbidden Access" {
			t.Errorf("%s deleted key: %+v", m, e)
		}
	}
	e := c.do("GET", "/iam/v2/api-keys/NEVEREXISTED0000", nil).want(t, 404).failure(t)
	if e.Code != "api_key_not_found" || e.Detail != "The API Key (id=NEVEREXISTED0000) does not exist" {
		t.Errorf("unknown key: %+v", e)
	}
	if err := s.DeleteAPIKey(k.ID); err == nil || err.(*APIError).Status != 403 {
		t.Errorf("direct delete of deleted key = %v", err)
	}
	if err := s.DeleteAPIKey("NEVEREXISTED0000"); !IsNotFound(err) {
		t.Errorf("direct delete of unknown key = %v", err)
	}
}

func TestAPIKeyListFilters(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	a, b := c.createSA("a"), c.createSA("b")
	c.createKey(a.ID, nil)
	c.createKey(a.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.createKey(b.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.createKey(b.ID, map[string]string{"id": "lsrc-q1ck5t"})
	c.createKey("u-q1ck5t", map[string]string{"id": "tableflow"})
	tests := []struct {
		query string
		want  int
	}{
		{"", 5},
		{"?spec.owner=&spec.resource=&page_size=100", 5},
		{"?spec.owner=" + a.ID, 2},
		{"?spec.resource=lkc-q1ck5t", 2},
		{"?spec.owner=" + b.ID + "&spec.resource=lkc-q1ck5t", 1},
		{"?spec.resource=cloud", 1},
		{"?spec.resource=tableflow", 1},
		{"?spec.owner=u-q1ck5t", 1},
		{"?spec.owner=sa-nobody", 0},
	}
	for _, tt := range tests {
		var l ccloud.List[ccloud.APIKey]
		r := c.do("GET", "/iam/v2/api-keys"+tt.query, nil).want(t, 200)
		r.decode(t, &l)
		if l.Kind != "ApiKeyList" || len(l.Data) != tt.want {
			t.Errorf("%q: kind %s, %d keys, want %d", tt.query, l.Kind, len(l.Data), tt.want)
		}
		if strings.Contains(string(r.body), `"secret"`) {
			t.Errorf("list shows secrets")
		}
	}
}

func TestAPIKeyPaginationUnderConcurrentCreates(t *testing.T) {
	s := Start(t, Options{Quotas: Quotas{ClusterKeysPerServiceAccount: 1000}})
	c := newClient(t, s)
	sa := s.CreateServiceAccount("bulk", "")
	for range 255 {
		if _, err := s.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "lkc-q1ck5t"}, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]bool{}
	next := "/iam/v2/api-keys?spec.owner=" + sa.ID + "&page_size=100"
	for next != "" {
		var l ccloud.List[ccloud.APIKey]
		c.do("GET", next, nil).want(t, 200).decode(t, &l)
		for _, k := range l.Data {
			if ids[k.ID] {
				t.Fatalf("key %s served twice", k.ID)
			}
			ids[k.ID] = true
		}
		// Deleting one already served must not make the next page skip.
		if len(l.Data) > 0 {
			_ = s.DeleteAPIKey(l.Data[0].ID)
		}
		next = l.Metadata.Next
	}
	if len(ids) != 255 {
		t.Fatalf("saw %d keys, want 255", len(ids))
	}
}

func TestQuotas(t *testing.T) {
	s := Start(t, Options{Quotas: Quotas{ClusterKeysPerServiceAccount: 2, CloudKeysPerServiceAccount: 1, ServiceAccountsPerOrg: 3, ClusterKeysPerUser: 1, KeysPerKafkaCluster: 3}})
	c := newClient(t, s)
	sa := c.createSA("q")
	c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"})
	c.createKey(sa.ID, nil)
	tests := []struct {
		name   string
		owner  string
		res    any
		detail string
	}{
		{"cluster per sa", sa.ID, map[string]string{"id": "lkc-q1ck5t"}, "Your organization is currently limited to 2 cluster API keys per service account"},
		{"cloud per sa", sa.ID, nil, "Your organization is currently limited to 1 cloud API keys per service account"},
	}
	for _, tt := range tests {
		spec := map[string]any{"owner": map[string]string{"id": tt.owner}}
		if tt.res != nil {
			spec["resource"] = tt.res
		}
		e := c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": spec}).want(t, 402).failure(t)
		if e.Code != "quota_exceeded" || e.Detail != tt.detail || !quotaCLIRegexp.MatchString(e.Detail) {
			t.Errorf("%s: %+v", tt.name, e)
		}
	}
	// Per-user cluster keys; the Kafka cluster quota counts across owners.
	c.createKey("u-q1ck5t", map[string]string{"id": "lkc-q1ck5t"})
	e := c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": map[string]any{"owner": map[string]string{"id": "u-q1ck5t"}, "resource": map[string]string{"id": "lkc-q1ck5t"}}}).want(t, 402).failure(t)
	if e.Detail != "Your organization is currently limited to 1 cluster API keys per user" {
		t.Errorf("per user: %q", e.Detail)
	}
	sa2 := c.createSA("q2")
	c.createKey(sa2.ID, map[string]string{"id": "lkc-q1ck5t"})
	e = c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": map[string]any{"owner": map[string]string{"id": sa2.ID}, "resource": map[string]string{"id": "lkc-q1ck5t"}}}).want(t, 402).failure(t)
	if e.Detail != "Your organization is currently limited to 3 API keys per Kafka cluster" {
		t.Errorf("per cluster: %q", e.Detail)
	}
	c.createSA("q3")
	e = c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "q4"}).want(t, 402).failure(t)
	if e.Detail != "Your organization is currently limited to 3 service accounts" {
		t.Errorf("SA quota: %q", e.Detail)
	}
	// Raising the quota lets the request through.
	s.SetQuotas(Quotas{ServiceAccountsPerOrg: 4})
	c.createSA("q4")
}

func TestCascades(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	sa := c.createSA("cascade")
	k1 := c.createKey(sa.ID, nil)
	k2 := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	ku := c.createKey("u-q1ck5t", map[string]string{"id": "lsrc-q1ck5t"})
	other := c.createKey("u-q1ck5t", map[string]string{"id": "lkc-q1ck5t"})

	c.do("DELETE", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 204)
	for _, id := range []string{k1.ID, k2.ID} {
		c.do("GET", "/iam/v2/api-keys/"+id, nil).want(t, 403)
	}
	if err := s.DeleteCluster("lsrc-q1ck5t"); err != nil {
		t.Fatal(err)
	}
	c.do("GET", "/iam/v2/api-keys/"+ku.ID, nil).want(t, 403)
	c.do("GET", "/srcm/v3/clusters/lsrc-q1ck5t?environment=env-q1ck5t", nil).want(t, 404)
	c.do("GET", "/iam/v2/api-keys/"+other.ID, nil).want(t, 200)
	if err := s.DeleteUser("u-q1ck5t"); err != nil {
		t.Fatal(err)
	}
	c.do("GET", "/iam/v2/api-keys/"+other.ID, nil).want(t, 403)
	c.do("GET", "/iam/v2/users/u-q1ck5t", nil).want(t, 404)
	if n := len(s.APIKeys()); n != 0 {
		t.Errorf("%d keys survived the cascades", n)
	}
	if err := s.DeleteCluster("lkc-nope"); !IsNotFound(err) {
		t.Errorf("DeleteCluster unknown = %v", err)
	}
	if err := s.DeleteServiceAccount(sa.ID); !IsNotFound(err) {
		t.Errorf("DeleteServiceAccount again = %v", err)
	}
}
