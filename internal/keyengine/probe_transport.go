// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// refusingPlainHTTP returns t with a Lookup that fails with a
// *ccloud.PlainHTTPError when the URL it finds is http:// to a host that is
// not a loopback address. Probe URLs come from API answers (a cluster's HTTP
// endpoint), and a probe carries the new key's secret, so the URL is checked
// before the first probe rather than left to fail probe by probe: the wait
// ends at once, and no secret is sent. ccloud.Client.Probe checks again, for
// callers that probe without the engine.
func (t Target) refusingPlainHTTP() Target {
	lookup := t.Lookup
	t.Lookup = func(ctx context.Context) (string, error) {
		u, err := lookup(ctx)
		if err != nil {
			return u, err
		}
		if err := ccloud.CheckSecretTransport(u); err != nil {
			return "", err
		}
		return u, nil
	}
	return t
}
