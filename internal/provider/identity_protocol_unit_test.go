// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// These tests speak the plugin protocol to the provider as Terraform 1.12+
// does, without Terraform: they run with the unit tests and prove the
// identity rules on every resource type.

// identityType is the value type of every identity here.
var identityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}

// protoProvider is a configured provider server aimed at an Env's mock,
// with the value types of its resources.
type protoProvider struct {
	t      *testing.T
	env    *acctest.Env
	server tfprotov6.ProviderServer
	types  map[string]tftypes.Type
}

func newProtoProvider(t *testing.T, env *acctest.Env) *protoProvider {
	t.Helper()
	ctx := context.Background()
	server, err := env.Factories[acctest.ProviderTypeName]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, diagText(schemas.Diagnostics))
	}
	p := &protoProvider{t: t, env: env, server: server, types: map[string]tftypes.Type{}}
	for name, s := range schemas.ResourceSchemas {
		p.types[name] = s.ValueType()
	}
	key, secret := env.Mock.Credentials()
	cfg := objectValue(schemas.Provider.ValueType(), map[string]tftypes.Value{
		"endpoint":         tftypes.NewValue(tftypes.String, env.Mock.URL()),
		"cloud_api_key":    tftypes.NewValue(tftypes.String, key),
		"cloud_api_secret": tftypes.NewValue(tftypes.String, secret),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.15.9", Config: dynamic(t, schemas.Provider.ValueType(), cfg),
	})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, diagText(resp.Diagnostics))
	}
	return p
}

// objectValue builds an object of typ from vals; attributes not in vals
// are null.
func objectValue(typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes {
		if v, ok := vals[name]; ok {
			attrs[name] = v
		} else {
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, attrs)
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func identityData(t *testing.T, id string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	v := tftypes.NewValue(identityType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)})
	return &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, identityType, v)}
}

// identityID reads the id of an identity, "" when there is none.
func identityID(t *testing.T, d *tfprotov6.ResourceIdentityData) string {
	t.Helper()
	if d == nil || d.IdentityData == nil {
		return ""
	}
	v, err := d.IdentityData.Unmarshal(identityType)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := attrs["id"].As(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// stateValue unmarshals a state of the resource type.
func (p *protoProvider) stateValue(typeName string, dv *tfprotov6.DynamicValue) tftypes.Value {
	p.t.Helper()
	if dv == nil {
		p.t.Fatalf("%s: no state", typeName)
	}
	v, err := dv.Unmarshal(p.types[typeName])
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

// stringAttr reads a string attribute of a state, "" when null.
func stringAttr(t *testing.T, v tftypes.Value, name string) string {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var s *string
	if err := attrs[name].As(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Severity.String()+": "+d.Summary+": "+d.Detail)
	}
	return strings.Join(out, "\n")
}

// imported is what an import and the read after it give.
type imported struct {
	state    tftypes.Value
	identity string
	diags    []*tfprotov6.Diagnostic
}

// importAndRead imports typeName by ID or, when byIdentity, by an identity
// holding id, then reads it as Terraform does after an import.
func (p *protoProvider) importAndRead(typeName, id string, byIdentity bool) imported {
	p.t.Helper()
	ctx := context.Background()
	req := &tfprotov6.ImportResourceStateRequest{TypeName: typeName}
	if byIdentity {
		req.Identity = identityData(p.t, id)
	} else {
		req.ID = id
	}
	resp, err := p.server.ImportResourceState(ctx, req)
	if err != nil || hasErrors(resp.Diagnostics) || len(resp.ImportedResources) != 1 {
		p.t.Fatalf("import %s %s (by identity %v): %v %v", typeName, id, byIdentity, err, diagText(resp.Diagnostics))
	}
	in := resp.ImportedResources[0]
	if got := identityID(p.t, in.Identity); got != id {
		p.t.Errorf("import %s %s (by identity %v): identity id %q", typeName, id, byIdentity, got)
	}
	if got := stringAttr(p.t, p.stateValue(typeName, in.State), "id"); got != id {
		p.t.Errorf("import %s %s (by identity %v): state id %q", typeName, id, byIdentity, got)
	}
	read, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: in.State, Private: in.Private, CurrentIdentity: in.Identity,
	})
	if err != nil || hasErrors(read.Diagnostics) {
		p.t.Fatalf("read after import of %s %s: %v %v", typeName, id, err, diagText(read.Diagnostics))
	}
	return imported{
		state:    p.stateValue(typeName, read.NewState),
		identity: identityID(p.t, read.NewIdentity),
		diags:    append(resp.Diagnostics, read.Diagnostics...),
	}
}

