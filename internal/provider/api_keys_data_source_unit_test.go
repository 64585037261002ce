// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

func TestAPIKeySummary(t *testing.T) {
	t.Parallel()
	created := time.Date(2024, 2, 1, 10, 30, 0, 123456000, time.UTC)
	cases := map[string]struct {
		key                                 ccloud.APIKey
		ownerKind, scope, resourceID, envID string
	}{
		"kafka": {
			key: ccloud.APIKey{ID: "K", Spec: ccloud.APIKeySpec{
				Owner:    &ccloud.ObjectReference{ID: "sa-1", Kind: "ServiceAccount"},
				Resource: &ccloud.ObjectReference{ID: "lkc-1", Environment: "env-1"},
			}},
			ownerKind: "ServiceAccount", scope: "kafka", resourceID: "lkc-1", envID: "env-1",
		},
		"cloud key without a resource block": {
			key:       ccloud.APIKey{ID: "C", Spec: ccloud.APIKeySpec{Owner: &ccloud.ObjectReference{ID: "u-1"}}},
			ownerKind: "User", scope: "cloud", resourceID: "cloud",
		},
		"upper-case tableflow": {
			key: ccloud.APIKey{ID: "T", Spec: ccloud.APIKeySpec{
				Owner:    &ccloud.ObjectReference{ID: "sa-1"},
				Resource: &ccloud.ObjectReference{ID: "TABLEFLOW", Environment: "env-ignored"},
			}},
			ownerKind: "ServiceAccount", scope: "tableflow", resourceID: "tableflow",
		},
		"legacy flink region": {
			key: ccloud.APIKey{ID: "F", Spec: ccloud.APIKeySpec{
				Owner:    &ccloud.ObjectReference{ID: "sa-1", Kind: "ServiceAccount"},
				Resource: &ccloud.ObjectReference{ID: "env-3732nw.AWS.us-east-1"},
			}},
			ownerKind: "ServiceAccount", scope: "flink", resourceID: "aws.us-east-1", envID: "env-3732nw",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			k := c.key
			k.Metadata.CreatedAt = &created
			got := apiKeySummary(&k)
			wantEnv := types.StringNull()
			if c.envID != "" {
				wantEnv = types.StringValue(c.envID)
			}
			for attr, pair := range map[string][2]types.String{
				"owner_kind":     {got.OwnerKind, types.StringValue(c.ownerKind)},
				"scope":          {got.Scope, types.StringValue(c.scope)},
				"resource_id":    {got.ResourceID, types.StringValue(c.resourceID)},
				"environment_id": {got.EnvironmentID, wantEnv},
				"created_at":     {got.CreatedAt, types.StringValue("2024-02-01T10:30:00Z")},
			} {
				if !pair[0].Equal(pair[1]) {
					t.Errorf("%s = %s, want %s", attr, pair[0], pair[1])
				}
			}
		})
	}
}

func TestNormalizeAPIKeyResourceID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                    "",
		"lkc-AbC":             "lkc-AbC",
		"CLOUD":               "cloud",
		"Tableflow":           "tableflow",
		"GCP.us-central1":     "gcp.us-central1",
		"env-1.aws.us-east-1": "env-1.aws.us-east-1",
		"lsrc-x":              "lsrc-x",
	} {
		if got := ccloud.ResourceFilter(in); got != want {
			t.Errorf("ccloud.ResourceFilter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAPIKeysResourceIDValidator(t *testing.T) {
	t.Parallel()
	valid := []string{"lkc-abc123", "lsrc-x", "lksqlc-w1x0g", "aws.us-east-1", "AZURE.centralus", "cloud", "Global", "tableflow"}
	invalid := []string{"", "lkc-", "kafka", "sa-123", "oracle.us-east-1", " cloud", "aws."}
	check := func(v string) bool {
		var resp validator.StringResponse
		apiKeysResourceIDValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("resource_id"), ConfigValue: types.StringValue(v),
		}, &resp)
		return !resp.Diagnostics.HasError()
	}
	for _, v := range valid {
		if !check(v) {
			t.Errorf("%q was refused", v)
		}
	}
	for _, v := range invalid {
		if check(v) {
			t.Errorf("%q was accepted", v)
		}
	}
}
