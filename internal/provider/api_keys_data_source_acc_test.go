// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// dsCreatedAtPattern matches the created_at values the provider writes.
var dsCreatedAtPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// dsMockKey creates a key directly in the mock, as the Console or the CLI
// would, so the data source is tested on keys no Terraform resource made.
func dsMockKey(t *testing.T, m *mockcloud.Server, owner string, res *ccloud.ObjectReference, name string) ccloud.APIKey {
	t.Helper()
	k, err := m.CreateAPIKey(owner, res, name, "")
	if err != nil {
		t.Fatalf("creating a key for %s in the mock: %v", owner, err)
	}
	return k
}

// dsSpreadCreationTimes backdates the keys to one second apart, in the
// order given, starting a day ago.
func dsSpreadCreationTimes(t *testing.T, m *mockcloud.Server, keys ...ccloud.APIKey) {
	t.Helper()
	base := time.Now().Add(-24 * time.Hour)
	for i, k := range keys {
		if err := m.BackdateAPIKey(k.ID, base.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatalf("backdating key %s: %v", k.ID, err)
		}
	}
}

func dsIDsExact(keys ...ccloud.APIKey) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(keys))
	for _, k := range keys {
		checks = append(checks, knownvalue.StringExact(k.ID))
	}
	return knownvalue.ListExact(checks)
}

func TestAccAPIKeysDataSource_filters(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	orders := env.Mock.CreateServiceAccount("orders", "")
	billing := env.Mock.CreateServiceAccount("billing", "")
	kafka := &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}
	sr := &ccloud.ObjectReference{ID: acctest.SchemaRegistryID, Environment: acctest.EnvironmentID}
	flink := &ccloud.ObjectReference{ID: "aws.us-east-1", Environment: acctest.EnvironmentID}

	ordersKafka := dsMockKey(t, env.Mock, orders.ID, kafka, "orders kafka")
	ordersCloud := dsMockKey(t, env.Mock, orders.ID, nil, "orders cloud")
	billingKafka := dsMockKey(t, env.Mock, billing.ID, kafka, "billing kafka")
	billingSR := dsMockKey(t, env.Mock, billing.ID, sr, "billing sr")
	userKafka := dsMockKey(t, env.Mock, acctest.UserID, kafka, "someone's laptop")
	billingFlink := dsMockKey(t, env.Mock, billing.ID, flink, "billing flink")
	ordersTableflow := dsMockKey(t, env.Mock, orders.ID, &ccloud.ObjectReference{ID: "tableflow"}, "")
	// Keys made in quick succession can share a timestamp on a coarse clock;
	// spreading them out makes the expected order the creation order.
	dsSpreadCreationTimes(t, env.Mock, ordersKafka, ordersCloud, billingKafka, billingSR, userKafka, billingFlink, ordersTableflow)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
data "ccloud_api_keys" "by_owner" {
  owner_id = %[1]q
}

data "ccloud_api_keys" "by_resource" {
  resource_id = %[2]q
}

data "ccloud_api_keys" "both" {
  owner_id    = %[1]q
  resource_id = %[2]q
}

data "ccloud_api_keys" "all" {}

data "ccloud_api_keys" "cloud_upper_case" {
  resource_id = "CLOUD"
}

data "ccloud_api_keys" "flink" {
  resource_id = "AWS.us-east-1"
}

