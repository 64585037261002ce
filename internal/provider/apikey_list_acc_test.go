// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The query tests need Terraform 1.14 or later, the first with list
// resources and terraform query; on older versions they skip.

// cliAPI sends a request to the mock's API as the Confluent CLI does: the
// admin key's basic auth and the CLI's JSON bodies, never through
// Terraform. It returns the decoded answer.
func cliAPI(t *testing.T, env *acctest.Env, method, path, body string) map[string]any {
	t.Helper()
	key, secret := env.Mock.Credentials()
	req, err := http.NewRequest(method, env.Mock.URL()+path, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(key, secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v %v", method, path, resp.StatusCode, out, err)
	}
	return out
}

// cliServiceAccount creates an account as "confluent iam service-account
// create" does and returns its ID.
func cliServiceAccount(t *testing.T, env *acctest.Env, name, description string) string {
	t.Helper()
	return cliAPI(t, env, http.MethodPost, "/iam/v2/service-accounts",
		fmt.Sprintf(`{"display_name":%q,"description":%q}`, name, description))["id"].(string)
}

// cliKey creates a key as "confluent api-key create" does (owner and
// resource with the SDK's empty related and resource_name) and returns its
// ID; resource "" makes a Cloud key.
func cliKey(t *testing.T, env *acctest.Env, owner, resource, description string) string {
	t.Helper()
	res := ""
	if resource != "" {
		res = fmt.Sprintf(`,"resource":{"id":%q,"related":"","resource_name":""}`, resource)
	}
	return cliAPI(t, env, http.MethodPost, "/iam/v2/api-keys", fmt.Sprintf(
		`{"spec":{"description":%q,"owner":{"id":%q,"related":"","resource_name":""}%s}}`, description, owner, res))["id"].(string)
}

// TestAccAPIKeyList_query lists keys and accounts made with the CLI:
// identity, length, display name and the resource's values, and the
// filters for one owner and for user-owned keys.
func TestAccAPIKeyList_query(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := cliServiceAccount(t, env, "payments-app", "made with the CLI")
	k1 := cliKey(t, env, sa, acctest.KafkaClusterID, "orders producer")
	k2 := cliKey(t, env, sa, acctest.KafkaClusterID, "")
	ku := cliKey(t, env, mockcloud.DefaultUserID, acctest.KafkaClusterID, "jane's laptop")
	kc := cliKey(t, env, sa, "", "")

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{Config: env.ProviderConfig()},
			{
				// The query runs with the provider block of the step before.
				Query: true,
				Config: fmt.Sprintf(`
list "ccloud_kafka_api_key" "all" {
  provider         = ccloud
  include_resource = true
}

list "ccloud_kafka_api_key" "of_account" {
  provider = ccloud
  config {
    owner_id = %[1]q
  }
}

list "ccloud_kafka_api_key" "user_owned" {
  provider = ccloud
  config {
    owner_kind = "User"
  }
}

list "ccloud_cloud_api_key" "all" {
  provider = ccloud
}

list "ccloud_service_account" "payments" {
  provider         = ccloud
  include_resource = true
  config {
    display_name = "payments-app"
  }
}
`, sa),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("ccloud_kafka_api_key.all", 3),
					querycheck.ExpectLength("ccloud_kafka_api_key.of_account", 2),
					querycheck.ExpectLength("ccloud_kafka_api_key.user_owned", 1),
					querycheck.ExpectLength("ccloud_cloud_api_key.all", 1),
					querycheck.ExpectLength("ccloud_service_account.payments", 1),
					querycheck.ExpectIdentity("ccloud_kafka_api_key.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(k1)}),
					querycheck.ExpectIdentity("ccloud_kafka_api_key.user_owned", map[string]knownvalue.Check{"id": knownvalue.StringExact(ku)}),
					querycheck.ExpectIdentity("ccloud_cloud_api_key.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(kc)}),
					querycheck.ExpectIdentity("ccloud_service_account.payments", map[string]knownvalue.Check{"id": knownvalue.StringExact(sa)}),
					querycheck.ExpectResourceDisplayName("ccloud_kafka_api_key.of_account",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(k2)}),
						knownvalue.StringRegexp(regexp.MustCompile(`^`+k2+` · Kafka lkc-q1ck5t in env-q1ck5t · owner `+sa+
							` "payments-app" · created \d{4}-\d\d-\d\d$`))),
					querycheck.ExpectResourceDisplayName("ccloud_kafka_api_key.user_owned",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(ku)}),
						knownvalue.StringRegexp(regexp.MustCompile(`owner `+mockcloud.DefaultUserID+` \(`))),
					querycheck.ExpectResourceKnownValues("ccloud_kafka_api_key.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(k1)}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("owner_id"), KnownValue: knownvalue.StringExact(sa)},
							{Path: tfjsonpath.New("owner_kind"), KnownValue: knownvalue.StringExact("ServiceAccount")},
							{Path: tfjsonpath.New("cluster_id"), KnownValue: knownvalue.StringExact(acctest.KafkaClusterID)},
							{Path: tfjsonpath.New("environment_id"), KnownValue: knownvalue.StringExact(acctest.EnvironmentID)},
							{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("orders producer")},
							{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("secret"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("wait_for_ready"), KnownValue: knownvalue.Bool(true)},
						}),
					querycheck.ExpectResourceKnownValues("ccloud_service_account.payments",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(sa)}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact("payments-app")},
							{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("made with the CLI")},
							{Path: tfjsonpath.New("force_destroy"), KnownValue: knownvalue.Bool(false)},
						}),
				},
			},
		},
	})
}

