// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccServiceAccount_sameNameTwice applies a configuration in which two
// resources have the same display_name. One is created; the other fails
// with a message that says the configuration has the name twice and warns
// against importing, which would make two resources manage one account.
func TestAccServiceAccount_sameNameTwice(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	hcl := env.Config(`resource "ccloud_service_account" "a" {
  display_name = "twice"
}
resource "ccloud_service_account" "b" {
  display_name = "twice"
}
`)
	r := env.Terraform(t, hcl)
	ctx := context.Background()
	res := r.Run(ctx, "apply", "-no-color", "-input=false", "-auto-approve")
	out := strings.Join(strings.Fields(res.Output()), " ")
	if res.ExitCode == 0 {
		t.Fatalf("the apply succeeded:\n%s", res.Output())
	}
	for _, want := range []string{
		"another ccloud_service_account in this configuration created it",
		"two resources cannot have the same display_name",
		"Do not import",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the error lacks %q:\n%s", want, res.Output())
		}
	}
	if strings.Contains(out, "import {") {
		t.Errorf("the error suggests an import block:\n%s", res.Output())
	}
	if n := len(acctest.MockServiceAccountsNamed(env.Mock, "twice")); n != 1 {
		t.Fatalf("%d accounts named twice", n)
	}
	if res := r.Run(ctx, "destroy", "-no-color", "-input=false", "-auto-approve"); res.ExitCode != 0 {
		t.Fatalf("destroy failed:\n%s", res.Output())
	}
}
