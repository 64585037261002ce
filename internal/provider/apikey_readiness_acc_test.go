// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
	addrs := []string{keyCases["kafka"].addr(), keyCases["flink"].addr(), keyCases["ksqldb"].addr()}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config:    env.Config(config),
			Check: func(*terraform.State) error {
				if elapsed := time.Since(start); elapsed < delay {
					return fmt.Errorf("apply took %s, less than the propagation delay %s: it did not wait", elapsed, delay)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{
				// 100ms doubling to a 1s cap covers 2s in about 5 probes.
				acctest.ExpectProbedUntilReady(env.Mock, 8, addrs...),
				acctest.ExpectMockKeysMatchState(env.Mock),
			},
		}},
	})
}

// TestAccAPIKey_kafkaReadySuccesses creates Kafka keys at a cluster of six
// brokers that learn each key one by one over four seconds, with
// kafka_ready_successes set to the broker count: no key may be reported
// ready while a broker still refuses it. The default promises that too,
// since a run must also last the span learnt at the cluster
// (TestAccAPIKey_kafkaReadyDefault); this test shows that the setting,
// which adds a count of successes to that span, still converges and stays
// safe. See the keyengine tests for the rates of both.
func TestAccAPIKey_kafkaReadySuccesses(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{
		PropagationDelay: 500 * time.Millisecond, KafkaBrokers: 6, KafkaBrokerWindow: 4 * time.Second,
	})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	provider := strings.TrimSuffix(env.ProviderConfig(), "}\n") + "  kafka_ready_successes = 6\n}\n"
	kafka := keyCases["kafka"]
	config := fmt.Sprintf("resource %q \"test\" {\n  count    = 6\n  owner_id = %q\n  %s\n}\n", kafka.typ, owner, kafka.args)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			Config: provider + "\n" + config,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExpectMockKeyCount(env.Mock, 6),
				acctest.ExpectNotReportedEarly(env.Mock),
			},
		}},
	})
}

// TestAccAPIKey_kafkaReadyDefault is TestAccAPIKey_kafkaReadySuccesses
// without kafka_ready_successes: the default run must span the time the
// cluster's brokers take to learn a key, so no key is reported ready while
// a broker still refuses it, although the provider does not know that the
// cluster has six brokers.
func TestAccAPIKey_kafkaReadyDefault(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{
		PropagationDelay: 500 * time.Millisecond, KafkaBrokers: 6, KafkaBrokerWindow: 4 * time.Second,
	})
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	kafka := keyCases["kafka"]
	config := fmt.Sprintf("resource %q \"test\" {\n  count    = 6\n  owner_id = %q\n  %s\n}\n", kafka.typ, owner, kafka.args)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig() + "\n" + config,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExpectMockKeyCount(env.Mock, 6),
				acctest.ExpectNotReportedEarly(env.Mock),
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
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
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
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectMockKeysMatchState(env.Mock),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringNotAt(&failedID)),
				},
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
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			Config: env.Config(c.config(owner, `  wait_for_ready = false
  timeouts {
    create = "5s"
  }`)),
			ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectKeyNotProbed(env.Mock, c.addr())},
		}},
	})
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
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				once.Do(func() {
					env.Mock.AddFault(mockcloud.Fault{Route: keyCreateRoute, Kind: mockcloud.FaultLoseResponse, Count: 2})
				})
			},
			Config: env.Config(config),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExpectMockKeysMatchState(env.Mock),
				// 3 keys, 2 lost answers.
				acctest.ExpectRequestCount(env.Mock, acctest.KeyCreateRoute, 5),
				acctest.ExpectMockKeyCount(env.Mock, 3),
			},
		}},
	})
}
