// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Compile-time checks that the resource implements the interfaces it means to.
var (
	_ resource.Resource                = (*serviceAccountResource)(nil)
	_ resource.ResourceWithConfigure   = (*serviceAccountResource)(nil)
	_ resource.ResourceWithImportState = (*serviceAccountResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*serviceAccountResource)(nil)
)

// maxServiceAccountNameLen is the API's limit on display names, counted in
// characters.
const maxServiceAccountNameLen = 64

// NewServiceAccountResource returns the ccloud_service_account resource.
func NewServiceAccountResource() resource.Resource {
	return &serviceAccountResource{}
}

type serviceAccountResource struct {
	data *providerData
}

type serviceAccountResourceModel struct {
	ID           types.String `tfsdk:"id"`
	DisplayName  types.String `tfsdk:"display_name"`
	Description  types.String `tfsdk:"description"`
	ForceDestroy types.Bool   `tfsdk:"force_destroy"`
	CreatedAt    types.String `tfsdk:"created_at"`
	ResourceName types.String `tfsdk:"resource_name"`
}

func (r *serviceAccountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_account"
}

func (r *serviceAccountResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A Confluent Cloud service account: the identity an application uses to own API keys. " +
			"Display names are unique across the whole organisation. Deleting a service account deletes " +
			"every API key it owns, so the provider refuses to do so while keys remain unless " +
			"`force_destroy` is set.\n\n" +
			"The deletion guard checks twice. When the plan is made, a plan that deletes the account fails, " +
			"listing the keys, if the account owns keys that the same plan does not delete (keys of this " +
			"configuration whose `owner_id` refers to the account are deleted first and do not count, and neither " +
			"do the old keys in their `previous_keys`, which they delete with them), so " +
			"nothing is deleted. A key whose `owner_id` is a literal ID is not ordered before the account; if " +
			"Terraform plans its deletion more than a few seconds after the account's, the plan fails on the safe " +
			"side. Just before the delete it checks again, for keys created since the plan. " +
			"Confluent Cloud offers no way to delete an account only if it owns no keys, so a key created " +
			"elsewhere between that last check and the delete, a window of one API call, is deleted with the " +
			"account: the guard narrows the window, it cannot close it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "ID of the service account, for example `sa-abc123`.",
				Computed:    true,
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
				},
			},
			"display_name": schema.StringAttribute{
				Description: fmt.Sprintf("Name of the service account, unique in the organisation "+
					"(across all environments), at most %d characters. Changing it renames the account in place. %s",
					maxServiceAccountNameLen, textRulesNote),
				Required: true,
				Validators: []validator.String{
					stringvalidator.UTF8LengthBetween(1, maxServiceAccountNameLen),
					nameText(),
				},
			},
			"description": schema.StringAttribute{
				Description: "Free-form description of the service account. Changing it updates the account " +
					"in place; removing it clears the description. " + textRulesNote,
				Optional:   true,
				Validators: []validator.String{descriptionText()},
			},
			"force_destroy": schema.BoolAttribute{
				Description: "Allow deleting the service account while it still owns API keys, which " +
					"Confluent Cloud then deletes with it. Defaults to `false`: the plan fails and lists " +
					"the keys. A deletion uses the value in state, so set it to `true` and apply first, then " +
					"destroy the account or remove it from the configuration; setting it in the same run " +
					"has no effect. It changes nothing in Confluent Cloud.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_at": schema.StringAttribute{
				Description: "When the service account was created, in RFC 3339 format.",
				Computed:    true,
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
				},
			},
			"resource_name": schema.StringAttribute{
				Description: "Confluent Resource Name (CRN) of the service account, as used in role bindings.",
				Computed:    true,
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
				},
			},
		},
	}
}

