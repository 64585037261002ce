// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// principal is who a request authenticated as.
type principal struct {
	keyID   string
	ownerID string
	scope   keyScope
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
// 401. An authenticated key whose owner is unauthorised gets 403 (see
// authorizeLocked). It reports whether the handler may run.
func (s *Server) authenticate(c *reqCtx) bool {
	id, secret, ok := c.r.BasicAuth()
	s.mu.Lock()
	now := s.clock()
	p, reason := s.checkCredentials(c, id, secret, ok, now)
	s.appendAuthEvent(c, id, reason == "", reason, now)
	authorized := reason != "" || s.authorizeLocked(c, p, now)
	s.mu.Unlock()
	if !authorized {
		return false
	}
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
	w := s.world
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
	first, brokers := s.keyTimesLocked(k)
	if now.Before(first) {
		return principal{}, authNotPropagated
	}
	p := principal{keyID: k.ID, ownerID: k.OwnerID, scope: k.Scope}
	fits := false
	switch c.route.auth {
	case authManagement:
		fits = k.cloudClass()
	case authTableflow:
		fits = k.cloudClass() || k.Scope == scopeTableflow
	case authDataPlane:
		fits = c.route.dataPlane != nil && c.route.dataPlane(c, k)
	}
	if !fits {
		return principal{}, authWrongScope
	}
	// The broker is picked only for a key that fits, so a probe with the
	// wrong key does not move the key's round robin.
	if c.route.kafkaBroker {
		if ok, reason := s.brokerKnowsLocked(k, brokers, now); !ok {
			return principal{}, reason
		}
	}
	return p, ""
}

// keyAuthenticatesLocked reports whether a key exists and is fully
// propagated.
func (s *Server) keyAuthenticatesLocked(id string) bool {
	k := s.world.key(id)
	return k != nil && !s.clock().Before(s.keyFullLocked(k))
}

// KeyAuthenticates reports whether a key exists and is fully propagated (on
// every Kafka broker), so every request with it on its data plane would
// authenticate. Whether the owner is authorised (SetOwnerAuthorized) does
// not matter here.
func (s *Server) KeyAuthenticates(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keyAuthenticatesLocked(id)
}
