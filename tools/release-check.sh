#!/usr/bin/env bash
# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# Validates .goreleaser.yml, builds a snapshot release into dist/ and checks
# that it has the layout the Terraform Registry reads:
#   terraform-provider-ccloud_VERSION_OS_ARCH.zip holding terraform-provider-ccloud_vVERSION
#   terraform-provider-ccloud_VERSION_SHA256SUMS listing every zip and the manifest
#   terraform-provider-ccloud_VERSION_SHA256SUMS.sig verifying against the sums
# The manifest's line in the sums must be the hash of
# terraform-registry-manifest.json, which the release uploads under the
# name terraform-provider-ccloud_VERSION_manifest.json.
#
# When gpg is installed the snapshot is signed, as a release is, with a
# throwaway key in a temporary GNUPGHOME (never your own keyring), and the
# signature is verified; without gpg, signing is skipped and said so.
#
# Usage: GORELEASER=/path/to/goreleaser tools/release-check.sh   (or: make release-check)
#   HOST_ONLY=1   builds the snapshot for this machine's platform only (a
#                 quick check of the layout; a release builds every platform)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GORELEASER="${GORELEASER:-goreleaser}"
PROJECT=terraform-provider-ccloud
cd "$ROOT"

die() {
	printf 'release-check: %s\n' "$*" >&2
	exit 1
}

GNUPGHOME_TMP=""
CONFIG_TMP=""
cleanup() {
	local status=$?
	[[ -n "$CONFIG_TMP" ]] && rm -f "$CONFIG_TMP"
	if [[ -n "$GNUPGHOME_TMP" ]]; then
		gpgconf --homedir "$GNUPGHOME_TMP" --kill all 2>/dev/null || true
		rm -rf "$GNUPGHOME_TMP"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== goreleaser check"
"$GORELEASER" check

# The release notes of the next version come from CHANGELOG.md.
echo "== release notes (Unreleased section of CHANGELOG.md)"
./tools/release-notes.sh Unreleased | head -n 5
echo "   ..."

skip=()
if command -v gpg >/dev/null; then
	GNUPGHOME_TMP="$(mktemp -d "${TMPDIR:-/tmp}/ccloud-release-gpg.XXXXXX")"
	export GNUPGHOME="$GNUPGHOME_TMP"
	gpg --batch --quiet --passphrase '' --quick-gen-key "release-check <release-check@invalid>" ed25519 sign 1d
	GPG_FINGERPRINT="$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr:/ { print $10; exit }')"
	export GPG_FINGERPRINT
	echo "== signing with a throwaway key ($GPG_FINGERPRINT)"
else
	skip=(--skip=sign)
	echo "== gpg not found: the snapshot is not signed"
fi

config=(--config .goreleaser.yml)
if [[ "${HOST_ONLY:-}" == 1 ]]; then
	# The same configuration with the platform lists cut to this machine's.
	CONFIG_TMP="$(mktemp "${TMPDIR:-/tmp}/ccloud-goreleaser.XXXXXX.yml")"
	sed -e "s/^\([[:space:]]*goos:\) \[.*/\1 [$(go env GOOS)]/" \
		-e "s/^\([[:space:]]*goarch:\) \[.*/\1 [\"$(go env GOARCH)\"]/" .goreleaser.yml >"$CONFIG_TMP"
	config=(--config "$CONFIG_TMP")
	echo "== HOST_ONLY=1: building $(go env GOOS)_$(go env GOARCH) only"
fi

echo "== goreleaser release --snapshot"
start=$SECONDS
"$GORELEASER" release "${config[@]}" --snapshot --clean "${skip[@]}"
echo "   snapshot took $((SECONDS - start))s"

echo "== checking dist/"
sums=(dist/"$PROJECT"_*_SHA256SUMS)
[[ -f "${sums[0]}" ]] || die "no ${PROJECT}_VERSION_SHA256SUMS in dist/"
sums="${sums[0]}"
version="${sums#dist/"$PROJECT"_}"
version="${version%_SHA256SUMS}"

zips=(dist/"$PROJECT"_"$version"_*_*.zip)
[[ -f "${zips[0]}" ]] || die "no zips in dist/"
for zip in "${zips[@]}"; do
	name="$(basename "$zip")"
	[[ "$name" =~ ^${PROJECT}_${version//./\\.}_[a-z0-9]+_[a-z0-9]+\.zip$ ]] || die "unexpected archive name $name"
	grep -q "  $name\$" "$sums" || die "$name is not in $(basename "$sums")"
	binary="${PROJECT}_v${version}"
	[[ "$name" == *_windows_* ]] && binary+=".exe"
	unzip -Z1 "$zip" | grep -qx "$binary" || die "$name does not hold $binary"
done
echo "   ${#zips[@]} zips, each holding ${PROJECT}_v${version}"

manifest="${PROJECT}_${version}_manifest.json"
want="$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)"
grep -qx "$want  $manifest" "$sums" || die "$(basename "$sums") lacks '$want  $manifest'"
echo "   $(basename "$sums") lists $manifest with the hash of terraform-registry-manifest.json"
# The Registry reads the sums as the list of the release's packages: only
# the zips and the manifest belong there (not the signature, for example).
extra="$(awk '{ print $2 }' "$sums" | grep -v -x -e "${PROJECT}_${version//./\\.}_[a-z0-9]*_[a-z0-9]*\\.zip" -e "$manifest" || true)"
[[ -z "$extra" ]] || die "$(basename "$sums") lists files other than the zips and the manifest: $extra"
(cd dist && grep -v "_manifest.json\$" "$(basename "$sums")" | sha256sum --check --quiet) || die "checksums do not match"
echo "   every checksum matches its zip"

if [[ ${#skip[@]} -eq 0 ]]; then
	[[ -f "$sums.sig" ]] || die "no $(basename "$sums").sig"
	gpg --batch --quiet --verify "$sums.sig" "$sums" 2>/dev/null || die "the signature does not verify"
	echo "   $(basename "$sums").sig verifies against the throwaway key"
fi
echo "== ok: dist/ has the Registry layout for $version"
