#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# R4: the module's lifetime under load, in the VM (as root).
#
#   - LC_CYCLES (100) rmmod/insmod cycles, a short loopback transfer with one
#     of our algorithms between each, while a process writes valid and
#     invalid values to net.tcptune.* all along;
#   - rmmod against: a socket using us, a netns default that is ours (made
#     possible by net.ipv4.tcp_allowed_congestion_control; EBUSY: the kernel
#     refuses with EAGAIN), each with the positive control
#     (it succeeds once nothing uses us); an unread SOCK_GET dump holding
#     its netlink socket open; an events listener while flows go through
#     loss; a sysctl file kept open; LC_CLOSE_N (150) connections closing at
#     once (RST, orphans with data queued, half-closed) over a delayed path;
#   - a route with `congctl tcptune_reno`: what happens to it when the
#     module goes and comes back;
#   - nothing leaked: /proc/net/sockstat, the TCP and TCPv6 slabs, module
#     vmalloc areas, the module's reference count.
#
# rmmod goes through delete_module(2) itself (lifecycle_helper.py), not
# rmmod(8), which reads refcnt and refuses before asking the kernel.
# Leaves tcptune.ko loaded at the end.
#
#   tt_snd 198.18.1.1 --- tt_rtr --- 198.18.2.1 tt_rcv    (selftests/lib/topo.sh)
#   tt_lca 198.18.5.1/24 --veth-- 198.18.5.2/24 + 198.18.6.2/32 tt_lcb
#           route 198.18.6.0/24 dev lca0 congctl tcptune_reno
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/topo.sh"
KO=${TCPTUNE_KO:-$top/module/tcptune.ko}
PY=/usr/bin/python3
H="$PY $here/lifecycle_helper.py"
CYCLES=${LC_CYCLES:-100}
BYTES=${LC_BYTES:-262144}
CLOSE_N=${LC_CLOSE_N:-150}
T=$(mktemp -d /tmp/tt_lc.XXXXXX)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

