// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import "time"

// The types in this file are the JSON wire shapes of the Confluent Cloud
// management API as the provider needs them. The mock backend marshals the
// same types, so the client and the mock cannot drift apart silently; the
// conformance test checks both against the published OpenAPI specs.

// API versions and kinds used on the wire.
const (
	APIVersionIAM       = "iam/v2"
	APIVersionOrg       = "org/v2"
	APIVersionCMK       = "cmk/v2"
	APIVersionSRCM      = "srcm/v3"
	APIVersionKsqlDB    = "ksqldbcm/v2"
	APIVersionFCPM      = "fcpm/v2"
	APIVersionTableflow = "tableflow/v1"
	APIVersionGlobal    = "global/v1"

	KindServiceAccount = "ServiceAccount"
	KindUser           = "User"
	KindAPIKey         = "ApiKey"
	KindEnvironment    = "Environment"
	KindCluster        = "Cluster"
	KindSchemaRegistry = "SchemaRegistry"
	KindKsqlDB         = "ksqlDB"
	KindRegion         = "Region"
	KindTableflow      = "Tableflow"
	KindCloud          = "Cloud"
	KindGlobal         = "Global"
)

// ObjectMeta is the metadata block every API object carries.
type ObjectMeta struct {
	Self         string     `json:"self"`
	ResourceName string     `json:"resource_name,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
}

// ListMeta is the metadata block of a list response. Next is a full URL that
// carries the page_token of the next page; it is empty on the last page.
type ListMeta struct {
	First     string `json:"first,omitempty"`
	Last      string `json:"last,omitempty"`
	Prev      string `json:"prev,omitempty"`
	Next      string `json:"next,omitempty"`
	TotalSize *int   `json:"total_size,omitempty"`
}

// ObjectReference points at another object, such as a key's owner or the
// resource it is scoped to. Requests carry only ID (and Environment for
// environment-scoped resources); responses carry every field.
type ObjectReference struct {
	ID           string `json:"id"`
	Environment  string `json:"environment,omitempty"`
	APIVersion   string `json:"api_version,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Related      string `json:"related,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
}

// ServiceAccount is an iam/v2 service account. Unlike API keys it has no
// spec wrapper: its fields sit at the top level.
type ServiceAccount struct {
	APIVersion  string     `json:"api_version"`
	Kind        string     `json:"kind"`
	ID          string     `json:"id"`
	Metadata    ObjectMeta `json:"metadata"`
	DisplayName string     `json:"display_name"`
	Description string     `json:"description"`
}

// ServiceAccountCreate is the body of a service account create request.
type ServiceAccountCreate struct {
	DisplayName string `json:"display_name"`
	Description string `json:"description,omitempty"`
}

