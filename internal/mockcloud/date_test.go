// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net/http"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
)

// TestDateHeader_followsInjectedClock checks that every answer carries a
// Date header, as the real API's do, read from the mock's clock rather than
// the wall clock: tests of the provider's leases skew the two apart. Error
// answers carry it too, since a client learns the API's time from them as
// well.
func TestDateHeader_followsInjectedClock(t *testing.T) {
	t.Parallel()
	const skew = 3 * time.Hour
	s := Start(t, Options{Clock: clock.NewOffset(skew)})
	c := newClient(t, s)
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/iam/v2/service-accounts", 200},
		{"/iam/v2/api-keys/NOSUCHKEY0000000", 404},
	} {
		r := c.do("GET", tc.path, nil).want(t, tc.status)
		got, err := http.ParseTime(r.Header.Get("Date"))
		if err != nil {
			t.Fatalf("%s: Date header %q: %v", tc.path, r.Header.Get("Date"), err)
		}
		if want := time.Now().Add(skew); got.Before(want.Add(-5*time.Second)) || got.After(want.Add(5*time.Second)) {
			t.Errorf("%s: Date %s; want the mock's clock, about %s", tc.path, got, want.UTC().Format(time.RFC3339))
		}
	}
	unauth := c.as("", "").do("GET", "/iam/v2/service-accounts", nil).want(t, 401)
	if unauth.Header.Get("Date") == "" {
		t.Error("a 401 carries no Date header")
	}
}
