// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The conformance test sends every request the client can make to the mock
// through a transport that validates the request and the mock's response
// against Confluent's published OpenAPI specs. It reads the specs from the
// shared folder beside the checkout (or OPENAPI_DIR) and never copies them.

// specDeviations are the places where the published specs and the real API
// (as the official provider and CLI call it) disagree. The client and the mock follow the real API;
// each entry names the operation and a fragment of the validator's message.
var specDeviations = []struct{ operation, fragment, why string }{
	{
		// The official provider sends api_version and kind inside
		// spec.resource for Flink, Tableflow and Global keys (resource_api_key.go
		// in https://github.com/confluentinc/terraform-provider-confluent),
		// and the API needs them to route the scope, though the spec marks
		// them read-only.
		"createIamV2ApiKey", "readOnly", "spec.resource.api_version/kind are sent for Flink, Tableflow and Global keys",
	},
}

// openAPIDir finds the specs: OPENAPI_DIR, or shared/api/openapi beside
// the module root or beside any of its ancestors (a worktree sits deeper
// than the main checkout). It returns "" when there are none.
func openAPIDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("OPENAPI_DIR"); dir != "" {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		candidate := filepath.Join(filepath.Dir(dir), "shared", "api", "openapi")
		if files, _ := filepath.Glob(filepath.Join(candidate, "*.yaml")); len(files) > 0 {
			return candidate
		}
	}
	return ""
}

// skipOrFail skips when the specs are missing on a developer's machine, and
// fails on CI (CI set), where a skipped conformance test would let the
// client and the mock drift apart unnoticed.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but "+format, args...)
	}
	t.Skipf(format, args...)
}

type specRouter struct {
	name   string
	router routers.Router
}

// loadRouters loads every spec in dir and fills operations by ID.
func loadRouters(t *testing.T, dir, serverURL string, operations map[string]*openapi3.Operation) []specRouter {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		skipOrFail(t, "no OpenAPI specs in %s (set OPENAPI_DIR to the shared api/openapi folder)", dir)
	}
	var out []specRouter
	for _, f := range files {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(f)
		if err != nil {
			t.Fatalf("loading %s: %v", f, err)
		}
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				operations[op.OperationID] = op
			}
		}
		doc.Servers = openapi3.Servers{{URL: serverURL}}
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatalf("router for %s: %v", f, err)
		}
		out = append(out, specRouter{name: filepath.Base(f), router: r})
	}
	return out
}

// validatingTransport checks each exchange against the specs.
type validatingTransport struct {
	t       *testing.T
	routers []specRouter
	base    http.RoundTripper

	mu        sync.Mutex
	covered   map[string]int
	unmatched map[string]int
	failures  []string
	deviated  map[string]int
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	var (
		route  *routers.Route
		params map[string]string
	)
	for _, sr := range v.routers {
		if r, p, err := sr.router.FindRoute(req); err == nil {
			route, params = r, p
			break
		}
	}
	key := req.Method + " " + req.URL.Path
	if route == nil {
		v.mu.Lock()
		v.unmatched[key]++
		v.mu.Unlock()
		return v.base.RoundTrip(req)
	}
	opID := route.Operation.OperationID
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	input := &openapi3filter.RequestValidationInput{Request: cloneWithBody(req, reqBody), PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		v.fail(opID, "request", key, err)
	}
	if extra := undeclaredInBody(requestSchema(route.Operation), reqBody); len(extra) > 0 {
		v.fail(opID, "request", key, fmt.Errorf("the client sent properties the spec does not declare: %s", strings.Join(extra, ", ")))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), rin); err != nil {
		v.fail(opID, fmt.Sprintf("response %d", resp.StatusCode), key, err)
	}
	if extra := undeclaredInBody(responseSchema(route.Operation, resp.StatusCode), respBody); len(extra) > 0 {
		v.fail(opID, fmt.Sprintf("response %d", resp.StatusCode), key, fmt.Errorf("the mock answered with properties the spec does not declare: %s", strings.Join(extra, ", ")))
	}
	v.mu.Lock()
	v.covered[opID+" "+fmt.Sprint(resp.StatusCode)]++
	v.mu.Unlock()
	return resp, nil
}

func (v *validatingTransport) fail(opID, what, key string, err error) {
	msg := err.Error()
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, d := range specDeviations {
		if d.operation == opID && strings.Contains(msg, d.fragment) {
			v.deviated[opID+": "+d.why]++
			return
		}
	}
	v.failures = append(v.failures, fmt.Sprintf("%s %s (%s): %s", opID, what, key, firstLines(msg, 6)))
}

