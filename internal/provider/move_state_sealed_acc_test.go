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
	mk := newMovedKafkaKey(t, "sealed-app")
	mk.configure("ccloud_kafka_api_key", mk.kafkaKeyBody(fmt.Sprintf("  secret_recipients = [%q]\n", id.Recipient().String())))
	mk.applyInPlace("sealing the moved key's secret")
	k := mk.key

	raw, err := os.ReadFile(filepath.Join(mk.r.Dir, "terraform.tfstate"))
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
