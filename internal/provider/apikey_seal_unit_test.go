// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"
)

func recipientSet(t *testing.T, rs ...string) types.Set {
	t.Helper()
	if rs == nil {
		return types.SetNull(types.StringType)
	}
	var elems []attr.Value
	for _, r := range rs {
		elems = append(elems, types.StringValue(r))
	}
	s, d := types.SetValue(types.StringType, elems)
	if d.HasError() {
		t.Fatal(d)
	}
	return s
}

func newRecipient(t *testing.T) string {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String()
}

// TestAPIKeyModifyPlan_sealing covers the planning rules of sealed secrets:
// what state holds decides between sealing in place and rotating.
func TestAPIKeyModifyPlan_sealing(t *testing.T) {
	now := time.Now()
	a, b := newRecipient(t), newRecipient(t)
	plain := func() *apiKeyModel {
		m := storedModel(now, "90d")
		m.SecretRecipients = recipientSet(t)
		m.EncryptedSecret = types.StringNull()
		return m
	}
	sealed := func(rs ...string) *apiKeyModel {
		m := storedModel(now, "90d")
		m.Secret = types.StringNull()
		m.SecretRecipients = recipientSet(t, rs...)
		m.EncryptedSecret = types.StringValue("-----BEGIN AGE ENCRYPTED FILE-----\n...")
		return m
	}
	// planFrom is the plan the framework builds from state and a new
	// configuration: UseStateForUnknown keeps the computed values.
	planFrom := func(state *apiKeyModel, rs types.Set) *apiKeyModel {
		m := *state
		m.SecretRecipients = rs
		return &m
	}

	t.Run("create sealed", func(t *testing.T) {
		p := baseModel("sa-abc123")
		p.SecretRecipients = recipientSet(t, a)
		p.EncryptedSecret = types.StringUnknown()
		resp, got := modifyPlan(t, now, p, nil)
		if resp.Diagnostics.HasError() || !got.Secret.IsNull() || !got.EncryptedSecret.IsUnknown() {
			t.Fatalf("secret %v, encrypted_secret %v, diags %v", got.Secret, got.EncryptedSecret, resp.Diagnostics)
		}
	})
	t.Run("create plain", func(t *testing.T) {
		p := baseModel("sa-abc123")
		p.SecretRecipients = recipientSet(t)
		p.EncryptedSecret = types.StringUnknown()
		_, got := modifyPlan(t, now, p, nil)
		if !got.Secret.IsUnknown() || !got.EncryptedSecret.IsNull() {
			t.Fatalf("secret %v, encrypted_secret %v", got.Secret, got.EncryptedSecret)
		}
	})
	t.Run("seal in place", func(t *testing.T) {
		state := plain()
		resp, got := modifyPlan(t, now, planFrom(state, recipientSet(t, a)), state)
		if len(resp.RequiresReplace) != 0 || len(resp.Diagnostics) != 0 {
			t.Fatalf("sealing in place asked for %v, diags %v", resp.RequiresReplace, resp.Diagnostics)
		}
		if !got.Secret.IsNull() || !got.EncryptedSecret.IsUnknown() {
			t.Fatalf("secret %v, encrypted_secret %v; want null and unknown", got.Secret.IsNull(), got.EncryptedSecret)
		}
	})
	t.Run("reordered", func(t *testing.T) {
		state := sealed(a, b)
		resp, got := modifyPlan(t, now, planFrom(state, recipientSet(t, b, a)), state)
		if len(resp.RequiresReplace) != 0 || len(resp.Diagnostics) != 0 || !got.EncryptedSecret.Equal(state.EncryptedSecret) {
			t.Fatalf("reordering recipients changed the plan: %v, %v", resp.RequiresReplace, resp.Diagnostics)
		}
	})
	for name, rs := range map[string]types.Set{
		"changed": recipientSet(t, b), "added": recipientSet(t, a, b), "removed": recipientSet(t),
		"unknown": types.SetUnknown(types.StringType),
	} {
		t.Run("sealed and "+name, func(t *testing.T) {
			state := sealed(a)
			resp, got := modifyPlan(t, now, planFrom(state, rs), state)
			if len(resp.RequiresReplace) != 1 || !resp.RequiresReplace[0].Equal(path.Root("secret_recipients")) {
				t.Fatalf("RequiresReplace %v, want secret_recipients", resp.RequiresReplace)
			}
			w := warnings(resp.Diagnostics)
			want := name
			switch name {
			case "added":
				want = "changed"
			case "unknown":
				want = "not known until apply"
			}
			if !strings.Contains(w, "API key rotates for new secret recipients") || !strings.Contains(w, "are "+want) ||
				!strings.Contains(w, state.ID.ValueString()) {
				t.Fatalf("warning %q does not explain the rotation", w)
			}
			if !got.EncryptedSecret.IsUnknown() {
				t.Fatalf("encrypted_secret %v, want unknown", got.EncryptedSecret)
			}
		})
	}
	t.Run("nothing to seal", func(t *testing.T) {
		state := plain()
		state.Secret = types.StringNull()
		resp, got := modifyPlan(t, now, planFrom(state, recipientSet(t, a)), state)
		if len(resp.RequiresReplace) != 0 || !got.Secret.IsNull() || !got.EncryptedSecret.IsNull() {
			t.Fatalf("an imported key without its secret: %v, %v, %v", resp.RequiresReplace, got.Secret, got.EncryptedSecret)
		}
	})
}

