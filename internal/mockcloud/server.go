// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// Options configures a Server.
type Options struct {
	// APIKey and APISecret are the organisation's admin Cloud key. Both
	// empty means generate them (or reuse the ones in StateFile).
	APIKey, APISecret string
	// PropagationDelay is how long a new key fails authentication (401)
	// after its creation, in every scope without its own delay.
	PropagationDelay time.Duration
	// ScopePropagationDelays overrides PropagationDelay per scope, keyed by
	// the names of PropagationScopes ("kafka", "schema-registry", "ksqldb",
	// "flink", "tableflow", "cloud", "global").
	ScopePropagationDelays map[string]time.Duration
	// PropagationJitter adds to each key's delay its own extra delay, drawn
	// uniformly from [0, PropagationJitter).
	PropagationJitter time.Duration
	// KafkaBrokers is the number of brokers of each Kafka cluster; 0 means
	// DefaultKafkaBrokers when KafkaBrokerWindow is set.
	KafkaBrokers int
	// KafkaBrokerWindow spreads the moments the brokers learn a Kafka key
	// over [D, D+window] after the key's delay D. Each Kafka data-plane
	// request lands on one broker and answers 401 if that broker does not
	// know the key yet. 0 means every broker learns it at D.
	KafkaBrokerWindow time.Duration
	// UnauthorizedOwners lists owners (sa-... or u-...) whose keys
	// authenticate but answer 403 on their data plane, as keys whose owner
	// has no role binding do.
	UnauthorizedOwners []string
	// Latency is added to every request, outside the store lock.
	Latency time.Duration
	// Seed is the starting world; nil means DefaultSeed().
	Seed *Seed
	// Quotas are the limits; zero fields take the defaults.
	Quotas Quotas
	// StateFile, if set, is loaded at start when present and rewritten
	// atomically after every change. It holds every secret, the admin
	// key's included, so it is written with mode 0600.
	StateFile string
	// Clock is the mock's clock, the API's time: the timestamps it writes,
	// its Date header, propagation and leases. Nil means the wall clock at
	// New advanced by the monotonic clock (see monotonicNow). It is the
	// API's own clock, independent of the provider's: tests set it to act
	// as an API whose time differs from the runner's.
	Clock clock.Clock
	// FaultSeed seeds the generator deciding rate-based faults and the
	// per-key propagation draws (jitter, broker times, first broker); 0
	// means a random seed.
	FaultSeed uint64
}

// Quotas are the limits of
// https://docs.confluent.io/cloud/current/quotas/service-quotas.html. "Cluster keys" are the keys of
// every scope other than Cloud (and Global): Kafka, Schema Registry, ksqlDB,
// Flink and Tableflow.
type Quotas struct {
	ServiceAccountsPerOrg        int `json:"service_accounts_per_org,omitempty"`
	CloudKeysPerOrg              int `json:"cloud_keys_per_org,omitempty"`
	CloudKeysPerUser             int `json:"cloud_keys_per_user,omitempty"`
	ClusterKeysPerUser           int `json:"cluster_keys_per_user,omitempty"`
	CloudKeysPerServiceAccount   int `json:"cloud_keys_per_service_account,omitempty"`
	ClusterKeysPerServiceAccount int `json:"cluster_keys_per_service_account,omitempty"`
	KeysPerKafkaCluster          int `json:"keys_per_kafka_cluster,omitempty"`
}

// DefaultQuotas returns the applied limits observed in a real organisation.
func DefaultQuotas() Quotas {
	return Quotas{
		ServiceAccountsPerOrg:        1000,
		CloudKeysPerOrg:              1000,
		CloudKeysPerUser:             10,
		ClusterKeysPerUser:           10,
		CloudKeysPerServiceAccount:   100,
		ClusterKeysPerServiceAccount: 100,
		KeysPerKafkaCluster:          2000,
	}
}

