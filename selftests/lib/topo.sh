# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The emulated path used by the VM tests, the demo and the benchmarks:
#
#   tt_snd                      tt_rtr                       tt_rcv
#   198.18.1.1/24  ---veth---  198.18.1.254 | 198.18.2.254  ---veth---  198.18.2.1/24
#   2001:db8:1::1/64           2001:db8:1::fe | 2001:db8:2::fe          2001:db8:2::1/64
#                                          |
#                          rtr egress to rcv: loss (netem), rate + buffer (tbf)
#                          rcv egress (the ACK path): delay (netem)
#
# GRO/GSO/TSO are off on every link so that loss and queueing act per
# segment, not per 64 KB burst.  Only 198.18.0.0/15 and 2001:db8::/32.
#
#   topo_up DELAY_MS LOSS_PCT [RATE_MBIT BUFFER_BYTES]
#   topo_down

TOPO_SND=tt_snd
TOPO_RTR=tt_rtr
TOPO_RCV=tt_rcv
TOPO_SND4=198.18.1.1
TOPO_RCV4=198.18.2.1
TOPO_SND6=2001:db8:1::1
TOPO_RCV6=2001:db8:2::1

topo_down() {
	local ns
	for ns in $TOPO_SND $TOPO_RTR $TOPO_RCV; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

_topo_nooffload() {
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || true
}

topo_up() {
	local delay=$1 loss=$2 rate=${3:-} buffer=${4:-}
	local ns

	topo_down
	modprobe -q sch_netem 2>/dev/null
	modprobe -q sch_tbf 2>/dev/null
	for ns in $TOPO_SND $TOPO_RTR $TOPO_RCV; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
	done
	ip link add s0 netns $TOPO_SND type veth peer name r0 netns $TOPO_RTR || return 1
	ip link add d0 netns $TOPO_RCV type veth peer name r1 netns $TOPO_RTR || return 1

	ip -n $TOPO_SND addr add $TOPO_SND4/24 dev s0
	ip -n $TOPO_SND addr add $TOPO_SND6/64 dev s0 nodad
	ip -n $TOPO_RTR addr add 198.18.1.254/24 dev r0
	ip -n $TOPO_RTR addr add 2001:db8:1::fe/64 dev r0 nodad
	ip -n $TOPO_RTR addr add 198.18.2.254/24 dev r1
	ip -n $TOPO_RTR addr add 2001:db8:2::fe/64 dev r1 nodad
	ip -n $TOPO_RCV addr add $TOPO_RCV4/24 dev d0
	ip -n $TOPO_RCV addr add $TOPO_RCV6/64 dev d0 nodad
	for l in "$TOPO_SND s0" "$TOPO_RTR r0" "$TOPO_RTR r1" "$TOPO_RCV d0"; do
		set -- $l
		ip -n "$1" link set "$2" up
		_topo_nooffload "$1" "$2"
	done
	ip -n $TOPO_SND route add default via 198.18.1.254
	ip -n $TOPO_SND -6 route add default via 2001:db8:1::fe
	ip -n $TOPO_RCV route add default via 198.18.2.254
	ip -n $TOPO_RCV -6 route add default via 2001:db8:2::fe
	ip netns exec $TOPO_RTR sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $TOPO_RTR sysctl -qw net.ipv6.conf.all.forwarding=1

	# Forward path bottleneck: loss, then optional rate + drop-tail buffer.
	if [ -n "$rate" ]; then
		ip netns exec $TOPO_RTR tc qdisc add dev r1 root handle 1: \
			netem loss "${loss}%" limit 100000 || return 1
		ip netns exec $TOPO_RTR tc qdisc add dev r1 parent 1: handle 2: \
			tbf rate "${rate}mbit" burst 3000 limit "$buffer" || return 1
	else
		ip netns exec $TOPO_RTR tc qdisc add dev r1 root \
			netem loss "${loss}%" limit 100000 || return 1
	fi
	# Return path: the whole RTT as delay on the ACKs.
	ip netns exec $TOPO_RCV tc qdisc add dev d0 root \
		netem delay "${delay}ms" limit 100000 || return 1
	# Wait for IPv6 routes/neighbours to settle.
	ip netns exec $TOPO_SND ping -c1 -W2 $TOPO_RCV4 >/dev/null 2>&1
	ip netns exec $TOPO_SND ping -6 -c1 -W2 $TOPO_RCV6 >/dev/null 2>&1
	return 0
}
