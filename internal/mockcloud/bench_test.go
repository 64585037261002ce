// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// The benchmarks measure the mock's API key handlers in-process, through
// ServeHTTP and a recorder, so that they time the handler (routing, auth,
// store, JSON, counters, audit) and not the network. Run them with
//
//	go test -run '^$' -bench . -benchmem ./internal/mockcloud/
const (
	benchOwners       = 10
	benchKeysPerOwner = 100
	benchBaseURL      = "http://mock.bench"
	benchCluster      = "lkc-q1ck5t"
	benchEnvironment  = "env-q1ck5t"
)

// benchServer returns a mock holding benchOwners service accounts with
// benchKeysPerOwner Kafka keys each, with quotas that never stop a
// benchmark.
func benchServer(b *testing.B) (*mockcloud.Server, []string, []string) {
	b.Helper()
	const unlimited = 1 << 30
	s, err := mockcloud.New(mockcloud.Options{Quotas: mockcloud.Quotas{
		ServiceAccountsPerOrg: unlimited, CloudKeysPerOrg: unlimited, CloudKeysPerUser: unlimited,
		ClusterKeysPerUser: unlimited, CloudKeysPerServiceAccount: unlimited,
		ClusterKeysPerServiceAccount: unlimited, KeysPerKafkaCluster: unlimited,
	}})
	if err != nil {
		b.Fatal(err)
	}
	s.SetBaseURL(benchBaseURL)
	var owners, keys []string
	for i := range benchOwners {
		sa := s.CreateServiceAccount(fmt.Sprintf("bench-%d", i), "")
		owners = append(owners, sa.ID)
		for j := range benchKeysPerOwner {
			k, err := s.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: benchCluster, Environment: benchEnvironment},
				fmt.Sprintf("key-%d-%d", i, j), "")
			if err != nil {
				b.Fatal(err)
			}
			keys = append(keys, k.ID)
		}
	}
	return s, owners, keys
}

// serve runs one request through the handler and fails on an unexpected
// status.
func serve(b *testing.B, s *mockcloud.Server, method, target string, body []byte, want int) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, benchBaseURL+target, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	key, secret := s.Credentials()
	req.SetBasicAuth(key, secret)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, target, rec.Code, want, rec.Body.String())
	}
	return rec
}

// BenchmarkCreateAPIKey creates Kafka keys. Every createBatch creates the
// new keys are deleted with the timer stopped, so the store stays between
// 1000 and 1000+createBatch keys and the figure does not drift with b.N.
func BenchmarkCreateAPIKey(b *testing.B) {
	const createBatch = 500
	s, owners, _ := benchServer(b)
	bodies := make([][]byte, len(owners))
	for i, o := range owners {
		bodies[i] = fmt.Appendf(nil, `{"spec":{"display_name":"new","description":"bench","owner":{"id":%q},`+
			`"resource":{"id":%q,"environment":%q}}}`, o, benchCluster, benchEnvironment)
	}
	created := make([]string, 0, createBatch)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rec := serve(b, s, http.MethodPost, "/iam/v2/api-keys", bodies[i%len(bodies)], http.StatusAccepted)
		// The 16-character key ID ends the Location URL.
		loc := rec.Header().Get("Location")
		if len(loc) < 16 {
			b.Fatalf("Location %q holds no key ID", loc)
		}
		created = append(created, loc[len(loc)-16:])
		if len(created) == createBatch {
			b.StopTimer()
			for _, id := range created {
				if err := s.DeleteAPIKey(id); err != nil {
					b.Fatal(err)
				}
			}
			created = created[:0]
			b.StartTimer()
		}
	}
}

// BenchmarkGetAPIKey reads keys by ID from a store of 1000 keys.
func BenchmarkGetAPIKey(b *testing.B) {
	s, _, keys := benchServer(b)
	paths := make([]string, len(keys))
	for i, k := range keys {
		paths[i] = "/iam/v2/api-keys/" + k
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		serve(b, s, http.MethodGet, paths[i%len(paths)], nil, http.StatusOK)
	}
}

// BenchmarkListAPIKeys lists a page of 100 keys from a store of 1000 keys:
// the first page of all keys, and one owner's keys through the spec.owner
// filter (the list a provider refresh makes).
func BenchmarkListAPIKeys(b *testing.B) {
	s, owners, _ := benchServer(b)
	b.Run("all-page-of-100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(b, s, http.MethodGet, "/iam/v2/api-keys?page_size=100", nil, http.StatusOK)
		}
	})
	b.Run("by-owner-100-of-1000", func(b *testing.B) {
		target := "/iam/v2/api-keys?page_size=100&spec.owner=" + owners[len(owners)/2]
		b.ReportAllocs()
		for b.Loop() {
			serve(b, s, http.MethodGet, target, nil, http.StatusOK)
		}
	})
}

// BenchmarkKafkaProbe times one Kafka data-plane probe by a propagated key,
// without and with the per-broker model, whose cost is the per-key draws
// of every broker's moment.
func BenchmarkKafkaProbe(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts mockcloud.Options
	}{
		{"single-switch", mockcloud.Options{}},
		{"6-brokers", mockcloud.Options{KafkaBrokerWindow: 1, KafkaBrokers: 6}},
		{"60-brokers", mockcloud.Options{KafkaBrokerWindow: 1, KafkaBrokers: 60}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := mockcloud.New(bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			s.SetBaseURL(benchBaseURL)
			sa := s.CreateServiceAccount("probe", "")
			k, err := s.CreateAPIKey(sa.ID, &ccloud.ObjectReference{ID: benchCluster, Environment: benchEnvironment}, "", "")
			if err != nil {
				b.Fatal(err)
			}
			if err := s.BackdateAPIKey(k.ID, time.Now().Add(-time.Hour)); err != nil || !s.KeyAuthenticates(k.ID) {
				b.Fatalf("key not propagated: %v", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("GET", benchBaseURL+"/kafka/v3/clusters/"+benchCluster+"/topics", nil)
				req.SetBasicAuth(k.ID, k.Spec.Secret)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
