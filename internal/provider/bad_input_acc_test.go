// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/acctest"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/mockcloud"
)

// badInputsTried counts the bad inputs the tests in this file sent, for the
// summary line the last of them prints.
var badInputsTried atomic.Int64

// badInput is one invalid argument value and what the plan must say about
// it: the attribute it names and the expected form it describes.
type badInput struct {
	name   string
	config string
	// attr must appear in the error as the attribute's name.
	attr string
	// form is a regular expression for the description of the expected
	// form; spaces match any white space, as Terraform wraps long lines.
	form string
}

// inSource marks an attr that Terraform names only by quoting the
// configuration line: its read-only error says "this attribute".
const inSource = "line:"

// words turns the spaces of a pattern into \s+, since Terraform wraps
// diagnostics at any space.
func words(pattern string) string {
	return strings.ReplaceAll(pattern, " ", `\s+`)
}

// want is the error pattern of the case: the attribute name, in one of the
// forms Terraform and the framework use in a message (not merely in the
// quoted source line), and the expected form, in either order.
func (b badInput) want() *regexp.Regexp {
	name, quoted := strings.CutPrefix(b.attr, inSource)
	a := regexp.QuoteMeta(name)
	attr := `(Attribute\s+` + a + `\b|attribute\s+"` + a + `"|argument\s+(named\s+)?"` + a + `"|The\s+` + a + `\b|\b` + a +
		`(\s+(filter|is|must|attribute|")|:)|[\[,]` + a + `[\],])`
	if quoted {
		attr = `\d+:\s+` + a + `\s+=`
	}
	form := words(b.form)
	return regexp.MustCompile(`(?s)(` + attr + `.*` + form + `|` + form + `.*` + attr + `)`)
}

// runBadInputs plans every case and expects it to fail at plan time with
// the case's message, without a single write reaching the mock.
func runBadInputs(t *testing.T, env *acctest.Env, cases []badInput, providerConfig func(badInput) string) {
	t.Helper()
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		cfg := env.Config(c.config)
		if providerConfig != nil {
			cfg = providerConfig(c)
		}
		steps = append(steps, resource.TestStep{
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: c.want(),
		})
	}
	badInputsTried.Add(int64(len(cases)))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.Factories,
		Steps:                    steps,
	})
	for route, n := range env.Mock.RequestCounts() {
		if !strings.HasPrefix(route, "GET ") && n > 0 {
			t.Errorf("%d %s requests were sent; bad input must fail before any write", n, route)
		}
	}
	t.Logf("%d bad inputs failed at plan time as expected (%d so far in this run)", len(cases), badInputsTried.Load())
}

