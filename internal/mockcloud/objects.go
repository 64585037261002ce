// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/url"
	"strings"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
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

func (w *world) saObject(sa *saRec, base string) ccloud.ServiceAccount {
	return ccloud.ServiceAccount{
		APIVersion: ccloud.APIVersionIAM,
		Kind:       ccloud.KindServiceAccount,
		ID:         sa.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/iam/v2/service-accounts/" + sa.ID,
			ResourceName: w.crn("service-account=" + sa.ID),
			CreatedAt:    tptr(sa.CreatedAt),
			UpdatedAt:    tptr(sa.UpdatedAt),
		},
		DisplayName: sa.DisplayName,
		Description: sa.Description,
	}
}

func (w *world) userObject(u *userRec, base string) ccloud.User {
	return ccloud.User{
		APIVersion: ccloud.APIVersionIAM,
		Kind:       ccloud.KindUser,
		ID:         u.ID,
		Metadata: ccloud.ObjectMeta{
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

func (w *world) envObject(e *envRec, base string) ccloud.Environment {
	return ccloud.Environment{
		APIVersion: ccloud.APIVersionOrg,
		Kind:       ccloud.KindEnvironment,
		ID:         e.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/org/v2/environments/" + e.ID,
			ResourceName: w.crn("environment=" + e.ID),
			CreatedAt:    tptr(e.CreatedAt),
			UpdatedAt:    tptr(e.CreatedAt),
		},
		DisplayName: e.DisplayName,
	}
}

func (w *world) orgObject(base string) ccloud.Organization {
	return ccloud.Organization{
		APIVersion: ccloud.APIVersionOrg,
		Kind:       "Organization",
		ID:         w.OrgID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/org/v2/organizations/" + w.OrgID,
			ResourceName: w.crn(),
			CreatedAt:    tptr(w.CreatedAt),
			UpdatedAt:    tptr(w.CreatedAt),
		},
		DisplayName: w.OrgName,
	}
}

func (w *world) envRef(env, base string) *ccloud.EnvReference {
	return &ccloud.EnvReference{
		ID:           env,
		Related:      base + "/org/v2/environments/" + env,
		ResourceName: w.crn("environment=" + env),
	}
}

func (w *world) kafkaObject(c *clusterRec, base string) ccloud.KafkaCluster {
	return ccloud.KafkaCluster{
		APIVersion: ccloud.APIVersionCMK,
		Kind:       ccloud.KindCluster,
		ID:         c.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/cmk/v2/clusters/" + c.ID,
			ResourceName: w.crn("environment="+c.Environment, "cloud-cluster="+c.ID, "kafka="+c.ID),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec: ccloud.KafkaClusterSpec{
			DisplayName:            c.DisplayName,
			Availability:           "SINGLE_ZONE",
			Cloud:                  c.Cloud,
			Region:                 c.Region,
			Config:                 &ccloud.KafkaClusterConfig{Kind: "Basic"},
			KafkaBootstrapEndpoint: "SASL_SSL://" + hostOf(base) + ":9092",
			// The Kafka REST probe appends /kafka/v3/clusters/{id}/topics.
			HTTPEndpoint: base,
			Environment:  w.envRef(c.Environment, base),
		},
		Status: &ccloud.ClusterStatus{Phase: "PROVISIONED"},
	}
}

func (w *world) srObject(c *clusterRec, base string) ccloud.SchemaRegistryCluster {
	return ccloud.SchemaRegistryCluster{
		APIVersion: ccloud.APIVersionSRCM,
		Kind:       ccloud.KindCluster,
		ID:         c.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/srcm/v3/clusters/" + c.ID,
			ResourceName: w.crn("environment="+c.Environment, "schema-registry="+c.ID),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec: ccloud.SchemaRegistryClusterSpec{
			DisplayName:  c.DisplayName,
			Package:      "ESSENTIALS",
			Cloud:        c.Cloud,
			Region:       c.Region,
			HTTPEndpoint: base + "/sr/" + c.ID,
			Environment:  w.envRef(c.Environment, base),
		},
		Status: &ccloud.ClusterStatus{Phase: "PROVISIONED"},
	}
}

func (w *world) ksqlObject(c *clusterRec, base string) ccloud.KsqlDBCluster {
	spec := ccloud.KsqlDBClusterSpec{
		DisplayName: c.DisplayName,
		CSU:         1,
		Environment: w.envRef(c.Environment, base),
	}
	// The API requires a credential identity; the mock's clusters run as the
	// organisation's first user.
	if len(w.Users) > 0 {
		u := w.Users[0].ID
		spec.CredentialIdentity = &ccloud.EnvReference{
			ID:           u,
			Related:      base + "/iam/v2/users/" + u,
			ResourceName: w.crn("user=" + u),
		}
	}
	if c.KafkaCluster != "" {
		spec.KafkaCluster = &ccloud.EnvReference{
			ID:           c.KafkaCluster,
			Related:      base + "/cmk/v2/clusters/" + c.KafkaCluster,
			ResourceName: w.crn("environment="+c.Environment, "cloud-cluster="+c.KafkaCluster),
		}
	}
	return ccloud.KsqlDBCluster{
		APIVersion: ccloud.APIVersionKsqlDB,
		Kind:       ccloud.KindCluster,
		ID:         c.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/ksqldbcm/v2/clusters/" + c.ID,
			ResourceName: w.ksqlCRN(c),
			CreatedAt:    tptr(c.CreatedAt),
			UpdatedAt:    tptr(c.CreatedAt),
		},
		Spec:   spec,
		Status: &ccloud.KsqlDBClusterStatus{Phase: "PROVISIONED", Storage: 125, HTTPEndpoint: base + "/ksql/" + c.ID},
	}
}

