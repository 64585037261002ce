// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFormatElapsed(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "under 1ms"},
		{300 * time.Microsecond, "under 1ms"},
		{time.Millisecond, "1ms"},
		{19*time.Millisecond + 400*time.Microsecond, "19ms"},
		{10*time.Second + 640*time.Millisecond, "10.6s"},
	} {
		if got := formatElapsed(c.d); got != c.want {
			t.Errorf("formatElapsed(%s) = %q, want %q", c.d, got, c.want)
		}
	}
}

// A lost create names its request once, not once per layer.
func TestOutcomeUnknownErrorNamesTheRequestOnce(t *testing.T) {
	te := &TransportError{Method: "POST", Path: "/iam/v2/api-keys", Endpoint: "https://api.example",
		Err: errors.New("connection reset by peer"), Attempts: 1, Elapsed: 200 * time.Microsecond}
	err := &OutcomeUnknownError{Method: "POST", Path: "/iam/v2/api-keys", Err: te}
	msg := err.Error()
	if n := strings.Count(msg, "POST /iam/v2/api-keys"); n != 1 {
		t.Errorf("the request is named %d times in %q", n, msg)
	}
	for _, want := range []string{"outcome is unknown", "no answer from https://api.example", "connection reset by peer", "1 attempt in under 1ms"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if !errors.Is(err, te.Err) {
		t.Error("the cause is no longer reachable with errors.Is")
	}
}
