// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

//go:build generate

// Package tools holds the go:generate directives behind `make generate`: it
// formats the examples and regenerates docs/ from the provider's schemas,
// templates/ and examples/. tfplugindocs runs the terraform on PATH to read
// the schemas; it is pinned here and fetched from the Go module proxy.
package tools

//go:generate terraform fmt -recursive ../examples/
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0 generate --provider-dir .. --provider-name ccloud
