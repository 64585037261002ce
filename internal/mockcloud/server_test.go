// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

func TestAuthentication(t *testing.T) {
	s := Start(t, Options{APIKey: "ADMINKEY00000001", APISecret: ccloud.NewAPISecret()})
	c := newClient(t, s)
	if k, _ := s.Credentials(); k != "ADMINKEY00000001" {
		t.Fatalf("Credentials key %q", k)
	}
	tests := []struct {
		name string
		c    *client
	}{
		{"no credentials", c.as("", "")},
		{"unknown key", c.as("UNKNOWNKEY000000", "x")},
		{"wrong secret", c.as("ADMINKEY00000001", "wrong")},
	}
	for _, tt := range tests {
		r := tt.c.do("GET", "/iam/v2/service-accounts", nil).want(t, 401)
		if got := r.Header.Get("WWW-Authenticate"); got != `Basic error="invalid_key", error_description="The API Key is invalid"` {
			t.Errorf("%s: WWW-Authenticate %q", tt.name, got)
		}
		if e := r.failure(t); e.Code != "user_unauthenticated" {
			t.Errorf("%s: code %q", tt.name, e.Code)
		}
		if r.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", tt.name)
		}
	}
	// A cluster key cannot call the management API; a Cloud key can.
	sa := c.createSA("auth")
	kk := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	ck := c.createKey(sa.ID, nil)
	tk := c.createKey(sa.ID, map[string]string{"id": "tableflow"})
	c.as(kk.ID, kk.Spec.Secret).do("GET", "/org/v2/environments", nil).want(t, 401)
	c.as(ck.ID, ck.Spec.Secret).do("GET", "/org/v2/environments", nil).want(t, 200)
	c.as(tk.ID, tk.Spec.Secret).do("GET", "/org/v2/environments", nil).want(t, 401)
	c.as(tk.ID, tk.Spec.Secret).do("GET", "/tableflow/v1/regions", nil).want(t, 200)
	c.as(ck.ID, ck.Spec.Secret).do("GET", "/tableflow/v1/regions", nil).want(t, 200)
	// The admin key is not a data-plane key.
	c.do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 401)
}

func TestPropagationDelayAndDataPlane(t *testing.T) {
	clk := clock.NewFake(time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC))
	s := Start(t, Options{PropagationDelay: time.Minute, Clock: clk})
	c := newClient(t, s)
	sa := c.createSA("dp")
	keys := map[string]ccloud.APIKey{
		"kafka": c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"}),
		"sr":    c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"}),
		"ksql":  c.createKey(sa.ID, map[string]string{"id": "lksqlc-q1ck5t"}),
		"flink": c.createKey(sa.ID, map[string]string{"id": "aws.us-east-1", "environment": "env-q1ck5t"}),
		"cloud": c.createKey(sa.ID, nil),
	}
	flinkPath := "/flink/aws.us-east-1/sql/v1/organizations/" + DefaultOrganizationID + "/environments/env-q1ck5t/statements"
	probes := []struct {
		key, path, wantBody string
	}{
		{"kafka", "/kafka/v3/clusters/lkc-q1ck5t/topics", `"kind":"KafkaTopicList"`},
		{"sr", "/sr/lsrc-q1ck5t/subjects", `[]`},
		{"ksql", "/ksql/lksqlc-q1ck5t/info", `"KsqlServerInfo"`},
		{"flink", flinkPath, `"data":[]`},
		{"cloud", "/org/v2/environments", `"EnvironmentList"`},
	}
	as := func(name string) *client { return c.as(keys[name].ID, keys[name].Spec.Secret) }
	for _, p := range probes {
		as(p.key).do("GET", p.path, nil).want(t, 401)
		if s.KeyAuthenticates(keys[p.key].ID) {
			t.Errorf("%s: KeyAuthenticates before the delay", p.key)
		}
	}
	clk.Advance(59 * time.Second)
	as("kafka").do("GET", probes[0].path, nil).want(t, 401)
	clk.Advance(time.Second)
	for _, p := range probes {
		r := as(p.key).do("GET", p.path, nil).want(t, 200)
		if !strings.Contains(string(r.body), p.wantBody) {
			t.Errorf("%s: body %s lacks %s", p.key, r.body, p.wantBody)
		}
		if !s.KeyAuthenticates(keys[p.key].ID) {
			t.Errorf("%s: KeyAuthenticates false after the delay", p.key)
		}
	}
	// Keys only open their own data plane.
	as("sr").do("GET", probes[0].path, nil).want(t, 401)
	as("kafka").do("GET", "/kafka/v3/clusters/lkc-other/topics", nil).want(t, 401)
	as("flink").do("GET", strings.Replace(flinkPath, "aws.us-east-1", "gcp.us-central1", 1), nil).want(t, 401)
	as("cloud").do("GET", probes[0].path, nil).want(t, 401)

	// Backdating makes a fresh key usable at once.
	fresh := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.as(fresh.ID, fresh.Spec.Secret).do("GET", probes[0].path, nil).want(t, 401)
	if err := s.BackdateAPIKey(fresh.ID, clk.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c.as(fresh.ID, fresh.Spec.Secret).do("GET", probes[0].path, nil).want(t, 200)
	var got ccloud.APIKey
	c.do("GET", "/iam/v2/api-keys/"+fresh.ID, nil).want(t, 200).decode(t, &got)
	if !got.Metadata.CreatedAt.Equal(clk.Now().Add(-24 * time.Hour)) {
		t.Errorf("created_at %v after backdate", got.Metadata.CreatedAt)
	}
	// Timestamps are microsecond UTC with Z.
	r := c.do("GET", "/iam/v2/api-keys/"+fresh.ID, nil)
	if !strings.Contains(string(r.body), `"created_at":"2025-02-28T12:01:00.123456Z"`) {
		t.Errorf("timestamp format: %s", r.body)
	}
	// SetPropagationDelay applies to existing keys.
	s.SetPropagationDelay(time.Hour)
	as("kafka").do("GET", probes[0].path, nil).want(t, 401)
	s.SetPropagationDelay(0)
	as("kafka").do("GET", probes[0].path, nil).want(t, 200)
}

