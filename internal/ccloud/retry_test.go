// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
)

// TestLibraryLoggerNeverLogsSecrets feeds the go-retryablehttp logger
// adapter what a careless caller or a later library version could hand it
// (a URL with a password, an error quoting a secret, an Authorization
// header, a body) and checks that no credential reaches the log.
func TestLibraryLoggerNeverLogsSecrets(t *testing.T) {
	t.Parallel()
	secret := NewAPISecret()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("KEY0000000000000:"+secret))
	var records []string
	l := libraryLogger{ctx: context.Background(), log: func(_ context.Context, msg string, fields map[string]any) {
		records = append(records, fmt.Sprint(msg, " ", fields))
	}}
	u := &url.URL{Scheme: "https", User: url.UserPassword("KEY0000000000000", secret), Host: "api.example.test", Path: "/iam/v2/api-keys"}
	l.Error("request failed", "error", errors.New("refused for "+secret), "method", "GET", "url", u)
	l.Warn("odd answer "+basic, "Authorization", basic, "body", `{"secret":"`+secret+`"}`, "request_body", secret)
	l.Info("note", "detail", secret)
	l.Debug("performing request", "url", u)
	if len(records) != 3 {
		t.Fatalf("%d records, want 3 (debug records are dropped): %q", len(records), records)
	}
	all := strings.Join(records, "\n")
	for _, leak := range []string{secret, "Basic ", "Authorization", "body"} {
		if strings.Contains(all, leak) {
			t.Errorf("the logged records hold %q:\n%s", leak, all)
		}
	}
	if !strings.Contains(all, "go-retryablehttp: request failed") || !strings.Contains(all, "api.example.test/iam/v2/api-keys") {
		t.Errorf("the records lost what they are about:\n%s", all)
	}
}

// TestRetriedRequestsLogNoSecrets runs management requests that are
// retried and fail, and a readiness probe with a new key's secret, through
// the real go-retryablehttp Client, and searches every record for
// credentials. It also checks that a record is made per attempt.
func TestRetriedRequestsLogNoSecrets(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		keySecret := NewAPISecret()
		_, hc := startBubbleServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/subjects" {
				writeFailure(w, 401, "user_unauthenticated", "no")
				return
			}
			writeFailure(w, 503, "unavailable", "try again "+keySecret)
		}), false)
		var mu sync.Mutex
		var records []string
		c := newBubbleClient(t, "http://api.example.test", hc, func(cfg *Config) {
			cfg.Log = func(_ context.Context, msg string, fields map[string]any) {
				mu.Lock()
				defer mu.Unlock()
				records = append(records, fmt.Sprint(msg, " ", fields))
			}
		})
		_, err := c.CreateAPIKey(context.Background(), APIKeyCreate{Spec: APIKeyCreateSpec{Owner: ObjectReference{ID: "sa-1"}}})
		if StatusCode(err) != 503 {
			t.Fatalf("want a 503 after retries, got %v", err)
		}
		if err := c.Probe(context.Background(), "http://localhost/subjects", "NEWKEY0000000000", keySecret); !errors.Is(err, ErrNotReady) {
			t.Fatalf("probe: %v", err)
		}
		all := strings.Join(records, "\n")
		for _, leak := range []string{c.apiSecret, keySecret, "Basic ", "Authorization"} {
			if strings.Contains(all, leak) {
				t.Errorf("the logged records hold %q:\n%s", leak, all)
			}
		}
		answers := 0
		for _, r := range records {
			if strings.HasPrefix(r, "Confluent Cloud API request map[") {
				answers++
			}
		}
		if n := answers; n != 4 {
			t.Errorf("%d records of answers for 4 attempts:\n%s", n, all)
		}
		if n := strings.Count(all, "retrying Confluent Cloud API request"); n != 3 {
			t.Errorf("%d records of retries for 3 retries:\n%s", n, all)
		}
	})
}
