// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKey_driftDeleted deletes a key behind Terraform's back. The API
// answers 403 for deleted keys; the provider confirms with the owner's key
// list that the key is gone, drops it from state and creates it again.
func TestAccAPIKey_driftDeleted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["ksqldb"]
	addr := c.addr()
	config := env.Config(c.config(owner, ""))
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	var oldID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					acctest.CaptureID(addr, &oldID),
				},
			},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteAPIKey(oldID); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_driftOwnerCascade deletes the owning service account behind
// Terraform's back, which deletes its keys too: both are planned again.
func TestAccAPIKey_driftOwnerCascade(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	c := keyCases["kafka"]
	addr := c.addr()
	config := env.Config(`resource "ccloud_service_account" "owner" {
  display_name = "orders-app"
}
` + c.config("${ccloud_service_account.owner.id}", ""))
	var saID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID("ccloud_service_account.owner", &saID)},
			},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteServiceAccount(saID); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("ccloud_service_account.owner", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectMockKeysMatchState(env.Mock),
					acctest.ExpectMockServiceAccount(env.Mock, "ccloud_service_account.owner", "orders-app", ""),
					acctest.ExpectMockServiceAccountCount(env.Mock, 1),
				},
			},
		},
	})
}

// TestAccAPIKey_driftClusterCascade deletes the cluster a key is scoped to,
// which deletes the key: the refresh drops it and plans it again.
func TestAccAPIKey_driftClusterCascade(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["schema_registry"]
	config := env.Config(c.config(owner, ""))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteCluster(acctest.SchemaRegistryID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The plan after a refresh sees the key gone.
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionCreate),
					},
				},
			},
		},
	})
}

// TestAccAPIKey_readForbidden makes reads answer 403 for a permissions
// problem rather than a deleted key: the key's list answers 403 too, so the
// provider cannot confirm the key is gone and fails instead of dropping it.
func TestAccAPIKey_readForbidden(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["flink"]
	addr := c.addr()
	config := env.Config(c.config(owner, ""))
	var id string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &id)},
			},
			{
				PreConfig: func() {
					env.Mock.AddFault(mockcloud.Fault{Route: keyGetRoute, Kind: mockcloud.FaultStatus, Status: 403})
					env.Mock.AddFault(mockcloud.Fault{Route: keyListRoute, Kind: mockcloud.FaultStatus, Status: 403})
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error reading Flink API key.*403 Forbidden`),
			},
			{
				// Once the permissions are back, the same key is still managed.
				PreConfig: env.Mock.ClearFaults,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&id)),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}
