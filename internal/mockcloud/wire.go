// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// APIError is an error the mock answers with, rendered as the Confluent
// Cloud error envelope. The direct store methods return it too, so tests can
// check the status the HTTP API would have given.
type APIError struct {
	Status    int
	Code      string
	Title     string
	Detail    string
	Pointer   string // JSON pointer into the request body, if any.
	Parameter string // Offending query parameter, if any.
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
}

// IsNotFound reports whether err is an APIError with status 404.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

func errorf(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Detail: fmt.Sprintf(format, args...)}
}

func badRequest(pointer, format string, args ...any) *APIError {
	e := errorf(http.StatusBadRequest, "invalid_input", format, args...)
	e.Pointer = pointer
	return e
}

func badParameter(param, format string, args ...any) *APIError {
	e := errorf(http.StatusBadRequest, "invalid_parameter", format, args...)
	e.Parameter = param
	return e
}

func quotaExceeded(format string, args ...any) *APIError {
	e := errorf(http.StatusPaymentRequired, "quota_exceeded", format, args...)
	e.Title = "Quota Exceeded"
	return e
}

// defaultTitles are the short summaries the real API uses for each status.
var defaultTitles = map[int]string{
	400: "Bad Request",
	401: "Authentication Required",
	402: "Quota Exceeded",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	409: "Conflict",
	413: "Request Entity Too Large",
	422: "Validation Failed",
	429: "Too Many Requests",
	500: "Internal Server Error",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
}

func (e *APIError) item() wireError {
	title := e.Title
	if title == "" {
		title = defaultTitles[e.Status]
		if title == "" {
			title = http.StatusText(e.Status)
		}
	}
	// The real API always sends a source object, often empty.
	return wireError{
		ID:     newHexID(),
		Status: strconv.Itoa(e.Status),
		Code:   e.Code,
		Title:  title,
		Detail: e.Detail,
		Source: &wireErrorSource{Pointer: e.Pointer, Parameter: e.Parameter},
	}
}

// writeError answers with the error envelope.
func writeError(w http.ResponseWriter, e *APIError) {
	writeJSON(w, e.Status, wireFailure{Errors: []wireError{e.item()}})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the mock's own types are encoded here, so this is a bug.
		panic("mockcloud: encoding response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// decodeBody decodes a JSON request body, mapping syntax and type errors to
// 400 answers that point at the offending field where possible. Unknown
// fields are ignored, as the real API's forward-compatibility rule demands.
func decodeBody(body []byte, v any) *APIError {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("", "The request body is empty.")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		ptr := ""
		if typeErr.Field != "" {
			ptr = "/" + strings.ReplaceAll(typeErr.Field, ".", "/")
		}
		return badRequest(ptr, "The property '%s' must be of type %s, not %s.", ptr, jsonType(typeErr.Type.Kind().String()), typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return badRequest("", "The request body is not valid JSON: %v (at offset %d).", syntaxErr, syntaxErr.Offset)
	}
	return badRequest("", "The request body could not be decoded: %v.", err)
}

func jsonType(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "struct", "map", "ptr":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	default:
		return "number"
	}
}

// newHexID returns 32 random lowercase hex characters, the form the real API
// uses for request and error IDs.
func newHexID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
