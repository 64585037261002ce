// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package provider implements the ccloud Terraform provider: its
// configuration, resources, data sources and functions.
package provider

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/clock"
	"github.com/ccloudiam/terraform-provider-ccloud/internal/keyengine"
)

// Environment variables the provider reads.
const (
	EnvEndpoint        = "CONFLUENT_CLOUD_ENDPOINT"
	EnvCloudAPIKey     = "CONFLUENT_CLOUD_API_KEY"
	EnvCloudAPISecret  = "CONFLUENT_CLOUD_API_SECRET"
	EnvMaxRetries      = "CONFLUENT_CLOUD_MAX_RETRIES"
	EnvImportAPISecret = "CONFLUENT_CLOUD_IMPORT_API_SECRET"
)

const logSubsystem = "ccloud_api"

// Compile-time checks that the provider implements the interfaces it means to.
var (
	_ provider.Provider                       = (*ccloudProvider)(nil)
	_ provider.ProviderWithFunctions          = (*ccloudProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*ccloudProvider)(nil)
	_ provider.ProviderWithListResources      = (*ccloudProvider)(nil)
)

// Options change how the provider behaves; tests use them to inject a clock
// and shorten retry waits. The zero value is production behaviour.
type Options struct {
	// Clock replaces the machine's clock everywhere the provider reads time
	// or waits: rotation schedules, the API client's estimate of the API's
	// time, the key engine (leases, readiness waits, the read cache) and the
	// account's destroy guard. Tests pass a clock.Offset, moved ahead to make
	// rotations due or off to act as a runner whose clock is wrong, whose
	// waits stay real; a clock whose timers never fire would stop them.
	Clock clock.Clock
	// RetryWaitMin and RetryWaitMax bound the client's backoff.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// Timeout bounds one attempt of one API request.
	Timeout time.Duration
	// CreateLease replaces the lease of new keys' create markers, as the
	// EnvCreateLease hook does, for tests that serve the provider in-process.
	CreateLease time.Duration
	// HTTPClient replaces the HTTP client under the API client and the
	// readiness probes, so that a test can see every request that leaves
	// the process.
	HTTPClient *http.Client
}

type ccloudProvider struct {
	version string
	opts    Options
}

type providerModel struct {
	Endpoint       types.String `tfsdk:"endpoint"`
	CloudAPIKey    types.String `tfsdk:"cloud_api_key"`
	CloudAPISecret types.String `tfsdk:"cloud_api_secret"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	KafkaReadyRun  types.Int64  `tfsdk:"kafka_ready_successes"`

	DenyUserOwnedKeys types.Bool   `tfsdk:"deny_user_owned_keys"`
	RequireRotation   types.Bool   `tfsdk:"require_rotation"`
	MaxRotationPeriod types.String `tfsdk:"max_rotation_period"`
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions is New with test hooks.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	return func() provider.Provider {
		return &ccloudProvider{version: version, opts: opts}
	}
}

func (p *ccloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ccloud"
	resp.Version = p.version
}

func (p *ccloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages Confluent Cloud service accounts and the API keys that let applications " +
			"reach Kafka, Schema Registry, ksqlDB, Flink, Tableflow and the Cloud management APIs.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Description: "Base URL of the Confluent Cloud management API. Defaults to the `" + EnvEndpoint +
					"` environment variable, then to `" + ccloud.DefaultEndpoint + "`. " + endpointShapeNote,
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), endpointValidator{}},
			},
			"cloud_api_key": schema.StringAttribute{
				Description: "ID of a Cloud API key (a resource-management key, not a cluster key). " +
					"Defaults to the `" + EnvCloudAPIKey + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"cloud_api_secret": schema.StringAttribute{
				Description: "Secret of the Cloud API key. Defaults to the `" + EnvCloudAPISecret +
					"` environment variable, which keeps it out of the configuration.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_retries": schema.Int64Attribute{
				Description: "How many times a request is retried after a 429 or a 5xx answer, honouring " +
					"`Retry-After`. Defaults to the `" + EnvMaxRetries + "` environment variable, then to 8.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"request_timeout": schema.StringAttribute{
				Description: requestTimeoutDescription,
				Optional:    true,
				Validators:  []validator.String{requestTimeoutValidator{}},
			},
			"kafka_ready_successes": schema.Int64Attribute{
				Description: "How many readiness probes in a row must succeed, at least, before a new Kafka API key counts " +
					"as working. Brokers learn a new key one by one, so one success proves little. Whatever this is " +
					"set to, the run must also last a minimum time: at least one second, and once a key at the " +
					"cluster was refused after a success, 1.25 times the longest time seen there from a key's first " +
					"success to its last refusal, learnt per cluster; the run needs both. A key that fails again " +
					"after a success makes later keys at that cluster wait for longer runs too (doubling, up to 16). " +
					"Setting it to the cluster's broker count adds a run that reaches every broker when requests " +
					"visit them in turn. Defaults to 2.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 64)},
			},
		},
	}
	for name, a := range guardrailAttributes() {
		resp.Schema.Attributes[name] = a
	}
}

