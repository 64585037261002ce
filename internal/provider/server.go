// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6Server serves p over protocol 6, like
// providerserver.NewProtocol6, but without the framework's memory growth
// per call.
//
// terraform-plugin-framework (through v1.19.0) derives a cancellable context
// from every call's context and keeps its cancel function until
// StopProvider, which Terraform sends only on an interrupt. Each kept
// function holds the call's whole context: the loggers and fields that
// terraform-plugin-go attaches, some 15 KB a call. A refresh and plan of
// 1,400 resources makes about 5,600 calls, so one provider process kept
// some 86 MB it would never use again.
//
// The server below hands the framework a context that forwards to the
// call's context while the call runs, and lets go of it when the call
// returns. The framework still keeps its cancel functions, but each now
// holds a few hundred bytes. Cancellation is unchanged: while the call runs,
// every method forwards to the call's context, so a StopProvider or a
// Terraform interrupt still reaches the work in flight.
func NewProtocol6Server(p provider.Provider) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer {
		return &releasingServer{ProviderServer: framework()}
	}
}

// NewProtocol6ServerWithError is NewProtocol6Server in the form that
// terraform-plugin-testing's ProtoV6ProviderFactories take.
func NewProtocol6ServerWithError(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	server := NewProtocol6Server(p)
	return func() (tfprotov6.ProviderServer, error) { return server(), nil }
}

// releasingServer passes every call on to the framework. The calls that
// Terraform makes once per resource or data source, which are the ones that
// add up, get a releasable context; the rest, made a handful of times per
// command, pass straight through.
type releasingServer struct {
	tfprotov6.ProviderServer
}

// call runs f with a context that is released when f returns.
func call[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return f(rc, req)
}

func (s *releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s *releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s *releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.ProviderServer.ReadResource)
}

func (s *releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s *releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s *releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s *releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s *releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.ProviderServer.ReadDataSource)
}

func (s *releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return call(ctx, req, s.ProviderServer.CallFunction)
}

// releasableContext forwards to a call's context until release, and from
// then on to an empty, cancelled context, so that whatever still holds it
// no longer holds the call's context.
type releasableContext struct {
	parent atomic.Pointer[context.Context]
}

// releasedContext is what a released context forwards to.
var releasedContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newReleasableContext(parent context.Context) *releasableContext {
	rc := &releasableContext{}
	rc.parent.Store(&parent)
	return rc
}

func (c *releasableContext) get() context.Context { return *c.parent.Load() }

func (c *releasableContext) release() { c.parent.Store(&releasedContext) }

func (c *releasableContext) Deadline() (time.Time, bool) { return c.get().Deadline() }

func (c *releasableContext) Done() <-chan struct{} { return c.get().Done() }

func (c *releasableContext) Err() error { return c.get().Err() }

func (c *releasableContext) Value(key any) any { return c.get().Value(key) }

// The list resource RPCs (terraform query) sit outside
// tfprotov6.ProviderServer in terraform-plugin-go v0.31.0, so the embedded
// interface does not carry them and terraform-plugin-go would find no list
// resources on this server: they are passed on here. ListResource is passed
// straight through, without a releasable context, because its results are
// produced after it returns, while Terraform reads the stream, and need the
// call's context until then. Both are made once per list block.
var _ tfprotov6.ListResourceServer = (*releasingServer)(nil)

func (s *releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.listServer().ValidateListResourceConfig(ctx, req)
}

func (s *releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.listServer().ListResource(ctx, req)
}

// listServer is the framework's server as a list resource server, which it
// always is.
func (s *releasingServer) listServer() tfprotov6.ListResourceServer {
	return s.ProviderServer.(tfprotov6.ListResourceServer)
}
