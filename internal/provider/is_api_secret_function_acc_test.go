// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

func TestAccIsAPISecretFunction_values(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	valid := ccloud.NewAPISecret()
	// The same secret with one body character changed fails its checksum.
	typo := valid[:20] + string(rune(valid[20]^1)) + valid[21:]

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
output "valid" {
  value = provider::ccloud::is_api_secret(%q)
}

output "typo" {
  value = provider::ccloud::is_api_secret(%q)
}

output "not_a_secret" {
  value = provider::ccloud::is_api_secret("hunter2")
}

output "null" {
  value = provider::ccloud::is_api_secret(null)
}
`, valid, typo),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("valid", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("typo", knownvalue.Bool(false)),
					statecheck.ExpectKnownOutputValue("not_a_secret", knownvalue.Bool(false)),
					statecheck.ExpectKnownOutputValue("null", knownvalue.Bool(false)),
				},
			},
		},
	})
}

// TestAccIsAPISecretFunction_unknown checks that a value only known after
// apply gives an unknown result at plan time rather than an answer.
func TestAccIsAPISecretFunction_unknown(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				// terraform_data is built into Terraform; its id is unknown
				// until apply.
				Config: `
resource "terraform_data" "later" {
  input = "x"
}

output "later" {
  value = provider::ccloud::is_api_secret(terraform_data.later.id)
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("later")},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("later", knownvalue.Bool(false)),
				},
			},
		},
	})
}

// TestAccIsAPISecretFunction_legacyAndSensitive proves what the docs say:
// a legacy secret gives false and the documented pattern accepts it, and
// the result for a sensitive argument is sensitive, so an output needs
// nonsensitive() around it.
func TestAccIsAPISecretFunction_legacyAndSensitive(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	// A legacy secret: 64 characters of the base64 alphabet, no checksum.
	const legacy = "R15hoiDIq8Nxu/lY4mPO3DwAVIfU5W7OI+efsB607mLgHTnVW5XJGVqX2ysDx987"
	sensitive := fmt.Sprintf(`
variable "secret" {
  type      = string
  sensitive = true
  default   = %q
}
`, ccloud.NewAPISecret())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
locals {
  legacy = %q
}

output "legacy" {
  value = provider::ccloud::is_api_secret(local.legacy)
}

output "legacy_or_current" {
  value = provider::ccloud::is_api_secret(local.legacy) || can(regex("^[A-Za-z0-9+/]{64}$", local.legacy))
}
`, legacy),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("legacy", knownvalue.Bool(false)),
					statecheck.ExpectKnownOutputValue("legacy_or_current", knownvalue.Bool(true)),
				},
			},
			{
				Config: sensitive + `
output "raw" {
  value = provider::ccloud::is_api_secret(var.secret)
}
`,
				ExpectError: regexp.MustCompile(`Output refers to sensitive values`),
			},
			{
				Config: sensitive + `
output "checked" {
  value = nonsensitive(provider::ccloud::is_api_secret(var.secret))
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("checked", knownvalue.Bool(true)),
				},
			},
		},
	})
}
