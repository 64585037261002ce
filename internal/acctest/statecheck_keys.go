// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// KeyCreateRoute is the mock's route for creating an API key.
const KeyCreateRoute = "POST /iam/v2/api-keys"

// MockKeyIDs returns the IDs of every API key in the mock, sorted; nil when
// there are none.
func MockKeyIDs(m *mockcloud.Server) []string {
	var ids []string
	for _, k := range m.APIKeys() {
		ids = append(ids, k.ID)
	}
	sort.Strings(ids)
	return ids
}

// stateKeyIDs returns the IDs of every API key in state, sorted: each API
// key resource's current key and its previous keys (grace_period).
func stateKeyIDs(s *tfjson.State) ([]string, error) {
	rs, err := managedResources(s)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, r := range rs {
		if isAPIKey(r) {
			ids = append(ids, stringAttr(r, "id"))
			ids = append(ids, previousKeyIDs(r)...)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// previousKeyIDs returns the IDs in previous_keys of r, in order.
func previousKeyIDs(r *tfjson.StateResource) []string {
	list, _ := r.AttributeValues["previous_keys"].([]any)
	ids := make([]string, 0, len(list))
	for _, e := range list {
		obj, _ := e.(map[string]any)
		id, _ := obj["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

// deref returns the strings the pointers hold now.
func deref(ps []*string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}

// ExpectMockKeysMatchState checks that the mock holds exactly the keys
// Terraform tracks, current and previous: no orphans, no duplicates.
func ExpectMockKeysMatchState(m *mockcloud.Server) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error { return mockKeysMatchState(m, s) })
}

func mockKeysMatchState(m *mockcloud.Server, s *tfjson.State) error {
	inState, err := stateKeyIDs(s)
	if err != nil {
		return err
	}
	if inMock := MockKeyIDs(m); !slices.Equal(inState, inMock) {
		return fmt.Errorf("the mock has keys %v but state tracks %v", inMock, inState)
	}
	return nil
}

// ExpectMockKeys checks that the mock holds exactly the keys whose IDs the
// pointers hold when the check runs; with none, that it holds no key.
func ExpectMockKeys(m *mockcloud.Server, want ...*string) statecheck.StateCheck {
	return mockCheck(func() error {
		wantIDs := deref(want)
		sort.Strings(wantIDs)
		if got := MockKeyIDs(m); !slices.Equal(got, wantIDs) {
			return fmt.Errorf("the mock holds keys %v, want exactly %v", got, wantIDs)
		}
		return nil
	})
}

// ExpectMockKeyCount checks that the mock holds n keys.
func ExpectMockKeyCount(m *mockcloud.Server, n int) statecheck.StateCheck {
	return mockCheck(func() error {
		if got := MockKeyIDs(m); len(got) != n {
			return fmt.Errorf("the mock holds %d keys %v, want %d", len(got), got, n)
		}
		return nil
	})
}

// ExpectMockKeysExist checks that every key whose ID the pointers hold is
// still in the mock.
func ExpectMockKeysExist(m *mockcloud.Server, ids ...*string) statecheck.StateCheck {
	return mockCheck(func() error {
		have := MockKeyIDs(m)
		for _, id := range deref(ids) {
			if !slices.Contains(have, id) {
				return fmt.Errorf("key %q is no longer in the mock", id)
			}
		}
		return nil
	})
}

// ExpectMockKeysGone checks that no key whose ID the pointers hold is in the
// mock.
func ExpectMockKeysGone(m *mockcloud.Server, ids ...*string) statecheck.StateCheck {
	return mockCheck(func() error {
		have := MockKeyIDs(m)
		for _, id := range deref(ids) {
			if id == "" {
				return errors.New("a key expected gone has no ID: it was never captured")
			}
			if slices.Contains(have, id) {
				return fmt.Errorf("key %s is still in the mock", id)
			}
		}
		return nil
	})
}

// ExpectNoMockSecretsInState checks that the secret of no key in the mock
// appears anywhere in the JSON state, as with data sources, which never
// hold secrets.
func ExpectNoMockSecretsInState(m *mockcloud.Server) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		if s == nil {
			return errors.New("there is no state")
		}
		raw, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, k := range m.APIKeys() {
			if secret, ok := m.APIKeySecret(k.ID); ok && secret != "" && strings.Contains(string(raw), secret) {
				return fmt.Errorf("the secret of key %s appears in the state", k.ID)
			}
		}
		return nil
	})
}

// ExpectNoCreateMarkers checks that no key in the mock still carries a
// create marker in its description: every create the provider started
// finished and cleared its lease.
func ExpectNoCreateMarkers(m *mockcloud.Server) statecheck.StateCheck {
	return mockCheck(func() error {
		for _, k := range m.APIKeys() {
			if strings.Contains(k.Spec.Description, keyengine.CreateMarkerPrefix) {
				return fmt.Errorf("key %s still carries a create marker: %q", k.ID, k.Spec.Description)
			}
		}
		return nil
	})
}

// ExpectMockKey checks the key of the resource at addr against the mock:
// the mock holds it with this display name and description, and the secret
// in state is the key's secret.
func ExpectMockKey(m *mockcloud.Server, addr, displayName, description string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		id := stringAttr(r, "id")
		for _, k := range m.APIKeys() {
			if k.ID != id {
				continue
			}
			if k.Spec.DisplayName != displayName || k.Spec.Description != description {
				return fmt.Errorf("key %s in the mock has name %q and description %q, want %q and %q",
					id, k.Spec.DisplayName, k.Spec.Description, displayName, description)
			}
			secret, _ := m.APIKeySecret(id)
			if secret == "" || secret != stringAttr(r, "secret") {
				return fmt.Errorf("the secret of %s in state is not the secret of key %s", addr, id)
			}
			return nil
		}
		return fmt.Errorf("key %s of %s is not in the mock", id, addr)
	})
}

