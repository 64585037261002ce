// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package mockcloud is an HTTP server that mimics the parts of the Confluent
// Cloud management API the provider uses, closely enough that the official
// Confluent CLI or Terraform provider could talk to it. It runs in-process
// for tests (Start) or standalone (tools/mockcloud).
//
// # Management API
//
// All management routes take HTTP Basic auth with a Cloud API key: the
// organisation's admin key (Options.APIKey) or any Cloud-scoped key created
// through the API once its propagation delay has passed:
//
//	GET|POST          /iam/v2/service-accounts
//	GET|PATCH|DELETE  /iam/v2/service-accounts/{id}
//	GET|POST          /iam/v2/api-keys
//	GET|PATCH|DELETE  /iam/v2/api-keys/{id}
//	GET               /iam/v2/users, /iam/v2/users/{id}
//	GET               /org/v2/environments, /org/v2/environments/{id}
//	GET               /org/v2/organizations, /org/v2/organizations/{id}
//	GET               /cmk/v2/clusters?environment=env-...        (also spec.network; page_size, page_token)
//	GET               /cmk/v2/clusters/{id}?environment=env-...
//	GET               /srcm/v3/clusters?environment=env-...       (page_size, page_token)
//	GET               /srcm/v3/clusters/{id}?environment=env-...
//	GET               /ksqldbcm/v2/clusters?environment=env-...   (page_size, page_token)
//	GET               /ksqldbcm/v2/clusters/{id}?environment=env-...
//	GET               /fcpm/v2/regions?cloud=AWS&region_name=us-east-1
//	GET               /tableflow/v1/regions (also accepts a Tableflow key)
//
// The cluster lists require the environment parameter (400 invalid_parameter
// without it, as the specs make it required), answer the clusters of that
// environment in creation order in the usual list envelope (api_version,
// kind "ClusterList", metadata.first, metadata.next while more pages
// follow, metadata.total_size) and paginate like every other list: default
// page size 10, maximum 100, an opaque page_token carried in metadata.next.
//
// # Data plane
//
// The readiness probes authenticate with the new key itself. They answer 401
// until the key has propagated (see below), or when the key is scoped to
// something else, and 403 when the key's owner is not authorised:
//
//	GET /kafka/v3/clusters/{lkc}/topics             (Kafka key for lkc; the cmk http_endpoint is the base URL)
//	GET /sr/{lsrc}/subjects                         (Schema Registry key for lsrc)
//	GET /ksql/{lksqlc}/info                         (ksqlDB key for lksqlc)
//	GET /flink/{cloud}.{region}/sql/v1/organizations/{org}/environments/{env}/statements
//	                                                (Flink key for that region and environment)
//
// Cloud keys are probed on the management API (GET /org/v2/environments) and
// Tableflow keys on GET /tableflow/v1/regions.
//
// A resource's endpoint in the API's answers (http_endpoint) is the mock's
// own base URL unless SetDataPlaneBase(id, base) (admin: PUT
// /_mock/data-plane-bases/{id}) names another one for it,
// so that a test sees what a client does with an endpoint it must not use
// (plain http:// to another host, say); the mock keeps serving the routes
// above on its own address.
//
// # Propagation
//
// A new key fails authentication (401) until it has propagated, as on the
// real cloud, where a Kafka key takes about two minutes and brokers learn it
// one by one. The defaults keep the old, kinder behaviour: one delay for all
// scopes and one instant switch-over. The settings (Go: Options, Propagation,
// SetPropagation; admin: PUT /_mock/propagation-delay; command: flags):
//
//	Options field            admin JSON field       command flag                  meaning
//	PropagationDelay         propagation_delay      -propagation-delay 2s         delay D of every scope without its own
//	ScopePropagationDelays   scopes                 -scope-propagation-delay      per-scope delay, e.g. kafka=120s,flink=30s
//	PropagationJitter        jitter                 -propagation-jitter 1s        per-key extra delay, uniform in [0, jitter)
//	KafkaBrokers             kafka_brokers          -kafka-brokers 6              brokers per Kafka cluster (default 6 with a window)
//	KafkaBrokerWindow        kafka_broker_window    -kafka-broker-window 5s       brokers learn a Kafka key over [D, D+window]
//	FaultSeed                -                      -rng-seed 42                  makes the per-key draws reproducible
//
// Scope names are exactly "kafka", "schema-registry", "ksqldb", "flink",
// "tableflow", "cloud", and "global" (reserved for Global keys); any other
// name is an error. A key of scope S created at C first works at
// C + delay(S) + jitter(key), rounded up to the microsecond. With a Kafka
// broker window W, one broker learns a Kafka key at that moment, one at that
// moment plus W, and the others at moments drawn uniformly in between. Each
// Kafka data-plane request lands on one broker: the requests of a key visit
// the brokers in turn, starting at a broker drawn per key, and a request
// answers 401 while its broker does not know the key. So during the window a
// share of probes still fails, and two successes in a row prove nothing.
// Other scopes, and the management routes, switch over at once. The per-key
// draws (jitter, broker moments, first broker) are a hash of FaultSeed and
// the key ID: they do not change when the settings change, and under a fixed
// FaultSeed they are the same on every run and across restarts (with
// FaultSeed 0 each start draws a new seed). Settings apply to existing keys
// too, measured from their creation.
//
// Ask the mock when a key works: KeyPropagation(id) returns the first moment
// it works anywhere and the moment every broker knows it (equal outside
// Kafka windows); KeyBrokerTimes(id) the moment of each broker;
// KeyAuthenticates(id) whether it is fully propagated now.
//
// # Authorisation
//
// A propagated key whose owner is unauthorised (no role binding on the real
// cloud) authenticates but answers 403 on its data plane, with the body
// {"errors":[{"status":"403","code":"user_unauthorized","title":"User Access
// Unauthorized",...}]}, and its Tableflow keys answer 403 on the Tableflow
// routes. A key that has not propagated yet still answers 401 first. Cloud
// keys on the management API are not affected: the provider uses them as
// credentials that work. Go: Options.UnauthorizedOwners,
// SetOwnerAuthorized(owner, ok), OwnerAuthorized(owner); admin: PUT
// /_mock/owners/{id}/authorization; command: -unauthorized-owner (repeatable).
// The audit log records such a request as a successful Authentication event
// followed by a failed Authorize event (httpStatus 403).
//
// # Counting probes
//
// Every request that presents a live or deleted API key (not the admin key)
// is counted per key by its answer: KeyUsage(id) returns {OK,
// Unauthenticated (401), Forbidden (403), Other}; DataPlaneAuthFailures(id)
// is Unauthenticated+Forbidden, the failed probes of the key; AllKeyUsage
// returns every key's counts. Requests answered by a fault before
// authentication are not counted. ResetCounters (DELETE /_mock/counters)
// clears them with the route counters. Each 401 also has an Authentication
// audit event whose result reason says why ("key not yet propagated", with
// " to broker N" on a Kafka broker, "wrong secret", ...).
//
// # Admin endpoints
//
// The standalone server is controlled through /_mock/ endpoints. They take
// Basic auth with the admin key only, are neither counted nor audited, and
// are exempt from latency and faults. Bodies are JSON; durations are Go
// duration strings ("250ms", "2s") or numbers of seconds:
//
//	POST   /_mock/faults                  body: {"method","route","kind":"status|drop|lose_response|latency",
//	                                             "status","retry_after","latency","count","rate"} -> 201 {"id":"..."}
//	DELETE /_mock/faults                  removes every fault -> 204
//	DELETE /_mock/faults/{id}             removes one fault -> 204 or 404
//	PUT    /_mock/latency                 body: {"latency":"100ms"} -> 204
//	PUT    /_mock/propagation-delay       body: {"propagation_delay":"2s","scopes":{"kafka":"120s","flink":null},"jitter":"1s",
//	                                             "kafka_brokers":6,"kafka_broker_window":"5s"}; absent fields keep their value,
//	                                             a scope set to null loses its override; bad names or values -> 400; -> 204
//	GET    /_mock/propagation-delay       -> 200 the settings in force, same fields
//	GET    /_mock/api-keys/{id}/propagation -> 200 {"first":"<time>","full":"<time>","brokers":["<time>",...]} or 404
//	GET    /_mock/api-keys/{id}/usage     -> 200 {"ok":3,"unauthenticated":5,"forbidden":0,"other":0}
//	GET    /_mock/key-usage               -> 200 {"<key id>": {"ok":...}, ...} for every key presented
//	PUT    /_mock/owners/{id}/authorization body: {"authorized":false} -> 204
//	GET    /_mock/owners/{id}/authorization -> 200 {"authorized":true}
//	PUT    /_mock/data-plane-bases/{id} body: {"base":"http://kafka.example.com"}; "" restores the mock's -> 204
//	PUT    /_mock/quotas                  body: Quotas with snake_case fields; zero fields take the defaults -> 204
//	GET    /_mock/quotas                  -> 200 the quotas in force
//	POST   /_mock/api-keys/{id}/backdate  body: {"created_at":"2024-01-02T03:04:05Z"} -> 204 or 404
//	GET    /_mock/counters                -> 200 {"GET /iam/v2/api-keys": 3, ...}
//	DELETE /_mock/counters                clears the route counters, the key usage counts and the recorded requests -> 204
//	GET    /_mock/requests?route=...      -> 200 recorded requests (bodies base64, secrets redacted)
//	GET    /_mock/audit                   -> 200 [AuditEvent, ...] in order
//	DELETE /_mock/audit                   -> 204
//	DELETE /_mock/clusters/{id}           deletes lkc-/lsrc-/lksqlc- and the keys scoped to it -> 204 or 404
//	DELETE /_mock/users/{id}              deletes a user and the user's keys -> 204 or 404
//
// # Faults
//
// A Fault applies to the requests matching its Method and Route (the route
// pattern as the counters name it, for example "POST /iam/v2/api-keys"). An
// empty Route matches every route except /_mock/ ones, data-plane routes
// included. Count limits a fault to the next N matching requests; with Count
// 0 a fault fires with probability Rate, and with Count 0 and Rate 0 it fires
// on every matching request until it is removed. Status faults are always
// answered before the request is acted on, so a client may safely retry any
// request that got one.
package mockcloud
