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

func TestAccUserDataSource_byEmailAndID(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				// Email addresses match without regard to case.
				Config: env.Config(`
data "ccloud_user" "by_email" {
  email = "QuickStart@Example.com"
}

data "ccloud_user" "by_id" {
  id = "` + acctest.UserID + `"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ccloud_user.by_email", tfjsonpath.New("id"), knownvalue.StringExact(acctest.UserID)),
					statecheck.ExpectKnownValue("data.ccloud_user.by_email", tfjsonpath.New("email"), knownvalue.StringExact(acctest.UserEmail)),
					statecheck.ExpectKnownValue("data.ccloud_user.by_email", tfjsonpath.New("full_name"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.ccloud_user.by_email", tfjsonpath.New("auth_type"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.ccloud_user.by_email", tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339Pattern)),
					statecheck.ExpectKnownValue("data.ccloud_user.by_id", tfjsonpath.New("email"), knownvalue.StringExact(acctest.UserEmail)),
					statecheck.CompareValuePairs("data.ccloud_user.by_id", tfjsonpath.New("full_name"),
						"data.ccloud_user.by_email", tfjsonpath.New("full_name"), compare.ValuesSame()),
				},
			},
		},
	})
}

func TestAccUserDataSource_notFoundAndValidation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(`data "ccloud_user" "x" { email = "nobody@example.com" }`),
				ExpectError: regexp.MustCompile(`(?s)User not found.*No\s+user\s+of\s+the\s+organisation\s+has\s+the\s+email\s+address\s+"nobody@example.com"`),
			},
			{
				Config:      env.Config(`data "ccloud_user" "x" { id = "u-nobody" }`),
				ExpectError: regexp.MustCompile(`(?s)User not found.*No\s+user\s+with\s+ID\s+"u-nobody"`),
			},
			{
				Config:      env.Config(`data "ccloud_user" "x" {}`),
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*\[id,email\]`),
				PlanOnly:    true,
			},
			{
				Config: env.Config(`data "ccloud_user" "x" {
  id    = "` + acctest.UserID + `"
  email = "` + acctest.UserEmail + `"
}`),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
				PlanOnly:    true,
			},
		},
	})
}
