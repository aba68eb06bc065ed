#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcptune_bbr's ECN signal: the per-round CE count comes from the stack's
# tp->delivered_ce, whose meaning is the ECN feedback the connection
# negotiated (module/tcptune_bbr.c, header comment).  A path that marks a
# known share of packets and drops none:
#
#   tt_snd --- tt_rtr --(netem: 2 % of ECT packets CE-marked, tbf 20 Mbit/s,
#                        deep buffer)--> tt_rcv, 40 ms RTT on the ACKs
#
# One 12 s tcptune_bbr flow per case, its model read from the socket dump at
# 8 s; the receiver's IpExtInCEPkts is the truth (marks that arrived), the
# sender's TcpExtTCPDeliveredCE what the sender's delivered_ce counted.
#
#   1 RFC 3168 (tcp_ecn=1, every kernel), ecn_thresh 30 %: ECE repeats until
#     CWR, so the sender counts several times the marks (>= 3x) and a 2 %
#     marking rate bounds inflight_hi (what 6.1 gets: any marking is
#     congestion).
#   2 AccECN (tcp_ecn=3, 7.x), ecn_thresh 30 %: the sender's count is the
#     receiver's (within 10 % + 3), and 2 % of marks leave inflight_hi
#     unbounded.
#   3 AccECN, ecn_thresh 1 %: the same 2 % bound inflight_hi (positive
#     control for 2: the marks do reach the algorithm).
#   4 AccECN, no random marks: the flow's first data packet (650 bytes,
#     written alone; --lead) is CE-marked by a tc pedit filter on its
#     length.  Its ACK, the first, ends round 1 (every packet in flight
#     was sent when the round began): one packet, all marked, not judged;
#     inflight_hi stays unbounded.
#   5 AccECN, the same flow with the two 900-byte packets written 0.3 s
#     later marked instead: the first of them ends round 2, all marked,
#     which bounds inflight_hi (positive control for 4).
# Cases 2 to 5 are skipped where the kernel has no AccECN (before 7.x:
# net.ipv4.tcp_ecn=3 is refused); on 7.x a refusal fails them.  A case in
# which a retransmission timer fired (nothing is dropped: the VM stalled)
# runs once more, and that run is judged.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../lib/topo.sh"
PY=/usr/bin/python3
FLOW=$here/bbr_flow.py
TT=$here/../../userspace-tools/tcptune
out=${ECN_OUT:-$(mktemp -d)}
mkdir -p "$out"
port=5400

tap_plan 5

ecn_topo() {	# TCP_ECN [U32-MATCH]: random marks, or those the match finds
	topo_up 40 0 20 1000000 || return 1
	if [ -z "$2" ]; then
		ip netns exec $TOPO_RTR tc qdisc change dev r1 handle 1: \
			netem loss 2% ecn limit 100000 || return 1
	else	# CE on the packets from the sender that $2 matches
		ip netns exec $TOPO_RTR tc qdisc add dev r0 ingress || return 1
		ip netns exec $TOPO_RTR tc filter add dev r0 parent ffff: \
			protocol ip prio 1 u32 match ip protocol 6 0xff $2 \
			action pedit ex munge ip dsfield set 3 retain 3 pipe \
			action csum ip || return 1
	fi
	ip netns exec $TOPO_SND sysctl -qw net.ipv4.tcp_ecn="$1" || return 2
	ip netns exec $TOPO_RCV sysctl -qw net.ipv4.tcp_ecn="$1" || return 2
}

nstat_of() {	# NETNS COUNTER
	ip netns exec "$1" nstat -az "$2" | awk -v c="$2" '$1 == c { print $2 }'
}

# ecn_case NAME TCP_ECN THRESH [U32-MATCH]: one flow (with a match: its
# lead packets, and CE on those matched); $out/NAME.{json,dump.json,counts}
ecn_case() {
	local name=$1 ecn=$2 thresh=$3 match=$4 lead= rc
	[ -n "$match" ] && lead="--lead 650,0,900,900,0"
	for _ in 1 2; do
		ecn_topo "$ecn" "$match"; rc=$?
		[ $rc = 0 ] || return $rc
		"$TT" -n $TOPO_SND set bbr.ecn=1 "bbr.ecn_thresh=$thresh" >/dev/null || return 1
		port=$((port + 1))
		ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --timeout 120 &
		(sleep 8; "$TT" -n $TOPO_SND -j sockets algo tcptune_bbr \
			>"$out/$name.dump.json") &
		ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
			--cc tcptune_bbr --seconds 12 $lead >"$out/$name.json"
		wait
		echo "$(nstat_of $TOPO_RCV IpExtInCEPkts) $(nstat_of $TOPO_SND TcpExtTCPDeliveredCE)" \
			"$(( $(nstat_of $TOPO_SND TcpExtTCPTimeouts) + $(nstat_of $TOPO_SND TcpExtTCPLossProbes) ))" \
			>"$out/$name.counts"
		[ "$(cut -d' ' -f3 "$out/$name.counts")" = 0 ] && break
		tap_note "$name: a retransmission timer fired on a path that drops nothing (the VM stalled); once more"
	done
	return 0
}

