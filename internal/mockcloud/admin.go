// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// adminRoutes registers the /_mock/ endpoints documented in the package
// comment. They bypass counters, audit, latency and faults: they are the
// test's controls, not part of the system under test. Each needs the admin
// key; an unknown endpoint (or method) is a 404 once authenticated.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	admin := func(pattern string, h func(a *adminReq)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if a, ok := s.adminRequest(w, r); ok {
				h(a)
			}
		})
	}
	notFound := func(a *adminReq) {
		writeError(a.w, errorf(http.StatusNotFound, "not_found", "No admin endpoint %s %s", a.r.Method, a.r.URL.Path))
	}
	admin("/_mock", notFound)
	admin("/_mock/", notFound)
	s.adminFaultRoutes(admin)
	s.adminKeyRoutes(admin)
	s.adminRecordRoutes(admin)
}

// adminHandle registers one admin endpoint.
type adminHandle func(pattern string, h func(a *adminReq))

// adminFaultRoutes are the endpoints that change how the mock behaves:
// faults, latency, propagation and owners' authorisation.
func (s *Server) adminFaultRoutes(admin adminHandle) {
	admin("POST /_mock/faults", func(a *adminReq) {
		var f faultJSON
		if a.decode(&f) {
			f.Fault.RetryAfter = time.Duration(f.RetryAfter)
			f.Fault.Latency = time.Duration(f.Latency)
			writeJSON(a.w, http.StatusCreated, map[string]string{"id": s.AddFault(f.Fault)})
		}
	})
	admin("DELETE /_mock/faults", func(a *adminReq) {
		s.ClearFaults()
		a.noContent(nil)
	})
	admin("DELETE /_mock/faults/{id}", func(a *adminReq) {
		if !s.RemoveFault(a.id()) {
			writeError(a.w, errorf(http.StatusNotFound, "not_found", "No fault %s", a.id()))
			return
		}
		a.noContent(nil)
	})
	admin("PUT /_mock/latency", func(a *adminReq) {
		var v struct {
			Latency jsonDuration `json:"latency"`
		}
		if a.decode(&v) {
			s.SetLatency(time.Duration(v.Latency))
			a.noContent(nil)
		}
	})
	admin("PUT /_mock/propagation-delay", func(a *adminReq) {
		var v propagationJSON
		if !a.decode(&v) {
			return
		}
		if err := s.updatePropagation(v.apply); err != nil {
			writeError(a.w, badRequest("", "%v.", err))
			return
		}
		a.noContent(nil)
	})
	admin("GET /_mock/propagation-delay", func(a *adminReq) {
		writeJSON(a.w, http.StatusOK, s.Propagation().toJSON())
	})
	admin("PUT /_mock/owners/{id}/authorization", func(a *adminReq) {
		var v struct {
			Authorized *bool `json:"authorized"`
		}
		if !a.decode(&v) {
			return
		}
		if v.Authorized == nil {
			writeError(a.w, badRequest("/authorized", "The property 'authorized' is required."))
			return
		}
		s.SetOwnerAuthorized(a.id(), *v.Authorized)
		a.noContent(nil)
	})
	admin("GET /_mock/owners/{id}/authorization", func(a *adminReq) {
		writeJSON(a.w, http.StatusOK, map[string]bool{"authorized": s.OwnerAuthorized(a.id())})
	})
}

// adminKeyRoutes are the endpoints about keys: one key's propagation, use
// and creation time, every key's use, and the quotas.
func (s *Server) adminKeyRoutes(admin adminHandle) {
	admin("GET /_mock/api-keys/{id}/propagation", func(a *adminReq) {
		first, full, ok := s.KeyPropagation(a.id())
		if !ok {
			writeError(a.w, errKeyNotFound(a.id()))
			return
		}
		brokers, _ := s.KeyBrokerTimes(a.id())
		writeJSON(a.w, http.StatusOK, map[string]any{"first": first, "full": full, "brokers": brokers})
	})
	admin("GET /_mock/api-keys/{id}/usage", func(a *adminReq) {
		writeJSON(a.w, http.StatusOK, s.KeyUsage(a.id()))
	})
	admin("GET /_mock/key-usage", func(a *adminReq) {
		writeJSON(a.w, http.StatusOK, s.AllKeyUsage())
	})
	admin("POST /_mock/api-keys/{id}/backdate", func(a *adminReq) {
		var v struct {
			CreatedAt time.Time `json:"created_at"`
		}
		if a.decode(&v) {
			a.noContent(s.BackdateAPIKey(a.id(), v.CreatedAt))
		}
	})
	admin("PUT /_mock/quotas", func(a *adminReq) {
		var q Quotas
		if a.decode(&q) {
			s.SetQuotas(q)
			a.noContent(nil)
		}
	})
	admin("GET /_mock/quotas", func(a *adminReq) {
		s.mu.Lock()
		q := s.quotas
		s.mu.Unlock()
		writeJSON(a.w, http.StatusOK, q)
	})
}

