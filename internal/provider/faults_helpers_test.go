// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
)

// tfRunner drives the terraform CLI directly against the provider served
// in-process. terraform-plugin-testing cannot express a step that "may
// fail", which is what a pipeline re-applying under faults needs: an apply
// fails or succeeds depending on which faults fire, and the test must react
// to the outcome instead of declaring it up front.
type tfRunner struct {
	t       *testing.T
	dir     string
	tfPath  string
	factory func() (tfprotov6.ProviderServer, error)
}

// tfResult is the outcome of one terraform command.
type tfResult struct {
	stdout, stderr string
	// exitCode is the process's exit status; -1 when it could not start.
	exitCode int
}

func (r tfResult) output() string { return r.stdout + r.stderr }

// skipUnlessAcc skips t unless TF_ACC is set, as resource.Test does, so
// that tests driving terraform directly run with the acceptance tests and
// not with the unit tests.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test skipped unless the TF_ACC environment variable is set")
	}
}

// newTFRunner writes hcl, with a required_providers block naming the
// provider's registry address, to a fresh working directory and runs
// terraform init there. It skips the test when no terraform binary is
// available, as terraform-plugin-testing would fail it.
func newTFRunner(t *testing.T, env *acctest.Env, hcl string) *tfRunner {
	t.Helper()
	skipUnlessAcc(t)
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Skip("no terraform binary: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
		tfPath = p
	}
	r := &tfRunner{t: t, dir: t.TempDir(), tfPath: tfPath, factory: env.Factories[acctest.ProviderTypeName]}
	r.write(hcl)
	if res := r.run(context.Background(), "init", "-input=false", "-no-color"); res.exitCode != 0 {
		t.Fatalf("terraform init failed (exit %d):\n%s", res.exitCode, res.output())
	}
	return r
}

// write replaces the working directory's configuration.
func (r *tfRunner) write(hcl string) {
	r.t.Helper()
	full := "terraform {\n  required_providers {\n    ccloud = {\n      source = \"ccloudiam/ccloud\"\n    }\n  }\n}\n\n" + hcl
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(full), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// run serves a fresh provider instance for the duration of one terraform
// command, as terraform-plugin-testing does, and runs the command with
// TF_REATTACH_PROVIDERS pointing at it.
func (r *tfRunner) run(ctx context.Context, args ...string) tfResult {
	r.t.Helper()
	srv, err := r.factory()
	if err != nil {
		r.t.Fatalf("creating the provider server: %v", err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	reattachCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve("registry.terraform.io/ccloudiam/ccloud",
			func() tfprotov6.ProviderServer { return srv },
			tf6server.WithDebug(serveCtx, reattachCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Name: "plugintest", Output: io.Discard})),
			tf6server.WithoutLogStderrOverride(),
			// The sink keeps the provider's logs out of the test output
			// unless TF_ACC_LOG_PATH or TF_LOG_PATH_MASK asks for them.
			tf6server.WithLoggingSink(r.t),
		)
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattachCh:
	case err := <-serveErr:
		r.t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		r.t.Fatal("timed out waiting for the provider's reattach configuration")
	}
	if rc == nil {
		r.t.Fatal("the provider server gave no reattach configuration")
	}
	reattach, err := json.Marshal(map[string]any{
		"registry.terraform.io/ccloudiam/ccloud": map[string]any{
			"Protocol":        string(rc.Protocol),
			"ProtocolVersion": rc.ProtocolVersion,
			"Pid":             rc.Pid,
			"Test":            rc.Test,
			"Addr":            map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		},
	})
	if err != nil {
		r.t.Fatal(err)
	}

	cmd := exec.CommandContext(ctx, r.tfPath, args...)
	cmd.Dir = r.dir
	cmd.Env = append(filteredEnviron(),
		"TF_REATTACH_PROVIDERS="+string(reattach),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	res := tfResult{exitCode: -1}
	runErr := cmd.Run()
	res.stdout, res.stderr = stdout.String(), stderr.String()
	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
		res.exitCode = 0
	case errors.As(runErr, &exitErr):
		res.exitCode = exitErr.ExitCode()
	default:
		r.t.Fatalf("running terraform %s: %v", strings.Join(args, " "), runErr)
	}
	cancel()
	select {
	case <-closeCh:
	case <-time.After(30 * time.Second):
		r.t.Fatal("timed out waiting for the provider server to stop")
	}
	return res
}

