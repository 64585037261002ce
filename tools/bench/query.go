// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The query benchmark: terraform query -generate-config-out over an estate
// made outside Terraform (accounts and keys created through the API, as the
// Confluent CLI makes them). It measures the requests the provider sends
// against the least a paging listing can send, the wall time and the
// provider's peak memory. It needs Terraform 1.14 or later, the first with
// terraform query.

// queryOptions are the knobs of the query benchmark.
type queryOptions struct {
	accounts, keys int
	// terraform is a Terraform 1.14+ binary; "" means none was found.
	terraform string
}

// queryResult is what one query run measured.
type queryResult struct {
	Accounts, Keys int
	Wall           time.Duration
	Routes         []routeCount
	Calls          int
	// KeyPages and AccountPages are the pages the API needs for the keys and
	// for every account of the organisation: the least a listing that
	// names owners can read.
	KeyPages, AccountPages int
	Imports                int
	PeakKB                 int64
	Processes              int
}

// queryCallSlack is how many requests beyond the pages the target allows.
const queryCallSlack = 5

// findQueryTerraform returns a Terraform that has terraform query: the
// -query-terraform flag, else TF_ACC_TERRAFORM_PATH_LATEST, else
// ../shared/bin/terraform-1.15.9 beside the repository (as make generate
// finds it), else "".
func findQueryTerraform(flagValue, root string) string {
	if flagValue != "" {
		return flagValue
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH_LATEST"); p != "" {
		return p
	}
	out, err := exec.Command("git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir").Output()
	if err != nil {
		return ""
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "..", "..", "shared", "bin", "terraform-1.15.9")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// queryConfig lists the Kafka keys with their resources, as an adoption
// with generated configuration does. A list block stops at 100 results
// unless its limit says otherwise.
const queryConfig = `list "ccloud_kafka_api_key" "all" {
  provider         = ccloud
  include_resource = true
  limit            = 100000
}
`

// runQuery runs the query benchmark against a fresh mock.
func runQuery(ctx context.Context, o options, q queryOptions, tmp, bin, cliConfigFile string, poller *memoryPoller, out io.Writer) (queryResult, error) {
	res := queryResult{Accounts: q.accounts, Keys: q.keys}
	dir := filepath.Join(tmp, "query")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	files := map[string]string{
		"main.tf":          "terraform {\n  required_providers {\n    ccloud = {\n      source = \"ccloudiam/ccloud\"\n    }\n  }\n}\n\nprovider \"ccloud\" {}\n",
		"keys.tfquery.hcl": queryConfig,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return res, err
		}
	}
	mock, err := startMock(ctx, filepath.Join(bin, "mockcloud"), dir, o.latency, o.propagation)
	if err != nil {
		return res, err
	}
	defer mock.stop()
	if err := mock.raiseQuotas(ctx, q.accounts); err != nil {
		return res, fmt.Errorf("raising the mock's quotas: %w", err)
	}
	start := time.Now()
	if err := makeEstate(ctx, mock, q.accounts, q.keys); err != nil {
		return res, fmt.Errorf("creating the estate: %w", err)
	}
	inv, err := mock.inventory(ctx)
	if err != nil {
		return res, err
	}
	res.KeyPages = ceilDiv(q.keys, 100)
	res.AccountPages = ceilDiv(inv.Accounts, 100)
	fmt.Fprintf(out, "\n######## query: %d service accounts, %d Kafka API keys made through the API in %s; mock at %s\n",
		q.accounts, q.keys, seconds(time.Since(start)), mock.Endpoint)

	if err := mock.resetCounters(ctx); err != nil {
		return res, err
	}
	env := terraformEnv(os.Environ(), cliConfigFile, mock.env())
	cmd := exec.CommandContext(ctx, q.terraform, "query", "-no-color", "-generate-config-out=generated.tf")
	cmd.Dir, cmd.Env = dir, env
	logFile, err := os.Create(filepath.Join(dir, "query.log"))
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, as in terraform.go, so that nothing Terraform
	// signals to its group reaches the benchmark.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	poller.start()
	began := time.Now()
	runErr := cmd.Run()
	res.Wall = time.Since(began)
	sample := poller.finish()
	res.PeakKB, res.Processes = sample.PeakKB, sample.Processes
	if runErr != nil {
		return res, fmt.Errorf("terraform query: %w\n%s", runErr, tail(filepath.Join(dir, "query.log"), 20))
	}
	counters, err := mock.counters(ctx)
	if err != nil {
		return res, err
	}
	res.Routes, res.Calls = aggregateRoutes(counters)
	generated, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	if err != nil {
		return res, err
	}
	res.Imports = strings.Count(string(generated), "\nimport {")
	if res.Imports != q.keys {
		return res, fmt.Errorf("generated.tf imports %d keys, want %d", res.Imports, q.keys)
	}
	return res, nil
}

