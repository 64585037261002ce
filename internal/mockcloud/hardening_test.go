// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The tests in this file treat the mock as a server people run: whatever a
// client sends, it answers with the documented error envelope, never leaks
// or changes anything it should not, and stays consistent under concurrent
// use. They use only the standard library's HTTP client.

// rawResult is an answer read without failing the test, so goroutines can
// use it (t.Fatal must only be called from the test's own goroutine).
type rawResult struct {
	status int
	header http.Header
	body   []byte
}

// rawDo sends a request with an optional Authorization header value.
func rawDo(s *Server, method, path, auth, body string) (rawResult, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		return rawResult{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return rawResult{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return rawResult{status: resp.StatusCode, header: resp.Header, body: b}, err
}

func basic(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

// envelopeError checks that r is the error envelope for want and returns its
// only error item.
func envelopeError(r rawResult, want int) (ccloud.ErrorItem, error) {
	if r.status != want {
		return ccloud.ErrorItem{}, fmt.Errorf("status %d, want %d; body %s", r.status, want, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		return ccloud.ErrorItem{}, fmt.Errorf("Content-Type %q, want application/json", ct)
	}
	if r.header.Get("X-Request-Id") == "" {
		return ccloud.ErrorItem{}, fmt.Errorf("no X-Request-Id header")
	}
	var f ccloud.Failure
	if err := json.Unmarshal(r.body, &f); err != nil {
		return ccloud.ErrorItem{}, fmt.Errorf("body is not the error envelope: %v: %s", err, r.body)
	}
	if len(f.Errors) != 1 {
		return ccloud.ErrorItem{}, fmt.Errorf("%d errors, want 1: %s", len(f.Errors), r.body)
	}
	e := f.Errors[0]
	if e.Status != strconv.Itoa(want) || e.ID == "" || e.Code == "" || e.Title == "" || e.Detail == "" || e.Source == nil {
		return e, fmt.Errorf("malformed error item: %s", r.body)
	}
	return e, nil
}

// mustEnvelope is envelopeError for the test goroutine.
func mustEnvelope(t *testing.T, what string, r rawResult, err error, want int) ccloud.ErrorItem {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	e, err := envelopeError(r, want)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return e
}

func TestHardening_Unauthenticated(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	c := newClient(t, s)
	adminKey, adminSecret := s.Credentials()
	sa := c.createSA("victim")
	key := c.createKey(sa.ID, map[string]string{"id": "lkc-q1ck5t", "environment": "env-q1ck5t"})
	cloudKey := c.createKey(sa.ID, nil)
	gone := c.createKey(sa.ID, nil)
	c.do("DELETE", "/iam/v2/api-keys/"+gone.ID, nil).want(t, 204)

	credentials := []struct{ name, auth string }{
		{"no credentials", ""},
		{"empty basic", "Basic "},
		{"not base64", "Basic !!!not-base64!!!"},
		{"no colon", "Basic " + base64.StdEncoding.EncodeToString([]byte(adminKey+adminSecret))},
		{"bearer", "Bearer " + adminSecret},
		{"unknown key", basic("UNKNOWNKEY000000", adminSecret)},
		{"admin key, wrong secret", basic(adminKey, adminSecret[:len(adminSecret)-1]+"x")},
		{"admin key, empty secret", basic(adminKey, "")},
		{"admin secret as key", basic(adminSecret, adminKey)},
		{"admin key, lower case", basic(strings.ToLower(adminKey), adminSecret)},
		{"deleted key", basic(gone.ID, gone.Spec.Secret)},
		{"cluster key on management API", basic(key.ID, key.Spec.Secret)},
		{"cloud key, other key's secret", basic(cloudKey.ID, key.Spec.Secret)},
	}
	requests := []struct{ method, path, body string }{
		{"GET", "/iam/v2/service-accounts", ""},
		{"POST", "/iam/v2/service-accounts", `{"display_name":"intruder"}`},
		{"PATCH", "/iam/v2/service-accounts/" + sa.ID, `{"description":"owned"}`},
		{"DELETE", "/iam/v2/service-accounts/" + sa.ID, ""},
		{"GET", "/iam/v2/api-keys", ""},
		{"POST", "/iam/v2/api-keys", `{"spec":{"owner":{"id":"` + sa.ID + `"}}}`},
		{"PATCH", "/iam/v2/api-keys/" + key.ID, `{"spec":{"display_name":"owned"}}`},
		{"DELETE", "/iam/v2/api-keys/" + key.ID, ""},
		{"GET", "/iam/v2/users", ""},
		{"GET", "/org/v2/environments", ""},
		{"GET", "/cmk/v2/clusters/lkc-q1ck5t?environment=env-q1ck5t", ""},
		{"GET", "/tableflow/v1/regions", ""},
		// A malformed body must not be looked at before the credentials.
		{"POST", "/iam/v2/api-keys", `{`},
	}
	details := map[string]bool{}
	tried := 0
	for _, cr := range credentials {
		for _, rq := range requests {
			r, err := rawDo(s, rq.method, rq.path, cr.auth, rq.body)
			what := cr.name + ": " + rq.method + " " + rq.path
			e := mustEnvelope(t, what, r, err, 401)
			tried++
			if e.Code != "user_unauthenticated" {
				t.Errorf("%s: code %q, want user_unauthenticated", what, e.Code)
			}
			if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") {
				t.Errorf("%s: WWW-Authenticate %q, want a Basic challenge", what, got)
			}
			details[e.Detail] = true
			for _, secret := range []string{adminSecret, key.Spec.Secret, cloudKey.Spec.Secret, gone.Spec.Secret} {
				if strings.Contains(string(r.body), secret) {
					t.Errorf("%s: the answer holds a secret", what)
				}
			}
		}
	}
	// One detail for every failure: the answer must not tell an attacker
	// whether the key exists or only the secret was wrong.
	if len(details) != 1 {
		t.Errorf("401 answers differ by reason, which leaks which part was wrong: %v", details)
	}
	// Nothing the rejected requests asked for happened.
	if n := len(s.ServiceAccounts()); n != 1 {
		t.Errorf("%d service accounts after rejected requests, want 1", n)
	}
	keys := s.APIKeys()
	if len(keys) != 2 {
		t.Fatalf("%d keys after rejected requests, want 2", len(keys))
	}
	for _, k := range keys {
		if k.Spec.DisplayName == "owned" {
			t.Errorf("a rejected PATCH renamed key %s", k.ID)
		}
	}
	var got ccloud.ServiceAccount
	c.do("GET", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 200).decode(t, &got)
	if got.Description == "owned" {
		t.Error("a rejected PATCH changed the service account")
	}
	// The right credentials still work, and the propagated Cloud key is a
	// management credential.
	if r, err := rawDo(s, "GET", "/iam/v2/service-accounts", basic(cloudKey.ID, cloudKey.Spec.Secret), ""); err != nil || r.status != 200 {
		t.Errorf("the Cloud key was refused after the attack: %d %v", r.status, err)
	}
	t.Logf("%d unauthenticated or wrongly authenticated requests, all 401", tried)
}

func TestHardening_MalformedBodies(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	c := newClient(t, s)
	auth := basic(s.Credentials())
	sa := c.createSA("target")
	key := c.createKey(sa.ID, nil)
	bodies := []string{
		`{`, `}`, `[]`, `null`, `""`, `0`, `true`, ` `, "\x00\x01", "\xff\xfe{}", `{"a":1}{"b":2}`,
		`{"display_name":5}`, `{"display_name":["x"]}`, `{"spec":"x"}`, `{"spec":{"owner":"sa-1"}}`,
		`{"spec":{"owner":{"id":5}}}`, `{"spec":{"display_name":{}}}`, `{"description":false}`,
		`{"display_name":"` + strings.Repeat("x", 65) + `"}`, `<xml/>`, `display_name=x`,
	}
	routes := []struct{ method, path string }{
		{"POST", "/iam/v2/service-accounts"},
		{"PATCH", "/iam/v2/service-accounts/" + sa.ID},
		{"POST", "/iam/v2/api-keys"},
		{"PATCH", "/iam/v2/api-keys/" + key.ID},
	}
	tried := 0
	for _, rt := range routes {
		for _, b := range bodies {
			r, err := rawDo(s, rt.method, rt.path, auth, b)
			what := fmt.Sprintf("%s %s with %q", rt.method, rt.path, b)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			tried++
			// Some bodies are well-formed JSON the API may accept as an
			// empty update; every refusal must be a 4xx envelope.
			if r.status < 300 {
				if rt.method == "POST" {
					t.Errorf("%s: created something (status %d)", what, r.status)
				}
				continue
			}
			if r.status >= 500 || r.status == 401 {
				t.Errorf("%s: status %d", what, r.status)
				continue
			}
			if _, err := envelopeError(r, r.status); err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}
	}
	// Every syntax error is a 400 invalid_input with a detail that says so.
	for _, rt := range routes {
		r, err := rawDo(s, rt.method, rt.path, auth, `{"display_name":`)
		e := mustEnvelope(t, rt.method+" "+rt.path, r, err, 400)
		if e.Code != "invalid_input" || !strings.Contains(e.Detail, "not valid JSON") {
			t.Errorf("%s %s: syntax error answered %q: %q", rt.method, rt.path, e.Code, e.Detail)
		}
	}
	// A type error points at the offending property.
	r, err := rawDo(s, "POST", "/iam/v2/service-accounts", auth, `{"display_name":5}`)
	if e := mustEnvelope(t, "type error", r, err, 400); e.Source.Pointer != "/display_name" {
		t.Errorf("type error points at %q, want /display_name", e.Source.Pointer)
	}
	if n := len(s.ServiceAccounts()); n != 1 {
		t.Errorf("%d service accounts after malformed creates, want 1", n)
	}
	if n := len(s.APIKeys()); n != 1 {
		t.Errorf("%d keys after malformed creates, want 1", n)
	}
	t.Logf("%d malformed bodies sent", tried)
}

func TestHardening_OversizedBodies(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	c := newClient(t, s)
	auth := basic(s.Credentials())
	sa := c.createSA("target")
	key := c.createKey(sa.ID, nil)
	big := `{"display_name":"x","spec":{"description":"` + strings.Repeat("a", maxBodyBytes) + `"}}`
	for _, rt := range []struct{ method, path, auth string }{
		{"POST", "/iam/v2/service-accounts", auth},
		{"PATCH", "/iam/v2/service-accounts/" + sa.ID, auth},
		{"POST", "/iam/v2/api-keys", auth},
		{"PATCH", "/iam/v2/api-keys/" + key.ID, auth},
		// The limit holds before authentication, so nobody can make the
		// mock buffer an unbounded body.
		{"POST", "/iam/v2/api-keys", ""},
	} {
		r, err := rawDo(s, rt.method, rt.path, rt.auth, big)
		e := mustEnvelope(t, rt.method+" "+rt.path, r, err, 413)
		if e.Code != "request_entity_too_large" {
			t.Errorf("%s %s: code %q", rt.method, rt.path, e.Code)
		}
	}
	// A body exactly at the limit is read (and then judged on its content).
	atLimit := `{"display_name":"edge","description":"` + strings.Repeat("a", maxBodyBytes-40) + `"}`
	atLimit += strings.Repeat(" ", maxBodyBytes-len(atLimit))
	r, err := rawDo(s, "POST", "/iam/v2/service-accounts", auth, atLimit)
	if err != nil || r.status == 413 {
		t.Errorf("a body of exactly %d bytes was refused: %d %v", maxBodyBytes, r.status, err)
	}
	if n := len(s.ServiceAccounts()); n > 2 {
		t.Errorf("%d service accounts, oversized requests created some", n)
	}
	var got ccloud.ServiceAccount
	c.do("GET", "/iam/v2/service-accounts/"+sa.ID, nil).want(t, 200).decode(t, &got)
	if len(got.Description) > 0 {
		t.Error("an oversized PATCH changed the service account")
	}
}

func TestHardening_BadPageTokensAndSizes(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	c := newClient(t, s)
	auth := basic(s.Credentials())
	for i := range 3 {
		c.createSA(fmt.Sprintf("p%d", i))
	}
	enc := base64.RawURLEncoding.EncodeToString
	tokens := []string{
		"garbage", "%%%", enc([]byte("mcp1:")), enc([]byte("mcp1:-1")), enc([]byte("mcp1:abc")),
		enc([]byte("other:5")), enc([]byte("mcp1:99999999999999999999999")), strings.Repeat("A", 300),
		base64.StdEncoding.EncodeToString([]byte("mcp1:1")) + "==", "bWNwMTox\x00",
	}
	lists := []string{"/iam/v2/service-accounts", "/iam/v2/api-keys", "/iam/v2/users", "/org/v2/environments"}
	for _, l := range lists {
		for _, tok := range tokens {
			path := l + "?page_token=" + urlQueryEscape(tok)
			r, err := rawDo(s, "GET", path, auth, "")
			e := mustEnvelope(t, path, r, err, 400)
			if e.Code != "invalid_page_token" || e.Source.Parameter != "page_token" {
				t.Errorf("%s: code %q parameter %q", path, e.Code, e.Source.Parameter)
			}
		}
		for _, size := range []string{"0", "-1", "101", "abc", "1.5", "99999999999999999999"} {
			path := l + "?page_size=" + size
			r, err := rawDo(s, "GET", path, auth, "")
			if e := mustEnvelope(t, path, r, err, 400); e.Source.Parameter != "page_size" {
				t.Errorf("%s: parameter %q", path, e.Source.Parameter)
			}
		}
	}
	// A token from one list used on another does not crash or leak; it
	// just positions the other list.
	var page ccloud.List[ccloud.ServiceAccount]
	c.do("GET", "/iam/v2/service-accounts?page_size=1", nil).want(t, 200).decode(t, &page)
	if page.Metadata.Next == "" {
		t.Fatal("no next page")
	}
	tok := page.Metadata.Next[strings.Index(page.Metadata.Next, "page_token=")+len("page_token="):]
	if i := strings.IndexByte(tok, '&'); i >= 0 {
		tok = tok[:i]
	}
	c.do("GET", "/iam/v2/api-keys?page_token="+tok, nil).want(t, 200)
}

func urlQueryEscape(s string) string {
	var b strings.Builder
	for _, r := range []byte(s) {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteByte(r)
		} else {
			fmt.Fprintf(&b, "%%%02X", r)
		}
	}
	return b.String()
}

func TestHardening_UnknownRoutes(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	auth := basic(s.Credentials())
	for _, rq := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 404},
		{"GET", "/iam", 404},
		{"GET", "/iam/v2", 404},
		{"GET", "/iam/v3/service-accounts", 404},
		{"GET", "/iam/v2/api-keys/A/B", 404},
		{"GET", "/iam/v2/service-accounts/sa-1/keys", 404},
		{"GET", "/iam/v2/api-keys/../../_mock/faults", 404},
		{"GET", "/IAM/V2/SERVICE-ACCOUNTS", 404},
		{"POST", "/nothing", 404},
		{"DELETE", "/", 404},
		{"PUT", "/iam/v2/service-accounts/sa-1", 405},
		{"DELETE", "/iam/v2/service-accounts", 405},
		{"POST", "/iam/v2/users", 405},
		{"PATCH", "/org/v2/environments/env-q1ck5t", 405},
		{"OPTIONS", "/iam/v2/api-keys", 405},
	} {
		for _, a := range []string{auth, ""} {
			r, err := rawDo(s, rq.method, rq.path, a, "")
			what := fmt.Sprintf("%s %s (authenticated %v)", rq.method, rq.path, a != "")
			e := mustEnvelope(t, what, r, err, rq.status)
			if rq.status == 405 && r.header.Get("Allow") == "" {
				t.Errorf("%s: 405 without Allow", what)
			}
			if rq.status == 404 && e.Code != "not_found" {
				t.Errorf("%s: code %q", what, e.Code)
			}
		}
	}
	// The traversal above did not reach the admin endpoints.
	if n := len(s.Requests("")); n == 0 {
		t.Error("unknown routes were not recorded")
	}
}

