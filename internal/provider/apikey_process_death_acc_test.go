// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// The process-death tests run the real terraform binary with the built
// provider (through dev_overrides) against an in-process mock, SIGKILL
// terraform or the provider process at a chosen moment of an apply, and
// apply again: the mock must then hold exactly the keys in state, and where
// keys were left behind the re-apply must say which abandoned keys it
// deleted.
//
// When terraform dies, the provider notices the closed connection, which
// cancels its calls, and cleans up at once. When the provider itself dies,
// its keys' leases run out only by time, so those tests shorten the lease
// with the test hook.

// shortLease is the lease of the tests that kill the provider: the
// smallest the hook accepts, so that its keys are swept seconds later.
const shortLease = "3s"

// shortLeaseDuration is shortLease as a duration.
const shortLeaseDuration = 3 * time.Second

var applyArgs = []string{"apply", "-auto-approve", "-no-color", "-input=false"}

// newDeathWorkspace returns a workspace whose terraform runs the built
// provider against m, through endpoint when it is not empty, with the
// create lease set to lease when it is not empty, and configured with keys
// keys.
func newDeathWorkspace(t *testing.T, m *mockcloud.Server, endpoint, lease string, keys int) *acctest.Workspace {
	t.Helper()
	if endpoint == "" {
		endpoint = m.URL()
	}
	key, secret := m.Credentials()
	w := acctest.NewWorkspace(t).UseBuiltProvider().Setenv(
		provider.EnvEndpoint+"="+endpoint, provider.EnvCloudAPIKey+"="+key, provider.EnvCloudAPISecret+"="+secret)
	if lease != "" {
		w.Setenv(provider.EnvCreateLease + "=" + lease)
	}
	w.WriteConfig(processDeathConfig(keys, "1"))
	return w
}

// startWaitingApply starts an apply and returns once keys keys carry a
// create marker in m: created, and waiting to work.
func startWaitingApply(w *acctest.Workspace, m *mockcloud.Server, keys int) *acctest.Process {
	p := w.Start(applyArgs...)
	p.WaitUntil("every new key waits", func() bool { return markedKeys(m) == keys })
	return p
}

// processDeathConfig is one service account with keys Kafka keys, each
// replaced when trigger changes.
func processDeathConfig(keys int, trigger string) string {
	return fmt.Sprintf(`provider "ccloud" {
  max_retries = 3
}

resource "ccloud_service_account" "app" {
  display_name = "process-death"
}

resource "ccloud_kafka_api_key" "k" {
  count             = %d
  owner_id          = ccloud_service_account.app.id
  cluster_id        = %q
  environment_id    = %q
  description       = "key ${count.index}"
  rotation_triggers = { v = %q }
  lifecycle {
    create_before_destroy = true
  }
}
`, keys, acctest.KafkaClusterID, acctest.EnvironmentID, trigger)
}

// markedKeys counts the mock's keys that still carry a create marker.
func markedKeys(m *mockcloud.Server) int {
	n := 0
	for _, k := range m.APIKeys() {
		if strings.Contains(k.Spec.Description, keyengine.CreateMarkerPrefix) {
			n++
		}
	}
	return n
}