func cloneWithBody(req *http.Request, body []byte) *http.Request {
	c := req.Clone(req.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	return c
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

func TestConformanceWithOpenAPISpecs(t *testing.T) {
	t.Parallel()
	dir := openAPIDir(t)
	if dir == "" {
		skipOrFail(t, "no shared/api/openapi folder beside the checkout (set OPENAPI_DIR to it)")
	}
	mock := mockcloud.Start(t, mockcloud.Options{})
	ops := map[string]*openapi3.Operation{}
	vt := &validatingTransport{
		t: t, routers: loadRouters(t, dir, mock.URL(), ops), base: http.DefaultTransport,
		covered: map[string]int{}, unmatched: map[string]int{}, deviated: map[string]int{},
	}
	key, secret := mock.Credentials()
	c, err := ccloud.New(ccloud.Config{
		Endpoint: mock.URL(), APIKey: key, APISecret: secret, MaxRetries: -1,
		HTTPClient: &http.Client{Transport: vt, Timeout: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	exerciseEveryOperation(t, c)
	for _, f := range clientTypesAgainstSpecs(ops) {
		t.Error(f)
	}

	vt.mu.Lock()
	defer vt.mu.Unlock()
	covered := map[string]bool{}
	var lines []string
	for k, n := range vt.covered {
		covered[strings.Fields(k)[0]] = true
		lines = append(lines, fmt.Sprintf("%s x%d", k, n))
	}
	sort.Strings(lines)
	t.Logf("validated %d operations (%d operation/status pairs): %s", len(covered), len(lines), strings.Join(lines, ", "))
	for k, n := range vt.deviated {
		t.Logf("known spec deviation, accepted: %s (x%d)", k, n)
	}
	for k, n := range vt.unmatched {
		t.Logf("not in the management specs (data plane): %s (x%d)", k, n)
	}
	for _, f := range vt.failures {
		t.Error(f)
	}
	if len(covered) < 15 {
		t.Errorf("only %d operations validated; the exercise lost coverage", len(covered))
	}
}

// exerciseEveryOperation calls each client operation, including the error
// answers the provider relies on, so their bodies are validated too.
func exerciseEveryOperation(t *testing.T, c *ccloud.Client) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sa, err := c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "conformance app", Description: "d"})
	must(err)
	_, err = c.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{DisplayName: "conformance app"})
	if !ccloud.IsConflict(err) {
		t.Fatalf("duplicate name: want 409, got %v", err)
	}
	_, err = c.GetServiceAccount(ctx, sa.ID)
	must(err)
	_, err = c.ListServiceAccounts(ctx, "conformance app")
	must(err)
	desc := ""
	_, err = c.UpdateServiceAccount(ctx, sa.ID, ccloud.ServiceAccountUpdate{Description: &desc})
	must(err)
	_, err = c.GetServiceAccount(ctx, "sa-nothere")
	if !ccloud.IsNotFound(err) {
		t.Fatalf("unknown SA: want 404, got %v", err)
	}

	owner := ccloud.ObjectReference{ID: sa.ID}
	resources := []*ccloud.ObjectReference{
		{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"},
		{ID: "lsrc-q1ck5t", Environment: "env-q1ck5t"},
		{ID: "lksqlc-q1ck5t", Environment: "env-q1ck5t"},
		{ID: "aws.us-east-1", Environment: "env-q1ck5t", APIVersion: "fcpm/v2", Kind: "Region"},
		{ID: "tableflow", APIVersion: "tableflow/v1", Kind: "Tableflow"},
		{ID: "global", APIVersion: "global/v1", Kind: "Global"},
		nil,
	}
	var keys, secrets []string
	for _, res := range resources {
		k, err := c.CreateAPIKey(ctx, ccloud.APIKeyCreate{Spec: ccloud.APIKeyCreateSpec{
			DisplayName: "conformance", Description: "conformance key", Owner: owner, Resource: res,
		}})
		must(err)
		keys = append(keys, k.ID)
		secrets = append(secrets, k.Spec.Secret)
	}
	cloudKey := keys[len(keys)-1]
	_, err = c.GetAPIKey(ctx, keys[0])
	must(err)
	_, err = c.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: sa.ID})
	must(err)
	_, err = c.ListAPIKeys(ctx, ccloud.APIKeyFilter{Resource: "lkc-q1ck5t"})
	must(err)
	name := "renamed"
	_, err = c.UpdateAPIKey(ctx, keys[0], ccloud.APIKeyUpdate{Spec: ccloud.APIKeyUpdateSpec{DisplayName: &name}})
	must(err)
	must(c.DeleteAPIKey(ctx, cloudKey))
	_, err = c.GetAPIKey(ctx, cloudKey)
	if err == nil {
		t.Fatal("deleted key still readable")
	}
	_, err = c.GetAPIKey(ctx, "NOSUCHKEY0000000")
	if !ccloud.IsNotFound(err) {
		t.Fatalf("unknown key: want 404, got %v", err)
	}

	users, err := c.ListUsers(ctx)
	must(err)
	if len(users) == 0 {
		t.Fatal("no users")
	}
	_, err = c.GetUser(ctx, users[0].ID)
	must(err)
	_, err = c.ListEnvironments(ctx)
	must(err)
	_, err = c.GetEnvironment(ctx, "env-q1ck5t")
	must(err)
	_, err = c.OrganizationID(ctx)
	must(err)
	kc, err := c.GetKafkaCluster(ctx, "lkc-q1ck5t", "env-q1ck5t")
	must(err)
	_, err = c.GetSchemaRegistryCluster(ctx, "lsrc-q1ck5t", "env-q1ck5t")
	must(err)
	_, err = c.GetKsqlDBCluster(ctx, "lksqlc-q1ck5t", "env-q1ck5t")
	must(err)
	_, err = c.GetFlinkRegion(ctx, "AWS", "us-east-1")
	must(err)
	_, err = c.ListTableflowRegions(ctx)
	must(err)
	// The Kafka REST probe is in the kafkarest spec, so it is validated too.
	must(c.Probe(ctx, ccloud.KafkaProbeURL(kc.Spec.HTTPEndpoint, "lkc-q1ck5t"), keys[0], secrets[0]))
	must(c.DeleteServiceAccount(ctx, sa.ID))
}
