// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/url"
	"strings"
	"time"
)

// This file renders stored records as the shared wire types. base is the
// absolute base URL of the mock (no trailing slash), used for metadata.self,
// related links and endpoints.

func tptr(t time.Time) *time.Time {
	t = t.UTC()
	return &t
}

func (w *world) crn(parts ...string) string {
	return "crn://confluent.cloud/organization=" + w.OrgID + strings.Join(append([]string{""}, parts...), "/")
}

func (w *world) saObject(sa *saRec, base string) wireServiceAccount {
	return wireServiceAccount{
		APIVersion: wireIAM,
		Kind:       "ServiceAccount",
		ID:         sa.ID,
		Metadata: wireMeta{
			Self:         base + "/iam/v2/service-accounts/" + sa.ID,
			ResourceName: w.crn("service-account=" + sa.ID),
			CreatedAt:    tptr(sa.CreatedAt),
			UpdatedAt:    tptr(sa.UpdatedAt),
		},
		DisplayName: sa.DisplayName,
		Description: sa.Description,
	}
}

func (w *world) userObject(u *userRec, base string) wireUser {
	return wireUser{
		APIVersion: wireIAM,
		Kind:       "User",
		ID:         u.ID,
		Metadata: wireMeta{
			Self:         base + "/iam/v2/users/" + u.ID,
			ResourceName: w.crn("user=" + u.ID),
			CreatedAt:    tptr(u.CreatedAt),
			UpdatedAt:    tptr(u.CreatedAt),
		},
		Email:    u.Email,
		FullName: u.FullName,
		AuthType: "AUTH_TYPE_LOCAL",
	}
}

func (w *world) envObject(e *envRec, base string) wireEnvironment {
	return wireEnvironment{
		APIVersion: wireOrg,
		Kind:       "Environment",
		ID:         e.ID,
		Metadata: wireMeta{
			Self:         base + "/org/v2/environments/" + e.ID,
			ResourceName: w.crn("environment=" + e.ID),
			CreatedAt:    tptr(e.CreatedAt),
			UpdatedAt:    tptr(e.CreatedAt),
		},
		DisplayName: e.DisplayName,
	}
}

func (w *world) orgObject(base string) wireOrganization {
	return wireOrganization{
		APIVersion: wireOrg,
		Kind:       "Organization",
		ID:         w.OrgID,
		Metadata: wireMeta{
			Self:         base + "/org/v2/organizations/" + w.OrgID,
			ResourceName: w.crn(),
			CreatedAt:    tptr(w.CreatedAt),
			UpdatedAt:    tptr(w.CreatedAt),
		},
		DisplayName: w.OrgName,
	}
}

func (w *world) envRef(env, base string) *wireEnvRef {
	return &wireEnvRef{
		ID:           env,
		Related:      base + "/org/v2/environments/" + env,
		ResourceName: w.crn("environment=" + env),
	}
}

