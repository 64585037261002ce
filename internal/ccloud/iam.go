// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

const (
	serviceAccountsPath = "/iam/v2/service-accounts"
	apiKeysPath         = "/iam/v2/api-keys"
	usersPath           = "/iam/v2/users"
)

// errEmptyID guards against a request for the collection where an object
// was meant.
var errEmptyID = errors.New("an empty ID was given")

func objectPath(collection, id string) (string, error) {
	if id == "" {
		return "", errEmptyID
	}
	return collection + "/" + url.PathEscape(id), nil
}

// CreateServiceAccount creates a service account. The API answers 409 when
// the display name is already in use anywhere in the organisation.
func (c *Client) CreateServiceAccount(ctx context.Context, in ServiceAccountCreate) (*ServiceAccount, error) {
	return createObject[ServiceAccount](ctx, c, serviceAccountsPath, in)
}

// GetServiceAccount reads one service account.
func (c *Client) GetServiceAccount(ctx context.Context, id string) (*ServiceAccount, error) {
	return objectCall[ServiceAccount](ctx, c, http.MethodGet, serviceAccountsPath, id, nil, nil)
}

// ListServiceAccounts lists service accounts. With display names it returns
// those whose name equals any of them; without, all of them. Each name is
// one query value, so names with spaces are matched whole.
func (c *Client) ListServiceAccounts(ctx context.Context, displayNames ...string) ([]ServiceAccount, error) {
	q := url.Values{}
	for _, n := range displayNames {
		q.Add("display_name", n)
	}
	return listAll[ServiceAccount](ctx, c, serviceAccountsPath, q)
}

// UpdateServiceAccount patches the fields set in in.
func (c *Client) UpdateServiceAccount(ctx context.Context, id string, in ServiceAccountUpdate) (*ServiceAccount, error) {
	return objectCall[ServiceAccount](ctx, c, http.MethodPatch, serviceAccountsPath, id, nil, in)
}

// DeleteServiceAccount deletes a service account. The API deletes the
// account's API keys with it.
func (c *Client) DeleteServiceAccount(ctx context.Context, id string) error {
	return deleteObject(ctx, c, serviceAccountsPath, id)
}

// CreateAPIKey creates an API key. The returned key carries the secret,
// which the API never shows again. When the answer is lost the error is an
// *OutcomeUnknownError and the key may or may not exist.
func (c *Client) CreateAPIKey(ctx context.Context, in APIKeyCreate) (*APIKey, error) {
	return createObject[APIKey](ctx, c, apiKeysPath, in)
}

// GetAPIKey reads one API key; the secret is never returned.
func (c *Client) GetAPIKey(ctx context.Context, id string) (*APIKey, error) {
	return objectCall[APIKey](ctx, c, http.MethodGet, apiKeysPath, id, nil, nil)
}

// APIKeyFilter narrows ListAPIKeys. Empty fields do not filter.
type APIKeyFilter struct {
	// Owner is a principal ID such as sa-abc123 or u-abc123.
	Owner string
	// Resource is a resource ID such as lkc-abc123, or cloud or tableflow.
	Resource string
}

// ListAPIKeys lists the API keys matching f.
func (c *Client) ListAPIKeys(ctx context.Context, f APIKeyFilter) ([]APIKey, error) {
	q := url.Values{}
	q.Set("spec.owner", f.Owner)
	q.Set("spec.resource", f.Resource)
	return listAll[APIKey](ctx, c, apiKeysPath, q)
}

// UpdateAPIKey patches a key's display name and description.
func (c *Client) UpdateAPIKey(ctx context.Context, id string, in APIKeyUpdate) (*APIKey, error) {
	return objectCall[APIKey](ctx, c, http.MethodPatch, apiKeysPath, id, nil, in)
}

// DeleteAPIKey deletes an API key.
func (c *Client) DeleteAPIKey(ctx context.Context, id string) error {
	return deleteObject(ctx, c, apiKeysPath, id)
}

// GetUser reads one user.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	return objectCall[User](ctx, c, http.MethodGet, usersPath, id, nil, nil)
}

// ListUsers lists every user of the organisation. The API has no email
// filter, so lookups by email filter this list.
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	return listAll[User](ctx, c, usersPath, nil)
}
