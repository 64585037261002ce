// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// Run-scoped API keys.
//
// An ephemeral API key lives for one Terraform operation: Open creates it
// and waits until it authenticates, Close deletes it. Terraform never stores
// an ephemeral resource's result, so the key's secret reaches provider blocks
// and write-only arguments only.
//
// The key is created by the same engine as managed keys, so a create whose
// answer is lost leaves no second key behind, and its readiness is awaited the
// same way. Unlike a managed key, an ephemeral key is never handed over
// (FinishCreate is never called): its description keeps the engine's create
// marker and lease for its whole life, and the context given to the engine's
// Create stays alive until Close, so the engine's keeper renews the lease as
// long as the key is open and this process runs. Close ends that context
// (the keeper then ends the lease) and deletes the key. If the process dies
// first, the lease runs out and the engine's sweep in a later run deletes the
// key, like any other key whose create never finished.

// Compile-time checks that the ephemeral resource implements the interfaces
// it means to.
var (
	_ ephemeral.EphemeralResource              = (*apiKeyEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*apiKeyEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*apiKeyEphemeral)(nil)
)

// privateKeyRef is the private data Close needs: which key to delete.
const privateKeyRef = "key"

type ephemeralKeyRef struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
}

// openKeys holds every ephemeral key this process has open. Key IDs are
// unique across Confluent Cloud, so one registry serves every provider
// instance.
var openKeys sync.Map // key ID -> *openKey

// openKey is an open ephemeral key: the client that created it, which also
// deletes it (a provider configured with other credentials since must not
// be used), and the function that ends the context its create runs under.
type openKey struct {
	data *providerData
	end  context.CancelFunc
}

// ephemeralAPIKeyResources returns one ephemeral resource per row of the
// scope table, with the managed resources' type names.
func ephemeralAPIKeyResources() []func() ephemeral.EphemeralResource {
	out := make([]func() ephemeral.EphemeralResource, 0, len(apiKeyScopes))
	for _, row := range apiKeyScopes {
		out = append(out, func() ephemeral.EphemeralResource { return &apiKeyEphemeral{scope: row} })
	}
	return out
}

// apiKeyEphemeral is the ephemeral resource of one scope.
type apiKeyEphemeral struct {
	scope *apiKeyScope
	data  *providerData
}

func (e *apiKeyEphemeral) typeName() string { return "ccloud_" + e.scope.typeName }

func (e *apiKeyEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + e.scope.typeName
}

func (e *apiKeyEphemeral) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = e.scope.ephemeralSchema(ctx)
}

// ephemeralSchema is the ephemeral resource schema of the scope: the
// attributes it shares with the managed resource (see apikey_attributes.go),
// validated the same way, plus wait_for_ready, which an ephemeral schema
// cannot default.
func (s *apiKeyScope) ephemeralSchema(ctx context.Context) schema.Schema {
	attrs := map[string]schema.Attribute{
		"wait_for_ready": schema.BoolAttribute{
			Description: "Wait after creating the key until it authenticates on its " + s.title() + " endpoint, as " +
				"the managed resource does, bounded by `timeouts.open`. Defaults to `true`.",
			Optional: true,
		},
	}
	for _, a := range s.keyAttributes() {
		attrs[a.name] = a.ephemeralAttribute()
	}
	return schema.Schema{
		Description: "A " + s.title() + " API key that exists only while Terraform runs: opening it creates the key " +
			"and waits until it works, closing it deletes the key. Its `secret` is ephemeral, so it can " +
			"configure a provider or feed a write-only argument without reaching state or plan files. Terraform " +
			"opens ephemeral resources during plan as well as apply, so each plan and each apply creates and " +
			"deletes a key. The guide \"Keeping API secrets out of Terraform state\" says what happens to the key " +
			"when Terraform dies before closing it.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				OpenDescription: "How long opening may take, creation and readiness wait included, as a duration " +
					"such as `\"10m\"`. Defaults to 10 minutes.",
			}),
		},
	}
}

func (e *apiKeyEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ephemeralConfig is the configuration of an ephemeral key, split into the
// common attributes and the scope's own arguments.
type ephemeralConfig struct {
	ownerID, displayName, description string
	waitForReady                      bool
	timeouts                          timeouts.Value
	values                            scopeValues
}

func (e *apiKeyEphemeral) readConfig(ctx context.Context, req ephemeral.OpenRequest, diags *diag.Diagnostics) (ephemeralConfig, bool) {
	var obj types.Object
	if d := req.Config.Get(ctx, &obj); d.HasError() {
		diags.Append(d...)
		return ephemeralConfig{}, false
	}
	attrs := obj.Attributes()
	str := func(name string) string {
		v, _ := attrs[name].(types.String)
		return v.ValueString()
	}
	cfg := ephemeralConfig{
		ownerID: str("owner_id"), displayName: str("display_name"), description: str("description"),
		waitForReady: true, values: scopeValues{},
	}
	if b, ok := attrs["wait_for_ready"].(types.Bool); ok && !b.IsNull() {
		cfg.waitForReady = b.ValueBool()
	}
	switch t := attrs["timeouts"].(type) {
	case timeouts.Value:
		cfg.timeouts = t
	case types.Object:
		cfg.timeouts = timeouts.Value{Object: t}
	default:
		cfg.timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"open": types.StringType})}
	}
	for _, a := range e.scope.attributes {
		cfg.values[a.name] = str(a.name)
	}
	return cfg, true
}

