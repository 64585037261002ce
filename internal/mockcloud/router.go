// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import "strings"

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

// route is one method and path pattern. Patterns use {name} segments, and
// the route key ("GET /iam/v2/api-keys/{id}") names the route in counters,
// faults and recorded requests.
type route struct {
	method  string
	pattern string
	key     string
	segs    []string
	auth    authClass
	// dataPlane checks that a data-plane key fits the route's resource.
	dataPlane func(c *reqCtx, k *keyRec) bool
	// kafkaBroker marks Kafka data-plane routes, whose requests land on one
	// broker of the cluster (see Propagation).
	kafkaBroker bool
	handler     func(c *reqCtx)
}

type router struct {
	routes []*route
}

func (rt *router) add(method, pattern string, auth authClass, h func(*reqCtx)) *route {
	r := &route{
		method:  method,
		pattern: pattern,
		key:     method + " " + pattern,
		segs:    strings.Split(strings.Trim(pattern, "/"), "/"),
		auth:    auth,
		handler: h,
	}
	rt.routes = append(rt.routes, r)
	return r
}

// match finds the route for a request. When the path matches but the method
// does not, it returns the routes that would have matched, for a 405.
func (rt *router) match(method, path string) (*route, map[string]string, []*route) {
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var allowed []*route
	for _, r := range rt.routes {
		params, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		if r.method == method {
			return r, params, nil
		}
		allowed = append(allowed, r)
	}
	return nil, nil, allowed
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
