// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// syncBuffer lets the test read what run prints while run is still going.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startRun(t *testing.T, args []string, env map[string]string) (url string, out *syncBuffer, stop func() error) {
	t.Helper()
	return startRunErr(t, args, env, &syncBuffer{})
}

func startRunErr(t *testing.T, args []string, env map[string]string, stderr *syncBuffer) (url string, out *syncBuffer, stop func() error) {
	t.Helper()
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-ready-file", ready}, args...), out, stderr, func(k string) string { return env[k] })
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(ready)
		if err == nil && len(b) > 0 {
			url = strings.TrimSpace(string(b))
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run exited early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("the ready file never appeared")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	return url, out, stop
}

func TestRunPrintsExportsAndServes(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	url, out, stop := startRun(t, []string{"-propagation-delay", "0s", "-state", state}, nil)

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("output %q", out.String())
	}
	if lines[1] != "export CONFLUENT_CLOUD_ENDPOINT="+url || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(url) {
		t.Errorf("endpoint line %q for url %q", lines[1], url)
	}
	key, ok := strings.CutPrefix(lines[2], "export CONFLUENT_CLOUD_API_KEY=")
	if !ok || !regexp.MustCompile(`^[A-Z0-9]{16}$`).MatchString(key) {
		t.Errorf("key line %q", lines[2])
	}
	secret, ok := strings.CutPrefix(lines[3], "export CONFLUENT_CLOUD_API_SECRET=")
	if !ok || !ccloud.IsAPISecret(secret) {
		t.Errorf("secret line %q", lines[3])
	}

	req, _ := http.NewRequest("POST", url+"/iam/v2/service-accounts", strings.NewReader(`{"display_name":"from-binary"}`))
	req.SetBasicAuth(key, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.HasPrefix(resp.Header.Get("Location"), url+"/iam/v2/service-accounts/sa-") {
		t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	b, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(b), "from-binary") {
		t.Fatalf("state after shutdown: %v", err)
	}

	// A restart on the same state keeps the data and the admin key.
	url2, out2, _ := startRun(t, []string{"-state", state}, nil)
	if !strings.Contains(out2.String(), "export CONFLUENT_CLOUD_API_KEY="+key+"\n") {
		t.Errorf("admin key changed across restarts: %q", out2.String())
	}
	req, _ = http.NewRequest("GET", url2+"/iam/v2/service-accounts?display_name=from-binary", nil)
	req.SetBasicAuth(key, secret)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("list after restart: %d", resp.StatusCode)
	}
}

