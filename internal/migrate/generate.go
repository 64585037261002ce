// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// showDoc is the part of `terraform show -json` the generator reads: the
// state's values, or, for a saved plan, the prior state's.
type showDoc struct {
	FormatVersion string      `json:"format_version"`
	Values        *showValues `json:"values"`
	PriorState    *struct {
		Values *showValues `json:"values"`
	} `json:"prior_state"`
}

type showValues struct {
	RootModule showModule `json:"root_module"`
}

type showModule struct {
	Address      string         `json:"address"`
	Resources    []showResource `json:"resources"`
	ChildModules []showModule   `json:"child_modules"`
}

type showResource struct {
	Address      string          `json:"address"`
	Mode         string          `json:"mode"`
	Type         string          `json:"type"`
	Name         string          `json:"name"`
	Index        any             `json:"index"`
	ProviderName string          `json:"provider_name"`
	Values       json.RawMessage `json:"values"`
}

// Result is the generator's output.
type Result struct {
	// HCL holds the moved blocks and the resource blocks that replace the
	// confluent_* blocks, formatted as terraform fmt would.
	HCL []byte
	// Moved counts the resource instances the moved blocks carry over.
	Moved int
	// Remaining lists the other resources of the official provider, which
	// stay with it.
	Remaining []string
	// Skipped explains the confluent_api_key and confluent_service_account
	// instances the generator left out, one line each.
	Skipped []string
}

// instance is one source resource instance on its way to a target.
type instance struct {
	source string // resource name
	index  any    // nil, int or string
	key    *APIKey
	sa     *ServiceAccount
}

// target is one resource block of the output.
type target struct {
	typ, name string
	instances []*instance
	// newIndex is each instance's index in the target: the same key for
	// for_each, a renumbered position for count (a counted source whose
	// keys belong to several scopes is split, and each part counts from 0).
	newIndex map[*instance]any
	// whole is set when the target takes every instance of its source, so
	// that one moved block moves the whole resource.
	whole bool
}

// Generate reads the JSON of `terraform show -json` (of a state or of a
// saved plan) for a configuration that uses the official provider, and
// writes the moved blocks and ccloud_* resource blocks that take over its
// confluent_service_account and confluent_api_key resources. Secrets are
// read but never written: they travel in the moved state.
func Generate(doc []byte) (*Result, error) {
	var d showDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("reading the output of terraform show -json: %w", err)
	}
	values := d.Values
	if values == nil && d.PriorState != nil {
		values = d.PriorState.Values
	}
	if values == nil {
		return nil, errors.New("the document has no state values: pass the output of `terraform show -json` " +
			"(or `terraform show -json PLANFILE`) of a configuration with applied resources")
	}

	res := &Result{}
	targets := map[string]*target{}
	var order []string
	add := func(typ, name string, in *instance) {
		k := typ + "." + name
		t, ok := targets[k]
		if !ok {
			t = &target{typ: typ, name: name}
			targets[k] = t
			order = append(order, k)
		}
		t.instances = append(t.instances, in)
	}
	for _, r := range values.RootModule.Resources {
		if r.Mode != "managed" || !IsOfficialProvider(r.ProviderName) {
			continue
		}
		in := &instance{source: r.Name, index: normaliseIndex(r.Index)}
		switch r.Type {
		case SourceServiceAccountType:
			sa, err := ParseServiceAccount(r.Values)
			if err != nil {
				res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %s", r.Address, err))
				continue
			}
			in.sa = sa
			add(ServiceAccountType, r.Name, in)
		case SourceAPIKeyType:
			k, err := ParseAPIKey(r.Values)
			if err != nil {
				res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %s", r.Address, err))
				continue
			}
			in.key = k
			add(k.TargetType(), r.Name, in)
		default:
			res.Remaining = append(res.Remaining, r.Address)
		}
	}
	walkChildren(values.RootModule.ChildModules, res)

	// A source resource whose instances all go to one target moves as a
	// whole; one whose keys span several scopes is split instance by
	// instance.
	targetsOf := map[string]int{}
	for _, t := range targets {
		t.assignIndexes()
		targetsOf[sourceType(t.instances[0])+"."+t.instances[0].source]++
	}
	for _, t := range targets {
		t.whole = targetsOf[sourceType(t.instances[0])+"."+t.instances[0].source] == 1
	}
	// Service accounts first, so that keys can refer to them.
	sort.SliceStable(order, func(i, j int) bool {
		ti, tj := targets[order[i]], targets[order[j]]
		if (ti.typ == ServiceAccountType) != (tj.typ == ServiceAccountType) {
			return ti.typ == ServiceAccountType
		}
		return order[i] < order[j]
	})
	owners := map[string]hcl.Traversal{}
	for _, k := range order {
		t := targets[k]
		if t.typ != ServiceAccountType {
			continue
		}
		for _, in := range t.instances {
			owners[in.sa.ID] = t.address(t.newIndex[in], "id")
		}
	}

	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for i, k := range order {
		if i > 0 {
			body.AppendNewline()
		}
		t := targets[k]
		t.write(body, owners)
		res.Moved += len(t.instances)
	}
	var out bytes.Buffer
	out.WriteString("# Generated by `go run ./tools/migrate` from `terraform show -json`. The moved blocks carry\n" +
		"# each confluent_* resource's state, its secret included, over to the ccloud_* resource below\n" +
		"# without changing it. Remove the confluent_service_account and confluent_api_key blocks they\n" +
		"# replace; the first plan must show no changes besides the moves.\n\n")
	out.Write(hclwrite.Format(f.Bytes()))
	res.HCL = out.Bytes()
	return res, nil
}

