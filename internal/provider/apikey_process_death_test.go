// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The process-death tests run the real terraform binary with a freshly
// built provider (through dev_overrides) against an in-process mock, kill
// terraform with SIGKILL while keys wait to work, and apply again: the mock
// must then hold exactly the keys in state, and the re-apply must say which
// abandoned keys it deleted.

var (
	providerBinaryOnce sync.Once
	providerBinaryDir  string
	providerBinaryErr  error
)

// buildProvider builds the provider once per test binary.
func buildProvider(t *testing.T) string {
	t.Helper()
	providerBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ccloud-provider-bin")
		if err != nil {
			providerBinaryErr = err
			return
		}
		providerBinaryDir = dir
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-ccloud"), "../..")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBinaryErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if providerBinaryErr != nil {
		t.Fatal(providerBinaryErr)
	}
	return providerBinaryDir
}

// tfWorkspace is a directory with a configuration and a CLI configuration
// pointing terraform at the built provider.
type tfWorkspace struct {
	t   *testing.T
	dir string
	env []string
}

func newTFWorkspace(t *testing.T, m *mockcloud.Server) *tfWorkspace {
	t.Helper()
	bin := buildProvider(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "dev.tfrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "ccloudiam/ccloud" = %q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	key, secret := m.Credentials()
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"CONFLUENT_CLOUD_ENDPOINT="+m.URL(), "CONFLUENT_CLOUD_API_KEY="+key, "CONFLUENT_CLOUD_API_SECRET="+secret,
	)
	return &tfWorkspace{t: t, dir: dir, env: env}
}

func (w *tfWorkspace) write(hcl string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(`terraform {
  required_providers {
    ccloud = { source = "ccloudiam/ccloud" }
  }
}
provider "ccloud" {
  max_retries = 3
}
`+hcl), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *tfWorkspace) command(args ...string) *exec.Cmd {
	cmd := exec.Command(acctestTerraform(), args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	// Its own process group, so that cleanup can reach a provider process
	// left behind by a killed terraform.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// apply runs terraform apply and returns its output; it fails the test if
// the apply fails.
func (w *tfWorkspace) apply() string {
	w.t.Helper()
	cmd := w.command("apply", "-auto-approve", "-no-color", "-input=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		w.t.Fatalf("terraform apply: %v\n%s", err, out.String())
	}
	return out.String()
}

// applyAndKill starts terraform apply and SIGKILLs terraform once ready
// says so; it returns terraform's output so far.
func (w *tfWorkspace) applyAndKill(ready func() bool) string {
	w.t.Helper()
	cmd := w.command("apply", "-auto-approve", "-no-color", "-input=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	w.t.Cleanup(func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
	deadline := time.Now().Add(60 * time.Second)
	for !ready() {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			w.t.Fatalf("the apply never reached the moment to kill it:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Only terraform dies; its provider process is left to notice.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		w.t.Fatal(err)
	}
	_ = cmd.Wait()
	return out.String()
}

// stateKeyIDs reads the IDs of the API keys in the workspace's state.
func (w *tfWorkspace) stateKeyIDs() []string {
	w.t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		w.t.Fatal(err)
	}
	var ids []string
	for _, r := range st.Resources {
		if strings.HasSuffix(r.Type, "_api_key") {
			for _, in := range r.Instances {
				ids = append(ids, in.Attributes.ID)
			}
		}
	}
	sort.Strings(ids)
	return ids
}

func acctestTerraform() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

// markedKeys counts the mock's keys that still carry a create marker.
func markedKeys(m *mockcloud.Server) int {
	n := 0
	for _, k := range m.APIKeys() {
		if strings.Contains(k.Spec.Description, keyengine.CreateMarkerPrefix) {
			n++
		}
	}
	return n
}

func processDeathConfig(keys int, trigger string) string {
	return fmt.Sprintf(`
resource "ccloud_service_account" "app" {
  display_name = "process-death"
}
resource "ccloud_kafka_api_key" "k" {
  count             = %d
  owner_id          = ccloud_service_account.app.id
  cluster_id        = %q
  environment_id    = %q
  description       = "key ${count.index}"
  rotation_triggers = { v = %q }
  lifecycle {
    create_before_destroy = true
  }
}
`, keys, acctest.KafkaClusterID, acctest.EnvironmentID, trigger)
}

// waitLeasesExpired waits until no key carries a create marker whose lease
// still runs: the provider process that terraform left behind notices the
// closed connection, which cancels its calls, and expires its leases.
func waitLeasesExpired(t *testing.T, m *mockcloud.Server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		running := 0
		for _, k := range m.APIKeys() {
			if d, ok := keyengine.MarkerDeadline(k.Spec.Description); ok && time.Now().Before(d) {
				running++
			}
		}
		if running == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d keys of the killed run still hold a running lease after 30 s", running)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkConverged asserts that the mock holds exactly the keys in state.
func checkConverged(t *testing.T, w *tfWorkspace, m *mockcloud.Server, want int) {
	t.Helper()
	inState := w.stateKeyIDs()
	inMock := mockKeyIDs(m)
	if !reflect.DeepEqual(inState, inMock) || len(inState) != want {
		t.Fatalf("after the re-apply the state holds %d keys %v and the mock %d keys %v; want the same %d keys",
			len(inState), inState, len(inMock), inMock, want)
	}
	if n := markedKeys(m); n != 0 {
		t.Errorf("%d keys still carry a create marker", n)
	}
}

// TestAccProcessDeath_killDuringWait kills terraform while every key of an
// apply waits to work, then applies again.
func TestAccProcessDeath_killDuringWait(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run acceptance tests")
	}
	t.Parallel()
	const keys = 5
	m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: 3 * time.Second})
	w := newTFWorkspace(t, m)
	w.write(processDeathConfig(keys, "1"))

	out := w.applyAndKill(func() bool { return markedKeys(m) == keys })
	orphans := len(m.APIKeys()) - len(w.stateKeyIDs())
	t.Logf("killed terraform with %d keys waiting; %d keys in the mock are not in state", keys, orphans)
	if orphans != keys {
		t.Fatalf("expected %d untracked keys right after the kill, found %d:\n%s", keys, orphans, out)
	}
	waitLeasesExpired(t, m)

	out = w.apply()
	checkConverged(t, w, m, keys)
	if !strings.Contains(out, "Deleted abandoned API keys") {
		t.Errorf("the re-apply did not tell which abandoned keys it deleted:\n%s", out)
	}
}

// TestAccProcessDeath_killDuringRotation kills terraform while the new keys
// of a create_before_destroy rotation wait to work, then applies again.
func TestAccProcessDeath_killDuringRotation(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run acceptance tests")
	}
	t.Parallel()
	const keys = 3
	m := mockcloud.Start(t, mockcloud.Options{})
	w := newTFWorkspace(t, m)
	w.write(processDeathConfig(keys, "1"))
	w.apply()
	checkConverged(t, w, m, keys)

	m.SetPropagationDelay(3 * time.Second)
	w.write(processDeathConfig(keys, "2"))
	w.applyAndKill(func() bool { return markedKeys(m) == keys })
	if n := len(m.APIKeys()); n != 2*keys {
		t.Fatalf("the mock holds %d keys during the rotation, want %d (old and new)", n, 2*keys)
	}
	waitLeasesExpired(t, m)

	out := w.apply()
	checkConverged(t, w, m, keys)
	if !strings.Contains(out, "Deleted abandoned API keys") {
		t.Errorf("the re-apply did not tell which abandoned keys it deleted:\n%s", out)
	}
}
