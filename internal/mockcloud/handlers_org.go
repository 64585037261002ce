// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"strings"
)

func (s *Server) listEnvironments(c *reqCtx) {
	op := c.audit("GetEnvironments", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	writeList(c, s.world.Envs, func(e *envRec) uint64 { return e.Seq }, wireOrg, "EnvironmentList",
		func(e *envRec) wireEnvironment { return s.world.envObject(e, c.base) })
}

func (s *Server) getEnvironment(c *reqCtx) {
	id := c.param("id")
	op := c.audit("GetEnvironment", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.subject = s.world.crn("environment=" + id)
	op.resources = []AuditCloudResource{{Scope: AuditScope{Resources: s.orgScope()}, Resource: AuditResource{Type: "ENVIRONMENT", ResourceID: id}}}
	e := s.world.env(id)
	if e == nil {
		c.fail(errorf(http.StatusNotFound, "environment_not_found", "The environment %s does not exist", id))
		return
	}
	c.json(http.StatusOK, s.world.envObject(e, c.base))
}

func (s *Server) listOrganizations(c *reqCtx) {
	op := c.audit("GetOrganizations", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	// Sequence numbers start at 1: paginate skips everything at or below
	// the page token's position, which is 0 on the first page.
	writeList(c, []uint64{1}, func(v uint64) uint64 { return v }, wireOrg, "OrganizationList",
		func(uint64) wireOrganization { return s.world.orgObject(c.base) })
}

func (s *Server) getOrganization(c *reqCtx) {
	id := c.param("id")
	op := c.audit("GetOrganization", false)
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	if id != s.world.OrgID {
		c.fail(errorf(http.StatusNotFound, "organization_not_found", "The organization %s does not exist", id))
		return
	}
	c.json(http.StatusOK, s.world.orgObject(c.base))
}

// lookupCluster serves the cmk, srcm and ksqldbcm GETs, which require the
// environment query parameter like the real ones.
func (s *Server) lookupCluster(c *reqCtx, typ, method string, render func(*clusterRec) any) {
	id := c.param("id")
	op := c.audit(method, false)
	env := c.r.URL.Query().Get("environment")
	s.mu.Lock()
	defer s.mu.Unlock()
	op.subject = s.world.crn("environment="+env, "cluster="+id)
	op.resources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: append(s.orgScope(), AuditResource{Type: "ENVIRONMENT", ResourceID: env})},
		Resource: AuditResource{Type: strings.ToUpper(typ) + "_CLUSTER", ResourceID: id},
	}}
	if env == "" {
		c.fail(badParameter("environment", "The query parameter 'environment' is required."))
		return
	}
	cl := s.world.cluster(typ, id)
	if cl == nil || cl.Environment != env {
		c.fail(errorf(http.StatusNotFound, "resource_not_found", "The cluster %s does not exist in environment %s", id, env))
		return
	}
	c.json(http.StatusOK, render(cl))
}

func (s *Server) getKafkaCluster(c *reqCtx) {
	s.lookupCluster(c, clusterKafka, "GetKafkaCluster", func(cl *clusterRec) any { return s.world.kafkaObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base)) })
}

func (s *Server) getSchemaRegistryCluster(c *reqCtx) {
	s.lookupCluster(c, clusterSR, "GetSchemaRegistryCluster", func(cl *clusterRec) any { return s.world.srObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base)) })
}

func (s *Server) getKsqlDBCluster(c *reqCtx) {
	s.lookupCluster(c, clusterKsqlDB, "GetKsqlDBCluster", func(cl *clusterRec) any { return s.world.ksqlObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base)) })
}

// listClusters serves the cmk, srcm and ksqldbcm lists: the clusters of one
// environment (the environment parameter is required, as in the specs) in
// creation order, paginated like every other list.
func listClusters[T any](s *Server, c *reqCtx, typ, apiVersion, method string, render func(*clusterRec) T) {
	op := c.audit(method, false)
	q := c.r.URL.Query()
	env := q.Get("environment")
	s.mu.Lock()
	defer s.mu.Unlock()
	op.subject = s.world.crn("environment=" + env)
	op.resources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: s.orgScope()},
		Resource: AuditResource{Type: "ENVIRONMENT", ResourceID: env},
	}}
	if env == "" {
		c.fail(badParameter("environment", "The query parameter 'environment' is required."))
		return
	}
	// The mock's clusters have no private network, so any spec.network
	// filter matches none of them.
	networks := filterValues(q, "spec.network")
	var items []*clusterRec
	for _, cl := range s.world.Clusters {
		if cl.Type == typ && cl.Environment == env && len(networks) == 0 {
			items = append(items, cl)
		}
	}
	writeList(c, items, func(cl *clusterRec) uint64 { return cl.Seq }, apiVersion, "ClusterList", render)
}

func (s *Server) listKafkaClusters(c *reqCtx) {
	listClusters(s, c, clusterKafka, wireCMK, "ListKafkaClusters",
		func(cl *clusterRec) wireKafkaCluster {
			return s.world.kafkaObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base))
		})
}

func (s *Server) listSchemaRegistryClusters(c *reqCtx) {
	listClusters(s, c, clusterSR, wireSRCM, "ListSchemaRegistryClusters",
		func(cl *clusterRec) wireSRCluster {
			return s.world.srObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base))
		})
}

func (s *Server) listKsqlDBClusters(c *reqCtx) {
	listClusters(s, c, clusterKsqlDB, wireKsqlDB, "ListKsqlDBClusters",
		func(cl *clusterRec) wireKsqlCluster {
			return s.world.ksqlObject(cl, c.base, s.dataPlaneBaseLocked(cl.ID, c.base))
		})
}

// regionFilter applies the cloud (case-insensitive, the API answers "AWS"
// for "aws") and region filters of the region lists.
func regionFilter(list []*regionRec, clouds, regions []string) []*regionRec {
	var out []*regionRec
	for _, r := range list {
		if len(clouds) > 0 && !containsFold(clouds, r.Cloud) {
			continue
		}
		if len(regions) > 0 && !containsFold(regions, r.Region) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func (s *Server) listFlinkRegions(c *reqCtx) {
	op := c.audit("GetFlinkRegions", false)
	q := c.r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	items := regionFilter(s.world.FlinkRegions, filterValues(q, "cloud"), filterValues(q, "region_name"))
	writeList(c, items, func(r *regionRec) uint64 { return r.Seq }, wireFCPM, "RegionList",
		func(r *regionRec) wireFlinkRegion {
			return s.world.flinkRegionObject(r, c.base, s.dataPlaneBaseLocked(r.id(), c.base))
		})
}

func (s *Server) listTableflowRegions(c *reqCtx) {
	op := c.audit("GetTableflowRegions", false)
	q := c.r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	op.orgResource(s.world)
	items := regionFilter(s.world.TableflowRegions, filterValues(q, "cloud"), nil)
	writeList(c, items, func(r *regionRec) uint64 { return r.Seq }, wireTableflow, "RegionList",
		func(r *regionRec) wireTableflowRegion { return s.world.tableflowRegionObject(r, c.base) })
}