// workspaceKeyIDs returns the sorted IDs of the API keys in w's state.
func workspaceKeyIDs(w *acctest.Workspace) []string {
	_, keys := acctest.StateIDs(w.StateObjects())
	return keys
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitLeasesExpired waits until no key carries a create marker whose lease
// still runs: after terraform dies, the provider process it left behind
// notices the closed connection, which cancels its calls, and expires its
// leases.
func waitLeasesExpired(t *testing.T, m *mockcloud.Server) {
	t.Helper()
	waitFor(t, "the killed run's leases to be expired", func() bool {
		for _, k := range m.APIKeys() {
			if d, ok := keyengine.MarkerDeadline(k.Spec.Description); ok && time.Now().Before(d) {
				return false
			}
		}
		return true
	})
}

// waitLeasesSweepable waits until every create marker's lease is past the
// sweep's margin (a further lease plus five seconds, eight seconds with the
// short lease): a killed provider expires nothing, so its keys become
// sweepable only by time. The API's time as the provider knows it lags up
// to a second behind (the Date header's resolution), hence the extra
// second; the margin is computed by keyengine.ClassifyLease, the sweep's
// own rule.
func waitLeasesSweepable(t *testing.T, m *mockcloud.Server) {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("waited %s for the leases to run out", time.Since(start).Round(time.Millisecond)) }()
	waitFor(t, "the killed provider's leases to run out", func() bool {
		for _, k := range m.APIKeys() {
			// The sweeping run has the short lease too.
			l := keyengine.ClassifyLease(k, time.Now(), shortLeaseDuration)
			if l.State == keyengine.LeaseRunning && time.Now().Before(l.AbandonedAt.Add(time.Second)) {
				return false
			}
		}
		return true
	})
}

// reapplyAfterTerraformKill waits for the provider that terraform left
// behind to expire its leases, lets new keys work at once, and applies
// again: the re-apply must delete the abandoned keys and say so.
func reapplyAfterTerraformKill(t *testing.T, w *acctest.Workspace, m *mockcloud.Server, keys int) {
	t.Helper()
	waitLeasesExpired(t, m)
	m.SetPropagationDelay(0)
	reapply(t, w, m, keys, true)
}

// checkConverged asserts that the mock holds exactly the keys in state,
// want of them, none carrying a create marker.
func checkConverged(t *testing.T, w *acctest.Workspace, m *mockcloud.Server, want int) {
	t.Helper()
	inState := workspaceKeyIDs(w)
	inMock := mockKeyIDs(m)
	if d := duplicates(inState); len(d) > 0 {
		t.Errorf("state tracks keys %v more than once", d)
	}
	if !reflect.DeepEqual(inState, inMock) || len(inState) != want {
		t.Fatalf("after the re-apply the state holds %d keys %v and the mock %d keys %v; want the same %d keys",
			len(inState), inState, len(inMock), inMock, want)
	}
	if n := markedKeys(m); n != 0 {
		t.Errorf("%d keys still carry a create marker", n)
	}
}

// reapply applies again and checks that it converged, and, when swept is
// set, that it told the user which abandoned keys it deleted.
func reapply(t *testing.T, w *acctest.Workspace, m *mockcloud.Server, keys int, swept bool) {
	t.Helper()
	start := time.Now()
	out := w.MustRun(0, applyArgs...).Output()
	t.Logf("the re-apply took %s", time.Since(start).Round(time.Millisecond))
	checkConverged(t, w, m, keys)
	if swept && !strings.Contains(out, "Deleted abandoned API keys") {
		t.Errorf("the re-apply did not tell which abandoned keys it deleted:\n%s", out)
	}
	t.Logf("after the re-apply: %d keys in the mock, %d in state", len(m.APIKeys()), len(workspaceKeyIDs(w)))
}

// killProvider kills the provider process of the apply p, checks that
// terraform reported its death, and that the mock then holds keys marked
// keys that state does not track.
func killProvider(t *testing.T, p *acctest.Process, w *acctest.Workspace, m *mockcloud.Server, keys int, when string) {
	t.Helper()
	pids := p.KillProvider()
	if res := p.Wait(); res.ExitCode == 0 || !strings.Contains(res.Output(), "Plugin did not respond") {
		t.Fatalf("terraform exited %d without reporting the provider's death:\n%s", res.ExitCode, res.Output())
	}
	logKill(t, fmt.Sprintf("provider %v killed %s", pids, when), w, m)
	if n, tracked := markedKeys(m), len(workspaceKeyIDs(w)); n != keys || tracked != 0 {
		t.Fatalf("after the kill the mock holds %d marked keys and state %d keys, want %d and 0", n, tracked, keys)
	}
}

// logKill records what the kill left: keys in the mock and in state.
func logKill(t *testing.T, what string, w *acctest.Workspace, m *mockcloud.Server) {
	t.Helper()
	t.Logf("%s: %d keys in the mock, %d in state", what, len(m.APIKeys()), len(workspaceKeyIDs(w)))
}

