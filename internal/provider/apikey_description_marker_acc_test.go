// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// docsMarkerExample is the marker example docs/index.md used to show,
// which users copied verbatim into descriptions.
const docsMarkerExample = "orders reader [terraform-create:k3x9q2m7ab4z until 2026-12-01T09:01:02Z]"

// TestAccAPIKey_descriptionMarkerRefused checks that every key resource,
// managed and ephemeral, refuses create marker syntax in description at
// plan time, naming the attribute, before any API call.
func TestAccAPIKey_descriptionMarkerRefused(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	scopes := make([]string, 0, len(keyCases))
	for s := range keyCases {
		scopes = append(scopes, s)
	}
	sort.Strings(scopes)
	var steps []resource.TestStep
	for i, s := range scopes {
		c := keyCases[s]
		desc := docsMarkerExample
		if i%2 == 1 {
			desc = "nightly [Terraform-Create:abc"
		}
		managed := c.config("sa-abc123", fmt.Sprintf("  description = %q", desc))
		ephemeral := strings.Replace(managed, `resource "`, `ephemeral "`, 1)
		for _, cfg := range []string{managed, ephemeral} {
			steps = append(steps, resource.TestStep{
				Config:      env.Config(cfg),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid description.*The description ".*syntax\s+of\s+the\s+create\s+marker`),
			})
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.Factories, Steps: steps})
	if n := len(env.Mock.Requests("POST /iam/v2/api-keys")); n != 0 {
		t.Errorf("%d creates were sent; the rule must stop the plan first", n)
	}
}

// TestAccAPIKey_markerTextInHandMadeKeys plants keys made by hand, through
// the mock's API, for the owner of a managed key: one with the docs' old
// example as its description, one with a deadline-less marker and one with
// a marker mid-text. Applies and plans of that owner's keys (each lists the
// owner's keys, and the first create sweeps them) must delete none of them.
func TestAccAPIKey_markerTextInHandMadeKeys(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := env.Mock.CreateServiceAccount("described", "")
	var handMade []string
	for _, desc := range []string{
		docsMarkerExample,
		"orders [terraform-create:abcdefghijkl]",
		"orders [terraform-create:abcdefghijkl until " + time.Now().UTC().Add(-time.Minute).Format(time.RFC3339) + "] (copied)",
	} {
		k, err := env.Mock.CreateAPIKey(sa.ID, nil, "by hand", desc)
		if err != nil {
			t.Fatal(err)
		}
		handMade = append(handMade, k.ID)
	}
	config := env.Config(keyCases["cloud"].config(sa.ID, `  description = "orders reader"`))
	handMadeSurvive := acctest.ExpectDeletedKeys(env.Mock)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{handMadeSurvive}},
			{Config: config, PlanOnly: true},
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{handMadeSurvive}},
		},
	})
	for _, id := range handMade {
		if !keyInMock(env.Mock, id) {
			t.Errorf("the hand-made key %s was deleted", id)
		}
	}
}

// TestAccServiceAccount_destroyWithKilledRunsMarkedKey plants the key a
// killed run leaves when its description already held a deadline-less
// marker: the user's text, then the provider's expired marker. The
// account's destroy must sweep that key (the provider's marker is the last
// one) rather than be blocked by it.
func TestAccServiceAccount_destroyWithKilledRunsMarkedKey(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	config := env.Config(saConfig("killed-run-owner", "", ""))
	var saID, planted string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeysGone(env.Mock, &planted)),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID("ccloud_service_account.test", &saID)}},
			{
				PreConfig: func() {
					desc := "orders [terraform-create:aaaaaaaaaaaa] [terraform-create:bbbbbbbbbbbb expired " +
						time.Now().UTC().Format("2006-01-02T15:04:05Z") + "]"
					k, err := env.Mock.CreateAPIKey(saID, nil, "killed run", desc)
					if err != nil {
						t.Fatal(err)
					}
					planted = k.ID
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

// keyInMock reports whether the mock holds key id.
func keyInMock(m *mockcloud.Server, id string) bool {
	for _, k := range m.APIKeys() {
		if k.ID == id {
			return true
		}
	}
	return false
}
