// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"strings"
)

// The mock's route table: every route of the management API and the data
// plane (routes), and the test's /_mock/ controls (adminTable). The
// handlers live beside their kind: handlers_iam.go, handlers_org.go,
// handlers_dataplane.go and admin.go.

// routes lists every route of the management API and the data plane, with
// the credentials each accepts.
func (s *Server) routes() *router {
	rt := &router{}
	rt.add("GET", "/iam/v2/service-accounts", authManagement, s.listServiceAccounts)
	rt.add("POST", "/iam/v2/service-accounts", authManagement, s.createServiceAccount)
	rt.add("GET", "/iam/v2/service-accounts/{id}", authManagement, s.getServiceAccount)
	rt.add("PATCH", "/iam/v2/service-accounts/{id}", authManagement, s.updateServiceAccount)
	rt.add("DELETE", "/iam/v2/service-accounts/{id}", authManagement, s.deleteServiceAccount)
	rt.add("GET", "/iam/v2/api-keys", authManagement, s.listAPIKeys)
	rt.add("POST", "/iam/v2/api-keys", authManagement, s.createAPIKey)
	rt.add("GET", "/iam/v2/api-keys/{id}", authManagement, s.getAPIKey)
	rt.add("PATCH", "/iam/v2/api-keys/{id}", authManagement, s.updateAPIKey)
	rt.add("DELETE", "/iam/v2/api-keys/{id}", authManagement, s.deleteAPIKey)
	rt.add("GET", "/iam/v2/users", authManagement, s.listUsers)
	rt.add("GET", "/iam/v2/users/{id}", authManagement, s.getUser)
	rt.add("GET", "/org/v2/environments", authManagement, s.listEnvironments)
	rt.add("GET", "/org/v2/environments/{id}", authManagement, s.getEnvironment)
	rt.add("GET", "/org/v2/organizations", authManagement, s.listOrganizations)
	rt.add("GET", "/org/v2/organizations/{id}", authManagement, s.getOrganization)
	rt.add("GET", "/cmk/v2/clusters", authManagement, s.listKafkaClusters)
	rt.add("GET", "/cmk/v2/clusters/{id}", authManagement, s.getKafkaCluster)
	rt.add("GET", "/srcm/v3/clusters", authManagement, s.listSchemaRegistryClusters)
	rt.add("GET", "/ksqldbcm/v2/clusters", authManagement, s.listKsqlDBClusters)
	rt.add("GET", "/srcm/v3/clusters/{id}", authManagement, s.getSchemaRegistryCluster)
	rt.add("GET", "/ksqldbcm/v2/clusters/{id}", authManagement, s.getKsqlDBCluster)
	rt.add("GET", "/fcpm/v2/regions", authManagement, s.listFlinkRegions)
	rt.add("GET", "/tableflow/v1/regions", authTableflow, s.listTableflowRegions)

	kafka := rt.add("GET", "/kafka/v3/clusters/{cluster_id}/topics", authDataPlane, s.kafkaListTopics)
	kafka.dataPlane, kafka.kafkaBroker = kafkaKeyFits, true
	rt.add("GET", "/sr/{id}/subjects", authDataPlane, s.srListSubjects).dataPlane = srKeyFits
	rt.add("GET", "/ksql/{id}/info", authDataPlane, s.ksqlInfo).dataPlane = ksqlKeyFits
	rt.add("GET", "/flink/{region}/sql/v1/organizations/{org}/environments/{env}/statements", authDataPlane, s.flinkListStatements).dataPlane = flinkKeyFits
	return rt
}

// adminRoute is one /_mock/ endpoint: an http.ServeMux pattern and its
// handler.
type adminRoute struct {
	pattern string
	handler func(a *adminReq)
}

