// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package seal encrypts API secrets to age recipients before they reach
// Terraform state, and decrypts them again with a matching identity.
//
// Sealed secrets are age files in the ASCII armour ("-----BEGIN AGE
// ENCRYPTED FILE-----"): text that Terraform stores as an ordinary string,
// that diffs and copies cleanly, and that the age command line decrypts as it
// is (`age -d -i key.txt`). The package knows nothing about Terraform.
package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"
)

// maxSealedLen bounds what Open reads. A sealed API secret to a few dozen
// recipients is a few kilobytes; anything far larger is not one.
const maxSealedLen = 1 << 20

// Recipient kinds, as ParseRecipient reports them.
const (
	KindAgeX25519  = "age X25519"
	KindAgeHybrid  = "age post-quantum hybrid"
	KindSSHEd25519 = "ssh-ed25519"
	KindSSHRSA     = "ssh-rsa"
)

// ParseRecipient parses one public key: an age X25519 recipient ("age1..."),
// an age post-quantum hybrid recipient ("age1pq1..."), or an SSH public key
// of type ssh-ed25519 or ssh-rsa in authorized_keys form (a trailing comment
// is allowed). It returns the recipient and its kind. Errors never repeat
// the input, because a private key pasted by mistake must not end up in an
// error message.
func ParseRecipient(s string) (age.Recipient, string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, "", errors.New("the recipient is empty")
	case strings.HasPrefix(s, "AGE-SECRET-KEY-"), strings.Contains(s, "PRIVATE KEY"):
		return nil, "", errors.New("this is a private key (an identity), not a public key: give the public " +
			"key here, and keep the private key out of the configuration")
	case strings.HasPrefix(s, "age1pq1"):
		r, err := age.ParseHybridRecipient(s)
		if err != nil {
			return nil, "", errors.New("not a valid age post-quantum recipient (\"age1pq1...\")")
		}
		return r, KindAgeHybrid, nil
	case strings.HasPrefix(s, "age1"):
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, "", errors.New("not a valid age X25519 recipient: expected \"age1\" followed by 58 " +
				"lower-case Bech32 characters, as age-keygen prints it")
		}
		return r, KindAgeX25519, nil
	case strings.HasPrefix(s, "ssh-ed25519 "), strings.HasPrefix(s, "ssh-rsa "):
		pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
		if err != nil {
			return nil, "", errors.New("not a valid SSH public key: expected one line such as " +
				"\"ssh-ed25519 AAAA... comment\", as in a .pub file")
		}
		switch pub.Type() {
		case ssh.KeyAlgoED25519:
			r, err := agessh.NewEd25519Recipient(pub)
			if err != nil {
				return nil, "", errors.New("not a usable ssh-ed25519 public key")
			}
			return r, KindSSHEd25519, nil
		case ssh.KeyAlgoRSA:
			r, err := agessh.NewRSARecipient(pub)
			if err != nil {
				return nil, "", fmt.Errorf("not a usable ssh-rsa public key: %w", err)
			}
			return r, KindSSHRSA, nil
		}
		return nil, "", errors.New("unsupported SSH key type")
	case strings.HasPrefix(s, "ssh-"), strings.HasPrefix(s, "ecdsa-"), strings.HasPrefix(s, "sk-"):
		return nil, "", errors.New("unsupported SSH key type: only ssh-ed25519 and ssh-rsa keys can receive " +
			"age-encrypted data")
	}
	return nil, "", errors.New("unknown recipient format: expected an age public key (\"age1...\") or an SSH " +
		"public key (\"ssh-ed25519 ...\" or \"ssh-rsa ...\")")
}

// ParseRecipients parses every recipient and checks that they can be used
// together: age refuses to mix post-quantum and classical recipients in one
// file, because the file would only be as strong as the weakest.
func ParseRecipients(list []string) ([]age.Recipient, error) {
	if len(list) == 0 {
		return nil, errors.New("no recipients")
	}
	recipients := make([]age.Recipient, 0, len(list))
	for i, s := range list {
		r, _, err := ParseRecipient(s)
		if err != nil {
			return nil, fmt.Errorf("recipient %d: %w", i+1, err)
		}
		recipients = append(recipients, r)
	}
	// A trial encryption of nothing finds incompatible combinations now
	// rather than when a real secret is at stake.
	if _, err := age.Encrypt(io.Discard, recipients...); err != nil {
		return nil, fmt.Errorf("these recipients cannot be used together: %w", err)
	}
	return recipients, nil
}

// Seal encrypts plaintext to every recipient and returns the armoured age
// file. Each call produces a different ciphertext.
func Seal(plaintext string, recipients []string) (string, error) {
	rs, err := ParseRecipients(recipients)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, rs...)
	if err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if _, err := io.WriteString(w, plaintext); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	if err := aw.Close(); err != nil {
		return "", fmt.Errorf("encrypting: %w", err)
	}
	return buf.String(), nil
}

// ParseIdentity parses a private key: one or more age identities
// ("AGE-SECRET-KEY-1...", one a line, "#" comments allowed, as age-keygen
// writes them) or an unencrypted OpenSSH or PEM private key of type ed25519
// or RSA. Errors never repeat the input.
func ParseIdentity(s string) ([]age.Identity, error) {
	trimmed := strings.TrimSpace(s)
	switch {
	case trimmed == "":
		return nil, errors.New("the identity is empty")
	case strings.HasPrefix(trimmed, "-----BEGIN"):
		id, err := agessh.ParseIdentity([]byte(trimmed))
		if err != nil {
			var missing *ssh.PassphraseMissingError
			if errors.As(err, &missing) {
				return nil, errors.New("the SSH private key is protected by a passphrase, which a Terraform " +
					"function cannot ask for: use an age identity or an unencrypted key kept in a secret store")
			}
			return nil, errors.New("not a usable SSH private key: only unencrypted ed25519 and RSA keys " +
				"in OpenSSH or PEM form are supported")
		}
		return []age.Identity{id}, nil
	case strings.HasPrefix(trimmed, "age1"), strings.HasPrefix(trimmed, "ssh-"):
		return nil, errors.New("this is a public key (a recipient): decrypting needs the matching private key")
	}
	ids, err := age.ParseIdentities(strings.NewReader(trimmed))
	if err != nil {
		return nil, errors.New("not a valid age identity: expected lines such as \"AGE-SECRET-KEY-1...\" as " +
			"age-keygen writes them, or an SSH private key")
	}
	return ids, nil
}

// ErrNoMatch means the identity is not one of the recipients the secret was
// sealed to.
var ErrNoMatch = errors.New("the identity does not match any recipient the secret was sealed to")

// Open decrypts an armoured age file (a binary age file is accepted too)
// with the identity and returns the plaintext.
func Open(sealed, identity string) (string, error) {
	ids, err := ParseIdentity(identity)
	if err != nil {
		return "", err
	}
	var src io.Reader = strings.NewReader(sealed)
	if strings.HasPrefix(strings.TrimSpace(sealed), armor.Header) {
		src = armor.NewReader(strings.NewReader(strings.TrimSpace(sealed)))
	}
	r, err := age.Decrypt(src, ids...)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return "", ErrNoMatch
		}
		return "", fmt.Errorf("not a readable age file: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSealedLen+1))
	if err != nil {
		return "", fmt.Errorf("decrypting: %w", err)
	}
	if len(b) > maxSealedLen {
		return "", errors.New("the decrypted content is far too large to be an API secret")
	}
	return string(b), nil
}
