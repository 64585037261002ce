// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"strings"
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

const saAddr = "ccloud_service_account.test"

var (
	saIDPattern    = regexp.MustCompile(`^sa-[a-z0-9]+$`)
	rfc3339Pattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	saCRNPattern   = regexp.MustCompile(`^crn://confluent\.cloud/.*service-account=sa-[a-z0-9]+$`)
)

// saConfig renders a service account with an optional description and
// force_destroy; empty strings leave them out.
func saConfig(name, description, forceDestroy string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"ccloud_service_account\" \"test\" {\n  display_name = %q\n", name)
	if description != "" {
		fmt.Fprintf(&b, "  description  = %q\n", description)
	}
	if forceDestroy != "" {
		fmt.Fprintf(&b, "  force_destroy = %s\n", forceDestroy)
	}
	b.WriteString("}\n")
	return b.String()
}

func TestAccServiceAccount_lifecycle(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectNoMockServiceAccounts(env.Mock, "orders-app", "orders app (renamed)")),
		Steps: []resource.TestStep{
			{
				Config: env.Config(saConfig("orders-app", "Runs the orders service.", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(saAddr, tfjsonpath.New("id")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(saAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(saIDPattern)),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("orders-app")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.StringExact("Runs the orders service.")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339Pattern)),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("resource_name"), knownvalue.StringRegexp(saCRNPattern)),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "orders-app", "Runs the orders service."),
				},
			},
			{
				// Renaming and redescribing happen in place: same ID.
				Config: env.Config(saConfig("orders app (renamed)", "Runs the orders and billing services.", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(saAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("orders app (renamed)")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.StringExact("Runs the orders and billing services.")),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "orders app (renamed)", "Runs the orders and billing services."),
				},
			},
			{
				// Removing the description from the configuration clears it
				// remotely, and the next plan is empty.
				Config: env.Config(saConfig("orders app (renamed)", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(saAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.Null()),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "orders app (renamed)", ""),
				},
			},
			{
				// Changing only force_destroy touches state, not the API.
				PreConfig: env.Mock.ResetCounters,
				Config:    env.Config(saConfig("orders app (renamed)", "", "true")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(saAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
					acctest.ExpectNoRequests(env.Mock, "PATCH"),
				},
			},
			{
				ResourceName:      saAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// force_destroy lives only in state and is false after import.
				ImportStateVerifyIgnore: []string{"force_destroy"},
			},
			{
				Config:          env.Config(saConfig("orders app (renamed)", "", "")),
				ResourceName:    saAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// TestAccServiceAccount_descriptionFromStart covers an account created
// without a description that gets one later, and an explicit empty one.
func TestAccServiceAccount_descriptionFromStart(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(saConfig("no-description", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.Null()),
				},
			},
			{
				Config: env.Config(saConfig("no-description", "Now described.", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.StringExact("Now described.")),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "no-description", "Now described."),
				},
			},
			{
				Config: env.Config(`resource "ccloud_service_account" "test" {
  display_name = "no-description"
  description  = ""
}`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "no-description", ""),
				},
			},
		},
	})
}

