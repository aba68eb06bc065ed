#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (scripts/vm-run.sh), with tcptune.ko loaded: VM selftest
# suites in one boot, each from a clean start.
#
#   run-all.sh OUTDIR [-f FILTER] [-t SECONDS] [SUITE...]
#   run-all.sh --list [stock|debug|6.12|7]  the default suites of a boot, in order
#
# Per suite, in OUTDIR: SUITE.tap (its stdout, also copied to ours, each
# line after the suite's elapsed seconds "[  12] "),
# SUITE.err (its stderr), SUITE.rc (its exit status: 124 timed out, 127 not
# found), SUITE.time (wall seconds), SUITE.why (why it could not run).
# OUTDIR/restore.tap is TAP of its own: after every suite the state the next
# one starts from is restored and checked ("clean state after SUITE"), so a
# suite's mess is reported there and not as the next suite's failure:
#   - the suite's leftover processes (its session) are killed;
#   - every named network namespace is deleted (its processes killed first),
#     mounts made since the start are unmounted;
#   - net.ipv4.tcp_congestion_control is set back to its value at the start;
#   - tcptune.ko is unloaded and loaded fresh ($TCPTUNE_KO, default
#     module/tcptune.ko): knobs at their defaults, no registered socket,
#     algorithm flags as the module sets them;
#   - net.ipv4.tcp_allowed_congestion_control is set back (after the
#     reload: writing it resets which algorithms are non-restricted);
#   - then all of that, and every /proc/sys/net/tcptune knob, is compared
#     with the start.
# OUTDIR/run-all.rc is written last: without it the run did not finish.
#
# -f FILTER selects tests where a suite takes a filter (an argument of
# conformance and tuning); every suite also sees it as $TCPTUNE_TEST_FILTER.
# -t SECONDS bounds each suite (default 900; a slow kernel wants more).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PY=/usr/bin/python3
KO=${TCPTUNE_KO:-$top/module/tcptune.ko}

# The default suites of each boot.  Every suite that does not measure
# throughput runs once, on the debug kernel (Debian's 6.1 sources with KASAN,
# lockdep, kmemleak, ...), with the fuzzer, the race, lifecycle and load
# tests; select and module run there with the tree's own modules.  The stock
# Debian 6.1 kernel runs what measures throughput (bulk, bbr), what depends
# on Debian's kernel as shipped (select: the kernel's own modules as
# restricted controls), and what costs ten times as much on the debug kernel
# without checking more there: conformance-ref (the kernel's reno through
# the conformance scenarios: reference results, not ours), tuning-scale
# (the dump of 10,000 connections; the debug kernel dumps 2,000) and cli
# (the CLI's own behaviour, ~90 processes per minute of it: 520-780 s on the
# debug kernel, ~110 s on a stock one; the kernel paths it drives run on the
# debug kernel in the other suites: the dump and its filter programs in
# fuzz, differentially against sock_diag, the knobs in tuning, the events
# group in tuning and lifecycle, the permissions in security).  By name
# only: load on the stock kernel (its 500 connections/s under the full load
# are not reached under QEMU's emulation here: 386/s measured), module on
# the stock kernel (autoload from Debian's /lib/modules), and the rest on
# the stock kernel (run-tests.sh --vm SUITE; --vm pkg builds the .debs
# first).
STOCK_SUITES="select bulk bbr conformance-ref tuning-scale cli pkg"
DEBUG_SUITES="select conformance tuning module race security fuzz lifecycle load ecn"
# The other kernel series (issue 9).  Every suite passes on each (run-tests.sh
# --vm --kernel SERIES SUITES), but a full run boots each once with the
# suites whose code paths differ between kernel versions: registration and
# the admin's rules (select, module), the genetlink and sysctl permissions
# (security), the CLI over the family, sysctl and inet_diag (cli), and on
# 7.x the algorithms on the network (bulk), tcptune_bbr's CE count under
# AccECN, which only 7.x negotiates (ecn; on the 6.1 debug kernel its RFC
# 3168 case), and the RFC conformance of tcptune_reno/newreno where RACK
# (RFC 8985) can no longer be turned off (conformance: from 6.17; the SACK
# scenarios hold their ACKs so that RACK and the duplicate-ACK threshold
# agree, selftests/conformance/README.md).  The stock 6.1 boot also runs
# pkg: the .debs installed, DKMS building and signing the module in the
# guest, purged.  The rest runs there by name only: all of them on each
# kernel would take CI past its 90 minutes under emulation.
K612_SUITES="select module security cli"
K7_SUITES="select bulk module security cli ecn conformance"

