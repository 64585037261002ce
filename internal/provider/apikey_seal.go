// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/seal"
)

// Sealed secrets.
//
// A managed resource cannot hand a value to Terraform without Terraform
// storing it in state. With secret_recipients set, the secret is therefore
// encrypted to those public keys (age, see internal/seal) before it reaches
// the plan or state: secret stays null and encrypted_secret holds the armoured
// age file. Only holders of a matching private key can read it, with the
// decrypt_secret function or the age command line.
//
// The rules for changes follow from what state holds:
//   - Plaintext in state (a key created or imported before recipients were
//     set) and recipients added: the plaintext is sealed in place and dropped.
//     The key is updated, not replaced.
//   - Only ciphertext in state and the recipients changed or removed: the
//     provider cannot decrypt, so it cannot re-seal. The key is replaced, so
//     that its new secret goes to the new recipients, and a warning says why.
//   - Recipients only reordered: nothing changes (they are a set).

// sealingAttributes are the schema attributes of sealed secrets, shared by
// every API key resource.
func sealingAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"secret_recipients": schema.SetAttribute{
			Description: "Public keys to seal the secret to, so that it never reaches Terraform state in plain " +
				"text: age X25519 recipients (`age1...`, from `age-keygen`), age post-quantum recipients " +
				"(`age1pq1...`, not mixed with other kinds), or SSH public keys of type `ssh-ed25519` or " +
				"`ssh-rsa`. When set, `secret` is null and `encrypted_secret` holds the secret encrypted to every " +
				"recipient; decrypt it with `provider::ccloud::decrypt_secret`. Adding recipients to a key whose " +
				"state holds the plain secret seals it in place. Changing or removing recipients of a sealed key " +
				"replaces the key, because its secret cannot be decrypted to re-seal it. A value with leading or " +
				"trailing white space (such as the line break that `file()` reads from a `.pub` file; use " +
				"`trimspace(file(...))`) and one public key given twice (an SSH key under two comments) are " +
				"refused at plan time.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				recipientsValidator{},
			},
		},
		"encrypted_secret": schema.StringAttribute{
			Description: "The secret encrypted to every key in `secret_recipients`, as an ASCII-armoured age file " +
				"(`-----BEGIN AGE ENCRYPTED FILE-----`); null without recipients. It is safe to store and to " +
				"output. Decrypt it with `provider::ccloud::decrypt_secret` or `age --decrypt`.",
			Computed: true,
			PlanModifiers: []planmodifier.String{
				stringplanmodifier.UseStateForUnknown(),
			},
		},
	}
}

// recipientsValidator checks each recipient, and that they can be used
// together, at plan time.
type recipientsValidator struct{}

func (recipientsValidator) Description(context.Context) string {
	return "each value must be an age or SSH (ssh-ed25519, ssh-rsa) public key"
}

func (v recipientsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (recipientsValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var list []string
	for _, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return
		}
		if s.IsNull() {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid secret recipient",
				"secret_recipients holds a null value. Remove it, or give an age or SSH public key.")
			return
		}
		if _, _, err := seal.ParseRecipient(s.ValueString()); err != nil {
			// The value is not repeated: a private key pasted here by mistake
			// must not be echoed into the plan output.
			resp.Diagnostics.AddAttributeError(req.Path.AtSetValue(s), "Invalid secret recipient",
				fmt.Sprintf("A value of secret_recipients cannot be used: %s.", err))
			return
		}
		list = append(list, s.ValueString())
	}
	if !recipientsDistinct(req.Path, req.ConfigValue, &resp.Diagnostics) {
		return
	}
	if _, err := seal.ParseRecipients(list); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid secret recipients", err.Error()+".")
	}
}

// recipientsDistinct refuses recipients padded with white space and two
// values that are one public key. Both used to pass: parsing trims the
// value, so " age1..." sealed like "age1...", but the set then held two
// values for one key, and a file() read ending in a line break differs from
// the same key written inline, which rotated the key for nothing. Exact
// duplicates never get here, since Terraform keeps a set's values once.
// The values are public keys, known to parse by now; messages show them
// shortened.
func recipientsDistinct(p path.Path, set types.Set, diags *diag.Diagnostics) bool {
	seen := map[string]string{}
	for _, e := range set.Elements() {
		s := e.(types.String)
		v := s.ValueString()
		if v != strings.TrimSpace(v) {
			diags.AddAttributeError(p.AtSetValue(s), "Invalid secret recipient",
				fmt.Sprintf("The value %s of secret_recipients has leading or trailing white space, such as the "+
					"line break at the end of a file read with file(). Remove it, for example with "+
					"trimspace(file(\"...\")).", shortRecipient(v)))
			return false
		}
		key := recipientIdentity(v)
		if first, ok := seen[key]; ok {
			diags.AddAttributeError(p.AtSetValue(s), "Duplicate secret recipient",
				fmt.Sprintf("The values %s and %s of secret_recipients are the same public key (they differ only "+
					"in the comment). Keep one of them.", shortRecipient(first), shortRecipient(v)))
			return false
		}
		seen[key] = v
	}
	return true
}

// recipientIdentity is what identifies the public key of a recipient: an
// SSH key's type and key material, without the comment; an age recipient
// as written, since age accepts only its lower-case form.
func recipientIdentity(r string) string {
	if f := strings.Fields(r); len(f) >= 2 && strings.HasPrefix(f[0], "ssh-") {
		return f[0] + " " + f[1]
	}
	return r
}

