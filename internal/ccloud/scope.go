// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import "strings"

// Scope names the kind of resource an API key is scoped to.
type Scope string

// The scopes an API key can have.
const (
	ScopeKafka          Scope = "kafka"
	ScopeSchemaRegistry Scope = "schema_registry"
	ScopeKsqlDB         Scope = "ksqldb"
	ScopeFlink          Scope = "flink"
	ScopeTableflow      Scope = "tableflow"
	ScopeCloud          Scope = "cloud"
	ScopeGlobal         Scope = "global"
	ScopeUnknown        Scope = "unknown"
)

// Well-known literal resource IDs. The API treats them case-insensitively
// and answers in lower case.
const (
	ResourceIDCloud     = "cloud"
	ResourceIDTableflow = "tableflow"
	ResourceIDGlobal    = "global"
)

// FlinkClouds are the cloud providers a Flink region ID can name.
var FlinkClouds = []string{"aws", "gcp", "azure"}

// ScopeOf recognises the scope of a key from its resource reference. IDs are
// opaque to the API, so the prefixes are used only to route the scope, as the
// API itself does. A nil reference, or one whose ID is empty, is a Cloud key.
func ScopeOf(ref *ObjectReference) Scope {
	if ref == nil {
		return ScopeCloud
	}
	return ScopeOfResourceID(ref.ID)
}

// ScopeOfResourceID is ScopeOf for a bare resource ID; "" is a Cloud key.
func ScopeOfResourceID(id string) Scope {
	switch {
	case id == "":
		return ScopeCloud
	case strings.HasPrefix(id, "lkc-"):
		return ScopeKafka
	case strings.HasPrefix(id, "lsrc-"):
		return ScopeSchemaRegistry
	case strings.HasPrefix(id, "lksqlc-"):
		return ScopeKsqlDB
	case strings.EqualFold(id, ResourceIDCloud):
		return ScopeCloud
	case strings.EqualFold(id, ResourceIDTableflow):
		return ScopeTableflow
	case strings.EqualFold(id, ResourceIDGlobal):
		return ScopeGlobal
	}
	if _, _, _, ok := ParseFlinkRegionID(id); ok {
		return ScopeFlink
	}
	return ScopeUnknown
}

// ParseFlinkRegionID splits a Flink region reference ID. The current form is
// "<cloud>.<region>" with the environment in a separate field; the legacy
// form used until March 2024 is "<env>.<cloud>.<region>".
func ParseFlinkRegionID(id string) (env, cloud, region string, ok bool) {
	parts := strings.Split(id, ".")
	switch {
	case len(parts) == 2:
		cloud, region = parts[0], parts[1]
	case len(parts) == 3 && strings.HasPrefix(parts[0], "env-"):
		env, cloud, region = parts[0], parts[1], parts[2]
	default:
		return "", "", "", false
	}
	if region == "" {
		return "", "", "", false
	}
	for _, c := range FlinkClouds {
		if strings.EqualFold(cloud, c) {
			return env, strings.ToLower(cloud), region, true
		}
	}
	return "", "", "", false
}

// FlinkRegionID builds the current-form region reference ID.
func FlinkRegionID(cloud, region string) string {
	return strings.ToLower(cloud) + "." + region
}
