// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// Two ways into state should give the same state: an import block with `id`
// and one with `identity`, for instance. terraform-plugin-testing compares
// states only for the legacy import command (ImportStateVerify), so a test
// captures the attributes of one step and compares a later step's with them.

// CaptureAttributes stores every attribute of the resource at addr in *dst
// for a later step's ExpectSameAttributes. It fails when addr is not in
// state, so it asserts as well as records.
func CaptureAttributes(addr string, dst *map[string]any) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		*dst = r.AttributeValues
		return nil
	})
}

// ExpectSameAttributes checks that the resource at addr has exactly the
// attributes *want holds (captured earlier by CaptureAttributes), each with
// the same value, except the attributes named in except: those whose value
// may rightly differ, such as a ciphertext that is encrypted afresh each
// time. The error names the attributes that differ and never their values,
// which may be secrets.
func ExpectSameAttributes(addr string, want *map[string]any, except ...string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		if *want == nil {
			return fmt.Errorf("no attributes were captured to compare %s with", addr)
		}
		r, err := resourceAt(s, addr)
		if err != nil {
			return err
		}
		skip := map[string]bool{}
		for _, name := range except {
			skip[name] = true
		}
		names := map[string]bool{}
		for name := range *want {
			names[name] = true
		}
		for name := range r.AttributeValues {
			names[name] = true
		}
		var differ []string
		for name := range names {
			if skip[name] {
				continue
			}
			got, inGot := r.AttributeValues[name]
			exp, inWant := (*want)[name]
			if inGot != inWant || !reflect.DeepEqual(got, exp) {
				differ = append(differ, name)
			}
		}
		if len(differ) > 0 {
			sort.Strings(differ)
			return fmt.Errorf("%s differs from the captured state in %s", addr, strings.Join(differ, ", "))
		}
		return nil
	})
}
