// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// scopeValues holds the scope-specific arguments of an API key resource by
// attribute name, for example {"cluster_id": "lkc-abc123", ...}.
type scopeValues map[string]string

// scopeAttribute is one scope-specific argument. Every one of them is
// required and forces a replacement: an API key's resource is immutable.
type scopeAttribute struct {
	name        string
	description string
	validators  []validator.String
	// planModifiers replace the default, RequiresReplace, where a change
	// of value is not always a change of resource.
	planModifiers []planmodifier.String
}

// apiKeyScope is one row of the table that drives the API key resources:
// the Terraform part of a scope (resource type, schema attributes with
// their validators and descriptions, examples, the readiness probe and the
// listing filter). The facts that hold outside Terraform (ID forms, the
// API's api_version and kind, argument names, the official provider's
// versions, messages) live in the scope's ccloud.Scopes row, which facts
// points to. Adding a scope is adding a row to both tables: the provider
// registers one resource per row, the ccloud_api_keys data source
// describes its filter and answers from the rows, and the tests and the
// benchmark take their example values from them.
type apiKeyScope struct {
	// typeName is the resource type without the provider prefix.
	typeName string
	scope    ccloud.Scope
	// facts is the scope's row of ccloud.Scopes; withFacts sets it. The
	// title, reference and fromReference methods read it.
	facts *ccloud.ScopeFacts
	// description opens the resource's documentation.
	description string
	// resourceIDForm says what the resource_id attribute holds.
	resourceIDForm string
	// filterForm names the resource_id filter values of the data source
	// that select keys of this scope.
	filterForm string
	attributes []scopeAttribute
	// example holds values of the scope's arguments that exist in the
	// mock's default world. The unit tests, the acceptance tests and the
	// benchmark build their keys from them.
	example scopeValues
	// exampleRequest is spec.resource of the create request for example,
	// as JSON ("" for a request without one): what the API expects, which
	// the acceptance tests compare with what the mock received.
	exampleRequest string
	// probeURL returns the data-plane URL that proves a key of this scope
	// works (a new key can take minutes to work everywhere, see
	// https://docs.confluent.io/cloud/current/client-apps/api-keys.html), looking up endpoints with the Cloud key.
	probeURL func(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error)
	// listResource is the spec.resource filter that a listing (the list
	// resource of the scope, see apikey_list.go) sends for the filters in
	// v, or "" when it must list every key and match locally: when the
	// filters name no resource, or when the API's exact match could miss
	// keys of the resource (Flink regions have a legacy form).
	listResource func(v scopeValues) string
}

// Descriptions and validators shared by several scopes.
const environmentIDDescription = "ID of the environment that holds the resource, for example `env-abc123`. " +
	"Changing it replaces the key."

var (
	environmentIDValidators = []validator.String{idPrefixValidator("an environment", "env-")}
	flinkRegionPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)
)

// clusterIDValidators check a cluster scope's ID argument for the prefix of
// the scope's row in ccloud.Scopes.
func clusterIDValidators(s ccloud.Scope) []validator.String {
	f := ccloud.FactsOf(s)
	return []validator.String{idPrefixValidator("a "+f.Noun, f.IDPrefix)}
}