func (r *serviceAccountResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *serviceAccountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan serviceAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	name := plan.DisplayName.ValueString()
	created := r.data.createdAccounts()
	finish := created.begin(name)
	defer finish("")
	sa, err := client.CreateServiceAccount(ctx, ccloud.ServiceAccountCreate{
		DisplayName: name,
		Description: plan.Description.ValueString(),
	})
	r.data.reads.InvalidateServiceAccounts()
	switch {
	case err == nil:
	case ccloud.IsConflict(err):
		resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Service account name already in use",
			serviceAccountConflictDetail(ctx, client, created, name, err))
		return
	case ccloud.IsOutcomeUnknown(err):
		// The answer was lost, so the account may exist. Names are unique in
		// the organisation, so looking the name up finds it if it does; a
		// blind retry would instead fail with a conflict against our own
		// account.
		sa = r.recoverCreate(ctx, client, name, err, &resp.Diagnostics)
		if sa == nil {
			return
		}
	default:
		resp.Diagnostics.AddError("Error creating service account",
			fmt.Sprintf("Could not create service account %q: %s", name, err))
		return
	}
	tflog.Debug(ctx, "created service account", map[string]any{"id": sa.ID})
	finish(sa.ID)

	plan.setFrom(sa)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentityID(ctx, resp.Identity, plan.ID)...)
}

// recoverCreate looks for the account a create with a lost answer may have
// made. It returns nil after adding an error when there is none.
func (r *serviceAccountResource) recoverCreate(ctx context.Context, client *ccloud.Client, name string, createErr error, diags *diag.Diagnostics) *ccloud.ServiceAccount {
	found, err := client.ListServiceAccounts(ctx, name)
	if err != nil {
		diags.AddError("Error creating service account",
			fmt.Sprintf("The answer to the request that creates service account %q was lost (%s), and looking "+
				"the name up to see whether the account was created failed too: %s. If the account exists, "+
				"adopt it with an import block; otherwise apply again.", name, createErr, err))
		return nil
	}
	for i := range found {
		if found[i].DisplayName == name {
			if other, ok := r.data.createdAccounts().await(ctx, name); ok && other == found[i].ID {
				// Another resource of this configuration made it: adopting
				// it would make two resources manage one account.
				diags.AddError("Error creating service account",
					fmt.Sprintf("The answer to the request that creates service account %q was lost (%s), and the "+
						"account with that name (%s) was created by another ccloud_service_account of this "+
						"configuration in this run. Give each resource its own display_name.", name, createErr, other))
				return nil
			}
			diags.AddWarning("Service account adopted after a lost response",
				fmt.Sprintf("The answer to the request that creates service account %q was lost, but an account "+
					"with that name now exists (%s), so Terraform manages it. The error was: %s", name, found[i].ID, createErr))
			return &found[i]
		}
	}
	diags.AddError("Error creating service account",
		fmt.Sprintf("Could not create service account %q: %s. No account with that name exists, so nothing "+
			"was created; apply again.", name, createErr))
	return nil
}

