// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The migration tests drive terraform directly: terraform-plugin-testing
// serves only the provider under test, while a migration needs a second
// provider at the official provider's address and a state written by it.

// migrationTerraformBlock declares both providers, as a configuration does
// while it migrates.
const migrationTerraformBlock = `terraform {
  required_providers {
    ccloud = {
      source = "ccloudiam/ccloud"
    }
    confluent = {
      source = "confluentinc/confluent"
    }
  }
}
`

// newMigrationRunner returns a workspace that serves this provider and
// the confluentinc/confluent stand-in, so nothing is downloaded.
func newMigrationRunner(t *testing.T, env *acctest.Env) *acctest.Workspace {
	t.Helper()
	return acctest.NewWorkspace(t).
		Serve(acctest.ProviderAddress, env.Factories[acctest.ProviderTypeName]).
		Serve(confluentStubAddress, newConfluentStubServer())
}

// officialInstance is one resource instance of a state written by the
// official provider.
type officialInstance struct {
	index any // nil, an int (count) or a string (for_each)
	attrs map[string]any
}

type officialResource struct {
	typ, name string
	instances []officialInstance
}

// officialState renders a state file holding confluent_* resources in the
// shape the official provider writes: schema version 0, nested blocks as
// lists, unset strings as "".
func officialState(resources []officialResource) string {
	type inst struct {
		IndexKey            any            `json:"index_key,omitempty"`
		SchemaVersion       int            `json:"schema_version"`
		Attributes          map[string]any `json:"attributes"`
		SensitiveAttributes []any          `json:"sensitive_attributes"`
		// Private is what the legacy SDK keeps beside every object; the
		// move carries it over to the new resource.
		Private string `json:"private"`
	}
	type res struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Each      string `json:"each,omitempty"`
		Provider  string `json:"provider"`
		Instances []inst `json:"instances"`
	}
	doc := map[string]any{
		"version": 4, "terraform_version": "1.11.4", "serial": 1,
		"lineage": "0d1c1b54-7a4e-4f55-9d5c-3a7a3f6f2f10", "outputs": map[string]any{}, "check_results": nil,
	}
	var out []res
	for _, r := range resources {
		rs := res{Mode: "managed", Type: r.typ, Name: r.name, Provider: `provider["` + acctest.HostAddress(confluentStubAddress) + `"]`}
		for _, in := range r.instances {
			switch in.index.(type) {
			case int:
				rs.Each = "list"
			case string:
				rs.Each = "map"
			}
			rs.Instances = append(rs.Instances, inst{IndexKey: in.index, Attributes: in.attrs, SensitiveAttributes: []any{},
				Private: base64.StdEncoding.EncodeToString([]byte(`{"schema_version":"0"}`))})
		}
		out = append(out, rs)
	}
	doc["resources"] = out
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

func officialSA(sa ccloud.ServiceAccount) map[string]any {
	return map[string]any{
		"id": sa.ID, "api_version": "iam/v2", "kind": "ServiceAccount",
		"display_name": sa.DisplayName, "description": sa.Description,
	}
}

// officialKey renders a key's state; managed is the managed_resource list.
func officialKey(k ccloud.APIKey, managed []any, disableWait bool) map[string]any {
	return map[string]any{
		"id": k.ID, "display_name": k.Spec.DisplayName, "description": k.Spec.Description,
		"secret": k.Spec.Secret, "disable_wait_for_ready": disableWait,
		"owner":            []any{map[string]any{"id": k.Spec.Owner.ID, "kind": "ServiceAccount", "api_version": "iam/v2"}},
		"managed_resource": managed,
	}
}

func managedResource(id, kind, apiVersion, env string) []any {
	envs := []any{}
	if env != "" {
		envs = append(envs, map[string]any{"id": env})
	}
	return []any{map[string]any{"id": id, "kind": kind, "api_version": apiVersion, "environment": envs}}
}

// migrationWorld is what the official provider is taken to have created:
// accounts and keys that live in the mock, and the state that records them.
type migrationWorld struct {
	state string
	// keys maps each key ID to its scope.
	keys map[string]ccloud.Scope
	sas  []string
}

