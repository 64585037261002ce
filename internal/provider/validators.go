// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// minRotationPeriod is the shortest rotation_period accepted. Shorter
// periods would rotate on nearly every apply and could outpace the time a
// new key needs to propagate.
const minRotationPeriod = time.Hour

// rotationPeriodToken matches one number-and-unit part of a period such as
// "1d12h30m".
var rotationPeriodToken = regexp.MustCompile(`^([0-9]+)([dhm])`)

var rotationPeriodUnits = map[string]time.Duration{
	"d": 24 * time.Hour,
	"h": time.Hour,
	"m": time.Minute,
}

// rotationPeriodForm describes the accepted form in error messages.
const rotationPeriodForm = "use whole numbers with the units d (days), h (hours) and m (minutes), " +
	"for example \"90d\", \"2160h\" or \"1d12h\""

// parseRotationPeriod parses a period written as whole numbers of days (d),
// hours (h) and minutes (m), in that order, for example "90d", "2160h" or
// "1d12h". Go's time.ParseDuration has no day unit, which is the natural one
// for key rotation, so the parsing is done here.
func parseRotationPeriod(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("the period is empty: " + rotationPeriodForm)
	}
	var total time.Duration
	rest := s
	last := time.Duration(math.MaxInt64)
	for rest != "" {
		m := rotationPeriodToken.FindStringSubmatch(rest)
		if m == nil {
			return 0, fmt.Errorf("%q is not a period: %s", s, rotationPeriodForm)
		}
		unit := rotationPeriodUnits[m[2]]
		if unit >= last {
			return 0, fmt.Errorf("%q is not a period: give each unit once, largest first (d, then h, then m)", s)
		}
		last = unit
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > int64(math.MaxInt64/unit) || total > time.Duration(math.MaxInt64)-time.Duration(n)*unit {
			return 0, fmt.Errorf("%q is too long a period", s)
		}
		total += time.Duration(n) * unit
		rest = rest[len(m[0]):]
	}
	return total, nil
}

// periodValidator checks a period attribute (rotation_period, grace_period)
// at plan time: its syntax, and a minimum below which it cannot work.
type periodValidator struct {
	// noun names the attribute in messages, in lower case.
	noun string
	min  time.Duration
	// minText spells min for people, with its configuration form.
	minText string
	// advice follows the "too short" message.
	advice string
}

var _ validator.String = periodValidator{}

// rotationPeriodValidator checks rotation_period and max_rotation_period.
var rotationPeriodValidator = periodValidator{
	noun: "rotation period", min: minRotationPeriod, minText: `one hour ("1h")`,
	advice: "A new key can take minutes to work everywhere, and every rotation replaces the key.",
}

func (v periodValidator) Description(_ context.Context) string {
	return fmt.Sprintf("value must be a period in days (d), hours (h) and minutes (m), at least %s", v.min)
}

func (v periodValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v periodValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	title := strings.ToUpper(v.noun[:1]) + v.noun[1:]
	d, err := parseRotationPeriod(req.ConfigValue.ValueString())
	if err != nil {
		// The message names the attribute: Terraform shows the path only
		// as the quoted configuration line.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.noun,
			fmt.Sprintf("Invalid value for %s: %s.", req.Path, err))
		return
	}
	if d < v.min {
		resp.Diagnostics.AddAttributeError(req.Path, title+" too short",
			fmt.Sprintf("The %s %q is shorter than the minimum of %s. %s", req.Path, req.ConfigValue.ValueString(),
				v.minText, v.advice))
	}
}

// idPrefixValidator checks that an ID starts with the prefix Confluent Cloud
// uses for that kind of object. IDs are otherwise opaque and may grow, so
// only the prefix and the absence of spaces and slashes are checked.
func idPrefixValidator(what string, prefixes ...string) validator.String {
	pattern := "^("
	for i, p := range prefixes {
		if i > 0 {
			pattern += "|"
		}
		pattern += regexp.QuoteMeta(p)
	}
	pattern += `)[^\s/]+$`
	example := prefixes[0] + "abc123"
	return stringvalidator.RegexMatches(compiledPattern(pattern),
		fmt.Sprintf("must be the ID of %s, for example %q", what, example))
}

// compiledPatterns holds each pattern compiled once: the framework asks for
// schemas, and so builds these validators, on many requests.
var compiledPatterns sync.Map

func compiledPattern(pattern string) *regexp.Regexp {
	if re, ok := compiledPatterns.Load(pattern); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := compiledPatterns.LoadOrStore(pattern, regexp.MustCompile(pattern))
	return re.(*regexp.Regexp)
}

// emailPattern accepts what could be an email address: one @ with
// something on both sides and no spaces. Confluent Cloud checks the rest.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// emailValidator checks that a value looks like an email address, so that a
// user ID or name given by mistake fails at plan time with a clear message.
func emailValidator() validator.String {
	return stringvalidator.RegexMatches(emailPattern, `must be an email address, for example "jane@example.com"`)
}
