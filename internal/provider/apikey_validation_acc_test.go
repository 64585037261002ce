// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKey_validation checks that every bad argument fails at plan
// time, before any API call.
func TestAccAPIKey_validation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	kafka := func(owner, cluster, envID, extra string) string {
		return fmt.Sprintf(`resource "ccloud_kafka_api_key" "test" {
  owner_id       = %q
  cluster_id     = %q
  environment_id = %q
%s
}`, owner, cluster, envID, extra)
	}
	good := func(extra string) string {
		return kafka("sa-abc123", acctest.KafkaClusterID, acctest.EnvironmentID, extra)
	}
	flink := func(cloud, region string) string {
		return fmt.Sprintf(`resource "ccloud_flink_api_key" "test" {
  owner_id       = "sa-abc123"
  environment_id = %q
  cloud          = %q
  region         = %q
}`, acctest.EnvironmentID, cloud, region)
	}
	cases := []struct {
		config string
		want   string
	}{
		{kafka("bob", acctest.KafkaClusterID, acctest.EnvironmentID, ""), `owner_id.*must be the ID of a service\s+account or user`},
		{kafka("sa-", acctest.KafkaClusterID, acctest.EnvironmentID, ""), `owner_id.*must be the ID of a service\s+account or user`},
		{kafka("sa-abc123", acctest.SchemaRegistryID, acctest.EnvironmentID, ""), `cluster_id.*must be the ID of a Kafka\s+cluster`},
		{kafka("sa-abc123", acctest.KafkaClusterID, "production", ""), `environment_id.*must be the ID of an\s+environment`},
		{`resource "ccloud_schema_registry_api_key" "test" {
  owner_id           = "sa-abc123"
  schema_registry_id = "lkc-abc123"
  environment_id     = "env-abc123"
}`, `schema_registry_id.*must be the ID of a\s+Schema\s+Registry\s+cluster`},
		{`resource "ccloud_ksqldb_api_key" "test" {
  owner_id          = "sa-abc123"
  ksqldb_cluster_id = "lkc-abc123"
  environment_id    = "env-abc123"
}`, `ksqldb_cluster_id.*must be the ID of a\s+ksqlDB\s+cluster`},
		{`resource "ccloud_kafka_api_key" "test" {
  owner_id = "sa-abc123"
}`, `argument\s+"cluster_id"\s+is\s+required`},
		{flink("amazon", "us-east-1"), `cloud.*value\s+must\s+be\s+one\s+of\s+AWS,\s+GCP\s+or\s+AZURE`},
		{flink("AWS", "us east 1"), `region.*must be a cloud region name`},
		{good(`  rotation_period = "30s"`), `Invalid rotation period.*not a period`},
		{good(`  rotation_period = "1w"`), `Invalid rotation period.*not a period`},
		{good(`  rotation_period = "12h1d"`), `Invalid rotation period.*largest first`},
		{good(`  rotation_period = "59m"`), `Rotation period too short`},
		{good(`  rotation_period = ""`), `Invalid rotation period`},
		{good(`  timeouts {
    create = "soon"
  }`), `Invalid Attribute Value Time Duration.*"soon"`},
		{good(`  timeouts {
    create = "-5m"
  }`), `Create timeout too short.*"-5m"`},
		{good(`  timeouts {
    create = "500ms"
  }`), `Create timeout too short.*"500ms"`},
		{good(`  rotation_triggers = "v1"`), `rotation_triggers`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      env.Config(tc.config),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + tc.want),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps:                    steps,
	})
	if n := len(env.Mock.Requests(keyCreateRoute)); n != 0 {
		t.Errorf("%d create requests were sent; validation must fail before any", n)
	}
}

// TestAccAPIKey_rotationShorterThanGrace plans a key whose rotation_period
// is shorter than its grace_period, which would delete each old key before
// its retire_at: refused at plan time naming rotation_period, with nothing
// created. Equal periods, enough max_previous_keys and a grace period not
// known until apply plan a create.
func TestAccAPIKey_rotationShorterThanGrace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	c := keyCases["kafka"]
	sa := "resource \"ccloud_service_account\" \"app\" {\n  display_name = \"periods\"\n}\n"
	key := func(lines string) string {
		return env.Config(sa + c.config("${ccloud_service_account.app.id}", lines))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:   key("  rotation_period = \"1d\"\n  grace_period    = \"72h\""),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Rotation period shorter than grace period.*The\s+rotation_period\s+"1d"\s+is\s+shorter\s+` +
					`than\s+the\s+grace_period\s+"72h".*delete\s+it\s+before\s+its\s+retire_at.*Make\s+rotation_period\s+at\s+least\s+"3d"`),
			},
			{
				Config:   key("  rotation_period   = \"1d\"\n  grace_period      = \"7d\"\n  max_previous_keys = 3"),
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Rotation period shorter than grace period.*max_previous_keys\s+=\s+3.*` +
					`set\s+max_previous_keys\s+to\s+7`),
			},
			{
				Config:             key("  rotation_period = \"3d\"\n  grace_period    = \"72h\""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:             key("  rotation_period   = \"1d\"\n  grace_period      = \"72h\"\n  max_previous_keys = 3"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// The grace period is unknown until the account exists.
				Config:             key("  rotation_period = \"1d\"\n  grace_period    = ccloud_service_account.app.id == \"\" ? \"7d\" : \"72h\""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := len(env.Mock.Requests(keyCreateRoute)); n != 0 {
		t.Errorf("%d create requests were sent; nothing was applied", n)
	}
}
