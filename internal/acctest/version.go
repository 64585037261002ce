// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/go-version"
)

// Version returns the version of the workspace's terraform binary (or
// OpenTofu's, which reports its own version in the same JSON field).
func (w *Workspace) Version() *version.Version {
	w.t.Helper()
	res := w.MustRun(0, "version", "-json")
	// OpenTofu may print warnings about its CLI configuration before the
	// JSON object.
	out := res.Stdout
	if i := strings.Index(out, "{"); i > 0 {
		out = out[i:]
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		w.t.Fatalf("reading the output of terraform version -json: %v\n%s", err, res.Output())
	}
	parsed, err := version.NewVersion(v.Version)
	if err != nil {
		w.t.Fatalf("parsing terraform version %q: %v", v.Version, err)
	}
	return parsed
}

// SkipBelow skips the test, with a message naming both versions, when the
// workspace's terraform is older than minimum: the workspace counterpart
// of tfversion.SkipBelow for the tests terraform-plugin-testing cannot
// drive. A prerelease of the minimum version counts as that version, as
// it does in tfversion.SkipBelow.
func (w *Workspace) SkipBelow(minimum *version.Version) {
	w.t.Helper()
	if v := w.Version(); v.Core().LessThan(minimum) {
		w.t.Skipf("Terraform CLI version %s is below minimum version %s: skipping test", v, minimum)
	}
}

// OpenTofu reports whether the workspace's terraform binary is OpenTofu,
// for the few tests that check what Terraform and OpenTofu do differently.
func (w *Workspace) OpenTofu() bool {
	w.t.Helper()
	return strings.Contains(w.MustRun(0, "version").Stdout, "OpenTofu v")
}
