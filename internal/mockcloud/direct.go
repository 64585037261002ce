// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/json"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The methods in this file give tests direct access to the store: no
// authentication, no counters, no audit events, no latency and no faults.
// They apply the same validation and quotas as the HTTP API, and return
// *APIError values carrying the status the API would have answered. Objects
// come back as the client's types, decoded from the mock's own wire shape
// (see asClient), so tests compare like with like.

// asClient re-reads a wire object as the client's type T: exactly what the
// client would decode from the same answer.
func asClient[T any](v any) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		// Only the mock's own types are encoded here, so this is a bug.
		panic("mockcloud: re-reading a wire object: " + err.Error())
	}
	return out
}

// APIKeys returns every live key in creation order, without secrets.
func (s *Server) APIKeys() []ccloud.APIKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ccloud.APIKey, 0, len(s.world.Keys))
	for _, k := range s.world.Keys {
		out = append(out, asClient[ccloud.APIKey](s.world.keyObject(k, s.baseURL, false)))
	}
	return out
}

// APIKeySecret returns the secret of a live key.
func (s *Server) APIKeySecret(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.world.key(id); k != nil {
		return k.Secret, true
	}
	return "", false
}

// ServiceAccounts returns every service account in creation order.
func (s *Server) ServiceAccounts() []ccloud.ServiceAccount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ccloud.ServiceAccount, 0, len(s.world.SAs))
	for _, sa := range s.world.SAs {
		out = append(out, asClient[ccloud.ServiceAccount](s.world.saObject(sa, s.baseURL)))
	}
	return out
}

// CreateServiceAccount creates a service account. Unlike the API it skips
// the checks (name length, uniqueness, quota), so tests can build any world,
// including ones the API would refuse; an empty name gets a generated one.
func (s *Server) CreateServiceAccount(displayName, description string) ccloud.ServiceAccount {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	id := s.world.newSAID()
	if displayName == "" {
		displayName = id
	}
	sa := &saRec{Seq: s.world.next(), ID: id, DisplayName: displayName, Description: description, CreatedAt: now, UpdatedAt: now}
	s.world.SAs = append(s.world.SAs, sa)
	s.persistLocked()
	return asClient[ccloud.ServiceAccount](s.world.saObject(sa, s.baseURL))
}

// CreateAPIKey creates a key as POST /iam/v2/api-keys would, with the same
// checks and quotas. The result carries the secret. A nil resource makes a
// Cloud key.
func (s *Server) CreateAPIKey(owner string, resource *ccloud.ObjectReference, displayName, description string) (ccloud.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ref *wireRef
	if resource != nil {
		ref = &wireRef{ID: resource.ID, Environment: resource.Environment, APIVersion: resource.APIVersion, Kind: resource.Kind}
	}
	k, err := s.world.createKey(owner, ref, displayName, description, s.clock(), s.quotas)
	if err != nil {
		return ccloud.APIKey{}, err
	}
	s.persistLocked()
	return asClient[ccloud.APIKey](s.world.keyObject(k, s.baseURL, true)), nil
}

// DeleteAPIKey deletes a key. Like the API, a key deleted before answers
// 403 and an unknown one 404.
func (s *Server) DeleteAPIKey(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.world.deleteKey(id, s.clock()); err != nil {
		return err
	}
	s.persistLocked()
	return nil
}

// DeleteServiceAccount deletes a service account and its keys.
func (s *Server) DeleteServiceAccount(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.world.deleteSA(id, s.clock()); err != nil {
		return err
	}
	s.persistLocked()
	return nil
}

// DeleteUser deletes a user and the user's keys, as happens when someone
// leaves the organisation.
func (s *Server) DeleteUser(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.world.deleteUser(id, s.clock()); err != nil {
		return err
	}
	if id == s.adminPrincipal {
		// The admin key stays usable; only its audit principal changes.
		s.adminPrincipal = ""
	}
	s.persistLocked()
	return nil
}

// DeleteCluster deletes a Kafka cluster, Schema Registry or ksqlDB cluster
// and every key scoped to it.
func (s *Server) DeleteCluster(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.world.deleteCluster(id, s.clock()); err != nil {
		return err
	}
	s.persistLocked()
	return nil
}

// BackdateAPIKey sets a key's created_at (and updated_at, if that would
// otherwise precede it), so rotation schedules can be tested without
// waiting. A key backdated beyond the propagation delay authenticates at
// once.
func (s *Server) BackdateAPIKey(id string, createdAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.world.lookupKey(id)
	if err != nil {
		return err
	}
	k.CreatedAt = createdAt.UTC().Truncate(time.Microsecond)
	if k.UpdatedAt.Before(k.CreatedAt) {
		k.UpdatedAt = k.CreatedAt
	}
	s.persistLocked()
	return nil
}

// SetAPIKeyUpdatedAt sets a key's updated_at (and created_at, if that
// would otherwise follow it), as if its last change had happened then:
// tests plant the key of a run that died a while ago, whose create marker's
// lease the API stamped back then.
func (s *Server) SetAPIKeyUpdatedAt(id string, updatedAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.world.lookupKey(id)
	if err != nil {
		return err
	}
	k.UpdatedAt = updatedAt.UTC().Truncate(time.Microsecond)
	if k.CreatedAt.After(k.UpdatedAt) {
		k.CreatedAt = k.UpdatedAt
	}
	s.persistLocked()
	return nil
}
