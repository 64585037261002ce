// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

const (
	quotaKeys        = 50
	quotaLimit       = 40
	quotaParallelism = 20
)

// inFlightProxy forwards to the mock and records the peak number of key
// creates in flight at once, which shows that the apply really ran them
// concurrently rather than one after the other.
type inFlightProxy struct {
	mu             sync.Mutex
	inFlight, peak int
}

func startInFlightProxy(t *testing.T, target string) (*inFlightProxy, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &inFlightProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/iam/v2/api-keys" {
			p.mu.Lock()
			p.inFlight++
			p.peak = max(p.peak, p.inFlight)
			p.mu.Unlock()
			defer func() {
				p.mu.Lock()
				p.inFlight--
				p.mu.Unlock()
			}()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return p, srv.URL
}

func (p *inFlightProxy) peakInFlight() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// quotaConfig is one service account with quotaKeys Kafka keys. The keys
// have distinct display names so that the provider does not serialise their
// creates (it does so only for identical keys), and all of them race for
// the owner's quota.
func quotaConfig(env *acctest.Env, endpoint string) string {
	key, secret := env.Mock.Credentials()
	return acctest.ProviderBlock(endpoint, key, secret) + fmt.Sprintf(`
resource "ccloud_service_account" "owner" {
  display_name = "quota-owner"
}

resource "ccloud_kafka_api_key" "k" {
  count          = %d
  owner_id       = ccloud_service_account.owner.id
  display_name   = "quota-${count.index}"
  cluster_id     = %q
  environment_id = %q
}
`, quotaKeys, acctest.KafkaClusterID, acctest.EnvironmentID)
}

var (
	failedKeyAddr = regexp.MustCompile(`with ccloud_kafka_api_key\.k\[(\d+)\]`)
	spaces        = regexp.MustCompile(`\s+`)
)

// quotaState returns the indexes and IDs of the keys in state, and fails
// the test on a tainted or deposed key: a key that failed at the quota was
// never created, so nothing may be half-tracked.
func quotaState(t *testing.T, tf *acctest.Workspace) (indexes map[int]bool, ids []string) {
	t.Helper()
	indexes = map[int]bool{}
	for _, o := range tf.StateObjects() {
		if o.Type != "ccloud_kafka_api_key" {
			continue
		}
		if o.Tainted || o.Deposed {
			t.Errorf("%s (%s) is tainted=%v deposed=%v", o.Addr, o.ID, o.Tainted, o.Deposed)
		}
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(o.Addr, "ccloud_kafka_api_key.k["), "]"))
		if err != nil {
			t.Fatalf("unexpected address %s in state", o.Addr)
		}
		indexes[i] = true
		ids = append(ids, o.ID)
	}
	sort.Strings(ids)
	return indexes, ids
}

// checkQuotaKeys checks that the mock holds exactly the keys in state, all
// owned by the service account, none twice, and want of them, each
// authenticating with the secret state holds.
func checkQuotaKeys(t *testing.T, env *acctest.Env, tf *acctest.Workspace, ids []string, want int) {
	t.Helper()
	if d := duplicates(ids); len(d) > 0 {
		t.Errorf("state tracks keys %v more than once", d)
	}
	if got := mockKeyIDs(env.Mock); !reflect.DeepEqual(got, ids) {
		t.Errorf("the mock has %d keys %v, state tracks %d: %v", len(got), got, len(ids), ids)
	}
	if len(ids) != want {
		t.Errorf("state tracks %d keys, want %d", len(ids), want)
	}
	for _, o := range tf.StateObjects() {
		if o.Type != "ccloud_kafka_api_key" {
			continue
		}
		if secret, ok := env.Mock.APIKeySecret(o.ID); !ok || secret != o.Secret || !env.Mock.KeyAuthenticates(o.ID) {
			t.Errorf("%s (%s) does not authenticate with the secret in state", o.Addr, o.ID)
		}
	}
}

