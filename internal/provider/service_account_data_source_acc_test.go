// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

func TestAccServiceAccountDataSource_byNameAndID(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	// A decoy whose name differs only in case and spacing must not match.
	saMockCreate(t, env, "Orders  Team App", "")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
resource "ccloud_service_account" "test" {
  display_name = "orders team app"
  description  = "Has spaces in its name."
}

data "ccloud_service_account" "by_name" {
  display_name = ccloud_service_account.test.display_name
}

data "ccloud_service_account" "by_id" {
  id = ccloud_service_account.test.id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(saAddr, tfjsonpath.New("id"),
						"data.ccloud_service_account.by_name", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(saAddr, tfjsonpath.New("id"),
						"data.ccloud_service_account.by_id", tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(saAddr, tfjsonpath.New("created_at"),
						"data.ccloud_service_account.by_name", tfjsonpath.New("created_at"), compare.ValuesSame()),
					statecheck.CompareValuePairs(saAddr, tfjsonpath.New("resource_name"),
						"data.ccloud_service_account.by_id", tfjsonpath.New("resource_name"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.ccloud_service_account.by_id", tfjsonpath.New("display_name"),
						knownvalue.StringExact("orders team app")),
					statecheck.ExpectKnownValue("data.ccloud_service_account.by_name", tfjsonpath.New("description"),
						knownvalue.StringExact("Has spaces in its name.")),
				},
			},
		},
	})
}

func TestAccServiceAccountDataSource_notFound(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "ccloud_service_account" "x" { display_name = "nobody here" }`),
				ExpectError: regexp.MustCompile(`(?s)Service account not found.*No\s+service\s+account\s+has\s+the\s+display\s+name\s+"nobody\s+here"`),
			},
			{
				Config:      env.Config(`data "ccloud_service_account" "x" { id = "sa-doesnotexist" }`),
				ExpectError: regexp.MustCompile(`(?s)Service account not found.*No\s+service\s+account\s+with\s+ID\s+"sa-doesnotexist"`),
			},
		},
	})
}

func TestAccServiceAccountDataSource_validation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "ccloud_service_account" "x" {}`),
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly\s+one\s+of\s+these\s+attributes\s+must\s+be\s+configured:\s+\[id,display_name\]`),
				PlanOnly:    true,
			},
			{
				Config: env.Config(`data "ccloud_service_account" "x" {
  id           = "sa-123"
  display_name = "both"
}`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly\s+one\s+of\s+these\s+attributes\s+must\s+be\s+configured:\s+\[id,display_name\]`),
				PlanOnly:    true,
			},
			{
				Config:      env.Config(`data "ccloud_service_account" "x" { display_name = "" }`),
				ExpectError: regexp.MustCompile(`(?s)display_name.*character count must be between 1 and 64`),
				PlanOnly:    true,
			},
		},
	})
}
