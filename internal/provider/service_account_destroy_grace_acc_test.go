// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The deletion guard of ccloud_service_account counts the previous keys of
// a key resource planned for destruction as planned for destruction too:
// the key resource's Delete deletes them before its current key. Before it
// did, every terraform destroy after a grace-period rotation was refused,
// listing the key resource's own previous key.

// graceDestroyAccount is the account the tests destroy.
func graceDestroyAccount(name, forceDestroy string) string {
	return saConfig(name, "", forceDestroy)
}

// TestAccServiceAccount_destroyAfterGraceRotation rotates a Cloud key with
// a grace period once by a trigger bump and destroys the configuration: the
// plan is not refused, and the destroy deletes the previous key, the
// current key and then the account.
func TestAccServiceAccount_destroyAfterGraceRotation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	c := keyCases["cloud"]
	addr := c.addr()
	config := func(trigger string) string {
		return env.Config(graceDestroyAccount("grace-destroy", "") +
			graceKeyConfig(c, "${ccloud_service_account.test.id}", trigger, ""))
	}
	var first, second string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy: acctest.Destroyed(
			acctest.ExpectMockKeys(env.Mock),
			acctest.ExpectNoMockServiceAccounts(env.Mock, "grace-destroy"),
			acctest.ExpectDeletedKeys(env.Mock, &first, &second),
		),
		Steps: []resource.TestStep{
			{
				Config:            config("1"),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &first)},
			},
			{
				Config: config("2"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID(addr, &second),
					acctest.ExpectPreviousKeys(env.Mock, addr, &first),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				// terraform destroy plans the key and the account for
				// deletion without a complaint about the previous key.
				Config:  config("2"),
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("ccloud_service_account.test", plancheck.ResourceActionDestroy),
					},
				},
			},
		},
	})
}

// TestAccServiceAccount_destroyAfterGraceRotationSealed is the same with
// the secret sealed to a recipient (secret_recipients).
func TestAccServiceAccount_destroyAfterGraceRotationSealed(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	recipient, _ := newAgeIdentity(t)
	c := keyCases["cloud"]
	addr := c.addr()
	config := func(trigger string) string {
		return env.Config(graceDestroyAccount("grace-destroy-sealed", "") +
			graceKeyConfig(c, "${ccloud_service_account.test.id}", trigger,
				fmt.Sprintf("  secret_recipients = [%q]", recipient)))
	}
	var first, second string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy: acctest.Destroyed(
			acctest.ExpectMockKeys(env.Mock),
			acctest.ExpectNoMockServiceAccounts(env.Mock, "grace-destroy-sealed"),
			acctest.ExpectDeletedKeys(env.Mock, &first, &second),
		),
		Steps: []resource.TestStep{
			{
				Config: config("1"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID(addr, &first),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				},
			},
			{
				Config: config("2"),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID(addr, &second),
					acctest.ExpectPreviousKeys(env.Mock, addr, &first),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				},
			},
			{
				Config:  config("2"),
				Destroy: true,
			},
		},
	})
}

// TestAccServiceAccount_destroyAfterGraceRotationForEach rotates three
// keys of one account, made with for_each, and destroys them all.
func TestAccServiceAccount_destroyAfterGraceRotationForEach(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config := func(trigger string) string {
		return env.Config(graceDestroyAccount("grace-destroy-each", "") + fmt.Sprintf(`
resource "ccloud_cloud_api_key" "each" {
  for_each          = toset(["a", "b", "c"])
  owner_id          = ccloud_service_account.test.id
  display_name      = "orders-${each.key}"
  grace_period      = "72h"
  rotation_triggers = { version = %q }
}
`, trigger))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy: acctest.Destroyed(
			acctest.ExpectMockKeys(env.Mock),
			acctest.ExpectNoMockServiceAccounts(env.Mock, "grace-destroy-each"),
			acctest.ExpectEveryKeyDeleted(env.Mock),
		),
		Steps: []resource.TestStep{
			{Config: config("1")},
			{
				Config: config("2"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(`ccloud_cloud_api_key.each["a"]`, tfjsonpath.New("previous_keys"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(`ccloud_cloud_api_key.each["b"]`, tfjsonpath.New("previous_keys"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue(`ccloud_cloud_api_key.each["c"]`, tfjsonpath.New("previous_keys"), knownvalue.ListSizeExact(1)),
					acctest.ExpectMockKeyCount(env.Mock, 6),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				Config:  config("2"),
				Destroy: true,
			},
		},
	})
}

// TestAccServiceAccount_destroyAfterGraceRotationForeignKey proves the
// guard still refuses when a key the configuration does not delete remains:
// after a grace rotation and a key made elsewhere, the destroy is refused
// listing only the foreign key (one key, not the previous key), and nothing
// is deleted.
func TestAccServiceAccount_destroyAfterGraceRotationForeignKey(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	c := keyCases["cloud"]
	addr := c.addr()
	config := func(trigger, forceDestroy string) string {
		return env.Config(graceDestroyAccount("grace-destroy-foreign", forceDestroy) +
			graceKeyConfig(c, "${ccloud_service_account.test.id}", trigger, ""))
	}
	var saID, first, second, foreign string
	guard := regexp.MustCompile(`not yet known`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy: acctest.Destroyed(
			acctest.ExpectMockKeys(env.Mock),
			acctest.ExpectNoMockServiceAccounts(env.Mock, "grace-destroy-foreign"),
		),
		Steps: []resource.TestStep{
			{
				Config: config("1", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID("ccloud_service_account.test", &saID),
					acctest.CaptureID(addr, &first),
				},
			},
			{
				Config: config("2", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID(addr, &second),
					acctest.ExpectPreviousKeys(env.Mock, addr, &first),
				},
			},
			{
				PreConfig: func() {
					foreign = saMockCreateKey(t, env, saID, "", "made elsewhere")
					*guard = *regexp.MustCompile(`(?s)Service\s+account\s+still\s+owns\s+API\s+keys.*` + saID +
						`.*owns\s+1\s+API\s+key\(s\)\s+that\s+this\s+plan\s+does\s+not\s+delete.*` +
						regexp.QuoteMeta(foreign) + `\s+"made\s+elsewhere"`)
				},
				Config:      config("2", ""),
				Destroy:     true,
				ExpectError: guard,
			},
			{
				// Nothing was deleted: the current, previous and foreign keys
				// all remain.
				Config: config("2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectNoRequests(env.Mock, "DELETE"),
					acctest.ExpectMockKeysExist(env.Mock, &first, &second, &foreign),
				},
			},
			{
				// The way out the message names; the test's final destroy
				// then deletes the account with the foreign key.
				Config: config("2", "true"),
			},
		},
	})
}
