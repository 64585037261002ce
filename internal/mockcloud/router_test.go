// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"testing"
)

// The ServeMux patterns must keep the hand-made router's answers: HEAD on a
// GET route is a 405, a trailing slash is ignored, an unclean path is a 404
// (not a redirect), and an unknown admin endpoint or method is a 404 once
// the admin key is checked.
func TestServeMuxEdges(t *testing.T) {
	s := Start(t, Options{})
	c := newClient(t, s)

	r := c.do("HEAD", "/iam/v2/users", nil).want(t, http.StatusMethodNotAllowed)
	if allow := r.Header.Get("Allow"); allow != "GET" {
		t.Errorf("HEAD: Allow %q, want GET", allow)
	}
	c.do("GET", "/iam/v2/users/", nil).want(t, http.StatusOK)
	c.do("GET", "/iam/v2//users", nil).want(t, http.StatusNotFound).failure(t)
	c.do("GET", "/org/v2/environments/env-q1ck5t/", nil).want(t, http.StatusOK)

	counts := s.RequestCounts()
	for route, want := range map[string]int{
		"HEAD /iam/v2/users":            1,
		"GET /iam/v2/users":             1,
		"GET UNMATCHED":                 1,
		"GET /org/v2/environments/{id}": 1,
	} {
		if counts[route] != want {
			t.Errorf("counts[%q] = %d, want %d (all: %v)", route, counts[route], want, counts)
		}
	}

	c.do("GET", "/_mock/faults", nil).want(t, http.StatusNotFound).failure(t)
	c.do("GET", "/_mock/nothing/here", nil).want(t, http.StatusNotFound).failure(t)
	c.do("GET", "/_mock", nil).want(t, http.StatusNotFound).failure(t)
	c.as("", "").do("GET", "/_mock/nothing", nil).want(t, http.StatusUnauthorized)
	c.as("", "").do("GET", "/_mock/counters", nil).want(t, http.StatusUnauthorized)
	c.do("GET", "/_mock/counters/", nil).want(t, http.StatusOK)
	if got := s.RequestCounts(); len(got) != len(counts) {
		t.Errorf("admin requests were counted: %v", got)
	}
}