// TestAccServiceAccount_importBlock adopts an account made outside Terraform
// with an import block, the way the 409 error suggests.
func TestAccServiceAccount_importBlock(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	id := saMockCreate(t, env, "made by hand", "Created in the console.")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
import {
  to = ccloud_service_account.test
  id = %q
}
%s`, id, saConfig("made by hand", "Created in the console.", ""))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339Pattern)),
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "made by hand", "Created in the console."),
				},
			},
		},
	})
}

func TestAccServiceAccount_drift(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	var id string
	differentID := statecheck.CompareValue(compare.ValuesDiffer())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(saConfig("drifter", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(saAddr, tfjsonpath.New("id")),
					acctest.CaptureID(saAddr, &id),
				},
			},
			{
				// Deleted outside Terraform: refresh drops it and the plan
				// creates it again.
				PreConfig: func() { saMockDelete(t, env, id) },
				Config:    env.Config(saConfig("drifter", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(saAddr, tfjsonpath.New("id")),
				},
			},
			{
				// Renamed outside Terraform: the plan renames it back in place.
				PreConfig: func() { saMockRename(t, env, "drifter", "renamed by hand") },
				Config:    env.Config(saConfig("drifter", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(saAddr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockServiceAccount(env.Mock, saAddr, "drifter", "")},
			},
		},
	})
}

func TestAccServiceAccount_deletionGuard(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	var id, kafkaKey, cloudKey string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy: acctest.Destroyed(
			acctest.ExpectNoMockServiceAccounts(env.Mock, "guarded"),
			acctest.ExpectMockKeysGone(env.Mock, &kafkaKey, &cloudKey),
		),
		Steps: []resource.TestStep{
			{
				Config:            env.Config(saConfig("guarded", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(saAddr, &id)},
			},
			{
				// Keys made outside Terraform still belong to the account: the
				// destroy is refused and the error lists them.
				PreConfig: func() {
					kafkaKey = saMockCreateKey(t, env, id, acctest.KafkaClusterID, "orders producer")
					cloudKey = saMockCreateKey(t, env, id, "", "ops automation")
				},
				Config:  env.Config(saConfig("guarded", "", "")),
				Destroy: true,
				ExpectError: regexp.MustCompile(`(?s)Service account still owns API keys.*` +
					`owns\s+2\s+API\s+key.*` +
					// Keys are listed by ID, so either may come first.
					`(kafka\s+key\s+for\s+` + acctest.KafkaClusterID + `.*cloud\s+key|` +
					`cloud\s+key.*kafka\s+key\s+for\s+` + acctest.KafkaClusterID + `).*` +
					`force_destroy\s+=\s+true`),
			},
			{
				// The refused destroy left the account and its keys alone.
				Config: env.Config(saConfig("guarded", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysExist(env.Mock, &kafkaKey, &cloudKey)},
			},
			{
				// With force_destroy applied, the destroy that ends the test
				// goes through and the API deletes the keys with the account.
				Config: env.Config(saConfig("guarded", "", "true")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccServiceAccount_deletionGuardListsKeyIDs checks the key IDs and
// names are in the refusal, which the regexp above cannot know in advance.
func TestAccServiceAccount_deletionGuardListsKeyIDs(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	var id, keyID string
	// The pattern names a key ID only known once the key exists, so it is
	// filled in by the step's PreConfig, before the step runs.
	keyListed := regexp.MustCompile(`not yet known`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:            env.Config(saConfig("guarded-ids", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(saAddr, &id)},
			},
			{
				PreConfig: func() {
					keyID = saMockCreateKey(t, env, id, acctest.SchemaRegistryID, "schema reader")
					*keyListed = *regexp.MustCompile(`(?s)` + regexp.QuoteMeta(keyID) +
						`\s+"schema\s+reader":\s+schema_registry\s+key\s+for\s+` + acctest.SchemaRegistryID)
				},
				Config:      env.Config(saConfig("guarded-ids", "", "")),
				Destroy:     true,
				ExpectError: keyListed,
			},
			{
				// Deleting the key first is the other way out.
				PreConfig: func() { saMockDeleteKey(t, env, keyID) },
				Config:    env.Config(saConfig("guarded-ids", "", "")),
				Destroy:   true,
			},
		},
	})
}

func TestAccServiceAccount_nameInUse(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	id := saMockCreate(t, env, "payments app", "")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(saConfig("payments app", "", "")),
				ExpectError: regexp.MustCompile(`(?s)Service account name already in use.*` +
					`unique\s+across\s+the\s+whole\s+organisation.*` +
					`import\s+\{\s+to\s+=\s+ccloud_service_account\.<name>\s+id\s+=\s+"` + regexp.QuoteMeta(id) + `"\s+\}.*` +
					`409\s+Conflict:\s+Service\s+name\s+is\s+already\s+in\s+use.*request\s+ID`),
			},
		},
	})
}

func TestAccServiceAccount_renameIntoUsedName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	saMockCreate(t, env, "taken", "")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{Config: env.Config(saConfig("free", "", ""))},
			{
				Config:      env.Config(saConfig("taken", "", "")),
				ExpectError: regexp.MustCompile(`(?s)Service account name already in use.*unique\s+organisation-wide`),
			},
		},
	})
}

// TestAccServiceAccount_badCredentials checks that a 401 is an error and
// never a reason to drop the account from state.
func TestAccServiceAccount_badCredentials(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	key, _ := env.Mock.Credentials()
	badProvider := acctest.ProviderBlock(env.Mock.URL(), key, "cfltnot-the-right-secret")
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:            env.Config(saConfig("keep-me", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(saAddr, tfjsonpath.New("id"))},
			},
			{
				Config:      badProvider + saConfig("keep-me", "", ""),
				ExpectError: regexp.MustCompile(`(?s)Error reading service account.*401\s+Unauthorized.*request\s+ID`),
			},
			{
				// Still in state, unchanged: the plan is empty.
				Config: env.Config(saConfig("keep-me", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(saAddr, tfjsonpath.New("id"))},
			},
		},
	})
}

func TestAccServiceAccount_validation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	long := strings.Repeat("x", 65)
	// 64 characters that take more than 64 bytes are still a valid name.
	multibyte := strings.Repeat("é", 64)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:      env.Config(saConfig("", "", "")),
				ExpectError: regexp.MustCompile(`(?s)display_name.*character count must be between 1 and 64,\s+got:\s+0`),
				PlanOnly:    true,
			},
			{
				Config:      env.Config(saConfig(long, "", "")),
				ExpectError: regexp.MustCompile(`(?s)display_name.*character count must be between 1 and 64,\s+got:\s+65`),
				PlanOnly:    true,
			},
			{
				Config:      env.Config(`resource "ccloud_service_account" "test" {}`),
				ExpectError: regexp.MustCompile(`(?s)The argument "display_name" is required`),
				PlanOnly:    true,
			},
			{
				Config: env.Config(saConfig(multibyte, "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(multibyte)),
				},
			},
		},
	})
}

// TestAccServiceAccount_lostCreateResponse checks that a create whose
// answer is lost after the account was made adopts that account instead of
// failing or leaving it untracked.
func TestAccServiceAccount_lostCreateResponse(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	env.Mock.AddFault(mockcloud.Fault{Route: "POST /iam/v2/service-accounts", Kind: mockcloud.FaultLoseResponse, Count: 1})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(saConfig("lost in transit", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(saAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(saIDPattern)),
					// The one account the lost create made is the one in state.
					acctest.ExpectMockServiceAccount(env.Mock, saAddr, "lost in transit", ""),
					acctest.ExpectRequestCount(env.Mock, "POST /iam/v2/service-accounts", 1),
				},
			},
		},
	})
}

// TestAccServiceAccount_serverErrorOnRead checks that a persistent 5xx on
// refresh is an error and keeps the account in state.
func TestAccServiceAccount_serverErrorOnRead(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:            env.Config(saConfig("flaky backend", "", "")),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(saAddr, tfjsonpath.New("id"))},
			},
			{
				PreConfig: func() {
					// A refresh reads accounts from the list and falls back to
					// the GET, so the backend fails on both.
					env.Mock.AddFault(mockcloud.Fault{Route: "GET /iam/v2/service-accounts", Kind: mockcloud.FaultStatus, Status: 502})
					env.Mock.AddFault(mockcloud.Fault{Route: "GET /iam/v2/service-accounts/{id}", Kind: mockcloud.FaultStatus, Status: 502})
				},
				Config:      env.Config(saConfig("flaky backend", "", "")),
				ExpectError: regexp.MustCompile(`(?s)Error reading service account.*502\s+Bad\s+Gateway`),
			},
			{
				PreConfig: env.Mock.ClearFaults,
				Config:    env.Config(saConfig("flaky backend", "", "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(saAddr, tfjsonpath.New("id"))},
			},
		},
	})
}
