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
	var out ServiceAccount
	err := c.call(ctx, request{method: http.MethodPost, path: serviceAccountsPath, body: in}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetServiceAccount reads one service account.
func (c *Client) GetServiceAccount(ctx context.Context, id string) (*ServiceAccount, error) {
	p, err := objectPath(serviceAccountsPath, id)
	if err != nil {
		return nil, err
	}
	var out ServiceAccount
	if err := c.call(ctx, request{method: http.MethodGet, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
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
	p, err := objectPath(serviceAccountsPath, id)
	if err != nil {
		return nil, err
	}
	var out ServiceAccount
	if err := c.call(ctx, request{method: http.MethodPatch, path: p, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteServiceAccount deletes a service account. The API deletes the
// account's API keys with it.
func (c *Client) DeleteServiceAccount(ctx context.Context, id string) error {
	p, err := objectPath(serviceAccountsPath, id)
	if err != nil {
		return err
	}
	return c.call(ctx, request{method: http.MethodDelete, path: p}, nil)
}

// CreateAPIKey creates an API key. The returned key carries the secret,
// which the API never shows again. When the answer is lost the error is an
// *OutcomeUnknownError and the key may or may not exist.
func (c *Client) CreateAPIKey(ctx context.Context, in APIKeyCreate) (*APIKey, error) {
	var out APIKey
	if err := c.call(ctx, request{method: http.MethodPost, path: apiKeysPath, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAPIKey reads one API key; the secret is never returned.
func (c *Client) GetAPIKey(ctx context.Context, id string) (*APIKey, error) {
	p, err := objectPath(apiKeysPath, id)
	if err != nil {
		return nil, err
	}
	var out APIKey
	if err := c.call(ctx, request{method: http.MethodGet, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
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
	p, err := objectPath(apiKeysPath, id)
	if err != nil {
		return nil, err
	}
	var out APIKey
	if err := c.call(ctx, request{method: http.MethodPatch, path: p, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAPIKey deletes an API key.
func (c *Client) DeleteAPIKey(ctx context.Context, id string) error {
	p, err := objectPath(apiKeysPath, id)
	if err != nil {
		return err
	}
	return c.call(ctx, request{method: http.MethodDelete, path: p}, nil)
}

// GetUser reads one user.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	p, err := objectPath(usersPath, id)
	if err != nil {
		return nil, err
	}
	var out User
	if err := c.call(ctx, request{method: http.MethodGet, path: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListUsers lists every user of the organisation. The API has no email
// filter, so lookups by email filter this list.
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	return listAll[User](ctx, c, usersPath, nil)
}
