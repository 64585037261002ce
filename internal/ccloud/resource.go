// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import "strings"

// The rules in this file say what a key's owner and resource references
// mean. They are the only place the provider, the data source, the key
// engine and the migration code learn them, so that a change in the API
// (another literal ID, another Flink form) is made once.

// ResourceID names the resource a key is scoped to the way the list filter
// and the API's answers name it: a cluster ID, a Flink region ID
// "<cloud>.<region>" (the legacy environment prefix dropped), or one of the
// literals "cloud", "tableflow" and "global" in lower case, as the API
// answers them whatever case the request used.
func ResourceID(ref *ObjectReference) string {
	f := FactsOf(ScopeOf(ref))
	switch {
	case f != nil && f.LiteralID != "":
		return f.LiteralID
	case f != nil && f.canonicalID != nil:
		return f.canonicalID(ref.ID)
	}
	return ref.ID
}

// ResourceFilter puts a spec.resource list filter in the form the API
// answers with. It is ResourceID, except that "" stays "" (no filter) and a
// legacy Flink ID keeps its environment prefix, since only that exact
// string matches the keys stored under it.
func ResourceFilter(id string) string {
	if id == "" {
		return ""
	}
	if env, _, _, ok := ParseFlinkRegionID(id); ok && env != "" {
		return id
	}
	return ResourceID(&ObjectReference{ID: id})
}

// EnvironmentOf is the environment of a key's resource: the reference's
// environment for keys of scopes in an environment, or, for a key of a
// legacy ID form that carried it (a Flink key created before March 2024,
// "<env>.<cloud>.<region>"), the one its ID carries. Keys of other scopes
// have none.
func EnvironmentOf(ref *ObjectReference) string {
	f := FactsOf(ScopeOf(ref))
	switch {
	case f == nil || !f.InEnvironment():
		return ""
	case ref.Environment == "" && f.legacyEnvironment != nil:
		return f.legacyEnvironment(ref.ID)
	}
	return ref.Environment
}

// SameResource reports whether a key read from the API is scoped to the
// resource a request reference names, environment included when the
// request names one.
func SameResource(want, got *ObjectReference) bool {
	if ScopeOf(want) != ScopeOf(got) || ResourceID(want) != ResourceID(got) {
		return false
	}
	if want == nil || want.Environment == "" {
		return true
	}
	return EnvironmentOf(got) == want.Environment
}

// OwnerKind names the kind of a key's owner: the kind the API sent, or for
// a reference without one the kind its ID's prefix implies.
func OwnerKind(ref *ObjectReference) string {
	if ref != nil && ref.Kind != "" {
		return ref.Kind
	}
	if ref == nil {
		return OwnerKindOfID("")
	}
	return OwnerKindOfID(ref.ID)
}

// OwnerKindOfID names the kind of a principal from its ID: users are
// "u-...", and everything else a key can belong to is a service account.
func OwnerKindOfID(id string) string {
	if strings.HasPrefix(id, "u-") {
		return KindUser
	}
	return KindServiceAccount
}
