// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// MockServiceAccountsNamed returns the mock's service accounts with the
// display name.
func MockServiceAccountsNamed(m *mockcloud.Server, name string) []ccloud.ServiceAccount {
	var out []ccloud.ServiceAccount
	for _, sa := range m.ServiceAccounts() {
		if sa.DisplayName == name {
			out = append(out, sa)
		}
	}
	return out
}

// ExpectMockServiceAccount checks that the mock has exactly one service
// account with the display name, with this description, and, unless addr
// is empty, that it is the account state tracks at addr.
func ExpectMockServiceAccount(m *mockcloud.Server, addr, name, description string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		found := MockServiceAccountsNamed(m, name)
		if len(found) != 1 {
			return fmt.Errorf("the mock has %d service accounts named %q, want 1", len(found), name)
		}
		if found[0].Description != description {
			return fmt.Errorf("the mock's description of %q is %q, want %q", name, found[0].Description, description)
		}
		if addr == "" {
			return nil
		}
		id, err := stateIDAt(s, addr)
		if err != nil {
			return err
		}
		if id != found[0].ID {
			return fmt.Errorf("state tracks %s at %s, the mock's account %q is %s", id, addr, name, found[0].ID)
		}
		return nil
	})
}

// ExpectNoMockServiceAccounts checks that the mock has no service account
// with any of the display names.
func ExpectNoMockServiceAccounts(m *mockcloud.Server, names ...string) statecheck.StateCheck {
	return mockCheck(func() error {
		for _, n := range names {
			if len(MockServiceAccountsNamed(m, n)) != 0 {
				return fmt.Errorf("the mock still has a service account named %q", n)
			}
		}
		return nil
	})
}

// ExpectMockServiceAccountCount checks that the mock has n service
// accounts.
func ExpectMockServiceAccountCount(m *mockcloud.Server, n int) statecheck.StateCheck {
	return mockCheck(func() error {
		if got := len(m.ServiceAccounts()); got != n {
			return fmt.Errorf("the mock has %d service accounts, want %d", got, n)
		}
		return nil
	})
}

// ExpectRequestCount checks that the mock counted n requests on the route
// (such as "POST /iam/v2/api-keys") since its counters were last reset.
func ExpectRequestCount(m *mockcloud.Server, route string, n int) statecheck.StateCheck {
	return mockCheck(func() error {
		if got := m.RequestCounts()[route]; got != n {
			return fmt.Errorf("the mock counted %d %s requests, want %d", got, route, n)
		}
		return nil
	})
}

// ExpectNoRequests checks that the mock counted no request with the HTTP
// method (such as "PATCH" or "DELETE") on any route since its counters were
// last reset.
func ExpectNoRequests(m *mockcloud.Server, method string) statecheck.StateCheck {
	return mockCheck(func() error {
		for route, n := range m.RequestCounts() {
			if n > 0 && strings.HasPrefix(route, method+" ") {
				return fmt.Errorf("the mock counted %d %s request(s)", n, route)
			}
		}
		return nil
	})
}
