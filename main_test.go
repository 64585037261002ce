// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"maps"
	"testing"
)

func TestQuietLogDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{name: "no logging asked for", env: map[string]string{},
			want: map[string]string{"TF_LOG_SDK": "off", "TF_LOG_PROVIDER_CCLOUD": "off"}},
		{name: "TF_LOG set", env: map[string]string{"TF_LOG": "TRACE"}, want: map[string]string{}},
		{name: "TF_LOG_PROVIDER set", env: map[string]string{"TF_LOG_PROVIDER": "debug"}, want: map[string]string{}},
		{name: "TF_LOG empty counts as unset", env: map[string]string{"TF_LOG": ""},
			want: map[string]string{"TF_LOG_SDK": "off", "TF_LOG_PROVIDER_CCLOUD": "off"}},
		{name: "a level the user set is kept", env: map[string]string{"TF_LOG_SDK": "warn"},
			want: map[string]string{"TF_LOG_PROVIDER_CCLOUD": "off"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := quietLogDefaults(func(name string) (string, bool) {
				v, ok := tc.env[name]
				return v, ok
			})
			if got == nil {
				got = map[string]string{}
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("quietLogDefaults(%v) = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}
