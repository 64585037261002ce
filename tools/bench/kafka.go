// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// The Kafka readiness table: how many Kafka keys the engine reports ready
// while some broker still refuses them, per setting of the brokers' window,
// with the default run and with kafka_ready_successes at the broker count.
// Windows like 60 s / 10 s take minutes of real time per wave, so the
// figures come from the engine's own simulation, which runs in a
// testing/synctest bubble (virtual time, exact counts): the keyengine tests
// TestWaitReady_kafkaSixBrokers (the default) and
// TestWaitReady_kafkaConfiguredRun (a run of six), which write their totals
// as JSON into the directory CCLOUD_KAFKA_REPORT names.

// kafkaRow is one setting's totals, as the keyengine tests write them.
type kafkaRow struct {
	Delay       time.Duration `json:"delay"`
	Window      time.Duration `json:"window"`
	Brokers     int           `json:"brokers"`
	Run         int           `json:"run"` // kafka_ready_successes; 0 is the default
	Keys        int           `json:"keys"`
	Early       int           `json:"early"`
	Failed      int           `json:"failed"`
	Flaps       int           `json:"flaps"`
	LateMax     time.Duration `json:"late_max"`
	LearntKeys  int           `json:"learnt_keys"`
	LearntEarly int           `json:"learnt_early"`
}

// kafkaReportTests are the tests that write the rows, in table order.
var kafkaReportTests = []string{"TestWaitReady_kafkaSixBrokers", "TestWaitReady_kafkaConfiguredRun"}

// runKafkaReport runs the simulation tests in the module at root and reads
// their rows.
func runKafkaReport(ctx context.Context, root string) ([]kafkaRow, error) {
	dir, err := os.MkdirTemp("", "ccloud-bench-kafka-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^("+kafkaReportTests[0]+"|"+kafkaReportTests[1]+")$",
		"./internal/keyengine/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CCLOUD_KAFKA_REPORT="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("the Kafka readiness simulation failed: %w\n%s", err, b)
	}
	var rows []kafkaRow
	for _, name := range kafkaReportTests {
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			return nil, fmt.Errorf("the Kafka readiness simulation wrote no report: %w", err)
		}
		var part []kafkaRow
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("reading %s's report: %w", name, err)
		}
		rows = append(rows, part...)
	}
	return rows, nil
}

// writeKafka prints the Kafka readiness table and its targets: no key
// reported early with the default, and at most 2 failed probes per key on
// average at a 2 s delay.
func writeKafka(w io.Writer, rows []kafkaRow) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n######## Kafka readiness: brokers learn each key over [D, D+window]; the engine's simulation in virtual time\n")
	fmt.Fprintf(w, "   early = reported ready while a broker still refused the key; run = kafka_ready_successes\n")
	fmt.Fprintf(w, "     %-8s %-8s %7s %-8s %5s %6s %9s %9s %9s\n",
		"delay", "window", "brokers", "run", "keys", "early", "fail/key", "flaps/key", "late max")
	var verdicts []string
	for _, r := range rows {
		run := "default"
		if r.Run > 0 {
			run = fmt.Sprint(r.Run)
		}
		keys := float64(max(r.Keys, 1))
		fmt.Fprintf(w, "     %-8s %-8s %7d %-8s %5d %6d %9.2f %9.2f %9s\n", r.Delay, r.Window, r.Brokers, run, r.Keys, r.Early,
			float64(r.Failed)/keys, float64(r.Flaps)/keys, r.LateMax.Round(10*time.Millisecond))
		if r.Run == 0 {
			verdicts = append(verdicts, fmt.Sprintf("target: no key reported early by default at %s + %s: %d of %d %s",
				r.Delay, r.Window, r.Early, r.Keys, passFail(r.Early == 0)))
			if r.Delay == 2*time.Second {
				perKey := float64(r.Failed) / keys
				verdicts = append(verdicts, fmt.Sprintf("target: failed probes per key <= 2 on average at a 2 s delay: %.2f %s",
					perKey, passFail(perKey <= 2)))
			}
		}
	}
	for _, v := range verdicts {
		fmt.Fprintf(w, "     %s\n", v)
	}
}

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}
