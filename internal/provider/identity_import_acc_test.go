// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// The tests here prove that an import block with `identity = { id = ... }`
// gives the same state as one with `id = ...`, secrets from the environment
// and sealing included. terraform-plugin-testing cannot verify the state an
// import block gives (ImportStateVerify is for the import command only), so
// each test imports its keys by ID, records their state, forgets them with
// a removed block (the keys stay in the cloud), imports them again by
// identity and compares the state attribute by attribute.

// identityImportKey is one existing key a test imports twice.
type identityImportKey struct {
	typ, name string
	// body is the resource's configuration; it matches the key, so that
	// the import plans no change unless the key is sealed.
	body   string
	id     string
	secret string
	// sealed keys have secret_recipients: the import stores the secret
	// from the environment, and the same apply seals it in place.
	sealed bool
}

func (k identityImportKey) addr() string { return k.typ + "." + k.name }

// identityImportSteps imports keys by ID, forgets them, and imports them by
// identity. ageIdentity opens the sealed keys' encrypted_secret.
func identityImportSteps(env *acctest.Env, ageIdentity string, keys []identityImportKey) []resource.TestStep {
	config := func(how string) string {
		var b strings.Builder
		for _, k := range keys {
			switch how {
			case "id":
				fmt.Fprintf(&b, "import {\n  to = %s\n  id = %q\n}\n\n", k.addr(), k.id)
			case "identity":
				fmt.Fprintf(&b, "import {\n  to = %s\n  identity = {\n    id = %q\n  }\n}\n\n", k.addr(), k.id)
			case "removed":
				fmt.Fprintf(&b, "removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n\n", k.addr())
				continue
			}
			fmt.Fprintf(&b, "resource %q %q {\n%s}\n\n", k.typ, k.name, k.body)
		}
		return env.Config(b.String())
	}

	captured := make([]map[string]any, len(keys))
	imported := func(how string) resource.TestStep {
		var plan []plancheck.PlanCheck
		var state []statecheck.StateCheck
		for i, k := range keys {
			// An import of a matching configuration changes nothing; a sealed
			// key's secret is sealed in place by the same apply.
			action := plancheck.ResourceActionNoop
			if k.sealed {
				action = plancheck.ResourceActionUpdate
			}
			plan = append(plan, plancheck.ExpectResourceAction(k.addr(), action))
			state = append(state,
				statecheck.ExpectKnownValue(k.addr(), tfjsonpath.New("id"), knownvalue.StringExact(k.id)),
				statecheck.ExpectIdentity(k.addr(), map[string]knownvalue.Check{"id": knownvalue.StringExact(k.id)}),
			)
			if k.sealed {
				state = append(state, acctest.ExpectSealedSecret(env.Mock, ageIdentity, k.addr()))
			} else {
				state = append(state,
					statecheck.ExpectKnownValue(k.addr(), tfjsonpath.New("secret"), knownvalue.StringExact(k.secret)),
					statecheck.ExpectKnownValue(k.addr(), tfjsonpath.New("encrypted_secret"), knownvalue.Null()))
			}
			if how == "id" {
				state = append(state, acctest.CaptureAttributes(k.addr(), &captured[i]))
			} else {
				// Age encrypts afresh each time, so the two ciphertexts differ;
				// ExpectSealedSecret above proves that both open to the key's
				// secret.
				state = append(state, acctest.ExpectSameAttributes(k.addr(), &captured[i], "encrypted_secret"))
			}
		}
		return resource.TestStep{
			Config:            config(how),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: plan},
			ConfigStateChecks: state,
		}
	}

	var ids []*string
	for i := range keys {
		ids = append(ids, &keys[i].id)
	}
	return []resource.TestStep{
		imported("id"),
		{
			Config: config("removed"),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExpectResourceCount(0),
				// Forgotten, not deleted.
				acctest.ExpectMockKeysExist(env.Mock, ids...),
			},
		},
		imported("identity"),
	}
}

// newIdentityImportKey creates a key in the mock, as the CLI would, for a
// test to import.
func newIdentityImportKey(t *testing.T, env *acctest.Env, owner, typ, name string, ref *ccloud.ObjectReference, body string, sealed bool) identityImportKey {
	t.Helper()
	k, err := env.Mock.CreateAPIKey(owner, ref, name+"-key", "Imported by ID, then by identity.")
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := env.Mock.APIKeySecret(k.ID)
	return identityImportKey{typ: typ, name: name, body: body, id: k.ID, secret: secret, sealed: sealed}
}

// TestAccIdentity_importBlockBulkSecrets imports a Kafka key and a sealed
// Cloud key with their secrets from CONFLUENT_CLOUD_IMPORT_API_SECRETS,
// first by ID, then by identity: both imports give the same state, the
// plain secret of the one and the sealed secret of the other included.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccIdentity_importBlockBulkSecrets(t *testing.T) {
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("identity-bulk", "").ID
	recipient, ageIdentity := newAgeIdentity(t)
	desc := `  description  = "Imported by ID, then by identity."` + "\n"
	keys := []identityImportKey{
		newIdentityImportKey(t, env, owner, "ccloud_kafka_api_key", "plain",
			&ccloud.ObjectReference{ID: acctest.KafkaClusterID, Environment: acctest.EnvironmentID},
			fmt.Sprintf("  owner_id       = %q\n  cluster_id     = %q\n  environment_id = %q\n  display_name   = \"plain-key\"\n%s",
				owner, acctest.KafkaClusterID, acctest.EnvironmentID, desc), false),
		newIdentityImportKey(t, env, owner, "ccloud_cloud_api_key", "sealed", nil,
			fmt.Sprintf("  owner_id          = %q\n  display_name      = \"sealed-key\"\n  secret_recipients = [%q]\n%s",
				owner, recipient, desc), true),
	}
	bulk, err := json.Marshal(map[string]string{
		keys[0].id: keys[0].secret, keys[1].id: keys[1].secret,
		// An entry for a key no import names changes nothing.
		"UNRELATED0000000": ccloud.NewAPISecret(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(provider.EnvImportAPISecret, "")
	t.Setenv(provider.EnvImportAPISecrets, string(bulk))

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: env.Factories,
		Steps:                    identityImportSteps(env, ageIdentity, keys),
	})
}

// TestAccIdentity_importBlockSingleSecret imports one Schema Registry key
// with its secret from CONFLUENT_CLOUD_IMPORT_API_SECRET, first by ID, then
// by identity: both give the same state, with the secret.
//
// It sets process environment variables, so it cannot run in parallel.
func TestAccIdentity_importBlockSingleSecret(t *testing.T) {
	env := acctest.New(t, mockcloud.Options{})
	owner := env.Mock.CreateServiceAccount("identity-single", "").ID
	key := newIdentityImportKey(t, env, owner, "ccloud_schema_registry_api_key", "single",
		&ccloud.ObjectReference{ID: acctest.SchemaRegistryID, Environment: acctest.EnvironmentID},
		fmt.Sprintf("  owner_id           = %q\n  schema_registry_id = %q\n  environment_id     = %q\n"+
			"  display_name       = \"single-key\"\n  description        = \"Imported by ID, then by identity.\"\n",
			owner, acctest.SchemaRegistryID, acctest.EnvironmentID), false)
	t.Setenv(provider.EnvImportAPISecrets, "")
	t.Setenv(provider.EnvImportAPISecret, key.secret)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: env.Factories,
		Steps:                    identityImportSteps(env, "", []identityImportKey{key}),
	})
}
