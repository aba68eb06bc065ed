# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Minimal TAP 13 output for the shell selftests:
#   tap_plan N; tap_ok NAME; tap_fail NAME [WHY]; tap_check NAME CMD...;
#   tap_skip NAME WHY; tap_note TEXT;
#   tap_done (exit status: 1 if anything failed, or if the number of results
#   is not the plan's)
# The test command (selftests/lib/tapcount.py) compares the plan with the
# results too; tap_done says it first, where the suite knows why.
TAP_N=0
TAP_FAILED=0
TAP_PLANNED=
tap_plan() { TAP_PLANNED=$1; echo "TAP version 13"; echo "1..$1"; }
tap_note() { echo "$*" | sed 's/^/# /'; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP ${2:-}"; }
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
tap_done() {
	if [ -n "$TAP_PLANNED" ] && [ "$TAP_N" -ne "$TAP_PLANNED" ]; then
		tap_note "planned $TAP_PLANNED tests, ran $TAP_N"
		return 1
	fi
	[ "$TAP_FAILED" -eq 0 ]
}

# tap_run NAME WANT_RC PATTERN CMD...: one test: CMD exits WANT_RC and
# PATTERN (an ERE; "" checks the status only) is somewhere in its
# stdout+stderr.
tap_run() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		tap_fail "$name" "exit $rc, want $want: $* -> $(echo "$out" | head -8)"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" <<<"$out"; then
		tap_fail "$name" "no /$pat/ in: $(echo "$out" | head -8)"
	else
		tap_ok "$name"
	fi
}

# tap_promtool NAME FILE: FILE passes `promtool check metrics` (the
# Prometheus text format and its naming lint); a skip without promtool.
tap_promtool() {
	local out
	if ! command -v promtool >/dev/null; then
		tap_skip "$1" "promtool not installed (Debian package prometheus)"
	elif out=$(promtool check metrics <"$2" 2>&1); then
		tap_ok "$1"
	else
		tap_fail "$1" "$out"
	fi
}
