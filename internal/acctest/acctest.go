// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package acctest holds what the provider's acceptance tests share: an
// in-process mock Confluent Cloud per test, provider factories pointed at
// it, a controllable clock, and configuration builders.
package acctest

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// Fixed IDs of the mock's default world.
const (
	EnvironmentID      = "env-q1ck5t"
	KafkaClusterID     = "lkc-q1ck5t"
	SchemaRegistryID   = "lsrc-q1ck5t"
	KsqlDBClusterID    = "lksqlc-q1ck5t"
	FlinkCloud         = "AWS"
	FlinkRegion        = "us-east-1"
	UserID             = "u-q1ck5t"
	UserEmail          = "quickstart@example.com"
	ProviderTypeName   = "ccloud"
	defaultTestVersion = "test"
)

// NewClock returns the provider's clock of an acceptance test: the wall
// clock until the test moves it ahead (Advance) to make rotations and
// retirements due. Its timers are real, so the leases, readiness waits,
// retries and the destroy guard, which run on the same clock, wait as in
// production; a fake clock that only moves when told would stop them. The
// mock keeps its own clock, as the API does: the provider must never take
// its local time for the API's (leases are in the API's time).
func NewClock() *clock.Offset { return clock.NewOffset(0) }

// Env is one acceptance test's world: its own mock and a provider aimed at it.
type Env struct {
	Mock  *mockcloud.Server
	Clock *clock.Offset
	// Factories serve the provider in-process to terraform-plugin-testing.
	Factories map[string]func() (tfprotov6.ProviderServer, error)
}

// New starts a mock for t with the given options and returns the test's Env.
func New(t *testing.T, opts mockcloud.Options) *Env {
	t.Helper()
	return NewWithProvider(t, opts, provider.Options{})
}

// NewWithProvider is New with provider options, such as a short per-request
// timeout. Unset fields get the test defaults: the Env's clock and short
// retry waits.
func NewWithProvider(t *testing.T, opts mockcloud.Options, popts provider.Options) *Env {
	t.Helper()
	m := mockcloud.Start(t, opts)
	clk := NewClock()
	if popts.Clock == nil {
		popts.Clock = clk
	}
	if popts.RetryWaitMin == 0 {
		popts.RetryWaitMin = 10 * time.Millisecond
	}
	if popts.RetryWaitMax == 0 {
		popts.RetryWaitMax = 200 * time.Millisecond
	}
	return &Env{
		Mock:  m,
		Clock: clk,
		Factories: map[string]func() (tfprotov6.ProviderServer, error){
			ProviderTypeName: provider.NewProtocol6ServerWithError(provider.NewWithOptions(defaultTestVersion, popts)()),
		},
	}
}

// ProviderConfig is the provider block that points at the Env's mock. Tests
// prepend it to their configuration; credentials go in the block rather than
// the environment because tests run in parallel in one process.
func (e *Env) ProviderConfig() string {
	key, secret := e.Mock.Credentials()
	return ProviderBlock(e.Mock.URL(), key, secret)
}

// Config prepends the provider block to the given HCL.
func (e *Env) Config(hcl string) string {
	return e.ProviderConfig() + "\n" + hcl
}

// ProviderBlock renders a provider block for an endpoint and credentials.
func ProviderBlock(endpoint, key, secret string) string {
	return fmt.Sprintf(`provider "ccloud" {
  endpoint         = %q
  cloud_api_key    = %q
  cloud_api_secret = %q
  max_retries      = 3
}
`, endpoint, key, secret)
}
