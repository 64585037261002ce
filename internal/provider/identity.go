// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later) is the same for every managed
// resource of this provider: one attribute, id, holding the object's ID, the
// same value as the id attribute of its state. An import block may then say
// `identity = { id = "..." }` instead of `id = "..."`, and both give the
// same state, because both reach the same ImportState and Read.

// identityAttr is the name of the one identity attribute.
const identityAttr = "id"

// idIdentitySchema is the identity schema of a resource whose objects are
// named by their ID alone; what describes the ID in the attribute's
// description.
func idIdentitySchema(what string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			identityAttr: identityschema.StringAttribute{
				Description:       what,
				RequiredForImport: true,
			},
		},
	}
}

// setIdentityID sets the identity's id. A nil identity (a caller that built
// the response by hand, as unit tests do) is left alone, and so is an
// unknown or empty ID: an identity must be known, and no object has ID "".
func setIdentityID(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil || id.IsNull() || id.IsUnknown() || id.ValueString() == "" {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(identityAttr), id)
}

// identityFromState sets the identity's id to the id in state, so that the
// identity names the object the state holds. A null state (nothing was
// created, or the object is gone) leaves the identity as it is.
func identityFromState(ctx context.Context, st *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || st == nil || st.Raw.IsNull() {
		return nil
	}
	var id types.String
	diags := st.GetAttribute(ctx, path.Root("id"), &id)
	if diags.HasError() {
		return diags
	}
	return append(diags, setIdentityID(ctx, identity, id)...)
}

// importIdentity starts an import by ID or by identity alike: it puts the ID
// into state and identity, and returns it. typeName names the resource
// type in messages.
func importIdentity(ctx context.Context, typeName string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) string {
	id := req.ID
	if id == "" && req.Identity != nil {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(identityAttr), &v)...)
		if resp.Diagnostics.HasError() {
			return ""
		}
		id = v.ValueString()
	}
	if id == "" {
		resp.Diagnostics.AddError("Missing import ID",
			fmt.Sprintf("Importing a %s needs its ID: an import block's `id`, or `identity = { id = \"...\" }`.", typeName))
		return ""
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentityID(ctx, resp.Identity, types.StringValue(id))...)
	return id
}
