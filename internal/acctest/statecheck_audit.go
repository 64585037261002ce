// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The checks below read the mock's audit log, which records the order in
// which keys were created, first worked and were deleted.

// auditIndex returns the position of the first audit event with the given
// method about the given key (for Authentication: a successful
// authentication with that key), or -1.
func auditIndex(events []mockcloud.AuditEvent, method, keyID string) int {
	for i, ev := range events {
		if ev.Data.MethodName != method {
			continue
		}
		if method == "Authentication" {
			if ev.Data.AuthenticationInfo.Principal.APIKey == keyID && ev.Data.Result.Status == mockcloud.AuditSuccess {
				return i
			}
			continue
		}
		if keyOf(ev) == keyID {
			return i
		}
	}
	return -1
}

// keyOf returns the API key an event is about, or "".
func keyOf(ev mockcloud.AuditEvent) string {
	for _, r := range ev.Data.CloudResources {
		if r.Resource.Type == "API_KEY" {
			return r.Resource.ResourceID
		}
	}
	return ""
}

// probes counts the authentications with a key: failed and successful.
func probes(events []mockcloud.AuditEvent, keyID string) (failed, succeeded int) {
	for _, ev := range events {
		if ev.Data.MethodName != "Authentication" || ev.Data.AuthenticationInfo.Principal.APIKey != keyID {
			continue
		}
		if ev.Data.Result.Status == mockcloud.AuditSuccess {
			succeeded++
		} else {
			failed++
		}
	}
	return failed, succeeded
}

// ExpectKeyProbed checks that the provider waited until the key of addr
// worked: the mock saw it authenticate on its data plane.
func ExpectKeyProbed(m *mockcloud.Server, addr string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		id, err := stateIDAt(s, addr)
		if err != nil {
			return err
		}
		if auditIndex(m.AuditLog(), "Authentication", id) < 0 {
			return fmt.Errorf("key %s of %s never authenticated: the readiness wait did not probe it", id, addr)
		}
		return nil
	})
}

// ExpectKeyNotProbed checks that the key of addr never tried to
// authenticate, as with wait_for_ready = false.
func ExpectKeyNotProbed(m *mockcloud.Server, addr string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		id, err := stateIDAt(s, addr)
		if err != nil {
			return err
		}
		if failed, succeeded := probes(m.AuditLog(), id); failed+succeeded != 0 {
			return fmt.Errorf("key %s of %s was probed %d times", id, addr, failed+succeeded)
		}
		return nil
	})
}

// ExpectProbedUntilReady checks that the key of each address failed to
// authenticate at least once and at most maxFailures times, and then
// authenticated: the readiness wait polled a key that was not yet working,
// with a bounded backoff.
func ExpectProbedUntilReady(m *mockcloud.Server, maxFailures int, addrs ...string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		events := m.AuditLog()
		for _, addr := range addrs {
			id, err := stateIDAt(s, addr)
			if err != nil {
				return err
			}
			failed, _ := probes(events, id)
			ok := auditIndex(events, "Authentication", id)
			if ok < 0 || failed == 0 {
				return fmt.Errorf("%s key %s: %d failed probes, success at %d; want failures, then a success", addr, id, failed, ok)
			}
			if failed > maxFailures {
				return fmt.Errorf("%s key %s: %d failed probes, want at most %d; the backoff is too eager", addr, id, failed, maxFailures)
			}
		}
		return nil
	})
}

// ExpectKeyUsedFor checks that the mock answered a successful call of the
// audit method (such as GetServiceAccount) authenticated with the key of
// addr.
func ExpectKeyUsedFor(m *mockcloud.Server, addr, method string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		id, err := stateIDAt(s, addr)
		if err != nil {
			return err
		}
		for _, ev := range m.AuditLog() {
			if ev.Data.MethodName == method && ev.Data.AuthenticationInfo.Principal.APIKey == id &&
				ev.Data.Result.Status == mockcloud.AuditSuccess {
				return nil
			}
		}
		return fmt.Errorf("no %s was authenticated with key %s of %s", method, id, addr)
	})
}

// ExpectRotationOrder checks a rotation of addr away from the keys whose
// IDs olds hold: addr has a new key, which was created and authenticated
// before each old key was deleted, and the mock holds exactly the keys in
// state.
func ExpectRotationOrder(m *mockcloud.Server, addr string, olds ...*string) statecheck.StateCheck {
	return checkFunc(func(s *tfjson.State) error {
		newID, err := stateIDAt(s, addr)
		if err != nil {
			return err
		}
		events := m.AuditLog()
		created := auditIndex(events, "CreateAPIKey", newID)
		ready := auditIndex(events, "Authentication", newID)
		for _, old := range deref(olds) {
			if newID == old {
				return fmt.Errorf("the key of %s was not replaced: still %s", addr, newID)
			}
			deleted := auditIndex(events, "DeleteAPIKey", old)
			if created < 0 || ready < 0 || deleted < 0 {
				return fmt.Errorf("audit log lacks events: create of new key %s at %d, its first successful "+
					"authentication at %d, delete of old key %s at %d", newID, created, ready, old, deleted)
			}
			if created >= ready || ready >= deleted {
				return fmt.Errorf("wrong order: create of new key %s at %d, its first successful authentication at %d, "+
					"delete of old key %s at %d; want create < ready < delete", newID, created, ready, old, deleted)
			}
		}
		return mockKeysMatchState(m, s)
	})
}

