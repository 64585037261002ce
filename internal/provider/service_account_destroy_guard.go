// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// The deletion guard of ccloud_service_account runs when the plan is made,
// so that a plan that would take keys down with their account fails before
// anything is deleted, rather than at apply time after the configuration's
// own keys are already gone.
//
// A resource's plan cannot see other resources, so the guard learns which
// keys the same plan deletes from the key resources themselves: each key
// resource planned for destruction records its ID under its owner here. The
// order of those plans is not fixed: terraform destroy plans a resource's
// dependants first, but a plan that finds resources removed from the
// configuration plans them in parallel. So a guard that finds keys nobody
// has claimed yet waits up to destroyGuardWait for the key resources
// planned alongside it to claim them, and only then refuses. Every failure
// mode errs on the safe side: a key whose plan comes later still (a very
// large or -parallelism=1 run) is counted as surviving and the plan fails,
// with a message that says how to proceed.
//
// What the guard guarantees: a plan that deletes a service account without
// force_destroy in state fails, listing the keys, when the account owned keys
// at planning time that the plan does not delete. It cannot cover keys
// created after the plan was made; the check at apply time (in Delete)
// narrows that window, and nothing the API offers closes it.

// plannedKeyDestroys records the keys this provider planned to delete, by
// owner, for the life of one configured provider (one Terraform operation).
type plannedKeyDestroys struct {
	mu      sync.Mutex
	byOwner map[string]map[string]bool
}

// runMemory is what one configured provider (one Terraform operation)
// remembers across its resources.
type runMemory struct {
	destroys plannedKeyDestroys
	accounts createdAccounts
}

// plannedDestroys returns the registry of d, or nil without one.
func (d *providerData) plannedDestroys() *plannedKeyDestroys {
	if d == nil || d.run == nil {
		return nil
	}
	return &d.run.destroys
}

func (p *plannedKeyDestroys) add(owner, id string) {
	if p == nil || owner == "" || id == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byOwner == nil {
		p.byOwner = map[string]map[string]bool{}
	}
	if p.byOwner[owner] == nil {
		p.byOwner[owner] = map[string]bool{}
	}
	p.byOwner[owner][id] = true
}

func (p *plannedKeyDestroys) has(owner, id string) bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.byOwner[owner][id]
}

// destroyGuardWait bounds how long the guard waits for key resources planned
// in parallel with the account to claim its keys.
const destroyGuardWait = 3 * time.Second

// awaitClaims returns the keys of owner that no key resource has claimed,
// waiting up to wait on clk for claims to come in.
func (p *plannedKeyDestroys) awaitClaims(ctx context.Context, clk clock.Clock, owner string, keys []ccloud.APIKey, wait time.Duration) []ccloud.APIKey {
	deadline := clk.Now().Add(wait)
	for {
		var unclaimed []ccloud.APIKey
		for _, k := range keys {
			if !p.has(owner, k.ID) {
				unclaimed = append(unclaimed, k)
			}
		}
		if len(unclaimed) == 0 || !clk.Now().Before(deadline) {
			return unclaimed
		}
		if clock.Sleep(ctx, clk, 25*time.Millisecond) != nil {
			return unclaimed
		}
	}
}

// noteKeyDestroy records a key resource planned for destruction: its
// current key and the old keys of a grace-period rotation in previous_keys,
// which its Delete deletes first (see deletePreviousKeys). Without the
// previous keys every terraform destroy after a grace rotation was refused,
// naming a key the same plan deletes.
func noteKeyDestroy(ctx context.Context, d *providerData, state tfsdk.State) {
	var id, owner types.String
	if state.GetAttribute(ctx, path.Root("id"), &id).HasError() ||
		state.GetAttribute(ctx, path.Root("owner_id"), &owner).HasError() {
		return
	}
	planned := d.plannedDestroys()
	planned.add(owner.ValueString(), id.ValueString())
	var previous []previousKeyModel
	if state.GetAttribute(ctx, path.Root("previous_keys"), &previous).HasError() {
		return
	}
	for _, k := range previous {
		planned.add(owner.ValueString(), k.ID.ValueString())
	}
}

// ModifyPlan runs the deletion guard when the account is planned for
// destruction; creates and updates need no planning beyond the schema.
func (r *serviceAccountResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state serviceAccountResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.ForceDestroy.ValueBool() {
		return
	}
	if r.data == nil || r.data.client == nil {
		// Without a configured provider the check waits for apply time.
		return
	}
	id := state.ID.ValueString()
	keys, err := r.data.client.ListAPIKeys(ctx, ccloud.APIKeyFilter{Owner: id})
	if err != nil {
		resp.Diagnostics.AddError("Cannot check the service account's API keys",
			fmt.Sprintf("This plan deletes service account %s, which deletes every API key it owns. Listing those "+
				"keys to check that none would be lost failed: %s", id, err))
		return
	}
	// A killed run's abandoned keys are deleted, not counted.
	keys = r.data.engine.DropAbandoned(ctx, id, keys)
	addAbandonedWarning(&resp.Diagnostics, r.data.engine, id)
	surviving := r.data.plannedDestroys().awaitClaims(ctx, r.data.clockOrReal(), id, keys, destroyGuardWait)
	if len(surviving) == 0 {
		return
	}
	resp.Diagnostics.AddError("Service account still owns API keys", destroyGuardDetail(id, state.DisplayName.ValueString(), surviving))
}

// destroyGuardDetail explains a plan stopped by the deletion guard.
func destroyGuardDetail(id, name string, keys []ccloud.APIKey) string {
	return fmt.Sprintf("Service account %s (%q) owns %d API key(s) that this plan does not delete. Confluent Cloud "+
		"deletes them together with the account, and any application still using them would lose access. The "+
		"plan stops here, so nothing has been deleted:\n\n%s\n", id, name, len(keys), keyListing(keys)) +
		"To proceed, either move the applications to keys of another owner and delete these keys " +
		"first, or allow the deletion in two steps: set force_destroy = true on this service account and run " +
		"terraform apply (this changes nothing in Confluent Cloud, it only records the permission in state), " +
		"then destroy it. Setting force_destroy in the same run that deletes the account does not help, because " +
		"a deletion uses the value already in state. If these keys are managed in this configuration with a " +
		"literal owner_id, refer to the account instead (owner_id = ccloud_service_account.<name>.id), so that " +
		"Terraform plans their deletion first."
}