// TestIdentitySchemas checks that every managed resource has an identity
// of exactly one string attribute, id, required for import.
func TestIdentitySchemas(t *testing.T) {
	t.Parallel()
	server, err := provider.NewProtocol6ServerWithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, diagText(resp.Diagnostics))
	}
	want := []string{"ccloud_service_account"}
	for _, c := range keyCases {
		want = append(want, c.typ)
	}
	sort.Strings(want)
	var got []string
	for name := range resp.IdentitySchemas {
		got = append(got, name)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("identity schemas for %v, want %v", got, want)
	}
	for name, s := range resp.IdentitySchemas {
		if s.Version != 0 || len(s.IdentityAttributes) != 1 {
			t.Errorf("%s: version %d, %d attributes; want version 0 and one attribute", name, s.Version, len(s.IdentityAttributes))
			continue
		}
		a := s.IdentityAttributes[0]
		if a.Name != "id" || !a.Type.Is(tftypes.String) || !a.RequiredForImport || a.OptionalForImport {
			t.Errorf("%s: attribute %+v, want a string id required for import", name, a)
		}
		if !strings.HasSuffix(a.Description, ".") {
			t.Errorf("%s: description %q is not a sentence", name, a.Description)
		}
	}
}

// TestIdentity_importByIdentity imports an account and a key of every
// scope by identity and by ID: both give the same state and identity,
// secrets from CONFLUENT_CLOUD_IMPORT_API_SECRETS included. It sets that
// variable, so it cannot run in parallel.
func TestIdentity_importByIdentity(t *testing.T) {
	env := acctest.New(t, mockcloud.Options{})
	p := newProtoProvider(t, env)
	owner := env.Mock.CreateServiceAccount("identity-app", "Imported by identity.").ID
	keys := map[string]string{} // type name -> key ID
	secrets := map[string]string{}
	for _, c := range keyCases {
		k, err := env.Mock.CreateAPIKey(owner, c.refForMock(), "by-identity", "")
		if err != nil {
			t.Fatal(err)
		}
		keys[c.typ] = k.ID
		secrets[k.ID], _ = env.Mock.APIKeySecret(k.ID)
	}
	bulk, err := json.Marshal(secrets)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(provider.EnvImportAPISecrets, string(bulk))

	keys["ccloud_service_account"] = owner
	for typ, id := range keys {
		byID := p.importAndRead(typ, id, false)
		byIdentity := p.importAndRead(typ, id, true)
		if !byIdentity.state.Equal(byID.state) {
			t.Errorf("%s: import by identity gives\n%s\nimport by ID gives\n%s", typ, byIdentity.state, byID.state)
		}
		if byIdentity.identity != id || byID.identity != id {
			t.Errorf("%s: identity after read %q (by identity) and %q (by ID), want %q", typ, byIdentity.identity, byID.identity, id)
		}
		if typ == "ccloud_service_account" {
			continue
		}
		if got := stringAttr(t, byIdentity.state, "secret"); got != secrets[id] {
			t.Errorf("%s: import by identity did not take the secret from %s", typ, provider.EnvImportAPISecrets)
		}
		for _, d := range byIdentity.diags {
			if strings.Contains(d.Summary+d.Detail, secrets[id]) {
				t.Errorf("%s: a diagnostic holds the secret", typ)
			}
		}
	}
}

// TestIdentity_importByIdentityErrors checks the import errors by
// identity: an empty id, and a key of another type, which must name the
// right type as import by ID does.
func TestIdentity_importByIdentityErrors(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	p := newProtoProvider(t, env)
	ctx := context.Background()
	resp, err := p.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: "ccloud_kafka_api_key", Identity: identityData(t, ""),
	})
	if err != nil || !hasErrors(resp.Diagnostics) || !strings.Contains(diagText(resp.Diagnostics), "needs its ID") {
		t.Errorf("import by an empty identity: %v %s, want an error asking for the ID", err, diagText(resp.Diagnostics))
	}

	owner := env.Mock.CreateServiceAccount("wrong-type-app", "").ID
	k, err := env.Mock.CreateAPIKey(owner, keyCases["schema_registry"].refForMock(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := p.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: "ccloud_kafka_api_key", Identity: identityData(t, k.ID),
	})
	if err != nil || hasErrors(imp.Diagnostics) {
		t.Fatalf("import: %v %s", err, diagText(imp.Diagnostics))
	}
	in := imp.ImportedResources[0]
	read, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "ccloud_kafka_api_key", CurrentState: in.State, Private: in.Private, CurrentIdentity: in.Identity,
	})
	if err != nil || !strings.Contains(diagText(read.Diagnostics), "Import it as a ccloud_schema_registry_api_key") {
		t.Errorf("read of a Schema Registry key imported by identity as a Kafka key: %v %s", err, diagText(read.Diagnostics))
	}
}

