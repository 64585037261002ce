// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	t.Parallel()
	const doc = "../../internal/migrate/testdata/show.json"
	want, err := os.ReadFile("../../internal/migrate/testdata/show.golden.tf")
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	// From a file and from standard input alike.
	for _, args := range [][]string{{doc}, nil, {"-"}} {
		var stdout, stderr bytes.Buffer
		if err := run(args, bytes.NewReader(in), &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !bytes.Equal(stdout.Bytes(), want) {
			t.Errorf("%v: standard output is not the golden file", args)
		}
		for _, s := range []string{"11 resource instance(s) move", "confluent_role_binding.app_developer_write",
			"module.reporting.confluent_api_key.reader"} {
			if !strings.Contains(stderr.String(), s) {
				t.Errorf("%v: the summary lacks %q:\n%s", args, s, stderr.String())
			}
		}
	}

	var stdout, stderr bytes.Buffer
	err = run(nil, strings.NewReader(`{"values": {"root_module": {}}}`), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "no confluent_service_account or confluent_api_key") {
		t.Errorf("an empty state: %v, want an error saying there is nothing to move", err)
	}
	if err := run([]string{"a", "b"}, nil, &stdout, &stderr); err == nil {
		t.Error("two files: no error")
	}
}
