// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// faultSAs are the service accounts of the fault suite's configuration; each
// owns one key of every scope.
var faultSAs = []string{"a", "b", "c"}

// faultMaxApplies bounds the applies of one phase. A pipeline would give up
// too; needing more means the provider does not converge.
const faultMaxApplies = 8

// faultConfig renders the fault suite's configuration: service accounts
// with a description, and for each a key of every scope with a display name,
// a description (so the create's description restore PATCH runs), readiness
// waiting, a rotation trigger and create_before_destroy.
func faultConfig(env *acctest.Env, gen int, saDescription string) string {
	return faultConfigWith(env, gen, saDescription, "")
}

// faultConfigWith is faultConfig with extra lines in every key's body.
func faultConfigWith(env *acctest.Env, gen int, saDescription, keyExtra string) string {
	var b strings.Builder
	b.WriteString(env.ProviderConfig())
	fmt.Fprintf(&b, `
resource "ccloud_service_account" "sa" {
  for_each     = toset(%s)
  display_name = "faults-${each.key}"
  description  = %q
}
`, hclList(faultSAs), saDescription)
	scopes := make([]string, 0, len(keyCases))
	for name := range keyCases {
		scopes = append(scopes, name)
	}
	sort.Strings(scopes)
	for _, name := range scopes {
		c := keyCases[name]
		fmt.Fprintf(&b, `
resource %q "k" {
  for_each          = ccloud_service_account.sa
  owner_id          = each.value.id
  display_name      = "%s-${each.key}"
  description       = "fault suite %s key"
  wait_for_ready    = true
  rotation_triggers = { gen = "%d" }
  %s
%s

  lifecycle {
    create_before_destroy = true
  }
}
`, c.typ, name, name, gen, c.args, keyExtra)
	}
	return b.String()
}

func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// installFaults injects every kind of fault at rates that make most applies
// meet several of them. The lost-response faults come first because of
// the mock's rule that the first installed non-latency fault that fires
// wins. 429s are kept rare because the mock's Retry-After is at least a
// second. Most latency spikes stay below the client's per-attempt timeout so
// that they slow requests down and reorder concurrent ones; a few outlast
// it.
func installFaults(m *mockcloud.Server) {
	for _, route := range []string{
		"POST /iam/v2/api-keys",
		"POST /iam/v2/service-accounts",
		"PATCH /iam/v2/api-keys/{id}",
		"PATCH /iam/v2/service-accounts/{id}",
		"DELETE /iam/v2/api-keys/{id}",
		"DELETE /iam/v2/service-accounts/{id}",
	} {
		m.AddFault(mockcloud.Fault{Route: route, Kind: mockcloud.FaultLoseResponse, Rate: 0.12})
	}
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultStatus, Status: 429, RetryAfter: time.Second, Rate: 0.015})
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultStatus, Status: 500, Rate: 0.03})
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultStatus, Status: 502, Rate: 0.03})
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultStatus, Status: 503, Rate: 0.03})
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultDrop, Rate: 0.03})
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultLatency, Latency: 250 * time.Millisecond, Rate: 0.05})
	// Spikes past the client's attempt timeout: a GET, PATCH or DELETE is
	// retried, a POST becomes an unknown outcome that must be reconciled.
	m.AddFault(mockcloud.Fault{Kind: mockcloud.FaultLatency, Latency: clientTimeout + 500*time.Millisecond, Rate: 0.01})
}

// clientTimeout is the provider's per-attempt timeout in the fault suite.
const clientTimeout = time.Second

// faultRun is one run of the suite against one mock.
type faultRun struct {
	t        *testing.T
	start    time.Time
	env      *acctest.Env
	tf       *acctest.Workspace
	baseSAs  map[string]bool
	baseKeys map[string]bool
	applies  int
	failed   int
	// phases records the attempts each phase needed, for the summary.
	phases []string
	// orphans holds the IDs of every orphan found.
	orphans map[string]bool
	// dups holds the IDs of every object state tracked more than once.
	dups map[string]bool
}

// newFaultRun starts a mock that injects faults with seed, and a workspace
// with the configuration config renders for it, initialised before the
// faults are installed. A one-second attempt timeout lets latency spikes
// outlast it, as a stalled connection to the real API would.
func newFaultRun(t *testing.T, seed uint64, config func(env *acctest.Env) string) *faultRun {
	t.Helper()
	env := acctest.NewWithProvider(t, mockcloud.Options{FaultSeed: seed, PropagationDelay: 300 * time.Millisecond},
		provider.Options{Timeout: clientTimeout})
	fr := &faultRun{t: t, start: time.Now(), env: env, orphans: map[string]bool{},
		baseSAs: setOf(mockSAIDs(env)), baseKeys: setOf(mockKeyIDs(env.Mock))}
	fr.tf = env.Terraform(t, config(env))
	installFaults(env.Mock)
	return fr
}

