// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// providerWith renders the Env's provider block with extra attributes.
func providerWith(env *acctest.Env, extra string) string {
	key, secret := env.Mock.Credentials()
	return fmt.Sprintf(`provider "ccloud" {
  endpoint         = %q
  cloud_api_key    = %q
  cloud_api_secret = %q
  max_retries      = 3
%s
}
`, env.Mock.URL(), key, secret, extra)
}

// wrapped quotes s for a regular expression in which any run of white space
// matches a space, since Terraform wraps long diagnostics.
func wrapped(s string) string { return strings.ReplaceAll(regexp.QuoteMeta(s), " ", `\s+`) }

// errorFor matches an error diagnostic with the given summary that
// Terraform attributes to the resource at addr, and whose detail matches
// detail (a regular expression, see wrapped).
func errorFor(summary, addr, detail string) string {
	return `Error: ` + wrapped(summary) + `\s+with ` + regexp.QuoteMeta(addr) + `,[^│]*?` + detail
}

// TestAccGuardrails_denyUserOwnedKeys fails the plan once for each
// user-owned key, naming each, and lets a service account's key through.
func TestAccGuardrails_denyUserOwnedKeys(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := `resource "ccloud_service_account" "app" {
  display_name = "guarded"
}
`
	userKeys := fmt.Sprintf(`resource "ccloud_cloud_api_key" "mine" {
  owner_id = %[1]q
}

resource "ccloud_kafka_api_key" "also_mine" {
  owner_id       = %[1]q
  display_name   = "laptop"
  cluster_id     = %[2]q
  environment_id = %[3]q
}
`, acctest.UserID, acctest.KafkaClusterID, acctest.EnvironmentID)
	saKey := `resource "ccloud_cloud_api_key" "app" {
  owner_id = ccloud_service_account.app.id
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: providerWith(env, "  deny_user_owned_keys = true") + sa + saKey + userKeys,
				ExpectError: regexp.MustCompile(`(?s)` +
					errorFor("Guardrail: user-owned API key", "ccloud_cloud_api_key.mine",
						wrapped("ccloud_cloud_api_key is owned by user "+acctest.UserID+", and the provider's deny_user_owned_keys")) +
					`.*` + errorFor("Guardrail: user-owned API key", "ccloud_kafka_api_key.also_mine",
					wrapped(`ccloud_kafka_api_key ("laptop") is owned by user`))),
			},
			{
				// Without the user's keys the same configuration plans, and
				// nothing was created by the failed plan.
				PreConfig: func() {
					if n := len(env.Mock.APIKeys()); n != 0 {
						t.Fatalf("the failed plan left %d keys in the mock", n)
					}
				},
				Config: providerWith(env, "  deny_user_owned_keys = true") + sa + saKey,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ccloud_cloud_api_key.app", tfjsonpath.New("owner_kind"), knownvalue.StringExact("ServiceAccount")),
				},
			},
		},
	})
}

// TestAccGuardrails_rotation checks require_rotation and
// max_rotation_period on new keys and on a key that already exists when the
// guardrail is turned on.
func TestAccGuardrails_rotation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := `resource "ccloud_service_account" "app" {
  display_name  = "rotating"
  force_destroy = true
}
`
	key := func(name, body string) string {
		return fmt.Sprintf("resource \"ccloud_tableflow_api_key\" %q {\n  owner_id = ccloud_service_account.app.id\n%s\n}\n", name, body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				// An existing key without rotation, made before any guardrail.
				Config: providerWith(env, "") + sa + key("old", ""),
			},
			{
				Config: providerWith(env, "  require_rotation = true") + sa + key("old", "") +
					key("triggered", `  rotation_triggers = { v = "1" }`) + key("scheduled", `  rotation_period = "90d"`),
				ExpectError: regexp.MustCompile(`(?s)` + errorFor("Guardrail: API key without rotation", "ccloud_tableflow_api_key.old",
					`ccloud_tableflow_api_key\s+[A-Z0-9]{16}\s+`+wrapped("has neither rotation_period nor rotation_triggers"))),
			},
			{
				Config: providerWith(env, "  require_rotation = true") + sa + key("old", `  rotation_period = "30d"`) +
					key("triggered", `  rotation_triggers = { v = "1" }`) + key("scheduled", `  rotation_period = "90d"`),
			},
			{
				Config: providerWith(env, `  max_rotation_period = "60d"`) + sa + key("old", `  rotation_period = "30d"`) +
					key("triggered", `  rotation_triggers = { v = "1" }`) + key("scheduled", `  rotation_period = "90d"`),
				ExpectError: regexp.MustCompile(`(?s)(` +
					errorFor("Guardrail: API key without rotation_period", "ccloud_tableflow_api_key.triggered",
						wrapped("has no rotation_period, and the provider's max_rotation_period guardrail")) + `.*` +
					errorFor("Guardrail: rotation_period too long", "ccloud_tableflow_api_key.scheduled",
						wrapped(`has rotation_period "90d", longer than the provider's max_rotation_period of 60d`)) + `|` +
					errorFor("Guardrail: rotation_period too long", "ccloud_tableflow_api_key.scheduled",
						wrapped(`has rotation_period "90d", longer than the provider's max_rotation_period of 60d`)) + `.*` +
					errorFor("Guardrail: API key without rotation_period", "ccloud_tableflow_api_key.triggered",
						wrapped("has no rotation_period, and the provider's max_rotation_period guardrail")) + `)`),
			},
			{
				Config: providerWith(env, "  require_rotation = true\n  max_rotation_period = \"60d\"") + sa +
					key("old", `  rotation_period = "30d"`) + key("scheduled", `  rotation_period = "1440h"`),
			},
		},
	})
}

// TestAccProvider_httpEndpoint refuses plain HTTP to a host that is not a
// loopback address, and accepts it for localhost (the mock is reached as
// 127.0.0.1 by every other test).
func TestAccProvider_httpEndpoint(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	key, secret := env.Mock.Credentials()
	lookup := `data "ccloud_service_accounts" "all" {}
`
	localhost := strings.Replace(env.Mock.URL(), "127.0.0.1", "localhost", 1)
	if localhost == env.Mock.URL() {
		t.Fatalf("the mock's URL %s is not on 127.0.0.1", env.Mock.URL())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderBlock("http://confluent.example.com:8080", key, secret) + lookup,
				ExpectError: regexp.MustCompile(`(?s)Insecure endpoint.*with provider\["registry.terraform.io/hashicorp/ccloud"\],.*` +
					`endpoint\s+http://confluent.example.com:8080\s+uses\s+http://.*not\s+a\s+loopback\s+address.*` +
					`endpoint\s+attribute\s+or\s+the\s+CONFLUENT_CLOUD_ENDPOINT\s+environment\s+variable`),
			},
			{
				Config: acctest.ProviderBlock(localhost, key, secret) + lookup,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.all", tfjsonpath.New("service_accounts"), knownvalue.NotNull()),
				},
			},
		},
	})
}
