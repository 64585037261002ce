// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-ccloud serves the ccloud Terraform provider,
// which manages Confluent Cloud service accounts and API keys.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// stopProfiling ends profiling before the process exits; only builds with
// the pprof tag profile (see main_pprof.go).
var stopProfiling = func() {}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if !debug {
		for name, value := range quietLogDefaults(os.LookupEnv) {
			_ = os.Setenv(name, value)
		}
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		// In debug mode the parent is a shell or a debugger, not terraform,
		// and terraform attaches to the process and detaches again: the
		// process must keep serving.
		go exitWhenOrphaned(os.Getppid())
	}
	err := tf6server.Serve("registry.terraform.io/ccloudiam/ccloud", provider.NewProtocol6Server(provider.New(version)()), opts...)
	stopProfiling()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogDefaults returns the log level settings that turn this process's
// logs off when Terraform would discard them anyway.
//
// terraform-plugin-go logs everything at TRACE unless told otherwise, and
// sends it to Terraform as JSON lines, which Terraform parses and then
// drops unless TF_LOG or TF_LOG_PROVIDER asks for provider logs. Formatting
// and parsing those lines cost a quarter of a no-change plan's time over a
// few hundred resources, both here and in Terraform. Levels the user set
// are kept; with TF_LOG or TF_LOG_PROVIDER set nothing changes.
func quietLogDefaults(lookup func(string) (string, bool)) map[string]string {
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER"} {
		if v, ok := lookup(name); ok && v != "" {
			return nil
		}
	}
	out := map[string]string{}
	// TF_LOG_SDK covers the framework's and the protocol's loggers, and
	// TF_LOG_PROVIDER_CCLOUD this provider's own, including its ccloud_api
	// subsystem.
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_CCLOUD"} {
		if _, ok := lookup(name); !ok {
			out[name] = "off"
		}
	}
	return out
}