// TestIdentity_readWithoutIdentity reads state written before identity
// existed (no current identity): the read fills the identity in, and a
// read of an object gone since drops it from state without the
// framework's "missing identity" error.
func TestIdentity_readWithoutIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	p := newProtoProvider(t, env)
	ctx := context.Background()
	owner := env.Mock.CreateServiceAccount("legacy-app", "").ID
	c := keyCases["kafka"]
	k, err := env.Mock.CreateAPIKey(owner, c.refForMock(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	// The key goes first: deleting the account cascades to its keys, so in
	// the other order the key's import would find it gone.
	for _, o := range []struct{ typ, id string }{{c.typ, k.ID}, {"ccloud_service_account", owner}} {
		typ, id := o.typ, o.id
		imp := p.importAndRead(typ, id, false)
		read, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: typ, CurrentState: dynamic(t, p.types[typ], imp.state),
		})
		if err != nil || hasErrors(read.Diagnostics) || identityID(t, read.NewIdentity) != id {
			t.Errorf("%s: read without identity: %v %s, identity %q", typ, err, diagText(read.Diagnostics), identityID(t, read.NewIdentity))
		}
		if typ == c.typ {
			if err := env.Mock.DeleteAPIKey(k.ID); err != nil {
				t.Fatal(err)
			}
		} else {
			saMockDelete(t, env, owner)
		}
		// A new provider, as a new Terraform run starts, with no reads cached.
		gone, err := newProtoProvider(t, env).server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: typ, CurrentState: dynamic(t, p.types[typ], imp.state),
		})
		if err != nil || hasErrors(gone.Diagnostics) {
			t.Errorf("%s: read of a deleted object without identity: %v %s", typ, err, diagText(gone.Diagnostics))
			continue
		}
		if !p.stateValue(typ, gone.NewState).IsNull() {
			t.Errorf("%s: a deleted object stays in state", typ)
		}
	}
}

// TestIdentity_create plans and applies an account and a key of every
// scope, and checks that the apply returns the new object's ID as its
// identity.
func TestIdentity_create(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	p := newProtoProvider(t, env)
	owner := env.Mock.CreateServiceAccount("create-app", "").ID
	configs := map[string]map[string]tftypes.Value{
		"ccloud_service_account": {"display_name": tftypes.NewValue(tftypes.String, "identity-create")},
	}
	for _, c := range keyCases {
		cfg := map[string]tftypes.Value{"owner_id": tftypes.NewValue(tftypes.String, owner)}
		for name, v := range c.scopeValues {
			cfg[name] = tftypes.NewValue(tftypes.String, v)
		}
		configs[c.typ] = cfg
	}
	for typ, vals := range configs {
		id := p.create(typ, vals)
		if typ == "ccloud_service_account" && !strings.HasPrefix(id, "sa-") {
			t.Errorf("%s: identity %q is not an account ID", typ, id)
		}
		if typ != "ccloud_service_account" && !keyIDPattern.MatchString(id) {
			t.Errorf("%s: identity %q is not a key ID", typ, id)
		}
	}
}

// create plans and applies a new object of typ from configuration values
// and returns the identity's id, checking that it is the state's id.
func (p *protoProvider) create(typ string, vals map[string]tftypes.Value) string {
	p.t.Helper()
	ctx := context.Background()
	typType := p.types[typ]
	null := tftypes.NewValue(typType, nil)
	cfg := dynamic(p.t, typType, objectValue(typType, vals))
	plan, err := p.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typ, PriorState: dynamic(p.t, typType, null), ProposedNewState: cfg, Config: cfg,
	})
	if err != nil || hasErrors(plan.Diagnostics) {
		p.t.Fatalf("%s: plan: %v %s", typ, err, diagText(plan.Diagnostics))
	}
	applied, err := p.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typ, PriorState: dynamic(p.t, typType, null), PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil || hasErrors(applied.Diagnostics) {
		p.t.Fatalf("%s: apply: %v %s", typ, err, diagText(applied.Diagnostics))
	}
	id := identityID(p.t, applied.NewIdentity)
	if got := stringAttr(p.t, p.stateValue(typ, applied.NewState), "id"); got == "" || got != id {
		p.t.Errorf("%s: identity %q after create, state id %q", typ, id, got)
	}
	return id
}

// TestIdentity_moveState moves a confluent_api_key and a
// confluent_service_account: the target identity is the moved object's ID.
func TestIdentity_moveState(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	p := newProtoProvider(t, env)
	sa := env.Mock.CreateServiceAccount("moved-app", "")
	k := mustKey(t, env.Mock, sa.ID, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}, "", "")
	for _, tc := range []struct {
		source, target, id string
		attrs              map[string]any
	}{
		{"confluent_api_key", "ccloud_kafka_api_key", k.ID,
			officialKey(k, managedResource(acctest.KafkaClusterID, "Cluster", "cmk/v2", acctest.EnvironmentID), false)},
		{"confluent_service_account", "ccloud_service_account", sa.ID, officialSA(sa)},
	} {
		raw, err := json.Marshal(tc.attrs)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := p.server.MoveResourceState(context.Background(), &tfprotov6.MoveResourceStateRequest{
			SourceProviderAddress: confluentStubAddress, SourceTypeName: tc.source, TargetTypeName: tc.target,
			SourceState: &tfprotov6.RawState{JSON: raw},
		})
		if err != nil || hasErrors(resp.Diagnostics) {
			t.Fatalf("move %s: %v %s", tc.source, err, diagText(resp.Diagnostics))
		}
		if got := identityID(t, resp.TargetIdentity); got != tc.id {
			t.Errorf("move %s to %s: identity %q, want %q", tc.source, tc.target, got, tc.id)
		}
	}
}
