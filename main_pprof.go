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
)

// With the pprof build tag ("go build -tags pprof"), a provider started
// with CCLOUD_PPROF_DIR set writes a CPU profile and, when it stops, a heap
// profile into that folder, one pair per process. Terraform starts the
// provider several times per command, so the files carry the process ID.
// Release builds do not contain this file.
func init() {
	dir := os.Getenv("CCLOUD_PPROF_DIR")
	if dir == "" {
		return
	}
	cpu, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		return
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return
	}
	stopProfiling = func() {
		pprof.StopCPUProfile()
		cpu.Close()
		heap, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid())))
		if err != nil {
			return
		}
		defer heap.Close()
		runtime.GC()
		_ = pprof.Lookup("allocs").WriteTo(heap, 0)
	}
}
