// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command bench is the performance benchmark behind "make bench". It builds
// the provider and the standalone mock, generates a configuration of N
// service accounts each with one API key of every scope (7N resources), and
// times four phases at Terraform's default parallelism against the mock with
// an injected latency and propagation delay: apply, a no-change plan, a
// rotation of every key (create_before_destroy) and destroy. For each phase
// it prints the wall time, the API calls by route (from the mock's
// counters), the ideal wall time and the ratio to it (see ideal.go), and the
// provider's peak memory. With -sizes it runs several N and prints how each
// phase scales.
//
//	go run ./tools/bench -n 50
//	go run ./tools/bench -sizes 10,50,200
//
// Terraform never downloads anything: the provider comes from a dev
// override in a temporary CLI configuration (~/.terraformrc is not read or
// written), and the configuration needs no other provider, so there is no
// "terraform init".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const providerBinary = "terraform-provider-ccloud"

type options struct {
	n           int
	sizes       []int
	latency     time.Duration
	propagation time.Duration
	parallelism int
	keep        bool
	// The query benchmark (query.go): queryOnly runs it alone.
	queryOnly      bool
	queryAccounts  int
	queryKeys      int
	queryTerraform string
	// kafkaOnly prints only the Kafka readiness table (kafka.go).
	kafkaOnly bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case ctx.Err() != nil:
		fmt.Fprintln(os.Stderr, "bench: interrupted")
		os.Exit(130)
	default:
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var sizes string
	fs.IntVar(&o.n, "n", 50, "service accounts; each brings one API key of every scope (7 resources)")
	fs.StringVar(&sizes, "sizes", "", "comma-separated N values to run one after the other, with a scaling table (overrides -n)")
	fs.DurationVar(&o.latency, "latency", 25*time.Millisecond, "latency the mock adds to every request")
	fs.DurationVar(&o.propagation, "propagation-delay", time.Second, "how long a new key takes to authenticate on its data plane")
	fs.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism (10 is Terraform's default)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (configurations, state, logs) for inspection")
	fs.BoolVar(&o.queryOnly, "query", false, "run only the terraform query benchmark (quick), not the apply/plan/rotate/destroy phases")
	fs.IntVar(&o.queryAccounts, "query-accounts", 100, "service accounts of the query benchmark")
	fs.IntVar(&o.queryKeys, "query-keys", 1000, "Kafka API keys of the query benchmark, spread over its accounts")
	fs.BoolVar(&o.kafkaOnly, "kafka", false, "print only the Kafka readiness table (quick: the engine's simulation in virtual time)")
	fs.StringVar(&o.queryTerraform, "query-terraform", "", "Terraform 1.14+ for the query benchmark (default: TF_ACC_TERRAFORM_PATH_LATEST, else ../shared/bin/terraform-1.15.9)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var err error
	if o.sizes, err = parseSizes(sizes, o.n); err != nil {
		return o, err
	}
	if o.parallelism < 1 {
		return o, errors.New("-parallelism must be at least 1")
	}
	if o.queryAccounts < 1 || o.queryKeys < 1 {
		return o, errors.New("-query-accounts and -query-keys must be at least 1")
	}
	if o.latency < 0 || o.propagation < 0 {
		return o, errors.New("-latency and -propagation-delay must not be negative")
	}
	return o, nil
}

// parseSizes reads "10,50,200"; empty means just n.
func parseSizes(s string, n int) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		s = strconv.Itoa(n)
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("bad size %q: sizes are positive integers, such as 10,50,200", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func run(ctx context.Context, args []string, out io.Writer) (err error) {
	o, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	if runtime.GOOS != "linux" {
		fmt.Fprintln(out, "note: peak memory is read from /proc, which this system lacks; it will show as '-'")
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	kafka := func() error {
		rows, err := runKafkaReport(ctx, root)
		if err != nil {
			return err
		}
		writeKafka(out, rows)
		return nil
	}
	if o.kafkaOnly {
		return kafka()
	}
	if _, err := exec.LookPath("terraform"); err != nil && !o.queryOnly {
		return errors.New("terraform is not on PATH")
	}
	queryTF := findQueryTerraform(o.queryTerraform, root)
	if queryTF != "" && !queryVersionOK(ctx, queryTF) {
		queryTF = ""
	}
	if o.queryOnly && queryTF == "" {
		return errNoQueryTerraform
	}

	tmp, err := os.MkdirTemp("", "ccloud-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(out, "\nkept %s\n", tmp)
			return
		}
		if rerr := os.RemoveAll(tmp); rerr != nil && err == nil {
			err = rerr
		}
	}()

	bin := filepath.Join(tmp, "bin")
	start := time.Now()
	if err := goBuild(ctx, root, filepath.Join(bin, providerBinary), "."); err != nil {
		return err
	}
	if err := goBuild(ctx, root, filepath.Join(bin, "mockcloud"), "./tools/mockcloud"); err != nil {
		return err
	}
	cliConfigFile := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(cliConfigFile, []byte(cliConfig(bin)), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(out, "bench: built the provider and the mock in %s; latency %s, propagation delay %s, parallelism %d\n",
		seconds(time.Since(start)), o.latency, o.propagation, o.parallelism)

	poller := newMemoryPoller(filepath.Join(bin, providerBinary), 50*time.Millisecond)
	query := func() (*queryResult, error) {
		if queryTF == "" {
			fmt.Fprintf(out, "\nquery: skipped: %v\n", errNoQueryTerraform)
			return nil, nil
		}
		q := queryOptions{accounts: o.queryAccounts, keys: o.queryKeys, terraform: queryTF}
		r, err := runQuery(ctx, o, q, tmp, bin, cliConfigFile, poller, out)
		if err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		writeQuery(out, r)
		return &r, nil
	}
	if o.queryOnly {
		_, err := query()
		return err
	}
	var results []sizeResult
	for _, n := range o.sizes {
		res, err := runSize(ctx, o, n, tmp, bin, cliConfigFile, poller, out)
		if len(res.Phases) > 0 {
			results = append(results, res)
		}
		if err != nil {
			return fmt.Errorf("at n=%d: %w", n, err)
		}
	}
	if len(results) > 1 {
		writeScaling(out, results)
	}
	q, err := query()
	if err != nil {
		return err
	}
	if err := kafka(); err != nil {
		return err
	}
	writeTargets(out, results)
	if q != nil {
		writeQueryTarget(out, *q)
	}
	return nil
}

// phase is one timed terraform command.
type phase struct {
	name string
	args []string
}

func phases(parallelism int) []phase {
	par := "-parallelism=" + strconv.Itoa(parallelism)
	return []phase{
		{"apply", []string{"apply", "-auto-approve", "-input=false", "-no-color", par}},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}},
		{"rotate", []string{"apply", "-auto-approve", "-input=false", "-no-color", par, "-var", "rotation=2"}},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false", "-no-color", par, "-var", "rotation=2"}},
	}
}

// runSize runs the four phases at one N against a fresh mock, printing each
// phase as it completes.
func runSize(ctx context.Context, o options, n int, tmp, bin, cliConfigFile string, poller *memoryPoller, out io.Writer) (sizeResult, error) {
	res := sizeResult{N: n}
	dir := filepath.Join(tmp, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(generateConfig(n, fmt.Sprintf("bench-%d", n))), 0o600); err != nil {
		return res, err
	}
	mock, err := startMock(ctx, filepath.Join(bin, "mockcloud"), dir, o.latency, o.propagation)
	if err != nil {
		return res, err
	}
	defer mock.stop()
	if err := mock.raiseQuotas(ctx, n); err != nil {
		return res, fmt.Errorf("raising the mock's quotas: %w", err)
	}
	base, err := mock.inventory(ctx)
	if err != nil {
		return res, fmt.Errorf("reading the mock's starting inventory: %w", err)
	}

	resources := n * resourcesPerAccount
	fmt.Fprintf(out, "\n######## N=%d: %d service accounts, %d API keys, %d resources; mock at %s\n",
		n, n, n*len(keyResources), resources, mock.Endpoint)
	tf := &terraform{dir: dir, logDir: dir, env: terraformEnv(os.Environ(), cliConfigFile, mock.env())}
	model := idealModel{N: n, Latency: o.latency, Propagation: o.propagation, Parallelism: o.parallelism}
	var refresh time.Duration
	for _, ph := range phases(o.parallelism) {
		if err := mock.resetCounters(ctx); err != nil {
			return res, fmt.Errorf("resetting the mock's counters: %w", err)
		}
		if err := mock.clearAudit(ctx); err != nil {
			return res, fmt.Errorf("clearing the mock's audit log: %w", err)
		}
		poller.start()
		wall, cpu, runErr := tf.run(ctx, ph.name, ph.args...)
		sample := poller.finish()
		if runErr != nil {
			return res, fmt.Errorf("%s: %w", ph.name, runErr)
		}
		counters, err := mock.counters(ctx)
		if err != nil {
			return res, fmt.Errorf("reading the mock's counters: %w", err)
		}
		routes, calls := aggregateRoutes(counters)
		p := phaseResult{
			Name: ph.name, Resources: resources, Wall: wall, Routes: routes, Calls: calls,
			PeakKB: sample.PeakKB, Processes: sample.Processes, CPU: cpu, ProviderCPU: sample.CPU, CPUs: runtime.NumCPU(),
		}
		switch ph.name {
		case "apply":
			p.Ideal = model.apply()
		case "plan":
			p.Ideal = model.plan(calls)
			refresh = p.Ideal.Total
		case "rotate":
			p.Ideal = model.rotate(refresh)
		case "destroy":
			p.Ideal = model.destroy(refresh)
		}
		want := inventory{Accounts: base.Accounts + n, Keys: base.Keys + n*len(keyResources)}
		if ph.name == "destroy" {
			want = base
		}
		if p.Inventory, err = mock.inventory(ctx); err != nil {
			return res, fmt.Errorf("reading the mock's inventory: %w", err)
		}
		if p.Inventory != want {
			p.Check = fmt.Sprintf("expected %d accounts and %d keys", want.Accounts, want.Keys)
		}
		if ph.name == "apply" || ph.name == "rotate" {
			if p.Readiness, err = mock.readiness(ctx); err != nil {
				return res, fmt.Errorf("reading the probes from the mock's audit log: %w", err)
			}
		}
		res.Phases = append(res.Phases, p)
		writePhase(out, p, o.parallelism)
		writeReadiness(out, p.Readiness, o.propagation)
		if p.Check != "" {
			return res, fmt.Errorf("after %s the mock holds %d accounts and %d keys, %s (orphans or missing resources)",
				ph.name, p.Inventory.Accounts, p.Inventory.Keys, p.Check)
		}
	}
	return res, nil
}

// goBuild builds pkg (relative to the module root) into out.
func goBuild(ctx context.Context, root, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags", "-X main.version=0.0.0-bench", "-o", out, pkg)
	cmd.Dir = root
	b, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return nil
}

// moduleRoot finds the directory holding go.mod, from the working
// directory up, so the benchmark runs from anywhere in the repository.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found: run the benchmark inside the repository")
		}
		dir = parent
	}
}
