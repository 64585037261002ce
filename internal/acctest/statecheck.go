// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The state checks in the statecheck*.go files cross-check what Terraform
// recorded against what the mock holds. Each is a statecheck.StateCheck for
// a step's ConfigStateChecks; the ones that look only at the mock also serve
// as a TestCase's CheckDestroy through Destroyed. IDs captured in one step
// and checked in a later one are passed as pointers, read when the check
// runs.

// checkFunc adapts a function to statecheck.StateCheck.
type checkFunc func(*tfjson.State) error

// CheckState runs the function on the step's JSON state.
func (f checkFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}

// mockCheck is a state check that reads only the mock: it needs no state,
// so it also runs after the final destroy.
func mockCheck(f func() error) checkFunc {
	return func(*tfjson.State) error { return f() }
}

// Destroyed runs state checks that look only at the mock as a TestCase's
// CheckDestroy. They get an empty state, so a check that needs a resource
// fails rather than passing vacuously.
func Destroyed(checks ...statecheck.StateCheck) func(*terraform.State) error {
	return func(*terraform.State) error {
		empty := &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{}}}
		var errs []error
		for _, c := range checks {
			var resp statecheck.CheckStateResponse
			c.CheckState(context.Background(), statecheck.CheckStateRequest{State: empty}, &resp)
			errs = append(errs, resp.Error)
		}
		return errors.Join(errs...)
	}
}

// rootResources returns the resources and data sources of the root module.
// A state with no values is empty: terraform show -json renders a state
// without resources that way.
func rootResources(s *tfjson.State) ([]*tfjson.StateResource, error) {
	if s == nil {
		return nil, errors.New("there is no state")
	}
	if s.Values == nil || s.Values.RootModule == nil {
		return nil, nil
	}
	return s.Values.RootModule.Resources, nil
}

// managedResources returns the managed resources of the root module, in
// the order of the state.
func managedResources(s *tfjson.State) ([]*tfjson.StateResource, error) {
	all, err := rootResources(s)
	var out []*tfjson.StateResource
	for _, r := range all {
		if r.Mode == tfjson.ManagedResourceMode {
			out = append(out, r)
		}
	}
	return out, err
}

// resourceAt returns the managed or data resource at addr.
func resourceAt(s *tfjson.State, addr string) (*tfjson.StateResource, error) {
	all, err := rootResources(s)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.Address == addr {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s is not in state", addr)
}

// stringAttr returns a string attribute of r; null is the empty string.
func stringAttr(r *tfjson.StateResource, name string) string {
	v, _ := r.AttributeValues[name].(string)
	return v
}

// stateIDAt returns the id attribute of the resource at addr.
func stateIDAt(s *tfjson.State, addr string) (string, error) {
	r, err := resourceAt(s, addr)
	if err != nil {
		return "", err
	}
	id := stringAttr(r, "id")
	if id == "" {
		return "", fmt.Errorf("%s has no id in state", addr)
	}
	return id, nil
}

// isAPIKey reports whether a resource type is one of the API key
// resources (ccloud_kafka_api_key, ccloud_cloud_api_key, ...).
func isAPIKey(r *tfjson.StateResource) bool { return strings.HasSuffix(r.Type, "_api_key") }

// CaptureID stores the ID of the resource at addr in *dst, for checks and
// PreConfig functions of later steps. It fails when addr has no ID, so it
// asserts as well as records.
func CaptureID(addr string, dst *string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		id, err := stateIDAt(s, addr)
		*dst = id
		return err
	})
}

// StringAt is a knownvalue check for the string *want holds when the check
// runs, such as an ID captured by an earlier step.
func StringAt(want *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if v != *want {
			return fmt.Errorf("got %s, want %s", v, *want)
		}
		return nil
	})
}

// StringNotAt is a knownvalue check for any string but the one *other
// holds when the check runs, such as the ID of a key that must have been
// replaced.
func StringNotAt(other *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if v == "" || v == *other {
			return fmt.Errorf("got %q, want a value other than %q", v, *other)
		}
		return nil
	})
}

// ExpectResourceCount checks that state holds exactly n managed resources.
func ExpectResourceCount(n int) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		rs, err := managedResources(s)
		if err != nil {
			return err
		}
		if len(rs) != n {
			return fmt.Errorf("state holds %d resources, want %d", len(rs), n)
		}
		return nil
	})
}

// ExpectNoValueIn checks that no string attribute of any resource or data
// source, at any depth, is one of the values in forbidden, which a test may
// fill as it runs.
func ExpectNoValueIn(forbidden map[string]bool) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		all, err := rootResources(s)
		if err != nil {
			return err
		}
		for _, r := range all {
			if v, ok := findString(r.AttributeValues, forbidden); ok {
				return fmt.Errorf("%s holds the value %s", r.Address, v)
			}
		}
		return nil
	})
}

// findString returns the first string in v, at any depth, that is in set.
func findString(v any, set map[string]bool) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, set[x]
	case map[string]any:
		for _, e := range x {
			if s, ok := findString(e, set); ok {
				return s, true
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := findString(e, set); ok {
				return s, true
			}
		}
	}
	return "", false
}
