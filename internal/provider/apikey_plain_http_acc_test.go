// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// plainHTTPKafkaBase is the Kafka endpoint the mock answers in the tests of
// this file: plain HTTP to a host that is not a loopback address.
const plainHTTPKafkaBase = "http://kafka.example.com:8082"

// plainHTTPKafkaProbe is the probe URL the provider builds from it.
var plainHTTPKafkaProbe = plainHTTPKafkaBase + "/kafka/v3/clusters/" + acctest.KafkaClusterID + "/topics"

// egressRecorder is the transport under the provider's HTTP client in these
// tests: it sees every request the provider sends, records its host and the
// key ID of its Basic credentials, and refuses (sends nothing for) any
// request to a host that is not a loopback address, so that a test can
// tell whether one was attempted without depending on DNS.
type egressRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []egress
}

// egress is one request the provider tried to send.
type egress struct {
	url   string
	keyID string
}

func newEgressRecorder() *egressRecorder {
	return &egressRecorder{next: cleanhttp.DefaultPooledTransport()}
}

// RoundTrip implements http.RoundTripper.
func (r *egressRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	keyID, _, _ := req.BasicAuth()
	r.mu.Lock()
	r.sent = append(r.sent, egress{url: req.URL.Redacted(), keyID: keyID})
	r.mu.Unlock()
	if !ccloud.IsLoopbackHost(req.URL.Hostname()) {
		return nil, fmt.Errorf("test transport: not sending to %s, which is not a loopback host", req.URL.Hostname())
	}
	return r.next.RoundTrip(req)
}

// offMachine returns the requests the provider tried to send to a host that
// is not a loopback address.
func (r *egressRecorder) offMachine() []egress {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []egress
	for _, e := range r.sent {
		if !strings.HasPrefix(e.url, "http://127.0.0.1:") && !strings.HasPrefix(e.url, "http://localhost:") {
			out = append(out, e)
		}
	}
	return out
}

// sentWithKey returns the requests that carried keyID's credentials.
func (r *egressRecorder) sentWithKey(keyID string) []egress {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []egress
	for _, e := range r.sent {
		if e.keyID == keyID {
			out = append(out, e)
		}
	}
	return out
}

// newPlainHTTPEnv starts a mock whose default Kafka cluster reports the
// plain-HTTP endpoint once setPlain is called, and a provider whose every
// request goes through the returned recorder.
func newPlainHTTPEnv(t *testing.T) (*acctest.Env, *egressRecorder) {
	t.Helper()
	rec := newEgressRecorder()
	env := acctest.NewWithProvider(t, mockcloud.Options{}, provider.Options{HTTPClient: &http.Client{Transport: rec}})
	t.Cleanup(func() {
		if off := rec.offMachine(); len(off) > 0 {
			t.Errorf("the provider tried to send %d request(s) off the machine: %v", len(off), off)
		}
	})
	return env, rec
}

// ownerKeys returns the IDs of the keys the mock holds for owner.
func ownerKeys(m *mockcloud.Server, owner string) []string {
	var out []string
	for _, k := range m.APIKeys() {
		if k.Spec.Owner != nil && k.Spec.Owner.ID == owner {
			out = append(out, k.ID)
		}
	}
	return out
}