// makeEstate creates accounts and keys (spread evenly over the accounts)
// through the API, several requests at a time.
func makeEstate(ctx context.Context, m *mockProcess, accounts, keys int) error {
	ids := make([]string, accounts)
	if err := parallel(ctx, accounts, func(i int) error {
		var sa struct {
			ID string `json:"id"`
		}
		err := m.do(ctx, http.MethodPost, "/iam/v2/service-accounts",
			map[string]string{"display_name": fmt.Sprintf("cli-app-%03d", i), "description": "made with the CLI"}, &sa)
		ids[i] = sa.ID
		return err
	}); err != nil {
		return err
	}
	return parallel(ctx, keys, func(i int) error {
		body := map[string]any{"spec": map[string]any{
			"owner":    map[string]string{"id": ids[i%accounts], "related": "", "resource_name": ""},
			"resource": map[string]string{"id": "lkc-q1ck5t", "related": "", "resource_name": ""},
		}}
		return m.do(ctx, http.MethodPost, "/iam/v2/api-keys", body, nil)
	})
}

// parallel runs f(0..n-1) on 16 workers and returns the first error.
func parallel(ctx context.Context, n int, f func(int) error) error {
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// writeQuery prints the query benchmark's block and its target.
func writeQuery(w io.Writer, r queryResult) {
	fmt.Fprintf(w, "\n== query  (terraform query -generate-config-out, %d keys of %d accounts)\n", r.Keys, r.Accounts)
	fmt.Fprintf(w, "   wall        %9s\n", seconds(r.Wall))
	fmt.Fprintf(w, "   API calls   %9d  (key pages %d, account pages %d)\n", r.Calls, r.KeyPages, r.AccountPages)
	if r.Processes > 0 {
		fmt.Fprintf(w, "   peak RSS    %9s  (largest of %d provider processes)\n", megabytes(r.PeakKB), r.Processes)
	} else {
		fmt.Fprintf(w, "   peak RSS    %9s  (no provider process was sampled)\n", "-")
	}
	fmt.Fprintf(w, "   generated   %9d  import blocks\n", r.Imports)
	for _, rc := range r.Routes {
		fmt.Fprintf(w, "     %-40s %6d\n", rc.Route, rc.Calls)
	}
	writeQueryTarget(w, r)
}

// writeQueryTarget prints the query's line of the targets table.
func writeQueryTarget(w io.Writer, r queryResult) {
	limit := r.KeyPages + r.AccountPages + queryCallSlack
	verdict := "FAIL"
	if r.Calls <= limit {
		verdict = "PASS"
	}
	fmt.Fprintf(w, "   %-26s %-9s at K=%-4d %9d  %s  (pages %d + accounts' pages %d + %d)\n", "query requests",
		fmt.Sprintf("<= %d", limit), r.Keys, r.Calls, verdict, r.KeyPages, r.AccountPages, queryCallSlack)
}

// errNoQueryTerraform is a query benchmark asked for without a Terraform
// that can run it.
var errNoQueryTerraform = errors.New("the query benchmark needs Terraform 1.14 or later: set -query-terraform or TF_ACC_TERRAFORM_PATH_LATEST")

// queryVersionOK reports whether the binary is Terraform 1.14 or later.
func queryVersionOK(ctx context.Context, tf string) bool {
	out, err := exec.CommandContext(ctx, tf, "version", "-json").Output()
	if err != nil {
		return false
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil {
		return false
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 1 || minor >= 14
}
