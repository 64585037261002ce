// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"sort"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
)

// mockSAIDs returns the IDs of the mock's service accounts, sorted.
func mockSAIDs(env *acctest.Env) []string {
	var ids []string
	for _, sa := range env.Mock.ServiceAccounts() {
		ids = append(ids, sa.ID)
	}
	sort.Strings(ids)
	return ids
}

// without returns ids minus the members of skip.
func without(ids []string, skip map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !skip[id] {
			out = append(out, id)
		}
	}
	return out
}

// setOf returns ids as a set.
func setOf(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// duplicates returns the IDs that occur more than once in sorted ids.
func duplicates(ids []string) []string {
	var out []string
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] && (len(out) == 0 || out[len(out)-1] != ids[i]) {
			out = append(out, ids[i])
		}
	}
	return out
}

// missingFrom returns the members of ids that are not in set.
func missingFrom(ids []string, set map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !set[id] {
			out = append(out, id)
		}
	}
	return out
}
