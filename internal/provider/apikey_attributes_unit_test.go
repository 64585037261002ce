// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// validatorDescriptions names the validators of an attribute, in order.
func validatorDescriptions(vs []validator.String) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Description(context.Background()))
	}
	return out
}

// TestKeyAttributes_sameInBothKinds checks, for every scope, that each
// attribute the managed and the ephemeral key resources share has the same
// validators and the same required, optional, computed and sensitive flags in
// both schemas, and that the ephemeral schema refuses what the managed one
// refuses in display_name and description.
func TestKeyAttributes_sameInBothKinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, s := range apiKeyScopes {
		managed, ephemeral := s.schema(ctx), s.ephemeralSchema(ctx)
		for name, ea := range ephemeral.Attributes {
			if name == "wait_for_ready" {
				continue // A bool that only the managed schema can default.
			}
			e, ok := ea.(eschema.StringAttribute)
			if !ok {
				t.Errorf("%s: ephemeral %s is a %T, want a string", s.typeName, name, ea)
				continue
			}
			m, ok := managed.Attributes[name].(rschema.StringAttribute)
			if !ok {
				t.Errorf("%s: the managed resource has no string attribute %s", s.typeName, name)
				continue
			}
			if got, want := strings.Join(validatorDescriptions(e.Validators), "; "),
				strings.Join(validatorDescriptions(m.Validators), "; "); got != want {
				t.Errorf("%s.%s: ephemeral validators %q, managed %q", s.typeName, name, got, want)
			}
			if e.Required != m.Required || e.Optional != m.Optional || e.Computed != m.Computed || e.Sensitive != m.Sensitive {
				t.Errorf("%s.%s: ephemeral flags %v/%v/%v/%v, managed %v/%v/%v/%v (required/optional/computed/sensitive)",
					s.typeName, name, e.Required, e.Optional, e.Computed, e.Sensitive, m.Required, m.Optional, m.Computed, m.Sensitive)
			}
		}
		for _, a := range s.keyAttributes() {
			if _, ok := ephemeral.Attributes[a.name]; !ok {
				t.Errorf("%s: the ephemeral schema lacks the shared attribute %s", s.typeName, a.name)
			}
		}
		for name, cases := range map[string]map[string]bool{
			"display_name": {"orders": true, "\u3164": false, "pay\u200bments": false, "   ": false},
			"description":  {"orders\nreader": true, "\u2800": false, "a [terraform-create:x]": false, "a\u202eb": false},
		} {
			e := ephemeral.Attributes[name].(eschema.StringAttribute)
			for value, ok := range cases {
				got := ""
				for _, v := range e.Validators {
					if got = validateText(v, value); got != "" {
						break
					}
				}
				if (got == "") != ok {
					t.Errorf("%s: ephemeral %s %q: error %q, want ok=%v", s.typeName, name, value, got, ok)
				}
			}
		}
	}
}
