// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package keyengine creates Confluent Cloud API keys safely, waits until new
// keys work, and shares the list calls of a refresh. It knows nothing of
// Terraform: it imports no terraform-plugin-* module (a depguard rule in
// .golangci.yml holds it to that), so every key resource's Create, the
// in-place rotation of a key with a grace period (in Update), the ephemeral
// key resources and the list resources build on it, and so can tools and
// tests that drive it without a Terraform server.
//
// One Engine belongs to one configured provider. It holds everything that
// lives longer than one call: the locks that serialise creates of identical
// keys, the probe-URL cache, what readiness learnt per probe URL (one
// record per URL, readiness_urls.go) and the read cache. Nothing is process-wide, so two providers in one process
// (tests, aliased provider blocks) never share or race over state.
//
// # Creating a key
//
// The caller (a resource's Create, a grace-period rotation in Update, an
// ephemeral resource's Open) runs:
//
//  1. Create(ctx, spec, opts): the first create for an owner sweeps the
//     owner's abandoned keys (see Sweep); then the create request goes out
//     with a marker on the description that carries a lease, reconciling
//     answers lost on the way so that no untracked key is left behind. It
//     returns the key, secret included. A keeper renews the lease while ctx
//     lives, checks now and then that the key still exists, and expires the
//     lease at once if ctx ends before step 4.
//  2. The caller records the key's ID and secret wherever it keeps them (a
//     resource sets its state) before anything else can fail.
//  3. WaitReady(ctx, target, keyID, secret), if the caller wants the key to
//     work before it returns: probes target with the key's own credentials
//     on a budget learnt from earlier keys; keys waiting at an endpoint
//     without history let one of them probe for all. 401 is "not yet"; 403
//     is ready with Readiness.Forbidden set (warn, naming ccloud.ForbiddenHint);
//     Kafka needs a run of successes (two by default, more once keys there
//     flapped) that also lasts a minimum time learnt per cluster;
//     outages are retried; a deleted key ends the wait with ErrKeyDeleted,
//     a cancelled ctx with ErrInterrupted and a deadline with
//     ErrProbeTimeout. ProbeURL(ctx, target) resolves the endpoint alone,
//     once per engine, and refuses plain http:// to a host that is not a
//     loopback address; callers resolve it before step 1, so that an
//     endpoint that cannot be probed fails before any key exists.
//  4. FinishCreate(ctx, key, description), last: stops the keeper and
//     restores the description the caller asked for, removing the marker.
//     If the caller gives up instead (an error, an interrupt), it just ends
//     ctx: the lease expires and a later sweep deletes the key.
//     An ephemeral key skips this step: it keeps its marker, and ctx lives
//     until the key is closed and deleted, so its lease runs as long as the
//     key is open and this process runs.
//  5. TakeAbandoned(owner): the keys that sweeps deleted for owner and that
//     nobody has reported yet, to tell the user about them once.
//
// Every call that writes an owner's keys drops that owner's list from the
// read cache, so reads that follow see the write.
//
// # Reading
//
// Reads returns the engine's ReadCache: a short-lived, single-flight cache
// of per-owner key lists and the service account list. A refresh reads many
// objects through it at the cost of a few list calls; each per-owner list
// also sweeps the owner's abandoned keys. An object missing from a list is
// never evidence that it is gone; callers then read it directly, and
// IsGone decides what a failed read means.
//
// # Clock and logger
//
// Config takes a clock.Clock (the wall clock when nil) and a Logger
// (discarding when nil). The provider passes its one clock
// (provider.Options.Clock) and adapts tflog to Logger, so the engine's
// messages reach Terraform's logs with the call's fields. The engine's unit
// tests run in testing/synctest bubbles, the mock on an in-memory network
// (mockcloud.StartPipe), so schedules of minutes take no real time.
package keyengine
