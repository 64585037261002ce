// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
)

// graceFaultKeyLines give every key of the fault suite a grace period.
const graceFaultKeyLines = `  grace_period      = "1h"
  max_previous_keys = 1`

// keyIDsOf returns the sorted IDs of the API keys in objs that are (or are
// not) previous keys.
func keyIDsOf(objs []acctest.StateObject, previous bool) []string {
	var ids []string
	for _, o := range objs {
		if strings.HasSuffix(o.Type, "_api_key") && o.Previous == previous {
			ids = append(ids, o.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// TestAccFaults_graceConvergence runs the fault suite's configuration with
// a grace period on every key through in-place rotations and retirements
// while the mock injects every kind of fault: a rotation keeps the old key
// as a previous key; a second rotation at max_previous_keys retires the
// first previous key at once; once the injected clock passes retire_at an
// apply retires the rest. After every attempt nothing may be orphaned or
// tracked twice; after every phase the mock holds exactly what state tracks,
// current and previous keys all authenticate, and a plan shows no changes.
func TestAccFaults_graceConvergence(t *testing.T) {
	forEachSeed(t, []uint64{11, 12, 13, 14, 15}, func(t *testing.T, seed uint64) {
		fr := newFaultRun(t, seed, func(env *acctest.Env) string {
			return faultConfigWith(env, 1, "fault suite", graceFaultKeyLines)
		})
		env := fr.env
		config := func(gen int) string {
			return faultConfigWith(env, gen, "fault suite", graceFaultKeyLines)
		}
		apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}

		fr.converge("create", apply...)
		fr.checkExactPrevious("create", 0)
		created := keyIDsOf(fr.tf.StateObjects(), false)
		fr.checkNoChanges("create")

		// First rotation: every key rotates in place and its old key
		// becomes its previous key.
		fr.tf.WriteConfig(config(2))
		fr.converge("rotate", apply...)
		fr.checkExactPrevious("rotate", 1)
		objs := fr.tf.StateObjects()
		rotated := keyIDsOf(objs, false)
		if prev := keyIDsOf(objs, true); !reflect.DeepEqual(prev, created) {
			t.Errorf("rotate: previous keys %v, want the created keys %v", prev, created)
		}
		fr.checkNoChanges("rotate")

		// Second rotation at max_previous_keys = 1: the first previous
		// keys are retired in the same apply.
		fr.tf.WriteConfig(config(3))
		fr.converge("rotate-at-bound", apply...)
		fr.checkExactPrevious("rotate-at-bound", 1)
		objs = fr.tf.StateObjects()
		current := keyIDsOf(objs, false)
		if prev := keyIDsOf(objs, true); !reflect.DeepEqual(prev, rotated) {
			t.Errorf("rotate-at-bound: previous keys %v, want the first rotation's keys %v", prev, rotated)
		}
		fr.checkNoChanges("rotate-at-bound")

		// Past retire_at every previous key is retired; current keys stay.
		env.Clock.Advance(2 * time.Hour)
		fr.converge("retire", apply...)
		fr.checkExactPrevious("retire", 0)
		if now := keyIDsOf(fr.tf.StateObjects(), false); !reflect.DeepEqual(now, current) {
			t.Errorf("retire: current keys changed from %v to %v", current, now)
		}
		fr.checkNoChanges("retire")

		total, byKind := fr.destroy()
		t.Logf("grace fault run seed=%d: faults injected %d %v, requests %d, applies needed %d (%s; failed %d), orphans %d, duplicates %d, wall %s",
			seed, total, byKind, len(env.Mock.Requests("")), fr.applies, strings.Join(fr.phases, " "), fr.failed, len(fr.orphans), len(fr.dups), time.Since(fr.start).Round(time.Millisecond))
	})
}
