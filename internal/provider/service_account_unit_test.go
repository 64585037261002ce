// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

func TestServiceAccountKeysDetail(t *testing.T) {
	t.Parallel()
	keys := []ccloud.APIKey{
		{ID: "ZZZZZZZZZZZZZZZZ", Spec: ccloud.APIKeySpec{DisplayName: "orders app", Resource: &ccloud.ObjectReference{ID: "lkc-abc123", Environment: "env-xyz"}}},
		{ID: "AAAAAAAAAAAAAAAA", Spec: ccloud.APIKeySpec{Resource: &ccloud.ObjectReference{ID: "cloud"}}},
		{ID: "MMMMMMMMMMMMMMMM", Spec: ccloud.APIKeySpec{DisplayName: "flink", Resource: &ccloud.ObjectReference{ID: "aws.us-east-1", Environment: "env-xyz"}}},
	}
	got := serviceAccountKeysDetail("sa-123", "orders", keys)
	for _, want := range []string{
		`sa-123 ("orders") owns 3 API key(s)`,
		`- AAAAAAAAAAAAAAAA: cloud key (organisation-wide)`,
		`- MMMMMMMMMMMMMMMM "flink": flink key for aws.us-east-1 in env-xyz`,
		`- ZZZZZZZZZZZZZZZZ "orders app": kafka key for lkc-abc123 in env-xyz`,
		`force_destroy = true`,
		`delete those keys first`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	// Keys are listed in a stable order, whatever order the API used.
	if strings.Index(got, "AAAA") > strings.Index(got, "MMMM") || strings.Index(got, "MMMM") > strings.Index(got, "ZZZZ") {
		t.Errorf("keys are not sorted by ID:\n%s", got)
	}
	if keys[0].ID != "ZZZZZZZZZZZZZZZZ" {
		t.Error("the caller's slice was reordered")
	}
}

func TestDescribeKeyScope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ref  *ccloud.ObjectReference
		want string
	}{
		{nil, "cloud key (organisation-wide)"},
		{&ccloud.ObjectReference{ID: "tableflow"}, "tableflow key"},
		{&ccloud.ObjectReference{ID: "lsrc-1", Environment: "env-1"}, "schema_registry key for lsrc-1 in env-1"},
		{&ccloud.ObjectReference{ID: "lksqlc-1"}, "ksqldb key for lksqlc-1"},
		{&ccloud.ObjectReference{ID: "mystery-1"}, "unknown key for mystery-1"},
		// A Global key is organisation-wide like a Cloud key; it once read
		// "global key for global".
		{&ccloud.ObjectReference{ID: "global", APIVersion: "global/v1", Kind: "Global"}, "global key (organisation-wide)"},
	} {
		if got := describeKeyScope(tc.ref); got != tc.want {
			t.Errorf("describeKeyScope(%+v) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}

func TestServiceAccountModelSetFrom(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 1, 2, 3, 4, 5, 678000, time.UTC)
	sa := &ccloud.ServiceAccount{ID: "sa-1", DisplayName: "n", Metadata: ccloud.ObjectMeta{
		CreatedAt: &created, ResourceName: "crn://confluent.cloud/organization=o/service-account=sa-1",
	}}

	// An account without a description stays null when none was configured,
	// and stays "" when "" was configured, so neither shows a diff.
	var m serviceAccountResourceModel
	m.Description = types.StringNull()
	m.setFrom(sa)
	if !m.Description.IsNull() {
		t.Errorf("description = %s, want null", m.Description)
	}
	m.Description = types.StringValue("")
	m.setFrom(sa)
	if m.Description.IsNull() || m.Description.ValueString() != "" {
		t.Errorf("description = %s, want \"\"", m.Description)
	}
	// A description set outside Terraform shows up, so the plan can undo it.
	m.Description = types.StringNull()
	sa.Description = "changed elsewhere"
	m.setFrom(sa)
	if m.Description.ValueString() != "changed elsewhere" {
		t.Errorf("description = %s", m.Description)
	}
	if m.CreatedAt.ValueString() != "2025-01-02T03:04:05Z" {
		t.Errorf("created_at = %s", m.CreatedAt)
	}
	if m.ResourceName.ValueString() != sa.Metadata.ResourceName || m.ID.ValueString() != "sa-1" {
		t.Errorf("model = %+v", m)
	}
	sa.Metadata.CreatedAt = nil
	m.setFrom(sa)
	if !m.CreatedAt.IsNull() {
		t.Errorf("created_at = %s, want null", m.CreatedAt)
	}
}

func TestIsAPISecretFunctionRun(t *testing.T) {
	t.Parallel()
	valid := ccloud.NewAPISecret()
	// Changing one character of the body breaks the checksum.
	broken := valid[:10] + string(rune(valid[10]^1)) + valid[11:]
	for name, tc := range map[string]struct {
		arg  attr.Value
		want types.Bool
	}{
		"valid":        {types.StringValue(valid), types.BoolValue(true)},
		"bad checksum": {types.StringValue(broken), types.BoolValue(false)},
		"legacy":       {types.StringValue(strings.Repeat("A", 64)), types.BoolValue(false)},
		"empty":        {types.StringValue(""), types.BoolValue(false)},
		"null":         {types.StringNull(), types.BoolValue(false)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{tc.arg})}
			resp := &function.RunResponse{Result: function.NewResultData(types.BoolUnknown())}
			NewIsAPISecretFunction().Run(context.Background(), req, resp)
			if resp.Error != nil {
				t.Fatalf("Run: %s", resp.Error)
			}
			if got := resp.Result.Value(); !got.Equal(tc.want) {
				t.Errorf("is_api_secret = %s, want %s", got, tc.want)
			}
		})
	}
}
