// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"golang.org/x/crypto/ssh"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// newAgeIdentity returns a fresh age recipient and identity.
func newAgeIdentity(t *testing.T) (recipient, identity string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), id.String()
}

// newSSHIdentity returns a fresh ssh-ed25519 public key and its unencrypted
// OpenSSH private key.
func newSSHIdentity(t *testing.T) (recipient, identity string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))), string(pem.EncodeToMemory(block))
}

func mustSeal(t *testing.T, plaintext string, recipients ...string) string {
	t.Helper()
	s, err := seal.Seal(plaintext, recipients)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAccDecryptSecretFunction_values decrypts with an age identity and an
// SSH key, and checks the errors for a wrong identity, a sealed value that is
// not an API secret, damaged ciphertext and an unusable identity. No error
// may repeat the identity or the plaintext.
func TestAccDecryptSecretFunction_values(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	ageRec, ageID := newAgeIdentity(t)
	sshRec, sshID := newSSHIdentity(t)
	_, otherID := newAgeIdentity(t)
	secret := ccloud.NewAPISecret()
	legacy := strings.Repeat("Ab1+/", 12) + "wxyz"
	sealed := mustSeal(t, secret, ageRec, sshRec)
	notASecret := mustSeal(t, "hunter2", ageRec)
	// One body character of a sealed cflt secret flipped: the checksum fails.
	typo := mustSeal(t, secret[:20]+string(rune(secret[20]^1))+secret[21:], ageRec)
	damaged := strings.Replace(sealed, "\n", "\nAAAA", 3)

	call := func(sealed, identity string) string {
		return fmt.Sprintf(`output "x" {
  value = provider::ccloud::decrypt_secret(%q, %q)
}
`, sealed, identity)
	}
	steps := []resource.TestStep{
		{
			Config: fmt.Sprintf(`output "age" {
  value = provider::ccloud::decrypt_secret(%q, %q)
}

output "ssh" {
  value = provider::ccloud::decrypt_secret(%q, %q)
}

output "legacy" {
  value = provider::ccloud::decrypt_secret(%q, %q)
}
`, sealed, ageID, sealed, sshID, mustSeal(t, legacy, ageRec), ageID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("age", knownvalue.StringExact(secret)),
				statecheck.ExpectKnownOutputValue("ssh", knownvalue.StringExact(secret)),
				statecheck.ExpectKnownOutputValue("legacy", knownvalue.StringExact(legacy)),
			},
		},
	}
	for _, c := range []struct {
		sealed, identity string
		want             string
	}{
		{sealed, otherID, `identity cannot decrypt this secret: it does not match any of the key's secret_recipients`},
		{notASecret, ageID, `decrypted, but not to a Confluent Cloud API secret`},
		{typo, ageID, `decrypted, but not to a Confluent Cloud API secret`},
		{damaged, ageID, `encrypted_secret is not a sealed secret`},
		{"", ageID, `encrypted_secret is empty`},
		{sealed, ageRec, `identity is not usable: this is a public key`},
		{sealed, "AGE-SECRET-KEY-1QQQ", `identity is not usable: not a valid age identity`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      call(c.sealed, c.identity),
			ExpectError: regexp.MustCompile(`(?s)Invalid function argument.*` + strings.ReplaceAll(c.want, " ", `\s+`)),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	})
}