# judge NAME MODE: MODE over = sender counts >= 3x the marks, bounded;
# exact-free = counts agree, inflight_hi unbounded; exact-bound = counts
# agree, bounded; lead-free, lead-bound: the same for the lead packets'
# marks (no random marking): 1 (the 650-byte packet) and 2 (the 900s)
# counted by the sender after the lead.
judge() {
	$PY - "$out/$1.json" "$out/$1.dump.json" "$out/$1.counts" "$2" <<'PYEOF'
import json, sys
flow, dump, counts, mode = sys.argv[1:5]
try:
    r = json.load(open(flow))
    socks = [s for s in json.load(open(dump))
             if s.get("algo") == "tcptune_bbr" and s.get("bbr")]
    rcv_ce, snd_ce, timers = (int(x) for x in open(counts).read().split())
except (OSError, ValueError) as e:
    print("no result: %s" % e); sys.exit(1)
if r.get("cc") != "tcptune_bbr":
    print("the flow used %s" % r.get("cc")); sys.exit(1)
if not socks:
    print("no tcptune_bbr socket in the dump at 8 s"); sys.exit(1)
hi = socks[0]["bbr"].get("inflight_hi")
print("marks received %d, counted by the sender %d, inflight_hi %s, "
      "retransmitted %d, goodput %.2f Mbit/s, timers %d"
      % (rcv_ce, snd_ce, hi, r.get("total_retrans", -1),
         r.get("goodput_mbps", 0), timers))
errs = []
lead = mode.startswith("lead-")
if rcv_ce < (1 if lead else 20):
    errs.append("fewer than %d marks reached the receiver: the path did not mark"
                % (1 if lead else 20))
if mode == "over":
    if snd_ce < 3 * rcv_ce:
        errs.append("RFC 3168: the sender counted under 3x the marks")
    if hi is None:
        errs.append("RFC 3168: the over-counted marks did not bound inflight_hi")
else:
    # the lead's own marks, counted by the sender once the lead's ACKs
    # were in (bbr_flow.py lead_ce): exactly the packets the filter marks
    # (a mark on the flow's last, partial segment may come on top in
    # rcv_ce, and its ACK may still be on the way when nstat reads)
    want = {"lead-free": 1, "lead-bound": 2}.get(mode)
    if want is not None and r.get("lead_ce") != want:
        errs.append("AccECN: the sender counted %s marks on the lead packets, not %d"
                    % (r.get("lead_ce"), want))
    if abs(snd_ce - rcv_ce) > rcv_ce // 10 + 3:
        errs.append("AccECN: the sender's CE count is not the receiver's")
    if mode == "exact-free" and hi is not None:
        errs.append("AccECN: 2 %% of marks under a 30 %% threshold bounded inflight_hi (%s)" % hi)
    if mode == "exact-bound" and hi is None:
        errs.append("AccECN: 2 %% of marks over a 1 %% threshold left inflight_hi unbounded")
    if mode == "lead-free" and hi is not None:
        errs.append("AccECN: marks in the first ACK's round bounded inflight_hi (%s)" % hi)
    if mode == "lead-bound" and hi is None:
        errs.append("AccECN: a second round mostly marked left inflight_hi unbounded")
print("; ".join(errs))
sys.exit(1 if errs else 0)
PYEOF
}

# Whether the kernel takes net.ipv4.tcp_ecn=3 (AccECN, 7.x), asked once in a
# namespace of its own: where it does not, the AccECN cases are judged
# without building the path four times for nothing.
accecn=0
ip netns del tt_ecnprobe 2>/dev/null
if ip netns add tt_ecnprobe; then
	ip netns exec tt_ecnprobe sysctl -qw net.ipv4.tcp_ecn=3 2>/dev/null && accecn=1
	ip netns del tt_ecnprobe
fi

run_judged() {	# NAME TCP_ECN THRESH MODE TITLE [U32-MATCH]
	local why rc
	if [ "$2" = 3 ] && [ $accecn = 0 ]; then
		rc=2
	else
		ecn_case "$1" "$2" "$3" "$6"; rc=$?
	fi
	if [ $rc = 2 ]; then
		if [ "$(uname -r | cut -d. -f1)" -ge 7 ]; then
			tap_fail "$5" "net.ipv4.tcp_ecn=$2 refused on $(uname -r)"
		else
			tap_skip "$5" "no AccECN before 7.x (net.ipv4.tcp_ecn=$2 refused on $(uname -r))"
		fi
		return
	fi
	if [ $rc != 0 ]; then
		tap_fail "$5" "topology or knobs could not be set up"
		return
	fi
	why=$(judge "$1" "$4")
	if [ $? = 0 ]; then
		tap_note "$1: $why"
		tap_ok "$5"
	else
		tap_fail "$5" "$why"
	fi
}

run_judged rfc3168 1 30 over \
	"RFC 3168: 2 % of marks over-counted (ECE until CWR) and bound inflight_hi at ecn_thresh 30 %"
run_judged accecn 3 30 exact-free \
	"AccECN: CE counted exactly; 2 % of marks under ecn_thresh 30 % leave inflight_hi unbounded"
run_judged accecn-low 3 1 exact-bound \
	"AccECN: the same 2 % of marks over ecn_thresh 1 % bound inflight_hi"
# IP total length 640-767: the 650-byte lead write; 896-1023: the 900s
run_judged lead-first 3 30 lead-free \
	"AccECN: CE on the first ACK's packet (round 1) is not judged; inflight_hi unbounded" \
	"match u16 0x0280 0xff80 at 2"
run_judged lead-second 3 30 lead-bound \
	"AccECN: CE on round 2's first packet (round 2: one packet, all marked) bounds inflight_hi (control)" \
	"match u16 0x0380 0xff80 at 2"
topo_down
tap_done
