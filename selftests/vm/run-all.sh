#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (scripts/vm-run.sh), with tcptune.ko loaded: every VM
# selftest suite in one boot.  Each suite's TAP goes to OUTDIR/<suite>.tap
# and to stdout; its exit status to OUTDIR/<suite>.rc.
#   run-all.sh OUTDIR [SUITE...]
#   run-all.sh --list          the default suites, in order
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3

declare -A suites=(
	[select]="$top/build/selftests/select_test"
	[module]="$here/module_test.sh"
	[bulk]="$here/bulk_test.sh"
	[bbr]="$here/bbr_test.sh"
	[conformance]="$PY $here/../conformance/run.py"
	[tuning]="$PY $here/tuning_test.py"
	[cli]="$top/selftests/cli/vm_cli_test.sh"
)
order="select conformance bulk tuning cli module bbr"
if [ "${1:-}" = --list ]; then
	echo "$order"
	exit 0
fi
out=$1; shift
[ $# -gt 0 ] && order="$*"

rc=0
for s in $order; do
	echo "=== suite $s: ${suites[$s]}"
	start=$(date +%s)
	# shellcheck disable=SC2086
	timeout 900 ${suites[$s]} 2>&1 | tee "$out/$s.tap"
	r=${PIPESTATUS[0]}
	echo "$r" >"$out/$s.rc"
	echo "=== suite $s: exit $r in $(( $(date +%s) - start )) s"
	[ "$r" = 0 ] || rc=1
done
exit $rc
