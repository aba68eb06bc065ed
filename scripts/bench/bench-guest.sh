#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (scripts/bench/bbr-bench.sh boots it): every scenario
# of ../shared/guide/targets.md P1-P7 for every algorithm, REPS times, one
# JSON per flow (selftests/vm/bbr_flow.py) in OUT/raw/.
#
#   bench-guest.sh OUT REPS SECONDS "SCENARIOS" "ALGOS" "LOSSES" "BUFFERS"
#
# File names: <scenario>_<parameter>_<algo>_<rep>[_<flow>].json
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/topo.sh"
PY=/usr/bin/python3
FLOW=$top/selftests/vm/bbr_flow.py
out=$1 reps=$2 secs=$3 scenarios=$4 algos=$5 losses=$6 buffers=$7
raw=$out/raw
mkdir -p "$raw"
port=6000
modprobe -q tcp_bbr

log() { echo "bench: $*" >&2; }

# one NAME CC SECONDS [SENDER OPTIONS]
one() {
	local name=$1 cc=$2 s=$3
	shift 3
	port=$((port + 1))
	ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --timeout 300 &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$cc" --seconds "$s" --sample-ms 50 "$@" >"$raw/$name.json"
	wait
}

# two NAME CC_A CC_B SECONDS_A SECONDS_B DELAY_B: two flows, b may start later
two() {
	local name=$1
	port=$((port + 1))
	ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --count 2 --timeout 300 &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$2" --seconds "$4" --sample-ms 100 >"$raw/${name}_a.json" &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$3" --seconds "$5" --delay "$6" --sample-ms 100 >"$raw/${name}_b.json"
	wait
}

# BDP in bytes: MBIT x MS x 125
bdp() { echo $(($1 * $2 * 125)); }

for rep in $(seq 1 "$reps"); do
	for sc in $scenarios; do
		case $sc in
		P1)	topo_up 40 0 50 "$(bdp 50 40)" || exit 1
			for a in $algos; do log "rep $rep P1 $a"; one "P1_1bdp_${a}_$rep" "$a" "$secs"; done ;;
		P2|P7)	[ "$sc" = P7 ] && continue	# P7 reads P2's 0.1 % and 1 % runs
			for loss in $losses; do
				topo_up 100 "$loss" 50 "$(bdp 50 100)" || exit 1
				for a in $algos; do log "rep $rep P2 loss $loss % $a"; one "P2_${loss}_${a}_$rep" "$a" "$secs"; done
			done ;;
		P3)	topo_up 40 0 20 $((10 * $(bdp 20 40))) || exit 1
			for a in $algos; do log "rep $rep P3 $a"; one "P3_10bdp_${a}_$rep" "$a" "$secs"; done ;;
		P4)	topo_up 40 0 50 $(($(bdp 50 40) / 10)) || exit 1
			for a in $algos; do log "rep $rep P4 $a"; two "P4_0.1bdp_${a}_$rep" "$a" "$a" "$secs" "$secs" 0; done ;;
		P5)	topo_up 40 0 50 "$(bdp 50 40)" || exit 1
			late=$(( (secs + 2) / 3 ))
			for a in $algos; do log "rep $rep P5 $a"; two "P5_late${late}_${a}_$rep" "$a" "$a" "$secs" $((secs - late)) "$late"; done ;;
		P6)	for b in $buffers; do
				topo_up 40 0 50 "$(awk -v b="$b" -v d="$(bdp 50 40)" 'BEGIN { printf "%d", b * d }')" || exit 1
				for a in $algos; do
					[ "$a" = cubic ] && continue
					log "rep $rep P6 buffer $b BDP $a vs cubic"
					two "P6_${b}_${a}_$rep" "$a" cubic "$secs" "$secs" 0
				done
			done ;;
		esac
	done
done
topo_down
