// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveAdmin serves the /_mock/ endpoints documented in the package comment.
// They bypass counters, audit, latency and faults: they are the test's
// controls, not part of the system under test.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	s.mu.Lock()
	adminKey, adminSecret := s.w.AdminKey, s.w.AdminSecret
	s.mu.Unlock()
	okID := equalConstantTime(id, adminKey)
	okSecret := equalConstantTime(secret, adminSecret)
	if !ok || !okID || !okSecret {
		w.Header().Set("WWW-Authenticate", `Basic error="invalid_key", error_description="The API Key is invalid"`)
		writeError(w, errorf(http.StatusUnauthorized, "user_unauthenticated", "The /_mock/ endpoints need the admin key"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, errorf(http.StatusRequestEntityTooLarge, "request_entity_too_large", "The request body is too large."))
		return
	}
	segs := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/_mock"), "/"), "/")
	route := r.Method + " " + strings.Join(segs, "/")
	if len(segs) == 2 {
		route = r.Method + " " + segs[0] + "/{id}"
	}
	if len(segs) == 3 {
		route = r.Method + " " + segs[0] + "/{id}/" + segs[2]
	}
	arg := ""
	if len(segs) >= 2 {
		arg = segs[1]
	}
	noContent := func(err error) {
		if err != nil {
			var ae *APIError
			if errors.As(err, &ae) {
				writeError(w, ae)
				return
			}
			writeError(w, badRequest("", "%v", err))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
	decode := func(v any) bool {
		if e := decodeBody(body, v); e != nil {
			writeError(w, e)
			return false
		}
		return true
	}

	switch route {
	case "POST faults":
		var f faultJSON
		if !decode(&f) {
			return
		}
		f.Fault.RetryAfter = time.Duration(f.RetryAfter)
		f.Fault.Latency = time.Duration(f.Latency)
		writeJSON(w, http.StatusCreated, map[string]string{"id": s.AddFault(f.Fault)})
	case "DELETE faults":
		s.ClearFaults()
		noContent(nil)
	case "DELETE faults/{id}":
		if !s.RemoveFault(arg) {
			writeError(w, errorf(http.StatusNotFound, "not_found", "No fault %s", arg))
			return
		}
		noContent(nil)
	case "PUT latency":
		var v struct {
			Latency jsonDuration `json:"latency"`
		}
		if decode(&v) {
			s.SetLatency(time.Duration(v.Latency))
			noContent(nil)
		}
	case "PUT propagation-delay":
		var v propagationJSON
		if decode(&v) {
			if err := s.updatePropagation(v.apply); err != nil {
				writeError(w, badRequest("", "%v.", err))
				return
			}
			noContent(nil)
		}
	case "GET propagation-delay":
		writeJSON(w, http.StatusOK, s.Propagation().toJSON())
	case "PUT owners/{id}/authorization":
		var v struct {
			Authorized *bool `json:"authorized"`
		}
		if decode(&v) {
			if v.Authorized == nil {
				writeError(w, badRequest("/authorized", "The property 'authorized' is required."))
				return
			}
			s.SetOwnerAuthorized(arg, *v.Authorized)
			noContent(nil)
		}
	case "GET owners/{id}/authorization":
		writeJSON(w, http.StatusOK, map[string]bool{"authorized": s.OwnerAuthorized(arg)})
	case "GET api-keys/{id}/propagation":
		first, full, ok := s.KeyPropagation(arg)
		if !ok {
			writeError(w, errKeyNotFound(arg))
			return
		}
		brokers, _ := s.KeyBrokerTimes(arg)
		writeJSON(w, http.StatusOK, map[string]any{"first": first, "full": full, "brokers": brokers})
	case "GET api-keys/{id}/usage":
		writeJSON(w, http.StatusOK, s.KeyUsage(arg))
	case "GET key-usage":
		writeJSON(w, http.StatusOK, s.AllKeyUsage())
	case "PUT quotas":
		var q Quotas
		if decode(&q) {
			s.SetQuotas(q)
			noContent(nil)
		}
	case "GET quotas":
		s.mu.Lock()
		q := s.quotas
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, q)
	case "POST api-keys/{id}/backdate":
		var v struct {
			CreatedAt time.Time `json:"created_at"`
		}
		if decode(&v) {
			noContent(s.BackdateAPIKey(arg, v.CreatedAt))
		}
	case "GET counters":
		writeJSON(w, http.StatusOK, s.RequestCounts())
	case "DELETE counters":
		s.ResetCounters()
		noContent(nil)
	case "GET requests":
		reqs := s.Requests(r.URL.Query().Get("route"))
		if reqs == nil {
			reqs = []RecordedRequest{}
		}
		writeJSON(w, http.StatusOK, reqs)
	case "GET audit":
		ev := s.AuditLog()
		if ev == nil {
			ev = []AuditEvent{}
		}
		writeJSON(w, http.StatusOK, ev)
	case "DELETE audit":
		s.ClearAuditLog()
		noContent(nil)
	case "DELETE clusters/{id}":
		noContent(s.DeleteCluster(arg))
	case "DELETE users/{id}":
		noContent(s.DeleteUser(arg))
	default:
		writeError(w, errorf(http.StatusNotFound, "not_found", "No admin endpoint %s %s", r.Method, r.URL.Path))
	}
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
