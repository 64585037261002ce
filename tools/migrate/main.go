// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command migrate writes the moved blocks and ccloud_* resource blocks that
// take a configuration's confluent_service_account and confluent_api_key
// resources over from the official confluentinc/confluent provider, without
// rotating a single key. It reads the output of `terraform show -json`:
//
//	terraform show -json > show.json
//	go run ./tools/migrate show.json > migrate.tf
//	terraform show -json | go run ./tools/migrate > migrate.tf
//
// The HCL goes to standard output; a summary (the instances moved, the
// official provider's other resources, which stay with it, and anything
// skipped) goes to standard error. The document holds the keys' secrets,
// which the generator reads but never writes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/migrate"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: terraform show -json | go run ./tools/migrate [FILE] > migrate.tf\n\n"+
			"Reads the JSON of `terraform show -json` (FILE, or standard input when FILE is absent or -) and\n"+
			"prints moved blocks and ccloud_* resource blocks for its confluent_service_account and\n"+
			"confluent_api_key resources.\n")
	}
	flag.Parse()
	if err := run(flag.Args(), os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "migrate:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	in := stdin
	switch {
	case len(args) > 1:
		return fmt.Errorf("expected at most one file, got %d arguments", len(args))
	case len(args) == 1 && args[0] != "-":
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	doc, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("reading the document: %w", err)
	}
	res, err := migrate.Generate(doc)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(res.HCL); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d resource instance(s) move to the ccloud provider.\n", res.Moved)
	if len(res.Remaining) > 0 {
		fmt.Fprintf(stderr, "\nThese stay with confluentinc/confluent; replace their references to moved resources "+
			"(confluent_service_account.X.id becomes ccloud_service_account.X.id, and likewise for keys):\n")
		for _, a := range res.Remaining {
			fmt.Fprintf(stderr, "  %s\n", a)
		}
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(stderr, "\nSkipped, to move by hand:\n")
		for _, s := range res.Skipped {
			fmt.Fprintf(stderr, "  %s\n", s)
		}
	}
	if res.Moved == 0 {
		return fmt.Errorf("the document holds no confluent_service_account or confluent_api_key resource of the " +
			"confluentinc/confluent provider in its root module")
	}
	return nil
}
