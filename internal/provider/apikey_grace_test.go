// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
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

// stateAttrs returns the flat attributes of addr.
func stateAttrs(s *terraform.State, addr string) (map[string]string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok || rs.Primary == nil {
		return nil, fmt.Errorf("%s is not in state", addr)
	}
	return rs.Primary.Attributes, nil
}

// checkPrevious checks that previous_keys of addr holds exactly the keys in
// *want, in order, and that each authenticates on its data plane.
func checkPrevious(env *acctest.Env, addr string, want ...*string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		attrs, err := stateAttrs(s, addr)
		if err != nil {
			return err
		}
		got := previousKeyIDs(attrs)
		wantIDs := make([]string, 0, len(want))
		for _, w := range want {
			wantIDs = append(wantIDs, *w)
		}
		if !reflect.DeepEqual(got, wantIDs) {
			return fmt.Errorf("previous_keys of %s are %v, want %v", addr, got, wantIDs)
		}
		for _, id := range got {
			if !env.Mock.KeyAuthenticates(id) {
				return fmt.Errorf("previous key %s does not authenticate", id)
			}
		}
		return nil
	}
}

// checkCurrentWorks checks that the current key of addr authenticates with
// the secret state holds.
func checkCurrentWorks(env *acctest.Env, addr string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		attrs, err := stateAttrs(s, addr)
		if err != nil {
			return err
		}
		id := attrs["id"]
		if !env.Mock.KeyAuthenticates(id) {
			return fmt.Errorf("current key %s does not authenticate", id)
		}
		if secret, ok := env.Mock.APIKeySecret(id); !ok || secret != attrs["secret"] {
			return fmt.Errorf("the secret in state is not the secret of current key %s", id)
		}
		return nil
	}
}

// checkDeletedKeys checks that the audit log holds DeleteAPIKey events for
// exactly the given keys.
func checkDeletedKeys(env *acctest.Env, want ...*string) func(*terraform.State) error {
	return func(*terraform.State) error {
		var got []string
		for _, ev := range env.Mock.AuditLog() {
			if ev.Data.MethodName != "DeleteAPIKey" || ev.Data.Result.Status != mockcloud.AuditSuccess {
				continue
			}
			for _, r := range ev.Data.CloudResources {
				if r.Resource.Type == "API_KEY" {
					got = append(got, r.Resource.ResourceID)
					break
				}
			}
		}
		wantIDs := []string{}
		for _, w := range want {
			wantIDs = append(wantIDs, *w)
		}
		if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, wantIDs) {
			return fmt.Errorf("deleted keys are %v, want %v", got, wantIDs)
		}
		return nil
	}
}

// checkRetireAt checks that the previous key at index i retires grace after
// the clock's time, give or take the apply's own duration.
func checkRetireAt(env *acctest.Env, addr string, i int, grace time.Duration) func(*terraform.State) error {
	return func(s *terraform.State) error {
		attrs, err := stateAttrs(s, addr)
		if err != nil {
			return err
		}
		at, err := parseTime(attrs[fmt.Sprintf("previous_keys.%d.retire_at", i)])
		if err != nil {
			return err
		}
		want := env.Clock.Now().Add(grace)
		if d := want.Sub(at); d < 0 || d > 5*time.Minute {
			return fmt.Errorf("previous key %d retires at %s, want about %s", i, at, want)
		}
		if attrs["next_retirement_at"] != attrs["previous_keys.0.retire_at"] {
			return fmt.Errorf("next_retirement_at is %q, want the first retire_at %q", attrs["next_retirement_at"],
				attrs["previous_keys.0.retire_at"])
		}
		return nil
	}
}