// keyBadConfig renders a resource of the key case with good values for
// every argument except those in override, which are raw HCL expressions;
// an override of "" drops the argument.
func keyBadConfig(c keyCase, override map[string]string, extra string) string {
	args := map[string]string{"owner_id": `"sa-abc123"`}
	for k, v := range c.scopeValues {
		args[k] = fmt.Sprintf("%q", v)
	}
	for k, v := range override {
		args[k] = v
	}
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q \"test\" {\n", c.typ)
	for _, k := range names {
		if args[k] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", k, args[k])
		}
	}
	if extra != "" {
		b.WriteString(extra + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// periodHint is how rotation_period errors describe the accepted form.
const periodHint = `use whole numbers with the units d \(days\), h \(hours\) and m \(minutes\), for example "90d"`

const (
	formString   = `string required`
	formBool     = `bool required`
	formNumber   = `number required`
	formMap      = `map of string required`
	formRequired = `is required`
)

// keyCommonBadInputs are the bad values of the arguments every API key
// resource has.
func keyCommonBadInputs(c keyCase) []badInput {
	ownerForm := `must be the ID of a service account or user, for example "sa-abc123"`
	periodForm := `not a period: ` + periodHint
	return []badInput{
		{"owner_id empty", keyBadConfig(c, map[string]string{"owner_id": `""`}, ""), "owner_id", ownerForm},
		{"owner_id wrong prefix", keyBadConfig(c, map[string]string{"owner_id": `"bob"`}, ""), "owner_id", ownerForm},
		{"owner_id prefix only", keyBadConfig(c, map[string]string{"owner_id": `"sa-"`}, ""), "owner_id", ownerForm},
		{"owner_id cluster ID", keyBadConfig(c, map[string]string{"owner_id": `"lkc-abc123"`}, ""), "owner_id", ownerForm},
		{"owner_id with space", keyBadConfig(c, map[string]string{"owner_id": `"sa-ab c"`}, ""), "owner_id", ownerForm},
		{"owner_id wrong type", keyBadConfig(c, map[string]string{"owner_id": `["sa-abc123"]`}, ""), "owner_id", formString},
		{"owner_id missing", keyBadConfig(c, map[string]string{"owner_id": ""}, ""), "owner_id", formRequired},
		{"display_name wrong type", keyBadConfig(c, nil, `  display_name = { a = "b" }`), "display_name", formString},
		{"description wrong type", keyBadConfig(c, nil, `  description = ["x"]`), "description", formString},
		{"rotation_triggers wrong type", keyBadConfig(c, nil, `  rotation_triggers = "v1"`), "rotation_triggers", formMap},
		{"rotation_triggers nested", keyBadConfig(c, nil, `  rotation_triggers = { a = ["v1"] }`), "rotation_triggers", `element "a": string required`},
		{"rotation_period empty", keyBadConfig(c, nil, `  rotation_period = ""`), "rotation_period", `the period is empty: ` + periodHint},
		{"rotation_period seconds", keyBadConfig(c, nil, `  rotation_period = "3600s"`), "rotation_period", periodForm},
		{"rotation_period weeks", keyBadConfig(c, nil, `  rotation_period = "1w"`), "rotation_period", periodForm},
		{"rotation_period no unit", keyBadConfig(c, nil, `  rotation_period = "90"`), "rotation_period", periodForm},
		{"rotation_period negative", keyBadConfig(c, nil, `  rotation_period = "-90d"`), "rotation_period", periodForm},
		{"rotation_period fraction", keyBadConfig(c, nil, `  rotation_period = "1.5d"`), "rotation_period", periodForm},
		{"rotation_period upper case", keyBadConfig(c, nil, `  rotation_period = "90D"`), "rotation_period", periodForm},
		{"rotation_period spaces", keyBadConfig(c, nil, `  rotation_period = "90d "`), "rotation_period", periodForm},
		{"rotation_period order", keyBadConfig(c, nil, `  rotation_period = "12h1d"`), "rotation_period", `largest first \(d, then h, then m\)`},
		{"rotation_period too short", keyBadConfig(c, nil, `  rotation_period = "59m"`), "rotation_period", `shorter than the minimum of one hour \("1h"\)`},
		{"rotation_period too long", keyBadConfig(c, nil, `  rotation_period = "99999999999999999999d"`), "rotation_period", `too long a period`},
		{"rotation_period wrong type", keyBadConfig(c, nil, `  rotation_period = ["90d"]`), "rotation_period", formString},
		{"wait_for_ready wrong type", keyBadConfig(c, nil, `  wait_for_ready = "sometimes"`), "wait_for_ready", `a bool is required`},
		{"timeouts create bad duration", keyBadConfig(c, nil, "  timeouts {\n    create = \"soon\"\n  }"), inSource + "create",
			`"soon" must be a string containing a sequence of decimal numbers`},
		{"timeouts create days", keyBadConfig(c, nil, "  timeouts {\n    create = \"1d\"\n  }"), inSource + "create",
			`"1d" must be a string containing a sequence of decimal numbers`},
		{"unknown argument", keyBadConfig(c, nil, `  secret = "cflt"`), inSource + "secret", `Cannot set value for this attribute as the provider has marked it as read-only`},
	}
}

func TestAccBadInput_kafkaAPIKey(t *testing.T) {
	t.Parallel()
	c := keyCases["kafka"]
	env := acctest.New(t, mockcloud.Options{})
	clusterForm := `must be the ID of a Kafka cluster, for example "lkc-abc123"`
	envForm := `must be the ID of an environment, for example "env-abc123"`
	cases := append(keyCommonBadInputs(c),
		badInput{"cluster_id empty", keyBadConfig(c, map[string]string{"cluster_id": `""`}, ""), "cluster_id", clusterForm},
		badInput{"cluster_id wrong prefix", keyBadConfig(c, map[string]string{"cluster_id": `"lsrc-abc123"`}, ""), "cluster_id", clusterForm},
		badInput{"cluster_id prefix only", keyBadConfig(c, map[string]string{"cluster_id": `"lkc-"`}, ""), "cluster_id", clusterForm},
		badInput{"cluster_id with slash", keyBadConfig(c, map[string]string{"cluster_id": `"lkc-a/b"`}, ""), "cluster_id", clusterForm},
		badInput{"cluster_id wrong type", keyBadConfig(c, map[string]string{"cluster_id": `{ id = "lkc-abc123" }`}, ""), "cluster_id", formString},
		badInput{"cluster_id missing", keyBadConfig(c, map[string]string{"cluster_id": ""}, ""), "cluster_id", formRequired},
		badInput{"environment_id empty", keyBadConfig(c, map[string]string{"environment_id": `""`}, ""), "environment_id", envForm},
		badInput{"environment_id name", keyBadConfig(c, map[string]string{"environment_id": `"production"`}, ""), "environment_id", envForm},
		badInput{"environment_id wrong type", keyBadConfig(c, map[string]string{"environment_id": `["env-abc123"]`}, ""), "environment_id", formString},
		badInput{"environment_id missing", keyBadConfig(c, map[string]string{"environment_id": ""}, ""), "environment_id", formRequired},
	)
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_schemaRegistryAndKsqlDBAPIKeys(t *testing.T) {
	t.Parallel()
	sr, ksql := keyCases["schema_registry"], keyCases["ksqldb"]
	env := acctest.New(t, mockcloud.Options{})
	srForm := `must be the ID of a Schema Registry cluster, for example "lsrc-abc123"`
	ksqlForm := `must be the ID of a ksqlDB cluster, for example "lksqlc-abc123"`
	envForm := `must be the ID of an environment, for example "env-abc123"`
	var cases []badInput
	for _, c := range []keyCase{sr, ksql} {
		cases = append(cases,
			badInput{c.typ + " owner_id wrong prefix", keyBadConfig(c, map[string]string{"owner_id": `"user-1"`}, ""), "owner_id",
				`must be the ID of a service account or user`},
			badInput{c.typ + " environment_id wrong prefix", keyBadConfig(c, map[string]string{"environment_id": `"lkc-abc123"`}, ""),
				"environment_id", envForm},
			badInput{c.typ + " environment_id empty", keyBadConfig(c, map[string]string{"environment_id": `""`}, ""), "environment_id", envForm},
			badInput{c.typ + " rotation_period bad", keyBadConfig(c, nil, `  rotation_period = "soon"`), "rotation_period", `not a period`},
		)
	}
	cases = append(cases,
		badInput{"schema_registry_id empty", keyBadConfig(sr, map[string]string{"schema_registry_id": `""`}, ""), "schema_registry_id", srForm},
		badInput{"schema_registry_id Kafka ID", keyBadConfig(sr, map[string]string{"schema_registry_id": `"lkc-abc123"`}, ""), "schema_registry_id", srForm},
		badInput{"schema_registry_id prefix only", keyBadConfig(sr, map[string]string{"schema_registry_id": `"lsrc-"`}, ""), "schema_registry_id", srForm},
		badInput{"schema_registry_id wrong type", keyBadConfig(sr, map[string]string{"schema_registry_id": `1`}, ""), "schema_registry_id", srForm},
		badInput{"schema_registry_id missing", keyBadConfig(sr, map[string]string{"schema_registry_id": ""}, ""), "schema_registry_id", formRequired},
		badInput{"ksqldb_cluster_id empty", keyBadConfig(ksql, map[string]string{"ksqldb_cluster_id": `""`}, ""), "ksqldb_cluster_id", ksqlForm},
		badInput{"ksqldb_cluster_id Kafka ID", keyBadConfig(ksql, map[string]string{"ksqldb_cluster_id": `"lkc-abc123"`}, ""), "ksqldb_cluster_id", ksqlForm},
		badInput{"ksqldb_cluster_id old prefix", keyBadConfig(ksql, map[string]string{"ksqldb_cluster_id": `"lksql-abc123"`}, ""), "ksqldb_cluster_id", ksqlForm},
		badInput{"ksqldb_cluster_id wrong type", keyBadConfig(ksql, map[string]string{"ksqldb_cluster_id": `["lksqlc-abc123"]`}, ""), "ksqldb_cluster_id", formString},
		badInput{"ksqldb_cluster_id missing", keyBadConfig(ksql, map[string]string{"ksqldb_cluster_id": ""}, ""), "ksqldb_cluster_id", formRequired},
	)
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_flinkAPIKey(t *testing.T) {
	t.Parallel()
	c := keyCases["flink"]
	env := acctest.New(t, mockcloud.Options{})
	cloudForm := `value must be one of AWS, GCP or AZURE, in any case`
	regionForm := `must be a cloud region name such as "us-east-1" or "centralus"`
	cases := []badInput{
		{"cloud empty", keyBadConfig(c, map[string]string{"cloud": `""`}, ""), "cloud", cloudForm},
		{"cloud unknown", keyBadConfig(c, map[string]string{"cloud": `"IBM"`}, ""), "cloud", cloudForm},
		{"cloud region ID", keyBadConfig(c, map[string]string{"cloud": `"aws.us-east-1"`}, ""), "cloud", cloudForm},
		{"cloud padded", keyBadConfig(c, map[string]string{"cloud": `" AWS"`}, ""), "cloud", cloudForm},
		{"cloud long name", keyBadConfig(c, map[string]string{"cloud": `"Amazon Web Services"`}, ""), "cloud", cloudForm},
		{"cloud wrong type", keyBadConfig(c, map[string]string{"cloud": `["AWS"]`}, ""), "cloud", formString},
		{"cloud missing", keyBadConfig(c, map[string]string{"cloud": ""}, ""), "cloud", formRequired},
		{"region empty", keyBadConfig(c, map[string]string{"region": `""`}, ""), "region", regionForm},
		{"region spaces", keyBadConfig(c, map[string]string{"region": `"us east 1"`}, ""), "region", regionForm},
		{"region upper case", keyBadConfig(c, map[string]string{"region": `"US-EAST-1"`}, ""), "region", regionForm},
		{"region region ID", keyBadConfig(c, map[string]string{"region": `"aws.us-east-1"`}, ""), "region", regionForm},
		{"region trailing dash", keyBadConfig(c, map[string]string{"region": `"us-east-"`}, ""), "region", regionForm},
		{"region wrong type", keyBadConfig(c, map[string]string{"region": `{}`}, ""), "region", formString},
		{"region missing", keyBadConfig(c, map[string]string{"region": ""}, ""), "region", formRequired},
		{"environment_id empty", keyBadConfig(c, map[string]string{"environment_id": `""`}, ""), "environment_id",
			`must be the ID of an environment, for example "env-abc123"`},
		{"environment_id missing", keyBadConfig(c, map[string]string{"environment_id": ""}, ""), "environment_id", formRequired},
	}
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_tableflowAndCloudAPIKeys(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	var cases []badInput
	cases = append(cases, keyCommonBadInputs(keyCases["cloud"])...)
	tf := keyCases["tableflow"]
	cases = append(cases,
		badInput{"tableflow owner_id empty", keyBadConfig(tf, map[string]string{"owner_id": `""`}, ""), "owner_id",
			`must be the ID of a service account or user`},
		badInput{"tableflow owner_id environment", keyBadConfig(tf, map[string]string{"owner_id": `"env-abc123"`}, ""), "owner_id",
			`must be the ID of a service account or user`},
		badInput{"tableflow rotation_period bad", keyBadConfig(tf, nil, `  rotation_period = "30s"`), "rotation_period", `not a period`},
		badInput{"tableflow rotation_period too short", keyBadConfig(tf, nil, `  rotation_period = "0d"`), "rotation_period", `shorter than the minimum`},
		badInput{"tableflow scope argument", keyBadConfig(tf, map[string]string{"cluster_id": `"lkc-abc123"`}, ""), "cluster_id",
			`is not expected here`},
	)
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_serviceAccount(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	sa := func(body string) string { return "resource \"ccloud_service_account\" \"test\" {\n" + body + "\n}\n" }
	nameForm := `UTF-8 character count must be between 1 and 64`
	cases := []badInput{
		{"display_name empty", sa(`display_name = ""`), "display_name", nameForm},
		{"display_name too long", sa(fmt.Sprintf("display_name = %q", strings.Repeat("n", 65))), "display_name", nameForm},
		{"display_name too long in runes", sa(fmt.Sprintf("display_name = %q", strings.Repeat("é", 65))), "display_name", nameForm},
		{"display_name wrong type", sa(`display_name = ["orders"]`), "display_name", formString},
		{"display_name missing", sa(`description = "x"`), "display_name", formRequired},
		{"description wrong type", sa("display_name = \"orders\"\ndescription = { a = 1 }"), "description", formString},
		{"force_destroy wrong type", sa("display_name = \"orders\"\nforce_destroy = \"maybe\""), "force_destroy", `a bool is required`},
		{"force_destroy list", sa("display_name = \"orders\"\nforce_destroy = [true]"), "force_destroy", formBool},
		{"id is computed", sa("display_name = \"orders\"\nid = \"sa-abc123\""), inSource + "id", `Cannot set value for this attribute as the provider has marked it as read-only`},
	}
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_dataSources(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	ds := func(typ, body string) string { return fmt.Sprintf("data %q \"test\" {\n%s\n}\n", typ, body) }
	ownerForm := `must be a service account ID \(sa-...\) or a user ID \(u-...\)`
	resourceForm := `value must be a Kafka cluster \(lkc-...\), a Schema Registry \(lsrc-...\), a ksqlDB cluster \(lksqlc-...\)`
	cases := []badInput{
		// ccloud_service_account.
		{"sa id empty", ds("ccloud_service_account", `id = ""`), "id", `must be the ID of a service account, for example "sa-abc123"`},
		{"sa id wrong prefix", ds("ccloud_service_account", `id = "u-q1ck5t"`), "id", `must be the ID of a service account, for example "sa-abc123"`},
		{"sa id wrong type", ds("ccloud_service_account", `id = ["sa-1"]`), "id", formString},
		{"sa display_name empty", ds("ccloud_service_account", `display_name = ""`), "display_name", `UTF-8 character count must be between 1 and 64`},
		{"sa display_name too long", ds("ccloud_service_account", fmt.Sprintf("display_name = %q", strings.Repeat("x", 65))), "display_name",
			`UTF-8 character count must be between 1 and 64`},
		{"sa both", ds("ccloud_service_account", "id = \"sa-1\"\ndisplay_name = \"x\""), "id", `Exactly one of these attributes must be configured`},
		{"sa neither", ds("ccloud_service_account", ""), "display_name", `Exactly one of these attributes must be configured`},
		// ccloud_service_accounts.
		{"sas display_name empty", ds("ccloud_service_accounts", `display_name = ""`), "display_name", `UTF-8 character count must be between 1 and 64`},
		{"sas display_name too long", ds("ccloud_service_accounts", fmt.Sprintf("display_name = %q", strings.Repeat("x", 65))), "display_name",
			`UTF-8 character count must be between 1 and 64`},
		{"sas display_name wrong type", ds("ccloud_service_accounts", `display_name = { a = 1 }`), "display_name", formString},
		{"sas ids computed", ds("ccloud_service_accounts", `ids = ["sa-1"]`), inSource + "ids", `Cannot set value for this attribute as the provider has marked it as read-only`},
		// ccloud_user.
		{"user id empty", ds("ccloud_user", `id = ""`), "id", `must be the ID of a user, for example "u-abc123"`},
		{"user id wrong prefix", ds("ccloud_user", `id = "sa-abc123"`), "id", `must be the ID of a user, for example "u-abc123"`},
		{"user email empty", ds("ccloud_user", `email = ""`), "email", `must be an email address, for example "jane@example.com"`},
		{"user email not an address", ds("ccloud_user", `email = "quickstart"`), "email", `must be an email address, for example "jane@example.com"`},
		{"user email wrong type", ds("ccloud_user", `email = ["a@example.com"]`), "email", formString},
		{"user both", ds("ccloud_user", "id = \"u-1\"\nemail = \"a@example.com\""), "email", `Exactly one of these attributes must be configured`},
		{"user neither", ds("ccloud_user", ""), "email", `Exactly one of these attributes must be configured`},
		// ccloud_api_keys.
		{"keys owner_id empty", ds("ccloud_api_keys", `owner_id = ""`), "owner_id", ownerForm},
		{"keys owner_id wrong prefix", ds("ccloud_api_keys", `owner_id = "lkc-abc123"`), "owner_id", ownerForm},
		{"keys owner_id prefix only", ds("ccloud_api_keys", `owner_id = "sa-"`), "owner_id", ownerForm},
		{"keys owner_id wrong type", ds("ccloud_api_keys", `owner_id = ["sa-1"]`), "owner_id", formString},
		{"keys resource_id empty", ds("ccloud_api_keys", `resource_id = ""`), "resource_id", resourceForm},
		{"keys resource_id prefix only", ds("ccloud_api_keys", `resource_id = "lkc-"`), "resource_id", resourceForm},
		{"keys resource_id unknown", ds("ccloud_api_keys", `resource_id = "topic-orders"`), "resource_id", resourceForm},
		{"keys resource_id padded", ds("ccloud_api_keys", `resource_id = " cloud"`), "resource_id", resourceForm},
		{"keys resource_id wrong type", ds("ccloud_api_keys", `resource_id = {}`), "resource_id", formString},
	}
	runBadInputs(t, env, cases, nil)
}

func TestAccBadInput_provider(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, mockcloud.Options{})
	key, secret := env.Mock.Credentials()
	// Each case's config is the provider block's body lines that differ
	// from the good ones; the data source makes Terraform configure the
	// provider during the plan.
	good := map[string]string{
		"endpoint":         fmt.Sprintf("%q", env.Mock.URL()),
		"cloud_api_key":    fmt.Sprintf("%q", key),
		"cloud_api_secret": fmt.Sprintf("%q", secret),
		"max_retries":      "3",
	}
	block := func(override map[string]string) string {
		var b strings.Builder
		b.WriteString("provider \"ccloud\" {\n")
		for _, k := range []string{"endpoint", "cloud_api_key", "cloud_api_secret", "max_retries"} {
			v := good[k]
			if o, ok := override[k]; ok {
				v = o
			}
			if v != "" {
				fmt.Fprintf(&b, "  %s = %s\n", k, v)
			}
		}
		b.WriteString("}\n\ndata \"ccloud_user\" \"test\" {\n  id = \"" + acctest.UserID + "\"\n}\n")
		return b.String()
	}
	overrides := map[string]map[string]string{}
	add := func(name string, o map[string]string) string {
		overrides[name] = o
		return name
	}
	endpointForm := `is not an absolute http\(s\) URL`
	cases := []badInput{
		{add("endpoint empty", map[string]string{"endpoint": `""`}), "", "endpoint", `string length must be at least 1`},
		{add("endpoint not a URL", map[string]string{"endpoint": `"api.confluent.cloud"`}), "", "endpoint", endpointForm},
		{add("endpoint wrong scheme", map[string]string{"endpoint": `"ftp://api.confluent.cloud"`}), "", "endpoint", endpointForm},
		{add("endpoint wrong type", map[string]string{"endpoint": `["https://api.confluent.cloud"]`}), "", "endpoint", formString},
		{add("endpoint with path", map[string]string{"endpoint": `"https://api.confluent.cloud/v2"`}), "", "endpoint",
			`\(host api.confluent.cloud\) holds the path "/v2"`},
		{add("endpoint with user information", map[string]string{"endpoint": `"https://me:pw@api.confluent.cloud"`}), "", "endpoint",
			`holds user information`},
		{add("endpoint with query", map[string]string{"endpoint": `"https://api.confluent.cloud?region=eu"`}), "", "endpoint",
			`holds a query`},
		{add("endpoint with fragment", map[string]string{"endpoint": `"https://api.confluent.cloud/#eu"`}), "", "endpoint",
			`holds a fragment`},
		{add("cloud_api_key empty", map[string]string{"cloud_api_key": `""`}), "", "cloud_api_key", `string length must be at least 1`},
		{add("cloud_api_key wrong type", map[string]string{"cloud_api_key": `{ id = "x" }`}), "", "cloud_api_key", formString},
		{add("cloud_api_key missing", map[string]string{"cloud_api_key": ""}), "", "cloud_api_key",
			`or the CONFLUENT_CLOUD_API_KEY environment variable`},
		{add("cloud_api_secret empty", map[string]string{"cloud_api_secret": `""`}), "", "cloud_api_secret", `string length must be at least 1`},
		{add("cloud_api_secret wrong type", map[string]string{"cloud_api_secret": `["x"]`}), "", "cloud_api_secret", formString},
		{add("cloud_api_secret missing", map[string]string{"cloud_api_secret": ""}), "", "cloud_api_secret",
			`or the CONFLUENT_CLOUD_API_SECRET environment variable`},
		{add("max_retries negative", map[string]string{"max_retries": "-1"}), "", "max_retries", `value must be between 0 and 100`},
		{add("max_retries too many", map[string]string{"max_retries": "101"}), "", "max_retries", `value must be between 0 and 100`},
		{add("max_retries word", map[string]string{"max_retries": `"many"`}), "", "max_retries", `a number is required`},
		{add("max_retries fraction", map[string]string{"max_retries": "1.5"}), "", inSource + "max_retries", `is not an integer`},
		{add("max_retries wrong type", map[string]string{"max_retries": "[1]"}), "", "max_retries", formNumber},
		{add("request_timeout word", map[string]string{"max_retries": "3\n  request_timeout = \"soon\""}), "", "request_timeout",
			`"soon" is not a duration; write it like "15s"`},
		{add("request_timeout too short", map[string]string{"max_retries": "3\n  request_timeout = \"10ms\""}), "", "request_timeout",
			`"10ms" is outside the accepted range of 1s to 1h0m0s`},
		{add("kafka_ready_successes zero", map[string]string{"max_retries": "3\n  kafka_ready_successes = 0"}), "",
			"kafka_ready_successes", `value must be between 1 and 64`},
		{add("kafka_ready_successes too many", map[string]string{"max_retries": "3\n  kafka_ready_successes = 65"}), "",
			"kafka_ready_successes", `value must be between 1 and 64`},
		{add("unknown argument", map[string]string{"max_retries": "3\n  region = \"eu\""}), "", "region",
			`is not expected here`},
	}
	runBadInputs(t, env, cases, func(c badInput) string { return block(overrides[c.name]) })
}