// adminRecordRoutes are the endpoints that read or clear what the mock
// recorded, and remove parts of its world.
func (s *Server) adminRecordRoutes(admin adminHandle) {
	admin("GET /_mock/counters", func(a *adminReq) {
		writeJSON(a.w, http.StatusOK, s.RequestCounts())
	})
	admin("DELETE /_mock/counters", func(a *adminReq) {
		s.ResetCounters()
		a.noContent(nil)
	})
	admin("GET /_mock/requests", func(a *adminReq) {
		reqs := s.Requests(a.r.URL.Query().Get("route"))
		if reqs == nil {
			reqs = []RecordedRequest{}
		}
		writeJSON(a.w, http.StatusOK, reqs)
	})
	admin("GET /_mock/audit", func(a *adminReq) {
		ev := s.AuditLog()
		if ev == nil {
			ev = []AuditEvent{}
		}
		writeJSON(a.w, http.StatusOK, ev)
	})
	admin("DELETE /_mock/audit", func(a *adminReq) {
		s.ClearAuditLog()
		a.noContent(nil)
	})
	admin("DELETE /_mock/clusters/{id}", func(a *adminReq) {
		a.noContent(s.DeleteCluster(a.id()))
	})
	admin("DELETE /_mock/users/{id}", func(a *adminReq) {
		a.noContent(s.DeleteUser(a.id()))
	})
}

// adminReq is one authenticated /_mock/ request with its body read.
type adminReq struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
}

// adminRequest checks the admin key and reads the body, answering 401 or
// 413 itself when it reports false.
func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request) (*adminReq, bool) {
	id, secret, ok := r.BasicAuth()
	s.mu.Lock()
	adminKey, adminSecret := s.w.AdminKey, s.w.AdminSecret
	s.mu.Unlock()
	okID := equalConstantTime(id, adminKey)
	okSecret := equalConstantTime(secret, adminSecret)
	if !ok || !okID || !okSecret {
		w.Header().Set("WWW-Authenticate", `Basic error="invalid_key", error_description="The API Key is invalid"`)
		writeError(w, errorf(http.StatusUnauthorized, "user_unauthenticated", "The /_mock/ endpoints need the admin key"))
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, errorf(http.StatusRequestEntityTooLarge, "request_entity_too_large", "The request body is too large."))
		return nil, false
	}
	return &adminReq{w: w, r: r, body: body}, true
}

// id is the {id} wildcard of the endpoint's pattern.
func (a *adminReq) id() string { return a.r.PathValue("id") }

func (a *adminReq) decode(v any) bool {
	if e := decodeBody(a.body, v); e != nil {
		writeError(a.w, e)
		return false
	}
	return true
}

func (a *adminReq) noContent(err error) {
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			writeError(a.w, ae)
			return
		}
		writeError(a.w, badRequest("", "%v", err))
		return
	}
	a.w.WriteHeader(http.StatusNoContent)
}

// redactSecrets removes spec.secret from a recorded response body, so
// recorded requests never hold a usable credential.
func redactSecrets(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"secret"`)) {
		return append([]byte(nil), body...)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return []byte(`"[unparseable body holding a secret, redacted]"`)
	}
	if spec, ok := obj["spec"].(map[string]any); ok {
		if _, has := spec["secret"]; has {
			spec["secret"] = "[REDACTED]"
		}
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	return out
}