// apiKeyScopes is the table of scopes, in the order the resources are
// registered.
var apiKeyScopes = withFacts([]*apiKeyScope{
	{
		typeName:       "kafka_api_key",
		scope:          ccloud.ScopeKafka,
		resourceIDForm: "the cluster ID",
		filterForm:     "a Kafka cluster (`lkc-...`)",
		example:        scopeValues{"cluster_id": "lkc-q1ck5t", "environment_id": "env-q1ck5t"},
		exampleRequest: `{"id":"lkc-q1ck5t","environment":"env-q1ck5t"}`,
		description: "An API key for one Kafka cluster, used by producers, consumers and the Kafka REST API. " +
			"Rotating it (a trigger change, a due `rotation_period`, or `terraform apply -replace`) replaces it; " +
			"with `create_before_destroy` the new key works before the old one is deleted.",
		attributes: []scopeAttribute{
			{name: "cluster_id", description: "ID of the Kafka cluster the key is for, for example `lkc-abc123`. " +
				"Changing it replaces the key.", validators: clusterIDValidators(ccloud.ScopeKafka)},
			{name: "environment_id", description: environmentIDDescription, validators: environmentIDValidators},
		},
		probeURL: func(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
			cl, err := c.GetKafkaCluster(ctx, v["cluster_id"], v["environment_id"])
			if err != nil {
				return "", err
			}
			if cl.Spec.HTTPEndpoint == "" {
				return "", fmt.Errorf("the Kafka cluster %s has no HTTP endpoint to test the key against", v["cluster_id"])
			}
			return ccloud.KafkaProbeURL(cl.Spec.HTTPEndpoint, v["cluster_id"]), nil
		},
		listResource: func(v scopeValues) string { return v["cluster_id"] },
	},
	{
		typeName:       "schema_registry_api_key",
		scope:          ccloud.ScopeSchemaRegistry,
		resourceIDForm: "the cluster ID",
		filterForm:     "a Schema Registry (`lsrc-...`)",
		example:        scopeValues{"schema_registry_id": "lsrc-q1ck5t", "environment_id": "env-q1ck5t"},
		exampleRequest: `{"id":"lsrc-q1ck5t","environment":"env-q1ck5t"}`,
		description: "An API key for one Schema Registry cluster, used by serializers and schema tooling. " +
			"Rotating it replaces it; with `create_before_destroy` the new key works before the old one is deleted.",
		attributes: []scopeAttribute{
			{name: "schema_registry_id", description: "ID of the Schema Registry cluster the key is for, for example " +
				"`lsrc-abc123`. Changing it replaces the key.", validators: clusterIDValidators(ccloud.ScopeSchemaRegistry)},
			{name: "environment_id", description: environmentIDDescription, validators: environmentIDValidators},
		},
		probeURL: func(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
			cl, err := c.GetSchemaRegistryCluster(ctx, v["schema_registry_id"], v["environment_id"])
			if err != nil {
				return "", err
			}
			if cl.Spec.HTTPEndpoint == "" {
				return "", fmt.Errorf("the Schema Registry %s has no HTTP endpoint to test the key against", v["schema_registry_id"])
			}
			return ccloud.SchemaRegistryProbeURL(cl.Spec.HTTPEndpoint), nil
		},
		listResource: func(v scopeValues) string { return v["schema_registry_id"] },
	},
	{
		typeName:       "ksqldb_api_key",
		scope:          ccloud.ScopeKsqlDB,
		resourceIDForm: "the cluster ID",
		filterForm:     "a ksqlDB cluster (`lksqlc-...`)",
		example:        scopeValues{"ksqldb_cluster_id": "lksqlc-q1ck5t", "environment_id": "env-q1ck5t"},
		exampleRequest: `{"id":"lksqlc-q1ck5t","environment":"env-q1ck5t"}`,
		description: "An API key for one ksqlDB cluster, used by ksqlDB clients and the ksqlDB REST API. " +
			"Rotating it replaces it; with `create_before_destroy` the new key works before the old one is deleted.",
		attributes: []scopeAttribute{
			{name: "ksqldb_cluster_id", description: "ID of the ksqlDB cluster the key is for, for example " +
				"`lksqlc-abc123`. Changing it replaces the key.", validators: clusterIDValidators(ccloud.ScopeKsqlDB)},
			{name: "environment_id", description: environmentIDDescription, validators: environmentIDValidators},
		},
		probeURL: func(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
			cl, err := c.GetKsqlDBCluster(ctx, v["ksqldb_cluster_id"], v["environment_id"])
			if err != nil {
				return "", err
			}
			// ksqlDB clusters publish their endpoint in status, not spec.
			if cl.Status == nil || cl.Status.HTTPEndpoint == "" {
				return "", fmt.Errorf("the ksqlDB cluster %s has no HTTP endpoint to test the key against yet", v["ksqldb_cluster_id"])
			}
			return ccloud.KsqlDBProbeURL(cl.Status.HTTPEndpoint), nil
		},
		listResource: func(v scopeValues) string { return v["ksqldb_cluster_id"] },
	},
	{
		typeName:       "flink_api_key",
		scope:          ccloud.ScopeFlink,
		resourceIDForm: "the region ID `<cloud>.<region>` in lower case, for example `aws.us-east-1`",
		filterForm:     "a Flink region (`<cloud>.<region>`, for example `aws.us-east-1`)",
		example:        scopeValues{"environment_id": "env-q1ck5t", "cloud": "AWS", "region": "us-east-1"},
		exampleRequest: `{"id":"aws.us-east-1","environment":"env-q1ck5t","api_version":"fcpm/v2","kind":"Region"}`,
		description: "An API key for Flink in one environment and cloud region, used to submit and manage " +
			"Flink SQL statements. Rotating it replaces it; with `create_before_destroy` the new key works " +
			"before the old one is deleted.",
		attributes: []scopeAttribute{
			{name: "environment_id", description: environmentIDDescription, validators: environmentIDValidators},
			{name: "cloud", description: "Cloud provider of the Flink region: `AWS`, `GCP` or `AZURE`, in any case " +
				"(`aws` is the same cloud as `AWS`, and a change of case alone changes nothing). Changing the cloud " +
				"replaces the key.", validators: []validator.String{cloudValidator{}},
				planModifiers: []planmodifier.String{replaceUnlessSameCloud()}},
			{name: "region", description: "Cloud region of Flink, as the cloud provider names it, for example " +
				"`us-east-1`. Changing it replaces the key.", validators: []validator.String{
				stringvalidator.RegexMatches(flinkRegionPattern, "must be a cloud region name such as \"us-east-1\" or \"centralus\""),
			}},
		},
		probeURL: func(ctx context.Context, c *ccloud.Client, v scopeValues) (string, error) {
			region, err := c.GetFlinkRegion(ctx, v["cloud"], v["region"])
			if err != nil {
				return "", err
			}
			if region.HTTPEndpoint == "" {
				return "", fmt.Errorf("the Flink region %s has no HTTP endpoint to test the key against", region.ID)
			}
			org, err := c.OrganizationID(ctx)
			if err != nil {
				return "", err
			}
			return ccloud.FlinkProbeURL(region.HTTPEndpoint, org, v["environment_id"]), nil
		},
		listResource: func(scopeValues) string { return "" },
	},
	{
		typeName:       "tableflow_api_key",
		scope:          ccloud.ScopeTableflow,
		resourceIDForm: "always `tableflow`",
		filterForm:     "`tableflow`",
		example:        scopeValues{},
		exampleRequest: `{"id":"tableflow","api_version":"tableflow/v1","kind":"Tableflow"}`,
		description: "An API key for Tableflow, used by query engines that read Tableflow tables. Rotating it " +
			"replaces it; with `create_before_destroy` the new key works before the old one is deleted.",
		probeURL: func(_ context.Context, c *ccloud.Client, _ scopeValues) (string, error) {
			return c.TableflowProbeURL(), nil
		},
		listResource: func(scopeValues) string { return ccloud.ResourceIDTableflow },
	},
	{
		typeName:       "cloud_api_key",
		scope:          ccloud.ScopeCloud,
		resourceIDForm: "always `cloud`",
		filterForm:     "`cloud`",
		example:        scopeValues{},
		exampleRequest: ``,
		description: "An organisation-wide Cloud API key for the Confluent Cloud management APIs (the kind of key " +
			"this provider itself uses). What it may do depends on its owner's role bindings. Rotating it replaces " +
			"it; with `create_before_destroy` the new key works before the old one is deleted.",
		probeURL: func(_ context.Context, c *ccloud.Client, _ scopeValues) (string, error) {
			return c.CloudProbeURL(), nil
		},
		listResource: func(scopeValues) string { return ccloud.ResourceIDCloud },
	},
	{
		typeName:       "global_api_key",
		scope:          ccloud.ScopeGlobal,
		resourceIDForm: "always `global`",
		filterForm:     "`global`",
		example:        scopeValues{},
		exampleRequest: `{"id":"global","api_version":"global/v1","kind":"Global"}`,
		description: "An organisation-wide Global API key, which one credential can use with the Confluent Cloud " +
			"management APIs and the data planes its owner's role bindings allow. Rotating it replaces it; with " +
			"`create_before_destroy` the new key works before the old one is deleted.",
		// A Global key is ready once the management API accepts it.
		probeURL: func(_ context.Context, c *ccloud.Client, _ scopeValues) (string, error) {
			return c.CloudProbeURL(), nil
		},
		listResource: func(scopeValues) string { return ccloud.ResourceIDGlobal },
	},
})

