// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command mockcloud runs the mock Confluent Cloud as a standalone server for
// the quick start, the official CLI and manual testing. It prints the
// environment a client needs as shell export lines; it prints the admin key
// only when it generated the key itself, never one taken from
// CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET.
//
//	go run ./tools/mockcloud -listen 127.0.0.1:8080 -propagation-delay 2s
//	go run ./tools/mockcloud -propagation-delay 2s -scope-propagation-delay kafka=120s \
//	    -propagation-jitter 10s -kafka-broker-window 30s -unauthorized-owner sa-abc123
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
	"strings"
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

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// scopeDelaysFlag collects -scope-propagation-delay values; later ones win.
type scopeDelaysFlag map[string]time.Duration

func (f scopeDelaysFlag) String() string {
	parts := make([]string, 0, len(f))
	for _, name := range mockcloud.PropagationScopes {
		if d, ok := f[name]; ok {
			parts = append(parts, name+"="+d.String())
		}
	}
	return strings.Join(parts, ",")
}

func (f scopeDelaysFlag) Set(v string) error {
	m, err := mockcloud.ParseScopeDelays(v)
	if err != nil {
		return err
	}
	for k, d := range m {
		f[k] = d
	}
	return nil
}

// config is what the command line asks for.
type config struct {
	listen, seedFile, stateFile, readyFile string
	opts                                   mockcloud.Options
}

// parseArgs turns the command line and the environment into a config. The
// environment supplies only the admin credentials.
func parseArgs(args []string, stderr io.Writer, getenv func(string) string) (*config, error) {
	fs := flag.NewFlagSet("mockcloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{}
	scopes := scopeDelaysFlag{}
	var owners listFlag
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "address to listen on; port 0 picks a free one")
	fs.StringVar(&cfg.seedFile, "seed", "", "JSON seed file describing the world (default: the quick-start world)")
	fs.DurationVar(&cfg.opts.PropagationDelay, "propagation-delay", 2*time.Second,
		"how long a new API key fails authentication, in every scope without its own delay")
	fs.Var(scopes, "scope-propagation-delay",
		"per-scope propagation delays as scope=duration,... (scopes: "+strings.Join(mockcloud.PropagationScopes, ", ")+"); repeatable")
	fs.DurationVar(&cfg.opts.PropagationJitter, "propagation-jitter", 0, "each key's extra delay is drawn uniformly from [0, jitter)")
	fs.IntVar(&cfg.opts.KafkaBrokers, "kafka-brokers", 0,
		fmt.Sprintf("brokers per Kafka cluster (default %d when -kafka-broker-window is set)", mockcloud.DefaultKafkaBrokers))
	fs.DurationVar(&cfg.opts.KafkaBrokerWindow, "kafka-broker-window", 0,
		"brokers learn a new Kafka key one by one over this window after its delay; requests to a broker that does not know it yet get 401")
	fs.Var(&owners, "unauthorized-owner",
		"an owner (sa-... or u-...) whose propagated keys answer 403 on their data plane, as without a role binding; repeatable")
	fs.Uint64Var(&cfg.opts.FaultSeed, "rng-seed", 0, "seed of the per-key propagation draws and rate-based faults (0: random)")
	fs.DurationVar(&cfg.opts.Latency, "latency", 0, "latency added to every request")
	fs.StringVar(&cfg.stateFile, "state", "",
		"state file, loaded at start and saved after every change; it holds every API secret, so it is written with mode 0600: keep it private")
	fs.StringVar(&cfg.readyFile, "ready-file", "", "write the base URL to this file once listening")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if len(scopes) > 0 {
		cfg.opts.ScopePropagationDelays = scopes
	}
	for _, o := range owners {
		if !strings.HasPrefix(o, "sa-") && !strings.HasPrefix(o, "u-") {
			return nil, fmt.Errorf("-unauthorized-owner %q: want a service account (sa-...) or user (u-...) ID", o)
		}
	}
	cfg.opts.UnauthorizedOwners = owners
	cfg.opts.APIKey = getenv("CONFLUENT_CLOUD_API_KEY")
	cfg.opts.APISecret = getenv("CONFLUENT_CLOUD_API_SECRET")
	cfg.opts.StateFile = cfg.stateFile
	if (cfg.opts.APIKey == "") != (cfg.opts.APISecret == "") {
		return nil, errors.New("set both CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET, or neither")
	}
	return cfg, nil
}

// run is the whole command, separated from main so tests can drive it
// in-process: it serves until ctx is canceled, then shuts down and saves
// the state file.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, err := parseArgs(args, stderr, getenv)
	if err != nil {
		return err
	}
	opts := cfg.opts
	if cfg.seedFile != "" {
		sd, err := mockcloud.LoadSeed(cfg.seedFile)
		if err != nil {
			return err
		}
		opts.Seed = sd
	}
	s, err := mockcloud.New(opts)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	base := "http://" + clientAddr(ln.Addr().(*net.TCPAddr))
	s.SetBaseURL(base)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	printExports(stdout, s, base, opts.APIKey != "")
	if cfg.readyFile != "" {
		if err := writeAtomic(cfg.readyFile, base+"\n"); err != nil {
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

// printExports prints what a client needs as lines a shell can eval: the
// endpoint always, and the admin key only when the mock generated it. A
// key taken from the environment may be a real one, and a terminal, a CI
// log or a pasted transcript is no place for it.
func printExports(w io.Writer, s *mockcloud.Server, base string, fromEnv bool) {
	// The first line is a shell comment so the whole output can be eval'd.
	fmt.Fprintf(w, "# mockcloud listening on %s\n", base)
	fmt.Fprintf(w, "export CONFLUENT_CLOUD_ENDPOINT=%s\n", base)
	switch {
	case fromEnv:
		fmt.Fprintln(w, "# admin key: CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET from the environment (not printed)")
		return
	case !s.CredentialsGenerated():
		fmt.Fprintln(w, "# admin key: the supplied one kept in the state file (not printed)")
		return
	}
	key, secret := s.Credentials()
	fmt.Fprintf(w, "export CONFLUENT_CLOUD_API_KEY=%s\n", key)
	fmt.Fprintf(w, "export CONFLUENT_CLOUD_API_SECRET=%s\n", secret)
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
