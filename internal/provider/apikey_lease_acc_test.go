// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// The lease tests run two Terraform runs side by side on one owner's keys,
// each with a provider of its own served in the test process, so that each
// can have a local clock of its own; the lease is the test hook's shortest,
// so that renewals come every second.

// leaseTestLease is the create lease of the lease tests.
const leaseTestLease = 3 * time.Second

// leaseRunner returns a workspace whose provider's local clock is off by
// off, aimed at m, with the short lease, configured with a Kafka key of
// owner described as name.
func leaseRunner(t *testing.T, m *mockcloud.Server, off time.Duration, owner, name string) *acctest.Workspace {
	t.Helper()
	factory := provider.NewProtocol6ServerWithError(provider.NewWithOptions("test", provider.Options{
		Clock:        clock.NewOffset(off), // a CI runner without time sync
		CreateLease:  leaseTestLease,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 200 * time.Millisecond,
	})())
	key, secret := m.Credentials()
	w := acctest.NewWorkspace(t).Serve(acctest.ProviderAddress, func() (tfprotov6.ProviderServer, error) { return factory() })
	w.WriteConfig(acctest.ProviderBlock(m.URL(), key, secret) + fmt.Sprintf(`
resource "ccloud_kafka_api_key" "k" {
  owner_id       = %q
  cluster_id     = %q
  environment_id = %q
  description    = %q
}
`, owner, acctest.KafkaClusterID, acctest.EnvironmentID, name))
	w.MustRun(0, "init", "-input=false", "-no-color")
	return w
}

// deletedKeys counts the successful key deletions in the mock's audit log.
func deletedKeys(m *mockcloud.Server) int {
	n := 0
	for _, ev := range m.AuditLog() {
		if ev.Data.MethodName == "DeleteAPIKey" && ev.Data.Result.Status == mockcloud.AuditSuccess {
			n++
		}
	}
	return n
}

// TestAccAPIKeyLease_clockSkew runs a first apply whose key waits to work
// and, while it waits, a second apply for the same owner, with the two
// providers' local clocks 3 minutes apart, in both directions. The second
// run's create sweeps the owner's keys: it must delete nothing, and both
// applies must succeed.
func TestAccAPIKeyLease_clockSkew(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ first, second time.Duration }{
		"first run 3m behind": {first: -3 * time.Minute},
		"second run 3m ahead": {second: 3 * time.Minute},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := mockcloud.Start(t, mockcloud.Options{})
			sa := m.CreateServiceAccount("skewed", "")
			first := leaseRunner(t, m, tc.first, sa.ID, "first run")
			second := leaseRunner(t, m, tc.second, sa.ID, "second run")

			// The first run's key waits several leases (so across renewals).
			m.SetPropagationDelay(4 * leaseTestLease)
			p := first.Start(applyArgs...)
			p.WaitUntil("the first run's key waits", func() bool { return markedKeys(m) == 1 })
			out := second.MustRun(0, applyArgs...).Output()
			if strings.Contains(out, "Deleted abandoned API keys") {
				t.Errorf("the second run deleted keys as abandoned:\n%s", out)
			}
			if res := p.Wait(); res.ExitCode != 0 {
				t.Fatalf("the first run failed:\n%s", res.Output())
			}
			if n := deletedKeys(m); n != 0 {
				t.Errorf("%d keys were deleted; want 0", n)
			}
			inState := append(workspaceKeyIDs(first), workspaceKeyIDs(second)...)
			if len(inState) != 2 || len(m.APIKeys()) != 2 || markedKeys(m) != 0 {
				t.Errorf("state holds %v, the mock %d keys (%d marked); want the two keys, unmarked", inState, len(m.APIKeys()), markedKeys(m))
			}
		})
	}
}

// TestAccAPIKeyLease_starvedRenewals answers every lease renewal 429 for
// more than twice the lease while another run of the same owner plans again
// and again (each plan's refresh lists the owner's keys and sweeps them):
// the first run's waiting key must survive, and its apply succeed.
func TestAccAPIKeyLease_starvedRenewals(t *testing.T) {
	t.Parallel()
	m := mockcloud.Start(t, mockcloud.Options{})
	sa := m.CreateServiceAccount("starved", "")
	first := leaseRunner(t, m, 0, sa.ID, "first run")
	planner := leaseRunner(t, m, 0, sa.ID, "planner")
	planner.MustRun(0, applyArgs...)

	const starved = 2*leaseTestLease + 2*time.Second
	m.SetPropagationDelay(starved + 2*leaseTestLease)
	p := first.Start(applyArgs...)
	p.WaitUntil("the first run's key waits", func() bool { return markedKeys(m) == 1 })
	const route = "PATCH /iam/v2/api-keys/{id}"
	fault := m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultStatus, Status: 429, RetryAfter: time.Second})
	plans := 0
	for end := time.Now().Add(starved); time.Now().Before(end); plans++ {
		out := planner.MustRun(0, "plan", "-no-color", "-input=false").Output()
		if strings.Contains(out, "Deleted abandoned API keys") {
			t.Errorf("a plan deleted keys as abandoned while the first run's renewals were refused:\n%s", out)
		}
	}
	throttled := m.RequestCounts()[route]
	m.RemoveFault(fault)
	t.Logf("%d plans and %d throttled renewals in %s of refused renewals", plans, throttled, starved)
	if throttled < 3 {
		t.Errorf("%d renewals were throttled; the test needs the keeper to keep trying", throttled)
	}
	if res := p.Wait(); res.ExitCode != 0 {
		t.Fatalf("the starved run failed:\n%s", res.Output())
	}
	if n := deletedKeys(m); n != 0 {
		t.Errorf("%d keys were deleted; want 0", n)
	}
	if n := len(m.APIKeys()); n != 2 || markedKeys(m) != 0 {
		t.Errorf("the mock holds %d keys, %d marked; want the two runs' keys, unmarked", n, markedKeys(m))
	}
}
