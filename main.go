// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-ccloud serves the ccloud Terraform provider,
// which manages Confluent Cloud service accounts and API keys.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ccloudiam/ccloud",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