// TestAccAPIKey_quotaConcurrency creates 50 keys for one owner in one apply
// with parallelism 20 against a per-owner quota of 40. Exactly 40 keys must
// exist afterwards, in the mock and in state; each of the other 10 must
// fail with the quota error; nothing may be lost or duplicated. Raising the
// quota and applying again must converge to 50 keys, keeping the first 40.
// The test drives terraform itself because terraform-plugin-testing has no
// way to set -parallelism other than the process environment, which
// parallel tests share.
func TestAccAPIKey_quotaConcurrency(t *testing.T) {
	t.Parallel()
	acctest.SkipUnlessAcc(t)
	start := time.Now()
	env := acctest.New(t, mockcloud.Options{Quotas: mockcloud.Quotas{ClusterKeysPerServiceAccount: quotaLimit}})
	if got := len(env.Mock.APIKeys()); got != 0 {
		t.Fatalf("the mock starts with %d keys, want none", got)
	}
	// Slow creates keep many of them in flight at once, so that they
	// really race for the last places under the quota.
	env.Mock.AddFault(mockcloud.Fault{Route: keyCreateRoute, Kind: mockcloud.FaultLatency, Latency: 200 * time.Millisecond})
	proxy, endpoint := startInFlightProxy(t, env.Mock.URL())
	tf := env.Terraform(t, quotaConfig(env, endpoint))
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", quotaParallelism)}

	res := tf.Run(context.Background(), apply...)
	if res.ExitCode == 0 {
		t.Fatalf("the apply of %d keys against a quota of %d succeeded", quotaKeys, quotaLimit)
	}
	out := spaces.ReplaceAllString(res.Output(), " ")
	failed := map[int]bool{}
	for _, m := range failedKeyAddr.FindAllStringSubmatch(out, -1) {
		i, _ := strconv.Atoi(m[1])
		failed[i] = true
	}
	quotaMsg := fmt.Sprintf("a Confluent Cloud quota is exhausted: Your organization is currently limited to %d cluster API keys per service account", quotaLimit)
	if n := strings.Count(out, quotaMsg); n != quotaKeys-quotaLimit {
		t.Errorf("the apply reported %d quota errors %q, want %d; output:\n%s", n, quotaMsg, quotaKeys-quotaLimit, res.Output())
	}
	if n := strings.Count(out, "Error: "); n != quotaKeys-quotaLimit {
		t.Errorf("the apply reported %d errors, want %d (only the keys over the quota)", n, quotaKeys-quotaLimit)
	}
	indexes, ids := quotaState(t, tf)
	checkQuotaKeys(t, env, tf, ids, quotaLimit)
	// Every key is either in state or named by an error, never both.
	for i := range quotaKeys {
		if indexes[i] == failed[i] {
			t.Errorf("ccloud_kafka_api_key.k[%d]: in state %v, reported failed %v; want exactly one", i, indexes[i], failed[i])
		}
	}
	// The owner's quota was hit by creates and not by retries: each key
	// was asked for once, plus the refused ones.
	if n := len(env.Mock.Requests(keyCreateRoute)); n != quotaKeys {
		t.Errorf("the mock received %d key creates, want %d (one per key)", n, quotaKeys)
	}
	// Terraform's default parallelism is 10; more creates in flight than
	// that shows -parallelism took effect.
	if peak := proxy.peakInFlight(); peak <= 10 || peak > quotaParallelism {
		t.Errorf("at most %d key creates were in flight at once, want more than 10 and at most %d", peak, quotaParallelism)
	}
	first := ids

	env.Mock.SetQuotas(mockcloud.Quotas{ClusterKeysPerServiceAccount: quotaKeys + 10})
	if res := tf.Run(context.Background(), apply...); res.ExitCode != 0 {
		t.Fatalf("the apply after raising the quota failed (exit %d):\n%s", res.ExitCode, res.Output())
	}
	indexes, ids = quotaState(t, tf)
	checkQuotaKeys(t, env, tf, ids, quotaKeys)
	if len(indexes) != quotaKeys {
		t.Errorf("state has %d key indexes, want %d", len(indexes), quotaKeys)
	}
	if kept := missingFrom(first, setOf(ids)); len(kept) > 0 {
		t.Errorf("keys %v of the first apply were replaced or lost by the second", kept)
	}
	if res := tf.Run(context.Background(), "plan", "-detailed-exitcode", "-input=false", "-no-color"); res.ExitCode != 0 {
		t.Errorf("the plan after converging exits %d, want 0 (no changes):\n%s", res.ExitCode, res.Output())
	}
	t.Logf("quota concurrency: %d keys, quota %d, parallelism %d: first apply %d keys and %d quota errors, "+
		"after raising the quota %d keys; peak creates in flight %d; wall %s",
		quotaKeys, quotaLimit, quotaParallelism, len(first), len(failed), len(ids), proxy.peakInFlight(), time.Since(start).Round(time.Millisecond))
}
