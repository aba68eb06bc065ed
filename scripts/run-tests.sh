#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command (README, `make check`, .ci/run): install what is missing
# (scripts/setup.sh), build, run every host test, then boot the VM once and
# run every VM selftest suite in it.  Ends with one line
#   N passed, N failed, N skipped
# and exits non-zero if anything failed.
#
#   scripts/run-tests.sh [VM-SUITE...]     (default: every suite)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
res=$top/build/test-results
rm -rf "$res"
mkdir -p "$res/vm"
log=$res/log
t0=$(date +%s)
pass=0
fail=0
skip=0

say() { printf '%s\n' "$*"; }
ok() { pass=$((pass + 1)); say "ok      $1"; }
nok() {
	fail=$((fail + 1)); say "FAIL    $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -40 | sed 's/^/        /'
	return 0
}

# Count one TAP stream: "ok", "not ok", "# SKIP" lines, prefixed by suite.
count_tap() {
	local suite=$1 file=$2 line name
	while IFS= read -r line; do
		case "$line" in
		"not ok "*)
			name=${line#not ok }
			nok "$suite: $name" ;;
		"ok "*"# SKIP"* | "ok "*"# skip"*)
			skip=$((skip + 1)); say "skip    $suite: ${line#ok }" ;;
		"ok "*)
			ok "$suite: ${line#ok }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+' "$file")
}

say "== set-up (scripts/setup.sh; log in $log)"
if ! bash scripts/setup.sh >>"$log" 2>&1; then
	tail -20 "$log"
	nok "set-up: scripts/setup.sh" "see $log"
	say "$pass passed, $fail failed, $skip skipped"
	exit 1
fi

say "== host tests"
kver=$(scripts/vm-kernel.sh 6.1)

# The module against the VM kernel (6.1), warning-free with W=1.
out=$(make -s module W=1 KDIR=/lib/modules/$kver/build 2>&1)
if [ $? -eq 0 ] && ! grep -q 'warning:' <<<"$out" && [ -f module/tcptune.ko ]; then
	ok "build: tcptune.ko against $kver, W=1, no warning"
else
	nok "build: tcptune.ko against $kver, W=1, no warning" "$out"
fi

# The same sources against 6.12 (bookworm-backports) in a scratch copy.
k612=$(ls -d /lib/modules/6.12.*-amd64/build 2>/dev/null | sort -V | tail -n 1)
if [ -n "$k612" ]; then
	rm -rf build/k612 && mkdir -p build/k612
	cp -r Kbuild module include build/k612/
	rm -f build/k612/module/*.o build/k612/module/*.ko build/k612/module/.*.cmd
	out=$(make -s -C "$k612" M="$top/build/k612" W=1 modules 2>&1)
	if [ $? -eq 0 ] && ! grep -q 'warning:' <<<"$out"; then
		ok "build: tcptune.ko against ${k612#/lib/modules/}, W=1, no warning"
	else
		nok "build: tcptune.ko against ${k612%/build}, W=1" "$out"
	fi
else
	nok "build: 6.12 headers are not installed (scripts/setup.sh)"
fi

# sparse (C=2 re-checks every file).
out=$(make -s sparse KDIR=/lib/modules/$kver/build 2>&1 | grep -E '^/.*(warning|error):' | grep -v '/usr/src/')
if [ -z "$out" ]; then
	ok "sparse: module clean (C=2)"
else
	nok "sparse: module clean (C=2)" "$out"
fi

# checkpatch from the linux-source package.
out=$(make -s style 2>&1)
if [ -z "$out" ]; then
	ok "checkpatch: module/*.c module/*.h clean (--strict)"
else
	nok "checkpatch: module/*.c module/*.h clean (--strict)" "$out"
fi

# Host unit tests and the C selftests' build.
if out=$(make -s -C selftests 2>&1); then
	ok "build: selftests (kselftest harness from linux-source)"
	build/selftests/test_reno_math >"$res/unit.tap" 2>&1
	count_tap unit "$res/unit.tap"
else
	nok "build: selftests" "$out"
fi

# The tcptune CLI: -Werror build, unit test, host tests (no module needed).
if out=$(make -s -C selftests/cli 2>&1); then
	ok "build: tcptune CLI and its unit test (-Wall -Wextra -Werror)"
	build/selftests/test_cli_unit >"$res/cli-unit.tap" 2>&1
	count_tap cli-unit "$res/cli-unit.tap"
	bash selftests/cli/host_cli_test.sh >"$res/cli-host.tap" 2>&1
	count_tap cli-host "$res/cli-host.tap"
else
	nok "build: tcptune CLI" "$out"
fi

say "== VM tests (one boot of $kver; log in $res/vm.log)"
scripts/vm-run.sh -k "$kver" -o "$res/vm" -- \
	"$top/selftests/vm/run-all.sh" "$res/vm" "$@" >"$res/vm.log" 2>&1
vmrc=$?
if [ $vmrc -eq 99 ] || [ $vmrc -eq 98 ]; then
	nok "vm: module loads and the guest kernel log stays clean" "$(tail -40 "$res/vm.log")"
else
	ok "vm: module loads and the guest kernel log stays clean"
fi
suites=${*:-$(selftests/vm/run-all.sh --list)}
for s in $suites; do
	if [ ! -f "$res/vm/$s.tap" ]; then
		nok "vm: suite $s did not run" "$(tail -20 "$res/vm.log")"
		continue
	fi
	before=$fail
	count_tap "$s" "$res/vm/$s.tap"
	rc=$(cat "$res/vm/$s.rc" 2>/dev/null || echo missing)
	if [ "$rc" != 0 ] && [ $fail -eq $before ]; then
		nok "vm: suite $s exited $rc without a failing test" "$(tail -20 "$res/vm/$s.tap")"
	fi
done

say "== $(( $(date +%s) - t0 )) s in all"
say "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
