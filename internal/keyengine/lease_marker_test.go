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

// docsExample is the marker example the docs showed before they were
// fixed, which users copied into descriptions.
const docsExample = "orders reader [terraform-create:k3x9q2m7ab4z until 2026-12-01T09:01:02Z]"

// TestClassifyLease_onlyTheProvidersMarker checks that only a marker in the
// exact form and place the provider writes it, with a time the API's
// timestamp agrees with, counts, and only the last one.
func TestClassifyLease_onlyTheProvidersMarker(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	longAgo := now.Add(-time.Hour)
	deadline := now.Add(testLease)
	for name, tc := range map[string]struct {
		desc  string
		stamp time.Time
		want  LeaseState
	}{
		"the provider's running marker":          {"orders " + leaseMarker("abcdefghijkl", deadline), now, LeaseRunning},
		"the provider's marker alone":            {leaseMarker("abcdefghijkl", deadline), now, LeaseRunning},
		"a marker that ran out long ago":         {"orders " + leaseMarker("abcdefghijkl", longAgo.Add(testLease)), longAgo, LeaseAbandoned},
		"the provider's expired marker":          {"orders " + expiredMarker("abcdefghijkl", now), now, LeaseAbandoned},
		"the docs' example on a key made now":    {docsExample, now, LeaseNone},
		"a deadline years after the last change": {"orders " + leaseMarker("abcdefghijkl", now.AddDate(4, 0, 0)), now, LeaseNone},
		"an expiry days before the last change":  {"orders " + expiredMarker("abcdefghijkl", now.AddDate(0, 0, -6)), now, LeaseNone},
		"a marker in the middle":                 {"orders " + leaseMarker("abcdefghijkl", deadline) + " reader", now, LeaseNone},
		"a marker without its space":             {"orders" + leaseMarker("abcdefghijkl", deadline), now, LeaseNone},
		"a marker in capitals":                   {"orders [TERRAFORM-CREATE:abcdefghijkl until " + deadline.Format(deadlineFormat) + "]", now, LeaseNone},
		"a marker with a date that is none":      {"orders [terraform-create:abcdefghijkl until 2026-13-45T09:01:02Z]", now, LeaseNone},
		"an older version's marker":              {"orders " + createMarker(), longAgo, LeaseNone},
		"user text with a deadline-less marker, then the provider's": {
			"orders [terraform-create:aaaaaaaaaaaa] " + leaseMarker("abcdefghijkl", longAgo.Add(testLease)), longAgo, LeaseAbandoned,
		},
		"the provider's marker, then user text with a deadline": {
			leaseMarker("abcdefghijkl", longAgo.Add(testLease)) + " " + docsExample, longAgo, LeaseNone,
		},
	} {
		k := ccloud.APIKey{Spec: ccloud.APIKeySpec{Description: tc.desc}}
		k.Metadata.UpdatedAt = &tc.stamp
		if got := ClassifyLease(k, now, testLease); got.State != tc.want {
			t.Errorf("%s (%q): %+v, want state %d", name, tc.desc, got, tc.want)
		}
	}
}

// TestSweep_describedKeysSurvive plants keys made by hand whose
// descriptions hold marker text (the docs' example, a deadline-less marker,
// a marker mid-text) and checks that sweeps neither delete them nor count
// them as in-flight creates, while a killed run's key whose description
// held a deadline-less marker is swept all the same, at once, since its
// keeper expired it.
func TestSweep_describedKeysSurvive(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		m := mockcloud.StartPipe(t, mockcloud.Options{PropagationDelay: time.Hour})
		sa := m.CreateServiceAccount("app", "")
		spec := kafkaSpec(sa.ID)
		var byHand []ccloud.APIKey
		for _, desc := range []string{
			docsExample,
			"orders [terraform-create:abcdefghijkl]",
			"orders " + leaseMarker("abcdefghijkl", time.Now().Add(-time.Minute)) + " (copied)",
		} {
			k, err := m.CreateAPIKey(sa.ID, spec.Resource, "by hand", desc)
			if err != nil {
				t.Fatal(err)
			}
			byHand = append(byHand, k)
		}

		dead := newSkewedEngine(t, m, 0)
		ctx, cancel := context.WithCancel(t.Context())
		described := spec
		described.Description = "orders [terraform-create:zzzzzzzzzzzz]"
		key, err := dead.Create(ctx, described, CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		waitKeeper(t, dead, key.ID)

		next := newSkewedEngine(t, m, 0)
		for _, k := range m.APIKeys() {
			l := next.ClassifyLease(k, next.APINow())
			if k.ID != key.ID && l.State != LeaseNone {
				t.Errorf("the key made by hand with %q counts as a create lease: %+v", k.Spec.Description, l)
			}
		}
		got, err := next.Sweep(t.Context(), sa.ID)
		if err != nil || len(got) != 1 || got[0].ID != key.ID {
			t.Fatalf("the sweep deleted %+v (error %v); want exactly the killed run's key %s", got, err, key.ID)
		}
		for _, k := range byHand {
			if _, ok := mockKey(t, m, k.ID); !ok {
				t.Errorf("the key made by hand with %q was deleted", k.Spec.Description)
			}
		}
	})
}

// TestHasMarkerText checks the plan-time rule's test: marker syntax in any
// case counts, other brackets do not.
func TestHasMarkerText(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		docsExample:                     true,
		"see [Terraform-Create:x]":      true,
		"[terraform-create:":            true,
		"orders reader":                 false,
		"[terraform] create: nightly":   false,
		"terraform-create: without [ …": false,
	} {
		if got := HasMarkerText(text); got != want {
			t.Errorf("HasMarkerText(%q) = %v, want %v", text, got, want)
		}
	}
}
