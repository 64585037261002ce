// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Every key resource has an identity (Terraform 1.12 and later): the key's
// ID, so that import blocks can name a key by `identity = { id = "..." }`.
var _ resource.ResourceWithIdentity = (*apiKeyResource)(nil)

func (r *apiKeyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("ID of the API key, the 16 characters applications use as the " +
		"username, for example `ABCD1234EFGH5678`.")
}

// apiKeyIdentityMutable is the key resources' resource behaviour for
// identity. A rotation with a grace period replaces the key in place: the
// resource keeps its address and takes the new key's ID, so its identity
// changes in an update, which the framework refuses unless told.
func apiKeyIdentityMutable(resp *resource.MetadataResponse) {
	resp.ResourceBehavior.MutableIdentity = true
}
