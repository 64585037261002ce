// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// TestMeasureKafkaBrokersOnMock measures, on the mock with its default six
// brokers, how many Kafka keys the engine reports ready while some broker
// still refuses them. It runs in real time (about half a minute per
// setting), so only when CCLOUD_MEASURE_KAFKA is set; it asserts nothing
// and prints the figures. The counted assertion is the fake-clock test in
// readiness_kafka_test.go.
func TestMeasureKafkaBrokersOnMock(t *testing.T) {
	if os.Getenv("CCLOUD_MEASURE_KAFKA") == "" {
		t.Skip("set CCLOUD_MEASURE_KAFKA=1 to measure early Kafka reports on the mock in real time")
	}
	const waves, size = 4, 5
	for _, c := range []struct{ delay, window time.Duration }{
		{3 * time.Second, 2 * time.Second},
		{2 * time.Second, 5 * time.Second},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			t.Run(fmt.Sprintf("D%s_W%s_seed%d", c.delay, c.window, seed), func(t *testing.T) {
				t.Parallel()
				m := mockcloud.Start(t, mockcloud.Options{PropagationDelay: c.delay, KafkaBrokerWindow: c.window, FaultSeed: seed})
				c2 := newMockClient(t, m)
				sa := m.CreateServiceAccount("app", "")
				e := newTestEngine(c2)
				var mu sync.Mutex
				keys, early, failed, flaps := 0, 0, 0, 0
				var lateMax time.Duration
				for range waves {
					var wg sync.WaitGroup
					for range size {
						wg.Go(func() {
							key, err := e.Create(t.Context(), kafkaSpec(sa.ID), CreateOptions{})
							if err != nil {
								t.Error(err)
								return
							}
							r, err := e.WaitReady(t.Context(), kafkaTarget(c2), key.ID, key.Spec.Secret)
							reported := time.Now()
							if err != nil {
								t.Error(err)
								return
							}
							_, full, _ := m.KeyPropagation(key.ID)
							mu.Lock()
							defer mu.Unlock()
							keys++
							failed += r.FailedProbes
							flaps += r.Flaps
							if reported.Before(full) {
								early++
							} else {
								lateMax = max(lateMax, reported.Sub(full))
							}
						})
					}
					wg.Wait()
				}
				t.Logf("MEASURE delay %s window %s seed %d: %d keys, %d early, %d failed probes, %d flaps, late max %s",
					c.delay, c.window, seed, keys, early, failed, flaps, lateMax.Round(time.Millisecond))
			})
		}
	}
}
