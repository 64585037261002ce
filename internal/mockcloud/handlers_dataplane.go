// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
)

// The data-plane probes answer only what a readiness check needs. Their
// scope checks run under s.mu, inside authentication; the key has already
// passed its propagation delay when they are asked.

func kafkaKeyFits(c *reqCtx, k *keyRec) bool {
	return k.Scope == scopeKafka && k.ResourceID == c.param("cluster_id")
}

func srKeyFits(c *reqCtx, k *keyRec) bool {
	return k.Scope == scopeSchemaRegistry && k.ResourceID == c.param("id")
}

func ksqlKeyFits(c *reqCtx, k *keyRec) bool {
	return k.Scope == scopeKsqlDB && k.ResourceID == c.param("id")
}

func flinkKeyFits(c *reqCtx, k *keyRec) bool {
	return k.Scope == scopeFlink && k.ResourceID == c.param("region") && k.Environment == c.param("env")
}

func (s *Server) kafkaListTopics(c *reqCtx) {
	id := c.param("cluster_id")
	c.json(http.StatusOK, map[string]any{
		"kind": "KafkaTopicList",
		"metadata": map[string]any{
			"self": c.base + "/kafka/v3/clusters/" + id + "/topics",
			"next": nil,
		},
		"data": []any{},
	})
}

func (s *Server) srListSubjects(c *reqCtx) {
	c.json(http.StatusOK, []string{})
}

func (s *Server) ksqlInfo(c *reqCtx) {
	id := c.param("id")
	s.mu.Lock()
	kafka := ""
	if cl := s.world.cluster(clusterKsqlDB, id); cl != nil {
		kafka = cl.KafkaCluster
	}
	s.mu.Unlock()
	c.json(http.StatusOK, map[string]any{
		"KsqlServerInfo": map[string]any{
			"version":        "0.29.0",
			"kafkaClusterId": kafka,
			"ksqlServiceId":  id,
			"serverStatus":   "RUNNING",
		},
	})
}

func (s *Server) flinkListStatements(c *reqCtx) {
	org, env := c.param("org"), c.param("env")
	s.mu.Lock()
	known := org == s.world.OrgID && s.world.env(env) != nil
	s.mu.Unlock()
	if !known {
		c.fail(errorf(http.StatusNotFound, "not_found", "The organization %s or environment %s does not exist", org, env))
		return
	}
	c.json(http.StatusOK, map[string]any{
		"api_version": "sql/v1",
		"kind":        "StatementList",
		"metadata": map[string]any{
			"self": c.base + c.r.URL.Path,
		},
		"data": []any{},
	})
}
