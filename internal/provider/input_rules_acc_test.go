// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccInputRules_namesAndDescriptions plans names and descriptions that
// look like something else in a console: white space only, control
// characters, NUL, zero-width and bidirectional formatting characters, and
// text that renders blank (fillers, combining marks alone). Each
// fails at plan time naming the attribute, and nothing is written.
func TestAccInputRules_namesAndDescriptions(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := func(attr, hcl string) string {
		body := `display_name = "orders"`
		if attr == "display_name" {
			body = ""
		}
		return fmt.Sprintf("resource \"ccloud_service_account\" \"test\" {\n%s\n%s = %s\n}\n", body, attr, hcl)
	}
	k := keyCases["kafka"]
	key := func(attr, hcl string) string { return keyBadConfig(k, nil, fmt.Sprintf("  %s = %s", attr, hcl)) }
	var cases []badInput
	for _, c := range []struct{ name, hcl, form string }{
		{"spaces only", `"   "`, `only white space`},
		{"tab only", `"\t"`, `only white space`},
		{"NUL", `"orders\u0000"`, `a NUL character \(U\+0000\)`},
		{"escape", `"orders\u001b[31m"`, `a control character \(U\+001B\)`},
		{"zero-width space", `"pay\u200bments"`, `an invisible formatting character \(U\+200B\)`},
		{"right-to-left override", `"invoice\u202etxt.exe"`, `a bidirectional formatting character \(U\+202E\)`},
		{"isolate", `"a\u2066b"`, `a bidirectional formatting character \(U\+2066\)`},
		{"hangul filler", `"\u3164"`, `"\\u3164"\s+renders\s+as\s+blank`},
		{"braille blank and space", `"\u2800 "`, `renders\s+as\s+blank`},
		{"combining mark alone", `"\u0301"`, `renders\s+as\s+blank`},
	} {
		for _, attr := range []string{"display_name", "description"} {
			cases = append(cases,
				badInput{"service account " + attr + " " + c.name, sa(attr, c.hcl), attr, c.form},
				badInput{"key " + attr + " " + c.name, key(attr, c.hcl), attr, c.form},
			)
		}
	}
	// A line feed is a control character in a name, not in a description.
	cases = append(cases,
		badInput{"service account name line feed", sa("display_name", `"orders\napp"`), "display_name", `a control character \(U\+000A\)`},
		badInput{"key name line feed", key("display_name", `"orders\napp"`), "display_name", `a control character \(U\+000A\)`},
	)
	runBadInputs(t, env, cases, nil)
}

// TestAccInputRules_ephemeralNamesAndDescriptions plans ephemeral keys whose
// display_name or description the managed key resources refuse: they are
// refused at plan time too, with the same message naming the attribute,
// and no key is created.
func TestAccInputRules_ephemeralNamesAndDescriptions(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	ephemeral := func(attr, hcl string) string {
		return fmt.Sprintf("ephemeral \"ccloud_cloud_api_key\" \"test\" {\n  owner_id = \"sa-abc123\"\n  %s = %s\n}\n", attr, hcl)
	}
	var steps []resource.TestStep
	for _, c := range []struct{ hcl, form string }{
		{`"   "`, `only white space`},
		{`"pay\u200bments"`, `an invisible formatting character \(U\+200B\)`},
		{`"invoice\u202etxt.exe"`, `a bidirectional formatting character \(U\+202E\)`},
		{`"\u3164"`, `renders as blank`},
		{`"orders\u0000"`, `a NUL character \(U\+0000\)`},
	} {
		for _, attr := range []string{"display_name", "description"} {
			steps = append(steps, resource.TestStep{
				Config:      env.Config(ephemeral(attr, c.hcl)),
				PlanOnly:    true,
				ExpectError: badInput{attr: attr, form: c.form}.want(),
			})
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps:                    steps,
	})
	if created := acctest.MockKeysCreated(env.Mock); created != 0 {
		t.Errorf("%d keys were created; bad input must fail at plan time", created)
	}
}

// TestAccInputRules_cloudAnyCase creates a Flink key with cloud = "aws",
// as region IDs write it: accepted, no diff afterwards, and a change of case
// alone updates state rather than replacing the key.
func TestAccInputRules_cloudAnyCase(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("flink-case", "").ID
	addr := "ccloud_flink_api_key.test"
	config := func(cloud string) string {
		return env.Config(fmt.Sprintf(`resource "ccloud_flink_api_key" "test" {
  owner_id       = %q
  environment_id = %q
  cloud          = %q
  region         = %q
  wait_for_ready = false
}
`, owner, acctest.EnvironmentID, cloud, acctest.FlinkRegion))
	}
	var keyID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		CheckDestroy:             acctest.Destroyed(acctest.ExpectMockKeys(env.Mock)),
		Steps: []resource.TestStep{
			{
				Config: config("aws"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("cloud"), knownvalue.StringExact("aws")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("resource_id"), knownvalue.StringExact("aws.us-east-1")),
					acctest.CaptureID(addr, &keyID),
				},
			},
			{
				// Planning again shows nothing to do.
				Config: config("aws"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Only the case changes: the same key, updated in state.
				Config: config("AWS"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), acctest.StringAt(&keyID)),
				},
			},
		},
	})
}
