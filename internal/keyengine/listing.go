// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import "github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"

// Listing is what a listing (terraform query) should make of a key, given
// its create lease.
type Listing int

const (
	// ListPlain is a key without a lease: made by hand, by another tool,
	// or handed over by this provider. It is listed as it is.
	ListPlain Listing = iota
	// ListLeased is a key whose create lease still runs: a live run is
	// waiting for it and will hand it over to its own state, so a listing
	// leaves it out rather than invite someone to adopt it a second time.
	ListLeased
	// ListAbandoned is a key whose lease ran out: the run that created it
	// gave it up or died before handing it over. A listing shows it,
	// marked, so that someone can see it before the next run that lists its
	// owner's keys deletes it.
	ListAbandoned
)

// String names the classification in logs and tests.
func (l Listing) String() string {
	switch l {
	case ListLeased:
		return "leased"
	case ListAbandoned:
		return "abandoned"
	}
	return "plain"
}

// ClassifyListed says what a listing should make of key, a key the engine's
// client has just listed. It decides through ClassifyLease, in the API's
// time as the client last learnt it, so that a listing marks as abandoned
// exactly the keys that a sweep would delete and leaves out the ones a
// sweep would spare.
func (e *Engine) ClassifyListed(key *ccloud.APIKey) Listing {
	switch e.ClassifyLease(*key, e.APINow()).State {
	case LeaseRunning:
		return ListLeased
	case LeaseAbandoned:
		return ListAbandoned
	}
	return ListPlain
}
