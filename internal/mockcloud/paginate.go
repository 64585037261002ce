// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page sizes of the real API.
const (
	defaultPageSize = 10
	maxPageSize     = 100
	pageTokenPrefix = "mcp1:"
)

// paginate cuts one page out of items, which must be in creation order. The
// opaque page token encodes the sequence number of the last object served,
// so objects created or deleted between pages neither repeat nor shift the
// rest. The next URL keeps the request's filters.
func paginate[T any](c *reqCtx, items []T, seq func(T) uint64) ([]T, wireListMeta, *APIError) {
	q := c.r.URL.Query()
	size := defaultPageSize
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return nil, wireListMeta{}, badParameter("page_size", "The page_size must be an integer between 1 and %d.", maxPageSize)
		}
		size = n
	}
	var after uint64
	if tok := q.Get("page_token"); tok != "" {
		v, ok := decodePageToken(tok)
		if !ok {
			e := badParameter("page_token", "The page_token is invalid.")
			e.Code = "invalid_page_token"
			return nil, wireListMeta{}, e
		}
		after = v
	}
	start := 0
	for start < len(items) && seq(items[start]) <= after {
		start++
	}
	end := min(start+size, len(items))
	total := len(items)
	meta := wireListMeta{TotalSize: &total}
	selfQ := url.Values{}
	for k, v := range q {
		selfQ[k] = v
	}
	meta.First = c.base + c.r.URL.Path + encodeQuery(withoutToken(selfQ, size))
	if end < len(items) {
		next := withoutToken(selfQ, size)
		next.Set("page_token", encodePageToken(seq(items[end-1])))
		meta.Next = c.base + c.r.URL.Path + encodeQuery(next)
	}
	return items[start:end], meta, nil
}

// writeList answers a list request with one page of items in their wire
// shape, so every collection paginates and shapes its envelope alike.
func writeList[R, T any](c *reqCtx, items []R, seq func(R) uint64, apiVersion, kind string, wire func(R) T) {
	page, meta, err := paginate(c, items, seq)
	if err != nil {
		c.fail(err)
		return
	}
	out := wireList[T]{APIVersion: apiVersion, Kind: kind, Metadata: meta, Data: make([]T, 0, len(page))}
	for _, item := range page {
		out.Data = append(out.Data, wire(item))
	}
	c.json(http.StatusOK, out)
}

func withoutToken(q url.Values, size int) url.Values {
	out := url.Values{}
	for k, v := range q {
		if k != "page_token" && k != "page_size" {
			out[k] = v
		}
	}
	out.Set("page_size", strconv.Itoa(size))
	return out
}

// encodeQuery puts page_size and page_token first, as in the documented
// next URLs, and the filters after them.
func encodeQuery(q url.Values) string {
	var parts []string
	for _, k := range []string{"page_size", "page_token"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, k+"="+url.QueryEscape(v))
		}
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "page_size" && k != "page_token" {
			rest[k] = v
		}
	}
	if enc := rest.Encode(); enc != "" {
		parts = append(parts, enc)
	}
	return "?" + strings.Join(parts, "&")
}

func encodePageToken(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(pageTokenPrefix + strconv.FormatUint(seq, 10)))
}

func decodePageToken(tok string) (uint64, bool) {
	if len(tok) > 255 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), pageTokenPrefix) {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(string(b), pageTokenPrefix), 10, 64)
	return v, err == nil
}

// filterValues returns the non-empty values of a repeatable query filter.
// An empty value means no filter, as the CLI sends "?spec.owner=" for "any".
func filterValues(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
