// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestServiceAccountList_pagesAndFilter lists 130 accounts over two pages,
// one request each, and one account by its display name; each result is
// the resource as an import reads it.
func TestServiceAccountList_pagesAndFilter(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	before := len(m.ServiceAccounts())
	for i := range 130 {
		desc := ""
		if i == 7 {
			desc = "pays the bills"
		}
		m.CreateServiceAccount("app "+strconv.Itoa(i), desc)
	}
	start := m.RequestCounts()["GET /iam/v2/service-accounts"]
	items, diags := results(t, s.list("ccloud_service_account", listOptions{includeResource: true}))
	if hasErrors(diags) || len(items) != before+130 {
		t.Fatalf("listed %d, want %d: %s", len(items), before+130, diagText(diags))
	}
	if n := m.RequestCounts()["GET /iam/v2/service-accounts"] - start; n != 2 {
		t.Errorf("%d requests for two pages", n)
	}

	items, diags = results(t, s.list("ccloud_service_account", listOptions{
		filters: map[string]string{"display_name": "app 7"}, includeResource: true,
	}))
	if hasErrors(diags) || len(items) != 1 {
		t.Fatalf("by name: listed %d: %s", len(items), diagText(diags))
	}
	l := items[0]
	if !strings.HasPrefix(l.DisplayName, l.ID+` "app 7" · pays the bills · created `) {
		t.Errorf("display name %q", l.DisplayName)
	}
	for attr, want := range map[string]string{"id": l.ID, "display_name": "app 7", "description": "pays the bills"} {
		if got, _ := l.str(attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	var force bool
	if err := l.Resource["force_destroy"].As(&force); err != nil || force {
		t.Errorf("force_destroy is not its default, false: %v", err)
	}
	if rn, _ := l.str("resource_name"); !strings.Contains(rn, l.ID) {
		t.Errorf("resource_name %q", rn)
	}

	// Without a description the resource has it null, as an import does.
	items, _ = results(t, s.list("ccloud_service_account", listOptions{
		filters: map[string]string{"display_name": "app 8"}, includeResource: true,
	}))
	if len(items) != 1 {
		t.Fatalf("app 8: %d results", len(items))
	}
	if _, set := items[0].str("description"); set {
		t.Error("an empty description is not null")
	}
}

// TestServiceAccountList_error reports a 403 as an error diagnostic with
// the API's explanation and ends the stream.
func TestServiceAccountList_error(t *testing.T) {
	t.Parallel()
	m, s := startListMock(t)
	m.AddFault(mockcloud.Fault{Route: "GET /iam/v2/service-accounts", Kind: mockcloud.FaultStatus, Status: http.StatusForbidden})
	all := s.list("ccloud_service_account", listOptions{})
	if len(all) != 1 || !hasErrors(all[0].Diagnostics) || !strings.Contains(diagText(all[0].Diagnostics), "lacks the permission") {
		t.Fatalf("want one error result, got %d: %s", len(all), diagText(all[0].Diagnostics))
	}
}
