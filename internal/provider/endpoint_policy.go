// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// checkEndpointTransport refuses an http:// endpoint unless its host is a
// loopback address. Every request carries the Cloud API key and secret as
// Basic credentials, which plain HTTP would send in clear text across the
// network; on the loopback interface (a local mock, or a local TLS proxy)
// they never leave the machine.
func checkEndpointTransport(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		// Malformed URLs and other schemes are the client's to reject.
		return nil
	}
	if ccloud.IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("the endpoint %s uses http:// with the host %q, which is not a loopback address. Every "+
		"request carries the Cloud API key and secret, which plain HTTP would send in clear text. Use https://, "+
		"or http:// only on localhost, 127.0.0.0/8 or [::1] (for example the bundled mock). Set the endpoint "+
		"attribute or the %s environment variable", u.Redacted(), u.Hostname(), EnvEndpoint)
}
