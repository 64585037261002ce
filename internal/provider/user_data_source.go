// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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
	_ datasource.DataSource                     = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userDataSource)(nil)
)

// NewUserDataSource returns the ccloud_user data source.
func NewUserDataSource() datasource.DataSource {
	return &userDataSource{}
}

type userDataSource struct {
	data *providerData
}

type userDataSourceModel struct {
	ID        types.String `tfsdk:"id"`
	Email     types.String `tfsdk:"email"`
	FullName  types.String `tfsdk:"full_name"`
	CreatedAt types.String `tfsdk:"created_at"`
	AuthType  types.String `tfsdk:"auth_type"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up a user of the organisation by ID or by email address, for example to find " +
			"the owner of user-owned API keys. Exactly one of `id` and `email` must be set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "ID of the user, for example `u-abc123`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{idPrefixValidator("a user", "u-")},
			},
			"email": schema.StringAttribute{
				Description: "Email address of the user, matched without regard to case.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{emailValidator()},
			},
			"full_name": schema.StringAttribute{
				Description: "Full name of the user.",
				Computed:    true,
			},
			"created_at": schema.StringAttribute{
				Description: "When the user was created, in RFC 3339 format.",
				Computed:    true,
			},
			"auth_type": schema.StringAttribute{
				Description: "How the user signs in, for example `AUTH_TYPE_LOCAL` or `AUTH_TYPE_SSO`.",
				Computed:    true,
			},
		},
	}
}

func (d *userDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("email")),
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	var user *ccloud.User
	if !cfg.ID.IsNull() {
		id := cfg.ID.ValueString()
		got, err := client.GetUser(ctx, id)
		switch {
		case ccloud.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("id"), "User not found",
				fmt.Sprintf("No user with ID %q exists in the organisation.", id))
			return
		case err != nil:
			resp.Diagnostics.AddError("Error reading user", fmt.Sprintf("Could not read user %q: %s", id, err))
			return
		}
		user = got
	} else {
		// The API cannot filter users by email, so the whole list is searched.
		email := cfg.Email.ValueString()
		users, err := client.ListUsers(ctx)
		if err != nil {
			resp.Diagnostics.AddError("Error listing users",
				fmt.Sprintf("Could not list users to find %q: %s", email, err))
			return
		}
		for i := range users {
			if strings.EqualFold(users[i].Email, email) {
				user = &users[i]
				break
			}
		}
		if user == nil {
			resp.Diagnostics.AddAttributeError(path.Root("email"), "User not found",
				fmt.Sprintf("No user of the organisation has the email address %q.", email))
			return
		}
	}

	cfg.ID = types.StringValue(user.ID)
	cfg.Email = types.StringValue(user.Email)
	cfg.FullName = types.StringValue(user.FullName)
	cfg.CreatedAt = rfc3339String(user.Metadata.CreatedAt)
	cfg.AuthType = types.StringValue(user.AuthType)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
