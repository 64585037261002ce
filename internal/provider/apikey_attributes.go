// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"

	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// The attributes every key resource has, managed and ephemeral alike.
//
// A managed and an ephemeral key of one scope take the same arguments and
// give the same results, and a value refused by one must be refused by the
// other. The framework has a schema package per kind of resource, with types
// of their own, so each shared attribute is described once here and rendered
// into both kinds; what only one kind has (a plan modifier, a sentence about
// updates in place) is marked as such.

// keyAttribute is one string attribute of every key resource of a scope.
type keyAttribute struct {
	name string
	// about opens the description in both kinds of resource.
	about string
	// managed and ephemeral are sentences that only the one kind's
	// description gets, after about.
	managed, ephemeral string
	// rules closes the description: what is refused at plan time.
	rules string

	required, optional, computed, sensitive bool
	validators                              []validator.String
	// planModifiers apply to the managed resource only: an ephemeral
	// resource has no plan of its own.
	planModifiers []planmodifier.String
}

// ownerIDValidators check an owner ID wherever one is taken: the key
// resources and the owner filter of their list resources.
var ownerIDValidators = []validator.String{idPrefixValidator("a service account or user", "sa-", "u-")}

// keyAttributes are the attributes that the managed and the ephemeral key
// resources of s share: the common ones, then the scope's own arguments.
func (s *apiKeyScope) keyAttributes() []keyAttribute {
	// A computed value that only a create changes keeps its state value in
	// the plan, so that updates in place do not show it as unknown.
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := []keyAttribute{
		{
			name:     "id",
			about:    "ID of the API key, for example `ABCD1234EFGH5678`. Applications use it as the username.",
			computed: true, planModifiers: keep,
		},
		{
			name: "owner_id",
			about: "ID of the service account (`sa-...`) or user (`u-...`) that owns the key and whose " +
				"permissions it carries.",
			managed: "Use service accounts in production: a user's keys are deleted with the user. Changing it " +
				"replaces the key.",
			required: true, validators: ownerIDValidators,
			planModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		{
			name:     "display_name",
			about:    "Name of the key.",
			managed:  "Changing it updates the key in place.",
			rules:    textRulesNote,
			optional: true, validators: []validator.String{nameText()},
		},
		{
			name:    "description",
			about:   "Free-form description of the key.",
			managed: "Changing it updates the key in place; removing it clears the description.",
			ephemeral: "The provider appends its create marker (`[terraform-create:...]`) for the key's whole " +
				"life, so that a key left behind by a process that died before closing it can be told from keys " +
				"made otherwise.",
			rules: "It must not hold the provider's create marker syntax (`" + keyengine.CreateMarkerPrefix + "`). " +
				textRulesNote,
			optional: true, validators: []validator.String{descriptionText(), descriptionWithoutMarker()},
		},
		{
			name:  "secret",
			about: "Secret of the API key: the password applications use with `id`.",
			managed: "Confluent Cloud returns it only when the key is created, so it is null for imported keys " +
				"unless supplied at import time. It is null when `secret_recipients` is set: the secret is then " +
				"in `encrypted_secret` only.",
			ephemeral: "Ephemeral: Terraform never stores it.",
			computed:  true, sensitive: true, planModifiers: keep,
		},
		{
			name:     "owner_kind",
			about:    "Kind of the owner: `ServiceAccount` or `User`.",
			computed: true, planModifiers: keep,
		},
		{
			name:     "resource_id",
			about:    "The resource the key is scoped to, as Confluent Cloud names it: " + s.resourceIDForm + ".",
			computed: true, planModifiers: keep,
		},
		{
			name:     "created_at",
			about:    "When the key was created, in RFC 3339 format.",
			computed: true, planModifiers: keep,
		},
	}
	for _, a := range s.attributes {
		modifiers := a.planModifiers
		if modifiers == nil {
			modifiers = []planmodifier.String{stringplanmodifier.RequiresReplace()}
		}
		attrs = append(attrs, keyAttribute{name: a.name, about: a.description, required: true,
			validators: a.validators, planModifiers: modifiers})
	}
	return attrs
}

// describe joins the description's sentences for one kind of resource.
func (a keyAttribute) describe(kindOnly string) string {
	var parts []string
	for _, p := range []string{a.about, kindOnly, a.rules} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// resourceAttribute renders a into a managed resource's schema.
func (a keyAttribute) resourceAttribute() rschema.StringAttribute {
	return rschema.StringAttribute{
		Description:   a.describe(a.managed),
		Required:      a.required,
		Optional:      a.optional,
		Computed:      a.computed,
		Sensitive:     a.sensitive,
		Validators:    a.validators,
		PlanModifiers: a.planModifiers,
	}
}

// ephemeralAttribute renders a into an ephemeral resource's schema.
func (a keyAttribute) ephemeralAttribute() eschema.StringAttribute {
	return eschema.StringAttribute{
		Description: a.describe(a.ephemeral),
		Required:    a.required,
		Optional:    a.optional,
		Computed:    a.computed,
		Sensitive:   a.sensitive,
		Validators:  a.validators,
	}
}
