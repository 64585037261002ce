// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKey_emptyTriggersAreNull checks that an empty rotation_triggers
// map and a missing one are the same policy: going from triggers to {} does
// not rotate, just as going to null does not, and from {} to triggers does
// not rotate either. Only a change between two non-empty sets rotates.
func TestAccAPIKey_emptyTriggersAreNull(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("triggers-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	config := func(triggers string) string {
		extra := "  wait_for_ready = false"
		if triggers != "" {
			extra += "\n  rotation_triggers = " + triggers
		}
		return env.Config(c.config(owner, extra))
	}
	noRotation := func(triggers string) resource.TestStep {
		return resource.TestStep{
			Config: config(triggers),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config(`{ a = "1" }`)},
			noRotation(`{}`),
			noRotation(`{ a = "2" }`),
			noRotation(""),
			noRotation(`{}`),
			{
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
			},
			{Config: config(`{ a = "1" }`)},
			{
				// Between two non-empty sets, a change rotates.
				Config: config(`{ a = "1", b = "x" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
			},
		},
	})
}