func TestLookups(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	var kc ccloud.KafkaCluster
	c.do("GET", "/cmk/v2/clusters/lkc-q1ck5t?environment=env-q1ck5t", nil).want(t, 200).decode(t, &kc)
	if kc.Spec.HTTPEndpoint != s.URL() || kc.Spec.Environment.ID != "env-q1ck5t" || kc.Kind != "Cluster" {
		t.Errorf("cmk = %+v", kc.Spec)
	}
	var sr ccloud.SchemaRegistryCluster
	c.do("GET", "/srcm/v3/clusters/lsrc-q1ck5t?environment=env-q1ck5t", nil).want(t, 200).decode(t, &sr)
	if sr.Spec.HTTPEndpoint != s.URL()+"/sr/lsrc-q1ck5t" {
		t.Errorf("srcm endpoint %q", sr.Spec.HTTPEndpoint)
	}
	var kq ccloud.KsqlDBCluster
	c.do("GET", "/ksqldbcm/v2/clusters/lksqlc-q1ck5t?environment=env-q1ck5t", nil).want(t, 200).decode(t, &kq)
	if kq.Status.HTTPEndpoint != s.URL()+"/ksql/lksqlc-q1ck5t" {
		t.Errorf("ksql endpoint %q", kq.Status.HTTPEndpoint)
	}
	var fr ccloud.List[ccloud.FlinkRegion]
	c.do("GET", "/fcpm/v2/regions?cloud=AWS&region_name=us-east-1", nil).want(t, 200).decode(t, &fr)
	if len(fr.Data) != 1 || fr.Data[0].HTTPEndpoint != s.URL()+"/flink/aws.us-east-1" || fr.Kind != "RegionList" {
		t.Errorf("fcpm = %+v", fr)
	}
	var tf ccloud.List[ccloud.TableflowRegion]
	c.do("GET", "/tableflow/v1/regions", nil).want(t, 200).decode(t, &tf)
	if len(tf.Data) != 1 || tf.APIVersion != "tableflow/v1" {
		t.Errorf("tableflow = %+v", tf)
	}
	var envs ccloud.List[ccloud.Environment]
	c.do("GET", "/org/v2/environments", nil).want(t, 200).decode(t, &envs)
	if len(envs.Data) != 1 || envs.Data[0].ID != "env-q1ck5t" || envs.Kind != "EnvironmentList" {
		t.Errorf("envs = %+v", envs)
	}
	var users ccloud.List[ccloud.User]
	c.do("GET", "/iam/v2/users", nil).want(t, 200).decode(t, &users)
	if len(users.Data) != 1 || users.Data[0].Email != DefaultUserEmail || users.Kind != "UserList" {
		t.Errorf("users = %+v", users)
	}
	var org ccloud.Organization
	c.do("GET", "/org/v2/organizations/"+DefaultOrganizationID, nil).want(t, 200).decode(t, &org)
	if org.ID != DefaultOrganizationID {
		t.Errorf("org = %+v", org)
	}
	tests := []struct {
		path   string
		status int
	}{
		{"/cmk/v2/clusters/lkc-q1ck5t", 400},
		{"/cmk/v2/clusters/lkc-nope?environment=env-q1ck5t", 404},
		{"/cmk/v2/clusters/lkc-q1ck5t?environment=env-other", 404},
		{"/srcm/v3/clusters/lsrc-q1ck5t", 400},
		{"/ksqldbcm/v2/clusters/lksqlc-nope?environment=env-q1ck5t", 404},
		{"/org/v2/environments/env-nope", 404},
		{"/org/v2/organizations/nope", 404},
		{"/iam/v2/users/u-nope", 404},
	}
	for _, tt := range tests {
		c.do("GET", tt.path, nil).want(t, tt.status).failure(t)
	}
}

