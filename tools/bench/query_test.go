// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"strings"
	"testing"
)

// TestWriteQueryTarget judges the query's requests against the pages of
// keys plus the pages of accounts plus 5, inclusive.
func TestWriteQueryTarget(t *testing.T) {
	for calls, want := range map[int]string{11: "PASS", 16: "PASS", 17: "FAIL"} {
		var b strings.Builder
		writeQueryTarget(&b, queryResult{Keys: 1000, Calls: calls, KeyPages: 10, AccountPages: 1})
		if !strings.Contains(b.String(), "<= 16") || !strings.Contains(b.String(), want) {
			t.Errorf("%d calls: %q, want %s against <= 16", calls, b.String(), want)
		}
	}
}
