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
	if cl := s.w.cluster(clusterKsqlDB, id); cl != nil {
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
	known := org == s.w.OrgID && s.w.env(env) != nil
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

// routes registers every route of the management API and the data plane.
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
