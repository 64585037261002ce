// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// Logger receives the engine's log messages. Fields never hold secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Info(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Lister makes the list calls of the read cache and of the create
// reconciliation. *ccloud.Client is one.
type Lister interface {
	ListAPIKeys(ctx context.Context, f ccloud.APIKeyFilter) ([]ccloud.APIKey, error)
	ListServiceAccounts(ctx context.Context, displayNames ...string) ([]ccloud.ServiceAccount, error)
}

// Config configures an Engine.
type Config struct {
	// Client makes every API call the engine sends. Required.
	Client *ccloud.Client
	// Clock is the local clock the engine reads time and makes timers from
	// (readiness waits, lease renewals, the read cache's TTL), so that tests
	// can drive schedules; the wall clock when nil. Lease deadlines are in
	// the API's time (Client.APINow), which this clock only advances.
	Clock clock.Clock
	// Logger discards messages when nil.
	Logger Logger
	// ReadLister makes the read cache's list calls; Client when nil. Tests
	// use it to simulate lists that lag behind writes.
	ReadLister Lister
	// ReadCacheTTL is how long a list answers reads; DefaultReadCacheTTL
	// when zero.
	ReadCacheTTL time.Duration
	// Lease is how long a create marker protects a key that is not handed
	// over yet without a renewal; DefaultLease when zero.
	Lease time.Duration
	// ProbeTimeout bounds one readiness probe; DefaultProbeTimeout when
	// zero.
	ProbeTimeout time.Duration
	// KafkaSuccesses is how many probes in a row must succeed for a Kafka
	// key whose Target does not say; DefaultKafkaSuccesses when zero. Set to
	// a cluster's broker count, it makes sure every broker knows a key
	// whose probes visit the brokers in turn.
	KafkaSuccesses int
}

// Engine creates, waits for and reads API keys for one configured provider.
// Its methods are safe for concurrent use.
type Engine struct {
	client *ccloud.Client
	clock  clock.Clock
	log    Logger

	createLocks keyedMutex
	probeURLs   probeURLCache
	// urls is what the engine learnt about each probe URL: estimates,
	// Kafka runs, reachability and cohorts (readiness_urls.go).
	urls           urlTable
	reads          *ReadCache
	lease          time.Duration
	probeTimeout   time.Duration
	kafkaSuccesses int

	pendingMu sync.Mutex
	pending   map[string]*pending // keys created and not handed over, by ID

	sweptMu sync.Mutex
	swept   map[string]chan struct{} // owners swept by a create, by ID

	abandonedMu sync.Mutex
	abandoned   map[string][]AbandonedKey // deleted and not reported, by owner

	// newNonce and maxAttempts are replaced by tests, and so is probe, which
	// sends readiness probes through the client when nil.
	newNonce    func() string
	maxAttempts int
	probe       func(ctx context.Context, url, keyID, secret string) error
}

// New returns an engine for cfg.
func New(cfg Config) *Engine {
	clk := cfg.Clock
	if clk == nil {
		clk = clock.Real()
	}
	log := cfg.Logger
	if log == nil {
		log = discardLogger{}
	}
	lister := cfg.ReadLister
	if lister == nil {
		lister = cfg.Client
	}
	ttl := cfg.ReadCacheTTL
	if ttl <= 0 {
		ttl = DefaultReadCacheTTL
	}
	lease := cfg.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	e := &Engine{
		client:         cfg.Client,
		clock:          clk,
		log:            log,
		reads:          newReadCache(lister, clk, log, ttl),
		lease:          lease,
		probeTimeout:   cmp.Or(cfg.ProbeTimeout, DefaultProbeTimeout),
		kafkaSuccesses: cmp.Or(cfg.KafkaSuccesses, DefaultKafkaSuccesses),
		newNonce:       newNonce,
		maxAttempts:    maxCreateAttempts,
	}
	// The refresh's per-owner lists sweep abandoned keys too.
	e.reads.afterKeyList = e.sweepListed
	return e
}

// Reads returns the engine's read cache; nil for a nil engine, which reads
// nothing from lists.
func (e *Engine) Reads() *ReadCache {
	if e == nil {
		return nil
	}
	return e.reads
}

// Client returns the API client the engine calls through.
func (e *Engine) Client() *ccloud.Client { return e.client }

type discardLogger struct{}

func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Info(context.Context, string, map[string]any)  {}
func (discardLogger) Warn(context.Context, string, map[string]any)  {}
