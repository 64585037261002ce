// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

func TestAccServiceAccountsDataSource_filter(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(`
resource "ccloud_service_account" "b" {
  display_name = "billing app"
}

resource "ccloud_service_account" "a" {
  display_name = "audit app"
  description  = "Reads the audit log."
}

data "ccloud_service_accounts" "all" {
  depends_on = [ccloud_service_account.a, ccloud_service_account.b]
}

data "ccloud_service_accounts" "one" {
  display_name = ccloud_service_account.a.display_name
}

data "ccloud_service_accounts" "none" {
  display_name = "no such app"
  depends_on   = [ccloud_service_account.a, ccloud_service_account.b]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					// Sorted by display name, whatever the API's order.
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.all", tfjsonpath.New("service_accounts"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"display_name":  knownvalue.StringExact("audit app"),
								"description":   knownvalue.StringExact("Reads the audit log."),
								"id":            knownvalue.StringRegexp(saIDPattern),
								"created_at":    knownvalue.StringRegexp(rfc3339Pattern),
								"resource_name": knownvalue.StringRegexp(saCRNPattern),
							}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"display_name": knownvalue.StringExact("billing app"),
								"description":  knownvalue.StringExact(""),
							}),
						})),
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
					statecheck.CompareValuePairs("ccloud_service_account.a", tfjsonpath.New("id"),
						"data.ccloud_service_accounts.all", tfjsonpath.New("ids").AtSliceIndex(0), compare.ValuesSame()),
					statecheck.CompareValuePairs("ccloud_service_account.b", tfjsonpath.New("id"),
						"data.ccloud_service_accounts.all", tfjsonpath.New("ids").AtSliceIndex(1), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.one", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.CompareValuePairs("ccloud_service_account.a", tfjsonpath.New("id"),
						"data.ccloud_service_accounts.one", tfjsonpath.New("service_accounts").AtSliceIndex(0).AtMapKey("id"), compare.ValuesSame()),
					// No match is an empty list, not an error: the filter is a query.
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.none", tfjsonpath.New("service_accounts"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.ccloud_service_accounts.none", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
