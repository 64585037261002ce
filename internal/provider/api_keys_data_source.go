// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Compile-time checks that the data source implements the interfaces it means to.
var (
	_ datasource.DataSource              = (*apiKeysDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*apiKeysDataSource)(nil)
)

// apiKeysOwnerIDPattern accepts the two kinds of principal that can own an
// API key. Only the prefix is checked: IDs are opaque and may grow.
var apiKeysOwnerIDPattern = regexp.MustCompile(`^(sa|u)-[A-Za-z0-9_-]+$`)

// NewAPIKeysDataSource returns the ccloud_api_keys data source.
func NewAPIKeysDataSource() datasource.DataSource {
	return &apiKeysDataSource{}
}

type apiKeysDataSource struct {
	data *providerData
}

type apiKeysDataSourceModel struct {
	OwnerID    types.String                `tfsdk:"owner_id"`
	ResourceID types.String                `tfsdk:"resource_id"`
	APIKeys    []apiKeysDataSourceKeyModel `tfsdk:"api_keys"`
	IDs        []types.String              `tfsdk:"ids"`
}

type apiKeysDataSourceKeyModel struct {
	ID            types.String `tfsdk:"id"`
	DisplayName   types.String `tfsdk:"display_name"`
	Description   types.String `tfsdk:"description"`
	OwnerID       types.String `tfsdk:"owner_id"`
	OwnerKind     types.String `tfsdk:"owner_kind"`
	Scope         types.String `tfsdk:"scope"`
	ResourceID    types.String `tfsdk:"resource_id"`
	EnvironmentID types.String `tfsdk:"environment_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
}

func (d *apiKeysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_keys"
}

func (d *apiKeysDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the API keys of the organisation, optionally only those of one owner and/or one " +
			"resource. This is the audit and clean-up view: it shows which keys exist, who owns them, what " +
			"they give access to and when they were created, including keys that no Terraform configuration " +
			"manages (created in the Console, with the CLI, or by another configuration). It never " +
			"returns secrets, which Confluent Cloud only shows once, when a key is created. Keys are listed " +
			"oldest first (by creation time, then ID), so the order is stable between runs.",
		Attributes: map[string]schema.Attribute{
			"owner_id": schema.StringAttribute{
				Description: "Only list the keys owned by this principal: a service account (`sa-...`) or a " +
					"user (`u-...`). Omit it to list the keys of every owner.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(apiKeysOwnerIDPattern,
						"must be a service account ID (sa-...) or a user ID (u-...)"),
				},
			},
			"resource_id": schema.StringAttribute{
				Description: "Only list the keys scoped to this resource: " + scopeFilterForms() +
					". Omit it to list the keys of every resource.",
				Optional:   true,
				Validators: []validator.String{apiKeysResourceIDValidator{}},
			},
			"api_keys": schema.ListNestedAttribute{
				Description: "The matching API keys, oldest first. Secrets are never included.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							Description: "ID of the key (the 16-character key name applications use as a user name).",
							Computed:    true,
						},
						"display_name": schema.StringAttribute{
							Description: "Display name of the key; empty when it has none.",
							Computed:    true,
						},
						"description": schema.StringAttribute{
							Description: "Description of the key; empty when it has none.",
							Computed:    true,
						},
						"owner_id": schema.StringAttribute{
							Description: "ID of the principal that owns the key (`sa-...` or `u-...`).",
							Computed:    true,
						},
						"owner_kind": schema.StringAttribute{
							Description: "Kind of the owner: `ServiceAccount` or `User`. User-owned keys are " +
								"deleted with the user, so an audit usually looks for them.",
							Computed: true,
						},
						"scope": schema.StringAttribute{
							Description: "What the key gives access to: " + scopeNames() +
								" (`unknown` for a scope this provider does not recognise).",
							Computed: true,
						},
						"resource_id": schema.StringAttribute{
							Description: "ID of the resource the key is scoped to, in the same forms as the " +
								"`resource_id` filter (`cloud` for Cloud keys).",
							Computed: true,
						},
						"environment_id": schema.StringAttribute{
							Description: "Environment of the resource (`env-...`), or null for scopes that " +
								"belong to no environment (" + scopesWithoutEnvironment() + ").",
							Computed: true,
						},
						"created_at": schema.StringAttribute{
							Description: "When the key was created, in RFC 3339 format. Old keys are the usual " +
								"candidates for rotation or clean-up.",
							Computed: true,
						},
					},
				},
			},
			"ids": schema.ListAttribute{
				Description: "IDs of the matching keys, in the same order as `api_keys`.",
				Computed:    true,
				ElementType: types.StringType,
			},
		},
	}
}

func (d *apiKeysDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *apiKeysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m apiKeysDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	filter := ccloud.APIKeyFilter{
		Owner:    m.OwnerID.ValueString(),
		Resource: ccloud.ResourceFilter(m.ResourceID.ValueString()),
	}
	keys, err := client.ListAPIKeys(ctx, filter)
	if err != nil {
		resp.Diagnostics.AddError("Error listing API keys",
			fmt.Sprintf("Could not list the API keys%s: %s", describeAPIKeyFilter(filter), err))
		return
	}

	// The API's order is its own business and may change between pages or
	// releases; sorting here keeps plans free of spurious reordering.
	sort.SliceStable(keys, func(i, j int) bool {
		ti, tj := keys[i].Metadata.CreatedAt, keys[j].Metadata.CreatedAt
		switch {
		case ti == nil && tj != nil:
			return true
		case ti != nil && tj == nil:
			return false
		case ti != nil && tj != nil && !ti.Equal(*tj):
			return ti.Before(*tj)
		}
		return keys[i].ID < keys[j].ID
	})

	m.APIKeys = make([]apiKeysDataSourceKeyModel, 0, len(keys))
	m.IDs = make([]types.String, 0, len(keys))
	for i := range keys {
		m.APIKeys = append(m.APIKeys, apiKeySummary(&keys[i]))
		m.IDs = append(m.IDs, types.StringValue(keys[i].ID))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// apiKeySummary describes a key without its secret, which a list never
// carries anyway; the field is not even read here, so a change in the API
// cannot leak it into state.
func apiKeySummary(k *ccloud.APIKey) apiKeysDataSourceKeyModel {
	out := apiKeysDataSourceKeyModel{
		ID:            types.StringValue(k.ID),
		DisplayName:   types.StringValue(k.Spec.DisplayName),
		Description:   types.StringValue(k.Spec.Description),
		OwnerID:       types.StringNull(),
		OwnerKind:     types.StringNull(),
		Scope:         types.StringValue(string(ccloud.ScopeOf(k.Spec.Resource))),
		EnvironmentID: types.StringNull(),
		CreatedAt:     rfc3339String(k.Metadata.CreatedAt),
	}
	if o := k.Spec.Owner; o != nil && o.ID != "" {
		out.OwnerID = types.StringValue(o.ID)
		out.OwnerKind = types.StringValue(ccloud.OwnerKind(o))
	}

	// The resource ID takes the same form as the resource_id attribute of
	// the key resources, so that the two can be compared.
	resourceID, env := ccloud.ResourceID(k.Spec.Resource), ccloud.EnvironmentOf(k.Spec.Resource)
	out.ResourceID = types.StringValue(resourceID)
	if env != "" {
		out.EnvironmentID = types.StringValue(env)
	}
	return out
}

func describeAPIKeyFilter(f ccloud.APIKeyFilter) string {
	var parts []string
	if f.Owner != "" {
		parts = append(parts, "owner "+f.Owner)
	}
	if f.Resource != "" {
		parts = append(parts, "resource "+f.Resource)
	}
	if len(parts) == 0 {
		return ""
	}
	return " of " + strings.Join(parts, " and ")
}

// apiKeysResourceIDValidator accepts the resource IDs an API key can be
// scoped to, so that a typo fails at plan time instead of silently matching
// no keys.
type apiKeysResourceIDValidator struct{}

var _ validator.String = apiKeysResourceIDValidator{}

func (v apiKeysResourceIDValidator) Description(ctx context.Context) string {
	return strings.ReplaceAll(v.MarkdownDescription(ctx), "`", "")
}

func (v apiKeysResourceIDValidator) MarkdownDescription(context.Context) string {
	return "value must be " + scopeFilterForms()
}

func (v apiKeysResourceIDValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	scope := ccloud.ScopeOf(&ccloud.ObjectReference{ID: id})
	ok := id != "" && scope != ccloud.ScopeUnknown && strings.TrimSpace(id) == id
	if f := ccloud.FactsOf(scope); f != nil && f.IDPrefix != "" {
		// A bare prefix such as "lkc-" names no cluster.
		ok = ok && id != f.IDPrefix
	}
	if !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid resource ID",
			fmt.Sprintf("The resource_id filter %q is not a resource an API key can be scoped to: the %s.",
				id, v.Description(ctx)))
	}
}