// queryTerraform returns a workspace for the round trip when the terraform
// it runs has terraform query (1.14 or later), and skips otherwise.
func queryTerraform(t *testing.T, env *acctest.Env, hcl string) *acctest.Workspace {
	t.Helper()
	w := env.Terraform(t, hcl)
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(w.MustRun(0, "version", "-json").Stdout), &v); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	if major == 1 && minor < 14 {
		t.Skipf("Terraform CLI version %s is below the minimum version 1.14.0 for terraform query: skipping test", v.Version)
	}
	return w
}

// TestAccAPIKeyList_adoptRoundTrip adopts an estate made with the CLI:
// terraform query writes configuration, whose plan only imports; the apply
// imports and the next plan is empty.
func TestAccAPIKeyList_adoptRoundTrip(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := cliServiceAccount(t, env, "orders-app", "")
	other := cliServiceAccount(t, env, "billing-app", "bills")
	keys := []string{
		cliKey(t, env, sa, acctest.KafkaClusterID, "orders producer"),
		cliKey(t, env, sa, acctest.SchemaRegistryID, ""),
		cliKey(t, env, other, "", "billing automation"),
		cliKey(t, env, mockcloud.DefaultUserID, acctest.KafkaClusterID, ""),
	}
	w := queryTerraform(t, env, env.ProviderConfig())
	w.WriteFile("adopt.tfquery.hcl", `
list "ccloud_service_account" "accounts" {
  provider = ccloud
}
list "ccloud_kafka_api_key" "kafka" {
  provider = ccloud
}
list "ccloud_schema_registry_api_key" "sr" {
  provider = ccloud
}
list "ccloud_cloud_api_key" "cloud" {
  provider = ccloud
}
`)
	out := w.MustRun(0, "query", "-no-color", "-generate-config-out=generated.tf").Output()
	for _, id := range append(keys, sa, other) {
		if !strings.Contains(out, id) {
			t.Errorf("terraform query does not list %s:\n%s", id, out)
		}
	}
	generated, err := os.ReadFile(w.Dir + "/generated.tf")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(generated), "secret =") || strings.Contains(string(generated), "terraform-create") {
		t.Errorf("generated configuration holds a secret or a marker:\n%s", generated)
	}
	accounts := len(env.Mock.ServiceAccounts())
	want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", accounts+len(keys))
	if plan := w.MustRun(0, "plan", "-no-color", "-input=false").Output(); !strings.Contains(plan, want) {
		t.Fatalf("the plan of the generated configuration is not %q:\n%s\n%s", want, plan, generated)
	}
	w.MustRun(0, "apply", "-no-color", "-input=false", "-auto-approve")
	if res := w.MustRun(0, "plan", "-no-color", "-input=false", "-detailed-exitcode"); !strings.Contains(res.Output(), "No changes.") {
		t.Fatalf("the plan after adopting is not empty:\n%s", res.Output())
	}
}