func (w *world) ksqlCRN(c *clusterRec) string {
	if c.KafkaCluster != "" {
		return w.crn("environment="+c.Environment, "cloud-cluster="+c.KafkaCluster, "ksql="+c.ID)
	}
	return w.crn("environment="+c.Environment, "ksql="+c.ID)
}

func (w *world) flinkRegionObject(r *regionRec, base string) ccloud.FlinkRegion {
	return ccloud.FlinkRegion{
		APIVersion: ccloud.APIVersionFCPM,
		Kind:       ccloud.KindRegion,
		ID:         r.id(),
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/fcpm/v2/regions/" + r.id(),
			ResourceName: w.crn("flink-region=" + r.id()),
		},
		DisplayName:  r.DisplayName,
		Cloud:        strings.ToUpper(r.Cloud),
		RegionName:   r.Region,
		HTTPEndpoint: base + "/flink/" + r.id(),
	}
}

func (w *world) tableflowRegionObject(r *regionRec, base string) ccloud.TableflowRegion {
	return ccloud.TableflowRegion{
		APIVersion: ccloud.APIVersionTableflow,
		Kind:       ccloud.KindRegion,
		ID:         r.id(),
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/tableflow/v1/regions/" + r.id(),
			ResourceName: w.crn("region=" + r.id()),
		},
		Cloud:  strings.ToUpper(r.Cloud),
		Region: r.Region,
	}
}

func (w *world) ownerRef(id, base string) *ccloud.ObjectReference {
	if strings.HasPrefix(id, "u-") {
		return &ccloud.ObjectReference{
			ID: id, APIVersion: ccloud.APIVersionIAM, Kind: ccloud.KindUser,
			Related:      base + "/iam/v2/users/" + id,
			ResourceName: w.crn("user=" + id),
		}
	}
	return &ccloud.ObjectReference{
		ID: id, APIVersion: ccloud.APIVersionIAM, Kind: ccloud.KindServiceAccount,
		Related:      base + "/iam/v2/service-accounts/" + id,
		ResourceName: w.crn("service-account=" + id),
	}
}

