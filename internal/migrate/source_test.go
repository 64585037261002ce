// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package migrate

import (
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// globalKeyState is a confluent_api_key state of a Global key as the
// official provider writes it: managed_resource names global/v1 and has no
// environment.
const globalKeyState = `{
  "id": "GLOBALKEY0000001",
  "display_name": "org-wide",
  "description": "",
  "disable_wait_for_ready": true,
  "owner": [{"id": "sa-abc123", "kind": "ServiceAccount", "api_version": "iam/v2"}],
  "managed_resource": [{"id": "global", "kind": "Global", "api_version": "global/v1", "environment": []}],
  "secret": "RECORDED-SECRET"
}`

func TestParseAPIKey_global(t *testing.T) {
	t.Parallel()
	k, err := ParseAPIKey([]byte(globalKeyState))
	if err != nil {
		t.Fatal(err)
	}
	if k.Scope != ccloud.ScopeGlobal {
		t.Errorf("Scope = %q, want %q", k.Scope, ccloud.ScopeGlobal)
	}
	if got := k.TargetType(); got != "ccloud_global_api_key" {
		t.Errorf("TargetType = %q, want ccloud_global_api_key", got)
	}
	// A Global key has no scope arguments: no environment is asked for.
	if len(k.Values) != 0 {
		t.Errorf("Values = %v, want none", k.Values)
	}
	if k.ID != "GLOBALKEY0000001" || k.OwnerID != "sa-abc123" || k.WaitForReady {
		t.Errorf("key = %+v", k)
	}
}

func TestParseAPIKey_unknownAPIVersion(t *testing.T) {
	t.Parallel()
	raw := strings.Replace(globalKeyState, `"global/v1"`, `"future/v9"`, 1)
	_, err := ParseAPIKey([]byte(raw))
	if err == nil {
		t.Fatal("no error for an api_version no key resource manages")
	}
	for _, want := range []string{`"future/v9"`, "global/v1", "keep the key with the confluentinc/confluent provider"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "RECORDED-SECRET") {
		t.Error("the error quotes the secret")
	}
}

// TestGenerate_global checks that the generator moves a Global key to
// ccloud_global_api_key, with no scope arguments.
func TestGenerate_global(t *testing.T) {
	t.Parallel()
	doc := `{"format_version": "1.0", "values": {"root_module": {"resources": [{
		"address": "confluent_api_key.org", "mode": "managed", "type": "confluent_api_key", "name": "org",
		"provider_name": "registry.terraform.io/confluentinc/confluent", "values": ` + globalKeyState + `}]}}}`
	res, err := Generate([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if res.Moved != 1 || len(res.Skipped) != 0 {
		t.Fatalf("Moved = %d, Skipped = %v, want 1 moved and none skipped", res.Moved, res.Skipped)
	}
	out := string(res.HCL)
	for _, want := range []string{
		"from = confluent_api_key.org\n  to   = ccloud_global_api_key.org\n",
		`resource "ccloud_global_api_key" "org"`,
		`owner_id       = "sa-abc123"`,
		"wait_for_ready = false",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"environment_id", "RECORDED-SECRET"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("the output holds %q:\n%s", unwanted, out)
		}
	}
}