func idValue(id *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if v != *id {
			return fmt.Errorf("got %s, want %s", v, *id)
		}
		return nil
	})
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
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{
				Config: env.Config(graceKeyConfig(c, owner, "1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("next_retirement_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("max_previous_keys"), knownvalue.Int64Exact(1)),
				},
				Check: captureID(addr, &first),
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
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), idValue(&first)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &second),
					func(*terraform.State) error {
						if second == first {
							return fmt.Errorf("the key was not rotated: still %s", first)
						}
						return nil
					},
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr, &first),
					checkRetireAt(env, addr, 0, 72*time.Hour),
					checkMockKey(env, addr, "orders", "orders app"),
					checkMockKeysMatchState(env),
					checkDeletedKeys(env),
				),
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
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), idValue(&second)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSameID(addr, &second),
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr),
					checkDeletedKeys(env, &first),
					checkMockKeysMatchState(env),
				),
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
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: config("1"), Check: captureID(addr, &k0)},
			{
				Config: config("2"),
				Check: resource.ComposeAggregateTestCheckFunc(captureID(addr, &k1), checkPrevious(env, addr, &k0),
					checkMockKeysMatchState(env)),
			},
			{
				Config: config("3"),
				Check: resource.ComposeAggregateTestCheckFunc(captureID(addr, &k2), checkPrevious(env, addr, &k0, &k1),
					checkMockKeysMatchState(env), checkDeletedKeys(env)),
			},
			{
				// At the bound: the plan keeps k1 and adds k2; k0 goes now.
				Config: config("4"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), idValue(&k1)),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(1).AtMapKey("id"), idValue(&k2)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &k3),
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr, &k1, &k2),
					checkDeletedKeys(env, &k0),
					checkMockKeysMatchState(env),
				),
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
	var k0, k1, k2 string
	cbd := "  lifecycle {\n    create_before_destroy = true\n  }"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", cbd)), Check: captureID(addr, &k0)},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", cbd)),
				Check:  resource.ComposeAggregateTestCheckFunc(captureID(addr, &k1), checkPrevious(env, addr, &k0)),
			},
			{
				Config: env.Config(graceKeyConfig(c, owner, "2", cbd)),
				Taint:  []string{addr},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &k2),
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr),
					checkRotationOrder(env, addr, &k1),
					func(*terraform.State) error {
						// The previous key went too, after the new key worked.
						events := env.Mock.AuditLog()
						ready, deleted := auditIndex(events, "Authentication", k2), auditIndex(events, "DeleteAPIKey", k0)
						if deleted < 0 || ready < 0 || deleted < ready {
							return fmt.Errorf("previous key %s deleted at %d, new key %s first worked at %d", k0, deleted, k2, ready)
						}
						return nil
					},
					checkDeletedKeys(env, &k0, &k1),
				),
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
	var k0, k1, k2, k3 string
	config := func(trigger string) string {
		return env.Config(graceKeyConfig(c, owner, trigger, "  max_previous_keys = 2"))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: config("1"), Check: captureID(addr, &k0)},
			{Config: config("2"), Check: captureID(addr, &k1)},
			{Config: config("3"), Check: resource.ComposeAggregateTestCheckFunc(captureID(addr, &k2),
				checkPrevious(env, addr, &k0, &k1))},
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
				Check: resource.ComposeAggregateTestCheckFunc(checkSameID(addr, &k2), checkPrevious(env, addr, &k1),
					checkMockKeysMatchState(env)),
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
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &k3),
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr),
					checkMockKeysMatchState(env),
				),
			},
		},
	})
	if k3 == "" || k3 == k2 {
		t.Errorf("the deleted current key %s was not replaced (now %q)", k2, k3)
	}
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
	var k0, k1 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: config, Check: captureID(addr, &k0)},
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
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &k1),
					checkCurrentWorks(env, addr),
					checkPrevious(env, addr, &k0),
					checkRetireAt(env, addr, 0, 7*24*time.Hour),
					checkRotationDueAt(addr, "30d"),
					checkMockKeysMatchState(env),
				),
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
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", "")), Check: captureID(addr, &k0)},
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
				Check: resource.ComposeAggregateTestCheckFunc(checkSameID(addr, &k0), checkPrevious(env, addr),
					checkMockKeysMatchState(env)),
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
	var k0, k2 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: env.Config(graceKeyConfig(c, owner, "1", "")), Check: captureID(addr, &k0)},
			{
				Config:      env.Config(graceKeyConfig(c, owner, "2", short)),
				ExpectError: regexp.MustCompile(`(?s)rotation\s+is\s+undone:\s+the\s+new\s+key\s+[A-Z0-9]{16}\s+has\s+been\s+deleted`),
			},
			{
				// State still has the old key and the old trigger, so the
				// rotation is planned again; it works with time to spare.
				PreConfig: func() {
					for _, k := range env.Mock.APIKeys() {
						if k.ID != k0 {
							t.Errorf("the mock still has key %s of the undone rotation", k.ID)
						}
					}
				},
				Config: env.Config(graceKeyConfig(c, owner, "2", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys").AtSliceIndex(0).AtMapKey("id"), idValue(&k0)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(captureID(addr, &k2), checkCurrentWorks(env, addr),
					checkPrevious(env, addr, &k0), checkMockKeysMatchState(env)),
			},
		},
	})
	if strings.TrimSpace(k2) == "" || k2 == k0 {
		t.Errorf("the second rotation did not happen: current key %q, first key %s", k2, k0)
	}
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
	var k0, k1 string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{
				Config:            config("1"),
				ConfigStateChecks: []statecheck.StateCheck{jsonScan{scan, "state after create"}},
				Check:             resource.ComposeAggregateTestCheckFunc(captureID(addr, &k0), checkSealedToMock(env, scan, identity, addr)),
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
				ConfigStateChecks: []statecheck.StateCheck{jsonScan{scan, "state after rotation"}},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(addr, &k1),
					checkSealedToMock(env, scan, identity, addr),
					checkPrevious(env, addr, &k0),
					checkMockKeysMatchState(env),
					func(*terraform.State) error {
						if k1 == k0 || !env.Mock.KeyAuthenticates(k1) {
							return fmt.Errorf("the key was not rotated to a working key: %s -> %s", k0, k1)
						}
						return nil
					},
				),
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
