// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// clusterSeed has 23 Kafka clusters in env-a and 2 in env-b, so the lists
// need several pages and must not mix environments.
func clusterSeed() *Seed {
	sd := DefaultSeed()
	sd.Environments = append(sd.Environments, SeedEnvironment{ID: "env-a", DisplayName: "a"}, SeedEnvironment{ID: "env-b", DisplayName: "b"})
	for i := range 23 {
		sd.KafkaClusters = append(sd.KafkaClusters, SeedCluster{ID: fmt.Sprintf("lkc-a%02d", i), DisplayName: "a", Environment: "env-a"})
	}
	for i := range 2 {
		sd.KafkaClusters = append(sd.KafkaClusters, SeedCluster{ID: fmt.Sprintf("lkc-b%02d", i), DisplayName: "b", Environment: "env-b"})
	}
	sd.SchemaRegistries = append(sd.SchemaRegistries, SeedCluster{ID: "lsrc-a", DisplayName: "sr", Environment: "env-a"})
	sd.KsqlDBClusters = append(sd.KsqlDBClusters, SeedCluster{ID: "lksqlc-a", DisplayName: "ksql", Environment: "env-a", KafkaCluster: "lkc-a00"})
	return sd
}

func TestListKafkaClustersPaginates(t *testing.T) {
	s := Start(t, Options{Seed: clusterSeed()})
	c := newClient(t, s)
	var ids []string
	next := "/cmk/v2/clusters?environment=env-a&page_size=10"
	pages := 0
	for next != "" {
		var l ccloud.List[ccloud.KafkaCluster]
		c.do("GET", next, nil).want(t, 200).decode(t, &l)
		pages++
		if l.APIVersion != "cmk/v2" || l.Kind != "ClusterList" || l.Metadata.TotalSize == nil || *l.Metadata.TotalSize != 23 {
			t.Fatalf("envelope %+v", l)
		}
		if !strings.HasPrefix(l.Metadata.First, s.URL()+"/cmk/v2/clusters?page_size=10") {
			t.Errorf("first %q", l.Metadata.First)
		}
		for _, cl := range l.Data {
			if cl.Spec.Environment == nil || cl.Spec.Environment.ID != "env-a" || cl.Kind != "Cluster" {
				t.Errorf("cluster %+v", cl)
			}
			ids = append(ids, cl.ID)
		}
		next = l.Metadata.Next
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("page_token") == "" || u.Query().Get("environment") != "env-a" || !strings.HasPrefix(next, s.URL()) {
				t.Fatalf("next %q", next)
			}
		}
	}
	if pages != 3 || len(ids) != 23 || ids[0] != "lkc-a00" || ids[22] != "lkc-a22" {
		t.Errorf("%d pages, ids %v", pages, ids)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("%s served twice", id)
		}
		seen[id] = true
	}

	var l ccloud.List[ccloud.KafkaCluster]
	c.do("GET", "/cmk/v2/clusters?environment=env-b", nil).want(t, 200).decode(t, &l)
	if len(l.Data) != 2 || l.Metadata.Next != "" {
		t.Errorf("env-b: %d clusters, next %q", len(l.Data), l.Metadata.Next)
	}
	c.do("GET", "/cmk/v2/clusters?environment=env-a&spec.network=n-1", nil).want(t, 200).decode(t, &l)
	if len(l.Data) != 0 {
		t.Errorf("network filter matched %d clusters", len(l.Data))
	}
	c.do("GET", "/cmk/v2/clusters?environment=env-none", nil).want(t, 200).decode(t, &l)
	if len(l.Data) != 0 {
		t.Errorf("unknown environment listed %d clusters", len(l.Data))
	}
	if e := c.do("GET", "/cmk/v2/clusters", nil).want(t, 400).failure(t); e.Source == nil || e.Source.Parameter != "environment" {
		t.Errorf("missing environment: %+v", e)
	}
	if e := c.do("GET", "/cmk/v2/clusters?environment=env-a&page_size=101", nil).want(t, 400).failure(t); e.Source == nil || e.Source.Parameter != "page_size" {
		t.Errorf("page_size 101: %+v", e)
	}
	c.do("GET", "/cmk/v2/clusters?environment=env-a&page_token=garbage", nil).want(t, 400)
	c.as("", "").do("GET", "/cmk/v2/clusters?environment=env-a", nil).want(t, 401)
	if n := s.RequestCounts()["GET /cmk/v2/clusters"]; n < 8 {
		t.Errorf("route counter %d", n)
	}
}

func TestListSchemaRegistryAndKsqlDBClusters(t *testing.T) {
	s := Start(t, Options{Seed: clusterSeed()})
	c := newClient(t, s)
	var sr ccloud.List[ccloud.SchemaRegistryCluster]
	c.do("GET", "/srcm/v3/clusters?environment=env-a", nil).want(t, 200).decode(t, &sr)
	if sr.APIVersion != "srcm/v3" || sr.Kind != "ClusterList" || len(sr.Data) != 1 || sr.Data[0].ID != "lsrc-a" || sr.Metadata.Next != "" {
		t.Errorf("srcm list %+v", sr)
	}
	c.do("GET", "/srcm/v3/clusters?environment="+DefaultEnvironmentID, nil).want(t, 200).decode(t, &sr)
	if len(sr.Data) != 1 || sr.Data[0].ID != DefaultSchemaRegistryID {
		t.Errorf("srcm default env %+v", sr.Data)
	}
	var kq ccloud.List[ccloud.KsqlDBCluster]
	c.do("GET", "/ksqldbcm/v2/clusters?environment=env-a&page_size=1", nil).want(t, 200).decode(t, &kq)
	if kq.APIVersion != "ksqldbcm/v2" || kq.Kind != "ClusterList" || len(kq.Data) != 1 || kq.Data[0].ID != "lksqlc-a" ||
		kq.Data[0].Spec.KafkaCluster == nil || kq.Data[0].Spec.KafkaCluster.ID != "lkc-a00" {
		t.Errorf("ksqldbcm list %+v", kq)
	}
	for _, p := range []string{"/srcm/v3/clusters", "/ksqldbcm/v2/clusters"} {
		if e := c.do("GET", p, nil).want(t, 400).failure(t); e.Source == nil || e.Source.Parameter != "environment" {
			t.Errorf("%s without environment: %+v", p, e)
		}
	}
	// The lists are audited like the other reads.
	found := false
	for _, ev := range s.AuditLog() {
		if ev.Data.MethodName == "ListKsqlDBClusters" {
			found = true
		}
	}
	if !found {
		t.Error("no ListKsqlDBClusters audit event")
	}
}