loaded() { grep -q '^tcptune ' /proc/modules; }
load() { loaded || insmod "$KO"; }
# delete_module with retries (references that go away asynchronously).
unload() { $H rmmod "${1:-100}" "${2:-0.1}"; }
sockstat_tcp() { awk '/^TCP:/ { print $9 }' /proc/net/sockstat; }   # alloc
slab_active() { awk -v n="$1" '$1 == n { print $2 }' /proc/slabinfo; }
# Module memory areas beyond one per loaded module: the run loads other
# modules (sch_tbf, veth, ...), which must not count as our leak; 100
# rmmod/insmod cycles leaking an area each would.
vmalloc_modules() {
	local areas mods
	areas=$(grep -cE 'module_alloc|load_module|move_module' /proc/vmallocinfo)
	mods=$(wc -l </proc/modules)
	echo "$((areas - mods))"
}
family_ok() { $PY -c "
import sys; sys.path.insert(0, '$here'); import fuzz_nl as nl
a = nl.Genl().algos(); sys.exit(0 if len(a) >= 3 else 1)" 2>/dev/null; }
# Wait (up to $2 s) for a file to appear.
wait_file() { local i; for i in $(seq 1 $((${2:-30} * 10))); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
# Wait until the TCP sockets of the run are gone (orphans, FIN_WAIT).
settle() {
	local i
	for i in $(seq 1 "${1:-100}"); do
		[ "$(sockstat_tcp)" -le "$base_alloc" ] && return 0
		sleep 0.2
	done
	return 1
}

pids=()
cleanup() {
	touch "$T/stop"
	# No bare wait: a helper whose stdin we still hold would never end.
	for p in $(jobs -p) "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in $(ip netns pids $TOPO_RCV 2>/dev/null) $(ip netns pids $TOPO_SND 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	sleep 0.5
	ip netns del tt_lcdef 2>/dev/null
	ip netns del tt_lca 2>/dev/null
	ip netns del tt_lcb 2>/dev/null
	topo_down
	rm -rf "$T"
	loaded || insmod "$KO" 2>/dev/null
}
trap cleanup EXIT
# A helper that died must fail its test, not kill the script with SIGPIPE.
trap '' PIPE

PLAN=21
tap_plan $PLAN
load
modprobe -q sch_netem; modprobe -q veth

# ---- baseline ----------------------------------------------------------------
base_alloc=$(sockstat_tcp)
base_tcp=$(slab_active TCP)
base_tcp6=$(slab_active TCPv6)
base_vm=$(vmalloc_modules)
base_unrecl=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)
tap_note "baseline: sockstat TCP alloc $base_alloc, slab TCP $base_tcp TCPv6 $base_tcp6," \
	"module vmalloc areas beyond one per module $base_vm, SUnreclaim $base_unrecl kB"

# ---- 1. load/unload cycles with traffic, sysctl writes racing ----------------
coproc SRV { exec $H serve 2>&1; }
read -r -t 60 line <&"${SRV[0]}"
fails=0
why=
[ "$line" = ready ] || { fails=1; why="cycle helper: '$line';"; }
$H sysctl-loop "$T/stop" >"$T/sysctl.out" 2>&1 &
sysctl_pid=$!
algos=(tcptune_reno tcptune_newreno tcptune_bbr)
start=$(date +%s.%N)
for i in $(seq 1 "$CYCLES"); do
	echo "rmmod 100 0.05" >&"${SRV[1]}"
	read -r -t 60 r <&"${SRV[0]}"
	case $r in ok*) ;; *) fails=$((fails + 1)); why="$why cycle $i rmmod: $r;"; load; continue ;; esac
	if loaded; then fails=$((fails + 1)); why="$why cycle $i: still loaded after rmmod;"; fi
	if ! out=$(insmod "$KO" 2>&1); then
		fails=$((fails + 1)); why="$why cycle $i insmod: $out;"; continue
	fi
	a=${algos[$((i % 3))]}
	echo "burst $a $BYTES" >&"${SRV[1]}"
	read -r -t 60 r <&"${SRV[0]}"
	[ "$r" = "ok $a $BYTES" ] || { fails=$((fails + 1)); why="$why cycle $i burst: $r;"; }
done
dur=$(echo "$(date +%s.%N) - $start" | bc)
touch "$T/stop"
wait $sysctl_pid
sysctl_rc=$?
# The cycle helper's listener is a TCP socket of its own: gone before any
# comparison with the baseline.
srv_pid=$SRV_PID
exec {SRV[1]}>&-
wait "$srv_pid" 2>/dev/null
if [ "$fails" = 0 ]; then
	tap_ok "$CYCLES rmmod/insmod cycles, each followed by a $BYTES-byte transfer with one of ours"
else
	tap_fail "$CYCLES rmmod/insmod cycles with traffic" "$fails failures:$why"
fi
tap_note "$CYCLES cycles in ${dur%.*} s ($(echo "scale=2; $dur / $CYCLES" | bc) s each)"
if [ "$sysctl_rc" = 0 ] && grep -q 'valid:ok=' "$T/sysctl.out" && grep -q 'absent:ENOENT=' "$T/sysctl.out"; then
	tap_ok "sysctl writes across the cycles: valid ones take, invalid EINVAL, ENOENT while unloaded"
else
	tap_fail "sysctl writes across the cycles" "rc $sysctl_rc: $(cat "$T/sysctl.out")"
fi
tap_note "sysctl writes: $(cat "$T/sysctl.out")"
load
# One more cycle with nobody writing: a fresh module starts from the defaults.
unload >/dev/null
load
# A fresh module starts from the defaults.
if [ "$(cat /proc/sys/net/tcptune/reno/beta)" = 50 ] && [ "$(cat /proc/sys/net/tcptune/bbr/beta)" = 70 ]; then
	tap_ok "after a reload the knobs are back at their defaults"
