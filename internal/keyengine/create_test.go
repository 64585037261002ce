// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

const createRoute = "POST /iam/v2/api-keys"

func kafkaSpec(owner string) ccloud.APIKeyCreateSpec {
	return ccloud.APIKeyCreateSpec{
		DisplayName: "orders",
		Description: "orders reader",
		Owner:       ccloud.ObjectReference{ID: owner},
		Resource:    &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"},
	}
}

func mockKeyIDs(m *mockcloud.Server) map[string]ccloud.APIKey {
	out := map[string]ccloud.APIKey{}
	for _, k := range m.APIKeys() {
		out[k.ID] = k
	}
	return out
}

// TestKeyCreator_lostResponse checks the reconciliation after a create whose
// answer is lost: the key that create made is deleted, the retry's key is
// returned, and keys with identical attributes that this request did not
// create (another run's, with another nonce, or a person's) survive.
func TestKeyCreator_lostResponse(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)

		bystanders := map[string]bool{}
		for _, desc := range []string{spec.Description, withMarker(spec.Description, createMarker())} {
			k, err := m.CreateAPIKey(sa.ID, spec.Resource, spec.DisplayName, desc)
			if err != nil {
				t.Fatal(err)
			}
			bystanders[k.ID] = true
		}

		m.AddFault(mockcloud.Fault{Route: createRoute, Kind: mockcloud.FaultLoseResponse, Count: 1})
		e := newBubbleEngine(t, c)
		key, err := e.Create(t.Context(), spec, CreateOptions{})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if key.Spec.Secret == "" || !strings.HasPrefix(key.Spec.Description, spec.Description+" "+CreateMarkerPrefix) {
			t.Errorf("created key: secret set %v, description %q; want a secret and the marked description",
				key.Spec.Secret != "", key.Spec.Description)
		}
		if n := m.RequestCounts()[createRoute]; n != 2 {
			t.Errorf("%d create requests, want 2 (the lost one and the retry)", n)
		}
		keys := mockKeyIDs(m)
		if len(keys) != 3 {
			t.Errorf("the mock has %d keys, want 3 (two bystanders and the new key): %v", len(keys), keys)
		}
		if _, ok := keys[key.ID]; !ok {
			t.Errorf("the returned key %s does not exist in the mock", key.ID)
		}
		for id := range bystanders {
			if _, ok := keys[id]; !ok {
				t.Errorf("bystander key %s with identical attributes was deleted", id)
			}
		}
		deletes := 0
		for _, ev := range m.AuditLog() {
			if ev.Data.MethodName == "DeleteAPIKey" {
				deletes++
			}
		}
		if deletes != 1 {
			t.Errorf("%d DeleteAPIKey events, want 1 (the key of the lost create)", deletes)
		}

		restored, err := e.FinishCreate(t.Context(), key, spec.Description)
		if err != nil {
			t.Fatal(err)
		}
		if restored.Spec.Description != spec.Description {
			t.Errorf("restored description %q, want %q", restored.Spec.Description, spec.Description)
		}
	})
}

// TestKeyCreator_allResponsesLost checks that giving up leaves no key behind.
func TestKeyCreator_allResponsesLost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		spec.Resource = nil // A Cloud key.

		m.AddFault(mockcloud.Fault{Route: createRoute, Kind: mockcloud.FaultLoseResponse})
		_, err := newBubbleEngine(t, c).Create(t.Context(), spec, CreateOptions{})
		if err == nil || !ccloud.IsOutcomeUnknown(err) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
			t.Fatalf("create: got %v, want an outcome-unknown error that gave up after 3 attempts", err)
		}
		if n := m.RequestCounts()[createRoute]; n != maxCreateAttempts {
			t.Errorf("%d create requests, want %d", n, maxCreateAttempts)
		}
		if keys := m.APIKeys(); len(keys) != 0 {
			t.Errorf("the mock has %d keys after giving up, want none", len(keys))
		}
	})
}

// TestKeyCreator_reconcileFails checks that a failed reconciliation is an
// error that names the marker to look for, and is never followed by a blind
// retry.
func TestKeyCreator_reconcileFails(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		sa := m.CreateServiceAccount("app", "")

		m.AddFault(mockcloud.Fault{Route: createRoute, Kind: mockcloud.FaultLoseResponse, Count: 1})
		m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/api-keys", Kind: mockcloud.FaultStatus, Status: 403})
		_, err := newBubbleEngine(t, c).Create(t.Context(), kafkaSpec(sa.ID), CreateOptions{})
		if err == nil || !strings.Contains(err.Error(), CreateMarkerPrefix) {
			t.Fatalf("create: got %v, want an error naming the marker", err)
		}
		if n := m.RequestCounts()[createRoute]; n != 1 {
			t.Errorf("%d create requests, want 1: no retry without a successful reconciliation", n)
		}
	})
}

func TestKeyedMutex_serialisesEqualKeys(t *testing.T) {
	t.Parallel()
	var km keyedMutex
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := km.lock("same")
			n := inside.Add(1)
			for {
				old := maxInside.Load()
				if n <= old || maxInside.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	// A different key is never blocked by "same".
	done := make(chan struct{})
	go func() {
		km.lock("other")()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a different key was blocked")
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Errorf("%d holders at once, want 1", maxInside.Load())
	}
	km.mu.Lock()
	defer km.mu.Unlock()
	if len(km.locks) != 0 {
		t.Errorf("%d lock entries left, want 0", len(km.locks))
	}
}

func TestCreateMarker_unique(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		seen := map[string]bool{}
		for range 1000 {
			m := createMarker()
			if len(m) != len(CreateMarkerPrefix)+createNonceLen+1 || seen[m] {
				t.Fatalf("bad or repeated marker %q", m)
			}
			seen[m] = true
		}
	})
}
