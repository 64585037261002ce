// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import "strings"

// A resource's data-plane endpoint (a Kafka or ksqlDB cluster's, a Schema
// Registry's, a Flink region's http_endpoint) is the mock's own base URL,
// so that probes reach the mock. SetDataPlaneBase lets a test make the API
// answer another URL for one resource, as a real organisation may (a
// private endpoint, a proxy, plain http://), to see what the provider does
// with it. Only the endpoint in the answer changes: the mock still serves
// the resource's data-plane routes on its own address.

// SetDataPlaneBase makes the mock report base in place of its own base URL
// in the data-plane endpoint of the resource with the given ID (lkc-,
// lsrc-, lksqlc- or a Flink region ID such as aws.us-east-1): the Kafka
// cluster's spec.http_endpoint becomes base, the Schema Registry's
// base/sr/{id}, and so on. An empty base restores the mock's own.
func (s *Server) SetDataPlaneBase(resourceID, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if base == "" {
		delete(s.dataPlaneBases, resourceID)
		return
	}
	if s.dataPlaneBases == nil {
		s.dataPlaneBases = map[string]string{}
	}
	s.dataPlaneBases[resourceID] = strings.TrimRight(base, "/")
}

// dataPlaneBaseLocked returns the base URL of resourceID's data-plane
// endpoint: the one SetDataPlaneBase set, or base. s.mu must be held.
func (s *Server) dataPlaneBaseLocked(resourceID, base string) string {
	if b, ok := s.dataPlaneBases[resourceID]; ok {
		return b
	}
	return base
}
