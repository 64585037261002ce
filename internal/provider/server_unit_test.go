// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type payloadKey struct{}

// payload stands for what terraform-plugin-go attaches to a call's
// context; its finalizer tells when nothing holds the context any more.
type payload struct{ _ [64 << 10]byte }

// callWithPayload makes one ValidateResourceConfig call whose context
// carries a payload, and returns a flag that is set once the payload is
// garbage collected.
func callWithPayload(t *testing.T, server tfprotov6.ProviderServer) *atomic.Bool {
	t.Helper()
	freed := &atomic.Bool{}
	p := &payload{}
	runtime.SetFinalizer(p, func(*payload) { freed.Store(true) })
	ctx := context.WithValue(context.Background(), payloadKey{}, p)
	// An unknown type is enough: the framework keeps the context before it
	// looks at the request.
	if _, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "ccloud_nope"}); err != nil {
		t.Fatal(err)
	}
	return freed
}

func waitFreed(freed *atomic.Bool, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		runtime.GC()
		if freed.Load() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// TestNewProtocol6Server_releasesCallContexts checks that the server keeps
// nothing of a call's context after the call, and that the plain framework
// server, which this one works around, still does (if an upgrade of the
// framework fixes that, this test says so, and the wrapper can go).
func TestNewProtocol6Server_releasesCallContexts(t *testing.T) {
	t.Parallel()
	ours := NewProtocol6Server(New("test")())()
	if freed := callWithPayload(t, ours); !waitFreed(freed, 2*time.Second) {
		t.Error("a call's context is still held after the call returned")
	}
	// The servers must outlive the checks: a server that is itself garbage
	// frees everything it held.
	runtime.KeepAlive(ours)

	plain := providerserver.NewProtocol6(New("test")())()
	freed := callWithPayload(t, plain)
	if waitFreed(freed, 300*time.Millisecond) {
		t.Log("terraform-plugin-framework no longer keeps call contexts; NewProtocol6Server's wrapper may be removed")
	}
	runtime.KeepAlive(plain)
}

// TestReleasableContext checks that the context forwards everything while
// the call runs, including a cancellation that arrives then, and nothing
// after release.
func TestReleasableContext(t *testing.T) {
	t.Parallel()
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, "value"))
	rc := newReleasableContext(parent)
	// The framework derives its own cancellable context, as registerContext
	// does.
	derived, stop := context.WithCancel(rc)
	defer stop()

	if got := derived.Value(payloadKey{}); got != "value" {
		t.Errorf("Value before release = %v, want the call's value", got)
	}
	if derived.Err() != nil {
		t.Fatalf("derived context done before anything was cancelled: %v", derived.Err())
	}
	cancel()
	select {
	case <-derived.Done():
	case <-time.After(time.Second):
		t.Fatal("cancelling the call's context did not reach the derived context")
	}
	if !errors.Is(derived.Err(), context.Canceled) {
		t.Errorf("derived Err = %v, want context.Canceled", derived.Err())
	}

	rc.release()
	if got := rc.Value(payloadKey{}); got != nil {
		t.Errorf("Value after release = %v, want nil", got)
	}
	if rc.Err() == nil {
		t.Error("a released context is not done")
	}
	if _, ok := rc.Deadline(); ok {
		t.Error("a released context has a deadline")
	}
}
