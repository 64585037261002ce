// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// jsonScan searches the JSON plan (terraform show -json of the saved plan)
// and the JSON state (terraform show -json) with a fileScanner.
type jsonScan struct {
	f    *fileScanner
	what string
}

func (j jsonScan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	j.f.scanBytes(j.what, b)
}

func (j jsonScan) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	j.f.scanBytes(j.what, b)
}

// scanForKeySecrets registers the secret of the key at each address, as the
// mock knows it, and its Basic credentials with the scanner, so that later
// scans look for them. It goes before the scans of the step's state.
type scanForKeySecrets struct {
	m     *mockcloud.Server
	f     *fileScanner
	addrs []string
}

func (c scanForKeySecrets) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var ids []string
	for _, addr := range c.addrs {
		var captured string
		acctest.CaptureID(addr, &captured).CheckState(context.Background(), req, resp)
		if resp.Error != nil {
			return
		}
		ids = append(ids, captured)
	}
	for i, id := range ids {
		secret, ok := c.m.APIKeySecret(id)
		if !ok {
			resp.Error = fmt.Errorf("key %s of %s is not in the mock", id, c.addrs[i])
			return
		}
		c.f.addKnown(secret, "secret of "+c.addrs[i])
		c.f.addKnown(base64.StdEncoding.EncodeToString([]byte(id+":"+secret)), "Basic credentials of "+c.addrs[i])
	}
}

// scanFiles runs a treeScan as a state check, so that it follows
// scanForKeySecrets in a step's ConfigStateChecks.
type scanFiles struct{ treeScan }

func (s scanFiles) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = s.check(nil)
}

// ptrs returns pointers to copies of the strings, for checks that take IDs
// by pointer.
func ptrs(ss ...string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

// TestAccSealedSecret_chain is the whole sealed-secret chain in one run:
// keys with secret_recipients, whose secrets are in no state file, saved plan,
// JSON plan, JSON state or TRACE log (a scan for any checksum-valid cflt
// secret, and for each key's secret and Basic credentials); then a second,
// aliased ccloud provider configured with the Cloud key's ID and
// decrypt_secret of an ephemeral identity variable reads a data source,
// which proves the sealed secret is the working one. The mock delays new
// keys, so the read works only because the key was waited for. A wrong
// identity then fails clearly.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccSealedSecret_chain(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	workDirs := t.TempDir()
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
		"TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CCLOUD_API"} {
		t.Setenv(v, "TRACE")
	}
	// Terraform's working directories go to workDirs and stay there until
	// the test ends, so every file it wrote can be searched.
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")

	env := acctest.New(t, mockcloud.Options{PropagationDelay: 300 * time.Millisecond})
	adminKey, adminSecret := env.Mock.Credentials()
	t.Setenv(provider.EnvCloudAPISecret, adminSecret)
	recipient, identity := newAgeIdentity(t)
	sshRecipient, _ := newSSHIdentity(t)
	_, wrongIdentity := newAgeIdentity(t)
	// The identity reaches Terraform as an ephemeral variable, the way the
	// guide tells users to pass it.
	t.Setenv("TF_VAR_identity", identity)

	scan := newFileScanner()
	scan.addKnown(adminSecret, "provider's Cloud API secret")
	scan.addKnown(identity, "age identity")

	config := fmt.Sprintf(`
provider "ccloud" {
  endpoint      = %[1]q
  cloud_api_key = %[2]q
  max_retries   = 3
}

variable "identity" {
  type      = string
  ephemeral = true
  sensitive = true
}

resource "ccloud_service_account" "app" {
  display_name  = "sealed-app"
  force_destroy = true
}

resource "ccloud_cloud_api_key" "test" {
  owner_id          = ccloud_service_account.app.id
  secret_recipients = [%[3]q, %[4]q]
}

resource "ccloud_kafka_api_key" "test" {
  owner_id          = ccloud_service_account.app.id
  cluster_id        = %[5]q
  environment_id    = %[6]q
  secret_recipients = [%[3]q]
}

provider "ccloud" {
  alias            = "sealed"
  endpoint         = %[1]q
  cloud_api_key    = ccloud_cloud_api_key.test.id
  cloud_api_secret = provider::ccloud::decrypt_secret(ccloud_cloud_api_key.test.encrypted_secret, var.identity)
  max_retries      = 3
}

data "ccloud_service_account" "via_sealed" {
  provider = ccloud.sealed
  id       = ccloud_service_account.app.id
}
`, env.Mock.URL(), adminKey, recipient, sshRecipient, acctest.KafkaClusterID, acctest.EnvironmentID)

	cloudAddr, kafkaAddr := "ccloud_cloud_api_key.test", "ccloud_kafka_api_key.test"
	files := treeScan{f: scan, dir: workDirs}
	planChecks := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{jsonScan{scan, "JSON plan"}, files}}
	stateChecks := []statecheck.StateCheck{jsonScan{scan, "JSON state"}}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(planChecks.PreApply,
					plancheck.ExpectKnownValue(cloudAddr, tfjsonpath.New("secret"), knownvalue.Null()),
					plancheck.ExpectUnknownValue(cloudAddr, tfjsonpath.New("encrypted_secret")),
					plancheck.ExpectKnownValue(kafkaAddr, tfjsonpath.New("secret"), knownvalue.Null()),
				)},
				ConfigStateChecks: append([]statecheck.StateCheck{scanForKeySecrets{env.Mock, scan, []string{cloudAddr, kafkaAddr}}},
					append(stateChecks,
						acctest.ExpectSealedSecret(env.Mock, identity, cloudAddr, kafkaAddr),
						acctest.ExpectKeyUsedFor(env.Mock, cloudAddr, "GetServiceAccount"),
						statecheck.ExpectKnownValue(cloudAddr, tfjsonpath.New("secret"), knownvalue.Null()),
						statecheck.ExpectKnownValue(cloudAddr, tfjsonpath.New("encrypted_secret"),
							knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN AGE ENCRYPTED FILE-----\n`))),
						statecheck.ExpectKnownValue("data.ccloud_service_account.via_sealed", tfjsonpath.New("display_name"),
							knownvalue.StringExact("sealed-app")),
						scanFiles{files},
					)...),
			},
			{
				// A refresh and plan with the same configuration: the
				// aliased provider decrypts at plan time now.
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(stateChecks, scanFiles{files}),
			},
			{
				PreConfig:   func() { t.Setenv("TF_VAR_identity", wrongIdentity) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Invalid function argument.*identity cannot decrypt this\s+secret`),
			},
			{
				PreConfig:         func() { t.Setenv("TF_VAR_identity", identity) },
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{scanFiles{files}},
			},
		},
	})
	if t.Failed() {
		return
	}
	if err := scan.scanTree(workDirs); err != nil {
		t.Fatal(err)
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	// The log must hold what it is searched for: provider logs, the data
	// source read through the aliased provider, and a decryption.
	for _, want := range []string{"ccloud.ccloud_api: Confluent Cloud API request", "tf_rpc=ReadDataSource",
		"tf_rpc=CallFunction", "tf_rpc=ConfigureProvider"} {
		if !strings.Contains(string(logs), want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q, so it is not capturing what it should", len(logs), want)
		}
	}
	scan.scanBytes("TRACE log", logs)
	findings := scan.report()
	for _, f := range findings {
		t.Error(f)
	}
	if scan.planFiles < 2 || scan.stateFiles < 1 {
		t.Errorf("read %d saved plans and %d state files; the search would prove little", scan.planFiles, scan.stateFiles)
	}
	t.Logf("sealed secrets: %d file reads (%d of saved plans, %d of state files), JSON plans and states and "+
		"the TRACE log, %d bytes in all, for checksum-valid cflt secrets and %d known secrets: %d found",
		scan.files, scan.planFiles, scan.stateFiles, scan.bytes, len(scan.known), len(findings))
}

