// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import "time"

// The mock's own wire shapes, written from Confluent's published OpenAPI
// specs (the iam/v2, API Keys Management, org/v2, cmk/v2, srcm/v3,
// ksqldbcm/v2, fcpm/v2 and tableflow/v1 documents) and the observed answers
// listed in the API key documentation at
// https://docs.confluent.io/cloud/current/api.html#tag/API-Keys-(iamv2).
// They deliberately do not reuse the client's types in internal/ccloud: a
// wrong JSON tag there must not be mirrored here, or no test could see it.
// The conformance test in internal/ccloud checks both sides against the
// specs.

// API versions and kinds the mock answers with.
const (
	wireIAM       = "iam/v2"
	wireOrg       = "org/v2"
	wireCMK       = "cmk/v2"
	wireSRCM      = "srcm/v3"
	wireKsqlDB    = "ksqldbcm/v2"
	wireFCPM      = "fcpm/v2"
	wireTableflow = "tableflow/v1"
	wireGlobal    = "global/v1"
)

// wireMeta is the ObjectMeta schema.
type wireMeta struct {
	Self         string     `json:"self"`
	ResourceName string     `json:"resource_name,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
	DeletedAt    *time.Time `json:"deleted_at,omitempty"`
}

// wireListMeta is the ListMeta schema; next is absent on the last page.
type wireListMeta struct {
	First     string `json:"first,omitempty"`
	Last      string `json:"last,omitempty"`
	Prev      string `json:"prev,omitempty"`
	Next      string `json:"next,omitempty"`
	TotalSize *int   `json:"total_size,omitempty"`
}

// wireList is the envelope of every list answer.
type wireList[T any] struct {
	APIVersion string       `json:"api_version"`
	Kind       string       `json:"kind"`
	Metadata   wireListMeta `json:"metadata"`
	Data       []T          `json:"data"`
}

// wireRef is the ObjectReference schema (and EnvScopedObjectReference, which
// adds environment). Requests may carry only id; answers carry every field.
type wireRef struct {
	ID           string `json:"id"`
	Environment  string `json:"environment,omitempty"`
	APIVersion   string `json:"api_version,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Related      string `json:"related,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
}

