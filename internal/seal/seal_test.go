// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package seal_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

const plaintext = "cfltAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwx"

func ageKey(t *testing.T) (recipient, identity string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), id.String()
}

func sshEd25519Key(t *testing.T, passphrase string) (recipient, identity string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "test")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " someone@example", string(pem.EncodeToMemory(block))
}

func sshRSAKey(t *testing.T) (recipient, identity string) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))), string(pem.EncodeToMemory(block))
}

// TestSeal_roundTrip seals to three recipients of different kinds at once
// and opens the result with each one's identity.
func TestSeal_roundTrip(t *testing.T) {
	ageRec, ageID := ageKey(t)
	edRec, edID := sshEd25519Key(t, "")
	rsaRec, rsaID := sshRSAKey(t)

	sealed, err := seal.Seal(plaintext, []string{ageRec, edRec, rsaRec})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sealed, "-----BEGIN AGE ENCRYPTED FILE-----\n") ||
		!strings.HasSuffix(sealed, "-----END AGE ENCRYPTED FILE-----\n") {
		t.Fatalf("sealed secret is not an armoured age file:\n%s", sealed)
	}
	if strings.Contains(sealed, plaintext) {
		t.Fatal("the sealed secret contains the plaintext")
	}
	again, err := seal.Seal(plaintext, []string{ageRec})
	if err != nil {
		t.Fatal(err)
	}
	if again == sealed {
		t.Fatal("two seals produced the same ciphertext")
	}
	for name, id := range map[string]string{"age": ageID, "ssh-ed25519": edID, "ssh-rsa": rsaID} {
		got, err := seal.Open(sealed, id)
		if err != nil {
			t.Errorf("%s identity: %v", name, err)
			continue
		}
		if got != plaintext {
			t.Errorf("%s identity: opened %q", name, got)
		}
	}
	// age-keygen writes comments above the key; such a file works as is.
	got, err := seal.Open(sealed, "# created: 2026-01-01T00:00:00Z\n# public key: "+ageRec+"\n"+ageID+"\n")
	if err != nil || got != plaintext {
		t.Errorf("age key file with comments: %q, %v", got, err)
	}
}

func TestOpen_wrongIdentity(t *testing.T) {
	rec, _ := ageKey(t)
	_, otherID := ageKey(t)
	_, otherSSH := sshEd25519Key(t, "")
	sealed, err := seal.Seal(plaintext, []string{rec})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{otherID, otherSSH} {
		got, err := seal.Open(sealed, id)
		if !errors.Is(err, seal.ErrNoMatch) {
			t.Errorf("Open with a wrong identity = %q, %v; want ErrNoMatch", got, err)
		}
	}
}

func TestOpen_badInput(t *testing.T) {
	rec, id := ageKey(t)
	sealed, err := seal.Seal(plaintext, []string{rec})
	if err != nil {
		t.Fatal(err)
	}
	_, locked := sshEd25519Key(t, "hunter2")
	cases := map[string]struct{ sealed, identity, want string }{
		"empty identity":     {sealed, "", "empty"},
		"public key given":   {sealed, rec, "public key"},
		"garbage identity":   {sealed, "AGE-SECRET-KEY-1NOTAKEY", "not a valid age identity"},
		"passphrase SSH key": {sealed, locked, "passphrase"},
		"not age":            {"hello", id, "not a readable age file"},
		"truncated":          {sealed[:len(sealed)/2], id, "not a readable age file"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := seal.Open(c.sealed, c.identity)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to mention %q", err, c.want)
			}
			if c.identity != "" && strings.Contains(err.Error(), strings.TrimSpace(c.identity)) {
				t.Fatal("the error repeats the identity")
			}
		})
	}
}

func TestParseRecipient(t *testing.T) {
	ageRec, ageID := ageKey(t)
	edRec, edID := sshEd25519Key(t, "")
	rsaRec, _ := sshRSAKey(t)
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]string{ageRec: seal.KindAgeX25519, edRec: seal.KindSSHEd25519, rsaRec: seal.KindSSHRSA,
		pq.Recipient().String(): seal.KindAgeHybrid}
	for in, kind := range ok {
		if _, got, err := seal.ParseRecipient(in); err != nil || got != kind {
			t.Errorf("ParseRecipient(%.20s...) = %q, %v; want %q", in, got, err, kind)
		}
	}
	bad := map[string]string{
		"":                      "empty",
		ageID:                   "private key",
		edID:                    "private key",
		"age1notvalid":          "not a valid age X25519 recipient",
		"ssh-ed25519 AAAAnope":  "not a valid SSH public key",
		"ecdsa-sha2-nistp256 A": "unsupported SSH key type",
		"pgp:whatever":          "unknown recipient format",
	}
	for in, want := range bad {
		_, _, err := seal.ParseRecipient(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRecipient(%.20q) error %v, want it to mention %q", in, err, want)
		}
		if err != nil && in != "" && strings.Contains(err.Error(), in) {
			t.Errorf("ParseRecipient(%.20q) repeats its input in the error", in)
		}
	}
	// Post-quantum and classical recipients cannot share a file.
	if _, err := seal.ParseRecipients([]string{ageRec, pq.Recipient().String()}); err == nil ||
		!strings.Contains(err.Error(), "cannot be used together") {
		t.Errorf("mixed post-quantum and X25519 recipients: %v", err)
	}
}