// ExpectKeyWorks checks that the current key of addr authenticates on its
// data plane and that state holds its secret. A key sealed to
// secret_recipients has no plain secret in state; ExpectSealedSecret checks
// what its encrypted_secret holds.
func ExpectKeyWorks(m *mockcloud.Server, addr string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		id := stringAttr(r, "id")
		if !m.KeyAuthenticates(id) {
			return fmt.Errorf("current key %q of %s does not authenticate", id, addr)
		}
		if r.AttributeValues["secret"] == nil && stringAttr(r, "encrypted_secret") != "" {
			return nil
		}
		if secret, ok := m.APIKeySecret(id); !ok || secret != stringAttr(r, "secret") {
			return fmt.Errorf("the secret of %s in state is not the secret of current key %s", addr, id)
		}
		return nil
	})
}

// ExpectPreviousKeys checks that previous_keys of addr holds exactly the
// keys whose IDs the pointers hold, in order, and that each still
// authenticates on its data plane.
func ExpectPreviousKeys(m *mockcloud.Server, addr string, want ...*string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		got, wantIDs := previousKeyIDs(r), deref(want)
		if !reflect.DeepEqual(got, wantIDs) {
			return fmt.Errorf("previous_keys of %s are %v, want %v", addr, got, wantIDs)
		}
		for _, id := range got {
			if !m.KeyAuthenticates(id) {
				return fmt.Errorf("previous key %s of %s does not authenticate", id, addr)
			}
		}
		return nil
	})
}

// createMarker is the lease the provider appends to a new key's description
// while it creates the key.
var createMarker = ` \[terraform-create:[a-z0-9]{12} until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\]$`

// ExpectKeyCreateRequest checks the last create request the mock received:
// a body with only spec, the owner, the display name, the description with
// a create marker, and spec.resource exactly as given (nil: no resource
// block, as for a Cloud key), as the createIamV2ApiKey operation expects.
func ExpectKeyCreateRequest(m *mockcloud.Server, owner, displayName, description string, resource map[string]any) statecheck.StateCheck {
	return mockCheck(func() error {
		reqs := m.Requests(KeyCreateRoute)
		if len(reqs) == 0 {
			return fmt.Errorf("the mock received no %s", KeyCreateRoute)
		}
		var body map[string]any
		if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
			return fmt.Errorf("create body is not JSON: %w", err)
		}
		if len(body) != 1 {
			return fmt.Errorf("create body has keys %v, want only spec", body)
		}
		spec, _ := body["spec"].(map[string]any)
		owners, _ := spec["owner"].(map[string]any)
		if owners["id"] != owner {
			return fmt.Errorf("spec.owner is %v, want id %s", spec["owner"], owner)
		}
		if spec["display_name"] != displayName {
			return fmt.Errorf("spec.display_name is %v, want %q", spec["display_name"], displayName)
		}
		desc, _ := spec["description"].(string)
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(description) + createMarker).MatchString(desc) {
			return fmt.Errorf("spec.description is %q, want %q plus the create marker", desc, description)
		}
		got, present := spec["resource"]
		switch {
		case resource == nil && present:
			return fmt.Errorf("spec.resource is %v, want no resource block for a Cloud key", got)
		case resource != nil && !reflect.DeepEqual(got, resource):
			return fmt.Errorf("spec.resource is %v, want %v", got, resource)
		}
		return nil
	})
}