// forEachSeed runs fn as a parallel subtest for every seed: each seed is
// one reproducible run of a fault suite.
func forEachSeed(t *testing.T, seeds []uint64, fn func(t *testing.T, seed uint64)) {
	t.Helper()
	t.Parallel()
	acctest.SkipUnlessAcc(t)
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			fn(t, seed)
		})
	}
}

// destroy converges a destroy, checks that neither state nor the mock keeps
// anything of the run, and that faults were injected at all; it returns
// the faults the mock injected over the whole run.
func (fr *faultRun) destroy() (total int, byKind map[string]int) {
	fr.t.Helper()
	fr.converge("destroy", "destroy", "-auto-approve", "-input=false", "-no-color")
	if objs := fr.tf.StateObjects(); len(objs) != 0 {
		fr.t.Errorf("destroy: state still tracks %d objects", len(objs))
	}
	if left := without(mockSAIDs(fr.env), fr.baseSAs); len(left) > 0 {
		fr.t.Errorf("destroy: the mock still has service accounts %v", left)
	}
	if left := without(mockKeyIDs(fr.env.Mock), fr.baseKeys); len(left) > 0 {
		fr.t.Errorf("destroy: the mock still has keys %v", left)
	}
	total, byKind = faultsInjected(fr.env.Mock)
	if total == 0 {
		fr.t.Error("no fault was injected: the suite tested nothing")
	}
	return total, byKind
}

var errorLine = regexp.MustCompile(`(?m)^Error: .*$`)

// firstError returns the first error line of terraform's output, for the
// log.
func firstError(out string) string {
	if m := errorLine.FindString(out); m != "" {
		return m
	}
	return "(no error line)"
}

// converge runs args (an apply or a destroy) until it succeeds, as a
// pipeline re-applying after a failure would, and checks after every
// attempt that nothing was orphaned.
func (fr *faultRun) converge(phase string, args ...string) {
	fr.t.Helper()
	for attempt := 1; attempt <= faultMaxApplies; attempt++ {
		res := fr.tf.Run(context.Background(), args...)
		fr.applies++
		fr.checkNoOrphans(fmt.Sprintf("%s attempt %d", phase, attempt))
		if res.ExitCode == 0 {
			fr.phases = append(fr.phases, fmt.Sprintf("%s=%d", phase, attempt))
			return
		}
		fr.failed++
		fr.t.Logf("%s attempt %d failed, re-applying: %s", phase, attempt, firstError(res.Output()))
	}
	fr.t.Fatalf("%s did not succeed in %d attempts", phase, faultMaxApplies)
}

// checkNoOrphans checks that every service account and key in the mock
// (other than the seed's) is tracked in state, possibly tainted or deposed,
// and that state tracks no object twice. It holds after failed applies too.
func (fr *faultRun) checkNoOrphans(when string) {
	fr.t.Helper()
	stSAs, stKeys := acctest.StateIDs(fr.tf.StateObjects())
	if d := duplicates(stSAs); len(d) > 0 {
		fr.t.Errorf("%s: state tracks service accounts %v more than once", when, d)
	}
	if d := duplicates(stKeys); len(d) > 0 {
		for _, id := range d {
			if fr.dups == nil {
				fr.dups = map[string]bool{}
			}
			fr.dups[id] = true
		}
		fr.t.Errorf("%s: state tracks keys %v more than once", when, d)
	}
	orphanSAs := missingFrom(without(mockSAIDs(fr.env), fr.baseSAs), setOf(stSAs))
	orphanKeys := missingFrom(without(mockKeyIDs(fr.env.Mock), fr.baseKeys), setOf(stKeys))
	if len(orphanSAs)+len(orphanKeys) > 0 {
		// An orphan stays one at every later check; it is counted once.
		for _, id := range append(orphanSAs, orphanKeys...) {
			fr.orphans[id] = true
		}
		fr.t.Errorf("%s: orphans in the mock, not in state: service accounts %v, keys %v", when, orphanSAs, orphanKeys)
	}
}

// checkExact checks, after a successful apply, that the mock's objects are
// exactly those in state with none tainted or deposed, that there are as
// many as the configuration asks for, and that every key in state
// authenticates with the secret state holds. It returns the key IDs.
func (fr *faultRun) checkExact(phase string) []string {
	fr.t.Helper()
	return fr.checkExactPrevious(phase, 0)
}

