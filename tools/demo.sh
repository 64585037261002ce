#!/usr/bin/env bash
# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# The Terraform quick start, end to end, against the local mock Confluent
# Cloud: build the provider and the mock, start the mock, plan and apply
# examples/quickstart (two service accounts and one API key of each of the
# seven scopes) with the freshly built provider, rotate every key, destroy
# everything and stop the mock.
#
# It needs only Go and Terraform (1.8 or newer), or OpenTofu. Everything it
# creates lives in one temporary directory that is removed on exit, even
# after a failure or Ctrl-C. It never reads or writes ~/.terraformrc:
# Terraform is pointed at the built provider through a temporary CLI
# configuration (TF_CLI_CONFIG_FILE), and it never talks to the real
# Confluent Cloud: the endpoint and the credentials are the mock's.
#
# The plan is shown once, in full, before the first apply; later steps show
# what they change in one line per resource. Colours are used only on a
# terminal, and never with NO_COLOR set.
#
# Usage: tools/demo.sh          (or: make demo)
#   DEMO_KEEP=1     keeps the temporary directory for inspection.
#   TERRAFORM=tofu  runs it with OpenTofu (or any path to a binary).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ccloud-demo.XXXXXX")"
BIN="$WORK/bin"
TF_DIR="$WORK/quickstart"
MOCK_BIN="$BIN/mockcloud"
MOCK_LOG="$WORK/mockcloud.log"
READY_FILE="$WORK/mockcloud.url"
TERRAFORM="${TERRAFORM:-terraform}"

# shellcheck source=tools/lib/mock.sh
source "$ROOT/tools/lib/mock.sh"

# Colour only for a person at a terminal; logs and pipes get plain text.
COLOR=1
if [[ ! -t 1 || -n "${NO_COLOR:-}" ]]; then
	COLOR=0
fi

section() {
	if [[ $COLOR == 1 ]]; then
		printf '\n\033[1m==> %s\033[0m\n' "$*"
	else
		printf '\n==> %s\n' "$*"
	fi
}

die() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}

# cleanup runs on every exit: it stops the mock and removes the temporary
# directory, keeping the script's exit status.
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_mock "$status"
	if [[ $status -ne 0 ]]; then
		printf 'demo: failed (exit %d)\n' "$status" >&2
	fi
	if [[ "${DEMO_KEEP:-}" == 1 ]]; then
		printf 'demo: kept %s\n' "$WORK" >&2
	else
		rm -rf "$WORK"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check_tools() {
	section "Checking for Go and $(basename "$TERRAFORM")"
	command -v go >/dev/null || die "go is not on PATH; install Go first"
	command -v "$TERRAFORM" >/dev/null || die "$TERRAFORM is not on PATH; install Terraform 1.8 or newer first"
	go version
	"$TERRAFORM" version | sed -n 1p
}

build_binaries() {
	section "Building the provider and the mock"
	mkdir -p "$BIN"
	(cd "$ROOT" && go build -o "$BIN/terraform-provider-ccloud" .)
	(cd "$ROOT" && go build -o "$MOCK_BIN" ./tools/mockcloud)
	echo "built into $BIN"
}

start_demo_mock() {
	section "Starting the mock Confluent Cloud"
	start_mock -propagation-delay 2s
	echo "mock listening on $CONFLUENT_CLOUD_ENDPOINT (pid $MOCK_PID)"
	echo "provider environment: CONFLUENT_CLOUD_ENDPOINT, CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET (secret not shown)"
}

# write_cli_config points Terraform at the provider this script builds, for
# every terraform command it runs, without touching ~/.terraformrc.
write_cli_config() {
	cat >"$WORK/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "ccloudiam/ccloud" = "$BIN"
  }
  direct {}
}
EOF
	export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
	export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
	# Settings of the user's own must not leak into the demo.
	unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_destroy \
		TF_CLI_ARGS_output TF_CLI_ARGS_show TF_REATTACH_PROVIDERS
}

prepare_workdir() {
	section "Preparing a working copy of examples/quickstart"
	cp -R "$ROOT/examples/quickstart" "$TF_DIR"
	rm -rf "$TF_DIR/.terraform" "$TF_DIR"/terraform.tfstate* "$TF_DIR/.terraform.lock.hcl"
	echo "working directory: $TF_DIR"
	echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE (dev_overrides: ccloudiam/ccloud -> $BIN)"
}

# tf runs Terraform in the working copy: tf SUBCOMMAND [ARGS...]. With
# dev_overrides and no other providers, no `terraform init` is needed.
tf() {
	local sub="$1"
	shift
	if [[ $COLOR == 0 && "$sub" =~ ^(plan|apply|output|show)$ ]]; then
		set -- -no-color "$@"
	fi
	"$TERRAFORM" -chdir="$TF_DIR" "$sub" "$@"
}

# changes prints a saved plan's summary: one line per resource it changes
# and the "Plan:" line, without the attributes.
changes() {
	tf show -no-color "$1" | grep -E '^  # [^(]|^Plan: ' | sed -e 's/^  # /  /'
}

apply_quickstart() {
	section "terraform plan: 2 service accounts, 7 API keys (one of each scope), 4 lookups"
	tf plan -out=first.tfplan
	section "terraform apply: each new key is waited for until it authenticates"
	tf apply first.tfplan
}