// TestAccSealedSecret_sealInPlaceAndRotate adds recipients to a key whose
// state holds its secret (sealed in place: same key, no plaintext left),
// reorders them (no change), changes them (a rotation to a new key sealed
// to the new recipient only), and removes them (a rotation to a key with a
// plain secret).
func TestAccSealedSecret_sealInPlaceAndRotate(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	recA, idA := newAgeIdentity(t)
	recB, idB := newSSHIdentity(t)
	recC, idC := newAgeIdentity(t)
	c := keyCases["schema_registry"]
	addr := c.addr()
	sa := `resource "ccloud_service_account" "app" {
  display_name  = "seal-in-place"
  force_destroy = true
}
`
	config := func(recipients ...string) string {
		extra := "  lifecycle {\n    create_before_destroy = true\n  }"
		if recipients != nil {
			q := make([]string, len(recipients))
			for i, r := range recipients {
				q[i] = fmt.Sprintf("%q", r)
			}
			extra = "  secret_recipients = [" + strings.Join(q, ", ") + "]\n" + extra
		}
		return env.Config(sa + c.config("${ccloud_service_account.app.id}", extra))
	}
	sameKey := statecheck.CompareValue(compare.ValuesSame())
	var firstID, secondID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: config(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.StringRegexp(keySecretPattern)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("encrypted_secret"), knownvalue.Null()),
					acctest.CaptureID(addr, &firstID),
				},
			},
			{
				Config: config(recA, recB),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("encrypted_secret")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameKey.AddStateValue(addr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
					acctest.ExpectSealedSecret(env.Mock, idA, addr),
					acctest.ExpectSealedSecret(env.Mock, idB, addr),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
			{
				Config: config(recB, recA),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				Config: config(recC),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectRotationOrder(env.Mock, addr, &firstID),
					acctest.CaptureID(addr, &secondID),
					acctest.ExpectSealedSecret(env.Mock, idC, addr),
					acctest.ExpectNotSealedTo(addr, idA),
					acctest.ExpectNotSealedTo(addr, idB),
				},
			},
			{
				Config: config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret"), knownvalue.StringRegexp(keySecretPattern)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("encrypted_secret"), knownvalue.Null()),
					acctest.ExpectRotationOrder(env.Mock, addr, &secondID),
					acctest.ExpectMockKey(env.Mock, addr, "", ""),
				},
			},
		},
	})
}

