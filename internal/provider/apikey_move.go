// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The key resources accept `moved` blocks from the official provider's
// confluent_api_key, so that switching providers keeps every key and its
// secret instead of rotating them all.
var _ resource.ResourceWithMoveState = (*apiKeyResource)(nil)

// Source resource types of the official provider that a move can adopt.
const (
	confluentAPIKeyType         = "confluent_api_key"
	confluentServiceAccountType = "confluent_service_account"
	// confluentProviderSuffix ends the official provider's address on any
	// registry host: registry.terraform.io for Terraform, another one for
	// OpenTofu, or a private mirror.
	confluentProviderSuffix = "confluentinc/confluent"
)

// isConfluentProvider reports whether a provider address, in the
// HOSTNAME/NAMESPACE/TYPE form Terraform sends, names the official
// provider, whatever the host.
func isConfluentProvider(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	return addr == confluentProviderSuffix || strings.HasSuffix(addr, "/"+confluentProviderSuffix)
}

// confluentRef is one element of the official provider's owner and
// managed_resource blocks. That provider is built on the legacy SDK, which
// stores every nested block as a JSON list, even one limited to a single
// element, so environment is a list too.
type confluentRef struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	APIVersion  string `json:"api_version"`
	Environment []struct {
		ID string `json:"id"`
	} `json:"environment"`
}

// environmentID is the ID in the reference's environment block, or "".
func (r *confluentRef) environmentID() string {
	if len(r.Environment) == 0 {
		return ""
	}
	return r.Environment[0].ID
}

// confluentAPIKeyState is the state of a confluent_api_key at schema
// version 0, the only version that provider has had. Pointers tell a value
// that is absent from one that is empty.
type confluentAPIKeyState struct {
	ID                  string         `json:"id"`
	DisplayName         *string        `json:"display_name"`
	Description         *string        `json:"description"`
	Secret              *string        `json:"secret"`
	DisableWaitForReady *bool          `json:"disable_wait_for_ready"`
	Owner               []confluentRef `json:"owner"`
	ManagedResource     []confluentRef `json:"managed_resource"`
}

// movedAPIKey is what a move makes of a confluent_api_key: the target scope
// and the values of the target's attributes.
type movedAPIKey struct {
	scope        ccloud.Scope
	id           string
	ownerID      string
	ownerKind    string
	displayName  types.String
	description  types.String
	secret       types.String
	waitForReady bool
	values       scopeValues
	// describe names the source's scope for messages, for example
	// "managed_resource api_version cmk/v2, id lkc-abc123".
	describe string
}

// parseConfluentAPIKey reads the raw state of a confluent_api_key and works
// out which of the six key resources it belongs in. Its errors never quote
// the secret.
func parseConfluentAPIKey(raw []byte) (*movedAPIKey, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("the source state has no JSON data; Terraform 0.12 and later always write it, so " +
			"refresh the source with the confluentinc/confluent provider first")
	}
	var src confluentAPIKeyState
	if err := json.Unmarshal(raw, &src); err != nil {
		// The decoder's message quotes no values, only types and offsets.
		return nil, fmt.Errorf("the source state is not a confluent_api_key state this provider can read: %w", err)
	}
	if src.ID == "" {
		return nil, fmt.Errorf("the source state has no id")
	}
	if len(src.Owner) == 0 || src.Owner[0].ID == "" {
		return nil, fmt.Errorf("the source state of key %s has no owner block with an id", src.ID)
	}
	m := &movedAPIKey{
		id:           src.ID,
		ownerID:      src.Owner[0].ID,
		ownerKind:    src.Owner[0].Kind,
		displayName:  nonEmptyString(src.DisplayName),
		description:  nonEmptyString(src.Description),
		secret:       nonEmptyString(src.Secret),
		waitForReady: src.DisableWaitForReady == nil || !*src.DisableWaitForReady,
		values:       scopeValues{},
	}
	if m.ownerKind == "" {
		m.ownerKind = ownerKindOf(m.ownerID)
	}
	if len(src.ManagedResource) == 0 {
		// The official provider writes no managed_resource for Cloud keys.
		m.scope = ccloud.ScopeCloud
		m.describe = "no managed_resource block"
		return m, nil
	}
	res := &src.ManagedResource[0]
	env := res.environmentID()
	m.describe = fmt.Sprintf("managed_resource api_version %s, id %s", res.APIVersion, res.ID)
	needEnvironment := func() error {
		if env == "" {
			return fmt.Errorf("the managed_resource block of key %s (%s) has no environment block, so the "+
				"environment_id is unknown; set managed_resource.environment.id with the confluentinc/confluent "+
				"provider and apply before moving the key", src.ID, m.describe)
		}
		return nil
	}
	switch strings.ToLower(res.APIVersion) {
	case "cmk/v2":
		m.scope = ccloud.ScopeKafka
		m.values["cluster_id"], m.values["environment_id"] = res.ID, env
		return m, needEnvironment()
	case "srcm/v2", "srcm/v3":
		m.scope = ccloud.ScopeSchemaRegistry
		m.values["schema_registry_id"], m.values["environment_id"] = res.ID, env
		return m, needEnvironment()
	case "ksqldbcm/v2":
		m.scope = ccloud.ScopeKsqlDB
		m.values["ksqldb_cluster_id"], m.values["environment_id"] = res.ID, env
		return m, needEnvironment()
	case "fcpm/v2":
		m.scope = ccloud.ScopeFlink
		idEnv, cloud, region, ok := ccloud.ParseFlinkRegionID(res.ID)
		if !ok {
			return nil, fmt.Errorf("the managed_resource id %q of Flink key %s is not a region ID of the form "+
				"<cloud>.<region>, such as aws.us-east-1", res.ID, src.ID)
		}
		// Keys created before March 2024 carry the environment in the
		// region ID; the environment block wins when both are there.
		if env == "" {
			env = idEnv
		}
		m.values["environment_id"], m.values["cloud"], m.values["region"] = env, strings.ToUpper(cloud), region
		return m, needEnvironment()
	case "tableflow/v1":
		m.scope = ccloud.ScopeTableflow
		return m, nil
	}
	return nil, fmt.Errorf("key %s has a managed_resource with api_version %q, which none of this provider's key "+
		"resources manages (it knows cmk/v2, srcm/v2, srcm/v3, ksqldbcm/v2, fcpm/v2 and tableflow/v1, and keys "+
		"without managed_resource); keep the key with the confluentinc/confluent provider", src.ID, res.APIVersion)
}