# The quick start's API keys, as "output-name label" pairs.
KEY_OUTPUTS=(
	"orders_kafka_api_key_id Kafka"
	"orders_schema_registry_api_key_id Schema-Registry"
	"orders_cloud_api_key_id Cloud"
	"analytics_ksqldb_api_key_id ksqlDB"
	"analytics_flink_api_key_id Flink"
	"analytics_tableflow_api_key_id Tableflow"
	"analytics_global_api_key_id Global"
)
# The first three belong to the orders account, the one ccloud_api_keys lists.
ORDERS_KEYS=3

# key_ids prints the quick start's key IDs, one per line, in KEY_OUTPUTS order.
key_ids() {
	local pair
	for pair in "${KEY_OUTPUTS[@]}"; do
		tf output -raw "${pair%% *}"
		echo
	done
}

# key_status prints the HTTP status of GET /iam/v2/api-keys/{id} on the mock.
# The credentials go to curl on stdin, not on its command line.
key_status() {
	printf 'user = "%s:%s"\n' "$CONFLUENT_CLOUD_API_KEY" "$CONFLUENT_CLOUD_API_SECRET" |
		curl --silent --show-error --config - --output /dev/null --write-out '%{http_code}' \
			"$CONFLUENT_CLOUD_ENDPOINT/iam/v2/api-keys/$1"
}

# listed_orders_keys prints the IDs of the orders_api_keys_in_cloud output
# (what ccloud_api_keys read when it was last read), one per line.
listed_orders_keys() {
	tf output -json orders_api_keys_in_cloud | tr -d '[] \n"' | tr ',' '\n' | sed '/^$/d'
}

# rotate_keys is the rotation step: bump the keys' rotation trigger, apply
# again, and show that new keys replaced the old ones (create_before_destroy:
# created and ready first, the old ones deleted last) and that the old ones
# are gone from Confluent Cloud.
rotate_keys() {
	local -a old new labels listed
	local pair i
	for pair in "${KEY_OUTPUTS[@]}"; do labels+=("${pair#* }"); done
	mapfile -t old < <(key_ids)

	section "Rotating every key with -var rotation=2: the plan, one line per resource"
	tf plan -var rotation=2 -out=rotate.tfplan >/dev/null
	changes rotate.tfplan

	section "terraform apply: new keys created and ready first, old keys deleted last"
	tf apply rotate.tfplan | grep -E 'Creat|Destr|Apply complete' || true

	section "Old and new key IDs"
	mapfile -t new < <(key_ids)
	for i in "${!old[@]}"; do
		[[ "${old[$i]}" != "${new[$i]}" ]] || die "the ${labels[$i]} key was not replaced"
		printf '  %-16s %s -> %s\n' "${labels[$i]}" "${old[$i]}" "${new[$i]}"
	done

	section "Checking that the old keys are gone"
	local status
	if command -v curl >/dev/null; then
		for i in "${!old[@]}"; do
			status="$(key_status "${old[$i]}")"
			# A deleted key answers 403 (as the real API does), an unknown one 404.
			[[ "$status" == 403 || "$status" == 404 ]] || die "old key ${old[$i]} still answers HTTP $status"
			printf '  GET /iam/v2/api-keys/%s -> HTTP %s (deleted)\n' "${old[$i]}" "$status"
		done
	else
		echo "  (curl not found; skipping the per-key check)"
	fi

	section "What the ccloud_api_keys data source saw during the rotation"
	mapfile -t listed < <(listed_orders_keys)
	echo "  The orders account owns $ORDERS_KEYS keys. Terraform read the data source in the middle"
	echo "  of the rotation, after the new keys existed and before the old ones were deleted"
	echo "  (create_before_destroy deletes last), so the output recorded ${#listed[@]} keys:"
	for i in "${!listed[@]}"; do
		local when="new"
		[[ " ${old[*]} " == *" ${listed[$i]} "* ]] && when="old, deleted at the end of the apply"
		printf '    %s  %s\n' "${listed[$i]}" "$when"
	done
	echo "  A data source is read once per run, so the next plan or a refresh shows the current set."
	tf apply -refresh-only -auto-approve -var rotation=2 >/dev/null
	mapfile -t listed < <(listed_orders_keys)
	echo "  After terraform apply -refresh-only: ${listed[*]}"
	[[ ${#listed[@]} -eq $ORDERS_KEYS ]] || die "expected $ORDERS_KEYS keys after the refresh, found ${#listed[@]}"
	for ((i = 0; i < ORDERS_KEYS; i++)); do
		[[ " ${listed[*]} " != *" ${old[$i]} "* ]] || die "old key ${old[$i]} is still listed"
		[[ " ${listed[*]} " == *" ${new[$i]} "* ]] || die "new key ${new[$i]} is not listed"
	done

	section "Checking that a plan after the rotation has nothing to do"
	tf plan -detailed-exitcode -var rotation=2 >/dev/null || die "the plan after the rotation is not empty"
	echo "no changes"
}

check_no_changes() {
	section "Checking that a second plan has nothing to do"
	tf plan -detailed-exitcode >/dev/null || die "the plan after apply is not empty"
	echo "no changes"
}

destroy_quickstart() {
	section "terraform destroy"
	tf plan -destroy -var rotation=2 -out=destroy.tfplan >/dev/null
	changes destroy.tfplan | tail -n 1
	tf apply destroy.tfplan | tail -n 1
}

main() {
	write_cli_config
	check_tools
	build_binaries
	start_demo_mock
	prepare_workdir
	apply_quickstart
	check_no_changes
	rotate_keys
	destroy_quickstart
	section "Done: the quick start applied, rotated and destroyed cleanly against the mock"
}

main "$@"
