#!/usr/bin/env bash
# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# Proves `make install`: Terraform (or OpenTofu) installs the provider from
# the implied local mirror with no network and no dev_overrides, for a
# configuration that pins the installed version, and applies it.
#
# Everything happens under a temporary HOME, so the real
# ~/.terraform.d/plugins and ~/.terraformrc are neither read nor written:
#   1. make install HOME=<temp>  (the Go caches stay where they are);
#   2. start the mock on 127.0.0.1;
#   3. terraform init with HTTP(S)_PROXY pointing at a closed local port, so
#      any attempt to reach a registry fails the check;
#   4. terraform apply, a no-change plan, terraform destroy.
#
# Usage: tools/install-check.sh        (or: make install-check)
#   VERSION    the version to install and pin (default: the Makefile's)
#   TERRAFORM  the terraform or tofu binary (default: terraform on PATH)
#   KEEP=1     keep the temporary directory

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TERRAFORM="${TERRAFORM:-terraform}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ccloud-install-check.XXXXXX")"
MOCK_BIN="$WORK/mockcloud"
MOCK_LOG="$WORK/mockcloud.log"
READY_FILE="$WORK/mockcloud.url"
CONFIG_DIR="$WORK/config"

# shellcheck source=tools/lib/mock.sh
source "$ROOT/tools/lib/mock.sh"

die() {
	printf 'install-check: %s\n' "$*" >&2
	exit 1
}

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_mock "$status"
	if [[ "${KEEP:-}" == 1 ]]; then
		printf 'install-check: kept %s\n' "$WORK" >&2
	else
		chmod -R u+w "$WORK" 2>/dev/null || true
		rm -rf "$WORK"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v "$TERRAFORM" >/dev/null || die "$TERRAFORM is not on PATH"
TERRAFORM="$(command -v "$TERRAFORM")"

# The Go caches live under the real HOME unless set; keep them there so the
# temporary HOME costs no downloads and no rebuild from scratch.
GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)"
export GOPATH GOCACHE GOMODCACHE
VERSION="${VERSION:-$(make -s -C "$ROOT" --no-print-directory print-version)}"

export HOME="$WORK/home"
mkdir -p "$HOME"
# No CLI configuration at all: Terraform uses its implied provider
# installation, which is what a user without a ~/.terraformrc gets.
unset TF_CLI_CONFIG_FILE TERRAFORM_CONFIG TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS \
	TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_destroy TF_REATTACH_PROVIDERS
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0

echo "== make install VERSION=$VERSION HOME=$HOME"
start=$SECONDS
make -s -C "$ROOT" --no-print-directory install VERSION="$VERSION" HOME="$HOME"
echo "   took $((SECONDS - start))s"

echo "== starting the mock"
(cd "$ROOT" && go build -o "$MOCK_BIN" ./tools/mockcloud)
start_mock -propagation-delay 1s
echo "   $CONFLUENT_CLOUD_ENDPOINT"

mkdir -p "$CONFIG_DIR"
cat >"$CONFIG_DIR/main.tf" <<HCL
terraform {
  required_providers {
    ccloud = {
      source  = "ccloudiam/ccloud"
      version = "$VERSION"
    }
  }
}

provider "ccloud" {}

resource "ccloud_service_account" "app" {
  display_name = "install-check"
  description  = "Created by tools/install-check.sh."
}

resource "ccloud_kafka_api_key" "app" {
  owner_id       = ccloud_service_account.app.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"

  lifecycle {
    create_before_destroy = true
  }
}

output "key_id" {
  value = ccloud_kafka_api_key.app.id
}
HCL

# A proxy on a port nothing listens on: a registry lookup would fail
# rather than succeed quietly. The mock on 127.0.0.1 is not proxied.
export HTTPS_PROXY="http://127.0.0.1:9" HTTP_PROXY="http://127.0.0.1:9" NO_PROXY="127.0.0.1,localhost"
tf() { "$TERRAFORM" -chdir="$CONFIG_DIR" "$@"; }

echo "== $(basename "$TERRAFORM") init (offline)"
start=$SECONDS
tf init -no-color | tee "$WORK/init.log"
grep -q "ccloudiam/ccloud v$VERSION" "$WORK/init.log" || die "init did not install ccloudiam/ccloud v$VERSION"
grep -q "version *= *\"$VERSION\"" "$CONFIG_DIR/.terraform.lock.hcl" || die "the lock file does not record $VERSION"
echo "   init took $((SECONDS - start))s"

echo "== apply"
start=$SECONDS
tf apply -auto-approve -no-color >"$WORK/apply.log" || { tail -n 30 "$WORK/apply.log"; die "apply failed"; }
tail -n 3 "$WORK/apply.log"
key_id="$(tf output -raw key_id)"
[[ "$key_id" =~ ^[A-Z0-9]{16}$ ]] || die "unexpected key ID '$key_id'"
echo "   apply took $((SECONDS - start))s; key $key_id"

echo "== plan (expect no changes)"
tf plan -detailed-exitcode -no-color >/dev/null || die "the plan after apply is not empty"

echo "== destroy"
tf destroy -auto-approve -no-color >"$WORK/destroy.log" || { tail -n 30 "$WORK/destroy.log"; die "destroy failed"; }
tail -n 1 "$WORK/destroy.log"

# A range constraint selects the installed version too, unless it is a
# prerelease: Terraform and OpenTofu match prereleases only exactly.
if [[ "$VERSION" =~ ^([0-9]+)\.([0-9]+)\.[0-9]+$ ]]; then
	range="~> ${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
	sed -i -e "s/version = \"$VERSION\"/version = \"$range\"/" "$CONFIG_DIR/main.tf"
	echo "== init from scratch with version = \"$range\""
	rm -rf "$CONFIG_DIR/.terraform" "$CONFIG_DIR/.terraform.lock.hcl"
	tf init -no-color >"$WORK/init-range.log" || { cat "$WORK/init-range.log"; die "init with $range failed"; }
	grep -q "Installed ccloudiam/ccloud v$VERSION" "$WORK/init-range.log" || die "init with $range did not select $VERSION"
	echo "   selected $VERSION"
fi

echo "== ok: $(basename "$TERRAFORM") installed ccloudiam/ccloud $VERSION from $HOME/.terraform.d/plugins offline and applied it"
