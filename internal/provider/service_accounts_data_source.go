// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Compile-time checks that the data source implements the interfaces it
// means to.
var (
	_ datasource.DataSource              = (*serviceAccountsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*serviceAccountsDataSource)(nil)
)

// NewServiceAccountsDataSource returns the ccloud_service_accounts data source.
func NewServiceAccountsDataSource() datasource.DataSource {
	return &serviceAccountsDataSource{}
}

type serviceAccountsDataSource struct {
	data *providerData
}

type serviceAccountsDataSourceModel struct {
	DisplayName     types.String                  `tfsdk:"display_name"`
	ServiceAccounts []serviceAccountListItemModel `tfsdk:"service_accounts"`
	IDs             types.List                    `tfsdk:"ids"`
}

type serviceAccountListItemModel struct {
	ID           types.String `tfsdk:"id"`
	DisplayName  types.String `tfsdk:"display_name"`
	Description  types.String `tfsdk:"description"`
	CreatedAt    types.String `tfsdk:"created_at"`
	ResourceName types.String `tfsdk:"resource_name"`
}

func (d *serviceAccountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_accounts"
}

func (d *serviceAccountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the service accounts of the organisation, all of them or those with a given " +
			"display name. The list is sorted by display name.",
		Attributes: map[string]schema.Attribute{
			"display_name": schema.StringAttribute{
				Description: "Only list service accounts with exactly this display name. Without it, every " +
					"service account is listed.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, maxServiceAccountNameLen)},
			},
			"service_accounts": schema.ListNestedAttribute{
				Description: "The service accounts found, sorted by display name.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							Description: "ID of the service account.",
							Computed:    true,
						},
						"display_name": schema.StringAttribute{
							Description: "Display name of the service account.",
							Computed:    true,
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
				},
			},
			"ids": schema.ListAttribute{
				Description: "IDs of the service accounts found, in the same order as `service_accounts`.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (d *serviceAccountsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *serviceAccountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg serviceAccountsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	var names []string
	if !cfg.DisplayName.IsNull() {
		names = append(names, cfg.DisplayName.ValueString())
	}
	found, err := client.ListServiceAccounts(ctx, names...)
	if err != nil {
		resp.Diagnostics.AddError("Error listing service accounts",
			fmt.Sprintf("Could not list service accounts: %s", err))
		return
	}

	// A stable order keeps plans that depend on this list quiet when the
	// API returns the same accounts in another order.
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].DisplayName != found[j].DisplayName {
			return found[i].DisplayName < found[j].DisplayName
		}
		return found[i].ID < found[j].ID
	})

	cfg.ServiceAccounts = make([]serviceAccountListItemModel, 0, len(found))
	ids := make([]attr.Value, 0, len(found))
	for _, sa := range found {
		if len(names) > 0 && sa.DisplayName != names[0] {
			continue
		}
		cfg.ServiceAccounts = append(cfg.ServiceAccounts, serviceAccountListItemModel{
			ID:           types.StringValue(sa.ID),
			DisplayName:  types.StringValue(sa.DisplayName),
			Description:  types.StringValue(sa.Description),
			CreatedAt:    rfc3339String(sa.Metadata.CreatedAt),
			ResourceName: types.StringValue(sa.Metadata.ResourceName),
		})
		ids = append(ids, types.StringValue(sa.ID))
	}
	list, diags := types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.IDs = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
