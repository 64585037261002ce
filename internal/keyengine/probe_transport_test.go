// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestWaitReady_refusesPlainHTTPProbeURL resolves a data-plane URL that is
// http:// on a remote host, as an API answer could hold: the wait ends at
// once with a *ccloud.PlainHTTPError, no probe is sent, the secret is in no
// message, and the refusal is not cached as the endpoint's URL. A loopback
// http:// URL (the mock) is probed as before.
func TestWaitReady_refusesPlainHTTPProbeURL(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		e := newTestEngine(newMockClient(t, m))
		var probes atomic.Int32
		e.probe = func(context.Context, string, string, string) error {
			probes.Add(1)
			return nil
		}
		const secret = "cfltS3CR3Tsecretvalue0000000000000000000000000000000000000000000"
		var lookups atomic.Int32
		remote := Target{Scope: ccloud.ScopeKafka, Resource: "lkc-remote", Lookup: func(context.Context) (string, error) {
			lookups.Add(1)
			return ccloud.KafkaProbeURL("http://pkc-remote.us-east-1.aws.confluent.cloud:80", "lkc-remote"), nil
		}}
		for i := range 2 {
			_, err := e.WaitReady(context.Background(), remote, "NEWKEYID00000000", secret)
			var plain *ccloud.PlainHTTPError
			if !errors.As(err, &plain) {
				t.Fatalf("wait %d: WaitReady = %v, want a *ccloud.PlainHTTPError", i, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("the error holds the secret: %v", err)
			}
		}
		if n := probes.Load(); n != 0 {
			t.Errorf("%d probes were sent to a plain-HTTP remote URL, want 0", n)
		}
		if n := lookups.Load(); n != 2 {
			t.Errorf("the URL was looked up %d times, want 2 (a refusal is not cached)", n)
		}

		local := Target{Scope: ccloud.ScopeKafka, Resource: "lkc-local", Successes: 1, Lookup: func(context.Context) (string, error) {
			return ccloud.KafkaProbeURL(m.URL(), "lkc-local"), nil
		}}
		if _, err := e.WaitReady(context.Background(), local, "NEWKEYID00000000", secret); err != nil {
			t.Fatalf("loopback: %v", err)
		}
		if n := probes.Load(); n < 1 {
			t.Errorf("no probe was sent to the loopback URL")
		}
	})
}
