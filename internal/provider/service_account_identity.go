// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ccloud_service_account has an identity (Terraform 1.12 and later): the
// account's ID, which never changes for the account's life.
var _ resource.ResourceWithIdentity = (*serviceAccountResource)(nil)

func (r *serviceAccountResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("ID of the service account, for example `sa-abc123`.")
}
