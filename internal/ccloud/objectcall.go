// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"net/http"
	"net/url"
)

// createObject POSTs body to a collection and decodes the created object.
func createObject[T any](ctx context.Context, c *Client, collection string, body any) (*T, error) {
	var out T
	if err := c.call(ctx, request{method: http.MethodPost, path: collection, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// objectCall sends a GET or PATCH about one object of a collection
// (collection/{id}) and decodes the answer. An empty ID fails before any
// request, as objectPath says.
func objectCall[T any](ctx context.Context, c *Client, method, collection, id string, query url.Values, body any) (*T, error) {
	p, err := objectPath(collection, id)
	if err != nil {
		return nil, err
	}
	var out T
	if err := c.call(ctx, request{method: method, path: p, query: query, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// deleteObject deletes one object of a collection.
func deleteObject(ctx context.Context, c *Client, collection, id string) error {
	p, err := objectPath(collection, id)
	if err != nil {
		return err
	}
	return c.call(ctx, request{method: http.MethodDelete, path: p}, nil)
}
