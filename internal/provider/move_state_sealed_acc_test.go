// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// TestAccMoveState_secretRecipients moves a key into a configuration that
// seals its secret. The moved state holds the plain secret, so the plan
// seals it in place: an update, not a rotation. Afterwards the state holds
// only the ciphertext, which opens to the key's own secret, and the cloud
// saw no change.
func TestAccMoveState_secretRecipients(t *testing.T) {
	t.Parallel()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	env := acctest.New(t, mockcloud.Options{})
	r := newMigrationRunner(t, env)
	sa := env.Mock.CreateServiceAccount("sealed-app", "")
	k := mustKey(t, env.Mock, sa.ID, &ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID}, "", "")
	r.WriteFile("terraform.tfstate", officialState([]officialResource{{typ: "confluent_api_key", name: "k", instances: []officialInstance{
		{attrs: officialKey(k, managedResource(acctest.KafkaClusterID, "Cluster", "cmk/v2", acctest.EnvironmentID), false)},
	}}}))
	r.WriteFile("main.tf", migrationTerraformBlock+"\n"+env.ProviderConfig()+fmt.Sprintf(`
moved {
  from = confluent_api_key.k
  to   = ccloud_kafka_api_key.k
}

resource "ccloud_kafka_api_key" "k" {
  owner_id          = %q
  cluster_id        = %q
  environment_id    = %q
  secret_recipients = [%q]

  lifecycle {
    create_before_destroy = true
  }
}
`, sa.ID, acctest.KafkaClusterID, acctest.EnvironmentID, id.Recipient().String()))
	r.MustRun(0, "init", "-input=false", "-no-color")
	env.Mock.ResetCounters()

	plan := r.MustRun(0, "plan", "-out=tfplan", "-input=false", "-no-color")
	if !strings.Contains(plan.Stdout, "0 to add, 1 to change, 0 to destroy") ||
		!strings.Contains(plan.Stdout, "(moved from confluent_api_key.k)") {
		t.Fatalf("want the move and the secret sealed in place:\n%s", plan.Stdout)
	}
	r.MustRun(0, "apply", "-input=false", "-no-color", "tfplan")
	r.MustRun(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if writes := writeRequests(env.Mock); len(writes) != 0 {
		t.Errorf("sealing the moved key changed the cloud: %v", writes)
	}

	raw, err := os.ReadFile(filepath.Join(r.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), k.Spec.Secret) {
		t.Fatal("the state still holds the plain secret")
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID              string  `json:"id"`
					Secret          *string `json:"secret"`
					EncryptedSecret string  `json:"encrypted_secret"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 1 || len(st.Resources[0].Instances) != 1 {
		t.Fatalf("want one resource instance in state, got %+v", st.Resources)
	}
	a := st.Resources[0].Instances[0].Attributes
	if a.ID != k.ID || a.Secret != nil {
		t.Errorf("state holds key %s with a plain secret %v; want key %s and none", a.ID, a.Secret != nil, k.ID)
	}
	opened, err := seal.Open(a.EncryptedSecret, id.String())
	if err != nil {
		t.Fatalf("opening encrypted_secret: %v", err)
	}
	if opened != k.Spec.Secret {
		t.Error("encrypted_secret does not hold the moved key's secret")
	}
}
