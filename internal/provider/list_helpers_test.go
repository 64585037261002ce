// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// These helpers call the list resources the way Terraform does, over
// protocol 6, without Terraform: GetProviderSchema, ConfigureProvider, then
// ListResource, reading the stream result by result.

// listServer is a configured provider server.
type listServer struct {
	t      *testing.T
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
	ids    *tfprotov6.GetResourceIdentitySchemasResponse
}

// newListServer configures a provider against endpoint with the given
// credentials.
func newListServer(t *testing.T, endpoint, key, secret string) *listServer {
	t.Helper()
	ctx := context.Background()
	p := NewWithOptions("test", Options{RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})()
	server := NewProtocol6Server(p)()
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, diagText(schema.Diagnostics))
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasErrors(ids.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %s", err, diagText(ids.Diagnostics))
	}
	config := objectValue(t, schema.Provider, map[string]tftypes.Value{
		"endpoint":         tftypes.NewValue(tftypes.String, endpoint),
		"cloud_api_key":    tftypes.NewValue(tftypes.String, key),
		"cloud_api_secret": tftypes.NewValue(tftypes.String, secret),
		"max_retries":      tftypes.NewValue(tftypes.Number, 1),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %s", err, diagText(resp.Diagnostics))
	}
	return &listServer{t: t, server: server, schema: schema, ids: ids}
}

// objectValue is a DynamicValue of schema's block with the given attributes
// and every other attribute null.
func objectValue(t *testing.T, schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	typ := schema.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name := range set {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("the schema has no attribute %q", name)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// listed is one list result, decoded.
type listed struct {
	DisplayName string
	// ID is the identity's id.
	ID string
	// Resource holds the resource object's attributes, nil without
	// include_resource.
	Resource map[string]tftypes.Value
	// Raw is the result's resource object as JSON, for checks that no
	// secret is anywhere in it.
	Raw         string
	Diagnostics []*tfprotov6.Diagnostic
}

// listOptions are the knobs of one ListResource call.
type listOptions struct {
	filters         map[string]string
	includeResource bool
	limit           int64
	// each is called after each result is read, before the next.
	each func(i int, r listed)
}

// list runs ListResource for typeName and reads the whole stream.
func (s *listServer) list(typeName string, o listOptions) []listed {
	s.t.Helper()
	set := map[string]tftypes.Value{}
	for k, v := range o.filters {
		set[k] = tftypes.NewValue(tftypes.String, v)
	}
	cfgSchema, ok := s.schema.ListResourceSchemas[typeName]
	if !ok {
		s.t.Fatalf("no list resource %s", typeName)
	}
	resp, err := s.server.(tfprotov6.ListResourceServer).ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: objectValue(s.t, cfgSchema, set), IncludeResource: o.includeResource, Limit: o.limit,
	})
	if err != nil {
		s.t.Fatalf("ListResource: %v", err)
	}
	resType := s.schema.ResourceSchemas[typeName].ValueType()
	idType := s.ids.IdentitySchemas[typeName].ValueType()
	var out []listed
	for r := range resp.Results {
		l := listed{DisplayName: r.DisplayName, Diagnostics: r.Diagnostics}
		if r.Identity != nil && r.Identity.IdentityData != nil {
			v, err := r.Identity.IdentityData.Unmarshal(idType)
			if err != nil {
				s.t.Fatal(err)
			}
			var attrs map[string]tftypes.Value
			_ = v.As(&attrs)
			_ = attrs["id"].As(&l.ID)
		}
		if r.Resource != nil {
			v, err := r.Resource.Unmarshal(resType)
			if err != nil {
				s.t.Fatal(err)
			}
			_ = v.As(&l.Resource)
			l.Raw = string(r.Resource.JSON) + string(r.Resource.MsgPack)
		}
		if o.each != nil {
			o.each(len(out), l)
		}
		out = append(out, l)
	}
	return out
}

// str returns a string attribute of a listed resource, and whether it is
// not null.
func (l listed) str(name string) (string, bool) {
	v, ok := l.Resource[name]
	if !ok || v.IsNull() {
		return "", false
	}
	var s string
	_ = v.As(&s)
	return s, true
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// results splits listed results into those with an identity and the
// diagnostics of all of them.
func results(t *testing.T, all []listed) (items []listed, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, l := range all {
		diags = append(diags, l.Diagnostics...)
		if l.ID != "" {
			items = append(items, l)
		}
	}
	return items, diags
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
