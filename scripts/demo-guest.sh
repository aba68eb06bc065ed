#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the VM (scripts/demo.sh): the demo itself.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib/topo.sh"
secs=${1:-8}
PY=/usr/bin/python3
DELAY=40 LOSS=0.5 RATE=50 BUF=250000
# ours, then the kernel's own beside them
ALGOS="tcptune_reno tcptune_newreno tcptune_bbr reno bbr"
modprobe -q tcp_bbr 2>/dev/null

echo
echo "tcptune.ko: $(modinfo -F description "$top/module/tcptune.ko")"
echo "net.ipv4.tcp_available_congestion_control = $(sysctl -n net.ipv4.tcp_available_congestion_control)"
echo "net.ipv4.tcp_allowed_congestion_control   = $(sysctl -n net.ipv4.tcp_allowed_congestion_control)"
echo
echo "Path: tt_snd -> tt_rtr -> tt_rcv, ${RATE} Mbit/s bottleneck, ${BUF} B drop-tail,"
echo "      ${LOSS}% random loss, ${DELAY} ms RTT (netem/tbf; GSO/TSO/GRO off)."
echo "Each algorithm sends for ${secs} s; ss -ti is sampled half-way."
topo_up $DELAY $LOSS $RATE $BUF || { echo "topology set-up failed"; exit 1; }

TT=$top/userspace-tools/tcptune
declare -A result
port=5400
for a in $ALGOS; do
	port=$((port + 1))
	ip netns exec $TOPO_RCV $PY "$top/selftests/lib/xfer.py" recv --port $port &
	ip netns exec $TOPO_SND $PY "$top/selftests/lib/xfer.py" send \
		--to $TOPO_RCV4 --port $port --cc $a --seconds "$secs" \
		--ss "$(echo "$secs / 2" | bc -l)" >/tmp/demo-$a.json &
	sleep "$(echo "$secs / 2 + 0.3" | bc -l)"
	echo
	echo "== $a, half-way: tcptune -n $TOPO_SND sockets -a dport $port"
	$TT -n $TOPO_SND sockets -a dport $port
	wait
	result[$a]=$(cat /tmp/demo-$a.json)
	$PY -c 'import json, sys; print("   ss -ti: " + json.loads(sys.argv[1]).get("ss", ""))' "${result[$a]}"
done

echo
printf '%-16s %10s %9s %8s %8s %8s\n' algorithm "Mbit/s" retrans cwnd ssthresh "rtt ms"
for a in $ALGOS; do
	$PY -c '
import json, sys
r = json.loads(sys.argv[1])
ok = "" if r["sha256_match"] and r["cc"] == sys.argv[2] else "  (INTEGRITY/ALGORITHM MISMATCH)"
# ss leaves out an ssthresh that was never set (BBR): so does this table
st = r["snd_ssthresh"] if r["snd_ssthresh"] < 0x7fffffff else "-"
print("%-16s %10.2f %9d %8d %8s %8.1f%s" % (r["cc"], r["goodput_mbps"], r["total_retrans"],
      r["snd_cwnd"], st, r["rtt_ms"], ok))' "${result[$a]}" "$a"
done
echo
echo "== tcptune -n $TOPO_SND algos   (counters of the sender's namespace)"
$TT -n $TOPO_SND algos
topo_down
echo
echo "(goodput is bytes delivered end to end, SHA-256 checked; link x (1 - loss) = $(echo "$RATE * (1 - $LOSS / 100)" | bc -l | cut -c1-5) Mbit/s)"