// Open creates the key, waits until it works and hands it out. A key it
// cannot hand out is deleted again at once: Terraform does not call Close
// for a failed Open.
func (e *apiKeyEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	cfg, ok := e.readConfig(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	client := e.data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	if e.data.guardrailsOf().deniesOwner(cfg.ownerID) {
		resp.Diagnostics.AddError("Guardrail: user-owned API key",
			fmt.Sprintf("This ephemeral %s would be owned by user %s, and the provider's deny_user_owned_keys "+
				"guardrail forbids keys owned by users. Give it to a service account.", e.typeName(), cfg.ownerID))
		return
	}
	timeout, d := cfg.timeouts.Open(ctx, defaultAPIKeyCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The create runs under keepCtx, which outlives this call: the engine
	// ties the key's protection against sweeps to it, and the key stays in
	// use until Close. openCtx bounds the create and the wait; should it end
	// first (timeout, interrupt), keepCtx ends with it.
	keepCtx, endKeep := context.WithCancel(context.WithoutCancel(ctx))
	openCtx, cancelOpen := context.WithTimeout(ctx, timeout)
	defer cancelOpen()
	stopTying := context.AfterFunc(openCtx, endKeep)

	if cfg.waitForReady {
		if err := checkProbeEndpoint(openCtx, e.data.engine, e.scope.target(client, cfg.values)); err != nil {
			stopTying()
			endKeep()
			resp.Diagnostics.AddError("Error creating "+e.scope.title()+" API key", probeEndpointErrorDetail(e.typeName(), err))
			return
		}
	}
	key, err := e.createOpen(keepCtx, cfg, endKeep)
	if err != nil {
		stopTying()
		endKeep()
		resp.Diagnostics.AddError("Error creating "+e.scope.title()+" API key",
			fmt.Sprintf("Could not create the ephemeral %s for owner %s: %s", e.typeName(), cfg.ownerID, err))
		return
	}
	if summary, detail := e.awaitOpen(openCtx, client, cfg, key, timeout, stopTying); summary != "" {
		e.abandonOpen(ctx, key.ID, cfg.ownerID, endKeep)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	e.handOut(ctx, req, key, cfg.ownerID, resp)
	if resp.Diagnostics.HasError() {
		e.abandonOpen(ctx, key.ID, cfg.ownerID, endKeep)
	}
}

// createOpen creates the key under keepCtx and records it as open, with end
// ending keepCtx.
func (e *apiKeyEphemeral) createOpen(keepCtx context.Context, cfg ephemeralConfig, end context.CancelFunc) (*ccloud.APIKey, error) {
	spec := e.scope.createSpec(cfg.ownerID, cfg.displayName, cfg.description, cfg.values)
	key, err := e.data.engine.Create(keepCtx, spec, keyengine.CreateOptions{})
	if err != nil {
		return nil, err
	}
	tflog.Debug(keepCtx, "created ephemeral API key", map[string]any{"key_id": key.ID, "owner_id": cfg.ownerID})
	// The key is deleted when Terraform closes it, so the service account's
	// deletion guard must not count it as a key the account would take
	// down with it (see service_account_destroy_guard.go).
	openKeys.Store(key.ID, &openKey{data: e.data, end: end})
	e.data.plannedDestroys().add(cfg.ownerID, key.ID)
	return key, nil
}

// awaitOpen waits until the new key works, when the configuration asks for
// it, and unties keepCtx from openCtx. It returns the error's summary and
// detail, or "" when the key may be handed out.
func (e *apiKeyEphemeral) awaitOpen(openCtx context.Context, client *ccloud.Client, cfg ephemeralConfig, key *ccloud.APIKey,
	timeout time.Duration, stopTying func() bool,
) (summary, detail string) {
	if cfg.waitForReady {
		if _, err := e.data.engine.WaitReady(openCtx, e.scope.target(client, cfg.values), key.ID, key.Spec.Secret); err != nil {
			stopTying()
			return e.scope.title() + " API key not ready", fmt.Sprintf("The ephemeral %s %s did not start working "+
				"within %s, so it was deleted again: %s", e.typeName(), key.ID, timeout, err)
		}
	}
	if !stopTying() {
		// openCtx ended just as the wait succeeded: keepCtx is ending too.
		return "Error creating " + e.scope.title() + " API key", fmt.Sprintf("Opening the ephemeral %s %s was "+
			"interrupted or timed out, so the key was deleted again.", e.typeName(), key.ID)
	}
	return "", ""
}

// handOut records the key in the private data that Close reads and sets
// the result.
func (e *apiKeyEphemeral) handOut(ctx context.Context, req ephemeral.OpenRequest, key *ccloud.APIKey, owner string,
	resp *ephemeral.OpenResponse,
) {
	ref, _ := json.Marshal(ephemeralKeyRef{ID: key.ID, Owner: owner})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyRef, ref)...)
	if resp.Diagnostics.HasError() {
		return
	}
	obj, d := types.ObjectValue(e.scope.ephemeralSchema(ctx).Type().(attr.TypeWithAttributeTypes).AttributeTypes(),
		e.resultValues(ctx, req, key))
	resp.Diagnostics.Append(d...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, obj)...)
	}
}

