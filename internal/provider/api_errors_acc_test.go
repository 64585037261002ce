// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// apiErrorClass is one kind of failed API answer and the words the mock
// uses for it in errors[].detail.
type apiErrorClass struct {
	name   string
	status int
	// detail is a regular expression for the API's detail; spaces match
	// any white space.
	detail string
	// fault installs the failure on the given method and route.
	fault func(env *acctest.Env, method, route string)
}

func statusFault(status int) func(env *acctest.Env, method, route string) {
	return func(env *acctest.Env, method, route string) {
		env.Mock.AddFault(mockcloud.Fault{Method: method, Route: route, Kind: mockcloud.FaultStatus, Status: status, RetryAfter: time.Second})
	}
}

// apiErrorClasses are the answers every call must turn into a clear error.
// 429 and 5xx faults fire on every request, so the client's retries
// (max_retries = 3 in the test provider block) are exhausted.
var apiErrorClasses = []apiErrorClass{
	{"401", 401, `Injected fault: 401 Unauthorized.`, statusFault(401)},
	{"403", 403, `Injected fault: 403 Forbidden.`, statusFault(403)},
	{"409", 409, `Injected fault: 409 Conflict.`, statusFault(409)},
	{"402", 402, `Injected fault: 402 Payment Required.`, statusFault(402)},
	{"400", 400, `Injected fault: 400 Bad Request.`, statusFault(400)},
	{"422", 422, `Injected fault: 422 Unprocessable Entity.`, statusFault(422)},
	{"429 exhausted", 429, `Too many requests, retry after 1 seconds.`, statusFault(429)},
	{"500 exhausted", 500, `Injected fault: 500 Internal Server Error.`, statusFault(500)},
	{"502 exhausted", 502, `Injected fault: 502 Bad Gateway.`, statusFault(502)},
	{"503 exhausted", 503, `The service is temporarily unavailable; the request was not processed.`, statusFault(503)},
}

// apiErrorPattern is what every failed call's error must hold: the summary,
// the resource, the HTTP status with its text, the API's detail and the
// request ID.
func apiErrorPattern(summary, resourceName string, status int, detail string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + words(regexp.QuoteMeta(summary)) + `.*` + resourceName + `.*\b` +
		fmt.Sprint(status) + `\s+` + words(regexp.QuoteMeta(http.StatusText(status))) + `:\s+` + words(regexp.QuoteMeta(detail)) +
		`\s+\(request\s+ID\s+[0-9a-f]{32}\)`)
}

// TestAccAPIErrors_create fails the create of a key and of a service
// account with every error class, and checks the error and that nothing was
// created or recorded in state.
func TestAccAPIErrors_create(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("errors-app", "").ID
	kafka := keyCases["kafka"]
	keyConfig := env.Config(kafka.config(owner, ""))
	saConfig := env.Config(`resource "ccloud_service_account" "test" {
  display_name = "errors-sa"
}`)
	var steps []resource.TestStep
	for _, c := range apiErrorClasses {
		steps = append(steps,
			resource.TestStep{
				PreConfig: func() {
					env.Mock.ClearFaults()
					c.fault(env, "POST", acctest.KeyCreateRoute)
				},
				Config: keyConfig,
				ExpectError: apiErrorPattern("Error creating Kafka API key", `Could\s+not\s+create\s+ccloud_kafka_api_key\s+for\s+owner\s+`+owner,
					c.status, c.detail),
			},
			resource.TestStep{
				PreConfig: func() {
					env.Mock.ClearFaults()
					c.fault(env, "POST", "POST /iam/v2/service-accounts")
				},
				Config:      saConfig,
				ExpectError: apiErrorPattern("service account", `"errors-sa"`, c.status, c.detail),
			},
		)
	}
	steps = append(steps, resource.TestStep{
		PreConfig: env.Mock.ClearFaults,
		Config:    env.Config(""),
		// Nothing was created or recorded: only the owner made up front.
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.ExpectResourceCount(0),
			acctest.ExpectMockKeys(env.Mock),
			acctest.ExpectMockServiceAccountCount(env.Mock, 1),
		},
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.Factories, Steps: steps})
}

// TestAccAPIErrors_quota checks both forms of a quota error: a 402 with a
// quota_exceeded code, and a 400 whose detail says "is currently limited
// to", which a proxy in front of the mock answers. Both must name the quota
// and the create_before_destroy advice, besides status, detail and request
// ID.
func TestAccAPIErrors_quota(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("quota-app", "").ID
	existing, err := env.Mock.CreateAPIKey(owner, &mockcloudRef, "existing", "")
	if err != nil {
		t.Fatal(err)
	}
	env.Mock.SetQuotas(mockcloud.Quotas{ClusterKeysPerServiceAccount: 1})
	kafka := keyCases["kafka"]

	// The proxy answers key creates with the 400 form and passes the rest.
	target, err := url.Parse(env.Mock.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxied := httputil.NewSingleHostReverseProxy(target)
	const detail400 = "Your organization is currently limited to 2 API keys per service account"
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/iam/v2/api-keys" {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "0123456789abcdef0123456789abcdef")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"errors":[{"id":"e1","status":"400","code":"invalid_input","title":"Bad Request","detail":%q,"source":{}}]}`, detail400)
			return
		}
		proxied.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	key, secret := env.Mock.Credentials()
	advice := `A\s+rotation\s+with\s+create_before_destroy\s+needs\s+one\s+extra\s+key`

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{
				Config: env.Config(kafka.config(owner, "")),
				ExpectError: regexp.MustCompile(`(?s)Error\s+creating\s+Kafka\s+API\s+key.*ccloud_kafka_api_key.*quota\s+is\s+exhausted:\s+` +
					words(`Your organization is currently limited to 1 cluster API keys per service account`) + `.*` + advice +
					`.*402\s+Payment\s+Required.*request\s+ID\s+[0-9a-f]{32}`),
			},
			{
				Config: acctest.ProviderBlock(proxy.URL, key, secret) + kafka.config(owner, ""),
				ExpectError: regexp.MustCompile(`(?s)Error\s+creating\s+Kafka\s+API\s+key.*ccloud_kafka_api_key.*quota\s+is\s+exhausted:\s+` +
					words(detail400) + `.*` + advice + `.*400\s+Bad\s+Request.*request\s+ID\s+0123456789abcdef0123456789abcdef`),
			},
			{
				Config:            env.Config(""),
				ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeys(env.Mock, &existing.ID)},
			},
		},
	})
}

