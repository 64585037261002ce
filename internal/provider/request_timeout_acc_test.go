// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// switchableProxy forwards to the mock and can be taken down (connections
// refused) and brought back on the same address.
type switchableProxy struct {
	t      *testing.T
	addr   string
	target *url.URL
	mu     sync.Mutex
	srv    *http.Server
}

func newSwitchableProxy(t *testing.T, target string) *switchableProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &switchableProxy{t: t, addr: "127.0.0.1:0", target: u}
	p.up()
	t.Cleanup(p.down)
	return p
}

func (p *switchableProxy) url() string { return "http://" + p.addr }

func (p *switchableProxy) up() {
	p.mu.Lock()
	defer p.mu.Unlock()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.addr = l.Addr().String()
	srv := &http.Server{Handler: httputil.NewSingleHostReverseProxy(p.target)} //nolint:gosec // Test server.
	p.srv = srv
	// The goroutine serves its own server: down may clear p.srv meanwhile.
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.t.Error(err)
		}
	}()
}

// down closes the listener and every open connection, so that the
// provider's next request is refused.
func (p *switchableProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv != nil {
		_ = p.srv.Close()
		p.srv = nil
	}
}

func providerBlockWith(endpoint, key, secret, extra string) string {
	return fmt.Sprintf(`provider "ccloud" {
  endpoint         = %q
  cloud_api_key    = %q
  cloud_api_secret = %q
  max_retries      = 3
%s
}
`, endpoint, key, secret, extra)
}

// TestAccRequestTimeout_deadEndpoint plans against a port where nothing
// listens: the plan fails within the request time budget and says how many
// attempts it made in how long, and where to look.
func TestAccRequestTimeout_deadEndpoint(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	_ = l.Close()
	key, secret := env.Mock.Credentials()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config: providerBlockWith(dead, key, secret, `  request_timeout = "2s"`) +
				"data \"ccloud_user\" \"test\" {\n  id = \"" + acctest.UserID + "\"\n}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)no\s+answer\s+from\s+` + regexp.QuoteMeta(dead) + `.*connection\s+refused\s+\(\d\s+attempts\s+in\s+[0-9.]+m?s;\s+the\s+request\s+time\s+budget\s+is\s+2s,\s+set\s+by\s+request_timeout\).*Check\s+that\s+the\s+provider's\s+endpoint`),
		}},
	})
}

// TestAccRequestTimeout_refreshPaysOnce refreshes a service account and a
// key while the endpoint refuses connections. The refresh lists, then falls
// back to a GET for each object; only the first request spends the time
// budget, the others make one attempt and say why. Afterwards nothing has
// changed.
func TestAccRequestTimeout_refreshPaysOnce(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	proxy := newSwitchableProxy(t, env.Mock.URL())
	key, secret := env.Mock.Credentials()
	config := providerBlockWith(proxy.url(), key, secret, `  request_timeout = "3s"`) + `
resource "ccloud_service_account" "test" {
  display_name  = "refresh-dead"
  force_destroy = true
}
` + keyCases["kafka"].config("${ccloud_service_account.test.id}", "  wait_for_ready = false")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   proxy.down,
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)connection\s+refused\s+\(1\s+attempt\s+in\s+(under\s+1ms|[0-9.]+m?s);\s+not\s+retried:\s+an\s+earlier\s+request\s+to\s+this\s+endpoint\s+got\s+no\s+answer\s+either`),
			},
			{
				PreConfig: proxy.up,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccRequestTimeout_htmlEndpoint points the provider at a web server
// that answers every request with a page: the error says what came back and
// to check the endpoint, not that '<' is an invalid character.
func TestAccRequestTimeout_htmlEndpoint(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><h1>It works!</h1></body></html>"))
	}))
	defer web.Close()
	key, secret := env.Mock.Credentials()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config:      providerBlockWith(web.URL, key, secret, "") + "data \"ccloud_service_accounts\" \"all\" {}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)200\s+OK\s+with\s+a\s+body\s+that\s+is\s+not\s+the\s+expected\s+JSON.*starting\s+"<!DOCTYPE\s+html>.*"text/html".*probably\s+not\s+the\s+Confluent\s+Cloud\s+API.*endpoint`),
		}},
	})
}

// TestAccRequestTimeout_wrongKeyKind uses credentials the API refuses, as a
// Kafka key would be: every data source fails, the errors name the key (ID
// only), say a Cloud API key is needed and how to get one, and only one of
// them carries the whole explanation.
func TestAccRequestTimeout_wrongKeyKind(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	_, secret := env.Mock.Credentials()
	const kafkaKey = "KAFKAKEY12345678"
	full := `API\s+key\s+` + kafkaKey + `.*needs\s+a\s+Cloud\s+API\s+key.*Kafka.*confluent\s+api-key\s+create\s+--resource\s+cloud`
	short := `API\s+key\s+` + kafkaKey + `\s+was\s+refused;\s+see\s+the\s+first\s+"401\s+Unauthorized"\s+error`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps: []resource.TestStep{{
			Config: providerBlockWith(env.Mock.URL(), kafkaKey, secret, "") +
				"data \"ccloud_user\" \"a\" {\n  id = \"" + acctest.UserID + "\"\n}\n" +
				"data \"ccloud_service_accounts\" \"b\" {}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)(` + full + `.*` + short + `|` + short + `.*` + full + `)`),
		}},
	})
}
