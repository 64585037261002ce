// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package migrate

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGenerate_golden runs the generator on `terraform show -json` recorded
// from the acceptance test's world (the official provider's state of three
// service accounts and eight keys: a single resource, a counted one whose
// keys span five scopes, for_each resources), with the secrets replaced by
// placeholders, a role binding and a key in a child module added.
func TestGenerate_golden(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("testdata", "show.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Generate(doc)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "show.golden.tf")
	if *update {
		if err := os.WriteFile(golden, res.HCL, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.HCL, want) {
		t.Errorf("output differs from %s (run go test ./internal/migrate -update to accept it):\n%s", golden, res.HCL)
	}

	if res.Moved != 11 {
		t.Errorf("Moved = %d, want 11 (3 accounts, 8 keys)", res.Moved)
	}
	if want := []string{"confluent_role_binding.app_developer_write"}; !reflect.DeepEqual(res.Remaining, want) {
		t.Errorf("Remaining = %v, want %v", res.Remaining, want)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "module.reporting.confluent_api_key.reader") {
		t.Errorf("Skipped = %v, want the key in module.reporting", res.Skipped)
	}
	if strings.Contains(string(res.HCL), "RECORDED-SECRET") {
		t.Error("the output contains a secret")
	}
	// The output parses and is already formatted.
	if _, diags := hclparse.NewParser().ParseHCL(res.HCL, "migrate.tf"); diags.HasErrors() {
		t.Errorf("the output is not valid HCL: %s", diags.Error())
	}
	if !bytes.Equal(hclwrite.Format(res.HCL), res.HCL) {
		t.Error("the output is not formatted")
	}
	// Whole resources move with one block; a split one instance by instance.
	for _, s := range []string{
		"from = confluent_api_key.team\n  to   = ccloud_kafka_api_key.team\n",
		"from = confluent_service_account.team\n  to   = ccloud_service_account.team\n",
		"from = confluent_api_key.scoped[2]\n  to   = ccloud_flink_api_key.scoped[0]\n",
		`owner_id       = ccloud_service_account.team["payments"].id`,
		"wait_for_ready = true",
		"wait_for_ready = false",
	} {
		if !strings.Contains(string(res.HCL), s) {
			t.Errorf("the output lacks %q", s)
		}
	}
}

func TestGenerate_errors(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"not JSON":  "nope",
		"no values": `{"format_version": "1.0"}`,
	} {
		if _, err := Generate([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A saved plan's prior state works too.
	res, err := Generate([]byte(`{"prior_state": {"values": {"root_module": {"resources": [{"address": "confluent_service_account.a",
		"mode": "managed", "type": "confluent_service_account", "name": "a",
		"provider_name": "registry.opentofu.org/confluentinc/confluent",
		"values": {"id": "sa-1", "display_name": "a", "description": ""}}]}}}}`))
	if err != nil || res.Moved != 1 || !strings.Contains(string(res.HCL), `resource "ccloud_service_account" "a"`) {
		t.Errorf("prior_state: %v, %+v", err, res)
	}
}
