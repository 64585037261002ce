// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestClassifyListed tells the three kinds of listed key apart by the
// sweep's rule, on keys as the API lists them: a running lease is leased,
// an expired one abandoned, and no marker, or a marker of an older version
// without a deadline, is plain.
func TestClassifyListed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{})
		c := newMockClient(t, m)
		e := newBubbleEngine(t, c)
		sa := m.CreateServiceAccount("app", "")
		res := kafkaSpec(sa.ID).Resource
		now := time.Now()
		want := map[string]Listing{}
		for description, l := range map[string]Listing{
			"orders":                          ListPlain,
			"":                                ListPlain,
			withMarker("old", createMarker()): ListPlain,
			withMarker("live", leaseMarker("abcdefghijkl", now.Add(time.Minute))): ListLeased,
			withMarker("gone", expiredMarker("abcdefghijkm", now)):                ListAbandoned,
		} {
			k, err := m.CreateAPIKey(sa.ID, res, "", description)
			if err != nil {
				t.Fatal(err)
			}
			want[k.ID] = l
		}
		keys, err := c.ListAPIKeys(context.Background(), ccloud.APIKeyFilter{Owner: sa.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != len(want) {
			t.Fatalf("listed %d keys, want %d", len(keys), len(want))
		}
		for i := range keys {
			if got := e.ClassifyListed(&keys[i]); got != want[keys[i].ID] {
				t.Errorf("key with description %q: %s, want %s", keys[i].Spec.Description, got, want[keys[i].ID])
			}
		}
	})
}
