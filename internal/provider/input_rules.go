// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Names and descriptions are shown in the Confluent Cloud Console, the CLI
// and audit logs, where invisible characters and characters that reorder
// text make one name pass for another ("payments" and "pay\u200bments", or
// a right-to-left override that displays "exe.txt" as "txt.exe"). So they
// are refused at plan time.

// textRulesNote documents the rules in the schema of every name and
// description.
const textRulesNote = "Text that is only white space, or that holds control characters (NUL included), " +
	"zero-width characters or bidirectional formatting characters such as a right-to-left override, is refused " +
	"at plan time; descriptions may hold line breaks and tabs. So is text that renders as nothing: only fillers " +
	"such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN BLANK, combining marks without a letter, and white space."

// textRule is the validator of a display name or description.
type textRule struct {
	// what names the kind of text in messages: "name" or "description".
	what string
	// lineBreaks allows line feeds, carriage returns and tabs, which a
	// description written as a heredoc naturally holds.
	lineBreaks bool
}

var _ validator.String = textRule{}

// nameText and descriptionText are the rules of display_name and
// description attributes.
func nameText() validator.String        { return textRule{what: "name"} }
func descriptionText() validator.String { return textRule{what: "description", lineBreaks: true} }

func (v textRule) Description(context.Context) string {
	s := "must hold a visible character (not only white space, fillers or combining marks) and no control, " +
		"zero-width or bidirectional formatting characters"
	if v.lineBreaks {
		s += " (line breaks and tabs are allowed)"
	}
	return s
}

func (v textRule) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v textRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if s != "" && strings.TrimFunc(s, unicode.IsSpace) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("The %s %q holds only white space. Give it visible text, or leave the attribute out.", req.Path, s))
		return
	}
	if i, r, bad := firstForbiddenRune(s, v.lineBreaks); bad != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("The %s %q holds %s (U+%04X) at character %d. Control, zero-width and bidirectional "+
				"formatting characters are not accepted in names and descriptions: consoles and logs show them "+
				"invisibly or reorder the text around them, so one name could pass for another. Remove it.",
				req.Path, s, bad, r, i+1))
		return
	}
	if s != "" && rendersBlank(s) {
		// The value is shown escaped: printed as it is, it would look empty.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("The %s %s renders as blank: it holds only characters that display as nothing (fillers "+
				"such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN BLANK, combining marks without a letter, "+
				"white space), so it would show as an empty %s. Give it visible text, or leave the attribute out.",
				req.Path, strconv.QuoteToASCII(s), v.what))
	}
}

// rendersBlank reports whether every character of s displays as nothing:
// white space, invisible formatting characters, combining marks (which
// need a letter to sit on), variation selectors, and the letters and
// symbols that fonts draw empty. The last are what look-alike names are
// made of, because unlike white space they pass a trim: the Hangul fillers
// (U+115F, U+1160, U+3164, U+FFA0, which Unicode lists as default
// ignorable) and the blank Braille pattern (U+2800).
func rendersBlank(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.In(r, unicode.Cf, unicode.M, unicode.Variation_Selector,
			unicode.Other_Default_Ignorable_Code_Point):
		case r == '\u2800':
		default:
			return false
		}
	}
	return true
}

// firstForbiddenRune finds the first character a name or description may
// not hold, and returns its position in characters, the character and a
// description of it; the description is "" when there is none.
func firstForbiddenRune(s string, lineBreaks bool) (int, rune, string) {
	if !utf8.ValidString(s) {
		return 0, utf8.RuneError, "invalid UTF-8"
	}
	i := 0
	for _, r := range s {
		switch {
		case r == 0:
			return i, r, "a NUL character"
		case lineBreaks && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return i, r, "a control character"
		case r == '\u2028' || r == '\u2029':
			return i, r, "a line or paragraph separator"
		case isBidiControl(r):
			return i, r, "a bidirectional formatting character"
		case unicode.In(r, unicode.Cf):
			// Zero-width spaces and joiners, the byte order mark, soft
			// hyphens and other characters with no glyph of their own.
			return i, r, "an invisible formatting character"
		}
		i++
	}
	return 0, 0, ""
}

// isBidiControl reports the characters that change the direction of text:
// the embeddings, overrides and isolates, and the directional marks.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200E' || r == '\u200F' || r == '\u061C'
}

// cloudNames are the clouds Flink runs in, as the API writes them.
var cloudNames = []string{"AWS", "GCP", "AZURE"}

// cloudValidator accepts a cloud name in any case, since Confluent Cloud
// itself writes them both ways ("AWS" in region objects, "aws" in region
// IDs such as aws.us-east-1).
type cloudValidator struct{}

var _ validator.String = cloudValidator{}

func (cloudValidator) Description(context.Context) string {
	return "value must be one of AWS, GCP or AZURE, in any case"
}

func (v cloudValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cloudValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, c := range cloudNames {
		if strings.EqualFold(req.ConfigValue.ValueString(), c) {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid cloud",
		fmt.Sprintf("The %s %q is not a cloud Flink runs in: value must be one of AWS, GCP or AZURE, in any case "+
			"(for example \"AWS\" or \"aws\").", req.Path, req.ConfigValue.ValueString()))
}

// replaceUnlessSameCloud forces a replacement when the cloud changes, but
// not when only its case does: "aws" and "AWS" are the same cloud, so an
// imported key (read back as "AWS") under a configuration that writes "aws"
// is updated in state, never replaced.
func replaceUnlessSameCloud() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
	}, "Changing the cloud replaces the key; a change of case alone does not.",
		"Changing the cloud replaces the key; a change of case alone does not.")
}
