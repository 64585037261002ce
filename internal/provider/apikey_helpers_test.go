// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

const (
	keyCreateRoute = "POST /iam/v2/api-keys"
	keyGetRoute    = "GET /iam/v2/api-keys/{id}"
	keyListRoute   = "GET /iam/v2/api-keys"
)

var (
	keyIDPattern     = regexp.MustCompile(`^[A-Z0-9]{16}$`)
	keySecretPattern = regexp.MustCompile(`^cflt[A-Za-z0-9+/]{60}$`)
)

// keyCase describes one API key resource type for the tests: its
// scope-specific arguments against the mock's default world, and what the
// create request must carry for them: spec.resource of the createIamV2ApiKey
// operation, https://docs.confluent.io/cloud/current/api.html#tag/API-Keys-(iamv2).
type keyCase struct {
	typ         string
	args        string
	scopeValues map[string]string
	resourceID  string
	// wireResource is spec.resource of the create request; nil means the
	// request must have no resource block (Cloud keys).
	wireResource map[string]any
}

// keyCases holds one case per row of the scope table, keyed by scope name
// ("kafka", "cloud", ...), built from the row's example values.
var keyCases = func() map[string]keyCase {
	out := map[string]keyCase{}
	for _, ex := range provider.APIKeyExamples() {
		var args []string
		values := map[string]string{}
		for _, a := range ex.Arguments {
			args = append(args, fmt.Sprintf("%s = %q", a[0], a[1]))
			values[a[0]] = a[1]
		}
		c := keyCase{
			typ:         ex.TypeName,
			args:        strings.Join(args, "\n  "),
			scopeValues: values,
			resourceID:  ex.ResourceID,
		}
		if ex.Request != "" {
			if err := json.Unmarshal([]byte(ex.Request), &c.wireResource); err != nil {
				panic(fmt.Sprintf("%s: example request: %v", ex.TypeName, err))
			}
		}
		out[string(ex.Scope)] = c
	}
	return out
}()

func (c keyCase) addr() string { return c.typ + ".test" }

// config renders the case's resource named "test" with an owner and extra
// body lines.
func (c keyCase) config(owner, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q \"test\" {\n  owner_id = %q\n", c.typ, owner)
	if c.args != "" {
		b.WriteString("  " + c.args + "\n")
	}
	if extra != "" {
		b.WriteString(extra + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// stateKeyIDs returns the IDs of every API key in state: each API key
// resource's current key and its previous keys (grace_period).
func stateKeyIDs(s *terraform.State) []string {
	var ids []string
	for _, rs := range s.RootModule().Resources {
		if strings.HasSuffix(rs.Type, "_api_key") && rs.Primary != nil {
			ids = append(ids, rs.Primary.ID)
			ids = append(ids, previousKeyIDs(rs.Primary.Attributes)...)
		}
	}
	sort.Strings(ids)
	return ids
}

func mockKeyIDs(m *mockcloud.Server) []string {
	var ids []string
	for _, k := range m.APIKeys() {
		ids = append(ids, k.ID)
	}
	sort.Strings(ids)
	return ids
}

// checkMockKeysMatchState checks that the mock holds exactly the keys
// Terraform tracks: no orphans, no duplicates.
func checkMockKeysMatchState(env *acctest.Env) func(*terraform.State) error {
	return func(s *terraform.State) error {
		inState, inMock := stateKeyIDs(s), mockKeyIDs(env.Mock)
		if !reflect.DeepEqual(inState, inMock) {
			return fmt.Errorf("the mock has keys %v but state tracks %v", inMock, inState)
		}
		return nil
	}
}

// checkNoMockKeys is a CheckDestroy: every key is gone from the mock.
func checkNoMockKeys(env *acctest.Env) func(*terraform.State) error {
	return func(*terraform.State) error {
		if ids := mockKeyIDs(env.Mock); len(ids) != 0 {
			return fmt.Errorf("the mock still has keys %v after destroy", ids)
		}
		return nil
	}
}

// stateID returns the ID of the resource at addr.
func stateID(s *terraform.State, addr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return "", fmt.Errorf("%s is not in state", addr)
	}
	return rs.Primary.ID, nil
}

// captureID stores the ID of addr in *dst.
func captureID(addr string, dst *string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		id, err := stateID(s, addr)
		*dst = id
		return err
	}
}

