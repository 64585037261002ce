// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

const (
	refreshAccounts = 5
	// maxCallsPerResource is the target for a no-change plan.
	maxCallsPerResource = 0.35
)

// refreshEstateConfig is refreshAccounts service accounts with one key of
// every scope each. The first account's Kafka key has a rotation period, so
// that a backdated created_at shows in the plan.
func refreshEstateConfig(env *acctest.Env) (string, int) {
	scopes := make([]string, 0, len(keyCases))
	for name := range keyCases {
		scopes = append(scopes, name)
	}
	sort.Strings(scopes)
	var b strings.Builder
	n := 0
	for i := range refreshAccounts {
		fmt.Fprintf(&b, "resource \"ccloud_service_account\" \"sa%d\" {\n  display_name = \"refresh-calls-%d\"\n}\n\n", i, i)
		n++
		for _, s := range scopes {
			c := keyCases[s]
			fmt.Fprintf(&b, "resource %q \"k%d\" {\n  owner_id = ccloud_service_account.sa%d.id\n  display_name = \"%s-%d\"\n",
				c.typ, i, i, s, i)
			if c.args != "" {
				b.WriteString("  " + c.args + "\n")
			}
			if i == 0 && s == "kafka" {
				b.WriteString("  rotation_period = \"90d\"\n")
			}
			b.WriteString("}\n\n")
			n++
		}
	}
	return env.Config(b.String()), n
}

// callCount is a plan check that reads the mock's request counters once
// Terraform has planned, so that it counts the calls of exactly one
// refresh and plan.
type callCount struct {
	check func(counts map[string]int) error
	m     *mockcloud.Server
}

func (c callCount) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check(c.m.RequestCounts())
}

func totalCalls(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}

// TestAccRefresh_fewCalls applies a small estate and checks that a no-change
// plan reads it through shared lists: at most maxCallsPerResource API calls
// per managed resource and not one GET per resource. It then changes the
// estate outside Terraform and checks that the list-based refresh still sees
// every kind of drift: a deleted key (confirmed by its GET), a renamed
// account, and a backdated created_at that makes a key due for rotation.
func TestAccRefresh_fewCalls(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config, resources := refreshEstateConfig(env)
	var deletedKey string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysMatchState(env.Mock)},
			},
			{
				PreConfig: env.Mock.ResetCounters,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						callCount{m: env.Mock, check: func(counts map[string]int) error {
							total := totalCalls(counts)
							ratio := float64(total) / float64(resources)
							t.Logf("no-change plan of %d resources: %d API calls (%.3f per resource): %v",
								resources, total, ratio, counts)
							if ratio > maxCallsPerResource {
								return fmt.Errorf("a no-change plan of %d resources made %d API calls, %.3f per resource; "+
									"want at most %.2f: %v", resources, total, ratio, maxCallsPerResource, counts)
							}
							for _, route := range []string{keyGetRoute, "GET /iam/v2/service-accounts/{id}"} {
								if counts[route] != 0 {
									return fmt.Errorf("the refresh made %d %s calls; want the lists to answer", counts[route], route)
								}
							}
							if counts[keyListRoute] == 0 || counts["GET /iam/v2/service-accounts"] == 0 {
								return fmt.Errorf("the refresh listed no keys or no accounts: %v", counts)
							}
							return nil
						}},
					},
				},
			},
			{
				PreConfig: func() {
					saMockRename(t, env, "refresh-calls-1", "renamed outside")
					var owner string
					for _, sa := range env.Mock.ServiceAccounts() {
						if sa.DisplayName == "refresh-calls-2" {
							owner = sa.ID
						}
					}
					due := ""
					for _, k := range env.Mock.APIKeys() {
						switch {
						case k.Spec.Owner.ID == owner && k.Spec.DisplayName == "tableflow-2":
							deletedKey = k.ID
						case k.Spec.DisplayName == "kafka-0":
							due = k.ID
						}
					}
					if deletedKey == "" || due == "" {
						t.Fatal("the keys to change are not in the mock")
					}
					if err := env.Mock.DeleteAPIKey(deletedKey); err != nil {
						t.Fatal(err)
					}
					if err := env.Mock.BackdateAPIKey(due, time.Now().Add(-91*24*time.Hour)); err != nil {
						t.Fatal(err)
					}
					env.Mock.ResetCounters()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("ccloud_tableflow_api_key.k2", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("ccloud_service_account.sa1", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("ccloud_kafka_api_key.k0", plancheck.ResourceActionDestroyBeforeCreate),
						callCount{m: env.Mock, check: func(counts map[string]int) error {
							// Only the key missing from its owner's list is read
							// directly, to confirm that it is gone.
							if counts[keyGetRoute] != 1 {
								return fmt.Errorf("the refresh made %d %s calls, want 1 for the deleted key %s: %v",
									counts[keyGetRoute], keyGetRoute, deletedKey, counts)
							}
							if n := totalCalls(counts); float64(n) > maxCallsPerResource*float64(resources) {
								return fmt.Errorf("the refresh with drift made %d API calls for %d resources: %v", n, resources, counts)
							}
							return nil
						}},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysMatchState(env.Mock)},
			},
		},
	})
}
