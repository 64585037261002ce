// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// fuzzServer builds a mock for a fuzz target. One server serves every input
// of a run, so state built by earlier inputs (accounts, keys, quotas
// reached) is part of what later inputs meet.
func fuzzServer(f *testing.F) *Server {
	f.Helper()
	s, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	s.SetBaseURL("http://mock.test")
	return s
}

// serveFuzz sends one request straight to the handler and checks the answer:
// never a 5xx, a 2xx with a JSON body (or none), and otherwise the error
// envelope with exactly one well-formed error whose status is the answer's.
func serveFuzz(t *testing.T, s *Server, method, target string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(method, "http://mock.test"+target, bytes.NewReader(body))
	if err != nil {
		t.Skip("not a valid request:", err)
	}
	key, secret := s.Credentials()
	req.SetBasicAuth(key, secret)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	res := rec.Result()
	out := rec.Body.Bytes()
	if res.StatusCode >= 500 {
		t.Fatalf("%s %s with body %q: status %d, body %s", method, target, body, res.StatusCode, out)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Fatalf("%s %s: no X-Request-Id", method, target)
	}
	if res.StatusCode < 300 {
		if len(out) > 0 && !json.Valid(out) {
			t.Fatalf("%s %s: status %d with a body that is not JSON: %q", method, target, res.StatusCode, out)
		}
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: status %d with Content-Type %q", method, target, res.StatusCode, ct)
	}
	var fail ccloud.Failure
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fail); err != nil {
		t.Fatalf("%s %s: status %d with a body that is not the error envelope: %v: %s", method, target, res.StatusCode, err, out)
	}
	if len(fail.Errors) != 1 {
		t.Fatalf("%s %s: status %d with %d errors, want 1: %s", method, target, res.StatusCode, len(fail.Errors), out)
	}
	e := fail.Errors[0]
	if e.Status != strconv.Itoa(res.StatusCode) || e.ID == "" || e.Code == "" || e.Title == "" || e.Detail == "" {
		t.Fatalf("%s %s: malformed error item for status %d: %s", method, target, res.StatusCode, out)
	}
	if secret != "" && strings.Contains(string(out), secret) {
		t.Fatalf("%s %s: the error answer holds the admin secret", method, target)
	}
}

// FuzzMockCreateAPIKey posts arbitrary bodies to POST /iam/v2/api-keys. The
// mock must answer every one with a 2xx or a well-formed error envelope,
// never a panic or a 5xx.
func FuzzMockCreateAPIKey(f *testing.F) {
	s := fuzzServer(f)
	for _, b := range []string{
		`{"spec":{"owner":{"id":"u-q1ck5t"},"display_name":"k"}}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"resource":{"id":"lkc-q1ck5t","environment":"env-q1ck5t"}}}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"resource":{"id":"aws.us-east-1","environment":"env-q1ck5t","api_version":"fcpm/v2","kind":"Region"}}}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"resource":{"id":"tableflow","api_version":"tableflow/v1","kind":"Tableflow"}}}`,
		`{"spec":{"owner":{"id":"sa-nope"}}}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"resource":{"id":""}}}`,
		`{"spec":{"owner":{"id":7}}}`,
		`{"spec":null}`,
		`{"spec":[]}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"display_name":"` + strings.Repeat("n", 300) + `"}}`,
		`{"spec":{"owner":{"id":"u-q1ck5t"},"secret":"cflt"}}`,
		`{`, `null`, `[]`, `""`, `0`, ``, "\x00", `{"spec":{"owner":{"id":"u-q1ck5t"}}}{}`,
	} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		serveFuzz(t, s, http.MethodPost, "/iam/v2/api-keys", body)
	})
}

// fuzzMethods are the methods FuzzMockDecode picks from.
var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut, http.MethodHead}

// FuzzMockDecode sends arbitrary methods, paths, queries and bodies to the
// management API: every request decoder, path parameter parser and query
// filter must answer with a 2xx or a well-formed error envelope.
func FuzzMockDecode(f *testing.F) {
	s := fuzzServer(f)
	sa := s.CreateServiceAccount("fuzz", "")
	k, err := s.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: "lkc-q1ck5t", Environment: "env-q1ck5t"}, "k", "")
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct {
		method uint8
		target string
		body   string
	}{
		{1, "/iam/v2/service-accounts", `{"display_name":"a","description":"b"}`},
		{1, "/iam/v2/service-accounts", `{"display_name":""}`},
		{1, "/iam/v2/service-accounts", `{"display_name":["x"]}`},
		{2, "/iam/v2/service-accounts/" + sa.ID, `{"description":"c"}`},
		{2, "/iam/v2/service-accounts/" + sa.ID, `{"display_name":null}`},
		{2, "/iam/v2/api-keys/" + k.ID, `{"spec":{"display_name":"n","description":"d"}}`},
		{2, "/iam/v2/api-keys/" + k.ID, `{"spec":{"description":5}}`},
		{0, "/iam/v2/api-keys?spec.owner=" + sa.ID + "&page_size=1", ``},
		{0, "/iam/v2/api-keys?page_token=bm9wZQ", ``},
		{0, "/iam/v2/api-keys?page_size=0", ``},
		{0, "/iam/v2/service-accounts?page_size=101&display_name=", ``},
		{0, "/cmk/v2/clusters/lkc-q1ck5t?environment=env-q1ck5t", ``},
		{0, "/fcpm/v2/regions?cloud=AWS&region_name=us-east-1", ``},
		{0, "/iam/v2/users/u-q1ck5t", ``},
		{3, "/iam/v2/api-keys/" + k.ID, ``},
		{3, "/iam/v2/service-accounts/sa-nope", ``},
		{4, "/iam/v2/api-keys/X", `{}`},
		{0, "/nothing/here", ``},
		{1, "/iam/v2/api-keys", `{"spec":{"owner":{"id":"` + sa.ID + `"},"resource":{"id":"lsrc-q1ck5t","environment":"env-q1ck5t"}}}`},
	}
	for _, sd := range seeds {
		f.Add(sd.method, sd.target, []byte(sd.body))
	}
	f.Fuzz(func(t *testing.T, method uint8, target string, body []byte) {
		if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "/_mock") {
			// Only the API's own routes are under test; admin endpoints are
			// a test control with their own answers.
			t.Skip()
		}
		serveFuzz(t, s, fuzzMethods[int(method)%len(fuzzMethods)], target, body)
	})
}