// TestAccSealedSecret_bulkImport imports three keys with one import block
// and for_each, their secrets supplied as a JSON object in
// CONFLUENT_CLOUD_IMPORT_API_SECRETS, into resources with secret_recipients:
// the same apply seals each imported secret in place, so state ends up with
// ciphertext only. A bad entry fails the import naming the key.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccSealedSecret_bulkImport(t *testing.T) {
	env := acctest.New(t, mockcloud.Options{})
	sa := env.Mock.CreateServiceAccount("bulk-import", "")
	recipient, identity := newAgeIdentity(t)
	ids := map[string]string{}
	secrets := map[string]string{}
	for _, name := range []string{"a", "b", "c"} {
		k, err := env.Mock.CreateAPIKey(sa.ID, nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = k.ID
		secrets[k.ID], _ = env.Mock.APIKeySecret(k.ID)
	}
	// Terraform's testing framework cannot hold for_each instances in
	// state, so the resource uses count; the import block still iterates
	// with for_each, over a list of index and key ID.
	config := func(names ...string) string {
		var entries []string
		for i, name := range names {
			entries = append(entries, fmt.Sprintf("    { index = %d, id = %q },", i, ids[name]))
		}
		return env.Config(fmt.Sprintf(`
locals {
  keys = [
%s
  ]
}

import {
  for_each = local.keys
  to       = ccloud_cloud_api_key.imported[each.value.index]
  id       = each.value.id
}

resource "ccloud_cloud_api_key" "imported" {
  count             = length(local.keys)
  owner_id          = %q
  secret_recipients = [%q]
}
`, strings.Join(entries, "\n"), sa.ID, recipient))
	}
	bulk := func(m map[string]string) string {
		b, _ := json.Marshal(m)
		return string(b)
	}
	corrupt := secrets[ids["c"]][:63] + string(rune(secrets[ids["c"]][63]^1))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					t.Setenv(provider.EnvImportAPISecrets, bulk(map[string]string{ids["a"]: secrets[ids["a"]], ids["c"]: corrupt}))
				},
				Config: config("a", "c"),
				ExpectError: regexp.MustCompile(`(?s)Invalid API key secret.*entry\s+"` + ids["c"] + `"\s+of\s+the\s+` +
					provider.EnvImportAPISecrets + `.*checksum`),
			},
			{
				PreConfig: func() {
					t.Setenv(provider.EnvImportAPISecrets, bulk(map[string]string{
						ids["a"]: secrets[ids["a"]], ids["b"]: secrets[ids["b"]], ids["c"]: secrets[ids["c"]],
						"UNRELATED0000000": ccloud.NewAPISecret(),
					}))
				},
				Config: config("a", "b", "c"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`ccloud_cloud_api_key.imported[0]`, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(`ccloud_cloud_api_key.imported[0]`, tfjsonpath.New("secret"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectSealedSecret(env.Mock, identity, "ccloud_cloud_api_key.imported[0]",
						"ccloud_cloud_api_key.imported[1]", "ccloud_cloud_api_key.imported[2]"),
					// Exactly the three keys, all in state.
					acctest.ExpectMockKeysMatchState(env.Mock),
					acctest.ExpectMockKeys(env.Mock, ptrs(ids["a"], ids["b"], ids["c"])...),
				},
			},
		},
	})
}

// TestAccSealedSecret_recipientRules plans keys whose secret_recipients hold
// a value padded with white space (as file() reads a .pub file) or one SSH
// key twice under different comments: both fail at plan time naming
// secret_recipients, and nothing is created. The same keys written cleanly
// plan a create.
func TestAccSealedSecret_recipientRules(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	ageKey, _ := newAgeIdentity(t)
	sshKey, _ := newSSHIdentity(t)
	c := keyCases["kafka"]
	config := func(recipients ...string) string {
		q := make([]string, len(recipients))
		for i, r := range recipients {
			q[i] = fmt.Sprintf("%q", r)
		}
		return env.Config(c.config("sa-abc123", "  secret_recipients = ["+strings.Join(q, ", ")+"]"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config:      config(ageKey+"\n", sshKey),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid secret recipient.*of\s+secret_recipients\s+has\s+leading\s+or\s+trailing\s+white\s+space.*trimspace`),
			},
			{
				Config:      config(ageKey, sshKey+" laptop", sshKey+" desktop"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Duplicate secret recipient.*of\s+secret_recipients\s+are\s+the\s+same\s+public\s+key`),
			},
			{
				Config:             config(ageKey, sshKey+" laptop"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := len(env.Mock.Requests(keyCreateRoute)); n != 0 {
		t.Errorf("%d create requests were sent; bad recipients must fail at plan time", n)
	}
}