// ServiceAccountUpdate is the body of a service account PATCH. A nil field
// is left as it is; a pointer to "" clears the description.
type ServiceAccountUpdate struct {
	DisplayName *string `json:"display_name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// APIKey is an iam/v2 API key. Spec.Secret is only present in the response
// to the create request.
type APIKey struct {
	APIVersion string     `json:"api_version"`
	Kind       string     `json:"kind"`
	ID         string     `json:"id"`
	Metadata   ObjectMeta `json:"metadata"`
	Spec       APIKeySpec `json:"spec"`
}

// APIKeySpec is the spec block of an API key.
type APIKeySpec struct {
	DisplayName string           `json:"display_name"`
	Description string           `json:"description"`
	Secret      string           `json:"secret,omitempty"`
	Owner       *ObjectReference `json:"owner,omitempty"`
	Resource    *ObjectReference `json:"resource,omitempty"`
}

// APIKeyCreate is the body of an API key create request.
type APIKeyCreate struct {
	Spec APIKeyCreateSpec `json:"spec"`
}

// APIKeyCreateSpec is the spec of an API key create request. Resource is nil
// for a Cloud (organisation-wide management) key, which the API expects
// without a resource block.
type APIKeyCreateSpec struct {
	DisplayName string           `json:"display_name,omitempty"`
	Description string           `json:"description,omitempty"`
	Owner       ObjectReference  `json:"owner"`
	Resource    *ObjectReference `json:"resource,omitempty"`
}

// APIKeyUpdate is the body of an API key PATCH.
type APIKeyUpdate struct {
	Spec APIKeyUpdateSpec `json:"spec"`
}

// APIKeyUpdateSpec holds the two mutable fields of a key. A nil field is
// left as it is; a pointer to "" clears it.
type APIKeyUpdateSpec struct {
	DisplayName *string `json:"display_name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// User is an iam/v2 user. Users cannot be created through the API.
type User struct {
	APIVersion string     `json:"api_version"`
	Kind       string     `json:"kind"`
	ID         string     `json:"id"`
	Metadata   ObjectMeta `json:"metadata"`
	Email      string     `json:"email"`
	FullName   string     `json:"full_name"`
	AuthType   string     `json:"auth_type,omitempty"`
}

// Environment is an org/v2 environment.
type Environment struct {
	APIVersion  string     `json:"api_version"`
	Kind        string     `json:"kind"`
	ID          string     `json:"id"`
	Metadata    ObjectMeta `json:"metadata"`
	DisplayName string     `json:"display_name"`
}

// Organization is an org/v2 organisation. The Flink readiness probe needs
// its ID.
type Organization struct {
	APIVersion  string     `json:"api_version"`
	Kind        string     `json:"kind"`
	ID          string     `json:"id"`
	Metadata    ObjectMeta `json:"metadata"`
	DisplayName string     `json:"display_name"`
}

// EnvReference is the {id: env-...} block inside cluster specs.
type EnvReference struct {
	ID           string `json:"id"`
	Related      string `json:"related,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
}

// ClusterStatus is the status block of a Kafka or Schema Registry cluster.
type ClusterStatus struct {
	Phase string `json:"phase"`
}

// KsqlDBClusterStatus is the status block of a ksqlDB cluster, which
// carries the cluster's HTTP endpoint rather than its spec.
type KsqlDBClusterStatus struct {
	Phase        string `json:"phase"`
	IsPaused     bool   `json:"is_paused"`
	Storage      int    `json:"storage"`
	HTTPEndpoint string `json:"http_endpoint,omitempty"`
	TopicPrefix  string `json:"topic_prefix,omitempty"`
}

// KafkaClusterConfig is the type of a Kafka cluster (Basic, Standard,
// Dedicated, Enterprise or Freight).
type KafkaClusterConfig struct {
	Kind string `json:"kind"`
}

// KafkaCluster is a cmk/v2 cluster.
type KafkaCluster struct {
	APIVersion string           `json:"api_version"`
	Kind       string           `json:"kind"`
	ID         string           `json:"id"`
	Metadata   ObjectMeta       `json:"metadata"`
	Spec       KafkaClusterSpec `json:"spec"`
	Status     *ClusterStatus   `json:"status,omitempty"`
}

// KafkaClusterSpec is the spec of a cmk/v2 cluster.
type KafkaClusterSpec struct {
	DisplayName            string              `json:"display_name"`
	Availability           string              `json:"availability,omitempty"`
	Cloud                  string              `json:"cloud,omitempty"`
	Region                 string              `json:"region,omitempty"`
	Config                 *KafkaClusterConfig `json:"config,omitempty"`
	KafkaBootstrapEndpoint string              `json:"kafka_bootstrap_endpoint,omitempty"`
	HTTPEndpoint           string              `json:"http_endpoint,omitempty"`
	Environment            *EnvReference       `json:"environment,omitempty"`
}

// SchemaRegistryCluster is a srcm/v3 cluster.
type SchemaRegistryCluster struct {
	APIVersion string                    `json:"api_version"`
	Kind       string                    `json:"kind"`
	ID         string                    `json:"id"`
	Metadata   ObjectMeta                `json:"metadata"`
	Spec       SchemaRegistryClusterSpec `json:"spec"`
	Status     *ClusterStatus            `json:"status,omitempty"`
}

// SchemaRegistryClusterSpec is the spec of a srcm/v3 cluster.
type SchemaRegistryClusterSpec struct {
	DisplayName  string        `json:"display_name"`
	Package      string        `json:"package,omitempty"`
	Cloud        string        `json:"cloud,omitempty"`
	Region       string        `json:"region,omitempty"`
	HTTPEndpoint string        `json:"http_endpoint,omitempty"`
	Environment  *EnvReference `json:"environment,omitempty"`
}

// KsqlDBCluster is a ksqldbcm/v2 cluster.
type KsqlDBCluster struct {
	APIVersion string               `json:"api_version"`
	Kind       string               `json:"kind"`
	ID         string               `json:"id"`
	Metadata   ObjectMeta           `json:"metadata"`
	Spec       KsqlDBClusterSpec    `json:"spec"`
	Status     *KsqlDBClusterStatus `json:"status,omitempty"`
}

// KsqlDBClusterSpec is the spec of a ksqldbcm/v2 cluster.
type KsqlDBClusterSpec struct {
	DisplayName        string        `json:"display_name"`
	CSU                int           `json:"csu,omitempty"`
	KafkaCluster       *EnvReference `json:"kafka_cluster,omitempty"`
	CredentialIdentity *EnvReference `json:"credential_identity,omitempty"`
	Environment        *EnvReference `json:"environment,omitempty"`
}

// FlinkRegion is an fcpm/v2 region.
type FlinkRegion struct {
	APIVersion   string     `json:"api_version"`
	Kind         string     `json:"kind"`
	ID           string     `json:"id"`
	Metadata     ObjectMeta `json:"metadata"`
	DisplayName  string     `json:"display_name"`
	Cloud        string     `json:"cloud"`
	RegionName   string     `json:"region_name"`
	HTTPEndpoint string     `json:"http_endpoint"`
}

// TableflowRegion is a tableflow/v1 region.
type TableflowRegion struct {
	APIVersion string     `json:"api_version"`
	Kind       string     `json:"kind"`
	ID         string     `json:"id"`
	Metadata   ObjectMeta `json:"metadata"`
	Cloud      string     `json:"cloud"`
	Region     string     `json:"region"`
}

// List is the envelope of every list response.
type List[T any] struct {
	APIVersion string   `json:"api_version"`
	Kind       string   `json:"kind"`
	Metadata   ListMeta `json:"metadata"`
	Data       []T      `json:"data"`
}

// Failure is the error envelope of every non-2xx response that has a body.
type Failure struct {
	Errors []ErrorItem `json:"errors"`
}

// ErrorItem is one entry of a Failure.
type ErrorItem struct {
	ID     string       `json:"id,omitempty"`
	Status string       `json:"status,omitempty"`
	Code   string       `json:"code,omitempty"`
	Title  string       `json:"title,omitempty"`
	Detail string       `json:"detail,omitempty"`
	Source *ErrorSource `json:"source,omitempty"`
}

// ErrorSource says which part of the request an error is about.
type ErrorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}
