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
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// secretCollector gathers every secret a test must never see outside the
// secret attribute of state, and the JSON documents to search.
type secretCollector struct {
	mu      sync.Mutex
	secrets map[string]string // secret -> what it is
	plans   [][]byte
	states  [][]byte
	// sensitiveChecked counts key changes whose plan marked the secret
	// sensitive.
	sensitiveChecked int
}

func (c *secretCollector) add(secret, what string) {
	if secret == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets[secret] = what
}

// addKeyCredentials records a key's secret and the forms it takes on the
// wire: the Basic credentials "id:secret" and their base64 encoding.
func (c *secretCollector) addKeyCredentials(id, secret, what string) {
	if secret == "" {
		return
	}
	c.add(secret, what+" secret")
	c.add(base64.StdEncoding.EncodeToString([]byte(id+":"+secret)), what+" Basic credentials")
}

// planCheck keeps the JSON plan and checks that every planned key secret is
// marked sensitive.
type planCheck struct{ c *secretCollector }

func (p planCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	p.c.mu.Lock()
	defer p.c.mu.Unlock()
	p.c.plans = append(p.c.plans, b)
	for _, rc := range req.Plan.ResourceChanges {
		if !strings.HasSuffix(rc.Type, "_api_key") || rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Delete() {
			continue
		}
		after, _ := rc.Change.AfterSensitive.(map[string]any)
		if after["secret"] != true {
			resp.Error = fmt.Errorf("the plan of %s does not mark secret sensitive: after_sensitive %v", rc.Address, rc.Change.AfterSensitive)
			return
		}
		if before, ok := rc.Change.Before.(map[string]any); ok && before["secret"] != nil {
			bs, _ := rc.Change.BeforeSensitive.(map[string]any)
			if bs["secret"] != true {
				resp.Error = fmt.Errorf("the plan of %s does not mark the prior secret sensitive", rc.Address)
				return
			}
		}
		p.c.sensitiveChecked++
	}
}

// stateCheck keeps the JSON state, as terraform show -json renders it, and
// records the secret of every key in state as the mock knows it, after
// checking that a secret state holds is the key's.
type stateCheck struct {
	c *secretCollector
	m *mockcloud.Server
}

func (s stateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	s.c.mu.Lock()
	s.c.states = append(s.c.states, b)
	s.c.mu.Unlock()
	if req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the state holds no keys")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if !strings.HasSuffix(r.Type, "_api_key") {
			continue
		}
		id, _ := r.AttributeValues["id"].(string)
		secret, ok := s.m.APIKeySecret(id)
		if !ok {
			resp.Error = fmt.Errorf("key %s of %s is not in the mock", id, r.Address)
			return
		}
		if inState, _ := r.AttributeValues["secret"].(string); inState != "" && inState != secret {
			resp.Error = fmt.Errorf("%s holds a secret that is not key %s's", r.Address, id)
			return
		}
		s.c.addKeyCredentials(id, secret, "key "+id+" ("+r.Address+")")
	}
}

// withoutSecretAttributes drops the values of every "secret" object key
// from a JSON document: the one place a key secret may be.
func withoutSecretAttributes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if k == "secret" {
				out[k] = "[the secret attribute]"
				continue
			}
			out[k] = withoutSecretAttributes(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutSecretAttributes(val)
		}
		return out
	default:
		return v
	}
}

// findSecrets returns where any collected secret occurs in text.
func (c *secretCollector) findSecrets(where string, text []byte) []string {
	var found []string
	for secret, what := range c.secrets {
		if n := strings.Count(string(text), secret); n > 0 {
			found = append(found, fmt.Sprintf("%s: %d occurrence(s) of the %s", where, n, what))
		}
	}
	sort.Strings(found)
	return found
}

// authorizationHeader matches a logged Authorization header with a value.
var authorizationHeader = regexp.MustCompile(`(?i)authorization"?\s*[:=]\s*"?\[?\s*"?(basic|bearer)\s+[A-Za-z0-9+/=]{8,}`)

