// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Compile-time checks that the data source implements the interfaces it
// means to.
var (
	_ datasource.DataSource                     = (*serviceAccountDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*serviceAccountDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*serviceAccountDataSource)(nil)
)

// NewServiceAccountDataSource returns the ccloud_service_account data source.
func NewServiceAccountDataSource() datasource.DataSource {
	return &serviceAccountDataSource{}
}

type serviceAccountDataSource struct {
	data *providerData
}

type serviceAccountDataSourceModel struct {
	ID           types.String `tfsdk:"id"`
	DisplayName  types.String `tfsdk:"display_name"`
	Description  types.String `tfsdk:"description"`
	CreatedAt    types.String `tfsdk:"created_at"`
	ResourceName types.String `tfsdk:"resource_name"`
}

func (d *serviceAccountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_account"
}

func (d *serviceAccountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up one service account by its ID or by its display name. Exactly one of `id` " +
			"and `display_name` must be set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "ID of the service account, for example `sa-abc123`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{idPrefixValidator("a service account", "sa-")},
			},
			"display_name": schema.StringAttribute{
				Description: "Display name of the service account, matched exactly (names with spaces work). " +
					"Display names are unique in the organisation.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, maxServiceAccountNameLen)},
			},
			"description": schema.StringAttribute{
				Description: "Description of the service account.",
				Computed:    true,
			},
			"created_at": schema.StringAttribute{
				Description: "When the service account was created, in RFC 3339 format.",
				Computed:    true,
			},
			"resource_name": schema.StringAttribute{
				Description: "Confluent Resource Name (CRN) of the service account.",
				Computed:    true,
			},
		},
	}
}

func (d *serviceAccountDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *serviceAccountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceAccountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg serviceAccountDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	var sa *ccloud.ServiceAccount
	if !cfg.ID.IsNull() {
		id := cfg.ID.ValueString()
		got, err := client.GetServiceAccount(ctx, id)
		switch {
		case ccloud.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Service account not found",
				fmt.Sprintf("No service account with ID %q exists in the organisation.", id))
			return
		case err != nil:
			resp.Diagnostics.AddError("Error reading service account",
				fmt.Sprintf("Could not read service account %q: %s", id, err))
			return
		}
		sa = got
	} else {
		name := cfg.DisplayName.ValueString()
		found, err := client.ListServiceAccounts(ctx, name)
		if err != nil {
			resp.Diagnostics.AddError("Error listing service accounts",
				fmt.Sprintf("Could not look up the service account named %q: %s", name, err))
			return
		}
		// The API filters already; matching again guards against a server
		// that ignores the filter and returns everything.
		var matches []ccloud.ServiceAccount
		for _, s := range found {
			if s.DisplayName == name {
				matches = append(matches, s)
			}
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Service account not found",
				fmt.Sprintf("No service account has the display name %q. Names are matched exactly, "+
					"including case and spaces; the ccloud_service_accounts data source lists them all.", name))
			return
		case 1:
			sa = &matches[0]
		default:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Several service accounts match",
				fmt.Sprintf("%d service accounts have the display name %q; look one up by id instead.", len(matches), name))
			return
		}
	}

	cfg.ID = types.StringValue(sa.ID)
	cfg.DisplayName = types.StringValue(sa.DisplayName)
	cfg.Description = types.StringValue(sa.Description)
	cfg.CreatedAt = rfc3339String(sa.Metadata.CreatedAt)
	cfg.ResourceName = types.StringValue(sa.Metadata.ResourceName)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
