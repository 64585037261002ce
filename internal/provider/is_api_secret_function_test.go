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