// checkExactPrevious is checkExact for resources that each hold prev
// previous keys (grace_period) besides their current key; those must
// authenticate too, and have no secret in state.
func (fr *faultRun) checkExactPrevious(phase string, prev int) []string {
	fr.t.Helper()
	objs := fr.tf.StateObjects()
	for _, o := range objs {
		if o.Tainted || o.Deposed {
			fr.t.Errorf("%s: %s (%s) is still tainted=%v deposed=%v after a successful apply", phase, o.Addr, o.ID, o.Tainted, o.Deposed)
		}
	}
	stSAs, stKeys := acctest.StateIDs(objs)
	mSAs := without(mockSAIDs(fr.env), fr.baseSAs)
	mKeys := without(mockKeyIDs(fr.env.Mock), fr.baseKeys)
	if !reflect.DeepEqual(stSAs, mSAs) {
		fr.t.Errorf("%s: the mock has service accounts %v, state tracks %v", phase, mSAs, stSAs)
	}
	if !reflect.DeepEqual(stKeys, mKeys) {
		fr.t.Errorf("%s: the mock has keys %v, state tracks %v", phase, mKeys, stKeys)
	}
	if want := len(faultSAs); len(stSAs) != want {
		fr.t.Errorf("%s: state has %d service accounts, want %d", phase, len(stSAs), want)
	}
	if want := len(faultSAs) * len(keyCases) * (1 + prev); len(stKeys) != want {
		fr.t.Errorf("%s: state has %d keys, want %d", phase, len(stKeys), want)
	}
	for _, o := range objs {
		if !strings.HasSuffix(o.Type, "_api_key") {
			continue
		}
		if !fr.env.Mock.KeyAuthenticates(o.ID) {
			fr.t.Errorf("%s: key %s (%s) does not authenticate", phase, o.ID, o.Addr)
		}
		if o.Previous {
			continue
		}
		if secret, ok := fr.env.Mock.APIKeySecret(o.ID); !ok || secret == "" || secret != o.Secret {
			// The secrets themselves are never printed.
			fr.t.Errorf("%s: the secret in state for %s (%s) is not the key's secret", phase, o.Addr, o.ID)
		}
	}
	return stKeys
}

// checkNoChanges runs a plan under the same faults and requires it to show
// no changes: the apply converged. A plan that fails on a fault is
// re-run; one that shows changes is an error.
func (fr *faultRun) checkNoChanges(phase string, args ...string) {
	fr.t.Helper()
	for attempt := 1; attempt <= faultMaxApplies; attempt++ {
		res := fr.tf.Run(context.Background(), append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, args...)...)
		switch res.ExitCode {
		case 0:
			return
		case 2:
			fr.t.Errorf("%s: the plan after a successful apply shows changes:\n%s", phase, res.Stdout)
			return
		}
		fr.t.Logf("%s: plan attempt %d failed, re-planning: %s", phase, attempt, firstError(res.Output()))
	}
	fr.t.Errorf("%s: no plan succeeded in %d attempts", phase, faultMaxApplies)
}

// faultsInjected counts the requests the mock answered with a fault.
func faultsInjected(m *mockcloud.Server) (total int, byKind map[string]int) {
	byKind = map[string]int{}
	for _, r := range m.Requests("") {
		if r.Fault != "" {
			total++
			byKind[r.Fault]++
		}
	}
	return total, byKind
}

// TestAccFaults_convergence runs a configuration of several service
// accounts with a key of every scope through apply, rotation and destroy
// while the mock injects every kind of fault, re-applying after each failed
// apply as a pipeline would. After every attempt nothing may be orphaned;
// after every phase the mock must hold exactly what state tracks, every key
// must authenticate with the secret in state, and a plan must show no
// changes; after destroy the mock must hold none of it. Each seed is one
// reproducible run.
func TestAccFaults_convergence(t *testing.T) {
	forEachSeed(t, []uint64{1, 2, 3, 4, 5}, func(t *testing.T, seed uint64) {
		fr := newFaultRun(t, seed, func(env *acctest.Env) string { return faultConfig(env, 1, "fault suite") })
		env := fr.env
		apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}

		fr.converge("create", apply...)
		created := fr.checkExact("create")
		fr.checkNoChanges("create")

		// Rotation: bump every key's trigger, and change the service
		// accounts' descriptions so that in-place PATCHes meet faults too.
		fr.tf.WriteConfig(faultConfig(env, 2, "fault suite, rotated"))
		fr.converge("rotate", apply...)
		rotated := fr.checkExact("rotate")
		if kept := missingFrom(created, setOf(missingFrom(created, setOf(rotated)))); len(kept) > 0 {
			t.Errorf("rotate: keys %v were not replaced", kept)
		}
		for _, sa := range env.Mock.ServiceAccounts() {
			if !fr.baseSAs[sa.ID] && sa.Description != "fault suite, rotated" {
				t.Errorf("rotate: service account %s has description %q, want the updated one", sa.ID, sa.Description)
			}
		}
		fr.checkNoChanges("rotate")

		total, byKind := fr.destroy()
		t.Logf("fault run seed=%d: faults injected %d %v, requests %d, applies needed %d (%s; failed %d), orphans %d, wall %s",
			seed, total, byKind, len(env.Mock.Requests("")), fr.applies, strings.Join(fr.phases, " "), fr.failed, len(fr.orphans), time.Since(fr.start).Round(time.Millisecond))
	})
}
