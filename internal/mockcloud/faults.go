// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is what a Fault does to a request.
type FaultKind int

const (
	// FaultStatus answers with Status before the request is acted on.
	FaultStatus FaultKind = iota
	// FaultDrop closes the connection before the request is handled.
	FaultDrop
	// FaultLoseResponse handles the request and commits its change, then
	// closes the connection without answering.
	FaultLoseResponse
	// FaultLatency delays the request by Latency before it is handled.
	FaultLatency
)

var faultKindNames = map[FaultKind]string{
	FaultStatus:       "status",
	FaultDrop:         "drop",
	FaultLoseResponse: "lose_response",
	FaultLatency:      "latency",
}

func (k FaultKind) String() string {
	if n, ok := faultKindNames[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind by name, as the admin endpoints use it.
func (k FaultKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind name.
func (k *FaultKind) UnmarshalText(b []byte) error {
	for kind, name := range faultKindNames {
		if strings.EqualFold(string(b), name) {
			*k = kind
			return nil
		}
	}
	return fmt.Errorf("unknown fault kind %q", b)
}

// Fault is a failure injected into matching requests.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string `json:"method,omitempty"`
	// Route matches the route key, e.g. "POST /iam/v2/api-keys" or
	// "GET /iam/v2/api-keys/{id}"; "" matches every route except /_mock/.
	Route string    `json:"route,omitempty"`
	Kind  FaultKind `json:"kind"`
	// Status is the answer of a FaultStatus: 429 also sends Retry-After
	// and X-RateLimit-Reset; 0 means 500.
	Status int `json:"status,omitempty"`
	// RetryAfter is sent with a 429, rounded up to whole seconds, at least 1.
	RetryAfter time.Duration `json:"-"`
	// Latency is the delay of a FaultLatency.
	Latency time.Duration `json:"-"`
	// Count applies the fault to the next Count matching requests. With
	// Count 0 the fault fires with probability Rate, and with Rate 0 too it
	// fires on every matching request until removed.
	Count int     `json:"count,omitempty"`
	Rate  float64 `json:"rate,omitempty"`
}

// faultJSON is the admin endpoints' form of a Fault, with durations as
// strings.
type faultJSON struct {
	Fault
	RetryAfter jsonDuration `json:"retry_after,omitempty"`
	Latency    jsonDuration `json:"latency,omitempty"`
}

type faultState struct {
	id        string
	f         Fault
	remaining int
}

// AddFault installs a fault and returns its ID.
func (s *Server) AddFault(f Fault) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultSeq++
	id := "fault-" + strconv.Itoa(s.faultSeq)
	s.faults = append(s.faults, &faultState{id: id, f: f, remaining: f.Count})
	return id
}

// RemoveFault removes one fault, reporting whether it existed.
func (s *Server) RemoveFault(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, fs := range s.faults {
		if fs.id == id {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			return true
		}
	}
	return false
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

type faultDecision struct {
	latency time.Duration
	fault   *Fault
}

// pickFaults decides which faults apply to a request. Latency faults add up;
// of the other kinds the first installed one that fires wins, and only that
// one uses up its count.
func (s *Server) pickFaults(method, routeKey string) faultDecision {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d faultDecision
	kept := s.faults[:0:0]
	for _, fs := range s.faults {
		f := fs.f
		matches := (f.Method == "" || strings.EqualFold(f.Method, method)) && (f.Route == "" || f.Route == routeKey)
		if matches && (f.Kind == FaultLatency || d.fault == nil) && s.fires(fs) {
			if f.Kind == FaultLatency {
				d.latency += f.Latency
			} else {
				d.fault = &f
			}
			if f.Count > 0 {
				fs.remaining--
				if fs.remaining <= 0 {
					continue
				}
			}
		}
		kept = append(kept, fs)
	}
	s.faults = kept
	return d
}

func (s *Server) fires(fs *faultState) bool {
	switch {
	case fs.f.Count > 0:
		return fs.remaining > 0
	case fs.f.Rate > 0:
		return s.rng.Float64() < fs.f.Rate
	default:
		return true
	}
}

// writeFaultStatus answers a FaultStatus.
func (s *Server) writeFaultStatus(w http.ResponseWriter, f *Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	switch status {
	case http.StatusTooManyRequests:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		secs = max(secs, 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(rateLimitLimit))
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.Itoa(secs))
		writeError(w, errorf(status, "too_many_requests", "Too many requests, retry after %d seconds.", secs))
	case http.StatusServiceUnavailable:
		writeError(w, errorf(status, "service_unavailable", "The service is temporarily unavailable; the request was not processed."))
	default:
		code := strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
		if code == "" {
			code = "injected_fault"
		}
		writeError(w, errorf(status, code, "Injected fault: %d %s.", status, http.StatusText(status)))
	}
}

// jsonDuration is a duration in JSON: a Go duration string or a number of
// seconds.
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		v, err := time.ParseDuration(str)
		if err != nil {
			return err
		}
		*d = jsonDuration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("a duration must be a string like \"2s\" or a number of seconds")
	}
	*d = jsonDuration(secs * float64(time.Second))
	return nil
}
