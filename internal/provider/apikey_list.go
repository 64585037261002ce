// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// Compile-time checks that the list resource implements the interfaces it
// means to.
var (
	_ list.ListResource              = (*apiKeyList)(nil)
	_ list.ListResourceWithConfigure = (*apiKeyList)(nil)
)

// apiKeyListResources returns one list resource per row of the scope table,
// with the managed resources' type names, so that terraform query finds the
// keys of every scope this provider manages.
func apiKeyListResources() []func() list.ListResource {
	out := make([]func() list.ListResource, 0, len(apiKeyScopes))
	for _, row := range apiKeyScopes {
		out = append(out, func() list.ListResource { return &apiKeyList{scope: row} })
	}
	return out
}

// apiKeyList lists the keys of one scope for terraform query.
type apiKeyList struct {
	scope *apiKeyScope
	data  *providerData
}

func (l *apiKeyList) typeName() string { return "ccloud_" + l.scope.typeName }

func (l *apiKeyList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.scope.typeName
}

func (l *apiKeyList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Owner kinds as the key resources' owner_kind attribute holds them, which
// is also what the owner_kind filter takes.
var ownerKinds = []string{ccloud.KindServiceAccount, ccloud.KindUser}

func (l *apiKeyList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{
		"owner_id": listschema.StringAttribute{
			Description: "Only list the keys of this owner: a service account (`sa-...`) or a user (`u-...`). " +
				"Omit it to list the keys of every owner.",
			Optional:   true,
			Validators: ownerIDValidators,
		},
		"owner_kind": listschema.StringAttribute{
			Description: "Only list the keys whose owner is of this kind: `ServiceAccount` or `User`, as the " +
				"resource's `owner_kind` attribute says. `User` finds the user-owned keys, which Confluent Cloud " +
				"deletes with the user and which should not run production.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(ownerKinds...)},
		},
	}
	for _, a := range l.scope.attributes {
		attrs[a.name] = listschema.StringAttribute{
			Description: "Only list the keys whose `" + a.name + "` is this value. Omit it to list the keys of " +
				"every value.",
			Optional:   true,
			Validators: a.validators,
		}
	}
	resp.Schema = listschema.Schema{
		Description: "Lists the " + l.scope.title() + " API keys of the organisation for `terraform query`, " +
			"including keys made with the Confluent CLI, the Console or other tools, so that they can be " +
			"reviewed and adopted with generated configuration. Secrets are never listed. Keys that a running " +
			"`terraform apply` is still creating are left out; keys whose creating run died (abandoned) are " +
			"listed with `abandoned` in their display name.",
		Attributes: attrs,
	}
}

// keyListFilters are the filters of one list block.
type keyListFilters struct {
	ownerID, ownerKind string
	scope              scopeValues
}

// readFilters reads the list block's config. Each attribute is read on its
// own because the scope's attributes differ between the list resources.
func (l *apiKeyList) readFilters(ctx context.Context, config tfsdk.Config) (keyListFilters, diag.Diagnostics) {
	var diags diag.Diagnostics
	get := func(name string) string {
		var v types.String
		diags.Append(config.GetAttribute(ctx, path.Root(name), &v)...)
		return v.ValueString()
	}
	f := keyListFilters{ownerID: get("owner_id"), ownerKind: get("owner_kind"), scope: scopeValues{}}
	for _, a := range l.scope.attributes {
		if v := get(a.name); v != "" {
			f.scope[a.name] = v
		}
	}
	return f, diags
}

// query turns the filters into the client's query: owner and, where the
// scope allows, resource for the API, the rest matched on each listed key.
func (l *apiKeyList) query(f keyListFilters) ccloud.APIKeyQuery {
	return ccloud.APIKeyQuery{
		Owner:     f.ownerID,
		OwnerKind: f.ownerKind,
		Resource:  l.scope.listResource(f.scope),
		Scope:     l.scope.scope,
		Match: func(k *ccloud.APIKey) bool {
			got := l.scope.fromReference(k.Spec.Resource)
			for name, want := range f.scope {
				// Clouds are the same in any case (see the cloud argument).
				if name == "cloud" && strings.EqualFold(got[name], want) {
					continue
				}
				if got[name] != want {
					return false
				}
			}
			return true
		},
	}
}

func (l *apiKeyList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	client := l.data.clientOrError(&diags)
	filters, d := l.readFilters(ctx, req.Config)
	diags.Append(d...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	owners := newOwnerNames(client, filters.ownerID)
	stream.Results = func(push func(list.ListResult) bool) {
		out := &listEmitter{push: push, limit: req.Limit}
		err := client.EachAPIKeyPage(ctx, l.query(filters), func(page ccloud.APIKeyPage) bool {
			for i := range page.Unknown {
				if !out.note(list.ListResult{Diagnostics: diag.Diagnostics{l.foreignScopeWarning(&page.Unknown[i])}}) {
					return false
				}
			}
			for i := range page.Keys {
				k := &page.Keys[i]
				state := l.data.engine.ClassifyListed(k)
				if state == keyengine.ListLeased {
					continue
				}
				if !out.emit(l.result(ctx, req, client, owners, k, state)) {
					return false
				}
			}
			return true
		})
		if err != nil && !out.stopped {
			push(list.ListResult{Diagnostics: diag.Diagnostics{l.listError(ctx, client, filters, err)}})
		}
	}
}

// result is the list result of one key: its identity, a display name to
// scan, and with include_resource the resource as an import would read it,
// so that generated configuration plans as an import and nothing else.
func (l *apiKeyList) result(ctx context.Context, req list.ListRequest, client *ccloud.Client, owners *ownerNames,
	k *ccloud.APIKey, state keyengine.Listing,
) list.ListResult {
	result := req.NewListResult(ctx)
	owner, err := owners.describe(ctx, ownerIDOf(k))
	if err != nil {
		result.Diagnostics.Append(l.listError(ctx, client, keyListFilters{ownerID: owners.only}, err))
		return result
	}
	result.DisplayName = keyDisplayName(l.scope, k, owner, state)
	result.Diagnostics.Append(setIdentityID(ctx, result.Identity, types.StringValue(k.ID))...)
	if req.IncludeResource {
		result.Diagnostics.Append(l.setResource(ctx, req, k, result.Resource)...)
	}
	return result
}

func ownerIDOf(k *ccloud.APIKey) string {
	if k.Spec.Owner == nil {
		return ""
	}
	return k.Spec.Owner.ID
}

// keyDisplayName says in one line what a person reviewing keys wants to
// know: which key, for what, whose, since when, and whether a run that
// died left it behind.
func keyDisplayName(row *apiKeyScope, k *ccloud.APIKey, owner string, state keyengine.Listing) string {
	parts := []string{k.ID}
	if k.Spec.DisplayName != "" {
		parts[0] += fmt.Sprintf(" %q", k.Spec.DisplayName)
	}
	what := row.title()
	if id := ccloud.ResourceID(k.Spec.Resource); !row.literalResource() {
		what += " " + id
		if env := ccloud.EnvironmentOf(k.Spec.Resource); env != "" {
			what += " in " + env
		}
	}
	parts = append(parts, what, "owner "+owner)
	if t := k.Metadata.CreatedAt; t != nil {
		parts = append(parts, "created "+t.UTC().Format("2006-01-02"))
	}
	if state == keyengine.ListAbandoned {
		parts = append(parts, "abandoned")
	}
	return strings.Join(parts, " · ")
}

// literalResource reports whether the scope's keys all have the same
// resource ID (cloud, tableflow, global), which then says nothing.
func (s *apiKeyScope) literalResource() bool { return len(s.attributes) == 0 }

// setResource writes the key to dst as importing it would: what Read sets
// for an imported key, never a secret, and the description without the
// create marker (which the resources refuse in configuration).
func (l *apiKeyList) setResource(ctx context.Context, req list.ListRequest, k *ccloud.APIKey, dst *tfsdk.Resource) diag.Diagnostics {
	r := &apiKeyResource{scope: l.scope, data: l.data}
	var m apiKeyModel
	diags := r.get(ctx, nullResource(ctx, req), &m)
	if diags.HasError() {
		return diags
	}
	listed := *k
	listed.Spec.Secret = ""
	listed.Spec.Description = keyengine.StripMarker(listed.Spec.Description)
	m.setFromKey(&listed)
	for name, v := range l.scope.fromReference(k.Spec.Resource) {
		m.scope[name] = types.StringValue(v)
	}
	m.WaitForReady = types.BoolValue(true)
	// max_previous_keys stays null, not its default as in an imported
	// state: generated configuration writes every non-null argument, and
	// the resource refuses max_previous_keys without grace_period. Null in
	// configuration plans as the default, so the import still plans clean.
	m.MaxPreviousKeys = types.Int64Null()
	m.RotationDueAt = rotationDueAtValue(m.CreatedAt, m.RotationPeriod)
	m.setPrevious(ctx, nil, &diags)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.set(ctx, dst, &m)...)
	return diags
}

// nullResource is a resource object of the request's schema whose every
// attribute is null: the state an import starts from.
func nullResource(ctx context.Context, req list.ListRequest) tfsdk.Resource {
	t := req.ResourceSchema.Type().TerraformType(ctx)
	vals := map[string]tftypes.Value{}
	if obj, ok := t.(tftypes.Object); ok {
		for name, at := range obj.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tfsdk.Resource{Raw: tftypes.NewValue(t, vals), Schema: req.ResourceSchema}
}

// foreignScopeWarning says that a key was skipped because its scope is not
// one this provider knows, which a newer Confluent Cloud may have added.
func (l *apiKeyList) foreignScopeWarning(k *ccloud.APIKey) diag.Diagnostic {
	return diag.NewWarningDiagnostic("API key of an unknown scope skipped",
		fmt.Sprintf("API key %s is a %s, a scope this provider has no resource type for, so the %s list leaves it "+
			"out. The ccloud_api_keys data source lists it; a newer provider version may manage it.",
			k.ID, describeKeyScope(k.Spec.Resource), l.typeName()))
}

// listError explains a failed listing. An owner that was deleted while its
// keys were being listed is said so, since the API's answer alone (a 403 or
// 404 for the owner's keys) does not tell it.
func (l *apiKeyList) listError(ctx context.Context, client *ccloud.Client, f keyListFilters, err error) diag.Diagnostic {
	what := "the " + l.typeName() + " keys"
	if f.ownerID != "" {
		what += " of " + f.ownerID
	}
	if f.ownerID != "" && !ccloud.IsUnauthorized(err) && (ccloud.IsForbidden(err) || ccloud.IsNotFound(err)) &&
		ownerGone(ctx, client, f.ownerID) {
		return diag.NewErrorDiagnostic("Owner deleted while listing API keys",
			fmt.Sprintf("Could not list %s: the owner %s no longer exists. It was deleted while the listing ran, "+
				"and Confluent Cloud deletes an owner's API keys with it, so the results shown before this error "+
				"may name keys that are gone. Run terraform query again; import none of this owner's keys.\n\n"+
				"API error: %s", what, f.ownerID, err))
	}
	return diag.NewErrorDiagnostic("Error listing "+l.scope.title()+" API keys",
		fmt.Sprintf("Could not list %s: %s", what, err))
}

// ownerGone reports whether the API answers 404 for the principal id.
func ownerGone(ctx context.Context, client *ccloud.Client, id string) bool {
	var err error
	if ccloud.OwnerKindOfID(id) == ccloud.KindUser {
		_, err = client.GetUser(ctx, id)
	} else {
		_, err = client.GetServiceAccount(ctx, id)
	}
	return ccloud.IsNotFound(err)
}

// ownerNames names the owners of listed keys: a service account by its
// display name, a user by email. Each kind is listed once, when the first
// key of such an owner comes (one request per page of accounts or users,
// never one per key); with an owner filter only that owner is read, which
// also tells whether it still exists.
type ownerNames struct {
	client *ccloud.Client
	// only is the owner filter, "" for none.
	only     string
	accounts map[string]string
	users    map[string]string
}

func newOwnerNames(client *ccloud.Client, only string) *ownerNames {
	return &ownerNames{client: client, only: only}
}

// describe names owner id as the display name shows it.
func (o *ownerNames) describe(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "unknown", nil
	}
	user := ccloud.OwnerKindOfID(id) == ccloud.KindUser
	names := &o.accounts
	if user {
		names = &o.users
	}
	if *names == nil {
		m, err := o.load(ctx, user)
		if err != nil {
			return "", err
		}
		*names = m
	}
	name, ok := (*names)[id]
	switch {
	case !ok || name == "":
		return id, nil
	case user:
		return fmt.Sprintf("%s (%s)", id, name), nil
	}
	return fmt.Sprintf("%s %q", id, name), nil
}

// load reads the names of one kind of owner.
func (o *ownerNames) load(ctx context.Context, users bool) (map[string]string, error) {
	m := map[string]string{}
	switch {
	case o.only != "" && users:
		u, err := o.client.GetUser(ctx, o.only)
		if err != nil {
			return nil, err
		}
		m[u.ID] = u.Email
	case o.only != "":
		sa, err := o.client.GetServiceAccount(ctx, o.only)
		if err != nil {
			return nil, err
		}
		m[sa.ID] = sa.DisplayName
	case users:
		all, err := o.client.ListUsers(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range all {
			m[u.ID] = u.Email
		}
	default:
		err := o.client.EachServiceAccountPage(ctx, "", func(page []ccloud.ServiceAccount) bool {
			for _, sa := range page {
				m[sa.ID] = sa.DisplayName
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}
