// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Compile-time check that the function implements the interface it means to.
var _ function.Function = (*isAPISecretFunction)(nil)

// NewIsAPISecretFunction returns the is_api_secret function.
func NewIsAPISecretFunction() function.Function {
	return &isAPISecretFunction{}
}

type isAPISecretFunction struct{}

func (f *isAPISecretFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "is_api_secret"
}

func (f *isAPISecretFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Checks whether a string is a well-formed Confluent Cloud API secret.",
		Description: "Returns true when the string is a Confluent Cloud API secret of the current format: " +
			"`cflt` followed by 54 base64 characters and a 6-character CRC-32 checksum that matches them. " +
			"It returns false for anything else, including null, secrets of the legacy format (which carry " +
			"no checksum) and secrets with a typing or copying error. Use it in preconditions, validation " +
			"rules and secret scanning.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:        "value",
				Description: "The string to check. Null is allowed and gives false, so the function can guard optional values.",
				// Null is a valid "not a secret" rather than an error, which is what a
				// precondition on an optional variable needs.
				AllowNullValue: true,
			},
		},
		Return: function.BoolReturn{},
	}
}

func (f *isAPISecretFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var value types.String
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &value))
	if resp.Error != nil {
		return
	}
	ok := !value.IsNull() && ccloud.IsAPISecret(value.ValueString())
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, ok))
}
