// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"testing"
	"time"

	"filippo.io/age"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// fakeState builds a JSON state of managed resources from address and
// attribute values.
func fakeState(resources map[string]map[string]any) *tfjson.State {
	root := &tfjson.StateModule{}
	for addr, values := range resources {
		typ := addr[:len(addr)-len(".test")]
		root.Resources = append(root.Resources, &tfjson.StateResource{
			Address: addr, Mode: tfjson.ManagedResourceMode, Type: typ, Name: "test", AttributeValues: values,
		})
	}
	return &tfjson.State{Values: &tfjson.StateValues{RootModule: root}}
}

func runCheck(c statecheck.StateCheck, s *tfjson.State) error {
	var resp statecheck.CheckStateResponse
	c.CheckState(context.Background(), statecheck.CheckStateRequest{State: s}, &resp)
	return resp.Error
}

// checkCase is a check, the state it gets, and whether it must pass.
type checkCase struct {
	name  string
	check statecheck.StateCheck
	state *tfjson.State
	pass  bool
}

func runCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		if err := runCheck(c.check, c.state); (err == nil) != c.pass {
			t.Errorf("%s: error %v, want pass %v", c.name, err, c.pass)
		}
	}
}

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// keyWorld is a mock with a service account and two Cloud keys.
type keyWorld struct {
	m                *mockcloud.Server
	owner            string
	k1, k2           string
	secret1, secret2 string
	stateWithBoth    *tfjson.State
	stateWithFirst   *tfjson.State
}

func newKeyWorld(t *testing.T) *keyWorld {
	t.Helper()
	m := mockcloud.Start(t, mockcloud.Options{})
	w := &keyWorld{m: m, owner: m.CreateServiceAccount("app", "").ID}
	for _, dst := range []*string{&w.k1, &w.k2} {
		k, err := m.CreateAPIKey(w.owner, nil, "orders", "v1")
		if err != nil {
			t.Fatal(err)
		}
		*dst = k.ID
	}
	w.secret1, _ = m.APIKeySecret(w.k1)
	w.secret2, _ = m.APIKeySecret(w.k2)
	w.stateWithBoth = fakeState(map[string]map[string]any{"ccloud_cloud_api_key.test": {
		"id": w.k2, "secret": w.secret2, "previous_keys": []any{map[string]any{"id": w.k1}},
	}})
	w.stateWithFirst = fakeState(map[string]map[string]any{"ccloud_cloud_api_key.test": {
		"id": w.k1, "secret": w.secret1, "previous_keys": []any{},
	}})
	return w
}

func TestStateChecks_keys(t *testing.T) {
	t.Parallel()
	w := newKeyWorld(t)
	addr := "ccloud_cloud_api_key.test"
	wrongSecret := fakeState(map[string]map[string]any{addr: {"id": w.k1, "secret": w.secret2}})
	missing := "AAAAAAAAAAAAAAAA"
	runCases(t, []checkCase{
		{"match with previous key", ExpectMockKeysMatchState(w.m), w.stateWithBoth, true},
		{"match misses an orphan", ExpectMockKeysMatchState(w.m), w.stateWithFirst, false},
		{"match needs a state", ExpectMockKeysMatchState(w.m), nil, false},
		{"exact keys", ExpectMockKeys(w.m, &w.k2, &w.k1), nil, true},
		{"exact keys, one short", ExpectMockKeys(w.m, &w.k1), nil, false},
		{"count", ExpectMockKeyCount(w.m, 2), nil, true},
		{"count off", ExpectMockKeyCount(w.m, 1), nil, false},
		{"exist", ExpectMockKeysExist(w.m, &w.k1, &w.k2), nil, true},
		{"exist, one missing", ExpectMockKeysExist(w.m, &w.k1, &missing), nil, false},
		{"gone", ExpectMockKeysGone(w.m, &missing), nil, true},
		{"gone, one present", ExpectMockKeysGone(w.m, &missing, &w.k2), nil, false},
		{"mock key", ExpectMockKey(w.m, addr, "orders", "v1"), w.stateWithFirst, true},
		{"mock key, other name", ExpectMockKey(w.m, addr, "orders", "v2"), w.stateWithFirst, false},
		{"mock key, other secret", ExpectMockKey(w.m, addr, "orders", "v1"), wrongSecret, false},
		{"mock key, not in state", ExpectMockKey(w.m, "ccloud_kafka_api_key.test", "orders", "v1"), w.stateWithFirst, false},
		{"works", ExpectKeyWorks(w.m, addr), w.stateWithBoth, true},
		{"works, other secret", ExpectKeyWorks(w.m, addr), wrongSecret, false},
		{"previous keys", ExpectPreviousKeys(w.m, addr, &w.k1), w.stateWithBoth, true},
		{"previous keys, none expected", ExpectPreviousKeys(w.m, addr), w.stateWithBoth, false},
		{"no create markers", ExpectNoCreateMarkers(w.m), nil, true},
		{"no secrets in state", ExpectNoMockSecretsInState(w.m), fakeState(map[string]map[string]any{addr: {"id": w.k1}}), true},
		{"a secret in state", ExpectNoMockSecretsInState(w.m), w.stateWithFirst, false},
		{"deleted keys, none", ExpectDeletedKeys(w.m), nil, true},
		{"deleted keys, one too many", ExpectDeletedKeys(w.m, &w.k1), nil, false},
	})

	// A key whose create never finished keeps its marker.
	if _, err := w.m.CreateAPIKey(w.owner, nil, "", "x [terraform-create:abcdefabcdef until 2030-01-01T00:00:00Z]"); err != nil {
		t.Fatal(err)
	}
	if err := runCheck(ExpectNoCreateMarkers(w.m), nil); err == nil {
		t.Error("a key with a create marker passed ExpectNoCreateMarkers")
	}
}

