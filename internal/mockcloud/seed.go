// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Fixed IDs of the default world, so quick-start documents and tests can name
// them without asking the server.
const (
	DefaultOrganizationID   = "0e1c5a3d-7f2b-4c1e-9a6d-5b8f2e3c4d71"
	DefaultEnvironmentID    = "env-q1ck5t"
	DefaultKafkaClusterID   = "lkc-q1ck5t"
	DefaultSchemaRegistryID = "lsrc-q1ck5t"
	DefaultKsqlDBClusterID  = "lksqlc-q1ck5t"
	DefaultUserID           = "u-q1ck5t"
	DefaultUserEmail        = "quickstart@example.com"
)

// Seed describes the world the mock starts with. It is loadable from JSON
// with the snake_case field names below.
type Seed struct {
	OrganizationID   string               `json:"organization_id"`
	OrganizationName string               `json:"organization_name,omitempty"`
	Environments     []SeedEnvironment    `json:"environments"`
	KafkaClusters    []SeedCluster        `json:"kafka_clusters"`
	SchemaRegistries []SeedCluster        `json:"schema_registries"`
	KsqlDBClusters   []SeedCluster        `json:"ksqldb_clusters"`
	FlinkRegions     []SeedRegion         `json:"flink_regions"`
	TableflowRegions []SeedRegion         `json:"tableflow_regions"`
	Users            []SeedUser           `json:"users"`
	ServiceAccounts  []SeedServiceAccount `json:"service_accounts"`
}

// SeedEnvironment is an environment of the seed.
type SeedEnvironment struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

// SeedCluster is a Kafka, Schema Registry or ksqlDB cluster of the seed.
// KafkaCluster is used by ksqlDB clusters only.
type SeedCluster struct {
	ID           string `json:"id"`
	DisplayName  string `json:"display_name"`
	Environment  string `json:"environment"`
	Cloud        string `json:"cloud,omitempty"`
	Region       string `json:"region,omitempty"`
	KafkaCluster string `json:"kafka_cluster,omitempty"`
}

// SeedRegion is a Flink or Tableflow region, for example cloud "aws" and
// region "us-east-1".
type SeedRegion struct {
	Cloud       string `json:"cloud"`
	Region      string `json:"region"`
	DisplayName string `json:"display_name,omitempty"`
}

// SeedUser is a user of the seed. Users cannot be created through the API.
type SeedUser struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	FullName string `json:"full_name"`
}

// SeedServiceAccount is a service account that exists from the start.
type SeedServiceAccount struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Description string `json:"description,omitempty"`
}

// DefaultSeed returns the quick-start world: one organisation, environment
// env-q1ck5t holding a Kafka cluster, a Schema Registry and a ksqlDB
// cluster, two Flink regions, one Tableflow region and one user.
func DefaultSeed() *Seed {
	return &Seed{
		OrganizationID:   DefaultOrganizationID,
		OrganizationName: "Quick Start Org",
		Environments:     []SeedEnvironment{{ID: DefaultEnvironmentID, DisplayName: "quickstart"}},
		KafkaClusters: []SeedCluster{{
			ID: DefaultKafkaClusterID, DisplayName: "quickstart-kafka", Environment: DefaultEnvironmentID,
			Cloud: "AWS", Region: "us-east-1",
		}},
		SchemaRegistries: []SeedCluster{{
			ID: DefaultSchemaRegistryID, DisplayName: "quickstart-sr", Environment: DefaultEnvironmentID,
			Cloud: "AWS", Region: "us-east-1",
		}},
		KsqlDBClusters: []SeedCluster{{
			ID: DefaultKsqlDBClusterID, DisplayName: "quickstart-ksqldb", Environment: DefaultEnvironmentID,
			KafkaCluster: DefaultKafkaClusterID,
		}},
		FlinkRegions: []SeedRegion{
			{Cloud: "aws", Region: "us-east-1", DisplayName: "N. Virginia (us-east-1)"},
			{Cloud: "gcp", Region: "us-central1", DisplayName: "Iowa (us-central1)"},
		},
		TableflowRegions: []SeedRegion{{Cloud: "aws", Region: "us-east-1"}},
		Users:            []SeedUser{{ID: DefaultUserID, Email: DefaultUserEmail, FullName: "Quick Start"}},
	}
}

// LoadSeed reads a JSON seed file.
func LoadSeed(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seed: %w", err)
	}
	var s Seed
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("parsing seed %s: %w", path, err)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return &s, nil
}

// validate catches the seed mistakes that would make the mock misbehave
// later, such as a cluster in an environment that does not exist.
func (sd *Seed) validate() error {
	if sd.OrganizationID == "" {
		return fmt.Errorf("organization_id is required")
	}
	envs := map[string]bool{}
	ids := map[string]bool{}
	unique := func(id string) error {
		if id == "" {
			return fmt.Errorf("an object has an empty id")
		}
		if ids[id] {
			return fmt.Errorf("duplicate id %q", id)
		}
		ids[id] = true
		return nil
	}
	for _, e := range sd.Environments {
		if err := unique(e.ID); err != nil {
			return err
		}
		envs[e.ID] = true
	}
	check := func(list []SeedCluster, prefix string) error {
		for _, c := range list {
			if err := unique(c.ID); err != nil {
				return err
			}
			if !strings.HasPrefix(c.ID, prefix) {
				return fmt.Errorf("cluster %q must start with %q", c.ID, prefix)
			}
			if !envs[c.Environment] {
				return fmt.Errorf("cluster %q names unknown environment %q", c.ID, c.Environment)
			}
		}
		return nil
	}
	if err := check(sd.KafkaClusters, "lkc-"); err != nil {
		return err
	}
	if err := check(sd.SchemaRegistries, "lsrc-"); err != nil {
		return err
	}
	if err := check(sd.KsqlDBClusters, "lksqlc-"); err != nil {
		return err
	}
	for _, r := range append(append([]SeedRegion(nil), sd.FlinkRegions...), sd.TableflowRegions...) {
		if _, _, _, ok := splitRegionID(regionID(r.Cloud, r.Region)); !ok {
			return fmt.Errorf("region %s.%s is not a known cloud and region", r.Cloud, r.Region)
		}
	}
	for _, u := range sd.Users {
		if err := unique(u.ID); err != nil {
			return err
		}
	}
	for _, sa := range sd.ServiceAccounts {
		if err := unique(sa.ID); err != nil {
			return err
		}
	}
	return nil
}
