// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"testing"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// TestSetDataPlaneBase_changesOnlyThatResourcesEndpoint sets another base
// for one Kafka cluster and one Schema Registry: their lookups answer it in
// http_endpoint, their self links stay the mock's, other clusters keep the
// mock's base, and an empty base restores it.
func TestSetDataPlaneBase_changesOnlyThatResourcesEndpoint(t *testing.T) {
	t.Parallel()
	sd := clusterSeed()
	s := Start(t, Options{Seed: sd})
	c := newClient(t, s)
	kafka := func(id string) ccloud.KafkaCluster {
		var cl ccloud.KafkaCluster
		c.do("GET", "/cmk/v2/clusters/"+id+"?environment=env-a", nil).want(t, 200).decode(t, &cl)
		return cl
	}
	s.SetDataPlaneBase("lkc-a01", "http://kafka.example.com:8082/")
	s.SetDataPlaneBase("lsrc-a", "http://sr.example.com")

	if got := kafka("lkc-a01"); got.Spec.HTTPEndpoint != "http://kafka.example.com:8082" || got.Metadata.Self != s.URL()+"/cmk/v2/clusters/lkc-a01" {
		t.Errorf("lkc-a01: http_endpoint %q, self %q", got.Spec.HTTPEndpoint, got.Metadata.Self)
	}
	if got := kafka("lkc-a02"); got.Spec.HTTPEndpoint != s.URL() {
		t.Errorf("lkc-a02: http_endpoint %q, want the mock's %q", got.Spec.HTTPEndpoint, s.URL())
	}
	var sr ccloud.SchemaRegistryCluster
	c.do("GET", "/srcm/v3/clusters/lsrc-a?environment=env-a", nil).want(t, 200).decode(t, &sr)
	if sr.Spec.HTTPEndpoint != "http://sr.example.com/sr/lsrc-a" {
		t.Errorf("lsrc-a: http_endpoint %q", sr.Spec.HTTPEndpoint)
	}
	var list ccloud.List[ccloud.KafkaCluster]
	c.do("GET", "/cmk/v2/clusters?environment=env-a&page_size=3", nil).want(t, 200).decode(t, &list)
	for _, cl := range list.Data {
		want := s.URL()
		if cl.ID == "lkc-a01" {
			want = "http://kafka.example.com:8082"
		}
		if cl.Spec.HTTPEndpoint != want {
			t.Errorf("list: %s http_endpoint %q, want %q", cl.ID, cl.Spec.HTTPEndpoint, want)
		}
	}

	s.SetDataPlaneBase("lkc-a01", "")
	if got := kafka("lkc-a01"); got.Spec.HTTPEndpoint != s.URL() {
		t.Errorf("after reset: http_endpoint %q, want %q", got.Spec.HTTPEndpoint, s.URL())
	}
}

// TestAdminDataPlaneBase sets and restores a cluster's data-plane base over
// the admin endpoint, and refuses a base that is not an absolute URL.
func TestAdminDataPlaneBase(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	c := newClient(t, s)
	endpoint := func() string {
		var cl ccloud.KafkaCluster
		c.do("GET", "/cmk/v2/clusters/lkc-q1ck5t?environment=env-q1ck5t", nil).want(t, 200).decode(t, &cl)
		return cl.Spec.HTTPEndpoint
	}
	c.do("PUT", "/_mock/data-plane-bases/lkc-q1ck5t", `{"base":"http://kafka.example.com"}`).want(t, 204)
	if got := endpoint(); got != "http://kafka.example.com" {
		t.Errorf("http_endpoint %q after the PUT", got)
	}
	c.do("PUT", "/_mock/data-plane-bases/lkc-q1ck5t", `{"base":"kafka.example.com"}`).want(t, 400)
	c.do("PUT", "/_mock/data-plane-bases/lkc-q1ck5t", `{"base":""}`).want(t, 204)
	if got := endpoint(); got != s.URL() {
		t.Errorf("http_endpoint %q after the reset, want %q", got, s.URL())
	}
	c.as("", "").do("PUT", "/_mock/data-plane-bases/lkc-q1ck5t", `{"base":""}`).want(t, 401)
}
