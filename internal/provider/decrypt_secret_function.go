// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// Compile-time check that the function implements the interface it means to.
var _ function.Function = (*decryptSecretFunction)(nil)

// NewDecryptSecretFunction returns the decrypt_secret function.
func NewDecryptSecretFunction() function.Function {
	return &decryptSecretFunction{}
}

type decryptSecretFunction struct{}

func (f *decryptSecretFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "decrypt_secret"
}

func (f *decryptSecretFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Decrypts an API key's encrypted_secret with an age identity or SSH private key.",
		Description: "Decrypts the `encrypted_secret` of an API key sealed with `secret_recipients` and returns " +
			"the plaintext secret. The identity is an age identity (`AGE-SECRET-KEY-1...`, as `age-keygen` writes " +
			"it; comment lines are allowed) or an unencrypted ed25519 or RSA SSH private key. The result is " +
			"checked: a secret of the `cflt` format must carry a matching checksum, and a legacy secret must be " +
			"64 base64 characters, so a wrong identity or damaged ciphertext is an error, never a wrong " +
			"password.\n\n" +
			"Terraform makes a function's result ephemeral when any argument is ephemeral. Pass the identity " +
			"from a variable declared with `ephemeral = true` (and `sensitive = true`): the plaintext can then " +
			"reach only write-only arguments, provider blocks and other ephemeral contexts, and is never stored " +
			"in state or plan files. With an identity that is not ephemeral, the plaintext is an ordinary value " +
			"that Terraform may store, which defeats the purpose of sealing.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:        "encrypted_secret",
				Description: "The `encrypted_secret` attribute of an API key: an armoured age file.",
			},
			function.StringParameter{
				Name: "identity",
				Description: "The private key matching one of the key's `secret_recipients`. Pass it from an " +
					"ephemeral, sensitive variable.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *decryptSecretFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var sealed, identity types.String
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &sealed, &identity))
	if resp.Error != nil {
		return
	}
	plain, err := openAPISecret(sealed.ValueString(), identity.ValueString())
	if err != nil {
		resp.Error = function.ConcatFuncErrors(resp.Error, err)
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, plain))
}

// openAPISecret decrypts a sealed secret and checks that the result is an
// API secret. Its errors name the argument at fault and never hold the
// identity or the plaintext.
func openAPISecret(sealed, identity string) (string, *function.FuncError) {
	if strings.TrimSpace(sealed) == "" {
		return "", function.NewArgumentFuncError(0, "encrypted_secret is empty: the key has no sealed secret. "+
			"Set secret_recipients on the key (an imported key has a secret only if one was supplied at import)")
	}
	plain, err := seal.Open(sealed, identity)
	switch {
	case errors.Is(err, seal.ErrNoMatch):
		return "", function.NewArgumentFuncError(1, "The identity cannot decrypt this secret: it does not "+
			"match any of the key's secret_recipients. Use the private key of one of the recipients the key "+
			"was sealed to (after a change of recipients, the key's new secret is sealed to the new ones)")
	case err != nil && strings.HasPrefix(err.Error(), "not a readable age file"):
		return "", function.NewArgumentFuncError(0, "encrypted_secret is not a sealed secret: "+err.Error()+
			": pass the key's encrypted_secret attribute unchanged")
	case err != nil:
		return "", function.NewArgumentFuncError(1, "The identity is not usable: "+err.Error())
	}
	if !looksLikeAPISecret(plain) {
		return "", function.NewArgumentFuncError(0, "encrypted_secret decrypted, but not to a Confluent Cloud "+
			"API secret: its checksum or format is wrong. It was not produced by this provider's "+
			"secret_recipients, or it was altered")
	}
	return plain, nil
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// looksLikeAPISecret accepts a cflt secret with a matching checksum, or a
// legacy secret: 64 characters of the base64 alphabet, which carry no
// checksum (the formats are described at
// https://docs.confluent.io/cloud/current/client-apps/api-keys.html).
func looksLikeAPISecret(s string) bool {
	if ccloud.HasSecretPrefix(s) {
		return ccloud.IsAPISecret(s)
	}
	if len(s) != ccloud.SecretLen {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune(base64Alphabet, c) {
			return false
		}
	}
	return true
}
