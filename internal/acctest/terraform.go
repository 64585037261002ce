// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

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
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// ProviderAddress is the provider's registry address, under which terraform
// finds it both through dev_overrides and through reattachment.
const ProviderAddress = "registry.terraform.io/ccloudiam/ccloud"

// requiredProviders is the terraform block of a configuration that uses
// only this provider.
const requiredProviders = `terraform {
  required_providers {
    ccloud = {
      source = "ccloudiam/ccloud"
    }
  }
}

`

// Workspace is a terraform working directory driven through the CLI.
// terraform-plugin-testing cannot express what the fault, migration and
// process-death tests need: a step that may fail and must be reacted to, a
// second provider beside this one, a -parallelism of its own, or a
// terraform process to kill mid-apply. Every such test runs terraform
// through a Workspace.
//
// A provider reaches terraform in one of two ways. Serve runs it in the
// test process for each command and points TF_REATTACH_PROVIDERS at it, so
// that the test's options (its clock, short timeouts) apply.
// UseBuiltProvider builds the real binary once per test binary and names it
// in dev_overrides, so that terraform starts it as a child process, as in
// real use, which a test can then kill.
type Workspace struct {
	t *testing.T
	// Dir is the working directory, removed when the test ends.
	Dir    string
	tfPath string
	env    []string
	served map[string]func() (tfprotov6.ProviderServer, error)
}

// Result is the outcome of one terraform command.
type Result struct {
	Stdout, Stderr string
	// ExitCode is the process's exit status; -1 when it was killed by a
	// signal.
	ExitCode int
}

// Output is stdout followed by stderr.
func (r Result) Output() string { return r.Stdout + r.Stderr }

// SkipUnlessAcc skips t unless TF_ACC is set, as resource.Test does, so
// that tests driving terraform directly run with the acceptance tests and
// not with the unit tests.
func SkipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test skipped unless the TF_ACC environment variable is set")
	}
}

// NewWorkspace returns a workspace in a fresh directory. It skips the test
// unless TF_ACC is set, and when no terraform binary is available, as
// terraform-plugin-testing would fail it.
func NewWorkspace(t *testing.T) *Workspace {
	t.Helper()
	SkipUnlessAcc(t)
	tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tfPath == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Skip("no terraform binary: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
		tfPath = p
	}
	return &Workspace{t: t, Dir: t.TempDir(), tfPath: tfPath, served: map[string]func() (tfprotov6.ProviderServer, error){}}
}

// Terraform returns a workspace that serves the Env's provider, with hcl
// as its configuration (after a required_providers block), initialised.
func (e *Env) Terraform(t *testing.T, hcl string) *Workspace {
	t.Helper()
	w := NewWorkspace(t).Serve(ProviderAddress, e.Factories[ProviderTypeName])
	w.WriteConfig(hcl)
	w.MustRun(0, "init", "-input=false", "-no-color")
	return w
}

// Serve serves the provider made by factory at the registry address addr
// in the test process, a fresh instance for every command.
func (w *Workspace) Serve(addr string, factory func() (tfprotov6.ProviderServer, error)) *Workspace {
	w.served[addr] = factory
	return w
}

// Setenv sets environment variables ("NAME=value") for every command, and
// so for the providers terraform starts.
func (w *Workspace) Setenv(kv ...string) *Workspace {
	w.env = append(w.env, kv...)
	return w
}