func mustKey(t *testing.T, m *mockcloud.Server, owner string, ref *ccloud.ObjectReference, name, desc string) ccloud.APIKey {
	t.Helper()
	k, err := m.CreateAPIKey(owner, ref, name, desc)
	if err != nil {
		t.Fatalf("creating a key in the mock: %v", err)
	}
	return k
}

// newMigrationWorld creates, in the mock, an account with one key of each
// scope and two accounts with a Kafka key each, and writes the state the
// official provider would hold for them: a single resource, a counted one
// whose keys span five scopes (with a Schema Registry key at srcm/v2 and a
// Flink key in the legacy region ID form) and for_each resources.
func newMigrationWorld(t *testing.T, m *mockcloud.Server) *migrationWorld {
	t.Helper()
	env := acctest.EnvironmentID
	w := &migrationWorld{keys: map[string]ccloud.Scope{}}
	app := m.CreateServiceAccount("orders-app", "Runs the orders service.")
	w.sas = append(w.sas, app.ID)

	kafka := mustKey(t, m, app.ID, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: env}, "orders-kafka", "Produces orders.")
	w.keys[kafka.ID] = ccloud.ScopeKafka
	scoped := []struct {
		scope   ccloud.Scope
		ref     *ccloud.ObjectReference
		managed []any
	}{
		{ccloud.ScopeSchemaRegistry, &ccloud.ObjectReference{ID: acctest.SchemaRegistryID, Environment: env},
			managedResource(acctest.SchemaRegistryID, "Cluster", "srcm/v2", env)},
		{ccloud.ScopeKsqlDB, &ccloud.ObjectReference{ID: acctest.KsqlDBClusterID, Environment: env},
			managedResource(acctest.KsqlDBClusterID, "Cluster", "ksqldbcm/v2", env)},
		{ccloud.ScopeFlink, &ccloud.ObjectReference{ID: "aws.us-east-1", Environment: env, APIVersion: ccloud.APIVersionFCPM, Kind: ccloud.KindRegion},
			managedResource(env+".aws.us-east-1", "Region", "fcpm/v2", "")},
		{ccloud.ScopeTableflow, &ccloud.ObjectReference{ID: ccloud.ResourceIDTableflow, APIVersion: ccloud.APIVersionTableflow, Kind: ccloud.KindTableflow},
			managedResource("tableflow", "Tableflow", "tableflow/v1", "")},
		{ccloud.ScopeCloud, nil, []any{}},
	}
	var scopedInstances []officialInstance
	for i, s := range scoped {
		k := mustKey(t, m, app.ID, s.ref, "orders-"+string(s.scope), "")
		w.keys[k.ID] = s.scope
		scopedInstances = append(scopedInstances, officialInstance{index: i, attrs: officialKey(k, s.managed, false)})
	}

	var teamSAs, teamKeys []officialInstance
	for i, team := range []string{"billing", "payments"} {
		sa := m.CreateServiceAccount(team+"-app", "")
		w.sas = append(w.sas, sa.ID)
		k := mustKey(t, m, sa.ID, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: env}, "", "")
		w.keys[k.ID] = ccloud.ScopeKafka
		teamSAs = append(teamSAs, officialInstance{index: team, attrs: officialSA(sa)})
		// One of them skipped the official provider's readiness wait.
		teamKeys = append(teamKeys, officialInstance{index: team, attrs: officialKey(k,
			managedResource(acctest.KafkaClusterID, "Cluster", "cmk/v2", env), i == 1)})
	}

	w.state = officialState([]officialResource{
		{typ: "confluent_service_account", name: "app", instances: []officialInstance{{attrs: officialSA(app)}}},
		{typ: "confluent_api_key", name: "kafka", instances: []officialInstance{{attrs: officialKey(kafka,
			managedResource(acctest.KafkaClusterID, "Cluster", "cmk/v2", env), false)}}},
		{typ: "confluent_api_key", name: "scoped", instances: scopedInstances},
		{typ: "confluent_service_account", name: "team", instances: teamSAs},
		{typ: "confluent_api_key", name: "team", instances: teamKeys},
	})
	return w
}

// writeRequests counts the mock's requests that change something.
func writeRequests(m *mockcloud.Server) map[string]int {
	out := map[string]int{}
	for route, n := range m.RequestCounts() {
		if !strings.HasPrefix(route, "GET ") && n > 0 {
			out[route] = n
		}
	}
	return out
}

