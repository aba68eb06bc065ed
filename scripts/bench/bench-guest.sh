#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (scripts/bench/bbr-bench.sh boots it): every scenario
# of ../shared/guide/targets.md P1-P7 and issue 11's P6 (widened) and P10
# for every algorithm, REPS times, one JSON per flow
# (selftests/vm/bbr_flow.py; P10: scripts/bench/fct.py) in OUT/raw/.
#
#   bench-guest.sh OUT REPS SECONDS "SCENARIOS" "ALGOS" "LOSSES" "BUFFERS" ["SIZES"]
#
# File names: <scenario>_<parameter>_<algo>_<rep>[_<flow>].json.  A result
# already in OUT/raw (a complete JSON without "error") is not run again:
# an interrupted benchmark resumes where it stopped.
#
# P6: the algorithm against 1, 2 and 4 cubic flows and 1 reno flow, per
# buffer (parameter BUFFER-COMPETITORn), only for the BBR-style algorithms
# of ALGOS (tcptune_bbr, bbr).  P10: 20 transfers of each of SIZES (bytes;
# default 100 KB, 1 MB and 10 MB), a new connection each, alone and beside
# one cubic bulk flow (parameter alone-SIZE or cubic-SIZE), at 50 Mbit/s,
# 40 ms, 1 BDP, for tcptune_bbr, bbr, cubic and reno of ALGOS.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/topo.sh"
PY=/usr/bin/python3
FLOW=$top/selftests/vm/bbr_flow.py
FCT=$top/scripts/bench/fct.py
out=$1 reps=$2 secs=$3 scenarios=$4 algos=$5 losses=$6 buffers=$7
sizes=${8:-100000 1000000 10000000}
raw=$out/raw
mkdir -p "$raw"
port=6000
modprobe -q tcp_bbr

log() { echo "bench: $*" >&2; }

# done NAME: its result is there from an earlier, interrupted run
done_already() {
	$PY - "$raw/$1.json" <<'PYEOF' 2>/dev/null
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if "error" not in r else 1)
PYEOF
}

# one NAME CC SECONDS [SENDER OPTIONS]
one() {
	local name=$1 cc=$2 s=$3
	shift 3
	port=$((port + 1))
	done_already "$name" && { log "$name: done before"; return 0; }
	ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --timeout 300 &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$cc" --seconds "$s" --sample-ms 50 "$@" >"$raw/$name.json"
	wait
}

# two NAME CC_A CC_B SECONDS_A SECONDS_B DELAY_B: two flows, b may start later
two() {
	local name=$1
	port=$((port + 1))
	done_already "${name}_b" && { log "$name: done before"; return 0; }
	ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --count 2 --timeout 300 &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$2" --seconds "$4" --sample-ms 100 >"$raw/${name}_a.json" &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$3" --seconds "$5" --delay "$6" --sample-ms 100 >"$raw/${name}_b.json"
	wait
}

# many NAME CC_A N CC_B SECONDS: flow a beside N flows of CC_B, all from 0 s
many() {
	local name=$1 a=$2 n=$3 b=$4 s=$5 i
	port=$((port + 1))
	done_already "${name}_b$n" && { log "$name: done before"; return 0; }
	ip netns exec $TOPO_RCV $PY "$FLOW" recv --port $port --count $((n + 1)) --timeout 300 &
	ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
		--cc "$a" --seconds "$s" --sample-ms 100 >"$raw/${name}_a.json" &
	for i in $(seq 1 "$n"); do
		ip netns exec $TOPO_SND $PY "$FLOW" send --to $TOPO_RCV4 --port $port \
			--cc "$b" --seconds "$s" --sample-ms 100 >"$raw/${name}_b$i.json" &
	done
	wait
}

# fct NAME CC SIZE [BULK_CC]: 20 transfers of SIZE, beside a bulk flow of
# BULK_CC (started 3 s before: its window is open) if given
fct() {
	local name=$1 cc=$2 size=$3 bulk=${4:-} rpid bpid
	port=$((port + 1))
	done_already "$name" && { log "$name: done before"; return 0; }
	ip netns exec $TOPO_RCV $PY "$FCT" recv --port $port &
	rpid=$!
	sleep 0.5
	if [ -n "$bulk" ]; then
		ip netns exec $TOPO_SND $PY "$FCT" bulk --to $TOPO_RCV4 --port $port --cc "$bulk" &
		bpid=$!
		sleep 3
	fi
	ip netns exec $TOPO_SND $PY "$FCT" send --to $TOPO_RCV4 --port $port \
		--cc "$cc" --size "$size" --count 20 >"$raw/$name.json"
	[ -n "$bulk" ] && { kill "$bpid"; wait "$bpid"; } 2>/dev/null
	kill "$rpid"; wait "$rpid" 2>/dev/null
	return 0
}

# in LIST WORD: WORD is one of LIST
in_list() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

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
					in_list "tcptune_bbr bbr" "$a" || continue
					for c in cubic1 cubic2 cubic4 reno1; do
						log "rep $rep P6 buffer $b BDP $a vs ${c%[0-9]} x ${c##*[a-z]}"
						many "P6_${b}-${c}_${a}_$rep" "$a" "${c##*[a-z]}" "${c%[0-9]}" "$secs"
					done
				done
			done ;;
		P10)	topo_up 40 0 50 "$(bdp 50 40)" || exit 1
			for bg in alone cubic; do
				for a in $algos; do
					in_list "tcptune_bbr bbr cubic reno" "$a" || continue
					for size in $sizes; do
						log "rep $rep P10 $a $size bytes, $bg"
						fct "P10_${bg}-${size}_${a}_$rep" "$a" "$size" \
							"$([ $bg = cubic ] && echo cubic)"
					done
				done
			done ;;
		esac
	done
done
topo_down
