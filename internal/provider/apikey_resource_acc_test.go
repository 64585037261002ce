// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKey_lifecycle runs the lifecycle once per row of the scope
// table (subtests named after the scope, for example
// TestAccAPIKey_lifecycle/global), so a new scope is tested by its row.
func TestAccAPIKey_lifecycle(t *testing.T) {
	t.Parallel()
	for name, c := range keyCases {
		t.Run(name, func(t *testing.T) { testAccAPIKeyLifecycle(t, c) })
	}
}

// testAccAPIKeyLifecycle creates a key of one scope, reads every attribute
// back, checks the wire request, updates name and description in place,
// imports it with both import styles, and destroys it.
func testAccAPIKeyLifecycle(t *testing.T, c keyCase) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	addr := c.addr()
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameSecret := statecheck.CompareValue(compare.ValuesSame())
	sameCreatedAt := statecheck.CompareValue(compare.ValuesSame())

	v1 := c.config(owner, `  display_name = "orders"
  description  = "v1"
  rotation_period = "90d"`)
	v2 := c.config(owner, `  display_name = "orders-renamed"
  description  = "v2"
  rotation_period = "90d"`)

	// stateChecks returns fresh checks per step: each CompareValue check
	// records one value per call of AddStateValue.
	stateChecks := func() []statecheck.StateCheck {
		checks := []statecheck.StateCheck{
			sameID.AddStateValue(addr, tfjsonpath.New("id")),
			sameSecret.AddStateValue(addr, tfjsonpath.New("secret")),
			sameCreatedAt.AddStateValue(addr, tfjsonpath.New("created_at")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(keyIDPattern)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.StringRegexp(keySecretPattern)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner_id"), knownvalue.StringExact(owner)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner_kind"), knownvalue.StringExact("ServiceAccount")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("resource_id"), knownvalue.StringExact(c.resourceID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339Pattern)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("rotation_due_at"), knownvalue.StringRegexp(rfc3339Pattern)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("rotation_period"), knownvalue.StringExact("90d")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("rotation_triggers"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("wait_for_ready"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeouts"), knownvalue.Null()),
		}
		for name, v := range c.scopeValues {
			checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), knownvalue.StringExact(v)))
		}
		return checks
	}
	withNames := func(name, desc string) []statecheck.StateCheck {
		return append(stateChecks(),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact(desc)),
		)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: env.Config(v1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
						plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("secret")),
						// Known at plan time, from the configuration.
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("owner_kind"), knownvalue.StringExact("ServiceAccount")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("resource_id"), knownvalue.StringExact(c.resourceID)),
					},
				},
				ConfigStateChecks: append(withNames("orders", "v1"),
					acctest.ExpectKeyCreateRequest(env.Mock, owner, "orders", "v1", c.wireResource),
					acctest.ExpectMockKey(env.Mock, addr, "orders", "v1"),
					acctest.ExpectRotationDueAt(addr, "90d"),
					acctest.ExpectKeyProbed(env.Mock, addr),
					acctest.ExpectMockKeysMatchState(env.Mock),
					acctest.ExpectNoCreateMarkers(env.Mock),
				),
			},
			{
				// Name and description change in place: same key, same secret.
				Config: env.Config(v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: append(withNames("orders-renamed", "v2"),
					acctest.ExpectMockKey(env.Mock, addr, "orders-renamed", "v2"),
					acctest.ExpectMockKeysMatchState(env.Mock),
				),
			},
			{
				// Removing name and description clears them, still in place.
				Config: env.Config(c.config(owner, `  rotation_period = "90d"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: append(stateChecks(),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("display_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
					acctest.ExpectMockKey(env.Mock, addr, "", ""),
				),
			},
			{
				Config: env.Config(v2),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateVerify: true,
				// The API never returns the secret, and the rotation settings
				// live in the configuration only.
				ImportStateVerifyIgnore: []string{"secret", "rotation_period", "rotation_due_at"},
			},
			{
				// An import block plans a no-op import where the configuration
				// matches the key; rotation_period would be an in-place update.
				Config: env.Config(c.config(owner, `  display_name = "orders-renamed"
  description  = "v2"`)),
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

func TestAccAPIKey_userOwned(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	c := keyCases["cloud"]
	addr := c.addr()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			Config: env.Config(c.config(acctest.UserID, "")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner_id"), knownvalue.StringExact(acctest.UserID)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("owner_kind"), knownvalue.StringExact("User")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("display_name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("rotation_due_at"), knownvalue.Null()),
				acctest.ExpectMockKey(env.Mock, addr, "", ""),
			},
		}},
	})
}

func TestAccAPIKey_importWrongType(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	sr := keyCases["schema_registry"]
	key, err := env.Mock.CreateAPIKey(owner, sr.refForMock(), "sr", "")
	if err != nil {
		t.Fatal(err)
	}
	kafka := keyCases["kafka"]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config:        env.Config(kafka.config(owner, "")),
			ResourceName:  kafka.addr(),
			ImportState:   true,
			ImportStateId: key.ID,
			ExpectError:   regexp.MustCompile(`(?s)Schema\s+Registry\s+API\s+key.*not\s+a\s+Kafka\s+API\s+key.*Import\s+it\s+as\s+a\s+ccloud_schema_registry_api_key`),
		}},
	})
}

// An imported key has no rotation_triggers in state. The first plan must
// adopt the configured triggers without rotating the key it just adopted;
// a later change of a trigger still rotates.
func TestAccAPIKey_importWithTriggersDoesNotRotate(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	key, err := env.Mock.CreateAPIKey(owner, c.refForMock(), "orders", "")
	if err != nil {
		t.Fatal(err)
	}
	body := func(rotation string) string {
		return c.config(owner, fmt.Sprintf(`  display_name = "orders"
  rotation_triggers = { rotation = %q }
  lifecycle {
    create_before_destroy = true
  }`, rotation))
	}
	importBlock := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", addr, key.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: env.Config(importBlock + body("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(key.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("rotation_triggers"),
						knownvalue.MapExact(map[string]knownvalue.Check{"rotation": knownvalue.StringExact("1")})),
				},
			},
			{
				Config: env.Config(body("2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreateBeforeDestroy)},
				},
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysGone(env.Mock, &key.ID)},
			},
		},
	})
}
