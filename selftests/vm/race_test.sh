#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# get_info against release (issue 8, item 1), in the VM with tcptune.ko
# loaded.  For each of our algorithms, as the unprivileged user nobody:
# race_cc cycles one socket through connect / connect(AF_UNSPEC) /
# TCP_CONGESTION reno and back / SO_LINGER{1,0} close (each releases and
# zeroes the private area) while two threads loop getsockopt(TCP_CC_INFO)
# on it and one dumps every TCP socket over inet_diag; a second process
# loops `ss -tni` meanwhile.  A NULL dereference oopses the kernel (the run
# fails: the VM runner sees the oops, and so does the check below); the
# counters show that the loops really ran and that tcptune_bbr's get_info
# answered with the BBR layout (the positive control).
#
#   RACE_SECONDS   seconds per algorithm (default 20)
#   TCPTUNE_KO     module to reload at the end (default module/tcptune.ko)
#
# As root, the algorithms are added to net.ipv4.tcp_allowed_congestion_control
# first (unprivileged users may only pick those) and the list is restored
# after; the module is then reloaded so that its algorithms' flags are as
# loaded (restoring the list clears every algorithm's non-restricted flag).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"

SECS=${RACE_SECONDS:-20}
KO=${TCPTUNE_KO:-$top/module/tcptune.ko}
RACE_CC=$top/build/selftests/race_cc
ALGOS="tcptune_reno tcptune_newreno tcptune_bbr"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
ALLOWED=/proc/sys/net/ipv4/tcp_allowed_congestion_control
# Minimum counts for "the loops ran": far below what even a slow debug
# kernel under TCG reaches in RACE_SECONDS (see the report in the log).
MIN_CYCLES=${RACE_MIN_CYCLES:-100}
MIN_CC=${RACE_MIN_CC:-1000}
MIN_DIAG=${RACE_MIN_DIAG:-10}
MIN_SS=${RACE_MIN_SS:-3}
BAD='BUG:|Oops|general protection|KASAN|UBSAN|WARNING:|Call Trace|RCU stall'

tap_plan $((2 + 4 * 3))

if [ ! -x "$RACE_CC" ]; then
	tap_note "no $RACE_CC: make -C selftests"
fi

saved=$(cat "$ALLOWED")
restore() { echo "$saved" >"$ALLOWED"; }
trap restore EXIT
all_allowed() {
	local a
	for a in $ALGOS; do grep -qw "$a" "$ALLOWED" || return 1; done
}
if echo "$saved $ALGOS" >"$ALLOWED" && all_allowed; then
	tap_ok "our algorithms added to tcp_allowed_congestion_control ($(cat "$ALLOWED"))"
else
	tap_fail "our algorithms added to tcp_allowed_congestion_control" "$(cat "$ALLOWED")"
fi

# val KEY LINE: the value of KEY=N in race_cc's counter line
val() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

