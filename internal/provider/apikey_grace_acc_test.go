// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// graceKeyConfig is a key with a grace period of 72 hours and a trigger.
func graceKeyConfig(c keyCase, owner, trigger, extra string) string {
	return c.config(owner, fmt.Sprintf(`  display_name      = "orders"
  description       = "orders app"
  grace_period      = "72h"
  rotation_triggers = { version = %q }
%s`, trigger, extra))
}

// TestAccAPIKey_graceRotation bumps the trigger of a key with a grace
// period: the plan is an update, both keys work after the apply, and once
// the clock passes retire_at the next apply deletes the old key and only
// it. An import of the rotated key starts with no previous keys.
func TestAccAPIKey_graceRotation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: rotationPropagationDelay})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	var first, second string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: env.Config(graceKeyConfig(c, owner, "1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("next_retirement_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("max_previous_keys"), knownvalue.Int64Exact(1)),
					acctest.CaptureID(addr, &first),
				},
			},
			{
				// The rotation is an in-place update: the ID and secret are
				// unknown, and the old key moves to previous_keys.
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("secret")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("retire_at")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), acctest.StringAt(&first)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&first)),
					acctest.CaptureID(addr, &second),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr, &first),
					acctest.ExpectRetireAt(addr, 0, 72*time.Hour, env.Clock.Now),
					acctest.ExpectMockKey(env.Mock, addr, "orders", "orders app"),
					acctest.ExpectMockKeysMatchState(env.Mock),
					acctest.ExpectDeletedKeys(env.Mock),
				},
			},
			{
				// Within the grace period nothing is due.
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Past retire_at the plan is an update that drops the old key,
				// and the apply deletes it and nothing else.
				PreConfig: func() { env.Clock.Advance(73 * time.Hour) },
				Config:    env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys"), knownvalue.ListExact(nil)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&second)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&second)),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr),
					acctest.ExpectDeletedKeys(env.Mock, &first),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Import starts with an empty list.
				Config:        env.Config(graceKeyConfig(c, owner, "2", "")),
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "", // the resource's ID
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d objects, want 1", len(states))
					}
					a := states[0].Attributes
					if a["previous_keys.#"] != "0" || a["max_previous_keys"] != "1" {
						return fmt.Errorf("imported previous_keys.# = %q, max_previous_keys = %q; want 0 and 1",
							a["previous_keys.#"], a["max_previous_keys"])
					}
					return nil
				},
			},
		},
	})
}

// TestAccAPIKey_graceMaxPreviousKeys rotates a key with max_previous_keys =
// 2 three times: the third rotation retires the oldest previous key at once,
// as its plan shows. Destroy deletes the current and previous keys.
func TestAccAPIKey_graceMaxPreviousKeys(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["schema_registry"]
	addr := c.addr()
	var k0, k1, k2, k3 string
	config := func(trigger string) string {
		return env.Config(graceKeyConfig(c, owner, trigger, "  max_previous_keys = 2"))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config("1"), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{
				Config: config("2"),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k1),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0), acctest.ExpectMockKeysMatchState(env.Mock)},
			},
			{
				Config: config("3"),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k2),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0, &k1), acctest.ExpectMockKeysMatchState(env.Mock),
					acctest.ExpectDeletedKeys(env.Mock)},
			},
			{
				// At the bound: the plan keeps k1 and adds k2; k0 goes now.
				Config: config("4"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), acctest.StringAt(&k1)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(1).AtMapKey("id"), acctest.StringAt(&k2)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID(addr, &k3),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k1, &k2),
					acctest.ExpectDeletedKeys(env.Mock, &k0),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_graceReplace replaces a key with previous keys, as
// terraform apply -replace does: the new key works before the old current
// and previous keys are all deleted.
func TestAccAPIKey_graceReplace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: rotationPropagationDelay})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["cloud"]
	addr := c.addr()
	var k0, k1 string
	cbd := "  lifecycle {\n    create_before_destroy = true\n  }"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", cbd)), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", cbd)),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k1),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0)},
			},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", cbd)),
				Taint:  []string{addr},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr),
					// The previous key k0 went too, after the new key worked.
					acctest.ExpectRotationOrder(env.Mock, addr, &k1, &k0),
					acctest.ExpectDeletedKeys(env.Mock, &k0, &k1),
				},
			},
		},
	})
}

// TestAccAPIKey_graceDrift deletes keys outside Terraform: a previous key
// drops out of the list on refresh with no change planned; a current key
// whose previous keys still exist is replaced, which deletes them.
func TestAccAPIKey_graceDrift(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["tableflow"]
	addr := c.addr()
	var k0, k1, k2 string
	config := func(trigger string) string {
		return env.Config(graceKeyConfig(c, owner, trigger, "  max_previous_keys = 2"))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config("1"), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{Config: config("2"), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k1)}},
			{Config: config("3"), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k2),
				acctest.ExpectPreviousKeys(env.Mock, addr, &k0, &k1)}},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteAPIKey(k0); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&k2)),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k1),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteAPIKey(k2); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&k2)),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_graceRotationPeriod lets a key with a grace period fall due