// parsePeriod parses "<n>d" or a Go duration.
func parsePeriod(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		return time.Duration(n) * 24 * time.Hour, err
	}
	return time.ParseDuration(s)
}

// timeAttr parses an RFC 3339 attribute.
func timeAttr(v any, what string) (time.Time, error) {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time: %w", what, s, err)
	}
	return t, nil
}

// ExpectRotationDueAt checks that rotation_due_at of addr is created_at
// plus period ("90d" or a Go duration).
func ExpectRotationDueAt(addr, period string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		created, err := timeAttr(r.AttributeValues["created_at"], "created_at")
		if err != nil {
			return err
		}
		due, err := timeAttr(r.AttributeValues["rotation_due_at"], "rotation_due_at")
		if err != nil {
			return err
		}
		want, err := parsePeriod(period)
		if err != nil {
			return err
		}
		if got := due.Sub(created); got != want {
			return fmt.Errorf("rotation_due_at - created_at of %s = %s, want %s", addr, got, want)
		}
		return nil
	})
}

// ExpectRetireAt checks that previous key i of addr retires grace after
// now(), give or take the apply's own duration, and that
// next_retirement_at is the first previous key's retire_at.
func ExpectRetireAt(addr string, i int, grace time.Duration, now func() time.Time) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		list, _ := r.AttributeValues["previous_keys"].([]any)
		if i >= len(list) {
			return fmt.Errorf("%s has %d previous keys, no key %d", addr, len(list), i)
		}
		retireAt := func(j int) any { obj, _ := list[j].(map[string]any); return obj["retire_at"] }
		at, err := timeAttr(retireAt(i), "retire_at")
		if err != nil {
			return err
		}
		want := now().Add(grace)
		if d := want.Sub(at); d < 0 || d > 5*time.Minute {
			return fmt.Errorf("previous key %d of %s retires at %s, want about %s", i, addr, at, want)
		}
		if next := r.AttributeValues["next_retirement_at"]; next != retireAt(0) {
			return fmt.Errorf("next_retirement_at of %s is %v, want the first retire_at %v", addr, next, retireAt(0))
		}
		return nil
	})
}

// ExpectSealedSecret checks each key at addrs: no plain secret in state, and
// an encrypted_secret that the identity opens to the key's secret in the
// mock.
func ExpectSealedSecret(m *mockcloud.Server, identity string, addrs ...string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		for _, addr := range addrs {
			r, err := resourceAt(s, addr)
			if err != nil {
				return err
			}
			id := stringAttr(r, "id")
			want, ok := m.APIKeySecret(id)
			if !ok {
				return fmt.Errorf("key %s of %s is not in the mock", id, addr)
			}
			if r.AttributeValues["secret"] != nil {
				return fmt.Errorf("%s has a plain secret in state", addr)
			}
			got, err := seal.Open(stringAttr(r, "encrypted_secret"), identity)
			if err != nil {
				return fmt.Errorf("opening the encrypted_secret of %s: %w", addr, err)
			}
			if got != want {
				return fmt.Errorf("the encrypted_secret of %s does not hold key %s's secret", addr, id)
			}
		}
		return nil
	})
}

// ExpectNotSealedTo checks that the identity cannot open the
// encrypted_secret of addr: it is no longer a recipient.
func ExpectNotSealedTo(addr, identity string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		if _, err := seal.Open(stringAttr(r, "encrypted_secret"), identity); err == nil {
			return fmt.Errorf("an identity that is not a recipient opens the secret of %s", addr)
		}
		return nil
	})
}
