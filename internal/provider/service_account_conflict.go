// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// createdAccounts remembers the service accounts this provider created in
// the current operation, by display name, and the creates still in flight.
// A 409 against one of them means two resources of the configuration share
// a name, and importing would make both manage one account, so the conflict
// message must not suggest it. The other resource's create may still be on
// its way back when the 409 arrives (the server made its account first, so
// it answered the other request first, but nothing orders the two
// answers), which is why a conflict waits for creates of the same name.
type createdAccounts struct {
	mu       sync.Mutex
	byName   map[string]string
	inflight map[string]int
	// changed is closed, and replaced, whenever either map changes.
	changed chan struct{}
}

// conflictWait bounds how long a conflict waits for another create of the
// same name in this run to come back.
const conflictWait = 5 * time.Second

// changedLocked wakes the waiters; c.mu must be held.
func (c *createdAccounts) changedLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// begin records a create of name in flight; the returned function ends it,
// with the new account's ID or "" when the create failed.
func (c *createdAccounts) begin(name string) func(id string) {
	if c == nil {
		return func(string) {}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight == nil {
		c.inflight = map[string]int{}
	}
	c.inflight[name]++
	var once sync.Once
	return func(id string) {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.inflight[name]--; c.inflight[name] <= 0 {
				delete(c.inflight, name)
			}
			if id != "" {
				if c.byName == nil {
					c.byName = map[string]string{}
				}
				c.byName[name] = id
			}
			c.changedLocked()
		})
	}
}

// await returns the ID of the account this run created with name, for a
// caller whose own create of name is still counted in flight: while
// another create of that name is in flight too, it waits (at most
// conflictWait) for it to come back.
func (c *createdAccounts) await(ctx context.Context, name string) (string, bool) {
	if c == nil {
		return "", false
	}
	timer := time.NewTimer(conflictWait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		id, ok := c.byName[name]
		others := c.inflight[name] - 1
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed := c.changed
		c.mu.Unlock()
		if ok || others <= 0 {
			return id, ok
		}
		select {
		case <-changed:
		case <-timer.C:
			return "", false
		case <-ctx.Done():
			return "", false
		}
	}
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
	if otherID, ok := created.await(ctx, name); ok {
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