// TestAccSecretHygiene_lifecycle creates a Cloud key and a Kafka key,
// rotates them with create_before_destroy, imports one with its secret
// from the environment, fails a create, and destroys everything, with
// Terraform's and the provider's logs at TRACE going to a file. No secret
// (the provider's Cloud API secret or any key's) and no Authorization
// header may appear in the logs, in the JSON plans, or in the JSON states
// except as the secret attribute; every planned secret must be sensitive.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccSecretHygiene_lifecycle(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
		"TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CCLOUD_API", "TF_LOG_SDK_HELPER_SCHEMA"} {
		t.Setenv(v, "TRACE")
	}
	// Secrets of both the provider and keys would sit in the files
	// Terraform writes into the working directory; make sure nobody keeps
	// them afterwards.
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "")

	env := acctest.New(t, mockcloud.Options{})
	adminKey, adminSecret := env.Mock.Credentials()
	col := &secretCollector{secrets: map[string]string{}}
	col.add(adminSecret, "provider's Cloud API secret")
	col.add(base64.StdEncoding.EncodeToString([]byte(adminKey+":"+adminSecret)), "provider's Basic credentials")
	// The Cloud API secret comes from the environment, as the docs advise:
	// written into the provider block it would be part of the configuration,
	// which Terraform itself logs and renders in the JSON plan.
	t.Setenv(provider.EnvCloudAPISecret, adminSecret)
	providerBlock := fmt.Sprintf(`provider "ccloud" {
  endpoint      = %q
  cloud_api_key = %q
  max_retries   = 3
}
`, env.Mock.URL(), adminKey)
	config := func(hcl string) string { return providerBlock + hcl }

	sa := `resource "ccloud_service_account" "app" {
  display_name  = "hygiene-app"
  force_destroy = true
}
`
	keys := func(trigger string) string {
		var b strings.Builder
		for _, name := range []string{"cloud", "kafka"} {
			c := keyCases[name]
			b.WriteString(c.config("${ccloud_service_account.app.id}", fmt.Sprintf(`  display_name = "hygiene-%s"
  rotation_triggers = { version = %q }
  lifecycle {
    create_before_destroy = true
  }`, name, trigger)))
		}
		return b.String()
	}
	plans := func() resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planCheck{col}}}
	}
	states := []statecheck.StateCheck{stateCheck{col, env.Mock}}
	kafkaAddr := keyCases["kafka"].addr()
	var kafkaID string
	statesAndKafkaID := append([]statecheck.StateCheck{acctest.CaptureID(kafkaAddr, &kafkaID)}, states...)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config:            config(sa + keys("v1")),
				ConfigPlanChecks:  plans(),
				ConfigStateChecks: statesAndKafkaID,
			},
			{
				// Rotation: both keys are replaced, new ones first.
				Config:            config(sa + keys("v2")),
				ConfigPlanChecks:  plans(),
				ConfigStateChecks: statesAndKafkaID,
			},
			{
				// Import with the secret handed over through the
				// environment, the one way a secret enters by import.
				PreConfig: func() {
					secret, _ := env.Mock.APIKeySecret(kafkaID)
					t.Setenv(provider.EnvImportAPISecret, secret)
				},
				Config:                  config(sa + keys("v2")),
				ResourceName:            kafkaAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"rotation_triggers"},
			},
			{
				// A failing create of a third key: the error goes through
				// the logs, which are searched below.
				PreConfig: func() {
					t.Setenv(provider.EnvImportAPISecret, "")
					env.Mock.AddFault(mockcloud.Fault{Route: keyCreateRoute, Kind: mockcloud.FaultStatus, Status: 500})
				},
				Config:      config(sa + keys("v2") + keyCases["schema_registry"].config("${ccloud_service_account.app.id}", "")),
				ExpectError: regexp.MustCompile(`(?s)Error\s+creating\s+Schema\s+Registry\s+API\s+key.*500\s+Internal\s+Server\s+Error`),
			},
			{
				PreConfig:         env.Mock.ClearFaults,
				Config:            config(sa + keys("v2")),
				ConfigPlanChecks:  plans(),
				ConfigStateChecks: states,
			},
		},
	})
	if t.Failed() {
		return
	}

	logs, err := os.ReadFile(logPath)

	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	// The log must really hold what it is searched for: provider logs,
	// protocol traffic, API calls, and the failed create's error.
	for _, want := range []string{
		"ccloud.ccloud_api: Confluent Cloud API request", "ccloud: created API key", "path=/iam/v2/api-keys status=202",
		"Injected fault: 500", "Response contains error diagnostic", "tf_rpc=ApplyResourceChange",
	} {
		if !strings.Contains(string(logs), want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q, so it is not capturing what it should", len(logs), want)
		}
	}
	var problems []string
	problems = append(problems, col.findSecrets("TRACE log", logs)...)
	if m := authorizationHeader.FindAll(logs, 3); len(m) > 0 {
		problems = append(problems, fmt.Sprintf("TRACE log: Authorization headers such as %q", m[0][:min(len(m[0]), 24)]))
	}
	docs := map[string][][]byte{"plan JSON": col.plans, "state JSON": col.states}
	for kind, list := range docs {
		for i, b := range list {
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			rest, _ := json.Marshal(withoutSecretAttributes(v))
			problems = append(problems, col.findSecrets(fmt.Sprintf("%s %d", kind, i+1), rest)...)
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
	keySecrets := 0
	for _, what := range col.secrets {
		if strings.HasSuffix(what, " secret") && strings.HasPrefix(what, "key ") {
			keySecrets++
		}
	}
	// Two keys created, two rotated in, one imported (same as a rotated
	// one); at least four distinct key secrets were looked for.
	if keySecrets < 4 {
		t.Errorf("only %d key secrets were collected; the search would prove little", keySecrets)
	}
	if col.sensitiveChecked < 4 {
		t.Errorf("only %d planned key changes were checked for a sensitive secret", col.sensitiveChecked)
	}
	t.Logf("searched %d bytes of TRACE log, %d plans and %d states for %d secrets and credential forms: %d found",
		len(logs), len(col.plans), len(col.states), len(col.secrets), len(problems))
}
