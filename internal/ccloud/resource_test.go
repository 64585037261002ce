// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import "testing"

func TestResourceRules(t *testing.T) {
	t.Parallel()
	legacy := &ObjectReference{ID: "env-old1.aws.us-east-1"}
	for _, tt := range []struct {
		ref      *ObjectReference
		id, env  string
		filterIn string
		filter   string
	}{
		{nil, "cloud", "", "", ""},
		{&ObjectReference{ID: "CLOUD"}, "cloud", "", "CLOUD", "cloud"},
		{&ObjectReference{ID: "TableFlow"}, "tableflow", "", "TableFlow", "tableflow"},
		{&ObjectReference{ID: "Global"}, "global", "", "Global", "global"},
		{&ObjectReference{ID: "lkc-1", Environment: "env-1"}, "lkc-1", "env-1", "lkc-1", "lkc-1"},
		{&ObjectReference{ID: "AWS.us-east-1", Environment: "env-2"}, "aws.us-east-1", "env-2", "AWS.us-east-1", "aws.us-east-1"},
		{legacy, "aws.us-east-1", "env-old1", legacy.ID, legacy.ID},
		{&ObjectReference{ID: "env-old1.aws.us-east-1", Environment: "env-new"}, "aws.us-east-1", "env-new", "", ""},
		{&ObjectReference{ID: "tableflow", Environment: "env-x"}, "tableflow", "", "", ""},
		{&ObjectReference{ID: "pool-1"}, "pool-1", "", "pool-1", "pool-1"},
	} {
		if got := ResourceID(tt.ref); got != tt.id {
			t.Errorf("ResourceID(%+v) = %q, want %q", tt.ref, got, tt.id)
		}
		if got := EnvironmentOf(tt.ref); got != tt.env {
			t.Errorf("EnvironmentOf(%+v) = %q, want %q", tt.ref, got, tt.env)
		}
		if got := ResourceFilter(tt.filterIn); got != tt.filter {
			t.Errorf("ResourceFilter(%q) = %q, want %q", tt.filterIn, got, tt.filter)
		}
	}

	current := &ObjectReference{ID: "aws.us-east-1", Environment: "env-old1"}
	if !SameResource(current, legacy) {
		t.Error("a legacy Flink answer is not the same resource as its current-form request")
	}
	if SameResource(&ObjectReference{ID: "aws.us-east-1", Environment: "env-other"}, legacy) {
		t.Error("a legacy Flink answer matched another environment")
	}
	if SameResource(&ObjectReference{ID: "lkc-1", Environment: "env-1"}, &ObjectReference{ID: "lkc-1", Environment: "env-2"}) {
		t.Error("clusters in different environments matched")
	}
	if SameResource(nil, &ObjectReference{ID: "tableflow"}) {
		t.Error("a Cloud request matched a Tableflow key")
	}

	for _, tt := range []struct {
		ref  *ObjectReference
		want string
	}{
		{&ObjectReference{ID: "u-1"}, KindUser},
		{&ObjectReference{ID: "sa-1"}, KindServiceAccount},
		{&ObjectReference{ID: "u-1", Kind: "ServiceAccount"}, KindServiceAccount},
		{nil, KindServiceAccount},
	} {
		if got := OwnerKind(tt.ref); got != tt.want {
			t.Errorf("OwnerKind(%+v) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