else
	tap_fail "after a reload the knobs are back at their defaults" \
		"reno.beta $(cat /proc/sys/net/tcptune/reno/beta), bbr.beta $(cat /proc/sys/net/tcptune/bbr/beta)"
fi

# ---- 2. a socket holds the module ---------------------------------------------
rm -f "$T/hold"
exec {holdin}> >(exec $H hold 1 tcptune_reno "$T/hold")
pids+=($!)
wait_file "$T/hold"
r=$(unload 1)
if [[ $r = "refused EAGAIN"* || $r = "refused EBUSY"* ]] && loaded && family_ok; then
	tap_ok "rmmod refused ($r) while a socket uses tcptune_reno; the family still answers"
else
	tap_fail "rmmod refused while a socket uses tcptune_reno" "$r; $(grep tcptune /proc/modules)"
fi
exec {holdin}>&-
r=$(unload 100)
if [[ $r = ok* ]] && ! loaded; then
	tap_ok "rmmod succeeds once the socket is closed ($r)"
else
	tap_fail "rmmod succeeds once the socket is closed" "$r"
fi
load

# ---- 3. a netns default holds the module --------------------------------------
# Our algorithms are restricted: a namespace other than the initial one may
# make one its default only once the admin allows it
# (net.ipv4.tcp_allowed_congestion_control).  Never try before: Linux
# (6.1 and later) takes a module reference in
# tcp_set_default_congestion_control() and keeps it on that EPERM path, and
# the module could not be unloaded again until reboot.
allowed=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed tcptune_reno tcptune_bbr"
ip netns add tt_lcdef
ip netns exec tt_lcdef sysctl -qw net.ipv4.tcp_congestion_control=tcptune_reno
cur=$(ip netns exec tt_lcdef sysctl -n net.ipv4.tcp_congestion_control)
r=$(unload 1)
if [ "$cur" = tcptune_reno ] && [[ $r = refused* ]] && loaded; then
	tap_ok "rmmod refused ($r) while a netns default is tcptune_reno (allowed by the admin)"
else
	tap_fail "rmmod refused while a netns default is tcptune_reno" "default '$cur', rmmod $r"
fi
ip netns exec tt_lcdef sysctl -qw net.ipv4.tcp_congestion_control=reno
r=$(unload 100)
if [[ $r = ok* ]]; then
	tap_ok "rmmod succeeds once that default is back to reno ($r)"
else
	tap_fail "rmmod succeeds once that default is back to reno" "$r"
fi
load
sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed tcptune_reno tcptune_bbr"
ip netns exec tt_lcdef sysctl -qw net.ipv4.tcp_congestion_control=tcptune_bbr
cur=$(ip netns exec tt_lcdef sysctl -n net.ipv4.tcp_congestion_control)
ip netns del tt_lcdef
r=$(unload 150)
if [ "$cur" = tcptune_bbr ] && [[ $r = ok* ]]; then
	tap_ok "rmmod succeeds once a netns whose default was tcptune_bbr is deleted ($r)"
else
	tap_fail "rmmod succeeds once a netns whose default was tcptune_bbr is deleted" "default '$cur', rmmod $r"
fi
# (A reload forgets what the admin allowed: the list is the algorithms' flags.)
sysctl -qw net.ipv4.tcp_allowed_congestion_control="$allowed" 2>/dev/null
load

# ---- 4. an unread SOCK_GET dump -----------------------------------------------
rm -f "$T/dump"
exec {dumpin}> >(exec $H dump-unread 100 "$T/dump" >"$T/dump.out" 2>&1)
pids+=($!)
wait_file "$T/dump" 60
tap_note "dump holder: $(cat "$T/dump")"
sleep 1
r=$(unload 20 0.1)
if [[ $r = ok* ]]; then
	verdict="rmmod succeeded"
	ok=1
	loaded && ok=0
