// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command mockcloud runs the mock Confluent Cloud as a standalone server for
// the quick start, the official CLI and manual testing. It prints the
// environment a client needs as shell export lines.
//
//	go run ./tools/mockcloud -listen 127.0.0.1:8080 -propagation-delay 2s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "mockcloud:", err)
		}
		os.Exit(2)
	}
}

// run is the whole command, separated from main so tests can drive it
// in-process: it serves until ctx is canceled, then shuts down and saves
// the state file.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("mockcloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on; port 0 picks a free one")
	seedFile := fs.String("seed", "", "JSON seed file describing the world (default: the quick-start world)")
	propagation := fs.Duration("propagation-delay", 2*time.Second, "how long a new API key fails authentication")
	latency := fs.Duration("latency", 0, "latency added to every request")
	stateFile := fs.String("state", "", "state file, loaded at start and saved after every change")
	readyFile := fs.String("ready-file", "", "write the base URL to this file once listening")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}

	opts := mockcloud.Options{
		APIKey:           getenv("CONFLUENT_CLOUD_API_KEY"),
		APISecret:        getenv("CONFLUENT_CLOUD_API_SECRET"),
		PropagationDelay: *propagation,
		Latency:          *latency,
		StateFile:        *stateFile,
	}
	if (opts.APIKey == "") != (opts.APISecret == "") {
		return errors.New("set both CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET, or neither")
	}
	if *seedFile != "" {
		sd, err := mockcloud.LoadSeed(*seedFile)
		if err != nil {
			return err
		}
		opts.Seed = sd
	}
	s, err := mockcloud.New(opts)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	base := "http://" + clientAddr(ln.Addr().(*net.TCPAddr))
	s.SetBaseURL(base)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	key, secret := s.Credentials()
	// The first line is a shell comment so the whole output can be eval'd.
	fmt.Fprintf(stdout, "# mockcloud listening on %s\n", base)
	fmt.Fprintf(stdout, "export CONFLUENT_CLOUD_ENDPOINT=%s\n", base)
	fmt.Fprintf(stdout, "export CONFLUENT_CLOUD_API_KEY=%s\n", key)
	fmt.Fprintf(stdout, "export CONFLUENT_CLOUD_API_SECRET=%s\n", secret)
	if *readyFile != "" {
		if err := writeAtomic(*readyFile, base+"\n"); err != nil {
			_ = srv.Close()
			return err
		}
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return err
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	return s.Save()
}

// clientAddr turns the listening address into one a client can dial: a
// wildcard listener is reached through the loopback address.
func clientAddr(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP == nil || a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// writeAtomic writes the ready file in one step, so a script polling for it
// never reads half a URL.
func writeAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
