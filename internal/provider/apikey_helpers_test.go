// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

const (
	keyCreateRoute = acctest.KeyCreateRoute
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

// mockKeyIDs returns the IDs of every API key in the mock, sorted.
func mockKeyIDs(m *mockcloud.Server) []string { return acctest.MockKeyIDs(m) }

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
