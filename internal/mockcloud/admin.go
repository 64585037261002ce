// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"
)

// The /_mock/ endpoints' handlers; router.go maps the patterns to them.
// They bypass counters, audit, latency and faults: they are the test's
// controls, not part of the system under test.

// adminNotFound answers an unknown admin endpoint (or method) once the
// request has authenticated.
func adminNotFound(a *adminReq) {
	writeError(a.w, errorf(http.StatusNotFound, "not_found", "No admin endpoint %s %s", a.r.Method, a.r.URL.Path))
}

// adminAddFault serves POST /_mock/faults.
func (s *Server) adminAddFault(a *adminReq) {
	var f faultJSON
	if a.decode(&f) {
		f.Fault.RetryAfter = time.Duration(f.RetryAfter)
		f.Fault.Latency = time.Duration(f.Latency)
		writeJSON(a.w, http.StatusCreated, map[string]string{"id": s.AddFault(f.Fault)})
	}
}

// adminClearFaults serves DELETE /_mock/faults.
func (s *Server) adminClearFaults(a *adminReq) {
	s.ClearFaults()
	a.noContent(nil)
}

// adminRemoveFault serves DELETE /_mock/faults/{id}.
func (s *Server) adminRemoveFault(a *adminReq) {
	if !s.RemoveFault(a.id()) {
		writeError(a.w, errorf(http.StatusNotFound, "not_found", "No fault %s", a.id()))
		return
	}
	a.noContent(nil)
}

// adminSetLatency serves PUT /_mock/latency.
func (s *Server) adminSetLatency(a *adminReq) {
	var v struct {
		Latency jsonDuration `json:"latency"`
	}
	if a.decode(&v) {
		s.SetLatency(time.Duration(v.Latency))
		a.noContent(nil)
	}
}

// adminSetPropagation serves PUT /_mock/propagation-delay.
func (s *Server) adminSetPropagation(a *adminReq) {
	var v propagationJSON
	if !a.decode(&v) {
		return
	}
	if err := s.updatePropagation(v.apply); err != nil {
		writeError(a.w, badRequest("", "%v.", err))
		return
	}
	a.noContent(nil)
}

// adminGetPropagation serves GET /_mock/propagation-delay.
func (s *Server) adminGetPropagation(a *adminReq) {
	writeJSON(a.w, http.StatusOK, s.Propagation().toJSON())
}

// adminSetOwnerAuthorization serves PUT /_mock/owners/{id}/authorization.
func (s *Server) adminSetOwnerAuthorization(a *adminReq) {
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
}

// adminGetOwnerAuthorization serves GET /_mock/owners/{id}/authorization.
func (s *Server) adminGetOwnerAuthorization(a *adminReq) {
	writeJSON(a.w, http.StatusOK, map[string]bool{"authorized": s.OwnerAuthorized(a.id())})
}

// adminSetDataPlaneBase serves PUT /_mock/data-plane-bases/{id}.
func (s *Server) adminSetDataPlaneBase(a *adminReq) {
	var v struct {
		Base string `json:"base"`
	}
	if !a.decode(&v) {
		return
	}
	if v.Base != "" {
		u, err := url.Parse(v.Base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			writeError(a.w, badRequest("/base", "The property 'base' must be an absolute http(s) URL, or empty."))
			return
		}
	}
	s.SetDataPlaneBase(a.id(), v.Base)
	a.noContent(nil)
}

// adminKeyPropagation serves GET /_mock/api-keys/{id}/propagation.
func (s *Server) adminKeyPropagation(a *adminReq) {
	first, full, ok := s.KeyPropagation(a.id())
	if !ok {
		writeError(a.w, errKeyNotFound(a.id()))
		return
	}
	brokers, _ := s.KeyBrokerTimes(a.id())
	writeJSON(a.w, http.StatusOK, map[string]any{"first": first, "full": full, "brokers": brokers})
}

// adminKeyUsage serves GET /_mock/api-keys/{id}/usage.
func (s *Server) adminKeyUsage(a *adminReq) {
	writeJSON(a.w, http.StatusOK, s.KeyUsage(a.id()))
}

// adminAllKeyUsage serves GET /_mock/key-usage.
func (s *Server) adminAllKeyUsage(a *adminReq) {
	writeJSON(a.w, http.StatusOK, s.AllKeyUsage())
}

// adminBackdateKey serves POST /_mock/api-keys/{id}/backdate.
func (s *Server) adminBackdateKey(a *adminReq) {
	var v struct {
		CreatedAt time.Time `json:"created_at"`
	}
	if a.decode(&v) {
		a.noContent(s.BackdateAPIKey(a.id(), v.CreatedAt))
	}
}

// adminSetQuotas serves PUT /_mock/quotas.
func (s *Server) adminSetQuotas(a *adminReq) {
	var q Quotas
	if a.decode(&q) {
		s.SetQuotas(q)
		a.noContent(nil)
	}
}

// adminGetQuotas serves GET /_mock/quotas.
func (s *Server) adminGetQuotas(a *adminReq) {
	s.mu.Lock()
	q := s.quotas
	s.mu.Unlock()
	writeJSON(a.w, http.StatusOK, q)
}

// adminCounters serves GET /_mock/counters.
func (s *Server) adminCounters(a *adminReq) {
	writeJSON(a.w, http.StatusOK, s.RequestCounts())
}

// adminResetCounters serves DELETE /_mock/counters.
func (s *Server) adminResetCounters(a *adminReq) {
	s.ResetCounters()
	a.noContent(nil)
}

// adminRecordedRequests serves GET /_mock/requests.
func (s *Server) adminRecordedRequests(a *adminReq) {
	reqs := s.Requests(a.r.URL.Query().Get("route"))
	if reqs == nil {
		reqs = []RecordedRequest{}
	}
	writeJSON(a.w, http.StatusOK, reqs)
}

// adminAuditLog serves GET /_mock/audit.
func (s *Server) adminAuditLog(a *adminReq) {
	ev := s.AuditLog()
	if ev == nil {
		ev = []AuditEvent{}
	}
	writeJSON(a.w, http.StatusOK, ev)
}

// adminClearAuditLog serves DELETE /_mock/audit.
func (s *Server) adminClearAuditLog(a *adminReq) {
	s.ClearAuditLog()
	a.noContent(nil)
}

// adminDeleteCluster serves DELETE /_mock/clusters/{id}.
func (s *Server) adminDeleteCluster(a *adminReq) {
	a.noContent(s.DeleteCluster(a.id()))
}

// adminDeleteUser serves DELETE /_mock/users/{id}.
func (s *Server) adminDeleteUser(a *adminReq) {
	a.noContent(s.DeleteUser(a.id()))
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
	adminKey, adminSecret := s.world.AdminKey, s.world.AdminSecret
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
