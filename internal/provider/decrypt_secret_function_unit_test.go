// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// TestOpenAPISecret_errorsHoldNoSecrets checks every failure of
// decrypt_secret for the identity, the plaintext and the ciphertext.
func TestOpenAPISecret_errorsHoldNoSecrets(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	secret := ccloud.NewAPISecret()
	sealed, err := seal.Seal(secret, []string{id.Recipient().String()})
	if err != nil {
		t.Fatal(err)
	}
	notSecret, err := seal.Seal("cfltnot-a-secret-but-private", []string{id.Recipient().String()})
	if err != nil {
		t.Fatal(err)
	}
	got, ferr := openAPISecret(sealed, id.String())
	if ferr != nil || got != secret {
		t.Fatalf("openAPISecret with the right identity: %v", ferr)
	}
	cases := []struct{ sealed, identity string }{
		{sealed, other.String()},
		{notSecret, id.String()},
		{sealed[:100], id.String()},
		{sealed, "AGE-SECRET-KEY-1" + strings.Repeat("Q", 40)},
		{sealed, "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----"},
	}
	for i, c := range cases {
		_, ferr := openAPISecret(c.sealed, c.identity)
		if ferr == nil {
			t.Errorf("case %d: no error", i)
			continue
		}
		for _, s := range []string{secret, id.String(), other.String(), "not-a-secret-but-private", "c2VjcmV0LWtleS1tYXRlcmlhbA", strings.Repeat("Q", 40)} {
			if strings.Contains(ferr.Text, s) {
				t.Errorf("case %d: the error %q repeats secret material", i, ferr.Text)
			}
		}
	}
}

func TestLooksLikeAPISecret(t *testing.T) {
	good := ccloud.NewAPISecret()
	for s, want := range map[string]bool{
		good:                             true,
		good[:63] + "A":                  good[63] == 'A',
		strings.Repeat("Ab1+", 16):       true,
		strings.Repeat("Ab1+", 15):       false,
		strings.Repeat("Ab1-", 16):       false,
		"hunter2":                        false,
		"cflt" + strings.Repeat("A", 60): ccloud.IsAPISecret("cflt" + strings.Repeat("A", 60)),
	} {
		if got := looksLikeAPISecret(s); got != want {
			t.Errorf("looksLikeAPISecret(%.10q...) = %v, want %v", s, got, want)
		}
	}
}