// adminTable lists the /_mock/ endpoints documented in the package comment.
func (s *Server) adminTable() []adminRoute {
	return []adminRoute{
		{"/_mock", adminNotFound},
		{"/_mock/", adminNotFound},

		// How the mock behaves: faults, latency, propagation and owners'
		// authorisation.
		{"POST /_mock/faults", s.adminAddFault},
		{"DELETE /_mock/faults", s.adminClearFaults},
		{"DELETE /_mock/faults/{id}", s.adminRemoveFault},
		{"PUT /_mock/latency", s.adminSetLatency},
		{"PUT /_mock/propagation-delay", s.adminSetPropagation},
		{"GET /_mock/propagation-delay", s.adminGetPropagation},
		{"PUT /_mock/owners/{id}/authorization", s.adminSetOwnerAuthorization},
		{"GET /_mock/owners/{id}/authorization", s.adminGetOwnerAuthorization},
		{"PUT /_mock/data-plane-bases/{id}", s.adminSetDataPlaneBase},

		// Keys: one key's propagation, use and creation time, every key's
		// use, and the quotas.
		{"GET /_mock/api-keys/{id}/propagation", s.adminKeyPropagation},
		{"GET /_mock/api-keys/{id}/usage", s.adminKeyUsage},
		{"GET /_mock/key-usage", s.adminAllKeyUsage},
		{"POST /_mock/api-keys/{id}/backdate", s.adminBackdateKey},
		{"PUT /_mock/quotas", s.adminSetQuotas},
		{"GET /_mock/quotas", s.adminGetQuotas},

		// What the mock recorded, and removing parts of its world.
		{"GET /_mock/counters", s.adminCounters},
		{"DELETE /_mock/counters", s.adminResetCounters},
		{"GET /_mock/requests", s.adminRecordedRequests},
		{"GET /_mock/audit", s.adminAuditLog},
		{"DELETE /_mock/audit", s.adminClearAuditLog},
		{"DELETE /_mock/clusters/{id}", s.adminDeleteCluster},
		{"DELETE /_mock/users/{id}", s.adminDeleteUser},
	}
}

// authClass says which credentials a route accepts.
type authClass int

const (
	// authManagement accepts the admin key and propagated Cloud (or Global)
	// keys.
	authManagement authClass = iota
	// authTableflow also accepts propagated Tableflow keys.
	authTableflow
	// authDataPlane accepts only a propagated key scoped to the resource the
	// route names; the handler's scopeCheck decides.
	authDataPlane
)

// route is one method and http.ServeMux path pattern. The route key
// ("GET /iam/v2/api-keys/{id}") is also the ServeMux pattern, and names the
// route in counters, faults and recorded requests.
type route struct {
	method  string
	pattern string
	key     string
	auth    authClass
	// dataPlane checks that a data-plane key fits the route's resource.
	dataPlane func(c *reqCtx, k *keyRec) bool
	// kafkaBroker marks Kafka data-plane routes, whose requests land on one
	// broker of the cluster (see Propagation).
	kafkaBroker bool
	handler     func(c *reqCtx)
}

// router collects the routes before they are registered on a ServeMux.
type router struct {
	routes []*route
}

func (rt *router) add(method, pattern string, auth authClass, h func(*reqCtx)) *route {
	r := &route{method: method, pattern: pattern, key: method + " " + pattern, auth: auth, handler: h}
	rt.routes = append(rt.routes, r)
	return r
}

// buildMux registers every API route on a ServeMux, with the method in the
// pattern. Each path also gets a method-less pattern that answers 405 with
// Allow (a method pattern is more specific, so it wins when the method
// fits), and "/" answers 404 for everything else. All three go through
// serveAPI, so unmatched requests are counted and recorded too.
func (s *Server) buildMux(rt *router) *http.ServeMux {
	mux := http.NewServeMux()
	byPath := map[string][]*route{}
	var paths []string
	for _, r := range rt.routes {
		mux.HandleFunc(r.key, func(w http.ResponseWriter, req *http.Request) {
			if req.Method != r.method {
				// A GET pattern also matches HEAD, which the API does
				// not serve.
				s.serveAPI(w, req, nil, []*route{r})
				return
			}
			s.serveAPI(w, req, r, nil)
		})
		if _, seen := byPath[r.pattern]; !seen {
			paths = append(paths, r.pattern)
		}
		byPath[r.pattern] = append(byPath[r.pattern], r)
	}
	for _, p := range paths {
		allowed := byPath[p]
		mux.HandleFunc(p, func(w http.ResponseWriter, req *http.Request) { s.serveAPI(w, req, nil, allowed) })
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) { s.serveAPI(w, req, nil, nil) })
	// The admin endpoints bypass serveAPI: they need the admin key (an
	// unknown one is a 404 once authenticated) and are neither counted,
	// audited, delayed nor faulted.
	for _, a := range s.adminTable() {
		mux.HandleFunc(a.pattern, func(w http.ResponseWriter, r *http.Request) {
			if req, ok := s.adminRequest(w, r); ok {
				a.handler(req)
			}
		})
	}
	return mux
}

// trimPath drops trailing slashes, which the API ignores ("/iam/v2/api-keys/"
// is the list), before the ServeMux matches the path exactly.
func trimPath(r *http.Request) *http.Request {
	p := r.URL.Path
	if len(p) <= 1 || !strings.HasSuffix(p, "/") {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path = strings.TrimRight(p, "/")
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawPath = ""
	r2.URL = &u
	return r2
}
