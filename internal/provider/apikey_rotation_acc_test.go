// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// rotationPropagationDelay makes the new key fail authentication for a
// moment, so that the audit log proves the readiness wait happened before
// the old key was deleted.
const rotationPropagationDelay = 300 * time.Millisecond

func cbdKeyConfig(c keyCase, owner, trigger string) string {
	return c.config(owner, fmt.Sprintf(`  display_name = "orders"
  rotation_triggers = { version = %q }
  lifecycle {
    create_before_destroy = true
  }`, trigger))
}

func TestAccAPIKey_rotationTrigger(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: rotationPropagationDelay})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	differentSecret := statecheck.CompareValue(compare.ValuesDiffer())
	var oldID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: env.Config(cbdKeyConfig(c, owner, "1")),
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					differentSecret.AddStateValue(addr, tfjsonpath.New("secret")),
					acctest.CaptureID(addr, &oldID),
				},
			},
			{
				// Bumping a trigger rotates the key: a real replacement, new
				// key first.
				Config: env.Config(cbdKeyConfig(c, owner, "2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					differentSecret.AddStateValue(addr, tfjsonpath.New("secret")),
					acctest.ExpectRotationOrder(env.Mock, addr, &oldID),
				},
			},
		},
	})
}

func TestAccAPIKey_rotationReplace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: rotationPropagationDelay})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["schema_registry"]
	addr := c.addr()
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	var oldID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: env.Config(cbdKeyConfig(c, owner, "1")),
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					acctest.CaptureID(addr, &oldID),
				},
			},
			{
				// terraform apply -replace (here: taint, then apply).
				Config: env.Config(cbdKeyConfig(c, owner, "1")),
				Taint:  []string{addr},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					acctest.ExpectRotationOrder(env.Mock, addr, &oldID),
				},
			},
		},
	})
}

// TestAccAPIKey_rotationPeriod backdates a key past its rotation period:
// the next plan replaces it exactly once, and the plan after that is empty.
func TestAccAPIKey_rotationPeriod(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["cloud"]
	addr := c.addr()
	config := env.Config(c.config(owner, `  rotation_period = "30d"
  lifecycle {
    create_before_destroy = true
  }`))
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
					acctest.ExpectRotationDueAt(addr, "30d"),
				},
			},
			{
				// Not due yet: nothing to do.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() {
					if err := env.Mock.BackdateAPIKey(oldID, time.Now().Add(-31*24*time.Hour)); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("rotation_due_at")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(addr, tfjsonpath.New("id")),
					acctest.ExpectRotationOrder(env.Mock, addr, &oldID),
					acctest.ExpectRotationDueAt(addr, "30d"),
				},
			},
			{
				// A missed schedule rotates once: the new key is not due.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Changing the period is an in-place update of state only.
				Config: env.Config(c.config(owner, `  rotation_period = "60d"
  lifecycle {
    create_before_destroy = true
  }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectRotationDueAt(addr, "60d"),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_rotationQuota rotates a key whose owner is at its key quota:
// the error names the quota and explains why create_before_destroy hits it.
func TestAccAPIKey_rotationQuota(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{Quotas: mockcloud.Quotas{ClusterKeysPerServiceAccount: 1}})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: env.Config(cbdKeyConfig(c, owner, "1"))},
			{
				Config: env.Config(cbdKeyConfig(c, owner, "2")),
				ExpectError: regexp.MustCompile(`(?s)quota\s+is\s+exhausted:.*limited\s+to\s+1\s+cluster\s+API\s+keys\s+per\s+service\s+account.*` +
					`create_before_destroy\s+needs\s+one\s+extra\s+key.*402`),
			},
			{
				// The old key is untouched and still tracked.
				Config:            env.Config(cbdKeyConfig(c, owner, "1")),
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysMatchState(env.Mock)},
			},
		},
	})
}