// auditIndex returns the position of the first audit event with the given
// method about the given key (for Authentication: a successful
// authentication with that key), or -1.
func auditIndex(events []mockcloud.AuditEvent, method, keyID string) int {
	for i, ev := range events {
		if ev.Data.MethodName != method {
			continue
		}
		if method == "Authentication" {
			if ev.Data.AuthenticationInfo.Principal.APIKey == keyID && ev.Data.Result.Status == mockcloud.AuditSuccess {
				return i
			}
			continue
		}
		for _, r := range ev.Data.CloudResources {
			if r.Resource.Type == "API_KEY" && r.Resource.ResourceID == keyID {
				return i
			}
		}
	}
	return -1
}

// checkRotationOrder checks that the new key was created and authenticated
// before the old one was deleted, that the old one is gone, and that the
// mock holds exactly the keys in state.
func checkRotationOrder(env *acctest.Env, addr string, oldID *string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		newID, err := stateID(s, addr)
		if err != nil {
			return err
		}
		if newID == *oldID {
			return fmt.Errorf("the key was not replaced: still %s", newID)
		}
		events := env.Mock.AuditLog()
		created := auditIndex(events, "CreateAPIKey", newID)
		ready := auditIndex(events, "Authentication", newID)
		deleted := auditIndex(events, "DeleteAPIKey", *oldID)
		if created < 0 || ready < 0 || deleted < 0 {
			return fmt.Errorf("audit log lacks events: create of new key %s at %d, its first successful "+
				"authentication at %d, delete of old key %s at %d", newID, created, ready, *oldID, deleted)
		}
		if created >= ready || ready >= deleted {
			return fmt.Errorf("wrong order: create of new key at %d, its first successful authentication at %d, "+
				"delete of old key at %d; want create < ready < delete", created, ready, deleted)
		}
		return checkMockKeysMatchState(env)(s)
	}
}

// checkCreateRequest checks the last create request the mock received: its
// owner, display name, marked description, and spec.resource exactly as the
// createIamV2ApiKey operation expects for the scope.
func checkCreateRequest(env *acctest.Env, c keyCase, owner, displayName, description string) func(*terraform.State) error {
	return func(*terraform.State) error {
		reqs := env.Mock.Requests(keyCreateRoute)
		if len(reqs) == 0 {
			return fmt.Errorf("the mock received no %s", keyCreateRoute)
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
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(description) + ` \[terraform-create:[a-z0-9]{12} until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\]$`).MatchString(desc) {
			return fmt.Errorf("spec.description is %q, want %q plus the create marker", desc, description)
		}
		got, present := spec["resource"]
		if c.wireResource == nil {
			if present {
				return fmt.Errorf("spec.resource is %v, want no resource block for a Cloud key", got)
			}
			return nil
		}
		if !reflect.DeepEqual(got, c.wireResource) {
			return fmt.Errorf("spec.resource is %v, want %v", got, c.wireResource)
		}
		return nil
	}
}

// checkMockKey checks the key in the mock against state: same secret, and
// the given display name and description.
func checkMockKey(env *acctest.Env, addr, displayName, description string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[addr]
		if rs == nil {
			return fmt.Errorf("%s is not in state", addr)
		}
		id := rs.Primary.ID
		for _, k := range env.Mock.APIKeys() {
			if k.ID != id {
				continue
			}
			if k.Spec.DisplayName != displayName || k.Spec.Description != description {
				return fmt.Errorf("key %s in the mock has name %q and description %q, want %q and %q",
					id, k.Spec.DisplayName, k.Spec.Description, displayName, description)
			}
			secret, _ := env.Mock.APIKeySecret(id)
			if secret == "" || secret != rs.Primary.Attributes["secret"] {
				return fmt.Errorf("the secret in state is not the secret of key %s", id)
			}
			return nil
		}
		return fmt.Errorf("key %s is not in the mock", id)
	}
}

// refForMock is the case's resource reference for creating keys directly
// in the mock.
func (c keyCase) refForMock() *ccloud.ObjectReference {
	if c.wireResource == nil {
		return nil
	}
	ref := &ccloud.ObjectReference{ID: c.wireResource["id"].(string)}
	if env, ok := c.wireResource["environment"].(string); ok {
		ref.Environment = env
	}
	return ref
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time: %w", s, err)
	}
	return t, nil
}

// parsePeriod parses "<n>d" or a Go duration.
func parsePeriod(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		return time.Duration(n) * 24 * time.Hour, err
	}
	return time.ParseDuration(s)
}

// previousKeyIDs returns the IDs in previous_keys of a resource's flat
// attributes, in order.
func previousKeyIDs(attrs map[string]string) []string {
	n, _ := strconv.Atoi(attrs["previous_keys.#"])
	ids := make([]string, 0, n)
	for i := range n {
		ids = append(ids, attrs[fmt.Sprintf("previous_keys.%d.id", i)])
	}
	return ids
}
