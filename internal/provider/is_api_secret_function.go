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
			"It returns false for anything else, including null and secrets with a typing or copying error. " +
			"Use it in preconditions, validation rules and secret scanning.\n\n" +
			"**Legacy secrets.** Keys created before the `cflt` format have 64-character secrets from the " +
			"base64 alphabet with no prefix and no checksum. They still work, but the function returns false " +
			"for them, because nothing in them can be checked. To accept both, combine it with a pattern: " +
			"`provider::ccloud::is_api_secret(s) || can(regex(\"^[A-Za-z0-9+/]{64}$\", s))`.\n\n" +
			"**Sensitive values.** A function's result is sensitive when its argument is, so applied to a " +
			"key's `secret` or to a sensitive variable it returns a sensitive `true` or `false`. Conditions " +
			"(`validation`, `precondition`, `postcondition`) use it as it is. An output or a resource " +
			"argument that must not be sensitive needs `nonsensitive(...)` around the call, which is safe: " +
			"a yes or no reveals nothing of the secret.",
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
