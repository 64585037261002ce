// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The API key resource's data and its model: how a plan, state or
// configuration becomes an apiKeyModel and back, how the API's view of a
// key fills it, and the values derived from it. The resource's other files
// build on this one; it builds on the scope table and no other of them.

// apiKeyResource is one API key resource type; its scope row holds all that
// differs between the types.
type apiKeyResource struct {
	scope *apiKeyScope
	data  *providerData
}

// apiKeyModel holds the attributes every API key resource has. The
// scope-specific arguments differ per resource type, so they travel in
// scope, keyed by attribute name; get and set split and join the two.
type apiKeyModel struct {
	ID               types.String   `tfsdk:"id"`
	OwnerID          types.String   `tfsdk:"owner_id"`
	DisplayName      types.String   `tfsdk:"display_name"`
	Description      types.String   `tfsdk:"description"`
	RotationTriggers types.Map      `tfsdk:"rotation_triggers"`
	RotationPeriod   types.String   `tfsdk:"rotation_period"`
	WaitForReady     types.Bool     `tfsdk:"wait_for_ready"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
	Secret           types.String   `tfsdk:"secret"`
	SecretRecipients types.Set      `tfsdk:"secret_recipients"`
	EncryptedSecret  types.String   `tfsdk:"encrypted_secret"`
	OwnerKind        types.String   `tfsdk:"owner_kind"`
	ResourceID       types.String   `tfsdk:"resource_id"`
	CreatedAt        types.String   `tfsdk:"created_at"`
	RotationDueAt    types.String   `tfsdk:"rotation_due_at"`
	// Grace-period rotation; see apikey_grace.go.
	GracePeriod      types.String `tfsdk:"grace_period"`
	MaxPreviousKeys  types.Int64  `tfsdk:"max_previous_keys"`
	PreviousKeys     types.List   `tfsdk:"previous_keys"`
	NextRetirementAt types.String `tfsdk:"next_retirement_at"`

	scope map[string]types.String
	// currentGone is private state's mark (privateCurrentGone) that Read
	// found the current key deleted outside Terraform while previous keys
	// still work; ModifyPlan copies it onto the state's model.
	currentGone bool
}

func (r *apiKeyResource) typeName() string { return "ccloud_" + r.scope.typeName }

// tfsdkGetter is a plan, state or configuration to read a model from.
type tfsdkGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// tfsdkSetter is a plan or state to write a model to.
type tfsdkSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// get reads the common attributes into m and the scope's arguments into
// m.scope. The framework maps whole objects onto structs, so the object is
// split first.
func (r *apiKeyResource) get(ctx context.Context, src tfsdkGetter, m *apiKeyModel) diag.Diagnostics {
	var obj types.Object
	diags := src.Get(ctx, &obj)
	if diags.HasError() {
		return diags
	}
	attrTypes := obj.AttributeTypes(ctx)
	common := map[string]attr.Value{}
	commonTypes := map[string]attr.Type{}
	scope := map[string]types.String{}
	for name, v := range obj.Attributes() {
		if r.scope.hasAttribute(name) {
			s, ok := v.(types.String)
			if !ok {
				diags.AddError("Unexpected attribute type", fmt.Sprintf("Attribute %s is a %T, not a string. "+
					"This is a bug in the provider; please report it.", name, v))
				return diags
			}
			scope[name] = s
			continue
		}
		common[name] = v
		commonTypes[name] = attrTypes[name]
	}
	commonObj, d := types.ObjectValue(commonTypes, common)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	diags.Append(commonObj.As(ctx, m, basetypes.ObjectAsOptions{})...)
	m.scope = scope
	return diags
}

// set writes m, scope arguments included, to dst.
func (r *apiKeyResource) set(ctx context.Context, dst tfsdkSetter, m *apiKeyModel) diag.Diagnostics {
	full, diags := objectTypes(dst)
	if diags.HasError() {
		return diags
	}
	commonTypes := map[string]attr.Type{}
	for name, t := range full {
		if !r.scope.hasAttribute(name) {
			commonTypes[name] = t
		}
	}
	commonObj, d := types.ObjectValueFrom(ctx, commonTypes, m)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	attrs := map[string]attr.Value{}
	for name, v := range commonObj.Attributes() {
		attrs[name] = v
	}
	for _, a := range r.scope.attributes {
		v, ok := m.scope[a.name]
		if !ok {
			v = types.StringNull()
		}
		attrs[a.name] = v
	}
	obj, d := types.ObjectValue(full, attrs)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	diags.Append(dst.Set(ctx, obj)...)
	return diags
}

// objectTypes are the attribute types of the whole resource object, as the
// schema of dst has them. Taking them from the destination, rather than
// from the scope's schema, keeps this file free of the schema's
// declaration and saves building the schema on every write.
func objectTypes(dst tfsdkSetter) (map[string]attr.Type, diag.Diagnostics) {
	var diags diag.Diagnostics
	var s interface{ Type() attr.Type }
	switch d := dst.(type) {
	case *tfsdk.State:
		s = d.Schema
	case *tfsdk.Plan:
		s = d.Schema
	case *tfsdk.Resource:
		s = d.Schema
	}
	if s != nil {
		if t, ok := s.Type().(attr.TypeWithAttributeTypes); ok {
			return t.AttributeTypes(), diags
		}
	}
	diags.AddError("Unexpected destination", fmt.Sprintf("Cannot write an API key to a %T without a schema. "+
		"This is a bug in the provider; please report it.", dst))
	return nil, diags
}

// values returns the scope arguments as plain strings, and whether all of
// them are known.
func (m *apiKeyModel) values() (scopeValues, bool) {
	v := scopeValues{}
	known := true
	for name, s := range m.scope {
		if s.IsUnknown() {
			known = false
		}
		v[name] = s.ValueString()
	}
	return v, known
}

// createContext bounds ctx by the plan's create timeout (the default when
// unset), for a create and for a grace-period rotation, which waits for its
// new key the same way.
func (m *apiKeyModel) createContext(ctx context.Context, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration) {
	timeout, d := m.Timeouts.Create(ctx, defaultAPIKeyCreateTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout
}

// setFromKey copies the API's view of a key into the model. Display name
// and description stay null when the API has them empty and the model had
// them null, so that leaving them out of the configuration shows no diff.
func (m *apiKeyModel) setFromKey(key *ccloud.APIKey) {
	m.ID = types.StringValue(key.ID)
	if key.Spec.Owner != nil {
		m.OwnerID = types.StringValue(key.Spec.Owner.ID)
		m.OwnerKind = types.StringValue(ccloud.OwnerKind(key.Spec.Owner))
	}
	m.DisplayName = optionalString(key.Spec.DisplayName, m.DisplayName)
	m.Description = optionalString(key.Spec.Description, m.Description)
	m.ResourceID = types.StringValue(ccloud.ResourceID(key.Spec.Resource))
	m.CreatedAt = rfc3339String(key.Metadata.CreatedAt)
}

func optionalString(api string, prior types.String) types.String {
	if api == "" && (prior.IsNull() || prior.IsUnknown()) {
		return types.StringNull()
	}
	return types.StringValue(api)
}

// rotationDueAt is created_at plus the rotation period, when both are known
// and valid.
func rotationDueAt(createdAt, period types.String) (time.Time, bool) {
	if createdAt.IsNull() || createdAt.IsUnknown() || period.IsNull() || period.IsUnknown() {
		return time.Time{}, false
	}
	created, err := time.Parse(time.RFC3339, createdAt.ValueString())
	if err != nil {
		return time.Time{}, false
	}
	d, err := parseRotationPeriod(period.ValueString())
	if err != nil {
		return time.Time{}, false
	}
	return created.Add(d), true
}

// rotationDueAtValue renders the due date for state, or null without one.
func rotationDueAtValue(createdAt, period types.String) types.String {
	due, ok := rotationDueAt(createdAt, period)
	if !ok {
		return types.StringNull()
	}
	return types.StringValue(due.UTC().Format(time.RFC3339))
}

func quotedName(name types.String) string {
	if name.IsNull() || name.IsUnknown() || name.ValueString() == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", name.ValueString())
}

// now is the provider's clock, which tests replace.
func (r *apiKeyResource) now() time.Time {
	if r.data != nil && r.data.now != nil {
		return r.data.now()
	}
	return time.Now()
}

// previousKeyModel is one element of previous_keys.
type previousKeyModel struct {
	ID        types.String `tfsdk:"id"`
	CreatedAt types.String `tfsdk:"created_at"`
	RetireAt  types.String `tfsdk:"retire_at"`
}

var previousKeyType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":         types.StringType,
	"created_at": types.StringType,
	"retire_at":  types.StringType,
}}

// graceOn reports whether m rotates in place.
func graceOn(m *apiKeyModel) bool {
	return !m.GracePeriod.IsNull() && !m.GracePeriod.IsUnknown()
}

// previousKeys decodes previous_keys; null and unknown give none.
func previousKeys(ctx context.Context, l types.List) ([]previousKeyModel, diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	var out []previousKeyModel
	d := l.ElementsAs(ctx, &out, false)
	return out, d
}

// previousKeysValue encodes previous_keys; none gives an empty list.
func previousKeysValue(ctx context.Context, keys []previousKeyModel) (types.List, diag.Diagnostics) {
	if keys == nil {
		keys = []previousKeyModel{}
	}
	return types.ListValueFrom(ctx, previousKeyType, keys)
}

// nextRetirement is the earliest retire_at of keys: null without keys,
// unknown when any is unknown.
func nextRetirement(keys []previousKeyModel) types.String {
	var next time.Time
	for _, k := range keys {
		if k.RetireAt.IsUnknown() {
			return types.StringUnknown()
		}
		t, err := time.Parse(time.RFC3339, k.RetireAt.ValueString())
		if err != nil {
			continue
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if next.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(next.UTC().Format(time.RFC3339))
}

// setPrevious sets previous_keys and next_retirement_at of m.
func (m *apiKeyModel) setPrevious(ctx context.Context, keys []previousKeyModel, diags *diag.Diagnostics) {
	l, d := previousKeysValue(ctx, keys)
	diags.Append(d...)
	m.PreviousKeys = l
	m.NextRetirementAt = nextRetirement(keys)
}

// sealed reports whether the model asks for a sealed secret. Unknown
// recipients count as sealing: the secret must not be planned in plain text
// while it might be sealed.
func (m *apiKeyModel) sealed() bool {
	return m.SecretRecipients.IsUnknown() || !m.SecretRecipients.IsNull()
}

// defaultAPIKeyCreateTimeout bounds a create, readiness wait included.
const defaultAPIKeyCreateTimeout = 10 * time.Minute