// under its rotation_period: the rotation is an update, not a replacement.
func TestAccAPIKey_graceRotationPeriod(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["flink"]
	addr := c.addr()
	config := env.Config(c.config(owner, "  rotation_period = \"30d\"\n  grace_period = \"7d\""))
	var k0 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{
				PreConfig: func() {
					if err := env.Mock.BackdateAPIKey(k0, time.Now().Add(-31*24*time.Hour)); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("rotation_due_at")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&k0)),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0),
					acctest.ExpectRetireAt(addr, 0, 7*24*time.Hour, env.Clock.Now),
					acctest.ExpectRotationDueAt(addr, "30d"),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccAPIKey_graceQuota rotates a key whose owner is at its key quota:
// the error explains that the grace window holds an extra key, and the old
// key stays current.
func TestAccAPIKey_graceQuota(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{Quotas: mockcloud.Quotas{ClusterKeysPerServiceAccount: 1}})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	var k0 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", "")), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ExpectError: regexp.MustCompile(`(?s)quota\s+is\s+exhausted.*grace_period,\s+an\s+in-place\s+rotation\s+needs` +
					`\s+room\s+for\s+one\s+more\s+key.*max_previous_keys\s+\+\s+1.*still\s+the\s+current\s+key`),
			},
			{
				// The old key is untouched, current, and the only key.
				Config: env.Config(graceKeyConfig(c, owner, "1", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&k0)),
					acctest.ExpectPreviousKeys(env.Mock, addr),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_graceNotReady rotates a key whose new key never works within
// the create timeout: the rotation is undone, the new key deleted, the old
// key stays current, and the next apply rotates again.
func TestAccAPIKey_graceNotReady(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: 4 * time.Second})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	short := "  timeouts {\n    create = \"1s\"\n  }"
	var k0 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", "")), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &k0)}},
			{
				Config:      env.Config(graceKeyConfig(c, owner, "2", short)),
				ExpectError: regexp.MustCompile(`(?s)rotation\s+is\s+undone:\s+the\s+new\s+key\s+[A-Z0-9]{16}\s+has\s+been\s+deleted`),
			},
			{
				// State still has the old key and the old trigger, so the
				// rotation is planned again; it works with time to spare.
				PreConfig: func() {
					if err := acctest.Destroyed(acctest.ExpectMockKeys(env.Mock, &k0))(nil); err != nil {
						t.Errorf("after the undone rotation: %v", err)
					}
				},
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), acctest.StringAt(&k0)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&k0)),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
}

// TestAccAPIKey_graceSealed rotates a key whose secret is sealed to
// secret_recipients: the plan keeps secret null with encrypted_secret
// unknown, the new key's secret reaches state only sealed, and the old key
// keeps working as a previous key. No plain secret appears in any plan or
// state.
func TestAccAPIKey_graceSealed(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	recipient, identity := newAgeIdentity(t)
	c := keyCases["ksqldb"]
	addr := c.addr()
	scan := newFileScanner()
	config := func(trigger string) string {
		return env.Config(graceKeyConfig(c, owner, trigger, fmt.Sprintf("  secret_recipients = [%q]", recipient)))
	}
	var k0 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					scanForKeySecrets{env.Mock, scan, []string{addr}},
					jsonScan{scan, "state after create"},
					acctest.CaptureID(addr, &k0),
					acctest.ExpectSealedSecret(env.Mock, identity, addr),
				},
			},
			{
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("encrypted_secret")),
						resourceChangesScan{scan, "rotation plan"},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					scanForKeySecrets{env.Mock, scan, []string{addr}},
					jsonScan{scan, "state after rotation"},
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&k0)),
					acctest.ExpectKeyWorks(env.Mock, addr),
					acctest.ExpectSealedSecret(env.Mock, identity, addr),
					acctest.ExpectPreviousKeys(env.Mock, addr, &k0),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
	if findings := scan.report(); len(findings) > 0 {
		t.Errorf("plain secrets found:\n%s", strings.Join(findings, "\n"))
	}
}

// resourceChangesScan searches the resource changes and prior state of the
// JSON plan with a fileScanner. Unlike jsonScan it leaves out the
// configuration, where the test's provider block holds the mock's Cloud API
// secret as a literal.
type resourceChangesScan struct {
	f    *fileScanner
	what string
}

func (s resourceChangesScan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal([]any{req.Plan.ResourceChanges, req.Plan.PriorState, req.Plan.PlannedValues})
	if err != nil {
		resp.Error = err
		return
	}
	s.f.scanBytes(s.what, b)
}
