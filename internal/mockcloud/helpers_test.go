// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// client is a tiny stdlib HTTP client for the tests; the real API client
// lives elsewhere and is deliberately not used here.
type client struct {
	t           *testing.T
	s           *Server
	key, secret string
}

func newClient(t *testing.T, s *Server) *client {
	k, sec := s.Credentials()
	return &client{t: t, s: s, key: k, secret: sec}
}

func (c *client) as(key, secret string) *client {
	return &client{t: c.t, s: c.s, key: key, secret: secret}
}

type response struct {
	*http.Response
	body []byte
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	url := path
	if !strings.HasPrefix(path, "http") {
		url = c.s.URL() + path
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.SetBasicAuth(c.key, c.secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Response: resp, body: b}
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.body)
	}
	return r
}

// failure decodes the error envelope and checks its shape.
func (r response) failure(t *testing.T) ccloud.ErrorItem {
	t.Helper()
	var f ccloud.Failure
	r.decode(t, &f)
	if len(f.Errors) != 1 {
		t.Fatalf("want one error, got %s", r.body)
	}
	e := f.Errors[0]
	if e.Status != itoa(r.StatusCode) {
		t.Fatalf("errors[0].status = %q, want %q", e.Status, itoa(r.StatusCode))
	}
	if e.ID == "" || e.Detail == "" || e.Title == "" {
		t.Fatalf("error lacks id, title or detail: %s", r.body)
	}
	return e
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func (c *client) createSA(name string) ccloud.ServiceAccount {
	c.t.Helper()
	var sa ccloud.ServiceAccount
	c.do("POST", "/iam/v2/service-accounts", map[string]string{"display_name": name}).want(c.t, 201).decode(c.t, &sa)
	return sa
}

func (c *client) createKey(owner string, resource any) ccloud.APIKey {
	c.t.Helper()
	spec := map[string]any{"owner": map[string]string{"id": owner}, "display_name": "k"}
	if resource != nil {
		spec["resource"] = resource
	}
	var k ccloud.APIKey
	c.do("POST", "/iam/v2/api-keys", map[string]any{"spec": spec}).want(c.t, 202).decode(c.t, &k)
	return k
}