func (q Quotas) withDefaults() Quotas {
	d := DefaultQuotas()
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Quotas{
		ServiceAccountsPerOrg:        pick(q.ServiceAccountsPerOrg, d.ServiceAccountsPerOrg),
		CloudKeysPerOrg:              pick(q.CloudKeysPerOrg, d.CloudKeysPerOrg),
		CloudKeysPerUser:             pick(q.CloudKeysPerUser, d.CloudKeysPerUser),
		ClusterKeysPerUser:           pick(q.ClusterKeysPerUser, d.ClusterKeysPerUser),
		CloudKeysPerServiceAccount:   pick(q.CloudKeysPerServiceAccount, d.CloudKeysPerServiceAccount),
		ClusterKeysPerServiceAccount: pick(q.ClusterKeysPerServiceAccount, d.ClusterKeysPerServiceAccount),
		KeysPerKafkaCluster:          pick(q.KeysPerKafkaCluster, d.KeysPerKafkaCluster),
	}
}

// Limits of the mock.
const (
	maxBodyBytes      = 1 << 20
	maxRecorded       = 10000
	maxAuditEvents    = 100000
	rateLimitLimit    = 1000
	rateLimitWindow   = time.Minute
	unmatchedRouteKey = "UNMATCHED"
)

// Server is the mock Confluent Cloud. It implements http.Handler.
type Server struct {
	now       func() time.Time
	stateFile string
	mux       *http.ServeMux

	// mu guards everything below: the world and the test controls. Latency
	// is slept outside it.
	mu             sync.Mutex
	world          *world
	baseURL        string
	latency        time.Duration
	prop           Propagation
	seed           uint64
	brokerSeq      map[string]uint64
	unauthorized   map[string]bool
	keyUse         map[string]*KeyUsage
	quotas         Quotas
	faults         []*faultState
	faultSeq       int
	rng            *rand.Rand
	counts         map[string]int
	recorded       []RecordedRequest
	audit          []AuditEvent
	rlWindowStart  time.Time
	rlUsed         int
	adminPrincipal string
	saveErr        error
	// dataPlaneBases replaces the base of some resources' data-plane
	// endpoints; see SetDataPlaneBase.
	dataPlaneBases map[string]string

	ts *httptest.Server
	// pipeClient reaches a server started by StartPipe.
	pipeClient *http.Client
}

// New builds a Server. It loads Options.StateFile when the file exists.
func New(opts Options) (*Server, error) {
	if (opts.APIKey == "") != (opts.APISecret == "") {
		return nil, errors.New("mockcloud: APIKey and APISecret must be set together")
	}
	now := monotonicNow()
	if opts.Clock != nil {
		now = opts.Clock.Now
	}
	s := &Server{
		now:          now,
		stateFile:    opts.StateFile,
		latency:      opts.Latency,
		quotas:       opts.Quotas.withDefaults(),
		counts:       map[string]int{},
		brokerSeq:    map[string]uint64{},
		unauthorized: map[string]bool{},
		keyUse:       map[string]*KeyUsage{},
	}
	prop := Propagation{
		Delay:             opts.PropagationDelay,
		ScopeDelays:       opts.ScopePropagationDelays,
		Jitter:            opts.PropagationJitter,
		KafkaBrokers:      opts.KafkaBrokers,
		KafkaBrokerWindow: opts.KafkaBrokerWindow,
	}
	if err := prop.validate(); err != nil {
		return nil, fmt.Errorf("mockcloud: %w", err)
	}
	s.prop = prop.normalised()
	for _, o := range opts.UnauthorizedOwners {
		s.unauthorized[o] = true
	}
	seed := opts.FaultSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s.seed = seed
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	if opts.StateFile != "" {
		w, err := loadState(opts.StateFile)
		if err != nil {
			return nil, err
		}
		s.world = w
	}
	if s.world == nil {
		sd := opts.Seed
		if sd == nil {
			sd = DefaultSeed()
		}
		if err := sd.validate(); err != nil {
			return nil, fmt.Errorf("mockcloud: %w", err)
		}
		s.world = newWorld(sd, s.clock())
	}
	switch {
	case opts.APIKey != "":
		s.world.AdminKey, s.world.AdminSecret = opts.APIKey, opts.APISecret
		s.world.AdminGenerated = false
	case s.world.AdminKey == "":
		s.world.AdminKey, s.world.AdminSecret = s.world.newKeyID(), newSecret()
		s.world.AdminGenerated = true
	}
	if len(s.world.Users) > 0 {
		s.adminPrincipal = s.world.Users[0].ID
	}
	s.mux = s.buildMux(s.routes())
	if err := s.saveLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

// Start runs a Server in-process on 127.0.0.1 for the duration of a test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("mockcloud: %v", err)
	}
	s.ts = httptest.NewServer(s)
	s.SetBaseURL(s.ts.URL)
	t.Cleanup(s.Close)
	return s
}

