// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import "testing"

const docExampleSecret = "cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw"

func TestIsAPISecret(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in   string
		want bool
	}{
		"documented example":     {docExampleSecret, true},
		"one body char changed":  {"cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjx", false},
		"first body char":        {"cfltU8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw", false},
		"checksum char changed":  {"cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjW", false},
		"legacy secret":          {"R15hoiDIq8Nxu/lY4mPO3DwAVIfU5W7OI+efsB607mLgHTnVW5XJGVqX2ysDx987", false},
		"empty":                  {"", false},
		"too short":              {docExampleSecret[:63], false},
		"too long":               {docExampleSecret + "A", false},
		"invalid character":      {"cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn-dQm9q7w6SjzZ12wZfwjaJdipHZtDjw", false},
		"prefix in another case": {"CFLTT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := IsAPISecret(tc.in); got != tc.want {
				t.Fatalf("IsAPISecret(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestNewAPISecretValidates(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		s := NewAPISecret()
		if !IsAPISecret(s) {
			t.Fatalf("generated secret does not validate: length %d", len(s))
		}
		if seen[s] {
			t.Fatal("generated the same secret twice")
		}
		seen[s] = true
	}
}

func FuzzIsAPISecret(f *testing.F) {
	f.Add(docExampleSecret)
	f.Add("")
	f.Add("cflt")
	f.Fuzz(func(t *testing.T, s string) {
		ok := IsAPISecret(s)
		if ok && (len(s) != SecretLen || !HasSecretPrefix(s)) {
			t.Fatalf("accepted malformed secret of length %d", len(s))
		}
	})
}
