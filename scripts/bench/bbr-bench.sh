#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark of ../shared/guide/targets.md, P1-P7: one command, one VM
# boot, every algorithm in the same run, then a table of ratios and plots.
#
#   scripts/bench/bbr-bench.sh [-r REPS] [-d SECONDS] [-s "P1 P2 ..."]
#                              [-a "ALGO ..."] [-l "LOSS% ..."] [-b "BDPS ..."]
#                              [-o OUTDIR] [-q]
#
#   -r REPS     repetitions of every run (default 3)
#   -d SECONDS  length of a flow (default 30, the targets' length)
#   -s          scenarios (default "P1 P2 P3 P4 P5 P6 P7"; P7 uses P2's runs)
#   -a          algorithms (default: tcptune_bbr tcptune_reno tcptune_newreno
#               bbr cubic reno)
#   -l          P2 loss rates in percent (default "0.01 0.1 1 5 10 15")
#   -b          P6 buffer sizes in BDP (default "0.5 2 8")
#   -o OUTDIR   results: raw/*.json, table.md, loss.png, cwnd.png, rtt.png
#               (default build/bench)
#   -q          quick: -r 1 -d 8 -l "0.1 1 5" -b 2 unless given (~10 min)
#
# Only the analysis (scripts/bench/bench.py OUTDIR) runs on the host; it
# can be rerun on old results.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
reps= secs= scen="P1 P2 P3 P4 P5 P6 P7"
algos="tcptune_bbr tcptune_reno tcptune_newreno bbr cubic reno"
losses= buffers= out=$top/build/bench quick=0
while getopts "r:d:s:a:l:b:o:q" opt; do
	case $opt in
	r) reps=$OPTARG ;;
	d) secs=$OPTARG ;;
	s) scen=$OPTARG ;;
	a) algos=$OPTARG ;;
	l) losses=$OPTARG ;;
	b) buffers=$OPTARG ;;
	o) out=$OPTARG ;;
	q) quick=1 ;;
	*) sed -n '4,21p' "$0" >&2; exit 2 ;;
	esac
done
if [ $quick = 1 ]; then
	: "${reps:=1}" "${secs:=8}" "${losses:=0.1 1 5}" "${buffers:=2}"
fi
: "${reps:=3}" "${secs:=30}" "${losses:=0.01 0.1 1 5 10 15}" "${buffers:=0.5 2 8}"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/raw"
echo "bench: $reps x ${secs}s, scenarios: $scen; algorithms: $algos" >&2
make -s -C "$top" module >/dev/null
"$top/scripts/vm-run.sh" -o "$out" -- "$top/scripts/bench/bench-guest.sh" \
	"$out" "$reps" "$secs" "$scen" "$algos" "$losses" "$buffers"
/usr/bin/python3 "$top/scripts/bench/bench.py" "$out"
