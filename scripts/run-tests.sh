#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command (README, `make check`, .ci/run).
#
#   scripts/run-tests.sh [VM-SUITE...]
#       everything: set-up (scripts/setup.sh), the host stage (builds against
#       6.1, 6.12 and 7.x, sparse, checkpatch, the Debian packages, host
#       suites), two boots of the stock 6.1 kernel running the VM suites
#       (default: run-all.sh --list stock; bulk and bbr in the first, the
#       rest in the second), one boot each of the newest Debian 6.12 kernel
#       and the 7.x kernel of the trixie root (run-all.sh --list 6.12,
#       --list 7), in the order stock (throughput), 7.x, stock (the rest),
#       6.12,
#       then one boot of the debug kernel (scripts/debug-kernel.sh: KASAN,
#       lockdep, kmemleak, ...) running the suites that do not measure
#       throughput (run-all.sh --list debug; with VM-SUITEs given, those of
#       them on that list).
#   scripts/run-tests.sh --vm [--debug | --kernel SERIES] SUITE[,SUITE...] [FILTER]
#       only those VM suites, on the stock kernel (--debug: the debug
#       kernel; --kernel 6.12: the newest installed Debian 6.12 kernel;
#       --kernel 7: the trixie root's 7.x, scripts/trixie-root.sh),
#       without set-up and host stage, building only what they
#       need; FILTER selects tests where the suite takes one (conformance,
#       tuning; every suite sees it as $TCPTUNE_TEST_FILTER).
#   scripts/run-tests.sh --host
#       the host stage alone.
#
# Results and logs: build/test-results/ (results.jsonl, *.tap, vm*.log,
# vm*/SUITE.{tap,err,rc,time}).  Every suite's TAP is checked whole (plan,
# numbering, exit status: selftests/lib/tapcount.py); a VM boot that fails,
# panics (vng 255), reports a kernel problem (vm-run.sh 99), cannot load the
# module (98), does not finish, or overstays its bound is a failure of its
# own.  Reference results (TAP "# REF": the kernel's own algorithms run beside
# ours) are counted apart.  The summary lists every failure with its reason
# and the times, and ends with exactly one line
#   N passed, N failed, N skipped
# The exit status is non-zero if anything failed (or nothing passed).
#
# Bounds (seconds; environment): TCPTUNE_VM_BOUND (stock boot, 2400),
# TCPTUNE_DEBUG_VM_BOUND (debug boot, 3600), TCPTUNE_DEBUG_BUILD_BOUND
# (scripts/debug-kernel.sh, 3600 + 2 x the stock boot's: it counts the
# time the build is stopped during the throughput boots),
# TCPTUNE_SUITE_BOUND (each VM suite, 900; twice that on the debug
# kernel), TCPTUNE_HOST_SUITE_BOUND (300),
# TCPTUNE_VM_BOOT_BOUND (from a boot to the guest's start, 600: a boot that
# hangs is stopped and booted once more).
# In a full run the debug kernel is built in the background from the end of
# the set-up on, stopped during the boots that measure throughput and at
# normal priority (nice 5) beside the rest (build_prio); the debug boot
# waits for it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
res=$top/build/test-results
results=$res/results.jsonl
VM_LOCK=/tmp/tcptune-vm.lock
VM_BOUND=${TCPTUNE_VM_BOUND:-2400}
DEBUG_VM_BOUND=${TCPTUNE_DEBUG_VM_BOUND:-3600}
DEBUG_BUILD_BOUND=${TCPTUNE_DEBUG_BUILD_BOUND:-$((3600 + 2 * VM_BOUND))}
SUITE_BOUND=${TCPTUNE_SUITE_BOUND:-900}
HOST_SUITE_BOUND=${TCPTUNE_HOST_SUITE_BOUND:-300}
VM_BOOT_BOUND=${TCPTUNE_VM_BOOT_BOUND:-600}

usage() { sed -n '4,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

mode=full
debug_vm=0
vm_series=6.1
filter=
suites=
case "${1:-}" in
--vm)
	mode=vm; shift
	case "${1:-}" in
	--debug) debug_vm=1; shift ;;
	--kernel) vm_series=${2:-}; shift 2 || usage ;;
	esac
	{ [ $# -ge 1 ] && [ $# -le 2 ]; } || usage
	suites=${1//,/ }; filter=${2:-} ;;
--host)
	mode=host; shift
	[ $# -eq 0 ] || usage ;;
-h | --help)
	usage ;;
-*)
	usage ;;
*)
	suites="$*" ;;
esac

