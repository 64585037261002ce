// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKey_readinessWaits creates keys that need a propagation delay
// before they work: the create waits until they authenticate, polling with
// a bounded number of probes, and no longer than the delay plus the backoff
// cap.
func TestAccAPIKey_readinessWaits(t *testing.T) {
	t.Parallel()
	const delay = 2 * time.Second
	env := acctest.New(t, mockcloud.Options{PropagationDelay: delay})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	var config string
	for _, name := range []string{"kafka", "flink", "ksqldb"} {
		c := keyCases[name]
		config += c.config(owner, "") + "\n"
	}
	// Each case names its resource "test"; the types differ, so the
	// addresses do too.
	var start time.Time

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config:    env.Config(config),
			Check: func(s *terraform.State) error {
				if elapsed := time.Since(start); elapsed < delay {
					return fmt.Errorf("apply took %s, less than the propagation delay %s: it did not wait", elapsed, delay)
				}
				events := env.Mock.AuditLog()
				for _, name := range []string{"kafka", "flink", "ksqldb"} {
					id, err := stateID(s, keyCases[name].addr())
					if err != nil {
						return err
					}
					failed, ok := 0, auditIndex(events, "Authentication", id)
					for _, ev := range events {
						if ev.Data.MethodName == "Authentication" && ev.Data.AuthenticationInfo.Principal.APIKey == id &&
							ev.Data.Result.Status == mockcloud.AuditFailure {
							failed++
						}
					}
					if ok < 0 || failed == 0 {
						return fmt.Errorf("%s key %s: %d failed probes, success at %d; want failures, then a success", name, id, failed, ok)
					}
					// 100ms doubling to a 1s cap covers 2s in about 5 probes.
					if failed > 8 {
						return fmt.Errorf("%s key %s: %d failed probes for a %s delay; the backoff is too eager", name, id, failed, delay)
					}
				}
				return checkMockKeysMatchState(env)(s)
			},
		}},
	})
}

// TestAccAPIKey_readinessTimeout creates a key that never works within its
// create timeout: the apply fails, the key is in state as tainted, and the
// next apply replaces it, deleting the failed key, so none is orphaned.
func TestAccAPIKey_readinessTimeout(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: time.Hour})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	config := env.Config(c.config(owner, `  timeouts {
    create = "2s"
  }`))
	var failedID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)did not authenticate at\s+http\S*/kafka/v3/clusters/lkc-q1ck5t/topics\s+within\s+the\s+create\s+timeout\s+of\s+2s.*marked\s+tainted`),
			},
			{
				// The failed key is tracked (tainted), not orphaned.
				PreConfig: func() {
					keys := env.Mock.APIKeys()
					if len(keys) != 1 {
						t.Fatalf("the mock has %d keys after the failed create, want 1", len(keys))
					}
					failedID = keys[0].ID
					env.Mock.SetPropagationDelay(0)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMockKeysMatchState(env),
					func(s *terraform.State) error {
						id, err := stateID(s, addr)
						if err == nil && id == failedID {
							return fmt.Errorf("the tainted key %s was not replaced", id)
						}
						return err
					},
				),
			},
		},
	})
}

// TestAccAPIKey_noWaitForReady skips the readiness wait: the create
// returns at once although the key will not work for an hour.
func TestAccAPIKey_noWaitForReady(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{PropagationDelay: time.Hour})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["tableflow"]

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{{
			Config: env.Config(c.config(owner, `  wait_for_ready = false
  timeouts {
    create = "5s"
  }`)),
			Check: func(s *terraform.State) error {
				id, err := stateID(s, c.addr())
				if err != nil {
					return err
				}
				if n := countAuthentications(env, id); n != 0 {
					return fmt.Errorf("key %s was probed %d times with wait_for_ready = false", id, n)
				}
				return nil
			},
		}},
	})
}

func countAuthentications(env *acctest.Env, keyID string) int {
	n := 0
	for _, ev := range env.Mock.AuditLog() {
		if ev.Data.MethodName == "Authentication" && ev.Data.AuthenticationInfo.Principal.APIKey == keyID {
			n++
		}
	}
	return n
}

// TestAccAPIKey_lostCreateResponse loses the answers to create requests
// after the mock committed them: the apply still ends with exactly the keys
// Terraform tracks.
func TestAccAPIKey_lostCreateResponse(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	var config string
	for _, name := range []string{"kafka", "schema_registry", "cloud"} {
		config += keyCases[name].config(owner, `  display_name = "same"
  description  = "same"`) + "\n"
	}
	var once sync.Once

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             checkNoMockKeys(env),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				once.Do(func() {
					env.Mock.AddFault(mockcloud.Fault{Route: keyCreateRoute, Kind: mockcloud.FaultLoseResponse, Count: 2})
				})
			},
			Config: env.Config(config),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMockKeysMatchState(env),
				func(s *terraform.State) error {
					if n := env.Mock.RequestCounts()[keyCreateRoute]; n != 5 {
						return fmt.Errorf("%d create requests, want 5 (3 keys, 2 lost answers)", n)
					}
					if ids := stateKeyIDs(s); len(ids) != 3 {
						return fmt.Errorf("state tracks %d keys, want 3", len(ids))
					}
					return nil
				},
			),
		}},
	})
}
