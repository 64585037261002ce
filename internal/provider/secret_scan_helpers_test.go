// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// validSecretsIn returns every checksum-valid secret of the cflt format in b,
// wherever it starts: the scan does not depend on knowing which secrets
// exist, so it also finds secrets the test never heard of.
func validSecretsIn(b []byte) []string {
	var found []string
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("cflt"))
		if j < 0 {
			return found
		}
		start := i + j
		if end := start + ccloud.SecretLen; end <= len(b) && ccloud.IsAPISecret(string(b[start:end])) {
			found = append(found, string(b[start:end]))
		}
		i = start + 1
	}
}

// fileScanner searches files Terraform writes (state files, saved plans,
// which are zip archives, and anything else in the working directories) for
// valid cflt secrets and for known secrets in any form the test registered.
type fileScanner struct {
	mu    sync.Mutex
	known map[string]string // text -> what it is
	// findings lists every secret found, by file.
	findings []string
	// files and planFiles count what was searched, so that a scan which
	// looked at nothing cannot pass.
	files, planFiles, stateFiles int
	bytes                        int64
}

func newFileScanner() *fileScanner { return &fileScanner{known: map[string]string{}} }

func (f *fileScanner) addKnown(text, what string) {
	if text == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.known[text] = what
}

// scanBytes records the secrets in b, found in where.
func (f *fileScanner) scanBytes(where string, b []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bytes += int64(len(b))
	for _, s := range validSecretsIn(b) {
		f.findings = append(f.findings, fmt.Sprintf("%s: a valid cflt secret (%s...)", where, s[:8]))
	}
	for text, what := range f.known {
		if n := bytes.Count(b, []byte(text)); n > 0 {
			f.findings = append(f.findings, fmt.Sprintf("%s: %d occurrence(s) of the %s", where, n, what))
		}
	}
}

// scanTree searches every file under dir; zip archives (saved plans) are
// searched entry by entry, since their content is compressed.
func (f *fileScanner) scanTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Provider binaries and the plugin cache are not Terraform's
			// output.
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.mu.Lock()
		f.files++
		if strings.HasSuffix(p, ".tfstate") || strings.HasSuffix(p, ".tfstate.backup") {
			f.stateFiles++
		}
		f.mu.Unlock()
		if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
			f.mu.Lock()
			f.planFiles++
			f.mu.Unlock()
			for _, zf := range zr.File {
				rc, err := zf.Open()
				if err != nil {
					return err
				}
				content, err := io.ReadAll(rc)
				_ = rc.Close()
				if err != nil {
					return err
				}
				f.scanBytes(p+"!"+zf.Name, content)
			}
			return nil
		}
		f.scanBytes(p, b)
		return nil
	})
}

// report returns the findings, sorted and without repeats.
func (f *fileScanner) report() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, s := range f.findings {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// treeScan is a plan check and a check function that searches dir, where
// the test's Terraform working directories are, at that moment: before apply
// it finds the saved plan, after apply the state files.
type treeScan struct {
	f   *fileScanner
	dir string
}

func (s treeScan) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = s.f.scanTree(s.dir)
}

func (s treeScan) check(*terraform.State) error { return s.f.scanTree(s.dir) }
