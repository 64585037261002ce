// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"slices"
	"strings"
)

// Service accounts.

func (s *Server) listServiceAccounts(c *reqCtx) {
	op := c.audit("GetServiceAccounts", false)
	names := filterValues(c.r.URL.Query(), "display_name")
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	var items []*saRec
	for _, sa := range s.world.SAs {
		if len(names) == 0 || slices.Contains(names, sa.DisplayName) {
			items = append(items, sa)
		}
	}
	writeList(c, items, func(sa *saRec) uint64 { return sa.Seq }, wireIAM, "ServiceAccountList",
		func(sa *saRec) wireServiceAccount { return s.world.saObject(sa, c.base) })
}

func (s *Server) createServiceAccount(c *reqCtx) {
	op := c.audit("CreateServiceAccount", true)
	var req wireServiceAccountCreate
	if err := decodeBody(c.body, &req); err != nil {
		c.fail(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	sa, err := s.world.createSA(req.DisplayName, req.Description, s.clock(), s.quotas)
	if err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	op.saResource(s.world, sa.ID)
	obj := s.world.saObject(sa, c.base)
	c.w.Header().Set("Location", obj.Metadata.Self)
	c.json(http.StatusCreated, obj)
}

func (s *Server) getServiceAccount(c *reqCtx) {
	id := c.param("id")
	op := c.audit("GetServiceAccount", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.saResource(s.world, id)
	sa := s.world.sa(id)
	if sa == nil {
		c.fail(errSANotFound(id))
		return
	}
	c.json(http.StatusOK, s.world.saObject(sa, c.base))
}

func (s *Server) updateServiceAccount(c *reqCtx) {
	id := c.param("id")
	op := c.audit("UpdateServiceAccount", true)
	var req wireServiceAccountUpdate
	if err := decodeBody(c.body, &req); err != nil {
		c.fail(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op.saResource(s.world, id)
	sa, err := s.world.updateSA(id, req.DisplayName, req.Description, s.clock())
	if err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	c.json(http.StatusOK, s.world.saObject(sa, c.base))
}

func (s *Server) deleteServiceAccount(c *reqCtx) {
	id := c.param("id")
	op := c.audit("DeleteServiceAccount", true)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.saResource(s.world, id)
	if err := s.world.deleteSA(id, s.clock()); err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	c.w.WriteHeader(http.StatusNoContent)
}

// API keys.

func (s *Server) listAPIKeys(c *reqCtx) {
	op := c.audit("GetAPIKeys", false)
	q := c.r.URL.Query()
	owners := filterValues(q, "spec.owner")
	resources := filterValues(q, "spec.resource")
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	var items []*keyRec
	for _, k := range s.world.Keys {
		if len(owners) > 0 && !slices.Contains(owners, k.OwnerID) {
			continue
		}
		if len(resources) > 0 && !slices.ContainsFunc(resources, func(r string) bool { return resourceMatches(k, r) }) {
			continue
		}
		items = append(items, k)
	}
	writeList(c, items, func(k *keyRec) uint64 { return k.Seq }, wireIAM, "ApiKeyList",
		func(k *keyRec) wireAPIKey { return s.world.keyObject(k, c.base, false) })
}

// resourceMatches is the spec.resource filter: an exact match on the
// resource ID, except that the literal IDs (cloud, tableflow, global) are
// case-insensitive, as they are on create.
func resourceMatches(k *keyRec, want string) bool {
	if k.ResourceID == want {
		return true
	}
	switch k.Scope {
	case scopeCloud, scopeTableflow, scopeGlobal:
		return strings.EqualFold(k.ResourceID, want)
	}
	return false
}

func (s *Server) createAPIKey(c *reqCtx) {
	op := c.audit("CreateAPIKey", true)
	var req wireAPIKeyCreate
	if err := decodeBody(c.body, &req); err != nil {
		c.fail(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	k, err := s.world.createKey(req.Spec.Owner.ID, req.Spec.Resource, req.Spec.DisplayName, req.Spec.Description, s.clock(), s.quotas)
	if err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	op.keyResources(s.world, k.ID, k)
	obj := s.world.keyObject(k, c.base, true)
	c.w.Header().Set("Location", obj.Metadata.Self)
	c.json(http.StatusAccepted, obj)
}

func (s *Server) getAPIKey(c *reqCtx) {
	id := c.param("id")
	op := c.audit("GetAPIKey", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.world.lookupKey(id)
	op.keyResources(s.world, id, k)
	if err != nil {
		c.fail(err)
		return
	}
	c.json(http.StatusOK, s.world.keyObject(k, c.base, false))
}

func (s *Server) updateAPIKey(c *reqCtx) {
	id := c.param("id")
	op := c.audit("UpdateAPIKey", true)
	var req wireAPIKeyUpdate
	if err := decodeBody(c.body, &req); err != nil {
		c.fail(err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.world.lookupKey(id)
	op.keyResources(s.world, id, k)
	if err != nil {
		c.fail(err)
		return
	}
	if o := req.Spec.Owner; o != nil && o.ID != "" && o.ID != k.OwnerID {
		c.fail(badRequest("/spec/owner", "The owner of an API key cannot be changed."))
		return
	}
	if r := req.Spec.Resource; r != nil && r.ID != "" && !resourceMatches(k, r.ID) {
		c.fail(badRequest("/spec/resource", "The resource of an API key cannot be changed."))
		return
	}
	k, err = s.world.updateKey(id, req.Spec.DisplayName, req.Spec.Description, s.clock())
	if err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	c.json(http.StatusOK, s.world.keyObject(k, c.base, false))
}

func (s *Server) deleteAPIKey(c *reqCtx) {
	id := c.param("id")
	op := c.audit("DeleteAPIKey", true)
	s.mu.Lock()
	defer s.mu.Unlock()
	k, _ := s.world.lookupKey(id)
	op.keyResources(s.world, id, k)
	if err := s.world.deleteKey(id, s.clock()); err != nil {
		c.fail(err)
		return
	}
	s.persistLocked()
	c.w.WriteHeader(http.StatusNoContent)
}

// Users.

func (s *Server) listUsers(c *reqCtx) {
	op := c.audit("GetUsers", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	writeList(c, s.world.Users, func(u *userRec) uint64 { return u.Seq }, wireIAM, "UserList",
		func(u *userRec) wireUser { return s.world.userObject(u, c.base) })
}

func (s *Server) getUser(c *reqCtx) {
	id := c.param("id")
	op := c.audit("GetUser", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.subject = s.world.crn("user=" + id)
	op.resources = []AuditCloudResource{{Scope: AuditScope{Resources: s.orgScope()}, Resource: AuditResource{Type: "USER", ResourceID: id}}}
	u := s.world.user(id)
	if u == nil {
		c.fail(errUserNotFound(id))
		return
	}
	c.json(http.StatusOK, s.world.userObject(u, c.base))
}