func TestStateChecks_destroyedAndCapture(t *testing.T) {
	t.Parallel()
	w := newKeyWorld(t)
	var captured string
	if err := runCheck(CaptureID("ccloud_cloud_api_key.test", &captured), w.stateWithBoth); err != nil || captured != w.k2 {
		t.Fatalf("CaptureID: %q, %v; want %s", captured, err, w.k2)
	}
	if err := runCheck(CaptureID("ccloud_kafka_api_key.test", &captured), w.stateWithBoth); err == nil {
		t.Error("CaptureID of a missing resource passed")
	}
	noKeys := Destroyed(ExpectMockKeys(w.m))
	if err := noKeys(nil); err == nil {
		t.Error("Destroyed(ExpectMockKeys()) passed while the mock holds keys")
	}
	// A check that needs a resource fails on the empty state it gets.
	if err := Destroyed(ExpectKeyWorks(w.m, "ccloud_cloud_api_key.test"))(nil); err == nil {
		t.Error("a check needing a resource passed after destroy")
	}
	for _, id := range []string{w.k1, w.k2} {
		if err := w.m.DeleteAPIKey(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := noKeys(nil); err != nil {
		t.Errorf("Destroyed(ExpectMockKeys()) with no keys: %v", err)
	}
}

func TestStateChecks_times(t *testing.T) {
	t.Parallel()
	addr := "ccloud_kafka_api_key.test"
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	retire := now.Add(72 * time.Hour).Add(-time.Second).Format(time.RFC3339)
	s := fakeState(map[string]map[string]any{addr: {
		"created_at":         "2030-01-01T00:00:00Z",
		"rotation_due_at":    "2030-03-02T00:00:00Z",
		"previous_keys":      []any{map[string]any{"id": "K0", "retire_at": retire}},
		"next_retirement_at": retire,
	}})
	clock := func() time.Time { return now }
	runCases(t, []checkCase{
		{"due in 60 days", ExpectRotationDueAt(addr, "60d"), s, true},
		{"due in 30 days", ExpectRotationDueAt(addr, "30d"), s, false},
		{"retires after the grace", ExpectRetireAt(addr, 0, 72*time.Hour, clock), s, true},
		{"retires after a longer grace", ExpectRetireAt(addr, 0, 96*time.Hour, clock), s, false},
		{"no second previous key", ExpectRetireAt(addr, 1, 72*time.Hour, clock), s, false},
	})
}

func TestStateChecks_serviceAccountsAndValues(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	sa := m.CreateServiceAccount("orders-app", "Runs orders.")
	addr := "ccloud_service_account.test"
	s := fakeState(map[string]map[string]any{addr: {"id": sa.ID, "nested": []any{map[string]any{"x": "needle"}}}})
	other := fakeState(map[string]map[string]any{addr: {"id": "sa-other"}})
	runCases(t, []checkCase{
		{"account", ExpectMockServiceAccount(m, addr, "orders-app", "Runs orders."), s, true},
		{"account, other ID in state", ExpectMockServiceAccount(m, addr, "orders-app", "Runs orders."), other, false},
		{"account, other description", ExpectMockServiceAccount(m, "", "orders-app", ""), nil, false},
		{"no account named", ExpectNoMockServiceAccounts(m, "payments"), nil, true},
		{"an account named", ExpectNoMockServiceAccounts(m, "payments", "orders-app"), nil, false},
		{"count", ExpectMockServiceAccountCount(m, 1), nil, true},
		{"resource count", ExpectResourceCount(1), s, true},
		{"resource count off", ExpectResourceCount(0), s, false},
		{"an empty state has no resources", ExpectResourceCount(0), &tfjson.State{}, true},
		{"no state at all", ExpectResourceCount(0), nil, false},
		{"no forbidden value", ExpectNoValueIn(map[string]bool{"hay": true}), s, true},
		{"a nested forbidden value", ExpectNoValueIn(map[string]bool{"needle": true}), s, false},
		{"no PATCH", ExpectNoRequests(m, "PATCH"), nil, true},
		{"no creates", ExpectRequestCount(m, KeyCreateRoute, 0), nil, true},
	})
}

func TestStateChecks_sealed(t *testing.T) {
	t.Parallel()
	w := newKeyWorld(t)
	id, other := newIdentity(t), newIdentity(t)
	sealed, err := seal.Seal(w.secret1, []string{id.Recipient().String()})
	if err != nil {
		t.Fatal(err)
	}
	addr := "ccloud_cloud_api_key.test"
	good := fakeState(map[string]map[string]any{addr: {"id": w.k1, "encrypted_secret": sealed}})
	plain := fakeState(map[string]map[string]any{addr: {"id": w.k1, "secret": w.secret1, "encrypted_secret": sealed}})
	otherKey := fakeState(map[string]map[string]any{addr: {"id": w.k2, "encrypted_secret": sealed}})
	runCases(t, []checkCase{
		{"sealed", ExpectSealedSecret(w.m, id.String(), addr), good, true},
		{"sealed, plain secret too", ExpectSealedSecret(w.m, id.String(), addr), plain, false},
		{"sealed, another key's secret", ExpectSealedSecret(w.m, id.String(), addr), otherKey, false},
		{"sealed, wrong identity", ExpectSealedSecret(w.m, other.String(), addr), good, false},
		{"not sealed to another", ExpectNotSealedTo(addr, other.String()), good, true},
		{"not sealed to a recipient", ExpectNotSealedTo(addr, id.String()), good, false},
	})
}
