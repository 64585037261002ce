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

// ScopeFacts are the facts of one scope that hold in every package: how
// its resource IDs look, what the API calls the resource, the arguments of
// its key resource, how the official provider's state names it, and the
// words messages use for it. Everything that differs between scopes outside
// Terraform lives in one row of Scopes, so that the client, the key engine,
// the migration and the provider read the same facts instead of keeping
// switches of their own that drift apart.
type ScopeFacts struct {
	Scope Scope
	// Noun names the scope's resource in messages, for example "Kafka
	// cluster".
	Noun string
	// Title names the scope's keys in messages, for example "Kafka" in
	// "Kafka key".
	Title string
	// IDPrefix is the prefix of the resource IDs of a cluster scope, for
	// example "lkc-"; LiteralID is the one resource ID of a scope without
	// resources of its own, for example "tableflow". matchID recognises IDs
	// of any other form. A row has exactly one of the three.
	IDPrefix  string
	LiteralID string
	matchID   func(id string) bool
	// IDForm describes the resource IDs of the scope for error messages.
	IDForm string
	// ExampleID is a resource ID of the scope's form.
	ExampleID string
	// APIVersion and Kind are what the API reports for the resource in a
	// key's spec.resource.
	APIVersion, Kind string
	// TypedReference is set when a create request must carry api_version
	// and kind, because the ID alone does not name the resource to the API.
	TypedReference bool
	// OrganisationWide is set for keys that are not for any one resource.
	OrganisationWide bool
	// Arguments are the names of the key resource's scope arguments, in the
	// order the schema and generated configuration list them.
	Arguments []string
	// OfficialAPIVersions are the managed_resource api_version values the
	// official confluentinc/confluent provider writes for keys of this
	// scope, in lower case. A Cloud key has no managed_resource.
	OfficialAPIVersions []string
	// ForbiddenHint names the permission an owner whose key answers 403 at
	// the scope's readiness probe most likely lacks.
	ForbiddenHint string
	// Reference builds a create request's spec.resource from the scope
	// arguments by name. It returns nil where the API expects none.
	Reference func(args map[string]string) *ObjectReference
	// ArgumentsOf recovers the scope arguments from a key's spec.resource,
	// which import and migration need.
	ArgumentsOf func(ref *ObjectReference) map[string]string
	// canonicalID puts an ID of matchID's form the way the API answers it.
	canonicalID func(id string) string
	// legacyEnvironment recovers the environment from an ID of a legacy
	// form that carried it, for scopes that had one.
	legacyEnvironment func(id string) string
}

// InEnvironment reports whether the scope's resources belong to an
// environment.
func (f *ScopeFacts) InEnvironment() bool {
	for _, a := range f.Arguments {
		if a == "environment_id" {
			return true
		}
	}
	return false
}

// MatchesID reports whether id has the form of the scope's resource IDs.
func (f *ScopeFacts) MatchesID(id string) bool {
	switch {
	case f.IDPrefix != "":
		return strings.HasPrefix(id, f.IDPrefix)
	case f.LiteralID != "":
		return strings.EqualFold(id, f.LiteralID)
	case f.matchID != nil:
		return f.matchID(id)
	}
	return false
}

// clusterScope is the row of a scope whose keys are for one cluster in an
// environment, named by an ID with a prefix.
func clusterScope(f ScopeFacts, idArgument string) ScopeFacts {
	f.ExampleID = f.IDPrefix + "abc123"
	f.IDForm = "a " + f.Noun + " ID (`" + f.IDPrefix + "...`)"
	f.Arguments = []string{idArgument, "environment_id"}
	f.Reference = func(v map[string]string) *ObjectReference {
		return &ObjectReference{ID: v[idArgument], Environment: v["environment_id"]}
	}
	f.ArgumentsOf = func(ref *ObjectReference) map[string]string {
		return map[string]string{idArgument: ref.ID, "environment_id": ref.Environment}
	}
	return f
}

// literalScope is the row of a scope whose keys are for one fixed resource
// ID and belong to no environment.
func literalScope(f ScopeFacts) ScopeFacts {
	f.ExampleID = f.LiteralID
	f.IDForm = "`" + f.LiteralID + "`"
	f.Reference = func(map[string]string) *ObjectReference {
		return &ObjectReference{ID: f.LiteralID, APIVersion: f.APIVersion, Kind: f.Kind}
	}
	f.ArgumentsOf = func(*ObjectReference) map[string]string { return map[string]string{} }
	return f
}