// withFacts completes the rows from their ccloud.Scopes rows, so that what
// holds outside Terraform is written once.
func withFacts(rows []*apiKeyScope) []*apiKeyScope {
	for _, row := range rows {
		row.facts = ccloud.FactsOf(row.scope)
	}
	return rows
}

// title names the scope in descriptions and messages.
func (s *apiKeyScope) title() string { return s.facts.Title }

// reference builds the create request's spec.resource (see
// ccloud.ScopeFacts.Reference); nil for Cloud keys, which the API expects
// without a resource block.
func (s *apiKeyScope) reference(v scopeValues) *ccloud.ObjectReference { return s.facts.Reference(v) }

// fromReference recovers the scope arguments from a key read from the API,
// which import needs (see ccloud.ScopeFacts.ArgumentsOf).
func (s *apiKeyScope) fromReference(ref *ccloud.ObjectReference) scopeValues {
	return s.facts.ArgumentsOf(ref)
}

// scopeRow finds the table row of a scope, or nil for a scope the provider
// does not manage (unknown).
func scopeRow(s ccloud.Scope) *apiKeyScope {
	for _, row := range apiKeyScopes {
		if row.scope == s {
			return row
		}
	}
	return nil
}

// hasAttribute reports whether name is one of the scope's own arguments.
func (s *apiKeyScope) hasAttribute(name string) bool {
	for _, a := range s.attributes {
		if a.name == name {
			return true
		}
	}
	return false
}