// TestHardening_ConcurrentUse has many clients create, list, patch and
// delete at once, including cascading deletes of owners, and checks that the
// store stays consistent: IDs are unique, every create that answered 2xx
// and was not deleted is there, every deletion took, a full paginated
// listing equals the store, and the counters add up.
func TestHardening_ConcurrentUse(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Quotas: Quotas{ClusterKeysPerServiceAccount: 1000, CloudKeysPerServiceAccount: 1000}})
	auth := basic(s.Credentials())
	const workers, rounds = 16, 12
	var (
		mu          sync.Mutex
		liveKeys    = map[string]string{} // key ID -> owner
		deadKeys    = map[string]bool{}
		liveSAs     = map[string]bool{}
		deadSAs     = map[string]bool{}
		allKeyIDs   []string
		allSAIDs    []string
		sent        atomic.Int64
		errs        = make(chan error, workers*rounds*10)
		wg          sync.WaitGroup
		renamesDone atomic.Int64
	)
	do := func(method, path, body string, want ...int) (rawResult, bool) {
		sent.Add(1)
		r, err := rawDo(s, method, path, auth, body)
		if err != nil {
			errs <- fmt.Errorf("%s %s: %v", method, path, err)
			return r, false
		}
		if !slices.Contains(want, r.status) {
			errs <- fmt.Errorf("%s %s: status %d, want %v: %s", method, path, r.status, want, r.body)
			return r, false
		}
		return r, true
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, ok := do("POST", "/iam/v2/service-accounts", fmt.Sprintf(`{"display_name":"worker-%d"}`, w), 201)
			if !ok {
				return
			}
			var sa ccloud.ServiceAccount
			if err := json.Unmarshal(r.body, &sa); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			liveSAs[sa.ID] = true
			allSAIDs = append(allSAIDs, sa.ID)
			mu.Unlock()
			for i := range rounds {
				res := `,"resource":{"id":"lkc-q1ck5t","environment":"env-q1ck5t"}`
				if i%2 == 1 {
					res = ""
				}
				r, ok := do("POST", "/iam/v2/api-keys", fmt.Sprintf(`{"spec":{"owner":{"id":%q},"display_name":"k%d"%s}}`, sa.ID, i, res), 202)
				if !ok {
					continue
				}
				var k ccloud.APIKey
				if err := json.Unmarshal(r.body, &k); err != nil || !ccloud.IsAPISecret(k.Spec.Secret) {
					errs <- fmt.Errorf("create answered %s (%v)", r.body, err)
					continue
				}
				mu.Lock()
				liveKeys[k.ID] = sa.ID
				allKeyIDs = append(allKeyIDs, k.ID)
				mu.Unlock()
				if _, ok := do("PATCH", "/iam/v2/api-keys/"+k.ID, fmt.Sprintf(`{"spec":{"display_name":"renamed-%d"}}`, i), 200); ok {
					renamesDone.Add(1)
				}
				do("GET", "/iam/v2/api-keys?page_size=7&spec.owner="+sa.ID, "", 200)
				do("GET", "/iam/v2/service-accounts?page_size=3", "", 200)
				if i%3 == 0 {
					if _, ok := do("DELETE", "/iam/v2/api-keys/"+k.ID, "", 204); ok {
						mu.Lock()
						delete(liveKeys, k.ID)
						deadKeys[k.ID] = true
						mu.Unlock()
					}
				}
				_ = s.AuditLog()
				_ = s.RequestCounts()
			}
			// A quarter of the owners go away with all their keys, while
			// other workers are still listing and creating.
			if w%4 == 0 {
				if _, ok := do("DELETE", "/iam/v2/service-accounts/"+sa.ID, "", 204); ok {
					mu.Lock()
					delete(liveSAs, sa.ID)
					deadSAs[sa.ID] = true
					for id, owner := range liveKeys {
						if owner == sa.ID {
							delete(liveKeys, id)
							deadKeys[id] = true
						}
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	// IDs are unique across everything ever created.
	seen := map[string]bool{}
	for _, id := range append(append([]string{}, allKeyIDs...), allSAIDs...) {
		if seen[id] {
			t.Errorf("ID %s was handed out twice", id)
		}
		seen[id] = true
	}
	// The store holds exactly the live objects.
	var storeKeys []string
	for _, k := range s.APIKeys() {
		storeKeys = append(storeKeys, k.ID)
		if _, ok := liveKeys[k.ID]; !ok {
			t.Errorf("key %s is in the store but was deleted (or never created)", k.ID)
		}
		if !strings.HasPrefix(k.Spec.DisplayName, "renamed-") {
			t.Errorf("key %s lost its rename: %q", k.ID, k.Spec.DisplayName)
		}
	}
	if len(storeKeys) != len(liveKeys) {
		t.Errorf("the store has %d keys, want %d", len(storeKeys), len(liveKeys))
	}
	for id := range deadKeys {
		if slices.Contains(storeKeys, id) {
			t.Errorf("deleted key %s is still in the store", id)
		}
	}
	storeSAs := s.ServiceAccounts()
	if len(storeSAs) != len(liveSAs) {
		t.Errorf("the store has %d service accounts, want %d", len(storeSAs), len(liveSAs))
	}
	for _, sa := range storeSAs {
		if !liveSAs[sa.ID] {
			t.Errorf("service account %s is in the store but should not be", sa.ID)
		}
	}
	// A paginated listing over HTTP sees the same keys, each once.
	var listed []string
	next := "/iam/v2/api-keys?page_size=13"
	for next != "" {
		r, err := rawDo(s, "GET", strings.TrimPrefix(next, s.URL()), auth, "")
		if err != nil || r.status != 200 {
			t.Fatalf("listing keys: %d %v %s", r.status, err, r.body)
		}
		var page ccloud.List[ccloud.APIKey]
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, k := range page.Data {
			listed = append(listed, k.ID)
			if k.Spec.Secret != "" {
				t.Errorf("the listing shows the secret of %s", k.ID)
			}
		}
		next = page.Metadata.Next
	}
	if !slices.Equal(listed, storeKeys) {
		t.Errorf("paginated listing %v differs from the store %v", listed, storeKeys)
	}
	// Every request was counted once.
	total := 0
	for _, n := range s.RequestCounts() {
		total += n
	}
	if want := int(sent.Load()) + len(listedPages(len(storeKeys), 13)); total != want {
		t.Errorf("the counters add up to %d requests, want %d", total, want)
	}
	if got := int(renamesDone.Load()); got != len(allKeyIDs) {
		t.Errorf("%d renames succeeded, want %d", got, len(allKeyIDs))
	}
	t.Logf("%d requests from %d workers: %d keys created, %d live; %d service accounts created, %d live",
		sent.Load(), workers, len(allKeyIDs), len(liveKeys), len(allSAIDs), len(liveSAs))
}

// listedPages returns one element per page a listing of n items in pages of
// size needs (at least one).
func listedPages(n, size int) []struct{} {
	return make([]struct{}, max(1, (n+size-1)/size))
}

// TestHardening_SlowClientsDoNotBlock checks that a client that sends its
// body slowly does not hold the store: other requests go on meanwhile.
func TestHardening_SlowClientsDoNotBlock(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	key, secret := s.Credentials()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", s.URL()+"/iam/v2/service-accounts", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(key, secret)
	done := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	_, _ = pw.Write([]byte(`{"display_name":`))
	start := time.Now()
	r, err := rawDo(s, "GET", "/iam/v2/service-accounts", basic(key, secret), "")
	if err != nil || r.status != 200 {
		t.Fatalf("a request behind a slow client failed: %d %v", r.status, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a request behind a slow client took %s", d)
	}
	_, _ = pw.Write([]byte(`"slow"}`))
	_ = pw.Close()
	if st := <-done; st != 201 {
		t.Errorf("the slow create answered %d, want 201", st)
	}
}
