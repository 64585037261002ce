// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// TestAccEphemeralAPIKey_run opens an ephemeral key of every scope; the
// Cloud one configures an aliased ccloud provider that reads a data source.
// The mock's audit log shows each key created, working, and deleted again
// within the run, and afterwards the mock holds no key. No key ID or
// checksum-valid secret is in any state file, saved plan, JSON plan or
// JSON state. The second step repeats the run with everything known at plan
// time, so the keys are opened (and closed) by the plan as well.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccEphemeralAPIKey_run(t *testing.T) {
	workDirs := t.TempDir()
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")
	env := acctest.New(t, mockcloud.Options{PropagationDelay: 200 * time.Millisecond})
	adminKey, adminSecret := env.Mock.Credentials()
	t.Setenv(provider.EnvCloudAPISecret, adminSecret)

	var b strings.Builder
	fmt.Fprintf(&b, `provider "ccloud" {
  endpoint      = %[1]q
  cloud_api_key = %[2]q
  max_retries   = 3
}

resource "ccloud_service_account" "run" {
  display_name = "ephemeral-run"
}

provider "ccloud" {
  alias            = "run"
  endpoint         = %[1]q
  cloud_api_key    = ephemeral.ccloud_cloud_api_key.test.id
  cloud_api_secret = ephemeral.ccloud_cloud_api_key.test.secret
  max_retries      = 3
}

data "ccloud_service_account" "via_ephemeral" {
  provider = ccloud.run
  id       = ccloud_service_account.run.id
}
`, env.Mock.URL(), adminKey)
	names := make([]string, 0, len(keyCases))
	for name := range keyCases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := keyCases[name]
		fmt.Fprintf(&b, "\nephemeral %q \"test\" {\n  owner_id = ccloud_service_account.run.id\n", c.typ)
		if c.args != "" {
			b.WriteString("  " + c.args + "\n")
		}
		b.WriteString("}\n")
	}
	config := b.String()

	scan := newFileScanner()
	files := treeScan{f: scan, dir: workDirs}
	seen := map[string]bool{}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{jsonScan{scan, "JSON plan"}, files}},
				ConfigStateChecks: []statecheck.StateCheck{
					jsonScan{scan, "JSON state"},
					statecheck.ExpectKnownValue("data.ccloud_service_account.via_ephemeral", tfjsonpath.New("display_name"),
						knownvalue.StringExact("ephemeral-run")),
					// At least one key for each scope; the check records
					// their IDs in seen, which no state value may hold.
					acctest.ExpectEphemeralKeys(env.Mock, len(keyCases), seen),
					acctest.ExpectNoValueIn(seen),
					scanFiles{files},
				},
			},
			{
				PreConfig: env.Mock.ClearAuditLog,
				Config:    config,
				// The plan itself opens the keys now; they are closed before
				// it ends.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(), jsonScan{scan, "JSON plan"}, files,
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectEphemeralKeys(env.Mock, len(keyCases), seen),
					acctest.ExpectNoValueIn(seen),
					scanFiles{files},
				},
			},
		},
	})
	if t.Failed() {
		return
	}
	if err := scan.scanTree(workDirs); err != nil {
		t.Fatal(err)
	}
	for id := range seen {
		scan.addKnown(id, "ephemeral key ID "+id)
	}
	// Search everything once more, now for the key IDs too.
	if err := scan.scanTree(workDirs); err != nil {
		t.Fatal(err)
	}
	findings := scan.report()
	for _, f := range findings {
		t.Error(f)
	}
	if scan.planFiles < 2 || scan.stateFiles < 2 {
		t.Errorf("read %d saved plans and %d state files; the search would prove little", scan.planFiles, scan.stateFiles)
	}
	t.Logf("ephemeral keys: %d created and deleted within the runs, %d left in the mock; %d file reads, "+
		"%d bytes searched: %d secrets or key IDs found", len(seen), len(env.Mock.APIKeys()), scan.files, scan.bytes, len(findings))
}