// ExpectDeletedKeys checks that the audit log holds successful
// DeleteAPIKey events for exactly the keys whose IDs want holds, in order.
func ExpectDeletedKeys(m *mockcloud.Server, want ...*string) statecheck.StateCheck {
	return mockCheck(func() error {
		got := []string{}
		for _, ev := range m.AuditLog() {
			if ev.Data.MethodName == "DeleteAPIKey" && ev.Data.Result.Status == mockcloud.AuditSuccess {
				if id := keyOf(ev); id != "" {
					got = append(got, id)
				}
			}
		}
		if wantIDs := deref(want); !reflect.DeepEqual(got, wantIDs) {
			return fmt.Errorf("deleted keys are %v, want %v", got, wantIDs)
		}
		return nil
	})
}

// keyLife is what the audit log says about one key: where it was created,
// first authenticated and deleted (-1 when never), and whether it
// authenticated a GetServiceAccount.
type keyLife struct {
	created, ready, deleted int
	usedForManagement       bool
}

// keyLives reads the life of every key created or deleted in the audit log.
func keyLives(events []mockcloud.AuditEvent) map[string]*keyLife {
	lives := map[string]*keyLife{}
	for i, ev := range events {
		method := ev.Data.MethodName
		if (method != "CreateAPIKey" && method != "DeleteAPIKey") || ev.Data.Result.Status != mockcloud.AuditSuccess {
			continue
		}
		id := keyOf(ev)
		if id == "" {
			continue
		}
		l := lives[id]
		if l == nil {
			l = &keyLife{created: -1, ready: -1, deleted: -1}
			lives[id] = l
		}
		if method == "CreateAPIKey" {
			l.created = i
		} else {
			l.deleted = i
		}
	}
	for i, ev := range events {
		l := lives[ev.Data.AuthenticationInfo.Principal.APIKey]
		if l == nil || ev.Data.Result.Status != mockcloud.AuditSuccess {
			continue
		}
		if ev.Data.MethodName == "Authentication" && l.ready < 0 {
			l.ready = i
		}
		if ev.Data.MethodName == "GetServiceAccount" {
			l.usedForManagement = true
		}
	}
	return lives
}

// MockKeysCreated returns how many keys the audit log shows created.
func MockKeysCreated(m *mockcloud.Server) int {
	n := 0
	for _, l := range keyLives(m.AuditLog()) {
		if l.created >= 0 {
			n++
		}
	}
	return n
}

// ExpectEveryKeyDeleted checks that every key the audit log shows created
// was also deleted by a DELETE of its own, not taken down with its owner:
// a service account's deletion removes its keys without such an event.
func ExpectEveryKeyDeleted(m *mockcloud.Server) statecheck.StateCheck {
	return mockCheck(func() error {
		var created, kept []string
		for id, l := range keyLives(m.AuditLog()) {
			if l.created < 0 {
				continue
			}
			created = append(created, id)
			if l.deleted < 0 {
				kept = append(kept, id)
			}
		}
		if len(created) == 0 {
			return errors.New("the audit log shows no key created")
		}
		if len(kept) > 0 {
			sort.Strings(kept)
			return fmt.Errorf("of %d keys created, %v were never deleted by a DELETE of their own", len(created), kept)
		}
		return nil
	})
}

// ExpectEphemeralKeys checks the keys of a run of ephemeral resources: the
// mock holds no key afterwards; every key the audit log knows was created,
// worked, and was deleted again, in that order; there were at least
// minKeys of them; and one of them authenticated a GetServiceAccount. It
// records the IDs it saw in seen.
func ExpectEphemeralKeys(m *mockcloud.Server, minKeys int, seen map[string]bool) statecheck.StateCheck {
	return mockCheck(func() error {
		if ids := MockKeyIDs(m); len(ids) != 0 {
			return fmt.Errorf("the mock still holds keys %v after the run", ids)
		}
		lives := keyLives(m.AuditLog())
		used := false
		var problems []string
		for id, l := range lives {
			seen[id] = true
			if l.created < 0 || l.ready <= l.created || l.deleted <= l.ready {
				problems = append(problems, fmt.Sprintf("key %s: created at %d, working at %d, deleted at %d",
					id, l.created, l.ready, l.deleted))
			}
			used = used || l.usedForManagement && l.created < l.deleted
		}
		sort.Strings(problems)
		switch {
		case len(problems) > 0:
			return fmt.Errorf("ephemeral keys did not live as they should: %s", strings.Join(problems, "; "))
		case len(lives) < minKeys:
			return fmt.Errorf("the run created %d keys, want at least %d", len(lives), minKeys)
		case !used:
			return fmt.Errorf("no ephemeral key authenticated a GetServiceAccount")
		}
		return nil
	})
}

// ExpectNotReportedEarly checks that every key in the mock was waited for
// and that its last successful probe, the one that ended its wait, came
// after every Kafka broker (every part of its data plane) knew it: no key
// was reported ready while some requests with it still failed.
func ExpectNotReportedEarly(m *mockcloud.Server) statecheck.StateCheck {
	return checkFunc(func(*tfjson.State) error {
		events := m.AuditLog()
		for _, k := range m.APIKeys() {
			var last time.Time
			for _, ev := range events {
				if ev.Data.MethodName == "Authentication" && ev.Data.AuthenticationInfo.Principal.APIKey == k.ID &&
					ev.Data.Result.Status == mockcloud.AuditSuccess {
					last = ev.Time
				}
			}
			_, full, ok := m.KeyPropagation(k.ID)
			switch {
			case !ok:
				return fmt.Errorf("the mock lost key %s", k.ID)
			case last.IsZero():
				return fmt.Errorf("key %s was never probed successfully: it was not waited for", k.ID)
			case last.Before(full):
				return fmt.Errorf("key %s was reported ready at %s, %s before every broker knew it",
					k.ID, last.Format(time.StampMicro), full.Sub(last))
			}
		}
		return nil
	})
}