// kafkaObject renders c with base in its URLs and dataBase as its data-plane
// endpoint; so do srObject, ksqlObject and flinkRegionObject (see
// SetDataPlaneBase).
func (w *world) kafkaObject(c *clusterRec, base, dataBase string) wireKafkaCluster {
	return wireKafkaCluster{
		APIVersion: wireCMK,
		Kind:       "Cluster",
		ID:         c.ID,
		Metadata: wireMeta{
			Self:         base + "/cmk/v2/clusters/" + c.ID,
			ResourceName: w.crn("environment="+c.Environment, "cloud-cluster="+c.ID, "kafka="+c.ID),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec: wireKafkaSpec{
			DisplayName:            c.DisplayName,
			Availability:           "SINGLE_ZONE",
			Cloud:                  c.Cloud,
			Region:                 c.Region,
			Config:                 &wireKind{Kind: "Basic"},
			KafkaBootstrapEndpoint: "SASL_SSL://" + hostOf(base) + ":9092",
			// The Kafka REST probe appends /kafka/v3/clusters/{id}/topics.
			HTTPEndpoint: dataBase,
			Environment:  w.envRef(c.Environment, base),
		},
		Status: &wirePhase{Phase: "PROVISIONED"},
	}
}

func (w *world) srObject(c *clusterRec, base, dataBase string) wireSRCluster {
	return wireSRCluster{
		APIVersion: wireSRCM,
		Kind:       "Cluster",
		ID:         c.ID,
		Metadata: wireMeta{
			Self:         base + "/srcm/v3/clusters/" + c.ID,
			ResourceName: w.crn("environment="+c.Environment, "schema-registry="+c.ID),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec: wireSRSpec{
			DisplayName:  c.DisplayName,
			Package:      "ESSENTIALS",
			Cloud:        c.Cloud,
			Region:       c.Region,
			HTTPEndpoint: dataBase + "/sr/" + c.ID,
			Environment:  w.envRef(c.Environment, base),
		},
		Status: &wirePhase{Phase: "PROVISIONED"},
	}
}

func (w *world) ksqlObject(c *clusterRec, base, dataBase string) wireKsqlCluster {
	spec := wireKsqlSpec{
		DisplayName: c.DisplayName,
		CSU:         1,
		Environment: w.envRef(c.Environment, base),
	}
	// The API requires a credential identity; the mock's clusters run as the
	// organisation's first user.
	if len(w.Users) > 0 {
		u := w.Users[0].ID
		spec.CredentialIdentity = &wireEnvRef{
			ID:           u,
			Related:      base + "/iam/v2/users/" + u,
			ResourceName: w.crn("user=" + u),
		}
	}
	if c.KafkaCluster != "" {
		spec.KafkaCluster = &wireEnvRef{
			ID:           c.KafkaCluster,
			Related:      base + "/cmk/v2/clusters/" + c.KafkaCluster,
			ResourceName: w.crn("environment="+c.Environment, "cloud-cluster="+c.KafkaCluster),
		}
	}
	return wireKsqlCluster{
		APIVersion: wireKsqlDB,
		Kind:       "Cluster",
		ID:         c.ID,
		Metadata: wireMeta{
			Self:         base + "/ksqldbcm/v2/clusters/" + c.ID,
			ResourceName: w.ksqlCRN(c),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec:   spec,
		Status: &wireKsqlStatus{Phase: "PROVISIONED", Storage: 125, HTTPEndpoint: dataBase + "/ksql/" + c.ID},
	}
}

func (w *world) ksqlCRN(c *clusterRec) string {
	if c.KafkaCluster != "" {
		return w.crn("environment="+c.Environment, "cloud-cluster="+c.KafkaCluster, "ksql="+c.ID)
	}
	return w.crn("environment="+c.Environment, "ksql="+c.ID)
}

func (w *world) flinkRegionObject(r *regionRec, base, dataBase string) wireFlinkRegion {
	return wireFlinkRegion{
		APIVersion: wireFCPM,
		Kind:       "Region",
		ID:         r.id(),
		Metadata: wireMeta{
			Self:         base + "/fcpm/v2/regions/" + r.id(),
			ResourceName: w.crn("flink-region=" + r.id()),
		},
		DisplayName:  r.DisplayName,
		Cloud:        strings.ToUpper(r.Cloud),
		RegionName:   r.Region,
		HTTPEndpoint: dataBase + "/flink/" + r.id(),
	}
}

func (w *world) tableflowRegionObject(r *regionRec, base string) wireTableflowRegion {
	return wireTableflowRegion{
		APIVersion: wireTableflow,
		Kind:       "Region",
		ID:         r.id(),
		Metadata: wireMeta{
			Self:         base + "/tableflow/v1/regions/" + r.id(),
			ResourceName: w.crn("region=" + r.id()),
		},
		Cloud:  strings.ToUpper(r.Cloud),
		Region: r.Region,
	}
}

func (w *world) ownerRef(id, base string) *wireRef {
	if isUserID(id) {
		return &wireRef{
			ID: id, APIVersion: wireIAM, Kind: "User",
			Related:      base + "/iam/v2/users/" + id,
			ResourceName: w.crn("user=" + id),
		}
	}
	return &wireRef{
		ID: id, APIVersion: wireIAM, Kind: "ServiceAccount",
		Related:      base + "/iam/v2/service-accounts/" + id,
		ResourceName: w.crn("service-account=" + id),
	}
}

// resourceRef echoes a key's resource as the fully typed reference the
// createIamV2ApiKey answer carries (https://docs.confluent.io/cloud/current/api.html#tag/API-Keys-(iamv2)), whatever
// form the request used.
func (w *world) resourceRef(k *keyRec, base string) *wireRef {
	switch k.Scope {
	case scopeKafka:
		return &wireRef{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: wireCMK, Kind: "Cluster",
			Related:      base + "/cmk/v2/clusters/" + k.ResourceID,
			ResourceName: w.crn("environment="+k.Environment, "cloud-cluster="+k.ResourceID),
		}
	case scopeSchemaRegistry:
		return &wireRef{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: "srcm/v2", Kind: "SchemaRegistry",
			Related:      base + "/srcm/v2/schema-registries/" + k.ResourceID,
			ResourceName: w.crn("environment="+k.Environment, "schema-registry="+k.ResourceID),
		}
	case scopeKsqlDB:
		crn := w.crn("environment="+k.Environment, "ksql="+k.ResourceID)
		if c := w.cluster(clusterKsqlDB, k.ResourceID); c != nil {
			crn = w.ksqlCRN(c)
		}
		return &wireRef{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: wireKsqlDB, Kind: "ksqlDB",
			Related:      base + "/ksqldbcm/v2/clusters/" + k.ResourceID,
			ResourceName: crn,
		}
	case scopeFlink:
		cloud, _, _ := strings.Cut(k.ResourceID, ".")
		return &wireRef{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: wireFCPM, Kind: "Region",
			Related:      base + "/fcpm/v2/regions?cloud=" + url.QueryEscape(cloud),
			ResourceName: w.crn("environment="+k.Environment, "flink-region="+k.ResourceID),
		}
	case scopeTableflow:
		return &wireRef{
			ID: resourceIDTableflow, APIVersion: wireTableflow, Kind: "Tableflow",
			Related: resourceIDTableflow, ResourceName: resourceIDTableflow,
		}
	case scopeGlobal:
		return &wireRef{
			ID: resourceIDGlobal, APIVersion: wireGlobal, Kind: "Global",
			Related: resourceIDGlobal, ResourceName: resourceIDGlobal,
		}
	default:
		return &wireRef{
			ID: resourceIDCloud, APIVersion: wireIAM, Kind: "Cloud",
			Related: resourceIDCloud, ResourceName: resourceIDCloud,
		}
	}
}

func (w *world) ownerCRNPart(owner string) string {
	if isUserID(owner) {
		return "user=" + owner
	}
	return "service-account=" + owner
}

// keyObject renders a key. The secret is included only when withSecret is
// set, which only the create response does.
func (w *world) keyObject(k *keyRec, base string, withSecret bool) wireAPIKey {
	out := wireAPIKey{
		APIVersion: wireIAM,
		Kind:       "ApiKey",
		ID:         k.ID,
		Metadata: wireMeta{
			Self:         base + "/iam/v2/api-keys/" + k.ID,
			ResourceName: w.crn(w.ownerCRNPart(k.OwnerID), "api-key="+k.ID),
			CreatedAt:    tptr(k.CreatedAt),
			UpdatedAt:    tptr(k.UpdatedAt),
		},
		Spec: wireAPIKeySpec{
			DisplayName: k.DisplayName,
			Description: k.Description,
			Owner:       w.ownerRef(k.OwnerID, base),
			Resource:    w.resourceRef(k, base),
		},
	}
	if withSecret {
		out.Spec.Secret = k.Secret
	}
	return out
}

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}