else
	verdict="rmmod refused"
	ok=1
	{ loaded && family_ok; } || ok=0
fi
if [ $ok = 1 ] && [[ $r = ok* || $r = refused* ]]; then
	tap_ok "an unread SOCK_GET dump: $verdict ($r), module state consistent"
else
	tap_fail "an unread SOCK_GET dump: rmmod clean or refused" "$r; $(grep tcptune /proc/modules)"
fi
exec {dumpin}>&-
sleep 0.5
load
r=$(unload 100)
if [[ $r = ok* ]] && settle 100; then
	tap_ok "after the dump's socket closes, rmmod succeeds and its sockets are freed ($r)"
else
	tap_fail "after the dump's socket closes, rmmod succeeds and its sockets are freed" \
		"$r; sockstat alloc $(sockstat_tcp) (baseline $base_alloc); $(cat "$T/dump.out")"
fi
load

# ---- 5. an event burst ----------------------------------------------------------
topo_up 10 3 20 60000 >/dev/null 2>&1
rm -f "$T/ev"
exec {evin}> >(exec ip netns exec $TOPO_SND $H events "$T/ev" >"$T/ev.out" 2>&1)
pids+=($!)
wait_file "$T/ev" 30
# (without the listener's pipe: a process holding it would keep the
# listener from ever seeing its end)
ip netns exec $TOPO_RCV iperf3 -s -D -p 5301 >/dev/null 2>&1 {evin}>&-
sleep 1
ip netns exec $TOPO_SND iperf3 -c $TOPO_RCV4 -p 5301 -t 180 -P 4 -C tcptune_reno \
	>"$T/iperf.out" 2>&1 {evin}>&- &
iperf=$!
# Our data sockets to port 5301 (the control connection is on the default).
flows() {
	ip netns exec $TOPO_SND ss -Hti state established '( dport = :5301 )' |
		grep -c tcptune_reno
}
for i in $(seq 1 300); do [ "$(flows)" -ge 4 ] && break; sleep 0.1; done
# rmmod is tried 3 times; before and after each try the 4 flows must be
# there (else that try proves nothing, and the test fails).  (Under TCG with
# the flows running, one try with its two ss calls was seen to take 12 s.)
refused=0; tried=0; gone=
for i in 1 2 3; do
	before=$(flows)
	r=$(unload 1)
	after=$(flows)
	tried=$((tried + 1))
	[[ $r = refused* ]] && refused=$((refused + 1))
	if [ "$before" -lt 4 ] || [ "$after" -lt 4 ]; then
		gone="try $i: $before flows before, $after after"
		break
	fi
	[[ $r = ok* ]] && break
	sleep 0.2
done
if [ -z "$gone" ] && [ "$refused" = 3 ] && kill -0 $iperf 2>/dev/null; then
	tap_ok "rmmod refused $refused times while 4 tcptune_reno flows ran through 3% loss"
else
	tap_fail "rmmod refused while flows run" \
		"tried $tried refused $refused (last: $r) ${gone:-}; $(tail -3 "$T/iperf.out")"
fi
kill $iperf 2>/dev/null
wait $iperf 2>/dev/null
r=$(unload 150)
ok=0
[[ $r = ok* ]] && ok=1
if [ $ok = 1 ] && insmod "$KO" && family_ok; then
	tap_ok "with the events listener still joined, rmmod succeeds after the flows and the module comes back ($r)"
else
	tap_fail "rmmod with an events listener joined, then reload" "$r"
fi
load
exec {evin}>&-
for i in $(seq 1 50); do grep -q events "$T/ev.out" 2>/dev/null && break; sleep 0.2; done
nev=$(awk '/^events/ { print $2 }' "$T/ev.out")
if [ "${nev:-0}" -gt 0 ]; then
	tap_ok "the listener received $nev events and left cleanly"
