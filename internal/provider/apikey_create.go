// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// Creating a key through the key engine: the orphan-safe create, the wait
// until the key works and the hand-over to Terraform, for Create and for a
// grace rotation alike. See internal/keyengine for the create marker and
// its lease.

// handOverTimeout bounds the PATCH that hands a key whose wait failed over
// to Terraform after the create timeout has run out.
const handOverTimeout = 30 * time.Second

// newKey is a key that Create made and has not handed over to Terraform
// yet: its description still carries the engine's create marker.
type newKey struct {
	key  *ccloud.APIKey
	spec ccloud.APIKeyCreateSpec
	// description is the configured description, which replaces the
	// marker when the key is handed over.
	description types.String
}

// saveNewKey writes the new key's ID and secret to state before anything
// else can fail: from here on every error leaves a tainted resource, which
// the next apply replaces (deleting this key), rather than an untracked key.
func (r *apiKeyResource) saveNewKey(ctx context.Context, plan *apiKeyModel, nk *newKey, resp *resource.CreateResponse) {
	sealDiags := sealCreated(plan, nk.key.Spec.Secret)
	plan.setFromKey(nk.key)
	plan.RotationDueAt = rotationDueAtValue(plan.CreatedAt, plan.RotationPeriod)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, plan)...)
	resp.Diagnostics.Append(identityFromState(ctx, &resp.State, resp.Identity)...)
	resp.Diagnostics.Append(sealDiags...)
}

// waitNewKey waits until the new key authenticates on its endpoint and
// reports whether Create may go on; when it may not, resp holds the error.
func (r *apiKeyResource) waitNewKey(ctx context.Context, target keyengine.Target, plan *apiKeyModel, nk *newKey,
	timeout time.Duration, resp *resource.CreateResponse,
) bool {
	ready, err := r.data.engine.WaitReady(ctx, target, nk.key.ID, nk.key.Spec.Secret)
	if err != nil {
		if !errors.Is(err, keyengine.ErrInterrupted) && !errors.Is(err, keyengine.ErrKeyDeleted) {
			// Terraform is alive and records the key as tainted, so it is
			// handed over as it is: no sweep should mistake it for an
			// abandoned key. An interrupt may mean that Terraform died, so
			// then the lease is left to run out instead. A hand-over that
			// fails leaves the lease to run out as well, and the readiness
			// error below is the one worth reporting.
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handOverTimeout)
			_ = r.handOver(hctx, plan, nk, resp)
			cancel()
		}
		resp.Diagnostics.AddError(r.scope.title()+" API key not ready", readinessErrorDetail(r.typeName(), nk.key.ID, timeout, err))
		return false
	}
	if ready.Forbidden {
		resp.Diagnostics.AddWarning(r.scope.title()+" API key owner lacks permissions",
			fmt.Sprintf("The new %s %s authenticates at %s, but its owner %s is not authorised there (403): it likely "+
				"lacks %s. Applications using this key will fail until the owner is granted access.",
				r.typeName(), nk.key.ID, ready.URL, nk.spec.Owner.ID, ccloud.ForbiddenHint(r.scope.scope)))
	}
	return true
}

// handOver restores the new key's configured description, which ends the
// engine's lease on it, and saves the key as the API then returns it.
func (r *apiKeyResource) handOver(ctx context.Context, plan *apiKeyModel, nk *newKey, resp *resource.CreateResponse) error {
	restored, err := r.data.engine.FinishCreate(ctx, nk.key, nk.spec.Description)
	if err != nil {
		return err
	}
	plan.Description = nk.description
	plan.setFromKey(restored)
	resp.Diagnostics.Append(r.set(ctx, &resp.State, plan)...)
	return nil
}

// createErrorDetail explains a failed create. Quota errors say which quota
// and why a rotation may hit it when a plain create would not.
func (r *apiKeyResource) createErrorDetail(spec ccloud.APIKeyCreateSpec, err error) string {
	what := fmt.Sprintf("%s for owner %s", r.typeName(), spec.Owner.ID)
	if spec.Resource != nil {
		what += " and resource " + ccloud.ResourceID(spec.Resource)
		if spec.Resource.Environment != "" {
			what += " in " + spec.Resource.Environment
		}
	}
	if !ccloud.IsQuotaExceeded(err) {
		return fmt.Sprintf("Could not create %s: %s", what, err)
	}
	quota := "an API key quota"
	var apiErr *ccloud.Error
	if errors.As(err, &apiErr) && apiErr.Detail() != "" {
		quota = apiErr.Detail()
	}
	return fmt.Sprintf("Could not create %s: a Confluent Cloud quota is exhausted: %s.\n\n"+
		"A rotation with create_before_destroy needs one extra key for a moment, because the new key exists "+
		"before the old one is deleted. Raise the quota, delete unused keys (the ccloud_api_keys data source "+
		"lists them), or rotate this key with destroy-before-create by removing create_before_destroy from its "+
		"lifecycle block.\n\nAPI error: %s", what, strings.TrimSuffix(quota, "."), err)
}

// createdKey is the outcome of createReadyKey once a key exists.
type createdKey struct {
	// key is the new key, with its final description when that was set.
	key    *ccloud.APIKey
	secret string
	// failure explains why the key cannot be used: it never worked within
	// the timeout, or its description could not be restored. Empty when the
	// key is ready.
	failure string
}

// createReadyKey creates a key for spec through the engine's orphan-safe
// create, waits until it works and then restores its description. It
// returns nil only when no key was created.
func (r *apiKeyResource) createReadyKey(ctx context.Context, client *ccloud.Client, spec ccloud.APIKeyCreateSpec,
	wait bool, values scopeValues, timeout time.Duration,
) (*createdKey, error) {
	engine := r.data.engine
	target := r.scope.target(client, values)
	if wait {
		if err := checkProbeEndpoint(ctx, engine, target); err != nil {
			return nil, err
		}
	}
	key, err := engine.Create(ctx, spec, keyengine.CreateOptions{})
	if err != nil {
		return nil, err
	}
	tflog.Debug(ctx, "created API key for an in-place rotation", map[string]any{"key_id": key.ID, "owner_id": spec.Owner.ID})
	out := &createdKey{key: key, secret: key.Spec.Secret}

	// Unlike Create, the description is restored only once the key works.
	// Until then the key carries its create marker, which is what lets the
	// engine find and delete it should this process die before Terraform
	// saves the rotation (see internal/keyengine); a key with its final
	// description and not yet in state would be an orphan nobody can
	// recognise. The PATCH costs one round trip on the rotation's path.
	if wait {
		if _, err := engine.WaitReady(ctx, target, key.ID, key.Spec.Secret); err != nil {
			out.failure = readinessErrorDetail(r.typeName(), key.ID, timeout, err)
			return out, nil
		}
	}
	restored, err := engine.FinishCreate(ctx, key, spec.Description)
	if err != nil {
		out.failure = fmt.Sprintf("%s %s was created, but setting its final description failed: %s", r.typeName(), key.ID, err)
		return out, nil
	}
	out.key = restored
	return out, nil
}