// probeURL finds the data-plane URL that a key of the scope authenticates
// against, as the provider's readiness check does.
func probeURL(t *testing.T, c *ccloud.Client, s ccloud.Scope) string {
	t.Helper()
	ctx := context.Background()
	switch s {
	case ccloud.ScopeKafka:
		cl, err := c.GetKafkaCluster(ctx, acctest.KafkaClusterID, acctest.EnvironmentID)
		if err != nil {
			t.Fatal(err)
		}
		return ccloud.KafkaProbeURL(cl.Spec.HTTPEndpoint, acctest.KafkaClusterID)
	case ccloud.ScopeSchemaRegistry:
		cl, err := c.GetSchemaRegistryCluster(ctx, acctest.SchemaRegistryID, acctest.EnvironmentID)
		if err != nil {
			t.Fatal(err)
		}
		return ccloud.SchemaRegistryProbeURL(cl.Spec.HTTPEndpoint)
	case ccloud.ScopeKsqlDB:
		cl, err := c.GetKsqlDBCluster(ctx, acctest.KsqlDBClusterID, acctest.EnvironmentID)
		if err != nil || cl.Status == nil {
			t.Fatalf("ksqlDB cluster: %v", err)
		}
		return ccloud.KsqlDBProbeURL(cl.Status.HTTPEndpoint)
	case ccloud.ScopeFlink:
		region, err := c.GetFlinkRegion(ctx, acctest.FlinkCloud, acctest.FlinkRegion)
		if err != nil {
			t.Fatal(err)
		}
		org, err := c.OrganizationID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ccloud.FlinkProbeURL(region.HTTPEndpoint, org, acctest.EnvironmentID)
	case ccloud.ScopeTableflow:
		return c.TableflowProbeURL()
	}
	return c.CloudProbeURL()
}

