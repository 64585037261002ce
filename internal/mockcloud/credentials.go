// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	mrand "math/rand/v2"
)

// The mock makes key IDs and secrets by the formats of the API reference
// (section 6) itself, so that the client's secret check, run on the
// mock's secrets in the tests, checks a format written down twice.
const (
	keyIDChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	keyIDLength = 16
	// A secret is "cflt", a body of 54 characters of the standard base64
	// alphabet, and a 6-character checksum of the body.
	secretPrefix     = "cflt"
	secretBodyLength = 54
	secretSumLength  = 6
)

// randomKeyID returns a random API key ID: 16 characters of [A-Z0-9].
func randomKeyID() string {
	b := make([]byte, keyIDLength)
	for i := range b {
		b[i] = keyIDChars[mrand.IntN(len(keyIDChars))]
	}
	return string(b)
}

// newSecret returns a random secret. The body comes from crypto/rand: the admin secret guards a server that
// may listen on a shared machine.
func newSecret() string {
	raw := make([]byte, secretBodyLength)
	if _, err := rand.Read(raw); err != nil {
		// crypto/rand does not fail on the platforms Go supports.
		panic("mockcloud: no random bytes: " + err.Error())
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	body := make([]byte, secretBodyLength)
	for i, v := range raw {
		// 64 divides 256, so every character is equally likely.
		body[i] = alphabet[int(v)%len(alphabet)]
	}
	return secretPrefix + string(body) + secretSum(body)
}

// secretSum is the checksum that ends a secret with this body: the standard
// base64 encoding, padding cut, of the little-endian CRC-32 (IEEE) of the
// body.
func secretSum(body []byte) string {
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE(body))
	return base64.StdEncoding.EncodeToString(sum[:])[:secretSumLength]
}
