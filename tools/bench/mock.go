// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// mockProcess is a running standalone mock (tools/mockcloud).
type mockProcess struct {
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}

	Endpoint, Key, Secret string
	http                  *http.Client
}

// startMock runs the mock binary on a free loopback port and waits until it
// is listening. Its credentials are its own bootstrapped admin key: any
// CONFLUENT_CLOUD_* credentials in the environment (perhaps real ones) are
// not passed on.
func startMock(ctx context.Context, bin, dir string, latency, propagation time.Duration) (*mockProcess, error) {
	readyFile := filepath.Join(dir, "mockcloud.url")
	logPath := filepath.Join(dir, "mockcloud.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()

	cmd := exec.Command(bin,
		"-listen", "127.0.0.1:0",
		"-latency", latency.String(),
		"-propagation-delay", propagation.String(),
		"-ready-file", readyFile)
	cmd.Env = envWithout(os.Environ(), "CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group: a Ctrl-C in the terminal reaches the benchmark,
	// which stops the mock last, after Terraform has let go of it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the mock: %w", err)
	}
	m := &mockProcess{cmd: cmd, logPath: logPath, exited: make(chan struct{}), http: &http.Client{Timeout: time.Minute}}
	go func() {
		_ = cmd.Wait()
		close(m.exited)
	}()

	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(readyFile); err == nil && len(bytes.TrimSpace(b)) > 0 {
			break
		}
		select {
		case <-m.exited:
			return nil, fmt.Errorf("the mock exited before it was ready:\n%s", m.logTail(20))
		case <-ctx.Done():
			m.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			m.stop()
			return nil, errors.New("the mock was not ready after 30 seconds")
		}
	}
	if err := m.readExports(); err != nil {
		m.stop()
		return nil, err
	}
	return m, nil
}

// readExports takes the endpoint and admin credentials from the export
// lines the mock prints before it writes the ready file.
func (m *mockProcess) readExports() error {
	f, err := os.Open(m.logPath)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if !ok {
			continue
		}
		switch name {
		case "CONFLUENT_CLOUD_ENDPOINT":
			m.Endpoint = value
		case "CONFLUENT_CLOUD_API_KEY":
			m.Key = value
		case "CONFLUENT_CLOUD_API_SECRET":
			m.Secret = value
		}
	}
	if m.Endpoint == "" || m.Key == "" || m.Secret == "" {
		return errors.New("the mock did not print its endpoint and credentials")
	}
	return nil
}

// stop ends the mock gracefully (SIGTERM), and kills it if it lingers.
func (m *mockProcess) stop() {
	if m == nil || m.cmd.Process == nil {
		return
	}
	select {
	case <-m.exited:
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
}

func (m *mockProcess) logTail(n int) string {
	b, _ := os.ReadFile(m.logPath)
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		// The export lines hold the credentials.
		if !strings.HasPrefix(l, "export ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// env is what the provider needs to talk to the mock.
func (m *mockProcess) env() []string {
	return []string{
		"CONFLUENT_CLOUD_ENDPOINT=" + m.Endpoint,
		"CONFLUENT_CLOUD_API_KEY=" + m.Key,
		"CONFLUENT_CLOUD_API_SECRET=" + m.Secret,
	}
}

// do sends one request with the admin key and decodes a JSON answer into
// out, if out is not nil.
func (m *mockProcess) do(ctx context.Context, method, target string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	if !strings.HasPrefix(target, "http") {
		target = m.Endpoint + target
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(m.Key, m.Secret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, req.URL.Path, resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// resetCounters zeroes the mock's request counters.
func (m *mockProcess) resetCounters(ctx context.Context) error {
	return m.do(ctx, http.MethodDelete, "/_mock/counters", nil, nil)
}

// counters returns the requests counted per route since the last reset.
func (m *mockProcess) counters(ctx context.Context) (map[string]int, error) {
	var c map[string]int
	err := m.do(ctx, http.MethodGet, "/_mock/counters", nil, &c)
	return c, err
}

// raiseQuotas makes room for n accounts and their keys with every key
// rotated (create_before_destroy briefly doubles them), so the quotas never
// get in the way of the measurement.
func (m *mockProcess) raiseQuotas(ctx context.Context, n int) error {
	room := max(1000, 4*n+100)
	q := map[string]int{
		"service_accounts_per_org":         room,
		"cloud_keys_per_org":               room,
		"cloud_keys_per_user":              room,
		"cluster_keys_per_user":            room,
		"cloud_keys_per_service_account":   100,
		"cluster_keys_per_service_account": 100,
		"keys_per_kafka_cluster":           room,
	}
	return m.do(ctx, http.MethodPut, "/_mock/quotas", q, nil)
}

// count lists a collection through the management API and counts its
// items, following metadata.next. It is called outside the measured
// windows (after the counters are read), so it never shows in the results.
func (m *mockProcess) count(ctx context.Context, path string) (int, error) {
	target := path + "?page_size=100"
	total := 0
	for target != "" {
		var page struct {
			Data     []json.RawMessage `json:"data"`
			Metadata struct {
				Next string `json:"next"`
			} `json:"metadata"`
		}
		if err := m.do(ctx, http.MethodGet, target, nil, &page); err != nil {
			return 0, err
		}
		total += len(page.Data)
		target = page.Metadata.Next
		if target != "" {
			if _, err := url.Parse(target); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

// inventory is what exists in the mock: service accounts and API keys.
type inventory struct{ Accounts, Keys int }

func (m *mockProcess) inventory(ctx context.Context) (inventory, error) {
	a, err := m.count(ctx, "/iam/v2/service-accounts")
	if err != nil {
		return inventory{}, err
	}
	k, err := m.count(ctx, "/iam/v2/api-keys")
	if err != nil {
		return inventory{}, err
	}
	return inventory{Accounts: a, Keys: k}, nil
}

// envWithout returns env without the named variables.
func envWithout(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			if name == n {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
