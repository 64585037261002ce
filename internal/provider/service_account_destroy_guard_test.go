// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// checkNoDeletes fails when the mock has seen any DELETE.
func checkNoDeletes(env *acctest.Env) error {
	for route, n := range env.Mock.RequestCounts() {
		if n > 0 && len(route) > 7 && route[:7] == "DELETE " {
			return fmt.Errorf("%d %s request(s) were sent", n, route)
		}
	}
	return nil
}

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
		CheckDestroy: func(*terraform.State) error {
			for _, k := range []string{ownKey, foreignKey} {
				if saMockKeyExists(env, k) {
					return fmt.Errorf("key %s survived", k)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: account(""),
				Check: resource.ComposeTestCheckFunc(
					captureID("ccloud_service_account.test", &saID),
					captureID(keyAddr, &ownKey),
				),
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
				Check: func(*terraform.State) error {
					if err := checkNoDeletes(env); err != nil {
						return err
					}
					for _, k := range []string{ownKey, foreignKey} {
						if !saMockKeyExists(env, k) {
							return fmt.Errorf("key %s was deleted by a refused plan", k)
						}
					}
					return nil
				},
			},
			{
				// The way out: record force_destroy first; the test's final
				// destroy then deletes the account, and its keys with it.
				Config: account("true"),
				Check:  resource.TestCheckResourceAttr("ccloud_service_account.test", "force_destroy", "true"),
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
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{Config: config},
			// Removed from the configuration: a normal plan deletes all three.
			{
				Config: env.ProviderConfig(),
				Check: func(*terraform.State) error {
					if n := len(saMockNamed(env, "guarded-own")); n != 0 {
						return fmt.Errorf("the account was not deleted")
					}
					return nil
				},
			},
			// Back again, then the test's final destroy (terraform destroy).
			{Config: config},
		},
	})
}
