#!/usr/bin/env bash
# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# The Terraform quick start, end to end, against the local mock Confluent
# Cloud: build the provider and the mock, start the mock, apply
# examples/quickstart with the freshly built provider, show the outputs,
# rotate the API keys, destroy everything and stop the mock.
#
# It needs only Go and Terraform (1.8 or newer). Everything it creates lives
# in one temporary directory that is removed on exit, even after a failure or
# Ctrl-C. It never reads or writes ~/.terraformrc: Terraform is pointed at the
# built provider through a temporary CLI configuration (TF_CLI_CONFIG_FILE),
# and it never talks to the real Confluent Cloud: the endpoint and the
# credentials are the mock's.
#
# Usage: tools/demo.sh          (or: make demo)
#   DEMO_KEEP=1 keeps the temporary directory for inspection.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ccloud-demo.XXXXXX")"
BIN="$WORK/bin"
TF_DIR="$WORK/quickstart"
MOCK_LOG="$WORK/mockcloud.log"
READY_FILE="$WORK/mockcloud.url"
MOCK_PID=""

section() {
	if [[ -t 1 ]]; then
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
	if [[ -n "$MOCK_PID" ]] && kill -0 "$MOCK_PID" 2>/dev/null; then
		kill "$MOCK_PID" 2>/dev/null || true
		wait "$MOCK_PID" 2>/dev/null || true
	fi
	if [[ $status -ne 0 && -s "$MOCK_LOG" ]]; then
		# The export lines hold the mock's credentials; the rest may say why.
		printf '\ndemo: failed (exit %d); the mock logged:\n' "$status" >&2
		grep -v '^export ' "$MOCK_LOG" | tail -n 20 >&2 || true
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
	section "Checking for Go and Terraform"
	command -v go >/dev/null || die "go is not on PATH; install Go first"
	command -v terraform >/dev/null || die "terraform is not on PATH; install Terraform 1.8 or newer first"
	go version
	terraform version | head -n 1
}

build_binaries() {
	section "Building the provider and the mock"
	mkdir -p "$BIN"
	(cd "$ROOT" && go build -o "$BIN/terraform-provider-ccloud" .)
	(cd "$ROOT" && go build -o "$BIN/mockcloud" ./tools/mockcloud)
	echo "built into $BIN"
}

start_mock() {
	section "Starting the mock Confluent Cloud"
	# Credentials already in the environment (perhaps real ones) must not
	# become the mock's: unset them so it bootstraps its own admin key.
	env -u CONFLUENT_CLOUD_API_KEY -u CONFLUENT_CLOUD_API_SECRET \
		"$BIN/mockcloud" -listen 127.0.0.1:0 -ready-file "$READY_FILE" -propagation-delay 2s \
		>"$MOCK_LOG" 2>&1 &
	MOCK_PID=$!

	local i
	for ((i = 0; i < 300; i++)); do
		[[ -s "$READY_FILE" ]] && break
		kill -0 "$MOCK_PID" 2>/dev/null || die "the mock exited before it was ready"
		sleep 0.1
	done
	[[ -s "$READY_FILE" ]] || die "the mock was not ready after 30 seconds"

	# The mock prints the three export lines a client needs; they are all
	# this script takes from its output.
	local exports
	exports="$(grep -E '^export CONFLUENT_CLOUD_(ENDPOINT|API_KEY|API_SECRET)=[^[:space:]]+$' "$MOCK_LOG")"
	[[ "$(wc -l <<<"$exports")" -eq 3 ]] || die "the mock did not print its credentials"
	eval "$exports"
	export CONFLUENT_CLOUD_ENDPOINT CONFLUENT_CLOUD_API_KEY CONFLUENT_CLOUD_API_SECRET
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
	unset TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_destroy
}

prepare_workdir() {
	section "Preparing a working copy of examples/quickstart"
	cp -R "$ROOT/examples/quickstart" "$TF_DIR"
	rm -rf "$TF_DIR/.terraform" "$TF_DIR"/terraform.tfstate* "$TF_DIR/.terraform.lock.hcl"
	echo "working directory: $TF_DIR"
	echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE (dev_overrides: ccloudiam/ccloud -> $BIN)"
}

# tf runs Terraform in the working copy. With dev_overrides and no other
# providers, no `terraform init` is needed.
tf() {
	terraform -chdir="$TF_DIR" "$@"
}

apply_quickstart() {
	section "terraform apply"
	tf apply -auto-approve
}

show_outputs() {
	section "Outputs"
	tf output
}

# The quick start's API keys, as "output-name label" pairs.
KEY_OUTPUTS=(
	"orders_kafka_api_key_id Kafka"
	"orders_schema_registry_api_key_id Schema-Registry"
	"orders_cloud_api_key_id Cloud"
)

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

# rotate_keys is the rotation step: bump the keys' rotation trigger, apply
# again, and show that new keys replaced the old ones (create_before_destroy:
# created and ready first, the old ones deleted last) and that the old ones
# are gone from Confluent Cloud.
rotate_keys() {
	section "API keys after the first apply"
	local -a old new labels
	local pair i
	for pair in "${KEY_OUTPUTS[@]}"; do labels+=("${pair#* }"); done
	mapfile -t old < <(key_ids)
	for i in "${!old[@]}"; do
		printf '  %-16s %s\n' "${labels[$i]}" "${old[$i]}"
	done

	section "Rotating the keys: terraform apply -var rotation=2"
	tf apply -auto-approve -var rotation=2

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
	# The data source was read during the apply, while old and new keys both
	# existed; a refresh reads the current set.
	tf apply -refresh-only -auto-approve -var rotation=2 >/dev/null
	local listed
	listed="$(tf output -json orders_api_keys_in_cloud | tr -d ' \n')"
	echo "  keys the orders account owns now (ccloud_api_keys): $listed"
	for i in "${!old[@]}"; do
		[[ "$listed" != *"\"${old[$i]}\""* ]] || die "old key ${old[$i]} is still listed"
		[[ "$listed" == *"\"${new[$i]}\""* ]] || die "new key ${new[$i]} is not listed"
	done
	echo "  only the new keys remain"

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
	tf destroy -auto-approve
}

main() {
	write_cli_config
	check_tools
	build_binaries
	start_mock
	prepare_workdir
	apply_quickstart
	show_outputs
	check_no_changes
	rotate_keys
	destroy_quickstart
	section "Done: the quick start applied and destroyed cleanly against the mock"
}

main "$@"
