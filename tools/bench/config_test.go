// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestGenerateConfigDeclaresEveryScopeOnce(t *testing.T) {
	t.Parallel()
	hcl := generateConfig(50, "bench-50")

	if !strings.Contains(hcl, "accounts = 50") {
		t.Errorf("the account count is not 50:\n%s", hcl)
	}
	for _, typ := range []string{
		"ccloud_service_account", "ccloud_kafka_api_key", "ccloud_schema_registry_api_key", "ccloud_ksqldb_api_key",
		"ccloud_flink_api_key", "ccloud_tableflow_api_key", "ccloud_cloud_api_key",
	} {
		if n := strings.Count(hcl, `resource "`+typ+`" "bench"`); n != 1 {
			t.Errorf("resource %s declared %d times, want once", typ, n)
		}
	}
	// Every key rotates with var.rotation and is replaced new-first.
	if got, want := strings.Count(hcl, "rotation = var.rotation"), len(keyResources); got != want {
		t.Errorf("rotation triggers: %d, want %d", got, want)
	}
	if got, want := strings.Count(hcl, "create_before_destroy = true"), len(keyResources); got != want {
		t.Errorf("create_before_destroy: %d, want %d", got, want)
	}
	owner := regexp.MustCompile(`\n  owner_id +=  ?ccloud_service_account\.bench\[count\.index\]\.id\n`)
	if got, want := len(owner.FindAllString(hcl, -1)), len(keyResources); got != want {
		t.Errorf("owner references: %d, want %d", got, want)
	}
	for _, id := range []string{`"env-q1ck5t"`, `"lkc-q1ck5t"`, `"lsrc-q1ck5t"`, `"lksqlc-q1ck5t"`, `"AWS"`, `"us-east-1"`} {
		if !strings.Contains(hcl, id) {
			t.Errorf("the configuration does not use the mock's %s", id)
		}
	}
	if !strings.Contains(hcl, `display_name = "bench-50-${count.index}"`) {
		t.Errorf("service account names do not carry the prefix:\n%s", hcl)
	}
}

func TestGenerateConfigSizeDoesNotGrowWithN(t *testing.T) {
	t.Parallel()
	small, large := generateConfig(10, "p"), generateConfig(200, "p")
	if d := len(large) - len(small); d < 0 || d > 4 {
		t.Errorf("the configuration grows with N: %d bytes at N=10, %d at N=200", len(small), len(large))
	}
}

// The generated configuration is exactly what "terraform fmt" writes, which
// also proves that it parses.
func TestGenerateConfigIsFormatted(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("terraform is not on PATH")
	}
	rc := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"main.tf": generateConfig(3, "bench-3")} {
		cmd := exec.Command("terraform", "fmt", "-no-color", "-")
		cmd.Env = append(cmd.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+rc)
		cmd.Stdin = strings.NewReader(text)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("terraform fmt %s: %v\n%s\n%s", name, err, stderr.String(), text)
		}
		if stdout.String() != text {
			t.Errorf("%s is not formatted as terraform fmt would:\ngot:\n%s\nterraform fmt:\n%s", name, text, stdout.String())
		}
	}
}

func TestCLIConfigOverridesTheProviderOnly(t *testing.T) {
	t.Parallel()
	got := cliConfig(`/tmp/a "b"`)
	if !regexp.MustCompile(`"ccloudiam/ccloud" = "/tmp/a \\"b\\""`).MatchString(got) {
		t.Errorf("the dev override does not point at the directory:\n%s", got)
	}
	if !strings.Contains(got, "direct {}") {
		t.Errorf("no direct block:\n%s", got)
	}
}

func TestParseSizes(t *testing.T) {
	t.Parallel()
	got, err := parseSizes(" 10, 50,200 ", 7)
	if err != nil || len(got) != 3 || got[0] != 10 || got[1] != 50 || got[2] != 200 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	if got, err := parseSizes("", 7); err != nil || len(got) != 1 || got[0] != 7 {
		t.Errorf("parseSizes(\"\") = %v, %v; want [7]", got, err)
	}
	for _, bad := range []string{"10,,50", "0", "-5", "ten"} {
		if _, err := parseSizes(bad, 7); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}

func TestTerraformEnvReplacesCredentialsAndCLIConfig(t *testing.T) {
	t.Parallel()
	base := []string{
		"PATH=/usr/bin", "HOME=/home/x", "TF_CLI_CONFIG_FILE=/home/x/.terraformrc",
		"CONFLUENT_CLOUD_API_KEY=REALKEY", "CONFLUENT_CLOUD_API_SECRET=REALSECRET", "TF_CLI_ARGS_apply=-parallelism=1",
	}
	env := terraformEnv(base, "/tmp/rc", []string{"CONFLUENT_CLOUD_API_KEY=MOCK"})
	joined := "\n" + strings.Join(env, "\n") + "\n"
	for _, want := range []string{"PATH=/usr/bin", "TF_CLI_CONFIG_FILE=/tmp/rc", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "CONFLUENT_CLOUD_API_KEY=MOCK"} {
		if !strings.Contains(joined, "\n"+want+"\n") {
			t.Errorf("env lacks %s:%s", want, joined)
		}
	}
	for _, gone := range []string{"REALKEY", "REALSECRET", ".terraformrc", "TF_CLI_ARGS_apply"} {
		if strings.Contains(joined, gone) {
			t.Errorf("env keeps %s:%s", gone, joined)
		}
	}
}
