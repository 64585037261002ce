// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// parentDeathKills is how many times TestAccProcessDeath_providerExitsAfterTerraformKill
// kills terraform.
const parentDeathKills = 5

// providerExitWithin is how long a provider whose terraform died may take
// to expire its leases and exit: the documented ten seconds, and five more
// for a loaded machine.
const providerExitWithin = 15 * time.Second

// TestAccProcessDeath_providerExitsAfterTerraformKill kills terraform five
// times while a new key waits to work, and checks each time that the
// provider process it started expires its lease and exits by itself, and
// that the lease was expired by the time it exited. A last apply then
// converges: the mock holds exactly the keys in state.
func TestAccProcessDeath_providerExitsAfterTerraformKill(t *testing.T) {
	t.Parallel()
	const keys = 2
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: time.Minute})
	w := newDeathWorkspace(t, m, "", "", keys)

	left := 0
	for i := range parentDeathKills {
		w.WriteConfig(processDeathConfig(keys, fmt.Sprint(i)))
		// The keys of earlier kills keep their expired markers until this
		// apply sweeps them, so count the leases that run.
		p := w.Start(applyArgs...)
		p.WaitUntil("every new key waits", func() bool { return len(liveLeases(m)) == keys })
		pids := p.ProviderPIDs()
		if len(pids) == 0 {
			t.Fatalf("kill %d: terraform runs no provider process:\n%s", i+1, p.Output())
		}
		p.Kill()
		alive, took := acctest.WaitProcessesGone(pids, providerExitWithin)
		left += len(alive)
		if len(alive) > 0 {
			t.Errorf("kill %d: provider processes %v still run %s after terraform was killed", i+1, alive, took.Round(time.Millisecond))
			continue
		}
		t.Logf("kill %d: the provider exited %s after terraform was killed", i+1, took.Round(time.Millisecond))
		if live := liveLeases(m); len(live) > 0 {
			t.Errorf("kill %d: the provider exited but the leases of %v still run", i+1, live)
		}
	}
	t.Logf("provider processes left after %d kills of terraform: %d", parentDeathKills, left)
	if left > 0 {
		t.FailNow()
	}
	m.SetPropagationDelay(0)
	reapply(t, w, m, keys, true)
}

// liveLeases returns the IDs of the mock's keys whose create lease still
// runs.
func liveLeases(m *mockcloud.Server) []string {
	var live []string
	for _, k := range m.APIKeys() {
		if d, ok := keyengine.MarkerDeadline(k.Spec.Description); ok && time.Now().Before(d) {
			live = append(live, k.ID)
		}
	}
	return live
}
