// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

func TestImportedSecret(t *testing.T) {
	const id, other = "ABCDEFGHIJKLMNOP", "QRSTUVWXYZ012345"
	good, good2 := ccloud.NewAPISecret(), ccloud.NewAPISecret()
	bad := good[:63] + string(rune(good[63]^1))
	for name, tc := range map[string]struct {
		single, bulk string
		want         string
		wantErr      string
	}{
		"none":             {},
		"single":           {single: good, want: good},
		"single bad":       {single: bad, wantErr: EnvImportAPISecret + " environment variable does not hold a valid"},
		"bulk":             {bulk: `{"` + id + `": "` + good + `", "` + other + `": "` + good2 + `"}`, want: good},
		"bulk missing":     {bulk: `{"` + other + `": "` + good2 + `"}`},
		"bulk bad":         {bulk: `{"` + id + `": "` + bad + `"}`, wantErr: `entry "` + id + `" of the ` + EnvImportAPISecrets},
		"bulk empty entry": {bulk: `{"` + id + `": ""}`, wantErr: "is empty"},
		"bulk not JSON":    {bulk: `{"` + id + `": "` + good + `",}`, wantErr: "not a JSON object from API key ID to secret (at byte"},
		"bulk not object":  {bulk: `["` + good + `"]`, wantErr: "not a JSON object"},
		"bulk trailing":    {bulk: `{} "` + good + `"`, wantErr: "not a JSON object"},
		"both":             {single: good, bulk: `{}`, wantErr: "not both"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(EnvImportAPISecret, tc.single)
			t.Setenv(EnvImportAPISecrets, tc.bulk)
			got, diags := importedSecret("ccloud_cloud_api_key", id)
			if got != tc.want {
				t.Errorf("secret %q..., want %q...", got[:min(len(got), 8)], tc.want[:min(len(tc.want), 8)])
			}
			text := ""
			for _, d := range diags {
				text += d.Summary() + ": " + d.Detail() + "\n"
				for _, s := range []string{good, good2, bad, good[4:20]} {
					if strings.Contains(d.Detail(), s) {
						t.Errorf("a diagnostic repeats a secret: %s", d.Summary())
					}
				}
			}
			if (tc.wantErr != "") != diags.HasError() || tc.wantErr != "" && !strings.Contains(text, tc.wantErr) {
				t.Errorf("diagnostics %q, want error %q", text, tc.wantErr)
			}
			if tc.wantErr == "" && len(diags) != 0 {
				t.Errorf("diagnostics %q, want none (Read warns about a missing secret)", text)
			}
		})
	}
}
