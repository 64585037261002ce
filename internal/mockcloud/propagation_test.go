// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

const kafkaProbe = "/kafka/v3/clusters/lkc-q1ck5t/topics"

var flinkProbe = "/flink/aws.us-east-1/sql/v1/organizations/" + DefaultOrganizationID + "/environments/env-q1ck5t/statements"

func newClock() *clock.Fake {
	return clock.NewFake(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
}

func TestScopePropagationDelays(t *testing.T) {
	clk := newClock()
	s := Start(t, Options{
		PropagationDelay:       10 * time.Second,
		ScopePropagationDelays: map[string]time.Duration{"kafka": 120 * time.Second, "flink": 30 * time.Second, "cloud": 0},
		Clock:                  clk,
	})
	c := newClient(t, s)
	sa := c.createSA("scopes")
	type probe struct {
		key   ccloud.APIKey
		path  string
		delay time.Duration
	}
	probes := map[string]probe{
		"kafka":  {c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"}), kafkaProbe, 120 * time.Second},
		"sr":     {c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"}), "/sr/lsrc-q1ck5t/subjects", 10 * time.Second},
		"ksql":   {c.createKey(sa.ID, map[string]string{"id": "lksqlc-q1ck5t"}), "/ksql/lksqlc-q1ck5t/info", 10 * time.Second},
		"flink":  {c.createKey(sa.ID, map[string]string{"id": "aws.us-east-1", "environment": "env-q1ck5t"}), flinkProbe, 30 * time.Second},
		"tflow":  {c.createKey(sa.ID, map[string]string{"id": "tableflow"}), "/tableflow/v1/regions", 10 * time.Second},
		"cloud0": {c.createKey(sa.ID, nil), "/org/v2/environments", 0},
	}
	start := clk.Now()
	for name, p := range probes {
		first, full, ok := s.KeyPropagation(p.key.ID)
		if !ok || !first.Equal(start.Add(p.delay)) || !full.Equal(first) {
			t.Errorf("%s: KeyPropagation = %v, %v, %v; want %v twice", name, first, full, ok, start.Add(p.delay))
		}
	}
	// Walk the clock over every delay: a key fails until its own delay
	// has passed and works from then on.
	for _, at := range []time.Duration{0, 10*time.Second - time.Microsecond, 10 * time.Second, 30 * time.Second, 119 * time.Second, 120 * time.Second} {
		clk.Set(start.Add(at))
		for name, p := range probes {
			want := 401
			if at >= p.delay {
				want = 200
			}
			if got := c.as(p.key.ID, p.key.Spec.Secret).do("GET", p.path, nil).StatusCode; got != want {
				t.Errorf("%s at +%v: status %d, want %d", name, at, got, want)
			}
		}
	}
	// The default delay can change on its own; the overrides stay.
	s.SetPropagationDelay(time.Hour)
	if p := s.Propagation(); p.Delay != time.Hour || p.ScopeDelays["kafka"] != 120*time.Second {
		t.Errorf("Propagation after SetPropagationDelay: %+v", p)
	}
	if err := s.SetScopePropagationDelay("schema-registry", time.Second); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := s.KeyPropagation(probes["sr"].key.ID); !first.Equal(start.Add(time.Second)) {
		t.Errorf("schema-registry override not applied: %v", first)
	}
	if first, _, _ := s.KeyPropagation(probes["ksql"].key.ID); !first.Equal(start.Add(time.Hour)) {
		t.Errorf("ksqldb does not follow the default: %v", first)
	}
}

func TestPropagationOptionsValidated(t *testing.T) {
	bad := []Options{
		{ScopePropagationDelays: map[string]time.Duration{"schema_registry": time.Second}},
		{ScopePropagationDelays: map[string]time.Duration{"kafka": -time.Second}},
		{PropagationJitter: -time.Second},
		{KafkaBrokerWindow: -time.Second},
		{KafkaBrokers: -1},
		{PropagationDelay: -time.Second},
	}
	for _, o := range bad {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
	s := Start(t, Options{})
	if err := s.SetScopePropagationDelay("kafka-cluster", time.Second); err == nil || !strings.Contains(err.Error(), "schema-registry") {
		t.Errorf("unknown scope: %v (the error should list the valid names)", err)
	}
	if err := s.SetPropagation(Propagation{KafkaBrokerWindow: time.Second}); err != nil {
		t.Fatal(err)
	}
	if p := s.Propagation(); p.KafkaBrokers != DefaultKafkaBrokers {
		t.Errorf("brokers with a window and no count: %d", p.KafkaBrokers)
	}
}

func TestParseScopeDelays(t *testing.T) {
	got, err := ParseScopeDelays(" kafka=120s, flink=30s ,,global=1m")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"kafka": 120 * time.Second, "flink": 30 * time.Second, "global": time.Minute}
	if len(got) != len(want) || got["kafka"] != want["kafka"] || got["flink"] != want["flink"] || got["global"] != want["global"] {
		t.Errorf("got %v", got)
	}
	for _, v := range []string{"kafka", "kafka=soon", "kafka=-1s", "lkc=1s", "schema_registry=1s"} {
		if _, err := ParseScopeDelays(v); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
}

func TestPropagationJitter(t *testing.T) {
	clk := newClock()
	const delay, jitter = 10 * time.Second, 20 * time.Second
	s := Start(t, Options{PropagationDelay: delay, PropagationJitter: jitter, FaultSeed: 7, Clock: clk})
	c := newClient(t, s)
	sa := c.createSA("jitter")
	start := clk.Now()
	var firsts []time.Time
	var keys []ccloud.APIKey
	for range 8 {
		k := c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"})
		first, full, ok := s.KeyPropagation(k.ID)
		if !ok || !full.Equal(first) {
			t.Fatalf("KeyPropagation %v %v %v", first, full, ok)
		}
		if first.Before(start.Add(delay)) || !first.Before(start.Add(delay+jitter)) {
			t.Errorf("first %v outside [D, D+jitter)", first.Sub(start))
		}
		firsts = append(firsts, first)
		keys = append(keys, k)
	}
	slices.SortFunc(firsts, func(a, b time.Time) int { return a.Compare(b) })
	if firsts[0].Equal(firsts[len(firsts)-1]) {
		t.Error("every key drew the same jitter")
	}
	// Each key works exactly from its own moment.
	for _, k := range keys {
		first, _, _ := s.KeyPropagation(k.ID)
		clk.Set(first.Add(-time.Microsecond))
		c.as(k.ID, k.Spec.Secret).do("GET", "/sr/lsrc-q1ck5t/subjects", nil).want(t, 401)
		clk.Set(first)
		c.as(k.ID, k.Spec.Secret).do("GET", "/sr/lsrc-q1ck5t/subjects", nil).want(t, 200)
	}
	// The draws depend only on the seed and the key ID.
	same, err := New(Options{FaultSeed: 7})
	if err != nil {
		t.Fatal(err)
	}
	other, err := New(Options{FaultSeed: 8})
	if err != nil {
		t.Fatal(err)
	}
	if s.keyDraw(keys[0].ID, saltJitter) != same.keyDraw(keys[0].ID, saltJitter) {
		t.Error("the same seed gave a different draw")
	}
	if s.keyDraw(keys[0].ID, saltJitter) == other.keyDraw(keys[0].ID, saltJitter) {
		t.Error("another seed gave the same draw")
	}
}

func TestKafkaBrokerWindow(t *testing.T) {
	clk := newClock()
	const delay, window, brokers = 60 * time.Second, 10 * time.Second, 4
	s := Start(t, Options{PropagationDelay: delay, KafkaBrokers: brokers, KafkaBrokerWindow: window, FaultSeed: 3, Clock: clk})
	c := newClient(t, s)
	sa := c.createSA("brokers")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	sr := c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"})
	kc := c.as(k.ID, k.Spec.Secret)
	start := clk.Now()

	first, full, ok := s.KeyPropagation(k.ID)
	if !ok || !first.Equal(start.Add(delay)) || !full.Equal(start.Add(delay+window)) {
		t.Fatalf("KeyPropagation: first +%v, full +%v; want +%v, +%v", first.Sub(start), full.Sub(start), delay, delay+window)
	}
	times, _ := s.KeyBrokerTimes(k.ID)
	if len(times) != brokers {
		t.Fatalf("%d broker times", len(times))
	}
	sorted := slices.SortedFunc(slices.Values(times), func(a, b time.Time) int { return a.Compare(b) })
	if !sorted[0].Equal(first) || !sorted[brokers-1].Equal(full) {
		t.Fatalf("broker times %v do not span [first, full]", sorted)
	}
	// Non-Kafka keys switch over at once.
	if f, fl, _ := s.KeyPropagation(sr.ID); !f.Equal(fl) || !f.Equal(start.Add(delay)) {
		t.Errorf("Schema Registry key: %v %v", f, fl)
	}

	okCount := func(n int) int {
		got := 0
		for range n {
			switch st := kc.do("GET", kafkaProbe, nil).StatusCode; st {
			case 200:
				got++
			case 401:
			default:
				t.Fatalf("status %d", st)
			}
		}
		return got
	}
	clk.Set(first.Add(-time.Microsecond))
	if got := okCount(brokers); got != 0 {
		t.Errorf("%d successes before the first broker knows the key", got)
	}
	// Right after the m-th broker learns the key, exactly m of every
	// `brokers` consecutive requests succeed, as they visit the brokers in
	// turn.
	for m := 1; m < brokers; m++ {
		clk.Set(sorted[m-1])
		if got := okCount(3 * brokers); got != 3*m {
			t.Errorf("after %d brokers: %d of %d requests succeeded, want %d", m, got, 3*brokers, 3*m)
		}
		if s.KeyAuthenticates(k.ID) {
			t.Errorf("KeyAuthenticates before every broker knows the key")
		}
	}
	clk.Set(full)
	if got := okCount(2 * brokers); got != 2*brokers {
		t.Errorf("after full propagation %d of %d succeeded", got, 2*brokers)
	}
	if !s.KeyAuthenticates(k.ID) {
		t.Error("KeyAuthenticates false after full propagation")
	}
	// Every failure was counted against the key and audited with its
	// broker.
	u := s.KeyUsage(k.ID)
	wantFail := brokers
	for m := 1; m < brokers; m++ {
		wantFail += 3 * (brokers - m)
	}
	if u.Unauthenticated != wantFail || s.DataPlaneAuthFailures(k.ID) != wantFail || u.OK != 3*(brokers*(brokers-1)/2)+2*brokers {
		t.Errorf("usage %+v, want %d failures", u, wantFail)
	}
	brokerReasons := 0
	for _, ev := range s.AuditLog() {
		if ev.Data.MethodName == "Authentication" && strings.HasPrefix(ev.Data.Result.Reason, authNotPropagated+" to broker ") {
			brokerReasons++
		}
	}
	if brokerReasons != wantFail-brokers {
		t.Errorf("%d audit events name a broker, want %d", brokerReasons, wantFail-brokers)
	}
	// The management API does not go through brokers: a Cloud key is not
	// affected by the window.
	ck := c.createKey(sa.ID, nil)
	clk.Advance(delay)
	if f, fl, _ := s.KeyPropagation(ck.ID); !f.Equal(fl) {
		t.Errorf("Cloud key has a window: %v %v", f, fl)
	}
	c.as(ck.ID, ck.Spec.Secret).do("GET", "/org/v2/environments", nil).want(t, 200)
}

func TestKafkaBrokerWindowOffByDefault(t *testing.T) {
	clk := newClock()
	s := Start(t, Options{PropagationDelay: time.Second, KafkaBrokers: 6, Clock: clk})
	c := newClient(t, s)
	k := c.createKey(c.createSA("nowindow").ID, map[string]string{"id": "lkc-q1ck5t"})
	if times, _ := s.KeyBrokerTimes(k.ID); len(times) != 1 {
		t.Errorf("without a window the key has %d broker moments", len(times))
	}
	clk.Advance(time.Second)
	for range 12 {
		c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 200)
	}
}

func TestUnauthorizedOwners(t *testing.T) {
	clk := newClock()
	s := Start(t, Options{PropagationDelay: time.Minute, Clock: clk})
	c := newClient(t, s)
	sa := c.createSA("no-role")
	good := c.createSA("with-role")
	s.SetOwnerAuthorized(sa.ID, false)
	keys := map[string]ccloud.APIKey{
		"kafka": c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"}),
		"sr":    c.createKey(sa.ID, map[string]string{"id": "lsrc-q1ck5t"}),
		"ksql":  c.createKey(sa.ID, map[string]string{"id": "lksqlc-q1ck5t"}),
		"flink": c.createKey(sa.ID, map[string]string{"id": "aws.us-east-1", "environment": "env-q1ck5t"}),
		"tflow": c.createKey(sa.ID, map[string]string{"id": "tableflow"}),
	}
	paths := map[string]string{
		"kafka": kafkaProbe, "sr": "/sr/lsrc-q1ck5t/subjects", "ksql": "/ksql/lksqlc-q1ck5t/info",
		"flink": flinkProbe, "tflow": "/tableflow/v1/regions",
	}
	cloud := c.createKey(sa.ID, nil)
	goodKey := c.createKey(good.ID, map[string]string{"id": "lkc-q1ck5t"})
	// Authentication comes first: before propagation the answer is 401.
	for name, k := range keys {
		c.as(k.ID, k.Spec.Secret).do("GET", paths[name], nil).want(t, 401)
	}
	clk.Advance(time.Minute)
	for name, k := range keys {
		r := c.as(k.ID, k.Spec.Secret).do("GET", paths[name], nil).want(t, 403)
		e := r.failure(t)
		if e.Code != "user_unauthorized" || e.Title != "User Access Unauthorized" || !strings.Contains(e.Detail, sa.ID) {
			t.Errorf("%s: 403 body %s", name, r.body)
		}
		if strings.Contains(string(r.body), k.Spec.Secret) {
			t.Errorf("%s: the 403 body holds the secret", name)
		}
		if u := s.KeyUsage(k.ID); u.Forbidden != 1 || u.Unauthenticated != 1 || s.DataPlaneAuthFailures(k.ID) != 2 {
			t.Errorf("%s: usage %+v", name, u)
		}
	}
	// Cloud keys on the management API, and other owners, are unaffected.
	c.as(cloud.ID, cloud.Spec.Secret).do("GET", "/org/v2/environments", nil).want(t, 200)
	c.as(cloud.ID, cloud.Spec.Secret).do("GET", "/tableflow/v1/regions", nil).want(t, 200)
	c.as(goodKey.ID, goodKey.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 200)
	// KeyAuthenticates is about authentication only.
	if !s.KeyAuthenticates(keys["kafka"].ID) {
		t.Error("KeyAuthenticates false for a propagated key of an unauthorised owner")
	}
	// The audit log shows who was refused, and why.
	var authz []AuditEvent
	for _, ev := range s.AuditLog() {
		if ev.Data.MethodName == "Authorize" {
			authz = append(authz, ev)
		}
	}
	if len(authz) != len(keys) {
		t.Fatalf("%d Authorize events, want %d", len(authz), len(keys))
	}
	if ev := authz[0]; ev.Data.Result.HTTPStatus != 403 || ev.Data.Result.Status != AuditFailure ||
		ev.Data.AuthenticationInfo.Principal.ConfluentServiceAccount == nil ||
		ev.Data.AuthenticationInfo.Principal.ConfluentServiceAccount.ResourceID != sa.ID {
		t.Errorf("Authorize event %+v", ev.Data)
	}
	// Granting the role opens the data plane.
	s.SetOwnerAuthorized(sa.ID, true)
	if !s.OwnerAuthorized(sa.ID) {
		t.Error("OwnerAuthorized false after granting")
	}
	for name, k := range keys {
		c.as(k.ID, k.Spec.Secret).do("GET", paths[name], nil).want(t, 200)
	}
}

func TestUnauthorizedOwnersOption(t *testing.T) {
	s := Start(t, Options{UnauthorizedOwners: []string{"sa-nobody"}})
	if s.OwnerAuthorized("sa-nobody") || !s.OwnerAuthorized("sa-somebody") {
		t.Error("UnauthorizedOwners not applied")
	}
	// The option works for an owner created later under that ID.
	c := newClient(t, s)
	sa := s.CreateServiceAccount("later", "")
	s.SetOwnerAuthorized(sa.ID, false)
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 403)
}

func TestKeyUsageCounting(t *testing.T) {
	clk := newClock()
	s := Start(t, Options{PropagationDelay: time.Minute, Clock: clk})
	c := newClient(t, s)
	sa := c.createSA("usage")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 401)
	c.as(k.ID, "wrong").do("GET", kafkaProbe, nil).want(t, 401)
	clk.Advance(time.Minute)
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 200)
	c.as(k.ID, k.Spec.Secret).do("GET", "/kafka/v3/clusters/lkc-q1ck5t/nope", nil).want(t, 404)
	// Unknown IDs and the admin key are not counted.
	c.as("NOSUCHKEY0000001", "x").do("GET", kafkaProbe, nil).want(t, 401)
	c.do("GET", "/org/v2/environments", nil).want(t, 200)
	// Faults answer before authentication and are not counted.
	s.AddFault(Fault{Route: "GET /kafka/v3/clusters/{cluster_id}/topics", Kind: FaultStatus, Status: 503, Count: 1})
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 503)

	if u := s.KeyUsage(k.ID); u != (KeyUsage{OK: 1, Unauthenticated: 2}) {
		t.Errorf("usage %+v", u)
	}
	all := s.AllKeyUsage()
	if len(all) != 1 {
		t.Errorf("AllKeyUsage %v", all)
	}
	// A deleted key's failed probes still count.
	if err := s.DeleteAPIKey(k.ID); err != nil {
		t.Fatal(err)
	}
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 401)
	if got := s.DataPlaneAuthFailures(k.ID); got != 3 {
		t.Errorf("failures after deletion %d", got)
	}
	s.ResetCounters()
	if u := s.KeyUsage(k.ID); u != (KeyUsage{}) {
		t.Errorf("usage after reset %+v", u)
	}
}

