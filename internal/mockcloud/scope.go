// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import "strings"

// The mock recognises a key's scope, and renders region IDs, by rules of
// its own written from the wire facts (the API reference's resource
// formats), never by calling the client's. A mock that shared the client's
// rules would agree with a wrong rule by accident, and the acceptance tests
// would prove nothing about it.

// keyScope is the kind of resource a key is scoped to. The values are those
// of the "scope" field of a saved state file, so they never change.
type keyScope string

// The scopes a key can have.
const (
	scopeKafka          keyScope = "kafka"
	scopeSchemaRegistry keyScope = "schema_registry"
	scopeKsqlDB         keyScope = "ksqldb"
	scopeFlink          keyScope = "flink"
	scopeTableflow      keyScope = "tableflow"
	scopeCloud          keyScope = "cloud"
	scopeGlobal         keyScope = "global"
)

// The literal resource IDs of the organisation-wide scopes. Requests may
// use any case ("CLOUD"); the API answers in lower case.
const (
	resourceIDCloud     = "cloud"
	resourceIDTableflow = "tableflow"
	resourceIDGlobal    = "global"
)

// The ID prefixes of the clusters a key can be scoped to.
const (
	prefixKafka          = "lkc-"
	prefixSchemaRegistry = "lsrc-"
	prefixKsqlDB         = "lksqlc-"
)

// regionClouds are the clouds a Flink region ID can name, in lower case.
var regionClouds = []string{"aws", "gcp", "azure"}

// scopeOfResource recognises a key's scope from spec.resource.id the way the
// API does: by the ID's form alone, whatever api_version and kind say. No
// ID, or no resource at all, is a Cloud key. An ID of no known form has
// no scope, "".
func scopeOfResource(id string) keyScope {
	switch {
	case id == "", strings.EqualFold(id, resourceIDCloud):
		return scopeCloud
	case strings.EqualFold(id, resourceIDTableflow):
		return scopeTableflow
	case strings.EqualFold(id, resourceIDGlobal):
		return scopeGlobal
	case strings.HasPrefix(id, prefixKafka):
		return scopeKafka
	case strings.HasPrefix(id, prefixSchemaRegistry):
		return scopeSchemaRegistry
	case strings.HasPrefix(id, prefixKsqlDB):
		return scopeKsqlDB
	}
	if _, _, _, ok := splitRegionID(id); ok {
		return scopeFlink
	}
	return ""
}

// splitRegionID splits a Flink region ID: "<cloud>.<region>" since March
// 2024, "<env>.<cloud>.<region>" before, which the API still accepts. The
// cloud comes back in lower case.
func splitRegionID(id string) (env, cloud, region string, ok bool) {
	parts := strings.Split(id, ".")
	if len(parts) == 3 && strings.HasPrefix(parts[0], "env-") {
		env, parts = parts[0], parts[1:]
	}
	if len(parts) != 2 || parts[1] == "" {
		return "", "", "", false
	}
	cloud = strings.ToLower(parts[0])
	for _, c := range regionClouds {
		if cloud == c {
			return env, cloud, parts[1], true
		}
	}
	return "", "", "", false
}

// regionID is the ID the API answers with for a Flink region.
func regionID(cloud, region string) string { return strings.ToLower(cloud) + "." + region }
