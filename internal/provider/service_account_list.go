// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Compile-time checks that the list resource implements the interfaces it
// means to.
var (
	_ list.ListResource              = (*serviceAccountList)(nil)
	_ list.ListResourceWithConfigure = (*serviceAccountList)(nil)
)

// NewServiceAccountList returns the ccloud_service_account list resource.
func NewServiceAccountList() list.ListResource {
	return &serviceAccountList{}
}

// serviceAccountList lists the organisation's service accounts for
// terraform query.
type serviceAccountList struct {
	data *providerData
}

func (l *serviceAccountList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_account"
}

func (l *serviceAccountList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *serviceAccountList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "Lists the service accounts of the organisation for `terraform query`, including accounts " +
			"made with the Confluent CLI, the Console or other tools, so that they can be reviewed and adopted " +
			"with generated configuration.",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Description: "Only list the service account with exactly this display name (names are unique in " +
					"the organisation). Omit it to list every service account.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.UTF8LengthBetween(1, maxServiceAccountNameLen),
				},
			},
		},
	}
}

func (l *serviceAccountList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	client := l.data.clientOrError(&diags)
	var name types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &name)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		out := &listEmitter{push: push, limit: req.Limit}
		err := client.EachServiceAccountPage(ctx, name.ValueString(), func(page []ccloud.ServiceAccount) bool {
			for i := range page {
				if !out.emit(l.result(ctx, req, &page[i])) {
					return false
				}
			}
			return true
		})
		if err != nil && !out.stopped {
			what := "the service accounts"
			if name.ValueString() != "" {
				what = fmt.Sprintf("the service account named %q", name.ValueString())
			}
			push(list.ListResult{Diagnostics: diag.Diagnostics{diag.NewErrorDiagnostic("Error listing service accounts",
				fmt.Sprintf("Could not list %s: %s", what, err))}})
		}
	}
}

// result is one account: its identity, a display name to scan, and with
// include_resource the resource as importing it reads it.
func (l *serviceAccountList) result(ctx context.Context, req list.ListRequest, sa *ccloud.ServiceAccount) list.ListResult {
	result := req.NewListResult(ctx)
	parts := []string{fmt.Sprintf("%s %q", sa.ID, sa.DisplayName)}
	if d := strings.TrimSpace(sa.Description); d != "" {
		parts = append(parts, d)
	}
	if t := sa.Metadata.CreatedAt; t != nil {
		parts = append(parts, "created "+t.UTC().Format("2006-01-02"))
	}
	result.DisplayName = strings.Join(parts, " · ")
	result.Diagnostics.Append(setIdentityID(ctx, result.Identity, types.StringValue(sa.ID))...)
	if req.IncludeResource {
		// What Read sets for an imported account: force_destroy takes its
		// default, and an empty description stays null.
		m := serviceAccountResourceModel{Description: types.StringNull(), ForceDestroy: types.BoolValue(false)}
		m.setFrom(sa)
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}