// Configure builds the API client. Values that are unknown during planning
// (for example credentials that another resource creates) leave the provider
// unconfigured for now: Terraform calls Configure again with known values
// before anything is applied, and resources that need the client earlier say
// so clearly.
func (p *ccloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Endpoint.IsUnknown() || cfg.CloudAPIKey.IsUnknown() || cfg.CloudAPISecret.IsUnknown() || cfg.MaxRetries.IsUnknown() ||
		cfg.RequestTimeout.IsUnknown() || cfg.KafkaReadyRun.IsUnknown() {
		tflog.Debug(ctx, "provider configuration is not known yet; deferring client set-up")
		return
	}

	endpoint, key, secret := credentialsFrom(cfg, &resp.Diagnostics)
	maxRetries := maxRetriesFrom(cfg.MaxRetries, &resp.Diagnostics)
	requestTimeout := requestTimeoutFrom(cfg.RequestTimeout, &resp.Diagnostics)
	lease := createLeaseFromEnv(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Endpoint.IsNull() {
		// The attribute's validator has checked a configured endpoint; the
		// environment variable is checked here.
		if err := checkEndpointShape(endpoint, "The "+EnvEndpoint+" environment variable"); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", err.Error()+".")
			return
		}
	}
	if err := checkEndpointTransport(endpoint); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Insecure endpoint", err.Error()+".")
		return
	}
	rails, d := guardrailsFrom(cfg)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	clk := p.opts.Clock
	if clk == nil {
		clk = clock.Real()
	}
	client, err := ccloud.New(ccloud.Config{
		Endpoint:     endpoint,
		APIKey:       key,
		APISecret:    secret,
		MaxRetries:   maxRetries,
		RetryWaitMin: p.opts.RetryWaitMin,
		RetryWaitMax: p.opts.RetryWaitMax,
		Timeout:      p.opts.Timeout,
		UserAgent:    "terraform-provider-ccloud/" + p.version + " terraform/" + req.TerraformVersion,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			// The callback runs on each operation's own context, which has not
			// seen the subsystem yet; creating it is cheap and keeps its level
			// (TF_LOG_PROVIDER_CCLOUD_API) separately adjustable.
			ctx = tflog.NewSubsystem(ctx, logSubsystem)
			tflog.SubsystemDebug(ctx, logSubsystem, msg, fields)
		},
		RequestTimeout: requestTimeout,
		Clock:          clk,
		HTTPClient:     p.opts.HTTPClient,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid provider configuration", err.Error())
		return
	}
	if p.opts.CreateLease > 0 {
		lease = p.opts.CreateLease
	}
	engine := keyengine.New(keyengine.Config{Client: client, Clock: clk, Logger: tflogLogger{}, Lease: lease,
		KafkaSuccesses: int(cfg.KafkaReadyRun.ValueInt64())})
	data := &providerData{client: client, clock: clk, now: clk.Now, engine: engine, reads: engine.Reads(),
		run: &runMemory{}, guardrails: rails}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
}

// credentialsFrom is the endpoint and the Cloud API key the configuration
// or the environment give, with an error for each part of the key missing.
func credentialsFrom(cfg providerModel, diags *diag.Diagnostics) (endpoint, key, secret string) {
	endpoint = stringOrEnv(cfg.Endpoint, EnvEndpoint)
	if endpoint == "" {
		endpoint = ccloud.DefaultEndpoint
	}
	key = stringOrEnv(cfg.CloudAPIKey, EnvCloudAPIKey)
	secret = stringOrEnv(cfg.CloudAPISecret, EnvCloudAPISecret)
	if key == "" {
		diags.AddAttributeError(path.Root("cloud_api_key"), "Missing Cloud API key",
			"The provider needs the ID of a Cloud API key. Set the cloud_api_key attribute or the "+
				EnvCloudAPIKey+" environment variable.")
	}
	if secret == "" {
		diags.AddAttributeError(path.Root("cloud_api_secret"), "Missing Cloud API secret",
			"The provider needs the secret of its Cloud API key. Set the cloud_api_secret attribute or the "+
				EnvCloudAPISecret+" environment variable (preferred: it keeps the secret out of the configuration).")
	}
	return endpoint, key, secret
}

// maxRetriesFrom is the client's retry count from max_retries or its
// environment variable, as the client reads it: 0 there means its default,
// so no retries at all is -1.
func maxRetriesFrom(v types.Int64, diags *diag.Diagnostics) int {
	maxRetries := ccloud.DefaultMaxRetries
	if !v.IsNull() {
		maxRetries = int(v.ValueInt64())
	} else if env := os.Getenv(EnvMaxRetries); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil || n < 0 || n > 100 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid "+EnvMaxRetries,
				"The "+EnvMaxRetries+" environment variable must be a whole number from 0 to 100, got "+strconv.Quote(env)+".")
		}
		maxRetries = n
	}
	if maxRetries == 0 {
		return -1
	}
	return maxRetries
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *ccloudProvider) Resources(_ context.Context) []func() resource.Resource {
	// Every row of the API key scope table is a resource.
	return append([]func() resource.Resource{NewServiceAccountResource}, apiKeyResources()...)
}

// ListResources serves terraform query: one list resource per managed
// resource type, with the same type names.
func (p *ccloudProvider) ListResources(_ context.Context) []func() list.ListResource {
	return append([]func() list.ListResource{NewServiceAccountList}, apiKeyListResources()...)
}

func (p *ccloudProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewServiceAccountDataSource,
		NewServiceAccountsDataSource,
		NewUserDataSource,
		NewAPIKeysDataSource,
	}
}

func (p *ccloudProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewIsAPISecretFunction,
		NewDecryptSecretFunction,
	}
}