// TestAccProcessDeath_killDuringWait kills terraform while every key of an
// apply waits to work, then applies again.
func TestAccProcessDeath_killDuringWait(t *testing.T) {
	t.Parallel()
	const keys = 5
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: time.Minute})
	w := newDeathWorkspace(t, m, "", "", keys)

	out := startWaitingApply(w, m, keys).Kill().Output()
	logKill(t, "terraform killed while keys wait", w, m)
	if orphans := len(m.APIKeys()) - len(workspaceKeyIDs(w)); orphans != keys {
		t.Fatalf("expected %d untracked keys right after the kill, found %d:\n%s", keys, orphans, out)
	}
	reapplyAfterTerraformKill(t, w, m, keys)
}

// TestAccProcessDeath_killDuringRotation kills terraform while the new keys
// of a create_before_destroy rotation wait to work, then applies again.
func TestAccProcessDeath_killDuringRotation(t *testing.T) {
	t.Parallel()
	const keys = 3
	m := mockcloud.Start(t, mockcloud.Options{})
	w := newDeathWorkspace(t, m, "", "", keys)
	w.MustRun(0, applyArgs...)
	checkConverged(t, w, m, keys)

	m.SetPropagationDelay(time.Minute)
	w.WriteConfig(processDeathConfig(keys, "2"))
	startWaitingApply(w, m, keys).Kill()
	logKill(t, "terraform killed during the rotation", w, m)
	if n := len(m.APIKeys()); n != 2*keys {
		t.Fatalf("the mock holds %d keys during the rotation, want %d (old and new)", n, 2*keys)
	}
	reapplyAfterTerraformKill(t, w, m, keys)
}

// TestAccProcessDeath_killProviderDuringWait kills the provider process,
// not terraform, while every key of an apply waits to work. Nothing expires
// the leases then: the keys are swept once their short lease and the
// sweep's margin have passed.
func TestAccProcessDeath_killProviderDuringWait(t *testing.T) {
	t.Parallel()
	const keys = 3
	start := time.Now()
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: time.Minute})
	w := newDeathWorkspace(t, m, "", shortLease, keys)

	p := startWaitingApply(w, m, keys)
	killProvider(t, p, w, m, keys, "while keys wait")
	waitLeasesSweepable(t, m)
	m.SetPropagationDelay(0)
	reapply(t, w, m, keys, true)
	t.Logf("wall %s", time.Since(start).Round(time.Millisecond))
}

// TestAccProcessDeath_killProviderDuringRotation kills the provider
// process while the new keys of a create_before_destroy rotation wait to
// work: state keeps the old keys, and the next apply rotates them again,
// sweeps the killed run's new keys once their lease has run out, and ends
// with exactly the keys in state.
func TestAccProcessDeath_killProviderDuringRotation(t *testing.T) {
	t.Parallel()
	const keys = 3
	m := mockcloud.Start(t, mockcloud.Options{})
	w := newDeathWorkspace(t, m, "", shortLease, keys)
	w.MustRun(0, applyArgs...)
	checkConverged(t, w, m, keys)
	old := workspaceKeyIDs(w)

	m.SetPropagationDelay(time.Minute)
	w.WriteConfig(processDeathConfig(keys, "2"))
	p := startWaitingApply(w, m, keys)
	pids := p.KillProvider()
	if res := p.Wait(); res.ExitCode == 0 || !strings.Contains(res.Output(), "Plugin did not respond") {
		t.Fatalf("terraform exited %d without reporting the provider's death:\n%s", res.ExitCode, res.Output())
	}
	logKill(t, fmt.Sprintf("provider %v killed during the rotation", pids), w, m)
	if n, marked := len(m.APIKeys()), markedKeys(m); n != 2*keys || marked != keys {
		t.Fatalf("after the kill the mock holds %d keys, %d of them marked; want %d and %d", n, marked, 2*keys, keys)
	}
	if got := workspaceKeyIDs(w); !reflect.DeepEqual(got, old) {
		t.Fatalf("after the kill state holds %v, want the old keys %v", got, old)
	}

	waitLeasesSweepable(t, m)
	m.SetPropagationDelay(0)
	reapply(t, w, m, keys, true)
	for _, id := range old {
		if slices.Contains(mockKeyIDs(m), id) {
			t.Errorf("old key %s survived the rotation", id)
		}
	}
}