// resourceRef echoes a key's resource as the fully typed reference of the
// REFERENCE §5 table, whatever form the request used.
func (w *world) resourceRef(k *keyRec, base string) *ccloud.ObjectReference {
	switch k.Scope {
	case ccloud.ScopeKafka:
		return &ccloud.ObjectReference{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: ccloud.APIVersionCMK, Kind: ccloud.KindCluster,
			Related:      base + "/cmk/v2/clusters/" + k.ResourceID,
			ResourceName: w.crn("environment="+k.Environment, "cloud-cluster="+k.ResourceID),
		}
	case ccloud.ScopeSchemaRegistry:
		return &ccloud.ObjectReference{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: "srcm/v2", Kind: ccloud.KindSchemaRegistry,
			Related:      base + "/srcm/v2/schema-registries/" + k.ResourceID,
			ResourceName: w.crn("environment="+k.Environment, "schema-registry="+k.ResourceID),
		}
	case ccloud.ScopeKsqlDB:
		crn := w.crn("environment="+k.Environment, "ksql="+k.ResourceID)
		if c := w.cluster(clusterKsqlDB, k.ResourceID); c != nil {
			crn = w.ksqlCRN(c)
		}
		return &ccloud.ObjectReference{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: ccloud.APIVersionKsqlDB, Kind: ccloud.KindKsqlDB,
			Related:      base + "/ksqldbcm/v2/clusters/" + k.ResourceID,
			ResourceName: crn,
		}
	case ccloud.ScopeFlink:
		cloud, _, _ := strings.Cut(k.ResourceID, ".")
		return &ccloud.ObjectReference{
			ID: k.ResourceID, Environment: k.Environment, APIVersion: ccloud.APIVersionFCPM, Kind: ccloud.KindRegion,
			Related:      base + "/fcpm/v2/regions?cloud=" + url.QueryEscape(cloud),
			ResourceName: w.crn("environment="+k.Environment, "flink-region="+k.ResourceID),
		}
	case ccloud.ScopeTableflow:
		return &ccloud.ObjectReference{
			ID: ccloud.ResourceIDTableflow, APIVersion: ccloud.APIVersionTableflow, Kind: ccloud.KindTableflow,
			Related: ccloud.ResourceIDTableflow, ResourceName: ccloud.ResourceIDTableflow,
		}
	case ccloud.ScopeGlobal:
		return &ccloud.ObjectReference{
			ID: ccloud.ResourceIDGlobal, APIVersion: "global/v1", Kind: "Global",
			Related: ccloud.ResourceIDGlobal, ResourceName: ccloud.ResourceIDGlobal,
		}
	default:
		return &ccloud.ObjectReference{
			ID: ccloud.ResourceIDCloud, APIVersion: ccloud.APIVersionIAM, Kind: ccloud.KindCloud,
			Related: ccloud.ResourceIDCloud, ResourceName: ccloud.ResourceIDCloud,
		}
	}
}

func (w *world) ownerCRNPart(owner string) string {
	if strings.HasPrefix(owner, "u-") {
		return "user=" + owner
	}
	return "service-account=" + owner
}

// keyObject renders a key. The secret is included only when withSecret is
// set, which only the create response does.
func (w *world) keyObject(k *keyRec, base string, withSecret bool) ccloud.APIKey {
	out := ccloud.APIKey{
		APIVersion: ccloud.APIVersionIAM,
		Kind:       ccloud.KindAPIKey,
		ID:         k.ID,
		Metadata: ccloud.ObjectMeta{
			Self:         base + "/iam/v2/api-keys/" + k.ID,
			ResourceName: w.crn(w.ownerCRNPart(k.OwnerID), "api-key="+k.ID),
			CreatedAt:    tptr(k.CreatedAt),
			UpdatedAt:    tptr(k.UpdatedAt),
		},
		Spec: ccloud.APIKeySpec{
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
