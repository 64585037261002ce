// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestAccAPIKeyImport_wrongTypeHasNoSecretWarning imports a Schema
// Registry key into a Kafka key resource: the only message is the type
// error naming the right resource type, not a warning about the secret. The
// right type then imports with the warning.
func TestAccAPIKeyImport_wrongTypeHasNoSecretWarning(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("import-types", "").ID
	key, err := env.Mock.CreateAPIKey(owner, &ccloud.ObjectReference{ID: acctest.SchemaRegistryID, Environment: acctest.EnvironmentID}, "reader", "")
	if err != nil {
		t.Fatal(err)
	}
	hcl := env.Config(keyCases["kafka"].config(owner, "") + keyCases["schema_registry"].config(owner, ""))
	r := env.Terraform(t, hcl)
	ctx := context.Background()

	wrong := r.Run(ctx, "import", "-no-color", "-input=false", keyCases["kafka"].addr(), key.ID)
	out := wrong.Output()
	if wrong.ExitCode == 0 || !strings.Contains(out, "Wrong API key type") || !strings.Contains(out, "ccloud_schema_registry_api_key") {
		t.Fatalf("want the type error (exit %d):\n%s", wrong.ExitCode, out)
	}
	if strings.Contains(out, "secret unknown") || strings.Contains(out, "Warning: API key") {
		t.Fatalf("importing into the wrong type also warned:\n%s", out)
	}

	right := r.Run(ctx, "import", "-no-color", "-input=false", keyCases["schema_registry"].addr(), key.ID)
	if right.ExitCode != 0 || !strings.Contains(right.Output(), "API key secret unknown after import") {
		t.Fatalf("want a successful import with the secret warning (exit %d):\n%s", right.ExitCode, right.Output())
	}
	// The imported key is Terraform's now; remove it from state so that
	// the mock keeps it, as it is not in Terraform's destroy.
	if res := r.Run(ctx, "state", "rm", "-no-color", keyCases["schema_registry"].addr()); res.ExitCode != 0 {
		t.Fatalf("state rm failed:\n%s", res.Output())
	}
}
