// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// The published specs do not forbid unknown properties, so a misspelt JSON
// tag passes the validator: the real API would ignore it in a request, and
// a client would silently read nothing from it in an answer. The checks in
// this file close that gap from both sides. On the wire, every property the
// client sends and every property the mock answers must be declared by the
// operation's schema. Off the wire, every JSON name of the client's own
// types must be declared by the schema it decodes or encodes, which catches
// a misspelt tag even for a field no exchange happens to carry.

// requestSchema is the JSON request body schema of op, or nil.
func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	return mediaSchema(op.RequestBody.Value.Content)
}

// responseSchema is the JSON body schema op declares for status (or its
// default answer), or nil.
func responseSchema(op *openapi3.Operation, status int) *openapi3.Schema {
	if op == nil || op.Responses == nil {
		return nil
	}
	r := op.Responses.Status(status)
	if r == nil {
		r = op.Responses.Default()
	}
	if r == nil || r.Value == nil {
		return nil
	}
	return mediaSchema(r.Value.Content)
}

func mediaSchema(c openapi3.Content) *openapi3.Schema {
	mt := c.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// undeclaredInBody lists the JSON pointers of body's properties that schema
// does not declare.
func undeclaredInBody(schema *openapi3.Schema, body []byte) []string {
	if schema == nil || len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // The validator reports bodies that are not JSON.
	}
	var out []string
	undeclared([]*openapi3.Schema{schema}, v, "", &out)
	sort.Strings(out)
	return out
}

// undeclared walks v beside schemas (the parts that describe the same
// value) and appends the pointer of every property none of them (with their
// allOf, oneOf and anyOf parts) declares. A schema that allows additional
// properties, or declares none, accepts anything below it.
func undeclared(schemas []*openapi3.Schema, v any, at string, out *[]string) {
	if len(schemas) == 0 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		props := map[string][]*openapi3.Schema{}
		for _, s := range schemas {
			if open := collectProperties(s, props); open {
				return
			}
		}
		if len(props) == 0 {
			return // A free-form object.
		}
		for k, val := range x {
			ps, ok := props[k]
			if !ok {
				*out = append(*out, at+"/"+k)
				continue
			}
			undeclared(ps, val, at+"/"+k, out)
		}
	case []any:
		var items []*openapi3.Schema
		for _, s := range schemas {
			items = append(items, itemsOf(s)...)
		}
		for i, e := range x {
			undeclared(items, e, fmt.Sprintf("%s/%d", at, i), out)
		}
	}
}

// collectProperties gathers the declared properties of s and its composed
// parts; it reports true when additional properties are allowed. Parts
// that only add constraints (required, readOnly) declare nothing.
func collectProperties(s *openapi3.Schema, props map[string][]*openapi3.Schema) (open bool) {
	if s.AdditionalProperties.Schema != nil || (s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has) {
		return true
	}
	for name, ref := range s.Properties {
		if ref != nil && ref.Value != nil {
			props[name] = append(props[name], ref.Value)
		}
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, ref := range group {
			if ref != nil && ref.Value != nil && collectProperties(ref.Value, props) {
				return true
			}
		}
	}
	return false
}

// itemsOf is the item schemas of an array schema and its composed parts.
func itemsOf(s *openapi3.Schema) []*openapi3.Schema {
	var out []*openapi3.Schema
	if s.Items != nil && s.Items.Value != nil {
		out = append(out, s.Items.Value)
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, ref := range group {
			if ref != nil && ref.Value != nil {
				out = append(out, itemsOf(ref.Value)...)
			}
		}
	}
	return out
}

// shapeOf is a JSON value with every property a Go type can carry, named by
// its JSON tags, so undeclared can check the type without any exchange.
func shapeOf(t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return ""
		}
		m := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			m[name] = shapeOf(f.Type)
		}
		return m
	case reflect.Slice, reflect.Array:
		return []any{shapeOf(t.Elem())}
	}
	return ""
}

// clientWireTypes pairs each client wire type with the operation whose
// request (status 0) or answer it is.
var clientWireTypes = []struct {
	value     any
	operation string
	status    int
}{
	{ccloud.ServiceAccountCreate{}, "createIamV2ServiceAccount", 0},
	{ccloud.ServiceAccountUpdate{}, "updateIamV2ServiceAccount", 0},
	{ccloud.APIKeyCreate{}, "createIamV2ApiKey", 0},
	{ccloud.APIKeyUpdate{}, "updateIamV2ApiKey", 0},
	{ccloud.ServiceAccount{}, "getIamV2ServiceAccount", 200},
	{ccloud.List[ccloud.ServiceAccount]{}, "listIamV2ServiceAccounts", 200},
	{ccloud.APIKey{}, "createIamV2ApiKey", 202},
	{ccloud.APIKey{}, "getIamV2ApiKey", 200},
	{ccloud.List[ccloud.APIKey]{}, "listIamV2ApiKeys", 200},
	{ccloud.User{}, "getIamV2User", 200},
	{ccloud.List[ccloud.User]{}, "listIamV2Users", 200},
	{ccloud.Environment{}, "getOrgV2Environment", 200},
	{ccloud.List[ccloud.Environment]{}, "listOrgV2Environments", 200},
	{ccloud.List[ccloud.Organization]{}, "listOrgV2Organizations", 200},
	{ccloud.KafkaCluster{}, "getCmkV2Cluster", 200},
	{ccloud.SchemaRegistryCluster{}, "getSrcmV3Cluster", 200},
	{ccloud.KsqlDBCluster{}, "getKsqldbcmV2Cluster", 200},
	{ccloud.List[ccloud.FlinkRegion]{}, "listFcpmV2Regions", 200},
	{ccloud.List[ccloud.TableflowRegion]{}, "listTableflowV1Regions", 200},
	{ccloud.Failure{}, "getIamV2ApiKey", 404},
	{ccloud.Failure{}, "createIamV2ServiceAccount", 409},
}

// clientTypesAgainstSpecs checks every client wire type's JSON names
// against its operation's schema.
func clientTypesAgainstSpecs(ops map[string]*openapi3.Operation) []string {
	var failures []string
	for _, ct := range clientWireTypes {
		op := ops[ct.operation]
		if op == nil {
			failures = append(failures, fmt.Sprintf("%T: no operation %s in the specs", ct.value, ct.operation))
			continue
		}
		schema := requestSchema(op)
		if ct.status != 0 {
			schema = responseSchema(op, ct.status)
		}
		if schema == nil {
			failures = append(failures, fmt.Sprintf("%T: %s %d has no JSON schema", ct.value, ct.operation, ct.status))
			continue
		}
		var extra []string
		undeclared([]*openapi3.Schema{schema}, shapeOf(reflect.TypeOf(ct.value)), "", &extra)
		if len(extra) > 0 {
			sort.Strings(extra)
			failures = append(failures, fmt.Sprintf("%T (%s %d) has JSON names the spec does not declare: %s",
				ct.value, ct.operation, ct.status, strings.Join(extra, ", ")))
		}
	}
	return failures
}