// TestAccEphemeralAPIKey_failures checks that an ephemeral key that does not
// start working in time is deleted again (Terraform never closes a failed
// open), and that the deny_user_owned_keys guardrail covers ephemeral keys.
func TestAccEphemeralAPIKey_failures(t *testing.T) {
	t.Parallel()
	// New keys take a minute to work, far longer than the open timeout.
	env := acctest.New(t, mockcloud.Options{PropagationDelay: time.Minute})
	sa := `resource "ccloud_service_account" "app" {
  display_name = "ephemeral-failures"
}
`
	// The key feeds an aliased provider that a data source uses, so
	// Terraform must open it.
	use := func(ephemeralAddr string) string {
		return fmt.Sprintf(`
provider "ccloud" {
  alias            = "use"
  endpoint         = %q
  cloud_api_key    = %s.id
  cloud_api_secret = %s.secret
}

data "ccloud_service_accounts" "all" {
  provider = ccloud.use
}
`, env.Mock.URL(), ephemeralAddr, ephemeralAddr)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{
			{
				Config: env.Config(sa),
			},
			{
				Config: env.Config(sa + `
ephemeral "ccloud_cloud_api_key" "slow" {
  owner_id = ccloud_service_account.app.id
  timeouts {
    open = "2s"
  }
}
` + use("ephemeral.ccloud_cloud_api_key.slow")),
				ExpectError: regexp.MustCompile(`(?s)Cloud API key not ready.*ephemeral\s+ccloud_cloud_api_key\s+[A-Z0-9]{16}\s+did\s+not\s+start\s+working.*so\s+it\s+was\s+deleted\s+again`),
			},
			{
				PreConfig: func() {
					if ids := acctest.MockKeyIDs(env.Mock); len(ids) != 0 {
						t.Fatalf("the failed open left keys %v in the mock", ids)
					}
					if created := acctest.MockKeysCreated(env.Mock); created == 0 {
						t.Fatal("no key was created, so the failed open proves nothing")
					}
				},
				Config: providerWith(env, "  deny_user_owned_keys = true") + sa + fmt.Sprintf(`
ephemeral "ccloud_cloud_api_key" "mine" {
  owner_id = %q
}
`, acctest.UserID) + use("ephemeral.ccloud_cloud_api_key.mine"),
				ExpectError: regexp.MustCompile(`(?s)Guardrail: user-owned API key.*ephemeral\s+ccloud_cloud_api_key\s+would\s+be\s+owned\s+by\s+user`),
			},
		},
	})
}

// TestAccEphemeralAPIKey_sweptAfterProcessDeath plants the key a run that
// died with an ephemeral key open leaves behind: a key whose description
// ends with a create marker whose lease ran out long ago. The next run that
// opens an ephemeral key for the same owner sweeps it away, and a key
// without a marker (made by a person) survives.
func TestAccEphemeralAPIKey_sweptAfterProcessDeath(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := env.Mock.CreateServiceAccount("died-mid-run", "")
	expired := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	left, err := env.Mock.CreateAPIKey(sa.ID, nil, "", "[terraform-create:deadrun00001 until "+expired+"]")
	if err != nil {
		t.Fatal(err)
	}
	// The API stamped the dead run's last renewal a lease before its
	// deadline; a marker the key's timestamps contradict is no lease.
	if err := env.Mock.SetAPIKeyUpdatedAt(left.ID, time.Now().Add(-time.Hour-keyengine.DefaultLease)); err != nil {
		t.Fatal(err)
	}
	manual, err := env.Mock.CreateAPIKey(sa.ID, nil, "by hand", "made in the console")
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
ephemeral "ccloud_cloud_api_key" "next_run" {
  owner_id = %[1]q
}

provider "ccloud" {
  alias            = "next_run"
  endpoint         = %[2]q
  cloud_api_key    = ephemeral.ccloud_cloud_api_key.next_run.id
  cloud_api_secret = ephemeral.ccloud_cloud_api_key.next_run.secret
}

data "ccloud_service_account" "owner" {
  provider = ccloud.next_run
  id       = %[1]q
}
`, sa.ID, env.Mock.URL())),
				// The abandoned key is swept; only the hand-made key stays.
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.ExpectMockKeysGone(env.Mock, &left.ID),
					acctest.ExpectMockKeys(env.Mock, &manual.ID),
				},
			},
		},
	})
}