// holdingProxy forwards to the mock but holds the answers to key creates,
// which the mock has acted on, until released or until the caller gives
// up: a create whose key exists but whose answer never reaches the
// provider.
type holdingProxy struct {
	release chan struct{}

	mu   sync.Mutex
	held int
}

func startHoldingProxy(t *testing.T, target string) (*holdingProxy, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{release: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	// A held answer whose caller died is an expected error, not news.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method != http.MethodPost || resp.Request.URL.Path != "/iam/v2/api-keys" {
			return nil
		}
		p.mu.Lock()
		p.held++
		p.mu.Unlock()
		select {
		case <-p.release:
			return nil
		case <-resp.Request.Context().Done():
			return resp.Request.Context().Err()
		}
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(func() {
		p.stopHolding()
		srv.Close()
	})
	return p, srv.URL
}

// heldCreates returns how many create answers the proxy has held.
func (p *holdingProxy) heldCreates() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// stopHolding lets every answer through from now on.
func (p *holdingProxy) stopHolding() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// startHeldApply starts an apply of keys keys whose create answers a proxy
// holds, and returns once the mock has created every key and every answer
// is held.
func startHeldApply(t *testing.T, keys int, lease string) (*mockcloud.Server, *acctest.Workspace, *holdingProxy, *acctest.Process) {
	t.Helper()
	m := mockcloud.Start(t, mockcloud.Options{})
	proxy, endpoint := startHoldingProxy(t, m.URL())
	w := newDeathWorkspace(t, m, endpoint, lease, keys)
	p := w.Start(applyArgs...)
	p.WaitUntil("the mock has created every key and its answer is held", func() bool {
		return proxy.heldCreates() == keys && len(m.APIKeys()) == keys
	})
	return m, w, proxy, p
}

// TestAccProcessDeath_killTerraformDuringCreate kills terraform while the
// mock has created every key but the answers to the creates have not
// reached the provider, which therefore never learns the keys' IDs or
// secrets. The provider, left behind, sees its calls cancelled and deletes
// the keys its lost creates made.
func TestAccProcessDeath_killTerraformDuringCreate(t *testing.T) {
	t.Parallel()
	const keys = 3
	start := time.Now()
	m, w, proxy, p := startHeldApply(t, keys, "")
	p.Kill()
	logKill(t, "terraform killed with every create's answer held", w, m)
	if tracked := len(workspaceKeyIDs(w)); tracked != 0 {
		t.Fatalf("state tracks %d keys whose creates were never answered", tracked)
	}
	waitFor(t, "the provider to delete the keys of its lost creates", func() bool { return len(m.APIKeys()) == 0 })
	logKill(t, "after the provider cleaned up", w, m)
	proxy.stopHolding()
	reapply(t, w, m, keys, false)
	t.Logf("wall %s", time.Since(start).Round(time.Millisecond))
}

// TestAccProcessDeath_killProviderDuringCreate kills the provider process
// while the mock has created every key but the answers are held. No
// process knows the keys then; each carries only its create marker, whose
// short lease runs out, and the re-apply sweeps them.
func TestAccProcessDeath_killProviderDuringCreate(t *testing.T) {
	t.Parallel()
	const keys = 3
	start := time.Now()
	m, w, proxy, p := startHeldApply(t, keys, shortLease)
	killProvider(t, p, w, m, keys, "with every create's answer held")
	proxy.stopHolding()
	waitLeasesSweepable(t, m)
	reapply(t, w, m, keys, true)
	t.Logf("wall %s", time.Since(start).Round(time.Millisecond))
}