// SetBaseURL sets the absolute URL used in Location headers, metadata.self,
// metadata.next and endpoints. Until it is set they are derived from the
// request's Host.
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

// URL returns the base URL set by Start or SetBaseURL.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// Credentials returns the organisation's admin Cloud key.
func (s *Server) Credentials() (key, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.world.AdminKey, s.world.AdminSecret
}

// CredentialsGenerated reports whether the mock generated its admin key
// itself (in this run or the one that wrote the state file). Only then may
// a caller print it: a supplied key may be a real one.
func (s *Server) CredentialsGenerated() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.world.AdminGenerated
}

// Close stops the in-process listener, if Start made one, and saves the
// state file.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.CloseClientConnections()
		s.ts.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.saveLocked()
}

// SetLatency changes the latency added to every request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetPropagationDelay changes how long new keys fail authentication in the
// scopes without their own delay. It applies to existing keys too,
// measured from their creation. The other propagation settings stay.
func (s *Server) SetPropagationDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prop.Delay = d
}

// SetQuotas replaces the quotas; zero fields take the defaults.
func (s *Server) SetQuotas(q Quotas) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quotas = q.withDefaults()
}

// monotonicNow returns a clock that reads the wall clock once and then
// advances with the monotonic clock. The mock's timestamps lose their
// monotonic reading (they are stored in UTC to the microsecond), so with
// time.Now a step or slew of the wall clock on a loaded machine could let a
// key work before a client's time.Since(create) reached the propagation
// delay; this clock keeps the two in agreement.
func monotonicNow() func() time.Time {
	base := time.Now()
	return func() time.Time { return base.Add(time.Since(base)) }
}

// clock returns the current time as the API stores it: UTC, to the
// microsecond.
func (s *Server) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// baseFor returns the absolute base URL for a request.
func (s *Server) baseFor(r *http.Request) string {
	s.mu.Lock()
	b := s.baseURL
	s.mu.Unlock()
	if b != "" || r == nil {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// RecordedRequest is one request as the mock saw it. Authorization headers
// are never kept, and secrets are redacted from response bodies.
type RecordedRequest struct {
	RequestID    string `json:"request_id"`
	Route        string `json:"route"`
	Method       string `json:"method"`
	Path         string `json:"path"`
	Query        string `json:"query"`
	Body         []byte `json:"body,omitempty"`
	Status       int    `json:"status"` // 0 when the connection was dropped.
	ResponseBody []byte `json:"response_body,omitempty"`
	Fault        string `json:"fault,omitempty"` // Kind of the fault applied, if any.
}

// RequestCounts returns the number of requests per route, for example
// "GET /iam/v2/api-keys". Failed and faulted requests count; requests that
// match no route count under "<METHOD> UNMATCHED".
func (s *Server) RequestCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ResetCounters clears the request counters, the per-key usage counts and
// the recorded requests.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.recorded = nil
	s.keyUse = map[string]*KeyUsage{}
}

// Requests returns the recorded requests of a route, oldest first; an empty
// route returns all of them. Only the last 10000 requests are kept.
func (s *Server) Requests(route string) []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RecordedRequest
	for _, r := range s.recorded[max(0, len(s.recorded)-maxRecorded):] {
		if route == "" || r.Route == route {
			out = append(out, r)
		}
	}
	return out
}

