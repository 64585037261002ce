// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package keyengine

import "github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"

// ResourceID names the resource a key is scoped to the way the list filter
// and the API's answers name it: a cluster ID, a Flink region ID
// "<cloud>.<region>", or the literals "tableflow" and "cloud".
func ResourceID(ref *ccloud.ObjectReference) string {
	switch ccloud.ScopeOf(ref) {
	case ccloud.ScopeCloud:
		return ccloud.ResourceIDCloud
	case ccloud.ScopeTableflow:
		return ccloud.ResourceIDTableflow
	case ccloud.ScopeGlobal:
		return ccloud.ResourceIDGlobal
	case ccloud.ScopeFlink:
		_, cloud, region, _ := ccloud.ParseFlinkRegionID(ref.ID)
		return ccloud.FlinkRegionID(cloud, region)
	}
	return ref.ID
}

// SameResource reports whether a key read from the API is scoped to the
// resource a request reference names, environment included.
func SameResource(want, got *ccloud.ObjectReference) bool {
	if ccloud.ScopeOf(want) != ccloud.ScopeOf(got) || ResourceID(want) != ResourceID(got) {
		return false
	}
	if want == nil || want.Environment == "" {
		return true
	}
	if got == nil {
		return false
	}
	env := got.Environment
	if env == "" {
		// Legacy Flink references carry the environment in the ID.
		env, _, _, _ = ccloud.ParseFlinkRegionID(got.ID)
	}
	return env == want.Environment
}
