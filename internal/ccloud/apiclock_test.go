// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// TestAPINow_followsTheDateHeaderNotTheLocalClock checks that a client
// whose local clock is hours off tells the API's time from its answers'
// Date header, moves it on by the local clock's elapsed time, ignores older
// object timestamps, and follows the API's clock when it steps back.
func TestAPINow_followsTheDateHeaderNotTheLocalClock(t *testing.T) {
	t.Parallel()
	apiTime := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", apiTime.Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	local := clock.NewFake(time.Now().Add(-5 * time.Hour))
	c, err := New(Config{Endpoint: srv.URL, APIKey: "k", APISecret: "s", Clock: local, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.APINow(); ok {
		t.Fatal("APINow is known before any answer")
	}
	_, _ = c.GetAPIKey(t.Context(), "NOSUCHKEY0000000")
	if got, ok := c.APINow(); !ok || !got.Equal(apiTime) {
		t.Fatalf("APINow after an answer dated %s: %s, %v", apiTime, got, ok)
	}
	local.Advance(90 * time.Second)
	if got, _ := c.APINow(); !got.Equal(apiTime.Add(90 * time.Second)) {
		t.Errorf("90 s later APINow is %s", got)
	}
	c.ObserveAPITime(apiTime.Add(-time.Hour))
	if got, _ := c.APINow(); !got.Equal(apiTime.Add(90 * time.Second)) {
		t.Errorf("an old timestamp moved APINow to %s", got)
	}
	c.ObserveAPITime(apiTime.Add(100 * time.Second))
	if got, _ := c.APINow(); !got.Equal(apiTime.Add(100 * time.Second)) {
		t.Errorf("a newer timestamp left APINow at %s", got)
	}
	// The API's clock steps back a minute.
	apiTime = apiTime.Add(30 * time.Second)
	_, _ = c.GetAPIKey(t.Context(), "NOSUCHKEY0000000")
	if got, _ := c.APINow(); !got.Equal(apiTime) {
		t.Errorf("after the API's clock stepped back APINow is %s, want %s", got, apiTime)
	}
}