func TestRoutingAndBodyLimit(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	e := c.do("GET", "/iam/v2/nothing", nil).want(t, 404).failure(t)
	if e.Code != "not_found" {
		t.Errorf("unknown route code %q", e.Code)
	}
	r := c.do("PUT", "/iam/v2/api-keys/ABC", "{}").want(t, 405)
	r.failure(t)
	if allow := r.Header.Get("Allow"); allow != "GET, PATCH, DELETE" {
		t.Errorf("Allow %q", allow)
	}
	big := `{"display_name":"x","description":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	c.do("POST", "/iam/v2/service-accounts", big).want(t, 413).failure(t)
	if n := len(s.ServiceAccounts()); n != 0 {
		t.Errorf("oversized request created %d SAs", n)
	}
	counts := s.RequestCounts()
	if counts["PUT /iam/v2/api-keys/{id}"] != 1 || counts["GET UNMATCHED"] != 1 || counts["POST /iam/v2/service-accounts"] != 1 {
		t.Errorf("counts = %v", counts)
	}
}

func TestFaults(t *testing.T) {
	s := Start(t, Options{FaultSeed: 42})
	c := newClient(t, s)

	t.Run("429 count", func(t *testing.T) {
		s.AddFault(Fault{Route: "GET /iam/v2/service-accounts", Kind: FaultStatus, Status: 429, RetryAfter: 1500 * time.Millisecond, Count: 2})
		for range 2 {
			r := c.do("GET", "/iam/v2/service-accounts", nil).want(t, 429)
			if r.Header.Get("Retry-After") != "2" || r.Header.Get("X-RateLimit-Reset") != "2" {
				t.Errorf("429 headers %v", r.Header)
			}
		}
		c.do("GET", "/iam/v2/service-accounts", nil).want(t, 200)
	})
	t.Run("503 before acting", func(t *testing.T) {
		s.AddFault(Fault{Method: "POST", Route: "POST /iam/v2/service-accounts", Kind: FaultStatus, Status: 503, Count: 1})
		c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "retry-me"}).want(t, 503).failure(t)
		c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "retry-me"}).want(t, 201)
	})
	t.Run("lose response commits", func(t *testing.T) {
		sa := s.CreateServiceAccount("lost", "")
		s.AddFault(Fault{Route: "POST /iam/v2/api-keys", Kind: FaultLoseResponse, Count: 1})
		before := len(s.APIKeys())
		body, _ := json.Marshal(map[string]any{"spec": map[string]any{"owner": map[string]string{"id": sa.ID}}})
		req, _ := http.NewRequest("POST", s.URL()+"/iam/v2/api-keys", bytes.NewReader(body))
		req.SetBasicAuth(c.key, c.secret)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("got a response %d, want a dropped connection", resp.StatusCode)
		}
		if after := len(s.APIKeys()); after != before+1 {
			t.Errorf("keys %d -> %d: the lost create was not committed", before, after)
		}
		recs := s.Requests("POST /iam/v2/api-keys")
		last := recs[len(recs)-1]
		if last.Fault != "lose_response" || strings.Contains(string(last.ResponseBody), "cflt") {
			t.Errorf("recorded %+v", last)
		}
	})
	t.Run("drop does not act", func(t *testing.T) {
		s.AddFault(Fault{Route: "POST /iam/v2/service-accounts", Kind: FaultDrop, Count: 1})
		before := len(s.ServiceAccounts())
		req, _ := http.NewRequest("POST", s.URL()+"/iam/v2/service-accounts", strings.NewReader(`{"display_name":"dropped"}`))
		req.SetBasicAuth(c.key, c.secret)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("got a response %d", resp.StatusCode)
		}
		if len(s.ServiceAccounts()) != before {
			t.Errorf("dropped request acted")
		}
	})
	t.Run("rate", func(t *testing.T) {
		s.AddFault(Fault{Route: "GET /org/v2/environments", Kind: FaultStatus, Status: 500, Rate: 0.5})
		fails := 0
		for range 200 {
			if c.do("GET", "/org/v2/environments", nil).StatusCode == 500 {
				fails++
			}
		}
		if fails < 60 || fails > 140 {
			t.Errorf("rate 0.5 gave %d/200 failures", fails)
		}
		s.ClearFaults()
		c.do("GET", "/org/v2/environments", nil).want(t, 200)
	})
	t.Run("latency and cancellation", func(t *testing.T) {
		id := s.AddFault(Fault{Kind: FaultLatency, Latency: 80 * time.Millisecond})
		start := time.Now()
		c.do("GET", "/iam/v2/users", nil).want(t, 200)
		if d := time.Since(start); d < 80*time.Millisecond {
			t.Errorf("latency fault took %v", d)
		}
		if !s.RemoveFault(id) {
			t.Error("RemoveFault = false")
		}
		s.SetLatency(5 * time.Second)
		defer s.SetLatency(0)
		hc := &http.Client{Timeout: 50 * time.Millisecond}
		req, _ := http.NewRequest("GET", s.URL()+"/iam/v2/users", nil)
		req.SetBasicAuth(c.key, c.secret)
		start = time.Now()
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			t.Fatal("want a timeout")
		}
		if time.Since(start) > time.Second {
			t.Error("client timeout did not return promptly")
		}
	})
	counts := s.RequestCounts()
	if counts["GET /iam/v2/service-accounts"] != 3 {
		t.Errorf("faulted requests not counted: %v", counts)
	}
	s.ResetCounters()
	if len(s.RequestCounts()) != 0 || len(s.Requests("")) != 0 {
		t.Error("ResetCounters left data")
	}
}

func TestAuditLog(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	sa := c.createSA("audited")
	r := c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": map[string]any{"owner": map[string]string{"id": sa.ID}, "resource": map[string]string{"id": "lkc-q1ck5t"}}}).want(t, 202)
	var k ccloud.APIKey
	r.decode(t, &k)
	c.do("PATCH", "/iam/v2/api-keys/"+k.ID, `{"spec":{"description":"x"}}`).want(t, 200)
	c.as(k.ID, k.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 200)
	c.do("DELETE", "/iam/v2/api-keys/"+k.ID, nil).want(t, 204)
	c.as(k.ID, k.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 401)
	c.do("GET", "/iam/v2/service-accounts", nil).want(t, 200)
	c.do("DELETE", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 204)

	var methods []string
	for _, ev := range s.AuditLog() {
		methods = append(methods, ev.Data.MethodName+":"+ev.Data.Result.Status)
		if ev.SpecVersion != "1.0" || ev.Type != "io.confluent.cloud/request" || ev.Data.RequestMetadata.RequestID == "" {
			t.Errorf("bad envelope %+v", ev)
		}
	}
	want := []string{
		"Authentication:SUCCESS", "CreateServiceAccount:SUCCESS",
		"Authentication:SUCCESS", "CreateAPIKey:SUCCESS",
		"Authentication:SUCCESS", "UpdateAPIKey:SUCCESS",
		"Authentication:SUCCESS",
		"Authentication:SUCCESS", "DeleteAPIKey:SUCCESS",
		"Authentication:FAILURE",
		"Authentication:SUCCESS", "GetServiceAccounts:SUCCESS",
		"Authentication:SUCCESS", "DeleteServiceAccount:SUCCESS",
	}
	if strings.Join(methods, " ") != strings.Join(want, " ") {
		t.Fatalf("audit methods\n got %v\nwant %v", methods, want)
	}
	log := s.AuditLog()
	create := log[3]
	if create.Data.RequestMetadata.RequestID != r.Header.Get("X-Request-Id") {
		t.Errorf("request id %q vs header %q", create.Data.RequestMetadata.RequestID, r.Header.Get("X-Request-Id"))
	}
	if len(create.Data.CloudResources) != 2 || create.Data.CloudResources[0].Resource != (AuditResource{Type: "API_KEY", ResourceID: k.ID}) {
		t.Errorf("CreateAPIKey resources %+v", create.Data.CloudResources)
	}
	dp := log[6]
	if dp.Data.AuthenticationInfo.Principal.APIKey != k.ID || dp.Data.AuthenticationInfo.Result != AuditSuccess {
		t.Errorf("data-plane auth event %+v", dp.Data.AuthenticationInfo)
	}
	raw, _ := json.Marshal(log)
	if strings.Contains(string(raw), k.Spec.Secret) {
		t.Error("the audit log holds a secret")
	}
	recs, _ := json.Marshal(s.Requests(""))
	if strings.Contains(string(recs), k.Spec.Secret) {
		t.Error("recorded requests hold a secret")
	}
}

func TestConcurrentClients(t *testing.T) {
	s := Start(t, Options{Quotas: Quotas{ClusterKeysPerServiceAccount: 1000}})
	c := newClient(t, s)
	sa := c.createSA("shared")
	var wg sync.WaitGroup
	var created atomic.Int64
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				var k ccloud.APIKey
				c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": map[string]any{"owner": map[string]string{"id": sa.ID}, "resource": map[string]string{"id": "lkc-q1ck5t"}}}).want(t, 202).decode(t, &k)
				created.Add(1)
				c.do("GET", "/iam/v2/api-keys?page_size=5", nil).want(t, 200)
				c.createSA(fmt.Sprintf("w%d-%d", w, i))
				if i%3 == 0 {
					c.do("DELETE", "/iam/v2/api-keys/"+k.ID, nil).want(t, 204)
					created.Add(-1)
				}
				_ = s.AuditLog()
				_ = s.RequestCounts()
			}
		}()
	}
	wg.Wait()
	if got := int64(len(s.APIKeys())); got != created.Load() {
		t.Errorf("%d keys, want %d", got, created.Load())
	}
	if got := len(s.ServiceAccounts()); got != 121 {
		t.Errorf("%d SAs, want 121", got)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s1 := Start(t, Options{StateFile: path})
	c := newClient(t, s1)
	sa := c.createSA("persisted")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	gone := c.createKey(sa.ID, nil)
	c.do("DELETE", "/iam/v2/api-keys/"+gone.ID, nil).want(t, 204)
	adminKey, adminSecret := s1.Credentials()
	s1.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}

	s2 := Start(t, Options{StateFile: path})
	if k2, s2sec := s2.Credentials(); k2 != adminKey || s2sec != adminSecret {
		t.Error("admin credentials not kept across restarts")
	}
	c2 := newClient(t, s2)
	var got ccloud.APIKey
	c2.do("GET", "/iam/v2/api-keys/"+k.ID, nil).want(t, 200).decode(t, &got)
	if got.Spec.Owner.ID != sa.ID || got.Spec.Resource.ID != "lkc-q1ck5t" {
		t.Errorf("reloaded key %+v", got.Spec)
	}
	c2.do("GET", "/iam/v2/api-keys/"+gone.ID, nil).want(t, 403)
	c2.as(k.ID, k.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 200)
	// New IDs after a reload keep sorting after the old ones.
	c2.createSA("after-reload")
	sas := s2.ServiceAccounts()
	if sas[len(sas)-1].DisplayName != "after-reload" {
		t.Errorf("order after reload: %+v", sas)
	}
}

func TestSeedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.json")
	sd := DefaultSeed()
	sd.KafkaClusters = append(sd.KafkaClusters, SeedCluster{ID: "lkc-extra1", DisplayName: "extra", Environment: "env-q1ck5t"})
	sd.ServiceAccounts = []SeedServiceAccount{{ID: "sa-seed01", DisplayName: "seeded"}}
	b, _ := json.Marshal(sd)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	s := Start(t, Options{Seed: loaded})
	c := newClient(t, s)
	c.do("GET", "/cmk/v2/clusters/lkc-extra1?environment=env-q1ck5t", nil).want(t, 200)
	c.do("GET", "/iam/v2/service-accounts/sa-seed01", nil).want(t, 200)

	bad := DefaultSeed()
	bad.KafkaClusters[0].Environment = "env-missing"
	if _, err := New(Options{Seed: bad}); err == nil {
		t.Error("a seed with a dangling environment was accepted")
	}
}

func TestAdminEndpoints(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)
	c.as("", "").do("GET", "/_mock/counters", nil).want(t, 401)
	sa := c.createSA("admin")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	tests := []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/_mock/faults", `{"route":"GET /iam/v2/users","kind":"status","status":503,"count":1}`, 201},
		{"PUT", "/_mock/latency", `{"latency":"1ms"}`, 204},
		{"PUT", "/_mock/propagation-delay", `{"propagation_delay":"1h"}`, 204},
		{"PUT", "/_mock/quotas", `{"service_accounts_per_org":1}`, 204},
		{"POST", "/_mock/api-keys/" + k.ID + "/backdate", `{"created_at":"2024-01-02T03:04:05Z"}`, 204},
		{"POST", "/_mock/api-keys/NOPE/backdate", `{"created_at":"2024-01-02T03:04:05Z"}`, 404},
		{"POST", "/_mock/faults", `{"kind":"bogus"}`, 400},
	}
	for _, tt := range tests {
		c.do(tt.method, tt.path, tt.body).want(t, tt.status)
	}
	c.do("GET", "/iam/v2/users", nil).want(t, 503)
	c.do("GET", "/iam/v2/users", nil).want(t, 200)
	// The backdated key is past even a one-hour delay.
	c.as(k.ID, k.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 200)
	k2 := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.as(k2.ID, k2.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/topics", nil).want(t, 401)
	c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": "third"}).want(t, 402)

	var counts map[string]int
	c.do("GET", "/_mock/counters", nil).want(t, 200).decode(t, &counts)
	if counts["GET /iam/v2/users"] != 2 {
		t.Errorf("counters %v", counts)
	}
	var events []AuditEvent
	c.do("GET", "/_mock/audit", nil).want(t, 200).decode(t, &events)
	if len(events) == 0 {
		t.Error("no audit events")
	}
	c.do("DELETE", "/_mock/counters", nil).want(t, 204)
	c.do("DELETE", "/_mock/faults", nil).want(t, 204)
	c.do("DELETE", "/_mock/clusters/lkc-q1ck5t", nil).want(t, 204)
	c.do("GET", "/iam/v2/api-keys/"+k.ID, nil).want(t, 403)
	c.do("DELETE", "/_mock/users/u-q1ck5t", nil).want(t, 204)
	c.do("DELETE", "/_mock/users/u-q1ck5t", nil).want(t, 404)
	if n := len(s.RequestCounts()); n != 1 {
		t.Errorf("admin calls were counted: %v", s.RequestCounts())
	}
}

func TestDirectStoreAPI(t *testing.T) {
	s := Start(t, Options{})
	sa := s.CreateServiceAccount("direct", "d")
	k, err := s.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "aws.us-east-1", Environment: "env-q1ck5t"}, "n", "d")
	if err != nil {
		t.Fatal(err)
	}
	if !ccloud.IsAPISecret(k.Spec.Secret) || k.Spec.Resource.Kind != "Region" {
		t.Errorf("direct key %+v", k.Spec)
	}
	if sec, ok := s.APIKeySecret(k.ID); !ok || sec != k.Spec.Secret {
		t.Error("APIKeySecret mismatch")
	}
	if keys := s.APIKeys(); len(keys) != 1 || keys[0].Spec.Secret != "" {
		t.Errorf("APIKeys %+v", keys)
	}
	if _, err := s.CreateAPIKey("sa-none00", nil, "", ""); !IsNotFound(err) {
		t.Errorf("unknown owner: %v", err)
	}
	if len(s.RequestCounts()) != 0 || len(s.AuditLog()) != 0 {
		t.Error("direct calls were counted or audited")
	}
	if err := s.DeleteServiceAccount(sa.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.APIKeySecret(k.ID); ok {
		t.Error("key survived its owner")
	}
}
