// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// EnvImportAPISecrets holds the secrets of many keys for a bulk import
// (import blocks with for_each): a JSON object from key ID to secret.
const EnvImportAPISecrets = "CONFLUENT_CLOUD_IMPORT_API_SECRETS"

// importedSecret returns the secret an operator supplied for the key being
// imported, or "" when there is none (Read then warns about it). Confluent Cloud never
// returns a secret after creation, so the environment is the only source.
// A secret of the cflt format carries a checksum, which catches copying
// mistakes; no message ever repeats a value.
func importedSecret(typeName, keyID string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	single, bulk := os.Getenv(EnvImportAPISecret), os.Getenv(EnvImportAPISecrets)
	if single != "" && bulk != "" {
		diags.AddError("Ambiguous API key secrets for import",
			fmt.Sprintf("Both %s and %s are set. Set %s to import one key with its secret, or %s (a JSON object "+
				"from key ID to secret) to import several; not both, since the single secret would otherwise be "+
				"taken for keys the object does not list.", EnvImportAPISecret, EnvImportAPISecrets,
				EnvImportAPISecret, EnvImportAPISecrets))
		return "", diags
	}
	secret, source := single, EnvImportAPISecret
	if bulk != "" {
		var secrets map[string]string
		dec := json.NewDecoder(strings.NewReader(bulk))
		if err := dec.Decode(&secrets); err != nil || dec.More() {
			// The decoder's message may quote part of the input, which
			// holds secrets, so only the position is reported.
			where := ""
			if serr, ok := err.(*json.SyntaxError); ok {
				where = fmt.Sprintf(" (at byte %d)", serr.Offset)
			}
			diags.AddError("Invalid "+EnvImportAPISecrets,
				fmt.Sprintf("The %s environment variable is not a JSON object from API key ID to secret%s, such "+
					"as {\"ABCD1234EFGH5678\": \"cflt...\"}. Check its quoting.", EnvImportAPISecrets, where))
			return "", diags
		}
		entry, ok := secrets[keyID]
		if !ok {
			// Read warns that the secret is unknown, once the key is known
			// to be of the right type.
			return "", diags
		}
		source = fmt.Sprintf("entry %q of the %s environment variable", keyID, EnvImportAPISecrets)
		if entry == "" {
			diags.AddError("Invalid API key secret",
				fmt.Sprintf("The %s is empty. Give the key's secret, or remove the entry to import the key "+
					"without it.", source))
			return "", diags
		}
		secret = entry
	}
	switch {
	case secret == "":
		return "", diags
	case ccloud.HasSecretPrefix(secret) && !ccloud.IsAPISecret(secret):
		diags.AddError("Invalid API key secret",
			fmt.Sprintf("The %s does not hold a valid API secret for %s %s: it starts like a Confluent secret "+
				"of the cflt format, but its length, characters or checksum are wrong. Check that it was copied "+
				"completely.", sourceText(source), typeName, keyID))
		return "", diags
	}
	return secret, diags
}

// sourceText names where a secret came from in a sentence.
func sourceText(source string) string {
	if source == EnvImportAPISecret {
		return source + " environment variable"
	}
	return source
}
