// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"context"
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
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-ready-file", ready}, args...), out, &syncBuffer{}, func(k string) string { return env[k] })
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

func TestRunUsesEnvironmentCredentials(t *testing.T) {
	secret := ccloud.NewAPISecret()
	_, out, _ := startRun(t, nil, map[string]string{"CONFLUENT_CLOUD_API_KEY": "ENVKEY0000000001", "CONFLUENT_CLOUD_API_SECRET": secret})
	if !strings.Contains(out.String(), "export CONFLUENT_CLOUD_API_KEY=ENVKEY0000000001\n") ||
		!strings.Contains(out.String(), "export CONFLUENT_CLOUD_API_SECRET="+secret+"\n") {
		t.Errorf("output %q", out.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"-nope"},
		{"-seed", filepath.Join(t.TempDir(), "missing.json")},
		{"extra-arg"},
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