else
	tap_fail "the events listener received events" "$(cat "$T/ev.out")"
fi
pkill_iperf() { local p; for p in $(ip netns pids $TOPO_RCV); do kill "$p" 2>/dev/null; done; }
pkill_iperf

# ---- 6. a sysctl file kept open across rmmod ---------------------------------------
rm -f "$T/fd" "$T/fd.out"
exec {fdin}> >(exec $H sysctl-open-fd "$T/fd" >"$T/fd.out" 2>&1)
pids+=($!)
wait_file "$T/fd"
r=$(unload 50)
echo go >&$fdin
wait_file "$T/fd.out" 30
out=$(cat "$T/fd.out")
exec {fdin}>&-
if [[ $r = ok* ]] && [[ $out = errno* ]]; then
	tap_ok "a sysctl fd opened before rmmod: rmmod succeeds, a write after it fails cleanly ($out)"
else
	tap_fail "a sysctl fd opened before rmmod" "rmmod: $r; write: $out"
fi
load

# ---- 7. many sockets closing while rmmod is tried ------------------------------------
ip netns exec $TOPO_RCV $H sink $TOPO_RCV4 5302 &
sleep 1
rm -f "$T/close" "$T/close.out"
exec {clin}> >(exec ip netns exec $TOPO_SND $H close-race "$CLOSE_N" $TOPO_RCV4 5302 "$T/close" >"$T/close.out" 2>&1)
pids+=($!)
wait_file "$T/close" 120
echo go >&$clin
# The first success must come only when no socket of the race is left but
# TIME-WAIT ones (which hold no algorithm).
r=$(unload 3000 0.02)
left=$(ip netns exec $TOPO_SND ss -Htan state all '( dport = :5302 )' | awk '$1 != "TIME-WAIT"' | wc -l)
wait_file "$T/close.out" 30
out=$(cat "$T/close.out")
exec {clin}>&-
if [[ $r = ok* ]] && [ "$left" = 0 ] && [ "$out" = "closed $CLOSE_N" ]; then
	tap_ok "$CLOSE_N connections closing (RST, orphans with data, half-closed): rmmod first succeeds when none is left ($r)"
else
	tap_fail "connections closing while rmmod is tried" "rmmod $r, $left sockets left, helper: $out"
fi
load

# ---- 8. a route with congctl tcptune_reno -------------------------------------------
ip netns add tt_lca; ip netns add tt_lcb
ip link add lca0 netns tt_lca type veth peer name lcb0 netns tt_lcb
ip -n tt_lca link set lo up; ip -n tt_lcb link set lo up
ip -n tt_lca addr add 198.18.5.1/24 dev lca0
ip -n tt_lcb addr add 198.18.5.2/24 dev lcb0
ip -n tt_lcb addr add 198.18.6.2/32 dev lcb0
ip -n tt_lca link set lca0 up; ip -n tt_lcb link set lcb0 up
ip -n tt_lcb route add 198.18.5.0/24 dev lcb0 2>/dev/null
ip netns exec tt_lcb $H sink 198.18.6.2 5303 &
sleep 1
def=$(ip netns exec tt_lca sysctl -n net.ipv4.tcp_congestion_control)
conn() { ip netns exec tt_lca $H connect 198.18.6.2 5303 2>&1; }
route_show() { ip -n tt_lca route show 198.18.6.0/24; }
if ip -n tt_lca route add 198.18.6.0/24 dev lca0 congctl tcptune_reno 2>"$T/route.err"; then
	a1=$(conn)
	s1=$(route_show)
else
	a1="route add failed: $(cat "$T/route.err")"
fi
if [ "$a1" = tcptune_reno ] && [[ $s1 = *"congctl tcptune_reno"* ]]; then
	tap_ok "a connection on a route with congctl tcptune_reno gets tcptune_reno (netns default $def)"
