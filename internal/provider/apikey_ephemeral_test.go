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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// keyLife is what the audit log says about one key: where it was created,
// first authenticated and deleted (-1 when never).
type keyLife struct {
	id                      string
	created, ready, deleted int
	usedForManagement       bool
}

// keyLives reads the life of every key created after the admin key from
// the mock's audit log.
func keyLives(env *acctest.Env) map[string]*keyLife {
	lives := map[string]*keyLife{}
	events := env.Mock.AuditLog()
	for i, ev := range events {
		switch ev.Data.MethodName {
		case "CreateAPIKey", "DeleteAPIKey":
			for _, r := range ev.Data.CloudResources {
				if r.Resource.Type != "API_KEY" || ev.Data.Result.Status != mockcloud.AuditSuccess {
					continue
				}
				l := lives[r.Resource.ResourceID]
				if l == nil {
					l = &keyLife{id: r.Resource.ResourceID, created: -1, ready: -1, deleted: -1}
					lives[l.id] = l
				}
				if ev.Data.MethodName == "CreateAPIKey" {
					l.created = i
				} else {
					l.deleted = i
				}
			}
		}
	}
	for i, ev := range events {
		l := lives[ev.Data.AuthenticationInfo.Principal.APIKey]
		if l == nil || ev.Data.Result.Status != mockcloud.AuditSuccess {
			continue
		}
		if ev.Data.MethodName == "Authentication" && l.ready < 0 {
			l.ready = i
		}
		if ev.Data.MethodName == "GetServiceAccount" {
			l.usedForManagement = true
		}
	}
	return lives
}

// checkEphemeralKeys checks that every key the run created was created,
// worked, and was deleted again, in that order; that at least one key of
// each scope did; and that one of them authenticated a GetServiceAccount.
// It records the IDs it saw in seen.
func checkEphemeralKeys(env *acctest.Env, scopes int, seen map[string]bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if ids := mockKeyIDs(env.Mock); len(ids) != 0 {
			return fmt.Errorf("the mock still holds keys %v after the run", ids)
		}
		lives := keyLives(env)
		used := false
		var problems []string
		for id, l := range lives {
			seen[id] = true
			if l.created < 0 || l.ready <= l.created || l.deleted <= l.ready {
				problems = append(problems, fmt.Sprintf("key %s: created at %d, working at %d, deleted at %d",
					id, l.created, l.ready, l.deleted))
			}
			used = used || l.usedForManagement && l.created < l.deleted
		}
		sort.Strings(problems)
		switch {
		case len(problems) > 0:
			return fmt.Errorf("ephemeral keys did not live as they should: %s", strings.Join(problems, "; "))
		case len(lives) < scopes:
			return fmt.Errorf("the run created %d keys, want at least one for each of %d scopes", len(lives), scopes)
		case !used:
			return fmt.Errorf("no ephemeral key authenticated the data source's GetServiceAccount")
		}
		return nil
	}
}

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
	stateHasNoKeyIDs := func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if seen[v] {
					return fmt.Errorf("%s.%s holds the ephemeral key ID %s", rs.Type, k, v)
				}
			}
		}
		return nil
	}

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
				},
				Check: resource.ComposeTestCheckFunc(checkEphemeralKeys(env, len(keyCases), seen), stateHasNoKeyIDs, files.check),
			},
			{
				PreConfig: env.Mock.ClearAuditLog,
				Config:    config,
				// The plan itself opens the keys now; they are closed before
				// it ends.
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(), jsonScan{scan, "JSON plan"}, files,
				}},
				Check: resource.ComposeTestCheckFunc(checkEphemeralKeys(env, len(keyCases), seen), stateHasNoKeyIDs, files.check),
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
					if ids := mockKeyIDs(env.Mock); len(ids) != 0 {
						t.Fatalf("the failed open left keys %v in the mock", ids)
					}
					if created := len(keyLives(env)); created == 0 {
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
				Check: func(*terraform.State) error {
					ids := mockKeyIDs(env.Mock)
					if len(ids) != 1 || ids[0] != manual.ID {
						return fmt.Errorf("after the next run the mock holds %v; want only the hand-made key %s (the "+
							"abandoned key %s should be swept)", ids, manual.ID, left.ID)
					}
					return nil
				},
			},
		},
	})
}