rm -rf "$res"
mkdir -p "$res"
log=$res/log
t_start=$(date +%s)

tc() { /usr/bin/python3 "$top/selftests/lib/tapcount.py" "$@"; }
ok() { tc add "$results" pass "$1" </dev/null; }
nok() { printf '%s\n' "${2:-}" | tc add "$results" fail "$1"; }
say() { printf '%s\n' "$*"; }
# timing GROUP NAME SECONDS: into the summary, and said now
timing() { tc time "$results" "$1" "$2" "$3"; say "-- $2: $3 s"; }

# host_suite NAME CMD...: a host TAP suite, bounded, checked whole.
host_suite() {
	local name=$1 rc t
	shift
	t=$(date +%s)
	timeout -k 10 "$HOST_SUITE_BOUND" "$@" >"$res/$name.tap" 2>"$res/$name.err" </dev/null
	rc=$?
	tc tap "$results" "$name" "$res/$name.tap" --rc "$rc" --err "$res/$name.err"
	timing "host suite times" "$name" $(( $(date +%s) - t ))
}

# no_warning TEXT: true if a build's output has no warning
no_warning() { ! grep -q 'warning:' <<<"$1"; }

kver=
stock_kernel() {
	kver=$(scripts/vm-kernel.sh 6.1 2>&1) && return 0
	nok "vm kernel: an installed Debian 6.1 kernel (scripts/vm-kernel.sh)" "$kver"
	kver=
	return 1
}