func TestPropagationAdminEndpoints(t *testing.T) {
	clk := newClock()
	s := Start(t, Options{PropagationDelay: 2 * time.Second, Clock: clk, FaultSeed: 11})
	c := newClient(t, s)

	c.do("PUT", "/_mock/propagation-delay", `{"scopes":{"kafka":"120s","flink":30},"jitter":"1s","kafka_brokers":4,"kafka_broker_window":"5s"}`).want(t, 204)
	p := s.Propagation()
	if p.Delay != 2*time.Second || p.ScopeDelays["kafka"] != 120*time.Second || p.ScopeDelays["flink"] != 30*time.Second ||
		p.Jitter != time.Second || p.KafkaBrokers != 4 || p.KafkaBrokerWindow != 5*time.Second {
		t.Fatalf("after PUT: %+v", p)
	}
	// A partial update keeps the other fields; null drops one override.
	c.do("PUT", "/_mock/propagation-delay", `{"propagation_delay":"3s","scopes":{"flink":null}}`).want(t, 204)
	var got map[string]any
	c.do("GET", "/_mock/propagation-delay", nil).want(t, 200).decode(t, &got)
	want := map[string]any{
		"propagation_delay": "3s", "scopes": map[string]any{"kafka": "2m0s"}, "jitter": "1s",
		"kafka_brokers": float64(4), "kafka_broker_window": "5s",
	}
	if gb, wb := mustJSON(t, got), mustJSON(t, want); gb != wb {
		t.Errorf("GET propagation-delay = %s, want %s", gb, wb)
	}
	for _, body := range []string{
		`{"scopes":{"schema_registry":"1s"}}`, `{"jitter":"-1s"}`, `{"kafka_brokers":-2}`, `{"propagation_delay":"soon"}`, ``,
	} {
		if e := c.do("PUT", "/_mock/propagation-delay", body).want(t, 400).failure(t); e.Detail == "" {
			t.Errorf("%s: no detail", body)
		}
	}
	if s.Propagation().Delay != 3*time.Second {
		t.Error("a rejected update changed the settings")
	}

	// Key propagation and usage views.
	sa := c.createSA("admin-views")
	k := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t"})
	var view struct {
		First, Full time.Time
		Brokers     []time.Time
	}
	c.do("GET", "/_mock/api-keys/"+k.ID+"/propagation", nil).want(t, 200).decode(t, &view)
	first, full, _ := s.KeyPropagation(k.ID)
	if !view.First.Equal(first) || !view.Full.Equal(full) || len(view.Brokers) != 4 || full.Sub(first) != 5*time.Second {
		t.Errorf("propagation view %+v; first %v full %v", view, first, full)
	}
	c.do("GET", "/_mock/api-keys/NOSUCHKEY0000001/propagation", nil).want(t, 404)
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 401)
	var u KeyUsage
	c.do("GET", "/_mock/api-keys/"+k.ID+"/usage", nil).want(t, 200).decode(t, &u)
	if u.Unauthenticated != 1 {
		t.Errorf("usage view %+v", u)
	}
	var all map[string]KeyUsage
	c.do("GET", "/_mock/key-usage", nil).want(t, 200).decode(t, &all)
	if all[k.ID].Unauthenticated != 1 {
		t.Errorf("key-usage view %v", all)
	}
	c.do("DELETE", "/_mock/counters", nil).want(t, 204)
	if s.DataPlaneAuthFailures(k.ID) != 0 {
		t.Error("DELETE /_mock/counters kept the key usage")
	}

	// Owner authorisation.
	c.do("PUT", "/_mock/owners/"+sa.ID+"/authorization", `{"authorized":false}`).want(t, 204)
	var a map[string]bool
	c.do("GET", "/_mock/owners/"+sa.ID+"/authorization", nil).want(t, 200).decode(t, &a)
	if a["authorized"] || s.OwnerAuthorized(sa.ID) {
		t.Errorf("owner still authorised: %v", a)
	}
	clk.Set(full)
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 403)
	c.do("PUT", "/_mock/owners/"+sa.ID+"/authorization", `{}`).want(t, 400)
	c.do("PUT", "/_mock/owners/"+sa.ID+"/authorization", `{"authorized":true}`).want(t, 204)
	c.as(k.ID, k.Spec.Secret).do("GET", kafkaProbe, nil).want(t, 200)
	// The admin endpoints need the admin key.
	c.as(k.ID, k.Spec.Secret).do("PUT", "/_mock/owners/"+sa.ID+"/authorization", `{"authorized":false}`).want(t, 401)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