// walkChildren records the moved types in child modules as skipped: their
// moved and resource blocks belong in the module's own source, which the
// state does not show.
func walkChildren(mods []showModule, res *Result) {
	for _, m := range mods {
		for _, r := range m.Resources {
			if r.Mode != "managed" || !IsOfficialProvider(r.ProviderName) {
				continue
			}
			if r.Type == SourceAPIKeyType || r.Type == SourceServiceAccountType {
				res.Skipped = append(res.Skipped, fmt.Sprintf("%s: in module %s; write its moved and resource "+
					"blocks in that module's source", r.Address, m.Address))
			} else {
				res.Remaining = append(res.Remaining, r.Address)
			}
		}
		walkChildren(m.ChildModules, res)
	}
}

// normaliseIndex turns a JSON index into nil, an int (count) or a string
// (for_each).
func normaliseIndex(v any) any {
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		return x
	}
	return nil
}

// mode is "", "count" or "for_each".
func (t *target) mode() string {
	switch t.instances[0].index.(type) {
	case int:
		return "count"
	case string:
		return "for_each"
	}
	return ""
}

func (t *target) assignIndexes() {
	sort.SliceStable(t.instances, func(i, j int) bool {
		a, b := t.instances[i].index, t.instances[j].index
		switch x := a.(type) {
		case int:
			y, _ := b.(int)
			return x < y
		case string:
			y, _ := b.(string)
			return x < y
		}
		return false
	})
	t.newIndex = map[*instance]any{}
	for i, in := range t.instances {
		if _, counted := in.index.(int); counted {
			t.newIndex[in] = i
		} else {
			t.newIndex[in] = in.index
		}
	}
}

// address is the traversal of the target instance with the given index,
// followed by attrs.
func (t *target) address(index any, attrs ...string) hcl.Traversal {
	tr := hcl.Traversal{hcl.TraverseRoot{Name: t.typ}, hcl.TraverseAttr{Name: t.name}}
	tr = appendIndex(tr, index)
	for _, a := range attrs {
		tr = append(tr, hcl.TraverseAttr{Name: a})
	}
	return tr
}

func appendIndex(tr hcl.Traversal, index any) hcl.Traversal {
	switch x := index.(type) {
	case int:
		return append(tr, hcl.TraverseIndex{Key: cty.NumberIntVal(int64(x))})
	case string:
		return append(tr, hcl.TraverseIndex{Key: cty.StringVal(x)})
	}
	return tr
}

// field is one argument of a target resource block, with its value per
// instance. A nil value leaves the argument out (null).
type field struct {
	name   string
	values map[*instance]hclwrite.Tokens
}

func (t *target) fields(owners map[string]hcl.Traversal) []field {
	var names []string
	vals := map[string]map[*instance]hclwrite.Tokens{}
	set := func(in *instance, name string, tok hclwrite.Tokens) {
		if _, ok := vals[name]; !ok {
			vals[name] = map[*instance]hclwrite.Tokens{}
			names = append(names, name)
		}
		if tok != nil {
			vals[name][in] = tok
		}
	}
	anyNoWait := false
	str := func(s string) hclwrite.Tokens {
		if s == "" {
			return nil
		}
		return hclwrite.TokensForValue(cty.StringVal(s))
	}
	for _, in := range t.instances {
		if in.sa != nil {
			set(in, "display_name", str(in.sa.DisplayName))
			set(in, "description", str(in.sa.Description))
			continue
		}
		k := in.key
		owner := str(k.OwnerID)
		if tr, ok := owners[k.OwnerID]; ok {
			owner = hclwrite.TokensForTraversal(tr)
		}
		set(in, "owner_id", owner)
		if row := ccloud.FactsOf(k.Scope); row != nil {
			for _, name := range row.Arguments {
				set(in, name, str(k.Values[name]))
			}
		}
		set(in, "display_name", str(k.DisplayName))
		set(in, "description", str(k.Description))
		set(in, "wait_for_ready", hclwrite.TokensForValue(cty.BoolVal(k.WaitForReady)))
		if !k.WaitForReady {
			anyNoWait = true
		}
	}
	out := make([]field, 0, len(names))
	for _, n := range names {
		// wait_for_ready defaults to true, so it is written only when some
		// key skipped the official provider's readiness wait.
		if len(vals[n]) == 0 || (n == "wait_for_ready" && !anyNoWait) {
			continue
		}
		out = append(out, field{name: n, values: vals[n]})
	}
	return out
}

