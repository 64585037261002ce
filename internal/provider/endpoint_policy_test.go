// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
)

func TestCheckEndpointTransport(t *testing.T) {
	for endpoint, ok := range map[string]bool{
		"https://api.confluent.cloud":   true,
		"https://example.com:8443/base": true,
		"http://127.0.0.1:8080":         true,
		"http://127.8.9.10":             true,
		"http://[::1]:8080":             true,
		"http://localhost:8080":         true,
		"HTTP://LOCALHOST.":             true,
		"http://api.confluent.cloud":    false,
		"http://10.0.0.1:8080":          false,
		"http://[::ffff:10.0.0.1]":      false,
		"http://128.0.0.1":              false,
		"http://localhost.example.com":  false,
		"http://127.0.0.1.nip.io":       false,
		"http://user:pw@example.com/x":  false,
		"http://0.0.0.0:8080":           false,
	} {
		err := checkEndpointTransport(endpoint)
		if (err == nil) != ok {
			t.Errorf("checkEndpointTransport(%q) = %v, want ok=%v", endpoint, err, ok)
		}
		if err != nil {
			if !strings.Contains(err.Error(), EnvEndpoint) || !strings.Contains(err.Error(), "endpoint") {
				t.Errorf("the error for %q does not name the attribute and its variable: %v", endpoint, err)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("the error for %q repeats a password in the URL: %v", endpoint, err)
			}
		}
	}
}
