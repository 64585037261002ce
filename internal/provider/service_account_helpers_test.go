// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The helpers below change the mock behind Terraform's back, the way a
// colleague in the console or another tool would.

// saMockCreate creates a service account directly in the mock and returns
// its ID.
func saMockCreate(t *testing.T, env *acctest.Env, name, description string) string {
	t.Helper()
	return env.Mock.CreateServiceAccount(name, description).ID
}

func saMockDelete(t *testing.T, env *acctest.Env, id string) {
	t.Helper()
	if err := env.Mock.DeleteServiceAccount(id); err != nil {
		t.Fatalf("deleting service account %s in the mock: %v", id, err)
	}
}

// saMockRename renames an account through the API, as the mock has no
// direct control for it.
func saMockRename(t *testing.T, env *acctest.Env, from, to string) {
	t.Helper()
	found := acctest.MockServiceAccountsNamed(env.Mock, from)
	if len(found) != 1 {
		t.Fatalf("the mock has %d service accounts named %q, want 1", len(found), from)
	}
	key, secret := env.Mock.Credentials()
	c, err := ccloud.New(ccloud.Config{Endpoint: env.Mock.URL(), APIKey: key, APISecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateServiceAccount(context.Background(), found[0].ID, ccloud.ServiceAccountUpdate{DisplayName: &to}); err != nil {
		t.Fatalf("renaming service account %s in the mock: %v", found[0].ID, err)
	}
}

// saMockCreateKey creates an API key owned by owner in the mock. An empty
// resource makes a Cloud key; cluster IDs get the default environment.
func saMockCreateKey(t *testing.T, env *acctest.Env, owner, resourceID, name string) string {
	t.Helper()
	var ref *ccloud.ObjectReference
	if resourceID != "" {
		ref = &ccloud.ObjectReference{ID: resourceID, Environment: acctest.EnvironmentID}
	}
	k, err := env.Mock.CreateAPIKey(owner, ref, name, "")
	if err != nil {
		t.Fatalf("creating an API key for %s in the mock: %v", owner, err)
	}
	return k.ID
}

func saMockDeleteKey(t *testing.T, env *acctest.Env, id string) {
	t.Helper()
	if err := env.Mock.DeleteAPIKey(id); err != nil {
		t.Fatalf("deleting API key %s in the mock: %v", id, err)
	}
}
