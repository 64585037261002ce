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
//	GET               /cmk/v2/clusters/{id}?environment=env-...
//	GET               /srcm/v3/clusters/{id}?environment=env-...
//	GET               /ksqldbcm/v2/clusters/{id}?environment=env-...
//	GET               /fcpm/v2/regions?cloud=AWS&region_name=us-east-1
//	GET               /tableflow/v1/regions (also accepts a Tableflow key)
//
// # Data plane
//
// The readiness probes authenticate with the new key itself. They answer 401
// until the key's propagation delay has passed, or when the key is scoped to
// something else:
//
//	GET /kafka/v3/clusters/{lkc}/topics             (Kafka key for lkc; the cmk http_endpoint is the base URL)
//	GET /sr/{lsrc}/subjects                         (Schema Registry key for lsrc)
//	GET /ksql/{lksqlc}/info                         (ksqlDB key for lksqlc)
//	GET /flink/{cloud}.{region}/sql/v1/organizations/{org}/environments/{env}/statements
//	                                                (Flink key for that region and environment)
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
//	PUT    /_mock/propagation-delay       body: {"propagation_delay":"2s"} -> 204
//	PUT    /_mock/quotas                  body: Quotas with snake_case fields; zero fields take the defaults -> 204
//	GET    /_mock/quotas                  -> 200 the quotas in force
//	POST   /_mock/api-keys/{id}/backdate  body: {"created_at":"2024-01-02T03:04:05Z"} -> 204 or 404
//	GET    /_mock/counters                -> 200 {"GET /iam/v2/api-keys": 3, ...}
//	DELETE /_mock/counters                -> 204
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
