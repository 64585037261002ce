// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
)

// This file turns answers that a person cannot act on as they are (a bare
// 401, a web page where JSON was expected) into errors that say what went
// wrong and what to do.

// notAPI reports whether the answer did not come from the Confluent Cloud
// API: a body that is not its JSON error envelope, or a content type that is
// not JSON. Such answers come from proxies, web servers or captive portals
// at a wrong endpoint, and say nothing about the objects asked for.
func (e *Error) notAPI() bool {
	return e.raw != "" || (e.contentType != "" && !isJSONContentType(e.contentType))
}

func isJSONContentType(ct string) bool {
	media, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return media == "application/json" || strings.HasSuffix(media, "+json")
}

// refusedCredentials counts the 401 answers a client got. Terraform shows
// every resource's error, so only the first carries the full explanation and
// the others refer to it.
type refusedCredentials struct {
	n atomic.Int64
}

// statusHint says what to do about a non-2xx answer, or "" when the API's
// own detail is enough.
func (c *Client) statusHint(e *Error) string {
	switch {
	case e.notAPI():
		return c.notAPIHint(e.contentType)
	case e.StatusCode == http.StatusUnauthorized || IsUnauthorized(e):
		if c.refused.n.Add(1) == 1 {
			return fmt.Sprintf("Confluent Cloud did not accept the provider's credentials, API key %s. The provider "+
				"needs a Cloud API key, which manages the organisation's resources; a Kafka, Schema Registry, "+
				"ksqlDB, Flink or Tableflow API key works only on its own cluster or region and is refused here. "+
				"Create a Cloud API key in the Confluent Cloud Console (Administration, API keys, \"Cloud resource "+
				"management\") or with \"confluent api-key create --resource cloud\", owned by a service account "+
				"with the OrganizationAdmin role, and set cloud_api_key and cloud_api_secret (or the "+
				"CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET environment variables). If it already is a "+
				"Cloud API key, check that the secret is the one issued with it and that the key still exists.",
				c.apiKey)
		}
		return fmt.Sprintf("API key %s was refused; see the first \"401 Unauthorized\" error for what the provider needs.",
			c.apiKey)
	case e.StatusCode == http.StatusForbidden:
		return fmt.Sprintf("Confluent Cloud accepted API key %s but refused this request: the key's owner lacks the "+
			"permission it needs (the OrganizationAdmin role can manage every service account and API key).", c.apiKey)
	}
	return ""
}

// notAPIHint explains an answer that is not the API's JSON.
func (c *Client) notAPIHint(contentType string) string {
	what := "an answer that is not JSON"
	if contentType != "" {
		what = fmt.Sprintf("an answer of type %q, not JSON", contentType)
	}
	return fmt.Sprintf("The endpoint %s sent %s, so it is probably not the Confluent Cloud API. Check the "+
		"provider's endpoint attribute and the CONFLUENT_CLOUD_ENDPOINT environment variable; the Confluent Cloud "+
		"API is %s.", c.endpoint.Redacted(), what, DefaultEndpoint)
}

// undecodableAnswer explains a successful answer whose body is not the JSON
// expected: it says what came back (status, content type and the first
// bytes, with anything like a secret redacted) and where to look.
func (c *Client) undecodableAnswer(r request, resp *response, err error) error {
	start := excerpt(string(resp.body))
	if len(start) > 80 {
		start = start[:80] + "..."
	}
	ct := resp.header.Get("Content-Type")
	return fmt.Errorf("%s %s: %d %s with a body that is not the expected JSON (%v), starting %q (request ID %s). %s",
		r.method, r.path, resp.status, http.StatusText(resp.status), err, start, orNone(resp.requestID), c.notAPIHint(ct))
}
