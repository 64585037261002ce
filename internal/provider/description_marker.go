// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// The create marker belongs to the provider.
//
// While a new key waits to work, the provider appends its create marker,
// "[terraform-create:<nonce> until <deadline>]", to the key's description,
// and a later run deletes keys whose marker's lease ran out (see
// internal/keyengine). The sweep recognises a marker only where and as the
// provider writes it, but a description that already holds marker text
// would still be confusing at best: it is refused at plan time, on every
// key resource, managed and ephemeral.

var _ validator.String = noCreateMarker{}

// noCreateMarker refuses create marker syntax, "[terraform-create:" in any
// case, in a description.
type noCreateMarker struct{}

func descriptionWithoutMarker() validator.String { return noCreateMarker{} }

func (noCreateMarker) Description(context.Context) string {
	return "must not hold the provider's create marker syntax, `" + keyengine.CreateMarkerPrefix + "`"
}

func (v noCreateMarker) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (noCreateMarker) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); keyengine.HasMarkerText(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid description",
			fmt.Sprintf("The %s %q holds %q, the syntax of the create marker the provider appends to a new key's "+
				"description while the key waits to work. A description must not hold it, in any letter case: "+
				"text that looks like the provider's marker could be taken for it. Remove it, or reword it "+
				"(for example without the square bracket).", req.Path, s, keyengine.CreateMarkerPrefix))
	}
}