func TestSealInUpdate(t *testing.T) {
	a := newRecipient(t)
	state := storedModel(time.Now(), "90d")
	state.SecretRecipients, state.EncryptedSecret = recipientSet(t), types.StringNull()
	plan := *state
	plan.SecretRecipients = recipientSet(t, a)
	plan.Secret, plan.EncryptedSecret = types.StringNull(), types.StringUnknown()
	if d := sealInUpdate(&plan, state); d.HasError() {
		t.Fatal(d)
	}
	if !plan.Secret.IsNull() || !strings.HasPrefix(plan.EncryptedSecret.ValueString(), "-----BEGIN AGE ENCRYPTED FILE-----") {
		t.Fatalf("secret %v, encrypted_secret %q", plan.Secret, plan.EncryptedSecret.ValueString())
	}
	if strings.Contains(plan.EncryptedSecret.ValueString(), state.Secret.ValueString()) {
		t.Fatal("the sealed secret holds the plaintext")
	}
}

// newSSHRecipient returns a fresh ssh-ed25519 public key without a comment.
func newSSHRecipient(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub)))
}

// TestRecipientsValidator_paddedAndDuplicate checks that a recipient with
// leading or trailing white space and two values of one public key are
// refused, naming secret_recipients and the value, shortened, while distinct
// keys (SSH keys with comments among them) pass.
func TestRecipientsValidator_paddedAndDuplicate(t *testing.T) {
	t.Parallel()
	a, b := newRecipient(t), newRecipient(t)
	sshA, sshB := newSSHRecipient(t), newSSHRecipient(t)
	shortA := a[:12] + "..." + a[len(a)-6:]
	for name, tc := range map[string]struct {
		values []string
		want   string
	}{
		"two age keys":                           {[]string{a, b}, ""},
		"age and SSH with a comment":             {[]string{a, sshA + " deploy@ci"}, ""},
		"two SSH keys, one comment":              {[]string{sshA + " ops", sshB + " ops"}, ""},
		"trailing line break":                    {[]string{a + "\n"}, `The value "` + shortA + `" of secret_recipients has leading or trailing white space`},
		"leading space":                          {[]string{b, " " + a}, `"` + shortA + `" of secret_recipients has leading or trailing white space`},
		"padded SSH key":                         {[]string{sshA + " me\n"}, "has leading or trailing white space"},
		"one SSH key twice":                      {[]string{sshA + " laptop", sshA + " desktop"}, "are the same public key"},
		"one SSH key with and without a comment": {[]string{sshA, sshA + " laptop"}, "are the same public key"},
	} {
		resp := &validator.SetResponse{}
		recipientsValidator{}.ValidateSet(context.Background(), validator.SetRequest{
			Path: path.Root("secret_recipients"), ConfigValue: recipientSet(t, tc.values...),
		}, resp)
		got := ""
		if resp.Diagnostics.HasError() {
			got = resp.Diagnostics.Errors()[0].Detail()
			if p := resp.Diagnostics.Errors()[0].(diag.DiagnosticWithPath).Path(); !p.ParentPath().Equal(path.Root("secret_recipients")) {
				t.Errorf("%s: the error's path is %s, want a value of secret_recipients", name, p)
			}
		}
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: refused: %s", name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: want an error containing %q, got %q", name, tc.want, got)
		}
		if strings.Contains(got, a) || (len(tc.values) > 0 && strings.Contains(got, sshA)) {
			t.Errorf("%s: the error repeats a whole recipient: %q", name, got)
		}
	}
}
