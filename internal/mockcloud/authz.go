// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"time"
)

// On the real cloud a key whose owner has no role binding on the resource
// authenticates but is not authorised: its data plane answers 403. The mock
// models that with a set of unauthorised owners. Cloud keys are left alone
// on the management API: the role a management call needs depends on the
// call, and the provider's tests use Cloud keys only as credentials that
// work.

// authzForbidden is the audit reason of a 403 for an unauthorised owner.
const authzForbidden = "owner has no role binding on the resource"

// SetOwnerAuthorized marks an owner (sa-... or u-...) authorised or not.
// The propagated keys of an unauthorised owner answer 403 on their data
// plane (and Tableflow keys on the Tableflow routes) instead of serving the
// request. The owner need not exist yet.
func (s *Server) SetOwnerAuthorized(ownerID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		delete(s.unauthorized, ownerID)
	} else {
		s.unauthorized[ownerID] = true
	}
}

// OwnerAuthorized reports whether an owner is authorised (the default).
func (s *Server) OwnerAuthorized(ownerID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.unauthorized[ownerID]
}

// needsAuthorization reports whether a request by p is subject to the
// owner check: data-plane routes, and Tableflow keys on the Tableflow
// routes, which are their data plane.
func needsAuthorization(c *reqCtx, p principal) bool {
	if p.admin {
		return false
	}
	switch c.route.auth {
	case authDataPlane:
		return true
	case authTableflow:
		return p.scope == scopeTableflow
	}
	return false
}

// authorizeLocked answers 403 and logs an Authorize event when the owner of
// an authenticated key is unauthorised. It reports whether the handler may
// run. s.mu must be held.
func (s *Server) authorizeLocked(c *reqCtx, p principal, now time.Time) bool {
	if !needsAuthorization(c, p) || !s.unauthorized[p.ownerID] {
		return true
	}
	ev := s.newEvent(c, "Authorize", now)
	ev.Data.AuthenticationInfo = AuditAuthenticationInfo{Principal: principalOf(p.keyID, p.ownerID), Result: AuditSuccess}
	ev.Data.Result = AuditResult{Status: AuditFailure, HTTPStatus: http.StatusForbidden, Reason: authzForbidden}
	ev.Data.CloudResources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: s.orgScope()},
		Resource: AuditResource{Type: "API_KEY", ResourceID: p.keyID},
	}}
	s.appendEventLocked(ev)
	kind := "service account"
	if isUserID(p.ownerID) {
		kind = "user"
	}
	e := errorf(http.StatusForbidden, "user_unauthorized", "The %s '%s' is not allowed to access this resource without a role binding.", kind, p.ownerID)
	e.Title = "User Access Unauthorized"
	c.fail(e)
	return false
}

// KeyUsage counts the answers to requests that presented one API key (not
// the admin key), on any route other than /_mock/. Requests answered by a
// fault before authentication are not counted.
type KeyUsage struct {
	OK              int `json:"ok"`              // 2xx answers.
	Unauthenticated int `json:"unauthenticated"` // 401: not (yet) propagated, wrong secret or wrong scope.
	Forbidden       int `json:"forbidden"`       // 403: the owner is not authorised.
	Other           int `json:"other"`           // Any other status.
}

// countKeyUse adds one answer to a key's usage. Only IDs of live or deleted
// keys are counted, so a client sending random IDs cannot grow the map
// without bound.
func (s *Server) countKeyUse(id string, status int) {
	if id == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == s.world.AdminKey {
		return
	}
	if _, deleted := s.world.DeletedKeys[id]; !deleted && s.world.key(id) == nil {
		return
	}
	u := s.keyUse[id]
	if u == nil {
		u = &KeyUsage{}
		s.keyUse[id] = u
	}
	switch {
	case status >= 200 && status < 300:
		u.OK++
	case status == http.StatusUnauthorized:
		u.Unauthenticated++
	case status == http.StatusForbidden:
		u.Forbidden++
	default:
		u.Other++
	}
}

// KeyUsage returns the answers counted for a key since the start or the
// last ResetCounters.
func (s *Server) KeyUsage(id string) KeyUsage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.keyUse[id]; u != nil {
		return *u
	}
	return KeyUsage{}
}

// AllKeyUsage returns the usage of every key that has been presented.
func (s *Server) AllKeyUsage() map[string]KeyUsage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]KeyUsage, len(s.keyUse))
	for id, u := range s.keyUse {
		out[id] = *u
	}
	return out
}

// DataPlaneAuthFailures returns how many requests presenting the key were
// refused with 401 or 403: the failed readiness probes of a key, whether on
// its data plane or, for Cloud and Tableflow keys, on the management routes
// they are probed on.
func (s *Server) DataPlaneAuthFailures(id string) int {
	u := s.KeyUsage(id)
	return u.Unauthenticated + u.Forbidden
}