// bufferedResponse collects a handler's answer so the mock can decide
// afterwards whether to send it, lose it, or decorate it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse {
	return &bufferedResponse{header: http.Header{}}
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) flushTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// ServeHTTP serves the management API, the data-plane probes and the
// /_mock/ admin endpoints, all routed by one http.ServeMux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newHexID())
	// net/http would send the wall clock's Date; the API's Date is its own
	// clock's, which clients compare lease deadlines against, so the mock
	// sends its injected clock's.
	w.Header().Set("Date", s.clock().Format(http.TimeFormat))
	r = trimPath(r)
	if p := r.URL.Path; path.Clean(p) != p {
		// The ServeMux would redirect to the clean path; the API answers
		// 404 for a path it does not know.
		s.serveAPI(w, r, nil, nil)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// serveAPI serves one API request: rt is the matched route, or nil with the
// routes of the path whose method did not match (a 405), or nil with none
// (a 404). Every request is counted and recorded, whatever its outcome.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rt *route, allowed []*route) {
	routeKey := r.Method + " " + unmatchedRouteKey
	switch {
	case rt != nil:
		routeKey = rt.key
	case len(allowed) > 0:
		routeKey = r.Method + " " + allowed[0].pattern
	}
	x := &exchange{s: s, w: w, bw: newBufferedResponse(), rec: RecordedRequest{
		RequestID: w.Header().Get("X-Request-Id"), Route: routeKey, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
	}}
	s.mu.Lock()
	s.counts[routeKey]++
	s.mu.Unlock()
	defer x.record()

	body, ok := x.readBody(r)
	if !ok {
		x.answer()
		return
	}
	x.rec.Body = body
	if rt == nil {
		writeNoRoute(x.bw, r, allowed)
		x.answer()
		return
	}
	fx := s.pickFaults(r.Method, routeKey)
	if s.faultBefore(x, r, fx) {
		return
	}
	s.handle(x, &reqCtx{s: s, r: r, w: x.bw, body: body, route: rt, reqID: x.rec.RequestID, base: s.baseFor(r)}, fx)
}

// exchange is one request on its way through serveAPI: its record and its
// buffered answer.
type exchange struct {
	s        *Server
	w        http.ResponseWriter
	bw       *bufferedResponse
	rec      RecordedRequest
	recorded bool
}

// record files the request's record, once. It runs before the client can
// see the answer (or the dropped connection), so a test that reads the
// record right after its request returns always finds it.
func (x *exchange) record() {
	if !x.recorded {
		x.recorded = true
		x.s.record(x.rec)
	}
}

// answer records the request with the buffered answer's status and sends
// the answer.
func (x *exchange) answer() {
	x.rec.Status = x.bw.status
	x.record()
	x.bw.flushTo(x.w)
}

// drop records the request and drops the connection unanswered.
func (x *exchange) drop() {
	x.record()
	dropConnection(x.w)
}

// readBody reads the body up front: the recorder needs it, and the size
// limit must answer 413 before anything is acted on. When it cannot, it
// buffers the error and reports false.
func (x *exchange) readBody(r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err == nil {
		return body, true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(x.bw, errorf(http.StatusRequestEntityTooLarge, "request_entity_too_large", "The request body exceeds %d bytes.", maxBodyBytes))
	} else {
		writeError(x.bw, badRequest("", "The request body could not be read."))
	}
	// The unread rest of an oversized body makes the connection unusable
	// for the next request.
	x.bw.Header().Set("Connection", "close")
	return nil, false
}

// writeNoRoute answers a request that matched no route: 405 with Allow when
// the path has routes for other methods, 404 otherwise.
func writeNoRoute(w http.ResponseWriter, r *http.Request, allowed []*route) {
	if len(allowed) == 0 {
		writeError(w, errorf(http.StatusNotFound, "not_found", "The requested resource %s does not exist.", r.URL.Path))
		return
	}
	methods := make([]string, 0, len(allowed))
	for _, a := range allowed {
		methods = append(methods, a.method)
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, errorf(http.StatusMethodNotAllowed, "method_not_allowed", "The method %s is not allowed on %s.", r.Method, r.URL.Path))
}

