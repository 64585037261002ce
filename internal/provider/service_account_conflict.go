// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// createdAccounts remembers the service accounts this provider created in
// the current operation, by display name. A 409 against one of them means
// two resources of the configuration share a name, and importing would
// make both manage one account, so the conflict message must not suggest it.
type createdAccounts struct {
	mu     sync.Mutex
	byName map[string]string
}

func (c *createdAccounts) add(name, id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byName == nil {
		c.byName = map[string]string{}
	}
	c.byName[name] = id
}

func (c *createdAccounts) lookup(name string) (string, bool) {
	if c == nil {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.byName[name]
	return id, ok
}

// createdAccounts returns d's memory of created accounts, or nil.
func (d *providerData) createdAccounts() *createdAccounts {
	if d == nil || d.run == nil {
		return nil
	}
	return &d.run.accounts
}

// serviceAccountConflictDetail explains a 409 on create: display names are
// unique organisation-wide. When this operation created the other account,
// two resources share the name and the fix is renaming one. Otherwise an
// import block can adopt the existing account, but only if no other
// resource manages it, which the provider cannot see, so the message says
// how to tell.
func serviceAccountConflictDetail(ctx context.Context, client *ccloud.Client, created *createdAccounts, name string, err error) string {
	id := "sa-..."
	if found, lerr := client.ListServiceAccounts(ctx, name); lerr == nil {
		for _, sa := range found {
			if sa.DisplayName == name {
				id = sa.ID
				break
			}
		}
	} else {
		tflog.Debug(ctx, "could not look up the conflicting service account", map[string]any{"error": lerr.Error()})
	}
	// Checked after the lookup: the other resource's create may still be
	// recording its account when this one's conflict comes back.
	if otherID, ok := created.lookup(name); ok {
		return fmt.Sprintf("A service account named %q already exists: another ccloud_service_account in this "+
			"configuration created it (%s) in this same run. Service account names are unique across the whole "+
			"organisation, so two resources cannot have the same display_name. Give each resource its own "+
			"display_name. Do not import %s into this resource: two resources would then manage one account, and "+
			"destroying either would delete it for both.\n\nAPI error: %s", name, otherID, otherID, err)
	}
	return fmt.Sprintf("A service account named %q already exists (%s). Service account names are unique across "+
		"the whole organisation, not per environment.\n\n"+
		"First check that no other resource manages that account: search this configuration and its state "+
		"(terraform state list, then terraform state show) and other configurations for %s or for another "+
		"ccloud_service_account with display_name %q. If one does, give this resource another display_name; "+
		"importing would make two resources manage one account, and destroying either would delete it for both.\n\n"+
		"If nothing manages it and this resource should, adopt it with an import block (replacing <name> with "+
		"this resource's name) and apply again:\n\n"+
		"import {\n  to = ccloud_service_account.<name>\n  id = %q\n}\n\n"+
		"Otherwise choose another display_name.\n\nAPI error: %s", name, id, id, name, id, err)
}