// UseBuiltProvider points terraform at the provider binary, built once per
// test binary, through dev_overrides in a CLI configuration of the
// workspace's own. No init is needed then.
func (w *Workspace) UseBuiltProvider() *Workspace {
	w.t.Helper()
	bin := builtProviderDir(w.t)
	rc := filepath.Join(w.Dir, ".terraformrc")
	w.WriteFile(rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "ccloudiam/ccloud" = %q
  }
  direct {}
}
`, bin))
	return w.Setenv("TF_CLI_CONFIG_FILE=" + rc)
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// builtProviderDir builds the provider binary once per test binary and
// returns the directory that holds it.
func builtProviderDir(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		start := time.Now()
		defer func() { t.Logf("built the provider binary in %s", time.Since(start).Round(time.Millisecond)) }()
		gomod, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("finding the module root: %w", err)
			return
		}
		if buildDir, buildErr = os.MkdirTemp("", "ccloud-provider-bin"); buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-ccloud"), ".")
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// WriteFile writes a file of the workspace; a relative name is taken in
// Dir.
func (w *Workspace) WriteFile(name, content string) {
	w.t.Helper()
	if !filepath.IsAbs(name) {
		name = filepath.Join(w.Dir, name)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// WriteConfig replaces main.tf with hcl after a required_providers block
// naming this provider.
func (w *Workspace) WriteConfig(hcl string) {
	w.t.Helper()
	w.WriteFile("main.tf", requiredProviders+hcl)
}

// Run runs one terraform command to its end, or until ctx ends.
func (w *Workspace) Run(ctx context.Context, args ...string) Result {
	w.t.Helper()
	return w.start(ctx, args).Wait()
}

// MustRun runs a command that must exit with want.
func (w *Workspace) MustRun(want int, args ...string) Result {
	w.t.Helper()
	res := w.Run(context.Background(), args...)
	if res.ExitCode != want {
		w.t.Fatalf("terraform %s: exit %d, want %d:\n%s", strings.Join(args, " "), res.ExitCode, want, res.Output())
	}
	return res
}

// Start starts a terraform command for a test that kills it, in a process
// group of its own so that the provider processes it starts can be found
// and, when the test ends, killed with it.
func (w *Workspace) Start(args ...string) *Process {
	w.t.Helper()
	return w.start(context.Background(), args)
}

// Process is a terraform command under way.
type Process struct {
	t    *testing.T
	cmd  *exec.Cmd
	args []string
	out  lockedBuffer
	errs lockedBuffer
	// stopServing ends the in-process provider servers once terraform has
	// exited.
	stopServing func()
	// done is closed when terraform has exited; runErr is then its error.
	done   chan struct{}
	runErr error
}

func (w *Workspace) start(ctx context.Context, args []string) *Process {
	w.t.Helper()
	env := append(filteredEnviron(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	env = append(env, w.env...)
	serveCtx, stop := context.WithCancel(ctx)
	stopServing := stop
	if len(w.served) > 0 {
		reattach, wait := w.serve(serveCtx)
		env = append(env, "TF_REATTACH_PROVIDERS="+reattach)
		stopServing = func() { stop(); wait() }
	}
	p := &Process{t: w.t, args: args, stopServing: stopServing, done: make(chan struct{})}
	cmd := exec.CommandContext(ctx, w.tfPath, args...)
	cmd.Dir = w.Dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &p.out, &p.errs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The group, not terraform alone: a provider process terraform started
	// must not outlive a cancelled command.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A provider process that outlives terraform must not hold up Wait
	// should it have inherited terraform's output.
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		stopServing()
		w.t.Fatalf("starting terraform %s: %v", strings.Join(args, " "), err)
	}
	pgid := cmd.Process.Pid
	w.t.Cleanup(func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
	p.cmd = cmd
	go func() {
		p.runErr = cmd.Wait()
		stopServing()
		close(p.done)
	}()
	return p
}

// serve serves every provider of the workspace in the test process and
// returns the TF_REATTACH_PROVIDERS value for them and a function that
// waits for the servers to stop once ctx ends.
func (w *Workspace) serve(ctx context.Context) (string, func()) {
	w.t.Helper()
	reattach := map[string]any{}
	var closers []chan struct{}
	for addr, factory := range w.served {
		srv, err := factory()
		if err != nil {
			w.t.Fatalf("creating the provider server for %s: %v", addr, err)
		}
		reattachCh := make(chan *plugin.ReattachConfig, 1)
		closeCh := make(chan struct{})
		closers = append(closers, closeCh)
		serveErr := make(chan error, 1)
		go func() {
			serveErr <- tf6server.Serve(addr, func() tfprotov6.ProviderServer { return srv },
				tf6server.WithDebug(ctx, reattachCh, closeCh),
				tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Name: "plugintest", Output: io.Discard})),
				tf6server.WithoutLogStderrOverride(),
				// The sink keeps the provider's logs out of the test output
				// unless TF_ACC_LOG_PATH or TF_LOG_PATH_MASK asks for them.
				tf6server.WithLoggingSink(w.t),
			)
		}()
		var rc *plugin.ReattachConfig
		select {
		case rc = <-reattachCh:
		case err := <-serveErr:
			w.t.Fatalf("serving %s: %v", addr, err)
		case <-time.After(30 * time.Second):
			w.t.Fatalf("timed out waiting for the reattach configuration of %s", addr)
		}
		if rc == nil {
			w.t.Fatalf("the provider server for %s gave no reattach configuration", addr)
		}
		reattach[HostAddress(addr)] = map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
			"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		}
	}
	raw, err := json.Marshal(reattach)
	if err != nil {
		w.t.Fatal(err)
	}
	return string(raw), func() {
		for _, c := range closers {
			select {
			case <-c:
			case <-time.After(30 * time.Second):
				w.t.Error("timed out waiting for a provider server to stop")
			}
		}
	}
}

// HostAddress is the address terraform knows a provider by, in reattached
// providers and in state, for a provider of addr. OpenTofu resolves a source without a host ("ccloudiam/ccloud") on its own
// registry, so when TF_ACC_PROVIDER_HOST names another host, as it does for
// terraform-plugin-testing under OpenTofu, a provider served at
// registry.terraform.io is reattached, and recorded in a test's state,
// under that host instead.
func HostAddress(addr string) string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if rest, ok := strings.CutPrefix(addr, "registry.terraform.io/"); ok && host != "" {
		return host + "/" + rest
	}
	return addr
}

// Wait waits for terraform to exit and returns its result.
func (p *Process) Wait() Result {
	p.t.Helper()
	<-p.done
	res := Result{Stdout: p.out.String(), Stderr: p.errs.String(), ExitCode: -1}
	var exitErr *exec.ExitError
	switch {
	case p.runErr == nil:
		res.ExitCode = 0
	case errors.As(p.runErr, &exitErr):
		res.ExitCode = exitErr.ExitCode()
	default:
		p.t.Fatalf("running terraform %s: %v", strings.Join(p.args, " "), p.runErr)
	}
	return res
}

// Output returns what terraform has written so far.
func (p *Process) Output() string { return p.out.String() + p.errs.String() }

// WaitUntil polls cond until it holds, and fails the test with
// terraform's output so far when it does not within a minute or when
// terraform exits first.
func (p *Process) WaitUntil(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) || p.exited() {
			p.Kill()
			p.t.Fatalf("terraform %s never reached the moment %s:\n%s", strings.Join(p.args, " "), what, p.Output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exited reports whether terraform has exited.
func (p *Process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Kill sends SIGKILL to terraform alone, as an out-of-memory kill or a CI
// runner would, and waits for it; the provider processes it started are
// left to notice.
func (p *Process) Kill() Result {
	p.t.Helper()
	// An error means terraform has exited already, which Wait reports.
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	return p.Wait()
}

// KillProvider sends SIGKILL to the provider processes terraform started,
// leaving terraform to notice, and returns their process IDs. There is
// normally one; the instance terraform used for the plan may still be
// shutting down early in an apply, and killing it too changes nothing.
func (p *Process) KillProvider() []int {
	p.t.Helper()
	pids := ChildProcesses(p.cmd.Process.Pid, "terraform-provider-ccloud")
	if len(pids) == 0 {
		p.t.Fatalf("terraform %d has no provider process to kill:\n%s", p.cmd.Process.Pid, p.Output())
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			p.t.Fatalf("killing the provider process %d: %v", pid, err)
		}
	}
	return pids
}

// ChildProcesses returns the IDs of the direct children of parent whose
// executable is named name, read from /proc.
func ChildProcesses(parent int, name string) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscanf(e.Name(), "%d", &pid); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if ppid, ok := parentPID(stat); !ok || ppid != parent {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		argv0, _, _ := bytes.Cut(cmdline, []byte{0})
		if filepath.Base(string(argv0)) == name {
			out = append(out, pid)
		}
	}
	return out
}

// parentPID reads the parent's process ID from a /proc/PID/stat line. The
// command name in parentheses may hold spaces and parentheses, so the
// fields are counted from the last ")": the state, then the parent's ID.
func parentPID(stat []byte) (int, bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	var state string
	var ppid int
	if _, err := fmt.Sscan(string(stat[i+1:]), &state, &ppid); err != nil {
		return 0, false
	}
	return ppid, true
}

// filteredEnviron is the process environment without the variables that
// would change what terraform does here: logging, extra CLI arguments, a
// CLI configuration, a plugin cache, another data directory or workspace,
// and other reattached providers.
func filteredEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_LOG"), strings.HasPrefix(name, "TF_CLI_ARGS"):
			continue
		case name == "TF_REATTACH_PROVIDERS", name == "TF_CLI_CONFIG_FILE", name == "TERRAFORM_CONFIG",
			name == "TF_PLUGIN_CACHE_DIR", name == "TF_DATA_DIR", name == "TF_WORKSPACE":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// lockedBuffer is a buffer that a test may read while terraform writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