// Credentials taken from the environment may be real ones: the mock uses
// them but never prints them, not in this run and not after a restart that
// reads them back from the state file.
func TestRunUsesEnvironmentCredentialsWithoutPrintingThem(t *testing.T) {
	const key = "ENVKEY0000000001"
	secret := ccloud.NewAPISecret()
	state := filepath.Join(t.TempDir(), "state.json")
	stderr := &syncBuffer{}
	url, out, stop := startRunErr(t, []string{"-state", state, "-propagation-delay", "0s"},
		map[string]string{"CONFLUENT_CLOUD_API_KEY": key, "CONFLUENT_CLOUD_API_SECRET": secret}, stderr)
	for name, text := range map[string]string{"stdout": out.String(), "stderr": stderr.String()} {
		if strings.Contains(text, secret) || strings.Contains(text, key) {
			t.Errorf("%s shows the environment's credentials: %q", name, text)
		}
	}
	if !strings.Contains(out.String(), "export CONFLUENT_CLOUD_ENDPOINT="+url+"\n") ||
		strings.Contains(out.String(), "export CONFLUENT_CLOUD_API_") {
		t.Errorf("output %q", out.String())
	}
	// The supplied key is the admin key.
	req, _ := http.NewRequest("GET", url+"/org/v2/environments", nil)
	req.SetBasicAuth(key, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the environment's key: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	_, out2, _ := startRun(t, []string{"-state", state}, nil)
	if strings.Contains(out2.String(), secret) || strings.Contains(out2.String(), key) || strings.Contains(out2.String(), "export CONFLUENT_CLOUD_API_") {
		t.Errorf("restart on the state printed the supplied credentials: %q", out2.String())
	}
}

// The state file holds the admin secret and every key's secret.
func TestRunStateFileIsPrivate(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	url, out, stop := startRun(t, []string{"-state", state, "-propagation-delay", "0s"}, nil)
	key, secret := exportsOf(t, out.String())
	req, _ := http.NewRequest("POST", url+"/iam/v2/service-accounts", strings.NewReader(`{"display_name":"private"}`))
	req.SetBasicAuth(key, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(state)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v", fi.Mode().Perm())
	}
	// A copy someone made readable becomes private again at the next start.
	if err := os.Chmod(state, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, stop2 := startRun(t, []string{"-state", state}, nil)
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
	if fi, err = os.Stat(state); err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v after a restart", fi.Mode().Perm())
	}
	var help syncBuffer
	_ = run(context.Background(), []string{"-h"}, &syncBuffer{}, &help, func(string) string { return "" })
	if !strings.Contains(help.String(), "holds every API secret") || !strings.Contains(help.String(), "0600") {
		t.Errorf("-state help does not warn about secrets: %q", help.String())
	}
}

func TestRunPropagationFlags(t *testing.T) {
	url, out, _ := startRun(t, []string{
		"-propagation-delay", "3s",
		"-scope-propagation-delay", "kafka=120s,flink=30s",
		"-scope-propagation-delay", "schema-registry=5s,flink=40s",
		"-propagation-jitter", "1s",
		"-kafka-brokers", "4",
		"-kafka-broker-window", "5s",
		"-unauthorized-owner", "sa-x",
		"-unauthorized-owner", "u-y,sa-z",
		"-rng-seed", "42",
	}, nil)
	key, secret := exportsOf(t, out.String())
	get := func(path string, v any) {
		t.Helper()
		req, _ := http.NewRequest("GET", url+path, nil)
		req.SetBasicAuth(key, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var p map[string]any
	get("/_mock/propagation-delay", &p)
	b, _ := json.Marshal(p)
	want := `{"jitter":"1s","kafka_broker_window":"5s","kafka_brokers":4,"propagation_delay":"3s","scopes":{"flink":"40s","kafka":"2m0s","schema-registry":"5s"}}`
	if string(b) != want {
		t.Errorf("propagation settings %s, want %s", b, want)
	}
	for owner, authorized := range map[string]bool{"sa-x": false, "u-y": false, "sa-z": false, "sa-other": true} {
		var a map[string]bool
		get("/_mock/owners/"+owner+"/authorization", &a)
		if a["authorized"] != authorized {
			t.Errorf("%s authorized=%v, want %v", owner, a["authorized"], authorized)
		}
	}
}

func TestParseArgsDefaults(t *testing.T) {
	cfg, err := parseArgs(nil, &syncBuffer{}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.opts
	if o.PropagationDelay != 2*time.Second || o.ScopePropagationDelays != nil || o.PropagationJitter != 0 ||
		o.KafkaBrokers != 0 || o.KafkaBrokerWindow != 0 || o.UnauthorizedOwners != nil || o.FaultSeed != 0 {
		t.Errorf("defaults %+v", o)
	}
}

// exportsOf returns the admin key and secret the mock printed.
func exportsOf(t *testing.T, out string) (key, secret string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "export CONFLUENT_CLOUD_API_KEY="); ok {
			key = v
		}
		if v, ok := strings.CutPrefix(line, "export CONFLUENT_CLOUD_API_SECRET="); ok {
			secret = v
		}
	}
	if key == "" || secret == "" {
		t.Fatalf("no credentials in %q", out)
	}
	return key, secret
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"-nope"},
		{"-seed", filepath.Join(t.TempDir(), "missing.json")},
		{"extra-arg"},
		{"-scope-propagation-delay", "lkc=1s"},
		{"-scope-propagation-delay", "schema_registry=1s"},
		{"-scope-propagation-delay", "kafka"},
		{"-scope-propagation-delay", "kafka=-1s"},
		{"-kafka-brokers", "-1"},
		{"-kafka-broker-window", "-1s"},
		{"-propagation-jitter", "-1s"},
		{"-unauthorized-owner", "lkc-abc"},
		{"-rng-seed", "-3"},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, &syncBuffer{}, &syncBuffer{}, func(string) string { return "" }); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	env := map[string]string{"CONFLUENT_CLOUD_API_KEY": "ONLYKEY000000001"}
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:0"}, &syncBuffer{}, &syncBuffer{}, func(k string) string { return env[k] }); err == nil {
		t.Error("a key without a secret was accepted")
	}
}
