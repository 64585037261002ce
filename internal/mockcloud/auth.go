// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// principal is who a request authenticated as.
type principal struct {
	keyID   string
	ownerID string
	admin   bool
}

// Reasons an authentication fails; they go into the audit log, never to
// the client, which always sees the same 401.
const (
	authNoCredentials = "no credentials"
	authUnknownKey    = "unknown key"
	authBadSecret     = "wrong secret"
	authNotPropagated = "key not yet propagated"
	authWrongScope    = "key scope does not fit the route"
)

func equalConstantTime(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// authenticate checks the request's Basic credentials against the route's
// auth class, logs an Authentication audit event and, on failure, answers
// 401. It reports whether the handler may run.
func (s *Server) authenticate(c *reqCtx) bool {
	id, secret, ok := c.r.BasicAuth()
	s.mu.Lock()
	now := s.clock()
	p, reason := s.checkCredentials(c, id, secret, ok, now)
	s.appendAuthEvent(c, id, reason == "", reason, now)
	s.mu.Unlock()
	if reason != "" {
		c.w.Header().Set("WWW-Authenticate", `Basic error="invalid_key", error_description="The API Key is invalid"`)
		e := errorf(http.StatusUnauthorized, "user_unauthenticated", "Valid authentication credentials must be provided")
		c.fail(e)
		return false
	}
	c.principal = p
	return true
}

// checkCredentials must be called with s.mu held.
func (s *Server) checkCredentials(c *reqCtx, id, secret string, ok bool, now time.Time) (principal, string) {
	if !ok || id == "" {
		return principal{}, authNoCredentials
	}
	w := s.w
	// Compare both parts even when the first differs, so timing says
	// nothing about which one was wrong.
	adminID := equalConstantTime(id, w.AdminKey)
	adminSecret := equalConstantTime(secret, w.AdminSecret)
	if adminID {
		if !adminSecret {
			return principal{}, authBadSecret
		}
		if c.route.auth == authDataPlane {
			return principal{}, authWrongScope
		}
		return principal{keyID: id, ownerID: s.adminPrincipal, admin: true}, ""
	}
	k := w.key(id)
	if k == nil {
		equalConstantTime(secret, w.AdminSecret)
		return principal{}, authUnknownKey
	}
	if !equalConstantTime(secret, k.Secret) {
		return principal{}, authBadSecret
	}
	if now.Sub(k.CreatedAt) < s.propagationDelay {
		return principal{}, authNotPropagated
	}
	p := principal{keyID: k.ID, ownerID: k.OwnerID}
	switch c.route.auth {
	case authManagement:
		if k.cloudClass() {
			return p, ""
		}
	case authTableflow:
		if k.cloudClass() || k.Scope == ccloud.ScopeTableflow {
			return p, ""
		}
	case authDataPlane:
		if c.route.dataPlane != nil && c.route.dataPlane(c, k) {
			return p, ""
		}
	}
	return principal{}, authWrongScope
}

// keyAuthenticatesLocked reports whether a key exists and its propagation
// delay has passed.
func (s *Server) keyAuthenticatesLocked(id string) bool {
	k := s.w.key(id)
	return k != nil && s.clock().Sub(k.CreatedAt) >= s.propagationDelay
}

// KeyAuthenticates reports whether a key exists and its propagation delay
// has passed, so it would authenticate on its data plane.
func (s *Server) KeyAuthenticates(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyAuthenticatesLocked(id)
}