data "ccloud_api_keys" "nobody" {
  owner_id = "sa-n0b0dy"
}
`, orders.ID, acctest.KafkaClusterID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ccloud_api_keys.by_owner", tfjsonpath.New("ids"),
					dsIDsExact(ordersKafka, ordersCloud, ordersTableflow)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.by_resource", tfjsonpath.New("ids"),
					dsIDsExact(ordersKafka, billingKafka, userKafka)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.both", tfjsonpath.New("ids"),
					dsIDsExact(ordersKafka)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("ids"),
					dsIDsExact(ordersKafka, ordersCloud, billingKafka, billingSR, userKafka, billingFlink, ordersTableflow)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.cloud_upper_case", tfjsonpath.New("ids"),
					dsIDsExact(ordersCloud)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.flink", tfjsonpath.New("ids"),
					dsIDsExact(billingFlink)),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.nobody", tfjsonpath.New("api_keys"),
					knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.nobody", tfjsonpath.New("ids"),
					knownvalue.ListExact([]knownvalue.Check{})),

				// ObjectExact also proves that a key has no other attributes,
				// in particular no secret.
				statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("api_keys"),
					knownvalue.ListExact([]knownvalue.Check{
						dsKeyObject(ordersKafka.ID, "orders kafka", orders.ID, "ServiceAccount", "kafka", acctest.KafkaClusterID, acctest.EnvironmentID),
						dsKeyObject(ordersCloud.ID, "orders cloud", orders.ID, "ServiceAccount", "cloud", "cloud", ""),
						dsKeyObject(billingKafka.ID, "billing kafka", billing.ID, "ServiceAccount", "kafka", acctest.KafkaClusterID, acctest.EnvironmentID),
						dsKeyObject(billingSR.ID, "billing sr", billing.ID, "ServiceAccount", "schema_registry", acctest.SchemaRegistryID, acctest.EnvironmentID),
						dsKeyObject(userKafka.ID, "someone's laptop", acctest.UserID, "User", "kafka", acctest.KafkaClusterID, acctest.EnvironmentID),
						dsKeyObject(billingFlink.ID, "billing flink", billing.ID, "ServiceAccount", "flink", "aws.us-east-1", acctest.EnvironmentID),
						dsKeyObject(ordersTableflow.ID, "", orders.ID, "ServiceAccount", "tableflow", "tableflow", ""),
					})),
				acctest.ExpectNoMockSecretsInState(env.Mock),
			},
		}},
	})
}

// dsKeyObject checks one element of api_keys; an empty environment means null.
func dsKeyObject(id, name, owner, ownerKind, scope, resourceID, environment string) knownvalue.Check {
	var envCheck knownvalue.Check = knownvalue.Null()
	if environment != "" {
		envCheck = knownvalue.StringExact(environment)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":             knownvalue.StringExact(id),
		"display_name":   knownvalue.StringExact(name),
		"description":    knownvalue.StringExact(""),
		"owner_id":       knownvalue.StringExact(owner),
		"owner_kind":     knownvalue.StringExact(ownerKind),
		"scope":          knownvalue.StringExact(scope),
		"resource_id":    knownvalue.StringExact(resourceID),
		"environment_id": envCheck,
		"created_at":     knownvalue.StringRegexp(dsCreatedAtPattern),
	})
}

// TestAccAPIKeysDataSource_order checks that keys are listed by creation
// time, then by ID, whatever order the API returns them in.
func TestAccAPIKeysDataSource_order(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := env.Mock.CreateServiceAccount("ordered", "")
	keys := make([]ccloud.APIKey, 4)
	for i := range keys {
		keys[i] = dsMockKey(t, env.Mock, sa.ID, nil, fmt.Sprintf("key %d", i))
	}
	// The mock lists in creation order; backdating reverses the first two
	// and gives the last two the same creation time.
	base := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	backdate := func(k ccloud.APIKey, at time.Time) {
		t.Helper()
		if err := env.Mock.BackdateAPIKey(k.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	backdate(keys[0], base.Add(2*time.Hour))
	backdate(keys[1], base.Add(1*time.Hour))
	backdate(keys[2], base.Add(3*time.Hour))
	backdate(keys[3], base.Add(3*time.Hour))
	tied := []ccloud.APIKey{keys[2], keys[3]}
	if tied[0].ID > tied[1].ID {
		tied[0], tied[1] = tied[1], tied[0]
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
data "ccloud_api_keys" "test" {
  owner_id = %q
}
`, sa.ID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ccloud_api_keys.test", tfjsonpath.New("ids"),
					dsIDsExact(keys[1], keys[0], tied[0], tied[1])),
				statecheck.ExpectKnownValue("data.ccloud_api_keys.test", tfjsonpath.New("api_keys").AtSliceIndex(0).AtMapKey("created_at"),
					knownvalue.StringExact(base.Add(time.Hour).Format(time.RFC3339))),
			},
		}},
	})
}

// TestAccAPIKeysDataSource_refresh checks that the list follows keys created
// and deleted outside Terraform, which is what an audit needs, and that it
// pages through more keys than fit in one API page.
func TestAccAPIKeysDataSource_refresh(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := env.Mock.CreateServiceAccount("busy", "")
	var first ccloud.APIKey
	for i := range 150 {
		k := dsMockKey(t, env.Mock, sa.ID, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}, "")
		if i == 0 {
			first = k
		}
		if i == 99 {
			// Stay within the per-owner quota by moving to a second owner.
			sa = env.Mock.CreateServiceAccount("busy-2", "")
		}
	}
	dsSpreadCreationTimes(t, env.Mock, first)
	config := env.Config(`data "ccloud_api_keys" "all" {}`)
	sameIDs := statecheck.CompareValue(compare.ValuesSame())
	differentIDs := statecheck.CompareValue(compare.ValuesDiffer())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(150)),
					statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(first.ID)),
					sameIDs.AddStateValue("data.ccloud_api_keys.all", tfjsonpath.New("ids")),
					differentIDs.AddStateValue("data.ccloud_api_keys.all", tfjsonpath.New("ids")),
				},
			},
			{
				// Nothing changed: the same list in the same order.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					sameIDs.AddStateValue("data.ccloud_api_keys.all", tfjsonpath.New("ids")),
				},
			},
			{
				PreConfig: func() {
					if err := env.Mock.DeleteAPIKey(first.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(149)),
					statecheck.ExpectKnownValue("data.ccloud_api_keys.all", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.NotNull()),
					differentIDs.AddStateValue("data.ccloud_api_keys.all", tfjsonpath.New("ids")),
				},
			},
		},
	})
}

// TestAccAPIKeysDataSource_invalidFilter checks that malformed filters fail
// at plan time, before any request, instead of silently matching nothing.
func TestAccAPIKeysDataSource_invalidFilter(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	cases := []struct {
		attr, value, want string
	}{
		{"owner_id", "lkc-q1ck5t", `Invalid Attribute Value Match`},
		{"owner_id", "sa-", `Invalid Attribute Value Match`},
		{"owner_id", "", `Invalid Attribute Value Match`},
		{"resource_id", "kafka", `Invalid resource ID`},
		{"resource_id", "lkc-", `Invalid resource ID`},
		{"resource_id", "oracle.us-east-1", `Invalid resource ID`},
		{"resource_id", "", `Invalid resource ID`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config: env.Config(fmt.Sprintf(`
data "ccloud_api_keys" "test" {
  %s = %q
}
`, c.attr, c.value)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps:                    steps,
	})
	if n := len(env.Mock.Requests("GET /iam/v2/api-keys")); n != 0 {
		t.Errorf("invalid filters sent %d list requests, want none", n)
	}
}