# suite -> command; the first word that names a file must exist.
declare -A suites=(
	[select]="$top/build/selftests/select_test"
	[conformance]="$PY $top/selftests/conformance/run.py --no-ref"
	[conformance-ref]="$PY $top/selftests/conformance/run.py --ref-only"
	[bulk]="bash $here/bulk_test.sh"
	[tuning]="$PY $here/tuning_test.py"
	[tuning-scale]="$PY $here/tuning_test.py --scale"
	[cli]="bash $top/selftests/cli/vm_cli_test.sh"
	[module]="bash $here/module_test.sh"
	[bbr]="bash $here/bbr_test.sh"
	[race]="bash $here/race_test.sh"
	[security]="$PY $here/security_test.py"
	[fuzz]="$PY $here/fuzz_test.py"
	[lifecycle]="bash $here/lifecycle_test.sh"
	[load]="bash $here/load_test.sh"
	[pkg]="bash $here/pkg_test.sh"
	[ecn]="bash $here/ecn_test.sh"
)
# Suites that take a test filter as their last argument.
declare -A takes_filter=([conformance]=1 [conformance-ref]=1 [tuning]=1)
# Suites whose bound is a multiple of -t: pkg compiles the module twice
# under DKMS in the emulated guest (~4 min each here; on CI's slower machine
# the suite ran past 900 s and was killed in its last part).
declare -A bound_times=([pkg]=2)

if [ "${1:-}" = --list ]; then
	case "${2:-stock}" in
	stock) echo "$STOCK_SUITES" ;;
	debug) echo "$DEBUG_SUITES" ;;
	6.12) echo "$K612_SUITES" ;;
	7) echo "$K7_SUITES" ;;
	all) echo "${!suites[@]}" | tr ' ' '\n' | sort | tr '\n' ' '; echo ;;
	*) echo "run-all.sh --list [stock|debug|6.12|7|all]" >&2; exit 2 ;;
	esac
	exit 0
fi
out=${1:?run-all.sh OUTDIR [-f FILTER] [-t SECONDS] [SUITE...]}
shift
filter=
limit=900
while getopts "f:t:" opt; do
	case $opt in
	f) filter=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
order=${*:-$STOCK_SUITES}
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export TCPTUNE_TEST_FILTER=$filter
mkdir -p "$out"
rm -f "$out/run-all.rc"

# ---- the start: what every suite gets back ------------------------------------
# (restore() runs after every suite: it reads /proc and forks little, as
# each fork costs the debug kernel under emulation a good part of a second)
CC=/proc/sys/net/ipv4/tcp_congestion_control
ALLOWED=/proc/sys/net/ipv4/tcp_allowed_congestion_control
read -r boot_default <$CC
read -r boot_allowed <$ALLOWED
knobs() { grep -r . /proc/sys/net/tcptune/ 2>/dev/null | sort; }
boot_knobs=$(knobs)
declare -A boot_mount=()
while read -r _ m _; do boot_mount[$m]=1; done </proc/self/mounts
echo "=== start: default $boot_default; allowed '$boot_allowed'; module $KO;" \
	"$(grep -c . <<<"$boot_knobs") knobs; suites: $order"

loaded() {
	local m _
	while read -r m _; do [ "$m" = tcptune ] && return 0; done </proc/modules
	return 1
}