// shortRecipient shows a recipient in a message: its kind and the ends of
// its key, which tell keys apart, and an SSH key's comment, which names it.
func shortRecipient(r string) string {
	f := strings.Fields(r)
	if len(f) == 0 {
		return strconv.Quote(r)
	}
	short := func(k string) string {
		if len(k) <= 20 {
			return k
		}
		return k[:12] + "..." + k[len(k)-6:]
	}
	out := short(f[0])
	if len(f) >= 2 && strings.HasPrefix(f[0], "ssh-") {
		out = f[0] + " ..." + f[1][max(0, len(f[1])-6):] + strings.Join(append([]string{""}, f[2:]...), " ")
	}
	return strconv.Quote(out)
}

// recipientList returns the configured recipients, sorted, and whether they
// are all known. A null set gives nil.
func recipientList(set types.Set) ([]string, bool) {
	if set.IsUnknown() {
		return nil, false
	}
	if set.IsNull() {
		return nil, true
	}
	var out []string
	for _, e := range set.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	sort.Strings(out)
	return out, true
}

// planSealingCreate sets the planned secret attributes of a new key.
func planSealingCreate(plan *apiKeyModel) {
	switch {
	case plan.SecretRecipients.IsUnknown():
		plan.Secret, plan.EncryptedSecret = types.StringUnknown(), types.StringUnknown()
	case plan.SecretRecipients.IsNull():
		plan.Secret, plan.EncryptedSecret = types.StringUnknown(), types.StringNull()
	default:
		plan.Secret, plan.EncryptedSecret = types.StringNull(), types.StringUnknown()
	}
}

// planSealingUpdate plans the secret attributes of an existing key whose
// recipients may have changed, and reports whether it changed the plan.
// Whether the change replaces the key is the rotation planner's decision
// (see recipientsRotate); replaced says it does.
func planSealingUpdate(state, plan *apiKeyModel, replaced bool) bool {
	if !recipientsChanged(state, plan) {
		return false
	}
	_, known := recipientList(plan.SecretRecipients)
	holdsPlaintext := !state.Secret.IsNull() && !state.Secret.IsUnknown()
	switch {
	case replaced:
		// The new key's secret goes to the new recipients.
		plan.Secret, plan.EncryptedSecret = types.StringUnknown(), types.StringUnknown()
	case holdsPlaintext && plan.sealed():
		// Sealed in place: the secret leaves state with this update.
		plan.Secret = types.StringNull()
		plan.EncryptedSecret = types.StringUnknown()
		if !known {
			plan.Secret = types.StringUnknown()
		}
	case holdsPlaintext:
		// Cannot happen: plaintext is only held without recipients, and
		// equal recipients returned above.
		return false
	default:
		// No secret is known to seal (an imported key without its secret);
		// the recipients only apply to the next key.
		plan.Secret, plan.EncryptedSecret = types.StringNull(), types.StringNull()
	}
	return true
}

// recipientsChanged reports whether the planned recipients may differ from
// those in state. Recipients not known yet may.
func recipientsChanged(state, plan *apiKeyModel) bool {
	before, _ := recipientList(state.SecretRecipients)
	after, known := recipientList(plan.SecretRecipients)
	return !known || !equalStrings(before, after)
}

// sealCreated stores a new key's secret in the model: sealed to the
// recipients when there are any, otherwise in plain text.
func sealCreated(m *apiKeyModel, secret string) diag.Diagnostics {
	var diags diag.Diagnostics
	recipients, _ := recipientList(m.SecretRecipients)
	if len(recipients) == 0 {
		m.Secret, m.EncryptedSecret = types.StringValue(secret), types.StringNull()
		return diags
	}
	m.Secret = types.StringNull()
	sealed, err := seal.Seal(secret, recipients)
	if err != nil {
		// The recipients passed validation, so this is unexpected; the key
		// still goes to state (without its secret) so it is not orphaned.
		m.EncryptedSecret = types.StringNull()
		diags.AddAttributeError(path.Root("secret_recipients"), "Could not seal the API key secret",
			fmt.Sprintf("Encrypting the new key's secret to secret_recipients failed: %s. The key is saved in state "+
				"without its secret and marked tainted, so the next apply replaces it.", err))
		return diags
	}
	m.EncryptedSecret = types.StringValue(sealed)
	return diags
}

// sealInUpdate carries the secret attributes through an update, sealing a
// plain secret in place when recipients were added.
func sealInUpdate(plan, state *apiKeyModel) diag.Diagnostics {
	var diags diag.Diagnostics
	recipients, _ := recipientList(plan.SecretRecipients)
	switch {
	case len(recipients) > 0 && !state.Secret.IsNull():
		sealed, err := seal.Seal(state.Secret.ValueString(), recipients)
		if err != nil {
			diags.AddAttributeError(path.Root("secret_recipients"), "Could not seal the API key secret",
				fmt.Sprintf("Encrypting the key's secret to secret_recipients failed: %s. State is unchanged.", err))
			return diags
		}
		plan.Secret, plan.EncryptedSecret = types.StringNull(), types.StringValue(sealed)
	case len(recipients) > 0:
		plan.Secret = types.StringNull()
		if plan.EncryptedSecret.IsUnknown() {
			plan.EncryptedSecret = state.EncryptedSecret
		}
	default:
		plan.Secret, plan.EncryptedSecret = state.Secret, state.EncryptedSecret
	}
	return diags
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
