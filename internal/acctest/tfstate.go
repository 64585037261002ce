// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// StateObject is one object in a local state file: a resource instance's
// current object, a deposed one, or a previous key it tracks.
type StateObject struct {
	Type, Addr string
	ID         string
	Secret     string
	Tainted    bool
	Deposed    bool
	// Previous marks a key of an API key resource's previous_keys
	// (grace_period): tracked, working, but with no secret in state.
	Previous bool
}

// StateObjects reads every managed object of the workspace's local state,
// including tainted and deposed ones: they are tracked too, since the next
// apply deletes them. A workspace without a state file has none.
func (w *Workspace) StateObjects() []StateObject {
	w.t.Helper()
	return StateObjectsIn(w.t, w.Dir)
}

// StateObjectsIn reads the local state of the working directory dir.
func StateObjectsIn(t *testing.T, dir string) []StateObject {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Status     string         `json:"status"`
				Deposed    string         `json:"deposed"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("decoding the state file: %v", err)
	}
	var out []StateObject
	for _, rs := range st.Resources {
		if rs.Mode != "managed" {
			continue
		}
		for _, in := range rs.Instances {
			addr := rs.Type + "." + rs.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%v]", in.IndexKey)
			}
			id, _ := in.Attributes["id"].(string)
			secret, _ := in.Attributes["secret"].(string)
			o := StateObject{Type: rs.Type, Addr: addr, ID: id, Secret: secret, Tainted: in.Status == "tainted", Deposed: in.Deposed != ""}
			out = append(out, o)
			prev, _ := in.Attributes["previous_keys"].([]any)
			for i, p := range prev {
				pk, _ := p.(map[string]any)
				o.ID, _ = pk["id"].(string)
				o.Addr, o.Secret, o.Previous = fmt.Sprintf("%s.previous_keys[%d]", addr, i), "", true
				out = append(out, o)
			}
		}
	}
	return out
}

// StateIDs splits state objects into service account IDs and API key IDs,
// sorted, with duplicates kept so that a caller can detect them.
func StateIDs(objs []StateObject) (sas, keys []string) {
	for _, o := range objs {
		switch {
		case o.Type == "ccloud_service_account":
			sas = append(sas, o.ID)
		case strings.HasSuffix(o.Type, "_api_key"):
			keys = append(keys, o.ID)
		}
	}
	sort.Strings(sas)
	sort.Strings(keys)
	return sas, keys
}
