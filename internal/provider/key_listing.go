// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// keyListing lists keys one a line, sorted by ID, each with its name and
// scope, for the messages that name the keys a deletion would take along.
func keyListing(keys []ccloud.APIKey) string {
	sorted := append([]ccloud.APIKey(nil), keys...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var b strings.Builder
	for _, k := range sorted {
		fmt.Fprintf(&b, "  - %s", k.ID)
		if k.Spec.DisplayName != "" {
			fmt.Fprintf(&b, " %q", k.Spec.DisplayName)
		}
		fmt.Fprintf(&b, ": %s\n", describeKeyScope(k.Spec.Resource))
	}
	return b.String()
}

// describeKeyScope names a key's scope and the resource it is for, for
// example "kafka key for lkc-abc123 in env-abc123". Keys that are for the
// whole organisation (Cloud and Global keys) say so.
func describeKeyScope(ref *ccloud.ObjectReference) string {
	scope := ccloud.ScopeOf(ref)
	f := ccloud.FactsOf(scope)
	switch {
	case f != nil && f.OrganisationWide:
		return string(scope) + " key (organisation-wide)"
	case f != nil && f.LiteralID != "", ref == nil:
		return string(scope) + " key"
	case ref.Environment != "":
		return fmt.Sprintf("%s key for %s in %s", scope, ref.ID, ref.Environment)
	default:
		return fmt.Sprintf("%s key for %s", scope, ref.ID)
	}
}
