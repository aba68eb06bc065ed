# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Minimal TAP 13 output for the shell selftests:
#   tap_plan N; tap_ok NAME; tap_fail NAME [WHY]; tap_check NAME CMD...;
#   tap_note TEXT; tap_done (exit status: 1 if anything failed)
TAP_N=0
TAP_FAILED=0
tap_plan() { echo "TAP version 13"; echo "1..$1"; }
tap_note() { echo "$*" | sed 's/^/# /'; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_fail() {
	TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ -n "${2:-}" ] && tap_note "$2"
	return 0
}
tap_check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then tap_ok "$name"; else tap_fail "$name" "$out"; fi
}
tap_done() { [ "$TAP_FAILED" -eq 0 ]; }
