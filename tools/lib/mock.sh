# Copyright (c) The terraform-provider-ccloud Authors.
# SPDX-License-Identifier: MPL-2.0
#
# Shell helpers shared by tools/demo.sh and tools/install-check.sh: start the
# standalone mock on a free local port and take the provider's environment
# from what it prints. Source it; it defines functions only.
#
# The caller sets MOCK_BIN (the built tools/mockcloud), MOCK_LOG and
# READY_FILE (paths in its temporary directory), defines die, and stops the
# mock on exit with stop_mock.

MOCK_PID=""

# start_mock starts the mock with the given extra flags and exports
# CONFLUENT_CLOUD_ENDPOINT, CONFLUENT_CLOUD_API_KEY and
# CONFLUENT_CLOUD_API_SECRET for it.
start_mock() {
	# Credentials already in the environment (perhaps real ones) must not
	# become the mock's: unset them so it bootstraps its own admin key.
	env -u CONFLUENT_CLOUD_API_KEY -u CONFLUENT_CLOUD_API_SECRET \
		"$MOCK_BIN" -listen 127.0.0.1:0 -ready-file "$READY_FILE" "$@" \
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
	# that is taken from its output.
	local exports
	exports="$(grep -E '^export CONFLUENT_CLOUD_(ENDPOINT|API_KEY|API_SECRET)=[^[:space:]]+$' "$MOCK_LOG")"
	[[ "$(wc -l <<<"$exports")" -eq 3 ]] || die "the mock did not print its credentials"
	eval "$exports"
	export CONFLUENT_CLOUD_ENDPOINT CONFLUENT_CLOUD_API_KEY CONFLUENT_CLOUD_API_SECRET
}

# stop_mock stops the mock if it runs. When status (its argument) is not
# zero it prints the end of the mock's log, without the export lines, which
# hold the mock's credentials.
stop_mock() {
	local status="${1:-0}"
	if [[ -n "$MOCK_PID" ]] && kill -0 "$MOCK_PID" 2>/dev/null; then
		kill "$MOCK_PID" 2>/dev/null || true
		wait "$MOCK_PID" 2>/dev/null || true
	fi
	if [[ $status -ne 0 && -s "$MOCK_LOG" ]]; then
		printf '\nthe mock logged:\n' >&2
		grep -v '^export ' "$MOCK_LOG" | tail -n 20 >&2 || true
	fi
}

# mock_admin calls one of the mock's /_mock/ admin endpoints with its admin
# key: mock_admin METHOD PATH [JSON-BODY]. The credentials reach curl on
# stdin, never on its command line.
mock_admin() {
	local method="$1" path="$2" body="${3:-}"
	local -a data=()
	[[ -n "$body" ]] && data=(--header 'Content-Type: application/json' --data "$body")
	printf 'user = "%s:%s"\n' "$CONFLUENT_CLOUD_API_KEY" "$CONFLUENT_CLOUD_API_SECRET" |
		curl --silent --show-error --fail --config - --request "$method" "${data[@]}" \
			"$CONFLUENT_CLOUD_ENDPOINT$path"
}