// TestAccAPIErrors_readKeepsState refreshes a service account and a key
// while every read fails with each error class: the plan fails with a clear
// error and both stay in state. Only a real deletion removes them.
func TestAccAPIErrors_readKeepsState(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config := env.Config(`resource "ccloud_service_account" "test" {
  display_name = "read-errors"
  force_destroy = true
}
` + keyCases["kafka"].config("${ccloud_service_account.test.id}", "  wait_for_ready = false"))
	var saID, keyID string
	keyAddr := keyCases["kafka"].addr()
	unchanged := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("ccloud_service_account.test", tfjsonpath.New("id"), acctest.StringAt(&saID)),
		statecheck.ExpectKnownValue(keyAddr, tfjsonpath.New("id"), acctest.StringAt(&keyID)),
		acctest.ExpectMockKeysMatchState(env.Mock),
	}
	steps := []resource.TestStep{{
		Config: config,
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID("ccloud_service_account.test", &saID),
			acctest.CaptureID(keyAddr, &keyID),
		},
	}}
	for _, c := range apiErrorClasses {
		steps = append(steps,
			resource.TestStep{
				PreConfig: func() {
					env.Mock.ClearFaults()
					// Every GET fails: single reads, listings (the 403
					// double-check and any cached listing) and lookups.
					c.fault(env, "GET", "")
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error\s+reading.*\b` + fmt.Sprint(c.status) + `\s+` + words(regexp.QuoteMeta(http.StatusText(c.status))) + `:\s+` + words(regexp.QuoteMeta(c.detail)) + `\s+\(request\s+ID\s+[0-9a-f]{32}\)`),
			},
			// Without the fault nothing changed: an empty plan, the same
			// IDs, and the mock still matching state.
			resource.TestStep{
				PreConfig: env.Mock.ClearFaults,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: unchanged,
			},
		)
	}
	// A real deletion is the one answer that removes the key from state:
	// the plan then creates it again.
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			if err := env.Mock.DeleteAPIKey(keyID); err != nil {
				t.Fatal(err)
			}
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(keyAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("ccloud_service_account.test", plancheck.ResourceActionNoop),
			},
		},
		ConfigStateChecks: []statecheck.StateCheck{acctest.ExpectMockKeysMatchState(env.Mock)},
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.Factories, Steps: steps,
		CheckDestroy: acctest.Destroyed(acctest.ExpectMockKeys(env.Mock))})
}

// TestAccAPIErrors_updateAndDelete fails in-place updates and deletes with
// a selection of classes; each leaves state as it was, and the next clean
// apply converges.
func TestAccAPIErrors_updateAndDelete(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("update-errors", "").ID
	kafka := keyCases["kafka"]
	named := func(name string) string {
		return env.Config(kafka.config(owner, fmt.Sprintf("  display_name = %q\n  wait_for_ready = false", name)))
	}
	var keyID string
	steps := []resource.TestStep{{Config: named("v1"), ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(kafka.addr(), &keyID)}}}
	for _, c := range []apiErrorClass{apiErrorClasses[1], apiErrorClasses[2], apiErrorClasses[5], apiErrorClasses[7]} {
		steps = append(steps,
			resource.TestStep{
				PreConfig: func() {
					env.Mock.ClearFaults()
					c.fault(env, "PATCH", "PATCH /iam/v2/api-keys/{id}")
				},
				Config: named("v2"),
				ExpectError: apiErrorPattern("Error updating Kafka API key", `Could\s+not\s+update\s+ccloud_kafka_api_key\s+[A-Z0-9]{16}`,
					c.status, c.detail),
			},
			resource.TestStep{
				PreConfig: func() {
					env.Mock.ClearFaults()
					c.fault(env, "DELETE", "DELETE /iam/v2/api-keys/{id}")
				},
				Config:      env.Config(""),
				ExpectError: regexp.MustCompile(`(?s)Error\s+deleting\s+Kafka\s+API\s+key.*\b` + fmt.Sprint(c.status) + `\s+.*` + words(regexp.QuoteMeta(c.detail)) + `\s+\(request\s+ID\s+[0-9a-f]{32}\)`),
			},
			resource.TestStep{
				PreConfig: env.Mock.ClearFaults,
				Config:    named("v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(kafka.addr(), plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(kafka.addr(), tfjsonpath.New("id"), acctest.StringAt(&keyID)),
					acctest.ExpectMockKeysMatchState(env.Mock),
				},
			},
		)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.Factories, Steps: steps,
		CheckDestroy: acctest.Destroyed(acctest.ExpectMockKeys(env.Mock))})
}

// mockcloudRef is the default world's Kafka cluster, for keys made directly
// in the mock.
var mockcloudRef = ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}
