// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"math/big"
	"strings"
)

// Since 2025-07-30 Confluent Cloud issues API secrets of the form
// "cflt" + 54 base64-alphabet characters + a 6-character checksum, 64 in all.
// The checksum is the standard base64 encoding, padding stripped, of the
// little-endian CRC-32 (IEEE) of the 54-character body.
const (
	secretPrefix      = "cflt"
	secretBodyLen     = 54
	secretChecksumLen = 6
	// SecretLen is the length of a secret, old or new format.
	SecretLen = len(secretPrefix) + secretBodyLen + secretChecksumLen

	base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	// KeyIDLen is the length of an API key ID.
	KeyIDLen = 16
)

// IsAPISecret reports whether s is a well-formed secret of the cflt format
// whose checksum matches. Legacy secrets without the prefix are reported as
// false: they carry no checksum that could be verified.
func IsAPISecret(s string) bool {
	if len(s) != SecretLen || !strings.HasPrefix(s, secretPrefix) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(base64Alphabet, s[i]) < 0 {
			return false
		}
	}
	body := s[len(secretPrefix) : len(secretPrefix)+secretBodyLen]
	return s[len(s)-secretChecksumLen:] == secretChecksum(body)
}

// HasSecretPrefix reports whether s claims to be a secret of the cflt
// format, so callers can check the checksum only where one is expected.
func HasSecretPrefix(s string) bool {
	return strings.HasPrefix(s, secretPrefix)
}

func secretChecksum(body string) string {
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE([]byte(body)))
	return base64.StdEncoding.EncodeToString(sum[:])[:secretChecksumLen]
}

// NewAPISecret returns a fresh random secret of the cflt format.
func NewAPISecret() string {
	body := randomString(base64Alphabet, secretBodyLen)
	return secretPrefix + body + secretChecksum(body)
}

func randomString(alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	limit := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			// crypto/rand does not fail on supported platforms; a failure
			// here means the system has no entropy source at all.
			panic("ccloud: reading random bytes: " + err.Error())
		}
		b.WriteByte(alphabet[v.Int64()])
	}
	return b.String()
}
