// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// handOverProxy forwards to the mock but holds the answers to hand-overs:
// the final PATCH of a create, whose description no longer carries a
// create marker. The mock has applied it; the provider never hears so.
type handOverProxy struct {
	mu      sync.Mutex
	held    int
	stopped bool
}

type holdKey struct{}

func startHandOverProxy(t *testing.T, target string) (*handOverProxy, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &handOverProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Context().Value(holdKey{}) == nil {
			return nil
		}
		p.mu.Lock()
		p.held++
		p.mu.Unlock()
		<-resp.Request.Context().Done()
		return resp.Request.Context().Err()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/iam/v2/api-keys/") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if !bytes.Contains(body, []byte(keyengine.CreateMarkerPrefix)) && p.holding() {
				r = r.WithContext(context.WithValue(r.Context(), holdKey{}, true))
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return p, srv.URL
}

// holding reports whether the proxy still holds hand-overs.
func (p *handOverProxy) holding() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.stopped
}

// stopHolding lets every later answer through.
func (p *handOverProxy) stopHolding() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
}

func (p *handOverProxy) heldHandOvers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// TestAccProcessDeath_killTerraformDuringHandOver kills terraform while the
// final PATCH of every create (the hand-over, which removes the marker)
// has been applied by the mock but its answer is held. State never records
// the keys, and without a marker no run could tell them from keys made by
// hand. The provider, left behind, sees the PATCH cancelled and writes the
// marker back as expired; the next apply, at once and with the default
// two-minute lease, deletes those keys and ends with exactly its own.
func TestAccProcessDeath_killTerraformDuringHandOver(t *testing.T) {
	t.Parallel()
	const keys = 2
	m := mockcloud.Start(t, mockcloud.Options{})
	proxy, endpoint := startHandOverProxy(t, m.URL())
	w := newDeathWorkspace(t, m, endpoint, "", keys)
	p := w.Start(applyArgs...)
	p.WaitUntil("every hand-over was applied and its answer is held", func() bool {
		return proxy.heldHandOvers() == keys && len(m.APIKeys()) == keys && markedKeys(m) == 0
	})
	killed := time.Now()
	p.Kill()
	logKill(t, "terraform killed with every hand-over's answer held", w, m)
	if tracked := len(workspaceKeyIDs(w)); tracked != 0 {
		t.Fatalf("state tracks %d keys whose hand-overs were never answered", tracked)
	}
	waitFor(t, "the provider left behind to expire the handed-over keys' leases", func() bool {
		n := 0
		for _, k := range m.APIKeys() {
			if l := keyengine.ClassifyLease(k, time.Now(), 0); l.State == keyengine.LeaseAbandoned {
				n++
			}
		}
		return n == keys
	})
	proxy.stopHolding()
	reapply(t, w, m, keys, true)
	if took := time.Since(killed); took >= keyengine.DefaultLease {
		t.Errorf("the clean-up took %s, as long as a lease; want it at once", took)
	}
	if n := deletedKeys(m); n != keys {
		t.Errorf("%d keys were deleted; want the %d the killed run left", n, keys)
	}
}
