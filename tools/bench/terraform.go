// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// terraform runs terraform commands in one working directory with the
// benchmark's environment, logging each command's output to a file.
type terraform struct {
	dir    string
	env    []string
	logDir string
	seq    int
}

// terraformEnv is the environment of every terraform command: the caller's,
// minus anything that could send Terraform elsewhere, plus the CLI
// configuration with the dev override and the mock's endpoint and
// credentials.
func terraformEnv(base []string, cliConfigFile string, mockEnv []string) []string {
	env := envWithout(base,
		"TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG", "TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "TF_WORKSPACE",
		"TF_CLI_ARGS", "TF_CLI_ARGS_plan", "TF_CLI_ARGS_apply", "TF_CLI_ARGS_destroy",
		"CONFLUENT_CLOUD_ENDPOINT", "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET")
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfigFile,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
	return append(env, mockEnv...)
}

// errPlanChanges is a no-change plan that found changes.
var errPlanChanges = errors.New("the plan found changes where there should be none")

// run runs "terraform args..." and returns its wall time and CPU time. The
// CPU time is Terraform's and that of the provider processes it started and
// waited for (the kernel adds reaped children to the rusage wait4 returns).
// A canceled ctx interrupts Terraform.
func (t *terraform) run(ctx context.Context, name string, args ...string) (wall, cpu time.Duration, err error) {
	t.seq++
	logPath := filepath.Join(t.logDir, fmt.Sprintf("%02d-%s.log", t.seq, name))
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, 0, err
	}
	defer logFile.Close()

	cmd := exec.Command("terraform", args...)
	cmd.Dir = t.dir
	cmd.Env = t.env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so a terminal Ctrl-C reaches Terraform once,
	// from us, and never twice (which makes it exit without saving state).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	select {
	case waitErr = <-done:
	case <-ctx.Done():
		return time.Since(start), 0, fmt.Errorf("terraform %s interrupted: %v", args[0], interrupt(cmd, done))
	}
	wall = time.Since(start)
	cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if waitErr != nil {
		var exit *exec.ExitError
		if name == "plan" && errors.As(waitErr, &exit) && exit.ExitCode() == 2 {
			return wall, cpu, fmt.Errorf("%w; terraform plan says:\n%s", errPlanChanges, planSummary(logPath))
		}
		return wall, cpu, fmt.Errorf("terraform %s failed (%v); the last lines of %s (-keep keeps it):\n%s",
			strings.Join(args, " "), waitErr, logPath, tail(logPath, 30))
	}
	return wall, cpu, nil
}

// interrupt stops a running terraform the way Ctrl-C does (SIGINT, so it
// stops cleanly and saves its state), kills what is left of its process
// group after a grace period, and returns how it ended.
func interrupt(cmd *exec.Cmd, done <-chan error) error {
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		// Terraform and the provider processes it started.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return <-done
	}
}

// planSummary picks the lines of a plan's output that say what would
// change, so a failing no-change plan explains itself.
func planSummary(logPath string) string {
	b, _ := os.ReadFile(logPath)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		tl := strings.TrimSpace(l)
		if strings.HasPrefix(tl, "# ") || strings.HasPrefix(tl, "Plan:") || strings.Contains(tl, "forces replacement") {
			out = append(out, "  "+tl)
		}
	}
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("  ... (%d more lines in %s)", len(out)-40, logPath))
	}
	return strings.Join(out, "\n")
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
