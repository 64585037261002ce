// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccIdentity_createAndImportBlock checks, on Terraform 1.12 or later,
// that an account and a key carry their ID as identity after create, and
// that an import block naming only that identity plans as a no-op import
// with the same identity (terraform-plugin-testing compares both).
func TestAccIdentity_createAndImportBlock(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config := env.Config(fmt.Sprintf(`
resource "ccloud_service_account" "app" {
  display_name = "identity-app"
  description  = "adopted by identity"
}

resource "ccloud_kafka_api_key" "app" {
  owner_id       = ccloud_service_account.app.id
  cluster_id     = %q
  environment_id = %q
  display_name   = "identity-key"
}
`, acctest.KafkaClusterID, acctest.EnvironmentID))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("ccloud_service_account.app", map[string]knownvalue.Check{
						"id": knownvalue.StringRegexp(saIDPattern),
					}),
					statecheck.ExpectIdentity("ccloud_kafka_api_key.app", map[string]knownvalue.Check{
						"id": knownvalue.StringRegexp(keyIDPattern),
					}),
					statecheck.ExpectIdentityValueMatchesState("ccloud_service_account.app", tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesState("ccloud_kafka_api_key.app", tfjsonpath.New("id")),
				},
			},
			{
				Config:          config,
				ResourceName:    "ccloud_service_account.app",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:          config,
				ResourceName:    "ccloud_kafka_api_key.app",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
