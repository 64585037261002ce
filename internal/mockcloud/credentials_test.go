// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// TestNewSecret checks the mock's secrets against the checksum of the
// documentation's example secret and against the client's check.
func TestNewSecret(t *testing.T) {
	t.Parallel()
	const docExample = "cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw"
	body := docExample[len(secretPrefix) : len(secretPrefix)+secretBodyLength]
	if got := secretSum([]byte(body)); got != docExample[len(docExample)-secretSumLength:] {
		t.Errorf("checksum of the documented secret = %q, want %q", got, docExample[len(docExample)-secretSumLength:])
	}
	seen := map[string]bool{}
	for range 50 {
		s := newSecret()
		if len(s) != 64 || !ccloud.IsAPISecret(s) {
			t.Fatalf("newSecret() = a %d-character string the client does not accept as a secret", len(s))
		}
		if seen[s] {
			t.Fatal("newSecret returned the same secret twice")
		}
		seen[s] = true
	}
	id := randomKeyID()
	if len(id) != 16 {
		t.Errorf("randomKeyID() = %q, want 16 characters", id)
	}
	for _, c := range id {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			t.Errorf("randomKeyID() = %q, want only [A-Z0-9]", id)
		}
	}
}
