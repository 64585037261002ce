// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// The state file holds every secret, so it must be private to the user from
// the first write on, after every atomic rewrite, and even when an older
// copy was readable by others.
func TestStateFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s := Start(t, Options{StateFile: path})
	if m := mode(t, path); m != 0o600 {
		t.Fatalf("new state file mode %v", m)
	}
	c := newClient(t, s)
	c.createKey(c.createSA("private").ID, nil)
	if m := mode(t, path); m != 0o600 {
		t.Errorf("rewritten state file mode %v", m)
	}
	s.Close()

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s2, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("state file left %v after a load", m)
	}
	if err := s2.Save(); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("state file %v after Save", m)
	}
	// No temporary copy is left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries", len(entries))
	}
}

func TestCredentialsGenerated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	gen, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if !gen.CredentialsGenerated() {
		t.Error("generated credentials not reported as generated")
	}
	// A restart on the state keeps knowing they were generated.
	again, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	k1, _ := gen.Credentials()
	if k2, _ := again.Credentials(); k2 != k1 || !again.CredentialsGenerated() {
		t.Errorf("restart: key %s (was %s), generated %v", k2, k1, again.CredentialsGenerated())
	}
	// Supplied credentials are never reported as generated, not even after
	// a restart that reads them back from the state file.
	supplied, err := New(Options{APIKey: "SUPPLIED00000001", APISecret: ccloud.NewAPISecret(), StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if supplied.CredentialsGenerated() {
		t.Error("supplied credentials reported as generated")
	}
	reloaded, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := reloaded.Credentials(); k != "SUPPLIED00000001" || reloaded.CredentialsGenerated() {
		t.Errorf("reloaded supplied key %s reported generated=%v", k, reloaded.CredentialsGenerated())
	}
}
