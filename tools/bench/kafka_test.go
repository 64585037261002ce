// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestWriteKafka checks the Kafka readiness table: a row per setting and
// run with its early reports and failed probes per key, and the targets
// judged on the default rows only.
func TestWriteKafka(t *testing.T) {
	rows := []kafkaRow{
		{Delay: 2 * time.Second, Window: 2 * time.Second, Brokers: 6, Keys: 400, Early: 0, Failed: 1000, Flaps: 40, LateMax: 4 * time.Second},
		{Delay: 3 * time.Second, Window: 5 * time.Second, Brokers: 6, Keys: 260, Early: 5, Failed: 130},
		{Delay: 3 * time.Second, Window: 5 * time.Second, Brokers: 6, Run: 6, Keys: 260, Early: 1, Failed: 130},
	}
	var out bytes.Buffer
	writeKafka(&out, rows)
	got := out.String()
	for _, want := range []string{
		"2s       2s             6 default    400      0      2.50      0.10",
		"3s       5s             6 6          260      1      0.50",
		"no key reported early by default at 2s + 2s: 0 of 400 PASS",
		"failed probes per key <= 2 on average at a 2 s delay: 2.50 FAIL",
		"no key reported early by default at 3s + 5s: 5 of 260 FAIL",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the table lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "1 of 260") {
		t.Errorf("a configured run was judged against the default's target:\n%s", got)
	}
}