// Scopes is the table of scopes. Its order is the order in which IDs are
// recognised and in which the provider registers the key resources.
var Scopes = []ScopeFacts{
	clusterScope(ScopeFacts{
		Scope: ScopeKafka, Noun: "Kafka cluster", Title: "Kafka", IDPrefix: "lkc-",
		APIVersion: APIVersionCMK, Kind: KindCluster,
		OfficialAPIVersions: []string{"cmk/v2"},
		ForbiddenHint:       "an ACL or role binding that allows it to describe topics (for example DeveloperRead on a topic)",
	}, "cluster_id"),
	clusterScope(ScopeFacts{
		Scope: ScopeSchemaRegistry, Noun: "Schema Registry cluster", Title: "Schema Registry", IDPrefix: "lsrc-",
		APIVersion: "srcm/v2", Kind: KindSchemaRegistry,
		OfficialAPIVersions: []string{"srcm/v2", "srcm/v3"},
		ForbiddenHint:       "a role binding on the Schema Registry's subjects (for example DeveloperRead)",
	}, "schema_registry_id"),
	clusterScope(ScopeFacts{
		Scope: ScopeKsqlDB, Noun: "ksqlDB cluster", Title: "ksqlDB", IDPrefix: "lksqlc-",
		APIVersion: APIVersionKsqlDB, Kind: KindKsqlDB,
		OfficialAPIVersions: []string{"ksqldbcm/v2"},
		ForbiddenHint:       "a role binding on the ksqlDB cluster (for example KsqlAdmin or ResourceOwner)",
	}, "ksqldb_cluster_id"),
	{
		Scope: ScopeFlink, Noun: "Flink region", Title: "Flink",
		matchID: func(id string) bool {
			_, _, _, ok := ParseFlinkRegionID(id)
			return ok
		},
		IDForm:     "a region ID of the form <cloud>.<region>, such as aws.us-east-1",
		ExampleID:  "aws.us-east-1",
		APIVersion: APIVersionFCPM, Kind: KindRegion, TypedReference: true,
		Arguments:           []string{"environment_id", "cloud", "region"},
		OfficialAPIVersions: []string{"fcpm/v2"},
		ForbiddenHint:       "a Flink role binding in the environment (for example FlinkDeveloper)",
		Reference: func(v map[string]string) *ObjectReference {
			return &ObjectReference{
				ID:          FlinkRegionID(v["cloud"], v["region"]),
				Environment: v["environment_id"],
				APIVersion:  APIVersionFCPM,
				Kind:        KindRegion,
			}
		},
		ArgumentsOf: func(ref *ObjectReference) map[string]string {
			env, cloud, region, _ := ParseFlinkRegionID(ref.ID)
			if ref.Environment != "" {
				env = ref.Environment
			}
			return map[string]string{"environment_id": env, "cloud": strings.ToUpper(cloud), "region": region}
		},
		// The API answers the current form, "<cloud>.<region>" in lower
		// case, whatever form the request used.
		canonicalID: func(id string) string {
			_, cloud, region, _ := ParseFlinkRegionID(id)
			return FlinkRegionID(cloud, region)
		},
		// Keys created before March 2024 carry the environment in the
		// region ID.
		legacyEnvironment: func(id string) string {
			env, _, _, _ := ParseFlinkRegionID(id)
			return env
		},
	},
	literalScope(ScopeFacts{
		Scope: ScopeTableflow, Noun: "Tableflow", Title: "Tableflow", LiteralID: ResourceIDTableflow,
		APIVersion: APIVersionTableflow, Kind: KindTableflow, TypedReference: true,
		OfficialAPIVersions: []string{"tableflow/v1"},
		ForbiddenHint:       "a role binding for Tableflow",
	}),
	// A Cloud key is sent without spec.resource, and the official provider
	// writes no managed_resource for it.
	func() ScopeFacts {
		f := literalScope(ScopeFacts{
			Scope: ScopeCloud, Noun: "organisation", Title: "Cloud", LiteralID: ResourceIDCloud,
			APIVersion: APIVersionIAM, Kind: KindCloud, OrganisationWide: true,
			ForbiddenHint: "a role binding",
		})
		f.Reference = func(map[string]string) *ObjectReference { return nil }
		return f
	}(),
	// The official provider has had Global keys since 2.73.0.
	literalScope(ScopeFacts{
		Scope: ScopeGlobal, Noun: "organisation", Title: "Global", LiteralID: ResourceIDGlobal,
		APIVersion: APIVersionGlobal, Kind: KindGlobal, TypedReference: true, OrganisationWide: true,
		OfficialAPIVersions: []string{"global/v1"},
		ForbiddenHint:       "a role binding",
	}),
}

// FactsOf returns the row of a scope, or nil for ScopeUnknown.
func FactsOf(s Scope) *ScopeFacts {
	for i := range Scopes {
		if Scopes[i].Scope == s {
			return &Scopes[i]
		}
	}
	return nil
}

// ScopeOfOfficialAPIVersion returns the row of the scope whose keys the
// official provider writes with this managed_resource api_version, in any
// case, or nil.
func ScopeOfOfficialAPIVersion(apiVersion string) *ScopeFacts {
	for i := range Scopes {
		for _, v := range Scopes[i].OfficialAPIVersions {
			if strings.EqualFold(v, apiVersion) {
				return &Scopes[i]
			}
		}
	}
	return nil
}

// ForbiddenHint names the permission an owner whose key answers 403 at its
// scope's probe most likely lacks.
func ForbiddenHint(s Scope) string {
	if f := FactsOf(s); f != nil {
		return f.ForbiddenHint
	}
	return "a role binding"
}

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
	if id == "" {
		return ScopeCloud
	}
	for i := range Scopes {
		if Scopes[i].MatchesID(id) {
			return Scopes[i].Scope
		}
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