# Processes whose session is SID (field 6 of /proc/PID/stat).
session_pids() {
	local sid=$1 f st pid
	for f in /proc/[0-9]*/stat; do
		# (read, not cat: no fork per process, which is slow under TCG)
		read -r st 2>/dev/null <"$f" || continue
		pid=${st%% *}
		st=${st##*) }
		# state ppid pgrp session ...  (a zombie is dead already)
		# shellcheck disable=SC2086
		set -- $st
		[ "${4:-}" = "$sid" ] && [ "$1" != Z ] && echo "$pid"
	done
}

# restore: back to the start; prints what it did, and the problems
# (lines starting "! ") that mean the start could not be restored.
restore() {
	local sid pids ns m err cur end t n=0 mounts=() k
	sid=$(cat "$out/.sid" 2>/dev/null)
	if [ -n "$sid" ]; then
		pids=$(session_pids "$sid")
		if [ -n "$pids" ]; then
			echo "killed leftover processes: $(for p in $pids; do
				tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60; echo; done | paste -sd ';')"
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null
		fi
		while [ -n "$pids" ] && [ $((++n)) -le 50 ]; do
			sleep 0.1
			pids=$(session_pids "$sid")
		done
		[ -n "$pids" ] && echo "! processes of the suite survive SIGKILL: $pids"
	fi
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
		if ip netns del "$ns" 2>/dev/null; then
			echo "deleted leftover netns $ns${pids:+ (killed its processes)}"
		else
			echo "! cannot delete netns $ns"
		fi
	done
	while read -r _ m _; do mounts=("$m" "${mounts[@]}"); done </proc/self/mounts
	for m in "${mounts[@]}"; do		# the newest first
		case "$m" in /run/netns | /run/netns/*) continue ;; esac
		[ -n "${boot_mount[$m]:-}" ] && continue
		if umount -l "$m" 2>/dev/null; then
			echo "unmounted leftover $m"
		else
			echo "! cannot unmount $m"
		fi
	done
	read -r cur <$CC
	if [ "$cur" != "$boot_default" ]; then
		echo "default congestion control was $cur"
		echo "$boot_default" 2>/dev/null >$CC ||
			echo "! cannot set net.ipv4.tcp_congestion_control=$boot_default"
	fi
	t=$SECONDS
	if loaded; then
		# references that go away by themselves (closing sockets,
		# a netns's cleanup) are waited for, 20 s
		err=
		end=$((SECONDS + 20))
		while ! err=$(rmmod tcptune 2>&1) && [ $SECONDS -lt $end ]; do
			sleep 0.5
		done
		if loaded; then
			echo "! cannot unload tcptune (refcount $(cat /sys/module/tcptune/refcnt 2>/dev/null)): $err"
			echo "! sockets on our algorithms: $(ss -tanpiH 2>/dev/null | grep -c tcptune)"
		fi
	else
		echo "tcptune was not loaded"
	fi
	if ! loaded; then
		err=$(insmod "$KO" 2>&1) || echo "! insmod $KO failed: $err"
	fi
	[ $((SECONDS - t)) -ge 5 ] && echo "(rmmod and insmod took $((SECONDS - t)) s)"
	read -r cur <$ALLOWED
	# (always written: writing it is what resets which algorithms are
	# non-restricted, after the reload)
	err=$( { echo "$boot_allowed" >$ALLOWED; } 2>&1) ||
		echo "! cannot set net.ipv4.tcp_allowed_congestion_control='$boot_allowed': $err"
	[ "$cur" != "$boot_allowed" ] && echo "allowed congestion control was '$cur'"
	# knobs: with the module reloaded these are its defaults; if it could
	# not be, put the start's values back
	k=$(knobs)
	if [ "$k" != "$boot_knobs" ]; then
		echo "knobs differ from the start: $(diff <(echo "$boot_knobs") <(echo "$k") | grep '^[<>]' | head -5 | paste -sd ' ')"
		while IFS=: read -r f v; do
			[ -n "$f" ] && echo "$v" >"$f" 2>/dev/null
		done <<<"$boot_knobs"
		k=$(knobs)
	fi
	# the check
	loaded || echo "! tcptune is not loaded"
	read -r cur <$CC
	[ "$cur" = "$boot_default" ] || echo "! default congestion control is $cur, not $boot_default"
	read -r cur <$ALLOWED
	[ "$cur" = "$boot_allowed" ] || echo "! allowed congestion control is '$cur', not '$boot_allowed'"
	# (the netns list once, from /run/netns: no ip)
	ns=$(ls /run/netns 2>/dev/null)
	[ -z "$ns" ] || echo "! network namespaces remain: $(paste -sd ' ' <<<"$ns")"
	[ "$k" = "$boot_knobs" ] || echo "! knobs differ from the start: $(diff <(echo "$boot_knobs") <(echo "$k") | grep '^[<>]' | head -5 | paste -sd ' ')"
}

n_suites=$(wc -w <<<"$order")
{ echo "TAP version 13"; echo "1..$n_suites"; } >"$out/restore.tap"
rc=0
n=0
t_all=$(date +%s)
for s in $order; do
	n=$((n + 1))
	rm -f "$out/$s.tap" "$out/$s.err" "$out/$s.rc" "$out/$s.time" "$out/$s.why" "$out/.sid"
	start=$(date +%s)
	cmd=${suites[$s]:-}
	if [ -z "$cmd" ]; then
		echo "unknown suite '$s' (known: ${!suites[*]})" | tee "$out/$s.why"
		echo 127 >"$out/$s.rc"
	else
		# shellcheck disable=SC2206
		argv=($cmd)
		file=${argv[0]}
		case "$file" in "$PY" | bash) file=${argv[1]} ;; esac
		if [ ! -f "$file" ]; then
			echo "$file does not exist" | tee "$out/$s.why"
			echo 127 >"$out/$s.rc"
		else
			if [ -n "$filter" ]; then
				if [ -n "${takes_filter[$s]:-}" ]; then
					argv+=("$filter")
				else
					echo "=== suite $s takes no filter argument: running all of it (TCPTUNE_TEST_FILTER=$filter)"
				fi
			fi
			echo "=== suite $s: ${argv[*]}"
			# A session of its own (its id in .sid), to find what it
			# leaves; its output in a file (a pipe would wait for
			# every process left holding it), followed by tail.
			bash -c 'echo $$ >"$1"; shift; exec setsid "$@"' sid "$out/.sid" \
				timeout -k 30 "$((limit * ${bound_times[$s]:-1}))" "${argv[@]}" \
				>"$out/$s.tap" 2>"$out/$s.err" </dev/null &
			pid=$!
			# (each line with the suite's elapsed seconds, to show
			# where a slow suite spends its time)
			tail -n +1 -s 0.5 -f --pid=$pid "$out/$s.tap" |
				while IFS= read -r l; do
					printf -v now '%(%s)T' -1
					printf '[%4d] %s\n' $((now - start)) "$l"
				done &
			tailpid=$!
			wait $pid
			r=$?
			wait $tailpid
			echo "$r" >"$out/$s.rc"
			if [ -s "$out/$s.err" ]; then
				echo "=== suite $s: stderr:"
				tail -n 50 "$out/$s.err" | sed 's/^/stderr: /'
			fi
		fi
	fi
	r=$(cat "$out/$s.rc")
	t=$(( $(date +%s) - start ))
	echo "$t" >"$out/$s.time"
	[ "$r" = 124 ] && echo "=== suite $s: timed out after $((limit * ${bound_times[$s]:-1})) s"
	echo "=== suite $s: exit $r in $t s"
	[ "$r" = 0 ] || rc=1

	t=$(date +%s)
	notes=$(restore 2>&1)
	t=$(( $(date +%s) - t ))
	if grep -q '^! ' <<<"$notes"; then
		echo "not ok $n - clean state after $s" >>"$out/restore.tap"
		rc=1
	else
		echo "ok $n - clean state after $s" >>"$out/restore.tap"
	fi
	[ -n "$notes" ] && while IFS= read -r l; do echo "# $l"; done <<<"$notes" >>"$out/restore.tap"
	echo "=== restore after $s ($t s):${notes:+ $(paste -sd ';' <<<"$notes")}"
done
echo "=== all suites: $(( $(date +%s) - t_all )) s"
echo "$rc" >"$out/run-all.rc"
exit $rc
