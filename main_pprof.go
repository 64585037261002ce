// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

//go:build pprof

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

// With the pprof build tag ("go build -tags pprof"), a provider started
// with CCLOUD_PPROF_DIR set writes profiles into that folder, named by
// process ID, since Terraform starts the provider several times per
// command: a CPU profile of its whole life; a heap profile when it stops;
// and a heap profile taken when the heap in use was at its largest
// (heap-peak-PID.pprof), which shows what the memory peak is made of.
// Release builds do not contain this file.
func init() {
	dir := os.Getenv("CCLOUD_PPROF_DIR")
	if dir == "" {
		return
	}
	name := func(kind string) string {
		return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid()))
	}
	cpu, err := os.Create(name("cpu"))
	if err != nil {
		return
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return
	}
	done := make(chan struct{})
	sampled := make(chan struct{})
	go samplePeakHeap(name("heap-peak"), done, sampled)
	stopProfiling = func() {
		close(done)
		<-sampled
		pprof.StopCPUProfile()
		cpu.Close()
		writeHeapProfile(name("heap"))
	}
}

// samplePeakHeap writes a heap profile each time the heap in use grows by a
// tenth over the largest seen so far.
func samplePeakHeap(path string, done <-chan struct{}, sampled chan<- struct{}) {
	defer close(sampled)
	var peak uint64
	goroutines := 0
	defer func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		summary := fmt.Sprintf("peak heap in use %d KB\npeak goroutines %d\ngarbage collections %d\ntotal allocated %d KB\n",
			peak/1024, goroutines, ms.NumGC, ms.TotalAlloc/1024)
		_ = os.WriteFile(path+".txt", []byte(summary), 0o644)
	}()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		goroutines = max(goroutines, runtime.NumGoroutine())
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak+peak/10 {
			peak = ms.HeapInuse
			writeHeapProfile(path)
		}
	}
}

func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}