// faultBefore applies the injected latency and the faults that strike
// before the handler runs. It reports whether the request ended there.
func (s *Server) faultBefore(x *exchange, r *http.Request, fx faultDecision) bool {
	s.mu.Lock()
	delay := s.latency + fx.latency
	s.mu.Unlock()
	if !sleepCtx(r, delay) {
		x.rec.Fault = "canceled"
		return true
	}
	if fx.fault == nil {
		return false
	}
	x.rec.Fault = fx.fault.Kind.String()
	switch fx.fault.Kind {
	case FaultDrop:
		x.drop()
		return true
	case FaultStatus:
		s.writeFaultStatus(x.bw, fx.fault)
		x.answer()
		return true
	}
	return false
}

// handle runs the route's handler for an authenticated request and sends
// its answer, unless a FaultLoseResponse loses it after the change is
// committed.
func (s *Server) handle(x *exchange, c *reqCtx, fx faultDecision) {
	if s.authenticate(c) {
		c.route.handler(c)
		s.emitOpEvent(c)
	}
	x.rec.Status = x.bw.status
	if x.bw.status == 0 {
		x.rec.Status = http.StatusOK
	}
	if id, _, ok := c.r.BasicAuth(); ok {
		s.countKeyUse(id, x.rec.Status)
	}
	if x.bw.body.Len() > 0 {
		x.rec.ResponseBody = redactSecrets(x.bw.body.Bytes())
	}
	if fx.fault != nil && fx.fault.Kind == FaultLoseResponse {
		// The change is committed; the client never hears about it.
		x.drop()
		return
	}
	if x.bw.status < 300 {
		s.setRateLimitHeaders(x.bw.Header())
	}
	x.record()
	x.bw.flushTo(x.w)
}

func (s *Server) record(rec RecordedRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recorded = append(s.recorded, rec)
	// Trimming only once the log holds twice the limit keeps the copy's
	// cost constant per request; trimming at the limit copied the whole
	// log under the lock on every request once it was full. Requests
	// shows the last maxRecorded.
	if len(s.recorded) >= 2*maxRecorded {
		s.recorded = append([]RecordedRequest(nil), s.recorded[len(s.recorded)-maxRecorded:]...)
	}
}

// setRateLimitHeaders sends the X-RateLimit-* headers of a 2xx answer. The
// mock does not enforce the limit (use a 429 fault for that); it counts the
// requests in a fixed window so the values move like the real ones.
func (s *Server) setRateLimitHeaders(h http.Header) {
	s.mu.Lock()
	now := s.now()
	if now.Sub(s.rlWindowStart) >= rateLimitWindow {
		s.rlWindowStart, s.rlUsed = now, 0
	}
	s.rlUsed++
	remaining := max(rateLimitLimit-s.rlUsed, 0)
	reset := int((rateLimitWindow - now.Sub(s.rlWindowStart) + time.Second - 1) / time.Second)
	s.mu.Unlock()
	h.Set("X-RateLimit-Limit", strconv.Itoa(rateLimitLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.Itoa(reset))
}

// sleepCtx sleeps for d unless the request is canceled first. It reports
// whether the request should go on.
func sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the client connection without answering.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 cannot be hijacked; aborting the handler resets the stream.
	panic(http.ErrAbortHandler)
}

// reqCtx is one request as the handlers see it.
type reqCtx struct {
	s     *Server
	r     *http.Request
	w     *bufferedResponse
	body  []byte
	route *route
	reqID string
	base  string

	principal principal
	op        *auditOp
}

// param is a wildcard of the route's ServeMux pattern.
func (c *reqCtx) param(name string) string { return c.r.PathValue(name) }

func (c *reqCtx) fail(e *APIError) { writeError(c.w, e) }

func (c *reqCtx) json(status int, v any) { writeJSON(c.w, status, v) }