build_module_61() {
	local out rc
	out=$(make -s module W=1 KDIR="/lib/modules/$kver/build" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && no_warning "$out" && [ -f module/tcptune.ko ]; then
		ok "build: tcptune.ko against $kver, W=1, no warning"
	else
		nok "build: tcptune.ko against $kver, W=1, no warning" "exit $rc
$out"
		return 1
	fi
}

# build_scratch LABEL KDIR DIR: the module and the security suite's clash
# module against KDIR, in a scratch copy of the sources under DIR (both .ko
# in DIR/module, where the suites look: TCPTUNE_KO's directory); false if
# tcptune.ko was not built.
build_scratch() {
	local label=$1 kdir=$2 dir=$3 out rc
	rm -rf "$dir" && mkdir -p "$dir"
	cp -r Kbuild module include "$dir/"
	cp -r selftests/vm/clash "$dir/clash"
	rm -f "$dir"/module/*.o "$dir"/module/*.ko "$dir"/module/.*.cmd \
		"$dir"/clash/*.o "$dir"/clash/*.ko "$dir"/clash/.*.cmd
	out=$(make -s -C "$kdir" M="$top/$dir" W=1 modules 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && no_warning "$out" && [ -f "$dir/module/tcptune.ko" ]; then
		ok "build: tcptune.ko against $label, W=1, no warning"
	else
		nok "build: tcptune.ko against $label, W=1, no warning" "exit $rc
$out"
		[ -f "$dir/module/tcptune.ko" ] || return 1
	fi
	if out=$(make -s -C "$kdir" M="$top/$dir/clash" modules 2>&1) &&
	   cp "$dir/clash/tcptune_clash.ko" "$dir/module/"; then
		ok "build: the security suite's clash test module against $label"
	else
		nok "build: the security suite's clash test module against $label" "$out"
	fi
}

build_selftests() {
	local out
	if out=$(make -s -C selftests 2>&1); then
		ok "build: selftests (kselftest harness from linux-source)"
	else
		nok "build: selftests" "$out"
		return 1
	fi
	# the security suite's clash module (a second "tcptune_newreno")
	if [ -n "$kver" ] && out=$(make -s -C selftests clash KDIR="/lib/modules/$kver/build" 2>&1); then
		ok "build: the security suite's clash test module against $kver"
	else
		nok "build: the security suite's clash test module against ${kver:-?}" "$out"
	fi
}

build_cli() {
	local out
	if out=$(make -s -C selftests/cli 2>&1); then
		ok "build: tcptune CLI, its ASan + UBSan objects, unit test and fuzzer (-Wall -Wextra -Werror)"
	else
		nok "build: tcptune CLI" "$out"
		return 1
	fi
}

# host_7x: the sources against 7.x (trixie-backports) inside the trixie
# root with its gcc-14 (scripts/build-7x.sh: also build/k7 for the 7.x
# boot), and sparse there; the root is created when missing (cached, keyed
# on its package list; a full run starts it in the background after the
# set-up: scripts/trixie-root.sh takes a lock, so this waits for that).
host_7x() {
	local out rc k7
	k7=$(bash scripts/trixie-root.sh 2>"$res/trixie-root.log" | tail -n 1)
	if [ -n "$k7" ]; then
		out=$(bash scripts/build-7x.sh 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			ok "build: tcptune.ko against $k7 (trixie root, gcc-14), W=1, no warning"
		else
			nok "build: tcptune.ko against $k7 (trixie root, gcc-14), W=1, no warning" "exit $rc
$out"
		fi
		out=$(bash scripts/build-7x.sh --sparse 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			ok "sparse: module clean against $k7 (trixie root, C=2; canary reported, every module/*.c CHECKed)"
		else
			nok "sparse: module clean against $k7 (trixie root, C=2; canary reported, every module/*.c CHECKed)" "exit $rc
$(tail -n 40 <<<"$out")"
		fi
	else
		nok "build: tcptune.ko against 7.x: no trixie root (scripts/trixie-root.sh)" \
			"$(tail -n 30 "$res/trixie-root.log")"
	fi

}

# ---- host stage ----------------------------------------------------------------
host_stage() {
	local out rc k612 warn

	build_module_61

	# The per-ACK cost benchmark's module (scripts/bench-ackcost.sh; a
	# benchmark, not a test), so that a kernel API change cannot break it
	# unseen: built in a copy, as that script builds it.
	rm -rf build/ackcost-mod && mkdir -p build/ackcost-mod &&
		cp scripts/bench/ackcost/* build/ackcost-mod/
	out=$(make -s -C "/lib/modules/$kver/build" M="$top/build/ackcost-mod" \
		TCPTUNE_TOP="$top" W=1 modules 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && no_warning "$out" && [ -f build/ackcost-mod/tcptune_ackcost.ko ]; then
		ok "build: the per-ACK cost benchmark module against $kver, W=1, no warning"
	else
		nok "build: the per-ACK cost benchmark module against $kver, W=1, no warning" "exit $rc
$out"
	fi

	# The same sources against 6.12 (bookworm-backports) in a scratch copy;
	# the 6.12 boot loads that module.
	k612=$(scripts/vm-kernel.sh 6.12 2>/dev/null)
	if [ -n "$k612" ]; then
		build_scratch "$k612" "/lib/modules/$k612/build" build/k6.12
	else
		nok "build: 6.12 headers are not installed (scripts/setup.sh)"
	fi

	# The Debian packages (scripts/build-deb.sh: dpkg-buildpackage in a
	# copy under build/deb, lintian --fail-on error,warning), and what
	# each must hold; selftests/vm/pkg_test.sh installs them in the VM.
	if out=$(nice -n 19 bash scripts/build-deb.sh 2>&1); then
		ok "packages: tcptune and tcptune-dkms build; lintian clean"
		local deb debs miss='' v f want=()
		debs=$(grep -E '^/.*\.deb$' <<<"$out")
		v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
		for deb in $debs; do
			case $deb in
			*/tcptune-dkms_*)
				want=()
				for f in dkms.conf Kbuild module/Kbuild module/*.[ch] include/uapi/linux/tcptune.h; do
					[[ $f == *.mod.c ]] || want+=("./usr/src/tcptune-$v/$f")
				done ;;
			*) want=(./usr/sbin/tcptune ./usr/share/man/man8/tcptune.8.gz
				 ./usr/share/bash-completion/completions/tcptune) ;;
			esac
			for f in "${want[@]}"; do
				dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -qxF "$f" || miss+=" $(basename "$deb"):$f"
			done
		done
		if [ "$(wc -w <<<"$debs")" = 2 ] && [ -z "$miss" ]; then
			ok "packages: tcptune-dkms holds dkms.conf and the module's sources; tcptune the CLI, its man page and completion"
		else
			nok "packages: tcptune-dkms holds dkms.conf and the module's sources; tcptune the CLI, its man page and completion" \
				"debs: $debs; missing:$miss"
		fi
	else
		nok "packages: tcptune and tcptune-dkms build; lintian clean" "$out"
	fi

	# make install / uninstall into a staging DESTDIR, for every kernel
	# with headers here (each built in a copy of the sources).
	host_suite install bash selftests/pkg/host_install_test.sh

	# sparse: `make sparse` fails unless sparse really ran (its canary,
	# a CHECK line per file); then no warning of ours may be left.
	out=$(make -s sparse KDIR="/lib/modules/$kver/build" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "sparse: runs (reports its canary's defect; CHECKed every module/*.c)"
		warn=$(grep -E '^/.*(warning|error):' <<<"$out" | grep -v '^/usr/src/')
		if [ -z "$warn" ]; then
			ok "sparse: module clean (C=2)"
		else
			nok "sparse: module clean (C=2)" "$warn"
		fi
	else
		nok "sparse: runs (reports its canary's defect; CHECKed every module/*.c)" \
			"make sparse exited $rc:
$(tail -n 30 <<<"$out")"
		nok "sparse: module clean (C=2)" "not checked: sparse did not run"
	fi

	# checkpatch from the linux-source package.
	out=$(make -s style 2>&1)
	if [ -z "$out" ]; then
		ok "checkpatch: module/*.c module/*.h clean (--strict)"
	else
		nok "checkpatch: module/*.c module/*.h clean (--strict)" "$out"
	fi

	# Host unit tests and the C selftests' build.
	if build_selftests; then
		host_suite unit build/selftests/test_reno_math
		host_suite unit-bbr build/selftests/test_bbr_math
	fi
	# The conformance suite's RFC model, against senders making each
	# allowed choice and against wrong ones (no VM needed).
	host_suite conformance-model /usr/bin/python3 selftests/conformance/model_test.py
	# The benchmark's analysis, whose tables the README shows, against
	# made-up results with known answers.
	host_suite bench-analysis /usr/bin/python3 selftests/unit/test_bench.py
	# vm-run.sh's boot watchdog (-b), with a stand-in for vng.
	host_suite vm-run bash selftests/unit/test_vm_run.sh

	# The tcptune CLI: -Werror build, unit test (plain and with ASan +
	# UBSan), the fuzzer of its reply and argument parsers (sanitized,
	# 40 s), host tests (no module needed), ss's filters against ss.
	if build_cli; then
		host_suite cli-unit build/selftests/test_cli_unit
		host_suite cli-unit-asan build/selftests/test_cli_unit_asan
		host_suite cli-fuzz build/selftests/fuzz_cli -T 40
		host_suite cli-host bash selftests/cli/host_cli_test.sh
		host_suite cli-ss bash selftests/cli/host_ss_test.sh
	fi

	# last: a full run builds the trixie root in the background meanwhile
	host_7x
}

# ---- a VM boot -----------------------------------------------------------------
# vm_stage LABEL PREFIX OUTDIR BOUND SUITE-BOUND KERNEL KO SUITES
#   PREFIX goes before every result's name ("" or "debug:"); KO is passed as
#   vm-run.sh -m (empty: vm-run.sh's default, module/tcptune.ko).
vm_stage() {
	local label=$1 prefix=$2 out=$3 bound=$4 sbound=$5 kernel=$6 ko=$7 list=$8
	local vlog=$out.log args runall t0 t w vmrc why s ran=0 name rep rname
	rm -rf "$out"
	mkdir -p "$out"
	args=(-k "$kernel" -o "$out")
	[ -n "$ko" ] && args+=(-m "$ko")
	[ -n "$vm_canary" ] && args+=(-C "$vm_canary")
	# vm-run.sh -t bounds the VM itself once it has the lock; the timeout
	# around vm-run.sh stays, a little longer, in case it has no -t.
	grep -q 'getopts "[^"]*t:' scripts/vm-run.sh && args+=(-t "$bound")
	runall=("$top/selftests/vm/run-all.sh" "$out" -t "$sbound")
	[ -n "$filter" ] && runall+=(-f "$filter")
	# shellcheck disable=SC2206
	runall+=($list)

	# vm-run.sh waits for the machine's VM lock: wait for it here, so
	# that the bound below is this run's and not another's.
	w=$(date +%s)
	while ! flock -n "$VM_LOCK" true 2>/dev/null; do
		[ $(( $(date +%s) - w )) -eq 0 ] && say "waiting for the VM lock ($VM_LOCK)"
		sleep 5
	done
	w=$(( $(date +%s) - w ))
	[ $w -gt 0 ] && timing "waits" "VM lock ($label)" "$w"

	say "== VM: $label ($kernel), suites: $list; bound $bound s; log in $vlog"
	t0=$(date +%s)
	# A boot that hangs (no guest after $VM_BOOT_BOUND s: vm-run.sh -b,
	# exit 125, and run-all.sh never ran) is booted once more; its log is
	# kept apart ($vlog.hung), so that what is judged is the last boot's.
	rm -f "$vlog.hung"
	for boot in 1 2; do
		timeout -k 60 $((bound + 120)) scripts/vm-run.sh -b "$VM_BOOT_BOUND" \
			"${args[@]}" -- "${runall[@]}" >"$vlog" 2>&1 </dev/null
		vmrc=$?
		[ $vmrc = 125 ] && [ $boot = 1 ] && [ ! -e "$out/run-all.rc" ] || break
		mv "$vlog" "$vlog.hung"
		say "the $label boot hung (no guest after $VM_BOOT_BOUND s; log: $vlog.hung): booting again"
		timing "waits" "hung boot ($label)" "$VM_BOOT_BOUND"
	done
	t=$(( $(date +%s) - t0 ))

	why=
	case $vmrc in
	124 | 137) why="the VM run overstayed its bound of $bound s and was killed (exit $vmrc)" ;;
	125) why="two boots hung: no guest after $VM_BOOT_BOUND s (vm-run.sh exit 125)" ;;
	98) why="tcptune.ko did not load in the guest (vm-run.sh exit 98)" ;;
	99) why="the guest kernel log reports a problem (vm-run.sh exit 99)" ;;
	255) why="vng exited 255: the guest panicked or did not boot" ;;
	129 | 130 | 143) why="vm-run.sh was stopped by SIG$(kill -l $((vmrc - 128))) from outside (exit $vmrc)" ;;
	esac
	if [ -z "$why" ] && grep -q 'Kernel panic' "$vlog"; then
		why="the guest kernel panicked (exit $vmrc)"
	fi
	if [ -z "$why" ] && [ ! -f "$out/run-all.rc" ]; then
		why="the boot or the run failed: exit $vmrc, and run-all.sh did not finish"
	fi
	if [ -z "$why" ] && [ "$(cat "$out/run-all.rc")" != "$vmrc" ]; then
		why="exit $vmrc, but run-all.sh exited $(cat "$out/run-all.rc")"
	fi
	name="${prefix}vm: $label boots, loads tcptune.ko, runs the suites to the end, kernel log clean"
	if [ -z "$why" ]; then
		ok "$name"
	elif [ "$vmrc" = 99 ]; then
		# the report of the run (vm-guest.sh), not those of the boot
		rep=$(grep -E -A 60 -m 1 '^vm-guest: .*(during the run|after the run|lockdep|lost)' "$vlog")
		[ -n "$rep" ] || rep=$(grep -A 60 -m 1 '^vm-guest: ' "$vlog")
		nok "$name" "$why
$rep"
	else
		nok "$name" "$why
$(grep -E -m 10 'Kernel panic|BUG:|Oops|not syncing' "$vlog")
log (end):
$(tail -n 30 "$vlog")"
	fi

	for s in $list; do
		[ -e "$out/$s.tap" ] || [ -e "$out/$s.why" ] && ran=1
	done
	if [ $ran = 0 ] && [ ! -e "$out/restore.tap" ]; then
		nok "${prefix}vm: no suite ran ($list)" "see the failure above; log: $vlog"
	else
		for s in $list; do
			tc tap "$results" "$prefix$s" "$out/$s.tap" --rc-file "$out/$s.rc" \
				--err "$out/$s.err" --why "$out/$s.why"
			[ -f "$out/$s.time" ] &&
				timing "suite times ($label)" "$prefix$s" "$(cat "$out/$s.time")"
		done
		# (two boots of one kernel: "restore", "restore (functional)")
		rname=${prefix}restore
		[[ $label == *" ("*")" ]] && rname+=" (${label##*(}"
		tc tap "$results" "$rname" "$out/restore.tap" --rc 0
	fi
	[ -n "$vm_canary" ] && debug_canary_verdict "$out"
	timing "stage times" "vm $label" "$t"
}

# ---- the other kernel series ------------------------------------------------------
# series_boot SERIES SUITES [build]: boots the newest installed Debian kernel
# of SERIES with the module built against it (build/kSERIES, by the host
# stage, or here with "build") and runs SUITES; results are prefixed
# "SERIES:".
# Series 7: the 7.x kernel of the trixie root (scripts/trixie-root.sh),
# booted with the host's root; its module built in that root
# (scripts/build-7x.sh).
series_boot() {
	local series=$1 list=$2 k kimg out
	if [ "$series" = 7 ]; then
		# the root the host stage made sure of, else built now
		k=$(bash scripts/trixie-root.sh --release 2>/dev/null) ||
			k=$(bash scripts/trixie-root.sh 2>"$res/trixie-root.log" | tail -n 1)
		if [ -z "$k" ]; then
			nok "vm kernel: the 7.x kernel of the trixie root (scripts/trixie-root.sh)" \
				"$(tail -n 30 "$res/trixie-root.log")"
			return 1
		fi
		kimg=$(bash scripts/trixie-root.sh --path)/boot/vmlinuz-$k
		if [ "${3:-}" = build ] || [ ! -f build/k7/module/tcptune_clash.ko ]; then
			if ! out=$(bash scripts/build-7x.sh 2>&1); then
				nok "build: tcptune.ko against $k (trixie root, gcc-14), W=1, no warning" "$out"
				return 1
			fi
			[ "${3:-}" = build ] && ok "build: tcptune.ko against $k (trixie root, gcc-14), W=1, no warning"
		fi
	else
		if ! k=$(scripts/vm-kernel.sh "$series" 2>&1); then
			nok "vm kernel: an installed Debian $series kernel (scripts/vm-kernel.sh)" "$k"
			return 1
		fi
		kimg=$k
		if [ "${3:-}" = build ] || [ ! -f "build/k$series/module/tcptune.ko" ]; then
			build_scratch "$k" "/lib/modules/$k/build" "build/k$series" || return 1
		fi
	fi
	vm_stage "$k" "$series:" "$res/vm-$series" "$VM_BOUND" "$SUITE_BOUND" "$kimg" \
		"$top/build/k$series/module/tcptune.ko" "$list"
}

# ---- the debug kernel ------------------------------------------------------------
# Sets dk (the kernel tree) and builds build/debug-mod/module/tcptune.ko
# against it; false (with the failure recorded) if either is not there.
dk=
dk_pid=
dk_t0=
# debug_kernel_start: scripts/debug-kernel.sh in the background, at idle
# priority (SCHED_IDLE, nice 19) until build_prio sets it (normal beside
# the host stage, stopped during the throughput boots); debug_kernel
# waits for it.
debug_kernel_start() {
	[ -f scripts/debug-kernel.sh ] || return 0
	say "== debug kernel: building in the background at idle priority (log in $res/debug-kernel.log)"
	dk_t0=$(date +%s)
	rm -f "$res/debug-kernel.out" "$res/debug-kernel.rc"
	( rc=0
	  chrt -i 0 nice -n 19 timeout -k 30 "$DEBUG_BUILD_BOUND" bash scripts/debug-kernel.sh \
		>"$res/debug-kernel.out" 2>"$res/debug-kernel.log" </dev/null || rc=$?
	  echo $(( $(date +%s) - dk_t0 )) >"$res/debug-kernel.secs"
	  echo "$rc" >"$res/debug-kernel.rc" ) &
	dk_pid=$!
}
# build_prio stop|normal: the debug kernel's build (the process group of
# its timeout) stopped (SIGSTOP) beside the boots that measure throughput,
# or at normal priority (nice 5), beside the host stage and the functional
# boots: from a cold cache the build, then the debug boot, are the run's
# longest path (at idle priority throughout, CI waited 11 min for it after
# the other boots).  Idle priority was not enough beside the bbr suite: on
# a cold two-core machine the VM could not fill a 50 Mbit/s link (the
# kernel's bbr pair at 22), and the 10 x BDP, 5 % loss and window cases
# failed; stopped, the build still ends before the debug boot (a cold
# build takes ~11 min; the host stage and the functional boots ~24).
# The group is this run's own (its timeout, the child of $dk_pid: chrt
# and nice exec into it; timeout leads a group of its own).  Processes it
# starts later inherit the priority.  Its bound, DEBUG_BUILD_BOUND, counts
# the time stopped (reported as "debug kernel build (stopped)").  The
# run's exit continues a build it left stopped.
dk_stopped=''
dk_stop_t=0
dk_stop_secs=0
build_prio() {
	local pg p
	if [ -n "$dk_stopped" ]; then
		kill -CONT -- "-$dk_stopped" 2>/dev/null
		dk_stopped=
		dk_stop_secs=$((dk_stop_secs + $(date +%s) - dk_stop_t))
		timing "stage times" "debug kernel build (stopped)" "$dk_stop_secs"
	fi
	{ [ -n "$dk_pid" ] && kill -0 "$dk_pid"; } 2>/dev/null || return 0
	pg=$(pgrep -P "$dk_pid" -x timeout | head -n 1)
	[ -n "$pg" ] || return 0
	if [ "$1" = stop ]; then
		trap '[ -n "$dk_stopped" ] && kill -CONT -- "-$dk_stopped" 2>/dev/null' EXIT
		if kill -STOP -- "-$pg" 2>/dev/null; then
			dk_stopped=$pg dk_stop_t=$(date +%s)
			say "-- debug kernel build: stopped from here on"
		fi
		return 0
	fi
	for p in $(pgrep -g "$pg"); do
		chrt -o -p 0 "$p" && renice -n 5 -p "$p"
	done >/dev/null 2>&1
	say "-- debug kernel build: normal priority from here on"
}
debug_kernel() {
	local t out rc
	t=$(date +%s)
	if [ ! -f scripts/debug-kernel.sh ]; then
		nok "debug kernel: not available" "scripts/debug-kernel.sh does not exist in this tree"
		return 1
	fi
	if [ -n "$dk_pid" ]; then
		say "== debug kernel: waiting for its build (log in $res/debug-kernel.log)"
		wait "$dk_pid"
		rc=$(cat "$res/debug-kernel.rc" 2>/dev/null || echo 1)
		out=$(cat "$res/debug-kernel.out" 2>/dev/null)
		timing "stage times" "debug kernel build (in the background)" "$(cat "$res/debug-kernel.secs" 2>/dev/null || echo 0)"
		timing "stage times" "debug kernel build (waited for)" $(( $(date +%s) - t ))
	else
		say "== debug kernel (scripts/debug-kernel.sh; log in $res/debug-kernel.log)"
		out=$(timeout -k 30 "$DEBUG_BUILD_BOUND" bash scripts/debug-kernel.sh \
			2>"$res/debug-kernel.log" </dev/null)
		rc=$?
		timing "stage times" "debug kernel build" $(( $(date +%s) - t ))
	fi
	dk=$(tail -n 1 <<<"$out")
	if [ $rc -ne 0 ] || [ -z "$dk" ] || [ ! -d "$dk" ]; then
		nok "debug kernel: not available" "scripts/debug-kernel.sh exited $rc and printed '$dk'
$(tail -n 30 "$res/debug-kernel.log")"
		return 1
	fi
	ok "debug kernel: $dk"
	build_scratch "the debug kernel" "$dk" build/debug-mod
}

# The debug boot's checks must be able to fail: after its suites, in the
# same boot, the kernel's own test modules are loaded (kasan_test_module:
# out-of-bounds accesses; kmemleak_test: leaked objects) and vm-guest.sh's
# checks, run again over the log from there on, must find a KASAN report and
# a kmemleak leak (vm-run.sh -C; OUTDIR/canary.result).  (A boot of its own
# for this cost 3 minutes.)  debug_canary_kos copies them into the checkout
# (the guest does not see the kernel cache under /var) and sets vm_canary.
CANARY_NAME="debug: the guest's checks find a KASAN report and a kmemleak leak (kernel test modules, after the suites)"
vm_canary=
debug_canary_kos() {
	local cdir=$top/build/debug-mod/canary
	rm -rf "$cdir" && mkdir -p "$cdir"
	if cp "$dk/mm/kasan/kasan_test_module.ko" "$dk/samples/kmemleak/kmemleak-test.ko" "$cdir/"; then
		vm_canary="$cdir/kasan_test_module.ko $cdir/kmemleak-test.ko"
	else
		nok "$CANARY_NAME" "the test modules are not in the debug kernel's tree $dk"
		vm_canary=
	fi
}
# debug_canary_verdict OUTDIR: the canary's result as a test
debug_canary_verdict() {
	local v
	v=$(cat "$1/canary.result" 2>/dev/null)
	case $v in
	ok:*) ok "$CANARY_NAME" ;;
	"") nok "$CANARY_NAME" "the canary did not run (no $1/canary.result): the boot did not get that far" ;;
	*) nok "$CANARY_NAME" "$v
$(grep -A 30 -m 1 '^vm-guest: canary' "$1.log")" ;;
	esac
}

# ---- the run -----------------------------------------------------------------------
case $mode in
host)
	t=$(date +%s)
	stock_kernel && host_stage
	timing "stage times" "host" $(( $(date +%s) - t ))
	;;
vm)
	for s in $suites; do
		[[ " $(selftests/vm/run-all.sh --list all) " == *" $s "* ]] ||
			{ echo "unknown suite '$s'; the suites: $(selftests/vm/run-all.sh --list all)" >&2; exit 2; }
	done
	t=$(date +%s)
	# only what the suites need (the clash module is built against $kver)
	stock_kernel >/dev/null
	case " $suites " in *" select "* | *" race "* | *" security "* | *" load "* | *" lifecycle "*) build_selftests ;; esac
	case " $suites " in *" cli "* | *" load "* | *" lifecycle "* | *" pkg "* | *" bbr "* | *" ecn "*) build_cli ;; esac
	case " $suites " in *" pkg "*)
		out=$(nice -n 19 bash scripts/build-deb.sh 2>&1) ||
			nok "packages: tcptune and tcptune-dkms build; lintian clean" "$out" ;;
	esac
	if [ $debug_vm = 1 ]; then
		debug_kernel && debug_canary_kos && vm_stage debug debug: "$res/vm-debug" "$DEBUG_VM_BOUND" \
			$((2 * SUITE_BOUND)) "$dk" "$top/build/debug-mod/module/tcptune.ko" "$suites"
	elif [ "$vm_series" != 6.1 ]; then
		series_boot "$vm_series" "$suites" build
	elif stock_kernel && build_module_61; then
		vm_stage "$kver" "" "$res/vm" "$VM_BOUND" "$SUITE_BOUND" "$kver" "" "$suites"
	fi
	;;
full)
	say "== set-up (scripts/setup.sh; log in $log)"
	t=$(date +%s)
	if ! bash scripts/setup.sh >>"$log" 2>&1; then
		nok "set-up: scripts/setup.sh" "$(tail -n 20 "$log")"
		tc summary "$results"
		exit 1
	fi
	timing "stage times" "set-up" $(( $(date +%s) - t ))

	dlist=$(selftests/vm/run-all.sh --list debug)
	if [ -n "$suites" ]; then
		dlist=$(for s in $dlist; do [[ " $suites " == *" $s "* ]] && echo "$s"; done | paste -sd ' ')
	fi
	[ -n "$dlist" ] && debug_kernel_start
	# The trixie root (7.x headers and kernel) downloads and unpacks while
	# the host stage builds; its 7.x block, last, waits for it.
	t=$(date +%s)
	( bash scripts/trixie-root.sh >/dev/null 2>"$res/trixie-root-bg.log" </dev/null
	  echo $(( $(date +%s) - t )) >"$res/trixie-root.secs" ) &

	say "== host stage"
	build_prio normal
	t=$(date +%s)
	stock_kernel && host_stage
	timing "stage times" "host" $(( $(date +%s) - t ))
	[ -f "$res/trixie-root.secs" ] &&
		timing "stage times" "trixie root (in the background)" "$(cat "$res/trixie-root.secs")"

	# The boots, one at a time: first those that measure throughput (the
	# stock kernel's bulk and bbr, in a boot of their own, and the 7.x
	# boot, which has bulk and ecn), with the debug build stopped; then
	# the functional ones (the rest of the stock list, 6.12), with the
	# build at normal priority; then the debug boot.
	stock=${suites:-$(selftests/vm/run-all.sh --list stock)}
	tput='' func=''
	for s in $stock; do
		case $s in
		bulk | bbr) tput+=" $s" ;;
		*) func+=" $s" ;;
		esac
	done
	# (select, a smoke test, first in both)
	[[ " $stock " == *" select "* ]] && [ -n "$tput" ] && tput="select$tput"
	[ "${func# }" = select ] && [ -n "$tput" ] && func=''
	serieslist() {	# SERIES: its suites (of $suites only, if given)
		local l
		l=$(selftests/vm/run-all.sh --list "$1")
		[ -n "$suites" ] && l=$(for s in $l; do [[ " $suites " == *" $s "* ]] && echo "$s"; done | paste -sd ' ')
		echo "$l"
	}
	stock_ok=0
	[ -n "$kver" ] && [ -f module/tcptune.ko ] && stock_ok=1
	[ $stock_ok = 0 ] && nok "vm: $kver not booted: no kernel or no module"

	build_prio stop
	[ $stock_ok = 1 ] && [ -n "$tput" ] &&
		vm_stage "$kver" "" "$res/vm" "$VM_BOUND" "$SUITE_BOUND" "$kver" "" "${tput# }"
	slist=$(serieslist 7)
	[ -n "$slist" ] && series_boot 7 "$slist"

	build_prio normal
	[ $stock_ok = 1 ] && [ -n "$func" ] &&
		vm_stage "$kver (functional)" "" "$res/vm-functional" "$VM_BOUND" "$SUITE_BOUND" "$kver" "" "${func# }"
	slist=$(serieslist 6.12)
	[ -n "$slist" ] && series_boot 6.12 "$slist"

	if [ -n "$dlist" ]; then
		t=$(date +%s)
		if debug_kernel; then
			debug_canary_kos
			vm_stage debug debug: "$res/vm-debug" "$DEBUG_VM_BOUND" \
				$((2 * SUITE_BOUND)) "$dk" "$top/build/debug-mod/module/tcptune.ko" "$dlist"
		fi
		timing "stage times" "debug (build and boot)" $(( $(date +%s) - t ))
	else
		say "== debug kernel: none of the suites asked for runs there ($suites)"
	fi
	;;
esac

timing "stage times" "all" $(( $(date +%s) - t_start ))
tc summary "$results"
