// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// TestFileScanner_findsSecrets proves the scanner the sealing tests rely on
// finds a secret it was not told about, inside text, inside a compressed
// zip entry (a saved plan), and a registered secret in any file, while it
// passes a secret whose checksum is wrong.
func TestFileScanner_findsSecrets(t *testing.T) {
	dir := t.TempDir()
	unknown, known := ccloud.NewAPISecret(), ccloud.NewAPISecret()
	typo := unknown[:30] + string(rune(unknown[30]^1)) + unknown[31:]
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("terraform.tfstate", `{"secret":"`+unknown+`"}`)
	write("clean.txt", "nothing here but "+typo+" and cflt")
	write("known.txt", "xx"+strings.ToUpper(known)+known[:10]+"|"+known)
	zf, err := os.Create(filepath.Join(dir, "tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, err := zw.Create("tfplan")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(strings.Repeat("padding ", 100) + unknown)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zf.Close(); err != nil {
		t.Fatal(err)
	}

	s := newFileScanner()
	s.addKnown(known, "known secret")
	if err := s.scanTree(dir); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s.report(), "\n")
	for _, want := range []string{"terraform.tfstate: a valid cflt secret", "tfplan!tfplan: a valid cflt secret",
		"known.txt: a valid cflt secret", "known.txt: 1 occurrence(s) of the known secret"} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "clean.txt") {
		t.Errorf("a secret with a wrong checksum was reported:\n%s", got)
	}
	if s.planFiles != 1 || s.stateFiles != 1 || s.files != 4 {
		t.Errorf("counted %d files, %d plans, %d state files; want 4, 1, 1", s.files, s.planFiles, s.stateFiles)
	}
}