// resourceID is the normalised resource reference of a key of this scope
// with these arguments: the same string ccloud.ResourceID gives for the key
// once it exists.
func (s *apiKeyScope) resourceID(v scopeValues) string {
	return ccloud.ResourceID(s.reference(v))
}

// The ccloud_api_keys data source describes its filter and its answers
// from the table, so a new row shows up there without another edit.

// scopeFilterForms lists the resource_id filter forms of every scope, as
// Markdown.
func scopeFilterForms() string {
	var forms []string
	for _, row := range apiKeyScopes {
		forms = append(forms, row.filterForm)
	}
	return joinOr(forms)
}

// scopeNames lists the scope names the data source answers with.
func scopeNames() string {
	var names []string
	for _, row := range apiKeyScopes {
		names = append(names, "`"+string(row.scope)+"`")
	}
	return joinOr(names)
}

// scopesWithoutEnvironment names the scopes whose keys belong to no
// environment, for example "Tableflow, Cloud and Global keys".
func scopesWithoutEnvironment() string {
	var titles []string
	for _, row := range apiKeyScopes {
		if !row.hasAttribute("environment_id") {
			titles = append(titles, row.title())
		}
	}
	if len(titles) < 2 {
		return strings.Join(titles, "") + " keys"
	}
	return strings.Join(titles[:len(titles)-1], ", ") + " and " + titles[len(titles)-1] + " keys"
}

// joinOr joins items as "a, b or c".
func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// APIKeyExample is one API key resource type with example values that exist
// in the mock's default world, for tests and tools outside this package.
type APIKeyExample struct {
	// TypeName is the full resource type, for example ccloud_kafka_api_key.
	TypeName string
	Scope    ccloud.Scope
	// Arguments are the scope's own arguments as name and value, in the
	// order the schema lists them.
	Arguments [][2]string
	// ResourceID is the resource_id the key will have.
	ResourceID string
	// Request is spec.resource of the create request as JSON, "" for none.
	Request string
}

// APIKeyExamples returns one example per row of the scope table, in the
// table's order.
func APIKeyExamples() []APIKeyExample {
	out := make([]APIKeyExample, 0, len(apiKeyScopes))
	for _, row := range apiKeyScopes {
		ex := APIKeyExample{
			TypeName:   "ccloud_" + row.typeName,
			Scope:      row.scope,
			ResourceID: row.resourceID(row.example),
			Request:    row.exampleRequest,
		}
		for _, a := range row.attributes {
			ex.Arguments = append(ex.Arguments, [2]string{a.name, row.example[a.name]})
		}
		out = append(out, ex)
	}
	return out
}

// createSpec is the create request of a key of this scope, the same for a
// managed key, a grace rotation's new key and an ephemeral key.
func (s *apiKeyScope) createSpec(ownerID, displayName, description string, v scopeValues) ccloud.APIKeyCreateSpec {
	return ccloud.APIKeyCreateSpec{
		DisplayName: displayName,
		Description: description,
		Owner:       ccloud.ObjectReference{ID: ownerID},
		Resource:    s.reference(v),
	}
}