// nonEmptyString turns a value of the legacy SDK's state into a framework
// string. That SDK writes "" where a value is unset, while this provider
// keeps it null when the configuration leaves it out, so "" becomes null:
// otherwise the first plan would show a change from "" to null.
func nonEmptyString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// MoveState lets a `moved` block turn a confluent_api_key of the official
// provider into this resource type. The source schema is not declared: it
// belongs to another provider, so its raw JSON state is read instead.
func (r *apiKeyResource) MoveState(_ context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: r.moveFromConfluent}}
}

func (r *apiKeyResource) moveFromConfluent(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if !isConfluentProvider(req.SourceProviderAddress) {
		// Not ours to handle: the framework reports that no mover matched.
		return
	}
	raw := rawStateJSON(req)
	switch req.SourceTypeName {
	case confluentAPIKeyType:
	case confluentServiceAccountType:
		resp.Diagnostics.AddError("Wrong target resource type for a moved block",
			fmt.Sprintf("A confluent_service_account cannot become a %s. Move it to ccloud_service_account "+
				"instead: change the moved block's `to` address and the resource block to ccloud_service_account.",
				r.typeName()))
		return
	default:
		return
	}

	m, err := parseConfluentAPIKey(raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot move confluent_api_key to "+r.typeName(), moveErrorDetail(err, req.SourceSchemaVersion))
		return
	}
	if m.scope != r.scope.scope {
		resp.Diagnostics.AddError("Wrong target resource type for a moved block", r.wrongScopeDetail(m))
		return
	}
	resp.Diagnostics.Append(r.setMovedState(ctx, &resp.TargetState, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.secret.IsNull() {
		resp.Diagnostics.AddWarning("API key secret not in the moved state",
			fmt.Sprintf("The state of confluent_api_key %s holds no secret, so the secret attribute of the %s is "+
				"null. The key itself is unchanged; rotate it to get a new secret into state.", m.id, r.typeName()))
	}
	tflog.Debug(ctx, "moved a confluent_api_key", map[string]any{"key_id": m.id, "target": r.typeName()})
}

// rawStateJSON is the source's raw state, or nil when it has none.
func rawStateJSON(req resource.MoveStateRequest) []byte {
	if req.SourceRawState == nil {
		return nil
	}
	return req.SourceRawState.JSON
}

// moveErrorDetail explains a source state that could not be read. The
// official provider has only had schema version 0; a later one may have
// changed its shape, which is worth saying.
func moveErrorDetail(err error, version int64) string {
	detail := "The moved block's source could not be converted: " + err.Error() + "."
	if version != 0 {
		detail += fmt.Sprintf("\n\nThe source state has schema version %d; this provider reads version 0, the "+
			"version of every confluentinc/confluent release it was built against.", version)
	}
	return detail
}

// wrongScopeDetail names the resource type a key must move to.
func (r *apiKeyResource) wrongScopeDetail(m *movedAPIKey) string {
	want := scopeRow(m.scope)
	return fmt.Sprintf("confluent_api_key %s (%s) is a %s API key, so it cannot become a %s. Move it to "+
		"ccloud_%s instead: change the moved block's `to` address and the resource block to ccloud_%s. "+
		"`go run ./tools/migrate` picks the right type for every key.",
		m.id, m.describe, want.title, r.typeName(), want.typeName, want.typeName)
}

// setMovedState writes the moved key to the target state attribute by
// attribute, starting from a null object. Attributes not set here stay
// null: those the source lacks (created_at) are filled by the refresh that
// follows every move, and those that only the configuration knows
// (rotation_triggers, rotation_period, timeouts) are null in an imported
// key's state too, which the plan modifiers already treat as "nothing to
// rotate".
func (r *apiKeyResource) setMovedState(ctx context.Context, st interface {
	SetAttribute(context.Context, path.Path, any) diag.Diagnostics
}, m *movedAPIKey) diag.Diagnostics {
	var diags diag.Diagnostics
	set := func(name string, v any) {
		diags.Append(st.SetAttribute(ctx, path.Root(name), v)...)
	}
	set("id", types.StringValue(m.id))
	set("owner_id", types.StringValue(m.ownerID))
	set("owner_kind", types.StringValue(m.ownerKind))
	set("display_name", m.displayName)
	set("description", m.description)
	set("secret", m.secret)
	set("wait_for_ready", types.BoolValue(m.waitForReady))
	set("resource_id", types.StringValue(r.scope.resourceID(m.values)))
	for _, a := range r.scope.attributes {
		set(a.name, types.StringValue(m.values[a.name]))
	}
	return diags
}