func (r *serviceAccountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state serviceAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Set before anything can remove the resource: a state written before
	// identity existed has none, and the framework wants one either way.
	resp.Diagnostics.Append(setIdentityID(ctx, resp.Identity, state.ID)...)
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}

	// A refresh reads the account from the list of all accounts, shared
	// with the other accounts' reads. An account missing from the list is
	// read directly: only the GET's answer can say it is gone.
	sa, listed := r.data.reads.ServiceAccount(ctx, state.ID.ValueString())
	var err error
	if !listed {
		sa, err = client.GetServiceAccount(ctx, state.ID.ValueString())
	}
	if err != nil {
		// Only a real "not found" means the account is gone. Bad credentials
		// or a permissions problem must never drop a live account from state.
		if ccloud.IsNotFound(err) {
			tflog.Info(ctx, "service account no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Error reading service account",
			fmt.Sprintf("Could not read service account %s: %s", state.ID.ValueString(), err))
		return
	}

	state.setFrom(sa)
	// An imported account has no force_destroy yet; the safe value is false.
	if state.ForceDestroy.IsNull() || state.ForceDestroy.IsUnknown() {
		state.ForceDestroy = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *serviceAccountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer func() { resp.Diagnostics.Append(identityFromState(ctx, &resp.State, resp.Identity)...) }()
	var plan, state serviceAccountResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Only the fields that changed are sent, as the API expects. A removed
	// description is sent as "", which clears it.
	var upd ccloud.ServiceAccountUpdate
	if !plan.DisplayName.Equal(state.DisplayName) {
		upd.DisplayName = plan.DisplayName.ValueStringPointer()
	}
	if plan.Description.ValueString() != state.Description.ValueString() {
		d := plan.Description.ValueString()
		upd.Description = &d
	}

	if upd.DisplayName == nil && upd.Description == nil {
		// Only force_destroy changed, which lives in state alone.
		plan.ID, plan.CreatedAt, plan.ResourceName = state.ID, state.CreatedAt, state.ResourceName
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}

	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	sa, err := client.UpdateServiceAccount(ctx, state.ID.ValueString(), upd)
	r.data.reads.InvalidateServiceAccounts()
	if err != nil {
		if ccloud.IsConflict(err) {
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Service account name already in use",
				fmt.Sprintf("Could not rename service account %s to %q: another service account in the organisation "+
					"already has that name (names are unique organisation-wide). %s", state.ID.ValueString(),
					plan.DisplayName.ValueString(), err))
			return
		}
		resp.Diagnostics.AddError("Error updating service account",
			fmt.Sprintf("Could not update service account %s: %s", state.ID.ValueString(), err))
		return
	}

	plan.setFrom(sa)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *serviceAccountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	id := state.ID.ValueString()

	// The plan already refused keys this run does not delete (see
	// service_account_destroy_guard.go). This second check, just before the
	// delete, catches keys created since the plan; keys managed in the same
	// configuration depend on the account and are deleted before it.
	if !state.ForceDestroy.ValueBool() {
		keys, err := client.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: id})
		if err != nil {
			resp.Diagnostics.AddError("Error deleting service account",
				fmt.Sprintf("Could not list the API keys of service account %s to check that deleting it is safe: %s", id, err))
			return
		}
		// Ephemeral keys of this run are deleted when Terraform closes them,
		// and a killed run's abandoned keys are deleted now.
		keys = withoutOpenEphemeralKeys(r.data.engine.DropAbandoned(ctx, id, keys))
		if len(keys) > 0 {
			resp.Diagnostics.AddError("Service account still owns API keys",
				serviceAccountKeysDetail(id, state.DisplayName.ValueString(), keys))
			return
		}
	}

	err := client.DeleteServiceAccount(ctx, id)
	// The API deletes the account's keys with it.
	r.data.reads.InvalidateServiceAccounts()
	r.data.reads.InvalidateKeys(id)
	if err != nil && !ccloud.IsNotFound(err) {
		resp.Diagnostics.AddError("Error deleting service account",
			fmt.Sprintf("Could not delete service account %s: %s", id, err))
		return
	}
}

// serviceAccountKeysDetail lists the keys a delete would take with it and
// says how to proceed.
func serviceAccountKeysDetail(id, name string, keys []ccloud.APIKey) string {
	return fmt.Sprintf("Service account %s (%q) owns %d API key(s). Confluent Cloud deletes them together with "+
		"the account, and any application still using them would lose access:\n\n%s\n", id, name, len(keys),
		keyListing(keys)) +
		"To proceed, either delete those keys first (rotating them to keys owned by another " +
		"service account where applications still need access), or set force_destroy = true on this " +
		"service account, apply, and then destroy it."
}

func (r *serviceAccountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importIdentity(ctx, "ccloud_service_account", req, resp)
}

// setFrom copies the API's view of the account into the model. The
// description stays null when the account has none and the configuration
// left it out, so that an unset description does not show as a diff.
func (m *serviceAccountResourceModel) setFrom(sa *ccloud.ServiceAccount) {
	m.ID = types.StringValue(sa.ID)
	m.DisplayName = types.StringValue(sa.DisplayName)
	if sa.Description == "" && (m.Description.IsNull() || m.Description.IsUnknown()) {
		m.Description = types.StringNull()
	} else {
		m.Description = types.StringValue(sa.Description)
	}
	m.CreatedAt = rfc3339String(sa.Metadata.CreatedAt)
	m.ResourceName = types.StringValue(sa.Metadata.ResourceName)
}
