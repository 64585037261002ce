// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

var _ resource.ResourceWithValidateConfig = (*apiKeyResource)(nil)

// minAPIKeyCreateTimeout is the shortest create timeout that can work: the
// create call alone takes a round trip or two.
const minAPIKeyCreateTimeout = time.Second

// ValidateConfig rejects create timeouts that cannot work at plan time,
// rather than failing (and tainting a key) at apply time.
func (r *apiKeyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var t timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	if resp.Diagnostics.HasError() || t.IsNull() || t.IsUnknown() {
		return
	}
	raw, ok := t.Attributes()["create"]
	if !ok || raw.IsNull() || raw.IsUnknown() {
		return
	}
	value := strings.Trim(raw.String(), `"`)
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		// The timeouts block's own validator reports values that are not
		// durations.
	case d < minAPIKeyCreateTimeout:
		resp.Diagnostics.AddAttributeError(path.Root("timeouts").AtName("create"), "Create timeout too short",
			fmt.Sprintf("The timeouts { create } of this %s is %q, but creating a key takes at least %s, and a "+
				"new key usually needs seconds to minutes before it works. Use at least \"1s\" (the default is "+
				"\"10m\"), or remove the setting.", r.typeName(), value, minAPIKeyCreateTimeout))
	}
}

// deleteAPIKey deletes a key of owner and forgets the owner's listed keys.
// A key that is already gone counts as deleted; the engine's IsGone tells
// that apart from a permissions problem. Managed, previous and ephemeral
// keys are all deleted here.
func (d *providerData) deleteAPIKey(ctx context.Context, id, owner string) error {
	err := d.client.DeleteAPIKey(ctx, id)
	if d.reads != nil {
		d.reads.InvalidateKeys(owner)
	}
	if err != nil && !d.engine.IsGone(ctx, id, owner, err) {
		return err
	}
	return nil
}

// addAbandonedWarning tells the user about the keys of owner that the
// engine deleted because the process that created them died before handing
// them over, once per key.
func addAbandonedWarning(diags *diag.Diagnostics, engine *keyengine.Engine, owner string) {
	abandoned := engine.TakeAbandoned(owner)
	if len(abandoned) == 0 {
		return
	}
	var b strings.Builder
	for _, a := range abandoned {
		fmt.Fprintf(&b, "\n  - %s (resource %s", a.ID, a.ResourceID)
		if a.DisplayName != "" {
			fmt.Fprintf(&b, ", name %q", a.DisplayName)
		}
		fmt.Fprintf(&b, ", lease ran out %s)", a.Deadline.UTC().Format(time.RFC3339))
	}
	diags.AddWarning("Deleted abandoned API keys",
		fmt.Sprintf("Deleted %d API key(s) of owner %s whose create never finished: the run creating them was killed "+
			"or interrupted while they waited to work, so nothing tracked them (or, after an interrupt, state holds "+
			"them as tainted and this run replaces them anyway):%s", len(abandoned), owner, b.String()))
}
