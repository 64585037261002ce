// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// importSecretWarning says that an imported key's secret is null. It is
// given only once the key is known to fit the resource type: importing into
// the wrong type fails with the type error alone, not with a warning about a
// secret that does not matter yet.
func importSecretWarning(typeName, id string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("API key secret unknown after import",
		fmt.Sprintf("Confluent Cloud returns a key's secret only when the key is created, so the secret "+
			"attribute of the imported %s %s is null. To import the secret too, set the %s environment "+
			"variable to it while importing (or, for several keys, %s to a JSON object from key ID to "+
			"secret, with an entry for %s). Otherwise rotate the key to get a new secret in state.",
			typeName, id, EnvImportAPISecret, EnvImportAPISecrets, id))
}
