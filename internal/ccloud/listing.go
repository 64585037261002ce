// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"net/url"
)

// This file serves Terraform's list resources (terraform query). Unlike
// listAll, which gathers every page before answering, the functions here
// hand each page to the caller as it arrives (both follow the pages with
// eachPage, in client.go), so that a query over thousands of keys streams
// its results and holds one page in memory at a time, and so that a caller
// that has seen enough stops before the next request.

// EachServiceAccountPage lists the service accounts page by page, only the
// one named displayName when it is not empty (the API matches the whole
// name). fn returns false to stop.
func (c *Client) EachServiceAccountPage(ctx context.Context, displayName string, fn func([]ServiceAccount) bool) error {
	return eachPage(ctx, c, serviceAccountsPath, url.Values{"display_name": {displayName}}, fn)
}

// APIKeyQuery selects API keys for a listing. Owner and Resource are sent to
// the API, which matches them exactly; the rest is matched here, because the
// API has no filter for them. Empty fields do not filter.
type APIKeyQuery struct {
	// Owner is a principal ID such as sa-abc123 or u-abc123.
	Owner string
	// OwnerKind is KindServiceAccount or KindUser.
	OwnerKind string
	// Resource is sent as spec.resource: a cluster ID, or one of the
	// literal IDs cloud, tableflow and global.
	Resource string
	// Scope keeps only the keys of one scope. Keys of a scope this package
	// does not know (ScopeUnknown) are never kept but handed to the caller
	// apart, so that it can say that it skipped them.
	Scope Scope
	// Match, when set, keeps only the keys it accepts, after the other
	// fields have been checked.
	Match func(*APIKey) bool
}

// apiFilter is the part of q that the API matches.
func (q APIKeyQuery) apiFilter() url.Values {
	return url.Values{"spec.owner": {q.Owner}, "spec.resource": {q.Resource}}
}

// keeps reports whether a listed key is one q selects.
func (q APIKeyQuery) keeps(k *APIKey) bool {
	if q.OwnerKind != "" && OwnerKind(k.Spec.Owner) != q.OwnerKind {
		return false
	}
	if q.Scope != "" && ScopeOf(k.Spec.Resource) != q.Scope {
		return false
	}
	return q.Match == nil || q.Match(k)
}

// APIKeyPage is one page of a key listing, split by APIKeyQuery.
type APIKeyPage struct {
	// Keys are the keys the query selects, in the API's order.
	Keys []APIKey
	// Unknown are keys of a scope this package does not recognise, which
	// the query left out. It is empty when the query has no Scope.
	Unknown []APIKey
}

// EachAPIKeyPage lists the API keys that q selects, one request per page of
// the API, and calls fn with each page's share. fn returns false to stop.
// The secret is cleared from every key, whatever the API sends: a listing
// has no business carrying one.
func (c *Client) EachAPIKeyPage(ctx context.Context, q APIKeyQuery, fn func(APIKeyPage) bool) error {
	return eachPage(ctx, c, apiKeysPath, q.apiFilter(), func(keys []APIKey) bool {
		var page APIKeyPage
		for i := range keys {
			k := keys[i]
			k.Spec.Secret = ""
			switch {
			case q.Scope != "" && ScopeOf(k.Spec.Resource) == ScopeUnknown:
				page.Unknown = append(page.Unknown, k)
			case q.keeps(&k):
				page.Keys = append(page.Keys, k)
			}
		}
		return fn(page)
	})
}
