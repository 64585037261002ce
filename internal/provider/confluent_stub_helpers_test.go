// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// confluentStubAddress is the official provider's address, at which the
// stub is served so that Terraform takes it for confluentinc/confluent.
const confluentStubAddress = "registry.terraform.io/confluentinc/confluent"

// confluentStub stands in for the official confluentinc/confluent provider
// in the migration tests. It has the two resource types a migration moves,
// with the official provider's state shape (schema version 0, nested blocks
// stored as lists), and does nothing: Read keeps the state as it is and
// every change fails. Terraform needs it only to load the state that holds
// the confluent_* resources before the moved blocks carry them over.
type confluentStub struct{}

// newConfluentStubServer serves the stub over protocol 6. The official
// provider speaks protocol 5, which makes no difference to the state.
func newConfluentStubServer() func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(confluentStub{})
}

func (confluentStub) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "confluent"
}

func (confluentStub) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (confluentStub) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (confluentStub) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return stubResource{typeName: "api_key", schema: stubAPIKeySchema()} },
		func() resource.Resource {
			return stubResource{typeName: "service_account", schema: stubServiceAccountSchema()}
		},
	}
}

func (confluentStub) DataSources(context.Context) []func() datasource.DataSource { return nil }

// stubRef is the attribute set of the official provider's owner and
// managed_resource blocks.
func stubRef(extra map[string]schema.Block) schema.ListNestedBlock {
	return schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
		Attributes: map[string]schema.Attribute{
			"id":          schema.StringAttribute{Required: true},
			"kind":        schema.StringAttribute{Required: true},
			"api_version": schema.StringAttribute{Required: true},
		},
		Blocks: extra,
	}}
}

func stubAPIKeySchema() schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                     schema.StringAttribute{Computed: true},
			"display_name":           schema.StringAttribute{Optional: true},
			"description":            schema.StringAttribute{Optional: true},
			"secret":                 schema.StringAttribute{Computed: true, Sensitive: true},
			"disable_wait_for_ready": schema.BoolAttribute{Optional: true},
		},
		Blocks: map[string]schema.Block{
			"owner": stubRef(nil),
			"managed_resource": stubRef(map[string]schema.Block{
				"environment": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Required: true}},
				}},
			}),
		},
	}
}

func stubServiceAccountSchema() schema.Schema {
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id":           schema.StringAttribute{Computed: true},
		"api_version":  schema.StringAttribute{Computed: true},
		"kind":         schema.StringAttribute{Computed: true},
		"display_name": schema.StringAttribute{Required: true},
		"description":  schema.StringAttribute{Optional: true},
	}}
}

type stubResource struct {
	typeName string
	schema   schema.Schema
}

func (r stubResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r stubResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

func (r stubResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("Stub provider", "The confluentinc/confluent stand-in cannot create resources.")
}

// Read keeps the state as it is.
func (r stubResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r stubResource) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Stub provider", "The confluentinc/confluent stand-in cannot update resources.")
}

func (r stubResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("Stub provider", "The confluentinc/confluent stand-in cannot delete resources.")
}
