// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"strings"
)

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
	s.adminRoutes(mux)
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