// TestAccMoveState_fromConfluent migrates a state written by the official
// provider: the generator's moved blocks carry every account and key over,
// the plan shows nothing but the moves, nothing is created, changed or
// deleted in the cloud, the next plan is empty, and every carried secret
// authenticates on its key's data plane.
func TestAccMoveState_fromConfluent(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	r := newMigrationRunner(t, env)
	w := newMigrationWorld(t, env.Mock)

	// The official provider's world: its state and a configuration that
	// still declares both providers.
	r.WriteFile("terraform.tfstate", w.state)
	r.WriteFile("main.tf", migrationTerraformBlock+"\n"+env.ProviderConfig())
	r.MustRun(0, "init", "-input=false", "-no-color")
	show := r.MustRun(0, "show", "-json")

	gen, err := migrate.Generate([]byte(show.Stdout))
	if err != nil {
		t.Fatalf("generating the migration: %v", err)
	}
	if want := len(w.sas) + len(w.keys); gen.Moved != want || len(gen.Skipped) != 0 {
		t.Fatalf("the generator moves %d instances and skips %v, want %d and none", gen.Moved, gen.Skipped, want)
	}
	for id := range w.keys {
		secret, _ := env.Mock.APIKeySecret(id)
		if strings.Contains(string(gen.HCL), secret) {
			t.Fatalf("the generated configuration contains the secret of key %s", id)
		}
	}
	r.WriteFile("migrate.tf", string(gen.HCL))
	t.Logf("generated configuration:\n%s", gen.HCL)
	env.Mock.ResetCounters()

	// The plan shows the moves and nothing else.
	plan := r.MustRun(0, "plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(plan.Stdout, "0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("the plan with the moved blocks changes something:\n%s", plan.Stdout)
	}
	t.Logf("plan with the moved blocks:\n%s", plan.Stdout)
	planJSON := r.MustRun(0, "show", "-json", "tfplan")
	var p struct {
		ResourceChanges []struct {
			Address         string `json:"address"`
			PreviousAddress string `json:"previous_address"`
			Change          struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON.Stdout), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.ResourceChanges) != gen.Moved {
		t.Errorf("the plan has %d resource changes, want one move for each of %d instances", len(p.ResourceChanges), gen.Moved)
	}
	for _, rc := range p.ResourceChanges {
		if !strings.HasPrefix(rc.PreviousAddress, "confluent_") || strings.Join(rc.Change.Actions, ",") != "no-op" {
			t.Errorf("%s: previous address %q, actions %v; want a move from confluent_* and no-op",
				rc.Address, rc.PreviousAddress, rc.Change.Actions)
		}
	}

	r.MustRun(0, "apply", "-input=false", "-no-color", "tfplan")
	empty := r.MustRun(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if !strings.Contains(empty.Stdout, "No changes.") {
		t.Errorf("the plan after the move is not empty:\n%s", empty.Stdout)
	}
	t.Logf("plan after the move:\n%s", empty.Stdout)
	if writes := writeRequests(env.Mock); len(writes) != 0 {
		t.Errorf("the migration changed the cloud: %v", writes)
	}

	// The state holds the same accounts and keys, with their secrets.
	var sas []string
	keys := map[string]string{}
	for _, o := range r.StateObjects() {
		if strings.HasPrefix(o.Type, "confluent_") {
			t.Errorf("%s is still in state", o.Addr)
		}
		switch {
		case o.Type == migrate.ServiceAccountType:
			sas = append(sas, o.ID)
		case strings.HasSuffix(o.Type, "_api_key"):
			keys[o.ID] = o.Secret
			if want := migrate.KeyResourceType(w.keys[o.ID]); o.Type != want {
				t.Errorf("key %s is a %s, want %s", o.ID, o.Type, want)
			}
		}
	}
	sort.Strings(sas)
	sort.Strings(w.sas)
	if fmt.Sprint(sas) != fmt.Sprint(w.sas) {
		t.Errorf("service accounts in state %v, want %v", sas, w.sas)
	}
	if len(keys) != len(w.keys) {
		t.Errorf("state holds %d keys, want %d", len(keys), len(w.keys))
	}

	// The refresh filled in what the official provider does not store.
	for addr, missing := range computedGaps(t, r.Dir) {
		t.Errorf("%s: %s still null after the move", addr, missing)
	}

	// Every carried secret works on its data plane; a wrong one does not,
	// so the probe can tell.
	key, secret := env.Mock.Credentials()
	c, err := ccloud.New(ccloud.Config{Endpoint: env.Mock.URL(), APIKey: key, APISecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range keys {
		scope := w.keys[id]
		if want, _ := env.Mock.APIKeySecret(id); s != want {
			t.Errorf("key %s (%s): the secret in state is not the key's secret", id, scope)
			continue
		}
		target := probeURL(t, c, scope)
		if err := c.Probe(context.Background(), target, id, s); err != nil {
			t.Errorf("key %s (%s): the carried secret does not authenticate: %v", id, scope, err)
		}
		if err := c.Probe(context.Background(), target, id, s+"x"); !errors.Is(err, ccloud.ErrNotReady) {
			t.Errorf("key %s (%s): a wrong secret gives %v, want a refusal", id, scope, err)
		}
	}
}

// movedKafkaKey is one Kafka key the official provider made, and the state
// it wrote for it, in a workspace serving both providers.
type movedKafkaKey struct {
	t     *testing.T
	env   *acctest.Env
	r     *acctest.Workspace
	owner string
	key   ccloud.APIKey
	state string
}

func newMovedKafkaKey(t *testing.T, owner string) *movedKafkaKey {
	t.Helper()
	env := acctest.New(t, mockcloud.Options{})
	mk := &movedKafkaKey{t: t, env: env, r: newMigrationRunner(t, env), owner: env.Mock.CreateServiceAccount(owner, "").ID}
	mk.key = mustKey(t, env.Mock, mk.owner, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}, "", "")
	mk.state = officialState([]officialResource{{typ: "confluent_api_key", name: "k", instances: []officialInstance{
		{attrs: officialKey(mk.key, managedResource(acctest.KafkaClusterID, "Cluster", "cmk/v2", acctest.EnvironmentID), false)},
	}}})
	mk.r.WriteFile("terraform.tfstate", mk.state)
	return mk
}

// configure declares both providers, moves the key to target.k, declares
// target.k with body, and runs init.
func (mk *movedKafkaKey) configure(target, body string) {
	mk.t.Helper()
	mk.r.WriteFile("main.tf", migrationTerraformBlock+"\n"+mk.env.ProviderConfig()+fmt.Sprintf(`
moved {
  from = confluent_api_key.k
  to   = %s.k
}

resource %q "k" {
%s}
`, target, target, body))
	mk.r.MustRun(0, "init", "-input=false", "-no-color")
}

// kafkaKeyBody is the body of a ccloud_kafka_api_key for the moved key
// with extra lines.
func (mk *movedKafkaKey) kafkaKeyBody(extra string) string {
	return fmt.Sprintf(`  owner_id          = %q
  cluster_id        = %q
  environment_id    = %q
%s
  lifecycle {
    create_before_destroy = true
  }
`, mk.owner, acctest.KafkaClusterID, acctest.EnvironmentID, extra)
}

// applyInPlace checks that the plan shows the move and one in-place
// update, applies it, and checks that the next plan is empty and that the
// cloud saw no change; what names the update in messages.
func (mk *movedKafkaKey) applyInPlace(what string) {
	mk.t.Helper()
	mk.env.Mock.ResetCounters()
	plan := mk.r.MustRun(0, "plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(plan.Stdout, "0 to add, 1 to change, 0 to destroy") ||
		!strings.Contains(plan.Stdout, "(moved from confluent_api_key.k)") {
		mk.t.Fatalf("want the move and %s in place:\n%s", what, plan.Stdout)
	}
	mk.r.MustRun(0, "apply", "-input=false", "-no-color", "tfplan")
	mk.r.MustRun(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if writes := writeRequests(mk.env.Mock); len(writes) != 0 {
		mk.t.Errorf("%s changed the cloud: %v", what, writes)
	}
}

// TestAccMoveState_rotationTriggers moves a key into a configuration that
// sets rotation_triggers. The moved state has no triggers, so the plan
// records them in place: the key is neither replaced nor changed in the
// cloud, and the plan after that is empty.
func TestAccMoveState_rotationTriggers(t *testing.T) {
	t.Parallel()
	mk := newMovedKafkaKey(t, "triggers-app")
	mk.configure("ccloud_kafka_api_key", mk.kafkaKeyBody(`  rotation_triggers = { generation = "1" }
`))
	mk.applyInPlace("recording the triggers")
	objs := mk.r.StateObjects()
	if len(objs) != 1 || objs[0].ID != mk.key.ID || objs[0].Secret != mk.key.Spec.Secret {
		t.Errorf("state after the move holds %+v, want key %s with its secret", ids(objs), mk.key.ID)
	}
}

func ids(objs []acctest.StateObject) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.Addr+"="+o.ID)
	}
	return out
}

// TestAccMoveState_wrongTarget moves a Kafka key into ccloud_cloud_api_key:
// the plan fails, naming the right type, and the state is left as it was.
func TestAccMoveState_wrongTarget(t *testing.T) {
	t.Parallel()
	mk := newMovedKafkaKey(t, "wrong-target-app")
	mk.configure("ccloud_cloud_api_key", fmt.Sprintf("  owner_id = %q\n", mk.owner))
	plan := mk.r.MustRun(1, "plan", "-input=false", "-no-color")
	for _, want := range []string{"Wrong target resource type for a moved block", "is a Kafka", "ccloud_kafka_api_key"} {
		if !strings.Contains(plan.Output(), want) {
			t.Errorf("the plan's error does not say %q:\n%s", want, plan.Output())
		}
	}
	if strings.Contains(plan.Output(), mk.key.Spec.Secret) {
		t.Error("the plan's output contains the key's secret")
	}
	after, err := os.ReadFile(filepath.Join(mk.r.Dir, "terraform.tfstate"))
	if err != nil || string(after) != mk.state {
		t.Errorf("the failed plan changed the state file (%v)", err)
	}
}

// computedGaps lists, per resource instance of the state, the computed
// attributes that the refresh after a move should have filled but did not.
func computedGaps(t *testing.T, dir string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	gaps := map[string]string{}
	for _, rs := range st.Resources {
		want := []string{"created_at", "owner_kind", "resource_id"}
		if rs.Type == migrate.ServiceAccountType {
			want = []string{"created_at", "resource_name"}
		}
		for _, in := range rs.Instances {
			for _, name := range want {
				if v, _ := in.Attributes[name].(string); v == "" {
					gaps[fmt.Sprintf("%s.%s[%v]", rs.Type, rs.Name, in.IndexKey)] += name + " "
				}
			}
		}
	}
	return gaps
}