// write appends the target's moved blocks and its resource block (with a
// locals block holding the per-instance values of a count or for_each
// resource).
func (t *target) write(body *hclwrite.Body, owners map[string]hcl.Traversal) {
	if t.whole {
		// One block moves every instance. Terraform asks the provider with
		// the right source address for each of them, which it does not for
		// the second and later instance-level moves out of one resource.
		in := t.instances[0]
		mb := body.AppendNewBlock("moved", nil).Body()
		mb.SetAttributeTraversal("from", hcl.Traversal{hcl.TraverseRoot{Name: sourceType(in)}, hcl.TraverseAttr{Name: in.source}})
		mb.SetAttributeTraversal("to", hcl.Traversal{hcl.TraverseRoot{Name: t.typ}, hcl.TraverseAttr{Name: t.name}})
		body.AppendNewline()
	} else {
		for _, in := range t.instances {
			src := hcl.Traversal{hcl.TraverseRoot{Name: sourceType(in)}, hcl.TraverseAttr{Name: in.source}}
			mb := body.AppendNewBlock("moved", nil).Body()
			mb.SetAttributeTraversal("from", appendIndex(src, in.index))
			mb.SetAttributeTraversal("to", t.address(t.newIndex[in]))
			body.AppendNewline()
		}
	}

	fields := t.fields(owners)
	var rb *hclwrite.Body
	switch t.mode() {
	case "":
		rb = body.AppendNewBlock("resource", []string{t.typ, t.name}).Body()
		in := t.instances[0]
		for _, f := range fields {
			if tok, ok := f.values[in]; ok {
				rb.SetAttributeRaw(f.name, tok)
			}
		}
	default:
		local := "migrated_" + strings.TrimPrefix(t.typ, "ccloud_") + "_" + t.name
		items := make([]hclwrite.Tokens, 0, len(t.instances))
		for _, in := range t.instances {
			attrs := make([]hclwrite.ObjectAttrTokens, 0, len(fields))
			for _, f := range fields {
				tok, ok := f.values[in]
				if !ok {
					tok = hclwrite.TokensForIdentifier("null")
				}
				attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(f.name), Value: tok})
			}
			items = append(items, hclwrite.TokensForObject(attrs))
		}
		var collection hclwrite.Tokens
		if t.mode() == "count" {
			collection = hclwrite.TokensForTuple(items)
		} else {
			entries := make([]hclwrite.ObjectAttrTokens, len(items))
			for i, in := range t.instances {
				entries[i] = hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(in.index.(string))), Value: items[i]}
			}
			collection = hclwrite.TokensForObject(entries)
		}
		body.AppendNewBlock("locals", nil).Body().SetAttributeRaw(local, collection)
		body.AppendNewline()

		rb = body.AppendNewBlock("resource", []string{t.typ, t.name}).Body()
		localRef := hcl.Traversal{hcl.TraverseRoot{Name: "local"}, hcl.TraverseAttr{Name: local}}
		if t.mode() == "count" {
			rb.SetAttributeRaw("count", exprTokens("length(local."+local+")"))
		} else {
			rb.SetAttributeTraversal("for_each", localRef)
		}
		rb.AppendNewline()
		for _, f := range fields {
			if t.mode() == "count" {
				rb.SetAttributeRaw(f.name, exprTokens("local."+local+"[count.index]."+f.name))
			} else {
				rb.SetAttributeRaw(f.name, exprTokens("each.value."+f.name))
			}
		}
	}
	if t.typ != ServiceAccountType {
		// Rotation replaces a key; the new one must exist before the old one
		// goes, as this provider's examples always show.
		rb.AppendNewline()
		rb.AppendNewBlock("lifecycle", nil).Body().SetAttributeValue("create_before_destroy", cty.True)
	}
}

// exprTokens returns the tokens of an HCL expression written as source,
// for expressions hclwrite has no builder for, such as function calls.
func exprTokens(src string) hclwrite.Tokens {
	f, diags := hclwrite.ParseConfig([]byte("x = "+src+"\n"), "", hcl.InitialPos)
	if diags.HasErrors() {
		panic("migrate: invalid generated expression " + src + ": " + diags.Error())
	}
	return f.Body().GetAttribute("x").Expr().BuildTokens(nil)
}

func sourceType(in *instance) string {
	if in.sa != nil {
		return SourceServiceAccountType
	}
	return SourceAPIKeyType
}
