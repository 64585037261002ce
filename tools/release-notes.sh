#!/usr/bin/env bash
# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# Prints the CHANGELOG.md section of one version (without its heading), the
# release notes of that version's GitHub release. It fails when the section
# is missing or empty, so that a tag cannot be released without notes.
#
# Usage: tools/release-notes.sh 0.1.0        (or: tools/release-notes.sh Unreleased)

set -euo pipefail

version="${1:?usage: $0 VERSION}"
changelog="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/CHANGELOG.md"

notes="$(awk -v want="$version" '
	/^## \[/ {
		name = $0
		sub(/^## \[/, "", name)
		sub(/\].*$/, "", name)
		if (printing) exit
		printing = (name == want)
		next
	}
	# Link references at the bottom belong to no section.
	/^\[[^]]+\]: / { if (printing) exit }
	printing { print }
' "$changelog")"

# Trim blank lines at both ends; fail when nothing is left.
notes="$(sed -e '/./,$!d' <<<"$notes" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')"
if [[ -z "${notes//[[:space:]]/}" ]]; then
	echo "release-notes: CHANGELOG.md has no section '## [$version]' with content" >&2
	exit 1
fi
printf '%s\n' "$notes"
