// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package keyengine creates Confluent Cloud API keys safely, waits until new
// keys work, and shares the list calls of a refresh. It knows nothing of
// Terraform: it imports no terraform-plugin-* module (a depguard rule in
// .golangci.yml holds it to that), so resources, a future in-place rotation
// in Update and future ephemeral resources can all build on it, and so can
// tools and tests that drive it without a Terraform server.
//
// One Engine belongs to one configured provider. It holds everything that
// lives longer than one call: the locks that serialise creates of identical
// keys, the probe-URL cache, the readiness estimates learnt per endpoint and
// the read cache. Nothing is process-wide, so two providers in one process
// (tests, aliased provider blocks) never share or race over state.
//
// # Creating a key
//
// The caller (a resource's Create, say) runs:
//
//  1. Create(ctx, spec, opts): sends the create request with a marker on
//     the description, reconciling answers that were lost on the way so that
//     no untracked key is left behind. It returns the key, secret included;
//     its description still carries the marker.
//  2. The caller records the key's ID and secret wherever it keeps them (a
//     resource sets its state) before anything else can fail.
//  3. WaitReady(ctx, target, keyID, secret), if the caller wants the key to
//     work before it returns: probes target with the key's own credentials
//     on a schedule learnt from earlier keys at the same endpoint.
//     ProbeURL(ctx, target) resolves the endpoint alone, once per engine.
//  4. FinishCreate(ctx, key, description): restores the description the
//     caller asked for, removing the marker. It may run alongside WaitReady.
//
// Every call that writes an owner's keys drops that owner's list from the
// read cache, so reads that follow see the write.
//
// # Reading
//
// Reads returns the engine's ReadCache: a short-lived, single-flight cache
// of per-owner key lists and the service account list. A refresh reads many
// objects through it at the cost of a few list calls. An object missing
// from a list is never evidence that it is gone; callers then read it
// directly.
//
// # Clock and logger
//
// Config takes a Clock (the wall clock when nil) and a Logger (discarding
// when nil). The provider adapts tflog to Logger, so the engine's messages
// reach Terraform's logs with the call's fields; tests inject a clock to
// check schedules without waiting.
package keyengine