else
	tap_fail "a connection on a route with congctl tcptune_reno gets it" "got '$a1'; route '$s1'"
fi
r=$(unload 100)
s2=$(route_show)
a2=$(conn)
if ip -n tt_lca route add 198.18.7.0/24 dev lca0 congctl tcptune_reno 2>"$T/route2.err"; then
	add2="accepted"
	ip -n tt_lca route del 198.18.7.0/24 2>/dev/null
else
	add2="refused: $(cat "$T/route2.err")"
fi
insmod "$KO"
a3=$(conn)
s3=$(route_show)
tap_note "route finding: rmmod with the route present: $r; route after rmmod: '$s2';" \
	"a connection while unloaded gets '$a2'; a new congctl route while unloaded: $add2;" \
	"after reload the route shows '$s3' and a connection gets '$a3'"
if [[ $r = ok* ]] && [ -n "$s2" ] && [[ $s2 != *congctl* ]] && [ "$a2" = "$def" ] &&
	[[ $add2 = refused* ]] && [[ $s3 = *"congctl tcptune_reno"* ]] && [ "$a3" = tcptune_reno ]; then
	tap_ok "the route holds no reference: rmmod succeeds, the route stays (congctl not shown, connections get $def), after reload it applies again"
else
	tap_fail "the route across rmmod and reload" "see the route finding above"
fi
ip netns del tt_lca; ip netns del tt_lcb

# ---- 9. nothing leaked -----------------------------------------------------------------
for p in $(jobs -p); do kill "$p" 2>/dev/null; done
sleep 1
topo_down
settle 150
alloc=$(sockstat_tcp)
tcp=$(slab_active TCP); tcp6=$(slab_active TCPv6)
vm=$(vmalloc_modules)
unrecl=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)
tap_note "after: sockstat TCP alloc $alloc, slab TCP $tcp TCPv6 $tcp6, module vmalloc areas $vm," \
	"SUnreclaim $unrecl kB ($((unrecl - base_unrecl)) kB from the baseline)"
if [ "$alloc" -le "$base_alloc" ]; then
	tap_ok "sockstat: TCP sockets allocated back to the baseline ($alloc)"
else
	tap_fail "sockstat: TCP sockets allocated back to the baseline" "$alloc, baseline $base_alloc"
fi
# Slab counts include free objects of partly used slabs only when the
# kernel has not yet shrunk them: active objects must not exceed the baseline
# by more than one slab's worth.
per=$(awk '$1 == "TCP" { print $4 }' /proc/slabinfo)
per6=$(awk '$1 == "TCPv6" { print $4 }' /proc/slabinfo)
if [ "$tcp" -le $((base_tcp + per)) ] && [ "$tcp6" -le $((base_tcp6 + per6)) ]; then
	tap_ok "slab: TCP $tcp and TCPv6 $tcp6 active objects, baseline $base_tcp / $base_tcp6"
else
	tap_fail "slab: TCP/TCPv6 objects back to the baseline" "TCP $tcp (base $base_tcp), TCPv6 $tcp6 (base $base_tcp6)"
fi
refcnt=$(cat /sys/module/tcptune/refcnt 2>/dev/null)
if [ "$vm" = "$base_vm" ] && [ "$refcnt" = 0 ]; then
	tap_ok "module memory: $vm module vmalloc areas as at the start; nothing holds a reference"
else
	tap_fail "module memory and references" "vmalloc areas beyond one per module $vm (base $base_vm), refcnt $refcnt; modules: $(cut -d" " -f1 /proc/modules | tr "\n" " ")"
fi
r=$(unload 50)
if [[ $r = ok* ]] && insmod "$KO" && family_ok; then
	tap_ok "a last unload and load work and the family answers"
else
	tap_fail "a last unload and load" "$r"
fi
[ "$TAP_N" = "$PLAN" ] || { echo "# ran $TAP_N tests, plan $PLAN"; exit 1; }
tap_done
