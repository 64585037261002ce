// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// resourceIDForms are spec.resource.id values of every form the API
// reference lists, in the cases it allows, and some of no known form.
var resourceIDForms = map[string]keyScope{
	"":                           scopeCloud,
	"cloud":                      scopeCloud,
	"CLOUD":                      scopeCloud,
	"lkc-zmmq63":                 scopeKafka,
	"lsrc-b2pff":                 scopeSchemaRegistry,
	"lksqlc-w1x0g":               scopeKsqlDB,
	"aws.us-east-1":              scopeFlink,
	"AZURE.centralus":            scopeFlink,
	"env-3732nw.gcp.us-central1": scopeFlink,
	"tableflow":                  scopeTableflow,
	"TABLEFLOW":                  scopeTableflow,
	"global":                     scopeGlobal,
	"Global":                     scopeGlobal,
	"mars.olympus":               "",
	"aws.":                       "",
	"env-x.aws":                  "",
	"lfcp-abc123":                "",
	"sa-abc123":                  "",
}

func TestScopeOfResource(t *testing.T) {
	t.Parallel()
	for id, want := range resourceIDForms {
		if got := scopeOfResource(id); got != want {
			t.Errorf("scopeOfResource(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestScopeOfResource_agreesWithClient compares the mock's recognition with
// the client's, which is written separately from the same facts: where
// they differ, one of them misreads the API reference.
func TestScopeOfResource_agreesWithClient(t *testing.T) {
	t.Parallel()
	for id := range resourceIDForms {
		mock, client := scopeOfResource(id), ccloud.ScopeOfResourceID(id)
		if mock == "" && client == ccloud.ScopeUnknown {
			continue
		}
		if string(mock) != string(client) {
			t.Errorf("resource %q: the mock sees scope %q, the client %q", id, mock, client)
		}
	}
}

func TestSplitRegionID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string][3]string{
		"aws.us-east-1":              {"", "aws", "us-east-1"},
		"GCP.us-central1":            {"", "gcp", "us-central1"},
		"env-3732nw.azure.centralus": {"env-3732nw", "azure", "centralus"},
	} {
		env, cloud, region, ok := splitRegionID(id)
		if !ok || [3]string{env, cloud, region} != want {
			t.Errorf("splitRegionID(%q) = %q, %q, %q, %v, want %q", id, env, cloud, region, ok, want)
		}
		if got := regionID(cloud, region); got != want[1]+"."+want[2] {
			t.Errorf("regionID(%q, %q) = %q", cloud, region, got)
		}
	}
}