// TestAccKafkaAPIKey_plainHTTPDataPlaneRefused has the API answer a Kafka
// cluster whose HTTP endpoint is http:// to another host. The create fails
// before any key exists, with an error that names the endpoint and the way
// out and holds no secret; no key is in the mock or in state, and nothing
// was sent off the machine. With wait_for_ready = false, the way out, the
// key is created and its secret is sent nowhere.
func TestAccKafkaAPIKey_plainHTTPDataPlaneRefused(t *testing.T) {
	t.Parallel()
	env, rec := newPlainHTTPEnv(t)
	env.Mock.SetDataPlaneBase(acctest.KafkaClusterID, plainHTTPKafkaBase)
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	ctx := context.Background()

	w := env.Terraform(t, env.Config(c.config(owner, "")))
	res := w.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	out := res.Output()
	if res.ExitCode != 1 {
		t.Fatalf("apply exited %d, want 1:\n%s", res.ExitCode, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Error creating Kafka API key", "No API key was created", plainHTTPKafkaProbe,
		`the host "kafka.example.com", which is not a loopback address`, "sent nothing there", "https://",
		"set wait_for_ready = false on this " + c.typ} {
		if !strings.Contains(flat, want) {
			t.Errorf("the error does not say %q:\n%s", want, out)
		}
	}
	_, cloudSecret := env.Mock.Credentials()
	if strings.Contains(out, cloudSecret) {
		t.Errorf("the output holds the Cloud API secret:\n%s", out)
	}
	if n := env.Mock.RequestCounts()["POST /iam/v2/api-keys"]; n != 0 {
		t.Errorf("%d create request(s) reached the mock; the endpoint should be checked before the key is created", n)
	}
	if keys := ownerKeys(env.Mock, owner); len(keys) != 0 {
		t.Errorf("the mock holds keys %v of %s; want none", keys, owner)
	}
	if list := w.MustRun(0, "state", "list", "-no-color").Stdout; strings.TrimSpace(list) != "" {
		t.Errorf("state holds %q after the refused create; want nothing (not even a tainted key)", list)
	}
	if len(rec.sent) == 0 {
		t.Fatal("the recorder saw no request: is it under the provider's client?")
	}

	// The way out the error names: no check, so nothing is probed.
	w.WriteConfig(env.Config(c.config(owner, "  wait_for_ready = false")))
	w.MustRun(0, "apply", "-auto-approve", "-input=false", "-no-color")
	keys := ownerKeys(env.Mock, owner)
	if len(keys) != 1 {
		t.Fatalf("the mock holds keys %v of %s; want one", keys, owner)
	}
	if sent := rec.sentWithKey(keys[0]); len(sent) != 0 {
		t.Errorf("key %s's credentials were sent %d time(s) without a check: %v", keys[0], len(sent), sent)
	}
}

// TestAccKafkaAPIKey_plainHTTPDataPlaneRotation rotates a grace-period key
// after the cluster's endpoint has turned into plain HTTP to another host:
// the rotation fails before a new key exists, the old key stays current and
// is the owner's only key, and nothing was sent off the machine.
func TestAccKafkaAPIKey_plainHTTPDataPlaneRotation(t *testing.T) {
	t.Parallel()
	env, _ := newPlainHTTPEnv(t)
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]
	addr := c.addr()
	var first string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config:            env.Config(graceKeyConfig(c, owner, "1", "")),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(addr, &first)},
			},
			{
				PreConfig: func() { env.Mock.SetDataPlaneBase(acctest.KafkaClusterID, plainHTTPKafkaBase) },
				Config:    env.Config(graceKeyConfig(c, owner, "2", "")),
				ExpectError: regexp.MustCompile(`(?s)Error rotating Kafka API key.*No\s+API\s+key\s+was\s+created.*` +
					regexp.QuoteMeta(plainHTTPKafkaProbe) + `.*not\s+a\s+loopback\s+address.*still\s+the\s+current\s+key\s+and\s+nothing\s+was\s+retired`),
			},
			{
				// Back on the first trigger, nothing is to change: the
				// failed rotation left the first key current and alone.
				Config: env.Config(graceKeyConfig(c, owner, "1", "")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&first)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("previous_keys"), knownvalue.ListExact(nil)),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		},
	})
	if keys := ownerKeys(env.Mock, owner); len(keys) != 0 {
		t.Errorf("after destroy the mock holds %v", keys)
	}
	if n := env.Mock.RequestCounts()["POST /iam/v2/api-keys"]; n != 1 {
		t.Errorf("%d create request(s) reached the mock; want 1 (the first key only)", n)
	}
}

// TestAccKafkaAPIKeyEphemeral_plainHTTPDataPlaneRefused opens an ephemeral
// Kafka key at a cluster whose endpoint is plain HTTP to another host: the
// open fails before a key exists and nothing is sent off the machine.
func TestAccKafkaAPIKeyEphemeral_plainHTTPDataPlaneRefused(t *testing.T) {
	t.Parallel()
	env, _ := newPlainHTTPEnv(t)
	env.Mock.SetDataPlaneBase(acctest.KafkaClusterID, plainHTTPKafkaBase)
	owner := env.Mock.CreateServiceAccount("orders-app", "").ID
	c := keyCases["kafka"]

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{{
			// The key feeds an aliased provider that a data source uses, so
			// Terraform must open it.
			Config: env.Config(strings.Replace(c.config(owner, ""), "resource ", "ephemeral ", 1) + fmt.Sprintf(`
provider "ccloud" {
  alias            = "use"
  endpoint         = %q
  cloud_api_key    = ephemeral.%s.test.id
  cloud_api_secret = ephemeral.%s.test.secret
}

data "ccloud_service_accounts" "all" {
  provider = ccloud.use
}
`, env.Mock.URL(), c.typ, c.typ)),
			ExpectError: regexp.MustCompile(`(?s)Error creating Kafka API key.*No\s+API\s+key\s+was\s+created.*` +
				regexp.QuoteMeta(plainHTTPKafkaProbe)),
		}},
	})
	if n := env.Mock.RequestCounts()["POST /iam/v2/api-keys"]; n != 0 {
		t.Errorf("%d create request(s) reached the mock; want none", n)
	}
	if keys := ownerKeys(env.Mock, owner); len(keys) != 0 {
		t.Errorf("the mock holds keys %v of %s; want none", keys, owner)
	}
}