// wireEnvRef is the GlobalObjectReference schema used inside cluster specs.
type wireEnvRef struct {
	ID           string `json:"id"`
	Related      string `json:"related,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
}

// wireServiceAccount is iam.v2.ServiceAccount: no spec wrapper.
type wireServiceAccount struct {
	APIVersion  string   `json:"api_version"`
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	Metadata    wireMeta `json:"metadata"`
	DisplayName string   `json:"display_name"`
	Description string   `json:"description"`
}

// wireServiceAccountCreate is the createIamV2ServiceAccount request body.
type wireServiceAccountCreate struct {
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
}

// wireServiceAccountUpdate is the updateIamV2ServiceAccount request body; an
// absent field is left as it is.
type wireServiceAccountUpdate struct {
	DisplayName *string `json:"display_name"`
	Description *string `json:"description"`
}

// wireUser is iam.v2.User.
type wireUser struct {
	APIVersion string   `json:"api_version"`
	Kind       string   `json:"kind"`
	ID         string   `json:"id"`
	Metadata   wireMeta `json:"metadata"`
	Email      string   `json:"email"`
	FullName   string   `json:"full_name"`
	AuthType   string   `json:"auth_type,omitempty"`
}

// wireAPIKey is iam.v2.ApiKey. spec.secret is sent only in the create answer.
type wireAPIKey struct {
	APIVersion string         `json:"api_version"`
	Kind       string         `json:"kind"`
	ID         string         `json:"id"`
	Metadata   wireMeta       `json:"metadata"`
	Spec       wireAPIKeySpec `json:"spec"`
}

// wireAPIKeySpec is iam.v2.ApiKeySpec.
type wireAPIKeySpec struct {
	DisplayName string   `json:"display_name"`
	Description string   `json:"description"`
	Secret      string   `json:"secret,omitempty"`
	Owner       *wireRef `json:"owner,omitempty"`
	Resource    *wireRef `json:"resource,omitempty"`
}

// wireAPIKeyCreate is the createIamV2ApiKey request body. A Cloud key may
// come without a resource, with a null one, or with {"id":"cloud"}.
type wireAPIKeyCreate struct {
	Spec struct {
		DisplayName string   `json:"display_name"`
		Description string   `json:"description"`
		Owner       wireRef  `json:"owner"`
		Resource    *wireRef `json:"resource"`
	} `json:"spec"`
}

// wireAPIKeyUpdate is the updateIamV2ApiKey request body
// (iam.v2.ApiKeyUpdate). Owner and resource are immutable; sending them
// unchanged is tolerated (some clients echo the whole spec), changing them
// is a 400.
type wireAPIKeyUpdate struct {
	Spec struct {
		DisplayName *string  `json:"display_name"`
		Description *string  `json:"description"`
		Owner       *wireRef `json:"owner"`
		Resource    *wireRef `json:"resource"`
	} `json:"spec"`
}

// wireEnvironment is org.v2.Environment.
type wireEnvironment struct {
	APIVersion  string   `json:"api_version"`
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	Metadata    wireMeta `json:"metadata"`
	DisplayName string   `json:"display_name"`
}

// wireOrganization is org.v2.Organization.
type wireOrganization struct {
	APIVersion  string   `json:"api_version"`
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	Metadata    wireMeta `json:"metadata"`
	DisplayName string   `json:"display_name"`
}

// wirePhase is the status block of cmk.v2.Cluster and srcm.v3.Cluster.
type wirePhase struct {
	Phase string `json:"phase"`
}

// wireKafkaCluster is cmk.v2.Cluster.
type wireKafkaCluster struct {
	APIVersion string        `json:"api_version"`
	Kind       string        `json:"kind"`
	ID         string        `json:"id"`
	Metadata   wireMeta      `json:"metadata"`
	Spec       wireKafkaSpec `json:"spec"`
	Status     *wirePhase    `json:"status,omitempty"`
}

// wireKafkaSpec is cmk.v2.ClusterSpec.
type wireKafkaSpec struct {
	DisplayName            string      `json:"display_name"`
	Availability           string      `json:"availability,omitempty"`
	Cloud                  string      `json:"cloud,omitempty"`
	Region                 string      `json:"region,omitempty"`
	Config                 *wireKind   `json:"config,omitempty"`
	KafkaBootstrapEndpoint string      `json:"kafka_bootstrap_endpoint,omitempty"`
	HTTPEndpoint           string      `json:"http_endpoint,omitempty"`
	Environment            *wireEnvRef `json:"environment,omitempty"`
}

// wireKind is a one-of block discriminated by kind (cmk.v2.Basic and its
// siblings).
type wireKind struct {
	Kind string `json:"kind"`
}

// wireSRCluster is srcm.v3.Cluster.
type wireSRCluster struct {
	APIVersion string     `json:"api_version"`
	Kind       string     `json:"kind"`
	ID         string     `json:"id"`
	Metadata   wireMeta   `json:"metadata"`
	Spec       wireSRSpec `json:"spec"`
	Status     *wirePhase `json:"status,omitempty"`
}

// wireSRSpec is srcm.v3.ClusterSpec.
type wireSRSpec struct {
	DisplayName  string      `json:"display_name"`
	Package      string      `json:"package,omitempty"`
	Cloud        string      `json:"cloud,omitempty"`
	Region       string      `json:"region,omitempty"`
	HTTPEndpoint string      `json:"http_endpoint,omitempty"`
	Environment  *wireEnvRef `json:"environment,omitempty"`
}

// wireKsqlCluster is ksqldbcm.v2.Cluster, whose HTTP endpoint sits in its
// status rather than its spec.
type wireKsqlCluster struct {
	APIVersion string          `json:"api_version"`
	Kind       string          `json:"kind"`
	ID         string          `json:"id"`
	Metadata   wireMeta        `json:"metadata"`
	Spec       wireKsqlSpec    `json:"spec"`
	Status     *wireKsqlStatus `json:"status,omitempty"`
}

// wireKsqlSpec is ksqldbcm.v2.ClusterSpec.
type wireKsqlSpec struct {
	DisplayName        string      `json:"display_name"`
	CSU                int         `json:"csu,omitempty"`
	KafkaCluster       *wireEnvRef `json:"kafka_cluster,omitempty"`
	CredentialIdentity *wireEnvRef `json:"credential_identity,omitempty"`
	Environment        *wireEnvRef `json:"environment,omitempty"`
}

// wireKsqlStatus is ksqldbcm.v2.ClusterStatus.
type wireKsqlStatus struct {
	Phase        string `json:"phase"`
	IsPaused     bool   `json:"is_paused"`
	Storage      int    `json:"storage"`
	HTTPEndpoint string `json:"http_endpoint,omitempty"`
	TopicPrefix  string `json:"topic_prefix,omitempty"`
}

// wireFlinkRegion is fcpm.v2.Region.
type wireFlinkRegion struct {
	APIVersion   string   `json:"api_version"`
	Kind         string   `json:"kind"`
	ID           string   `json:"id"`
	Metadata     wireMeta `json:"metadata"`
	DisplayName  string   `json:"display_name"`
	Cloud        string   `json:"cloud"`
	RegionName   string   `json:"region_name"`
	HTTPEndpoint string   `json:"http_endpoint"`
}

// wireTableflowRegion is tableflow.v1.Region.
type wireTableflowRegion struct {
	APIVersion string   `json:"api_version"`
	Kind       string   `json:"kind"`
	ID         string   `json:"id"`
	Metadata   wireMeta `json:"metadata"`
	Cloud      string   `json:"cloud"`
	Region     string   `json:"region"`
}

// wireFailure is the Failure schema, the body of every error answer.
type wireFailure struct {
	Errors []wireError `json:"errors"`
}

// wireError is the Error schema. The real API always sends source, often as
// an empty object.
type wireError struct {
	ID     string           `json:"id,omitempty"`
	Status string           `json:"status,omitempty"`
	Code   string           `json:"code,omitempty"`
	Title  string           `json:"title,omitempty"`
	Detail string           `json:"detail,omitempty"`
	Source *wireErrorSource `json:"source,omitempty"`
}

// wireErrorSource says which part of the request an error is about.
type wireErrorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}