// filteredEnviron is the process environment without the variables that
// would change what terraform does here: logging, extra CLI arguments and
// other reattached providers.
func filteredEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_CLI_ARGS") ||
			name == "TF_REATTACH_PROVIDERS" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// tfStateObject is one object in the local state file: a resource
// instance's current object or a deposed one.
type tfStateObject struct {
	typ, addr string
	id        string
	secret    string
	tainted   bool
	deposed   bool
	// previous marks a key of an API key resource's previous_keys
	// (grace_period): tracked, working, but with no secret in state.
	previous bool
}

// stateObjects reads every object of the working directory's local state,
// including tainted and deposed ones: they are tracked too, since the next
// apply deletes them.
func (r *tfRunner) stateObjects() []tfStateObject {
	r.t.Helper()
	raw, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Status     string         `json:"status"`
				Deposed    string         `json:"deposed"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		r.t.Fatalf("decoding the state file: %v", err)
	}
	var out []tfStateObject
	for _, rs := range st.Resources {
		if rs.Mode != "managed" {
			continue
		}
		for _, in := range rs.Instances {
			addr := rs.Type + "." + rs.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%v]", in.IndexKey)
			}
			id, _ := in.Attributes["id"].(string)
			secret, _ := in.Attributes["secret"].(string)
			out = append(out, tfStateObject{
				typ: rs.Type, addr: addr, id: id, secret: secret,
				tainted: in.Status == "tainted", deposed: in.Deposed != "",
			})
			prev, _ := in.Attributes["previous_keys"].([]any)
			for i, p := range prev {
				pk, _ := p.(map[string]any)
				pid, _ := pk["id"].(string)
				out = append(out, tfStateObject{
					typ: rs.Type, addr: fmt.Sprintf("%s.previous_keys[%d]", addr, i), id: pid,
					tainted: in.Status == "tainted", deposed: in.Deposed != "", previous: true,
				})
			}
		}
	}
	return out
}

// stateIDs splits the state's objects into service account IDs and API key
// IDs, sorted, with duplicates kept so that a caller can detect them.
func stateIDs(objs []tfStateObject) (sas, keys []string) {
	for _, o := range objs {
		switch {
		case o.typ == "ccloud_service_account":
			sas = append(sas, o.id)
		case strings.HasSuffix(o.typ, "_api_key"):
			keys = append(keys, o.id)
		}
	}
	sort.Strings(sas)
	sort.Strings(keys)
	return sas, keys
}

// mockSAIDs returns the IDs of the mock's service accounts, sorted.
func mockSAIDs(env *acctest.Env) []string {
	var ids []string
	for _, sa := range env.Mock.ServiceAccounts() {
		ids = append(ids, sa.ID)
	}
	sort.Strings(ids)
	return ids
}

// without returns ids minus the members of skip.
func without(ids []string, skip map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !skip[id] {
			out = append(out, id)
		}
	}
	return out
}

// setOf returns ids as a set.
func setOf(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// duplicates returns the IDs that occur more than once in sorted ids.
func duplicates(ids []string) []string {
	var out []string
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] && (len(out) == 0 || out[len(out)-1] != ids[i]) {
			out = append(out, ids[i])
		}
	}
	return out
}

// missingFrom returns the members of ids that are not in set.
func missingFrom(ids []string, set map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !set[id] {
			out = append(out, id)
		}
	}
	return out
}
