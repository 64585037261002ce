// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestFileNames checks the one test-file naming rule CONTRIBUTING.md
// states, so that a file's name says whether `make test-unit` or the
// acceptance pass runs it: acceptance tests only in internal/provider's
// *_acc_test.go files; that package's other tests in *_unit_test.go, and
// its test helpers without a test in *_helpers_test.go; plain *_test.go
// files, holding no acceptance test, everywhere else.
func TestTestFileNames(t *testing.T) {
	t.Parallel()

	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		acc, other, err := testFuncs(path)
		if err != nil {
			return err
		}
		checked++
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		inProvider := filepath.ToSlash(filepath.Dir(rel)) == "internal/provider"
		name := filepath.Base(rel)
		switch {
		case !inProvider && acc > 0:
			t.Errorf("%s holds %d acceptance tests; they belong in internal/provider's *_acc_test.go files", rel, acc)
		case !inProvider:
		case acc > 0 && other > 0:
			t.Errorf("%s holds both acceptance and other tests; split it into *_acc_test.go and *_unit_test.go", rel)
		case acc > 0 && !strings.HasSuffix(name, "_acc_test.go"):
			t.Errorf("%s holds acceptance tests; name it *_acc_test.go", rel)
		case acc == 0 && other > 0 && !strings.HasSuffix(name, "_unit_test.go"):
			t.Errorf("%s holds unit tests; name it *_unit_test.go", rel)
		case acc == 0 && other == 0 && !strings.HasSuffix(name, "_helpers_test.go"):
			t.Errorf("%s holds no test; name it *_helpers_test.go", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have found the tree: a wrong root would pass vacuously.
	if checked < 50 {
		t.Fatalf("checked %d test files, want the whole repository (more than 50)", checked)
	}
}

// testFuncs counts the top-level acceptance tests and the other test,
// fuzz, benchmark and example functions of one file.
func testFuncs(path string) (acc, other int, err error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return 0, 0, err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		switch name := fd.Name.Name; {
		case strings.HasPrefix(name, "TestAcc"):
			acc++
		case name == "TestMain":
		case strings.HasPrefix(name, "Test"), strings.HasPrefix(name, "Fuzz"),
			strings.HasPrefix(name, "Benchmark"), strings.HasPrefix(name, "Example"):
			other++
		}
	}
	return acc, other, nil
}
