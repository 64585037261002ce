// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
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

// TestAccServiceAccount_destroyGuardAtPlan destroys a service account that
// owns a key of its own configuration and a key made elsewhere. The plan
// fails, listing only the foreign key, before anything is deleted (before
// this guard ran at plan time, the configuration's own key was deleted
// first). Setting force_destroy in a first apply then lets the destroy
// through.
func TestAccServiceAccount_destroyGuardAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	account := func(forceDestroy string) string {
		return env.Config(saConfig("guarded-plan", "", forceDestroy) +
			keyCases["kafka"].config("${ccloud_service_account.test.id}", "  wait_for_ready = false"))
	}
	var saID, ownKey, foreignKey string
	keyAddr := keyCases["kafka"].addr()
	// The pattern names the foreign key, known once the first step ran.
	guard := regexp.MustCompile(`not yet known`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeysGone(env.Mock, &ownKey, &foreignKey)),
		Steps: []resource.TestStep{
			{
				Config: account(""),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.CaptureID("ccloud_service_account.test", &saID),
					acctest.CaptureID(keyAddr, &ownKey),
				},
			},
			{
				PreConfig: func() {
					foreignKey = saMockCreateKey(t, env, saID, acctest.SchemaRegistryID, "made elsewhere")
					*guard = *regexp.MustCompile(`(?s)Service\s+account\s+still\s+owns\s+API\s+keys.*` + saID +
						`.*owns\s+1\s+API\s+key\(s\)\s+that\s+this\s+plan\s+does\s+not\s+delete.*nothing\s+has\s+been\s+deleted.*` +
						regexp.QuoteMeta(foreignKey) + `\s+"made\s+elsewhere".*set\s+force_destroy\s+=\s+true.*terraform\s+apply.*then\s+destroy`)
				},
				Config:      account(""),
				Destroy:     true,
				ExpectError: guard,
			},
			{
				// Removing the account and its key from the configuration is
				// stopped the same way.
				Config:      env.ProviderConfig(),
				ExpectError: guard,
			},
			{
				// Nothing was deleted: not the account, not its own key.
				Config: account(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectNoRequests(env.Mock, "DELETE"),
					acctest.ExpectMockKeysExist(env.Mock, &ownKey, &foreignKey),
				},
			},
			{
				// The way out: record force_destroy first; the test's final
				// destroy then deletes the account, and its keys with it.
				Config: account("true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ccloud_service_account.test", tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccServiceAccount_destroyGuardOwnKeys destroys, and separately
// removes from the configuration, an account whose only keys are its own
// configuration's: the guard must not stop either.
func TestAccServiceAccount_destroyGuardOwnKeys(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config := env.Config(saConfig("guarded-own", "", "") +
		keyCases["kafka"].config("${ccloud_service_account.test.id}", "  wait_for_ready = false") +
		`resource "ccloud_cloud_api_key" "second" {
  owner_id       = ccloud_service_account.test.id
  wait_for_ready = false
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{Config: config},
			// Removed from the configuration: a normal plan deletes all three.
			{
				Config:            env.ProviderConfig(),
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectNoMockServiceAccounts(env.Mock, "guarded-own")},
			},
			// Back again, then the test's final destroy (terraform destroy).
			{Config: config},
		},
	})
}
