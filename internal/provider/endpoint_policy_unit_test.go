// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// TestCheckEndpointShape checks that only a base URL passes, and that the
// message names the endpoint's source and the part to remove without
// repeating user information, a query or a fragment.
func TestCheckEndpointShape(t *testing.T) {
	t.Parallel()
	for endpoint, want := range map[string]string{
		"https://api.confluent.cloud":          "",
		"https://api.confluent.cloud/":         "",
		"https://example.com:8443":             "",
		"http://127.0.0.1:8080/":               "",
		"HTTPS://API.CONFLUENT.CLOUD":          "",
		"api.confluent.cloud":                  "", // Not a URL: the client's message.
		"ftp://api.confluent.cloud/x":          "", // Another scheme: the client's message.
		"https://user:pw@api.confluent.cloud":  "user information",
		"https://user@api.confluent.cloud/":    "user information",
		"https://api.confluent.cloud/v2":       `the path "/v2"`,
		"https://example.com:8443/base/":       `the path "/base/"`,
		"https://api.confluent.cloud//":        `the path "//"`,
		"https://api.confluent.cloud?token=pw": "a query",
		"https://api.confluent.cloud/?":        "a query",
		"https://api.confluent.cloud#pw":       "a fragment",
		"https://api.confluent.cloud/#":        "a fragment",
	} {
		err := checkEndpointShape(endpoint, "The endpoint")
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", endpoint, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), "The endpoint (host ") ||
			!strings.Contains(err.Error(), "holds "+want)):
			t.Errorf("%q: want an error naming the endpoint and holding %q, got %v", endpoint, want, err)
		case err != nil && (strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "token")):
			t.Errorf("%q: the error repeats a secret part of the URL: %v", endpoint, err)
		}
	}
}

// TestConfigure_endpointShapeFromEnvironment checks that an endpoint from
// CONFLUENT_CLOUD_ENDPOINT, which no validator sees, is refused in Configure
// with a message naming the variable, and that a base URL there passes.
func TestConfigure_endpointShapeFromEnvironment(t *testing.T) {
	ctx := context.Background()
	p := &ccloudProvider{}
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(at, nil)
	}
	nulls["cloud_api_key"] = tftypes.NewValue(tftypes.String, "KEY")
	nulls["cloud_api_secret"] = tftypes.NewValue(tftypes.String, "SECRET")
	config := tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nulls)}
	for env, want := range map[string]string{
		"https://api.confluent.cloud/":      "",
		"https://api.confluent.cloud/v2":    `The ` + EnvEndpoint + ` environment variable (host api.confluent.cloud) holds the path "/v2"`,
		"https://me:pw@api.confluent.cloud": `The ` + EnvEndpoint + ` environment variable (host api.confluent.cloud) holds user information`,
	} {
		t.Setenv(EnvEndpoint, env)
		var resp provider.ConfigureResponse
		p.Configure(ctx, provider.ConfigureRequest{Config: config}, &resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics.Errors()[0].Detail()
		}
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%s=%q: got %q, want an error containing %q", EnvEndpoint, env, got, want)
		}
	}
}