port=47100
for algo in $ALGOS; do
	port=$((port + 1))
	mark=$(dmesg | wc -l)
	out=$(mktemp) ssout=$(mktemp)
	start=$(date +%s)
	# the ss -tni poller, unprivileged, for as long as race_cc runs
	"${NOBODY[@]}" bash -c "end=\$((\$(date +%s) + $SECS)); n=0; seen=0
		while [ \$(date +%s) -lt \$end ]; do
			ss -tni state all '( sport = :$port or dport = :$port )' | grep -q '$algo' && seen=\$((seen + 1))
			n=\$((n + 1))
		done; echo \"ss=\$n ss_seen=\$seen\"" >"$ssout" 2>&1 &
	sspid=$!
	# bounded: race_cc stops itself after SECS; a hung kernel path must not
	# hang the suite (the debug kernel is several times slower)
	timeout -k 5 $((SECS * 4 + 30)) "${NOBODY[@]}" "$RACE_CC" "$algo" "$SECS" "$port" >"$out" 2>&1
	rc=$?
	timeout 30 tail --pid=$sspid -f /dev/null 2>/dev/null
	kill "$sspid" 2>/dev/null
	wait "$sspid" 2>/dev/null
	line=$(cat "$out")
	ssline=$(cat "$ssout")
	rm -f "$out" "$ssout"
	tap_note "$algo: ${SECS}s, $(( $(date +%s) - start ))s wall, race_cc rc=$rc: $line; $ssline"

	cycles=$(val cycles "$line")
	cc=$(val cc_calls "$line")
	diag=$(val diag_dumps "$line")
	if [ "$rc" = 0 ] && [ "${cycles:-0}" -ge "$MIN_CYCLES" ] &&
	   [ "${cc:-0}" -ge "$MIN_CC" ] && [ "${diag:-0}" -ge "$MIN_DIAG" ] &&
	   [ "$(val connect_fail "$line")" -lt $((cycles / 2 + 1)) ] &&
	   [ "$(val cc_errors "$line")" = 0 ] && [ "$(val diag_errors "$line")" = 0 ]; then
		tap_ok "$algo: nobody raced connect/disconnect/reinit/linger-close against TCP_CC_INFO and inet_diag ($cycles cycles, $cc getsockopt, $diag dumps)"
	else
		tap_fail "$algo: nobody raced connect/disconnect/reinit/linger-close against TCP_CC_INFO and inet_diag" \
			"rc=$rc (124/137: timed out; 2: set-up failed; 3: wrong algorithm; >128: killed, e.g. by an oops), want cycles>=$MIN_CYCLES getsockopt>=$MIN_CC dumps>=$MIN_DIAG, no errors: $line"
	fi

	# positive control: get_info really answered (BBR layout, filled in
	# while connected) for tcptune_bbr; reno/newreno have no get_info
	if [ "$algo" = tcptune_bbr ]; then
		if [ "$(val cc_bbr_filled "$line")" -ge 1 ] 2>/dev/null &&
		   [ "$(val diag_bbr "$line")" -ge 1 ]; then
			tap_ok "$algo: TCP_CC_INFO and inet_diag returned the BBR layout ($(val cc_bbr_filled "$line") filled, $(val diag_bbr "$line") diag)"
		else
			tap_fail "$algo: TCP_CC_INFO and inet_diag returned the BBR layout" "$line"
		fi
	else
		if [ "$(val cc_bbr "$line")" = 0 ] && [ "$(val cc_other "$line")" = 0 ] &&
		   [ "${cc:-0}" -ge 1 ]; then
			tap_ok "$algo: TCP_CC_INFO answered, with no get_info layout"
		else
			tap_fail "$algo: TCP_CC_INFO answered, with no get_info layout" "$line"
		fi
	fi

	ssn=$(echo "$ssline" | sed -n 's/.*ss=\([0-9]*\).*/\1/p')
	sss=$(echo "$ssline" | sed -n 's/.*ss_seen=\([0-9]*\).*/\1/p')
	if [ "${ssn:-0}" -ge "$MIN_SS" ] && [ "${sss:-0}" -ge 1 ]; then
		tap_ok "$algo: nobody's ss -tni loop ran ($ssn runs, $sss showed $algo)"
	else
		tap_fail "$algo: nobody's ss -tni loop ran and showed $algo" "$ssline"
	fi

	log=$(dmesg | tail -n +"$((mark + 1))" | grep -E -A20 "$BAD")
	if [ -z "$log" ]; then
		tap_ok "$algo: no oops, WARN or sanitizer report"
	else
		tap_fail "$algo: no oops, WARN or sanitizer report" "$(echo "$log" | head -40)"
	fi
done

restore
trap - EXIT
now=$(cat "$ALLOWED")
reload=
if grep -q '^tcptune ' /proc/modules; then
	for _ in $(seq 1 50); do
		rmmod tcptune 2>/dev/null && break
		sleep 0.2
	done
	if grep -q '^tcptune ' /proc/modules; then
		reload="cannot rmmod tcptune: $(rmmod tcptune 2>&1)"
	elif ! insmod "$KO"; then
		reload="insmod $KO failed"
	fi
fi
if [ "$now" = "$saved" ] && [ -z "$reload" ]; then
	tap_ok "tcp_allowed_congestion_control restored ($now), module reloaded"
else
	tap_fail "tcp_allowed_congestion_control restored, module reloaded" "now '$now', was '$saved'; $reload"
fi
tap_done