// abandonOpen deletes a key that Open created but cannot hand out, and ends
// its create's context.
func (e *apiKeyEphemeral) abandonOpen(ctx context.Context, id, owner string, end context.CancelFunc) {
	openKeys.Delete(id)
	e.discard(ctx, id, owner)
	end()
}

// resultValues is the whole result object: the configuration as given plus
// the key's computed attributes.
func (e *apiKeyEphemeral) resultValues(ctx context.Context, req ephemeral.OpenRequest, key *ccloud.APIKey) map[string]attr.Value {
	var obj types.Object
	_ = req.Config.Get(ctx, &obj)
	out := map[string]attr.Value{}
	for name, v := range obj.Attributes() {
		out[name] = v
	}
	kind := ccloud.OwnerKindOfID(out["owner_id"].(types.String).ValueString())
	if key.Spec.Owner != nil && key.Spec.Owner.Kind != "" {
		kind = key.Spec.Owner.Kind
	}
	out["id"] = types.StringValue(key.ID)
	out["secret"] = types.StringValue(key.Spec.Secret)
	out["owner_kind"] = types.StringValue(kind)
	out["resource_id"] = types.StringValue(ccloud.ResourceID(key.Spec.Resource))
	out["created_at"] = rfc3339String(key.Metadata.CreatedAt)
	return out
}

func (e *apiKeyEphemeral) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, d := req.Private.GetKey(ctx, privateKeyRef)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() || raw == nil {
		return
	}
	var ref ephemeralKeyRef
	if err := json.Unmarshal(raw, &ref); err != nil || ref.ID == "" {
		resp.Diagnostics.AddError("Cannot close ephemeral API key",
			"The private data of this ephemeral key is unreadable. This is a bug in the provider; please report it.")
		return
	}
	data := e.data
	if open, ok := openKeys.LoadAndDelete(ref.ID); ok {
		// Ending the create's context first lets the engine stop guarding
		// the key before it is deleted.
		data = open.(*openKey).data
		open.(*openKey).end()
	}
	client := data.clientOrError(&resp.Diagnostics)
	if client == nil {
		return
	}
	if err := data.deleteAPIKey(ctx, ref.ID, ref.Owner); err != nil {
		resp.Diagnostics.AddError("Error deleting "+e.scope.title()+" API key",
			fmt.Sprintf("Could not delete the ephemeral %s %s when Terraform closed it: %s. Its create marker "+
				"lets a later run's sweep delete it; or delete it yourself (the ccloud_api_keys data source lists "+
				"it under owner %s).", e.typeName(), ref.ID, err, ref.Owner))
	}
}

// discard deletes a key that Open created but cannot hand out, on a context
// of its own so that an interrupted Open still cleans up.
func (e *apiKeyEphemeral) discard(ctx context.Context, id, owner string) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	if err := e.data.deleteAPIKey(dctx, id, owner); err != nil {
		tflog.Warn(ctx, "could not delete an ephemeral API key that failed to open; a later sweep must", map[string]any{
			"key_id": id, "owner_id": owner, "error": err.Error(),
		})
	}
}

// discardTimeout bounds the clean-up of a key that failed to open.
const discardTimeout = 30 * time.Second

// withoutOpenEphemeralKeys drops from keys those this process holds open as
// ephemeral keys: they are deleted when Terraform closes them.
func withoutOpenEphemeralKeys(keys []ccloud.APIKey) []ccloud.APIKey {
	var out []ccloud.APIKey
	for _, k := range keys {
		if _, open := openKeys.Load(k.ID); !open {
			out = append(out, k)
		}
	}
	return out
}

// EphemeralResources registers one ephemeral resource per key scope.
func (p *ccloudProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return ephemeralAPIKeyResources()
}
