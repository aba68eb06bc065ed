#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark of ../shared/guide/targets.md, P1-P7: one command, one VM
# boot, every algorithm in the same run, then a table of ratios and plots.
#
#   scripts/bench/bbr-bench.sh [-r REPS] [-d SECONDS] [-s "P1 P2 ..."]
#                              [-a "ALGO ..."] [-l "LOSS% ..."] [-b "BDPS ..."]
#                              [-z "BYTES ..."] [-o OUTDIR] [-q] [-n]
#
#   -r REPS     repetitions of every run (default 3)
#   -d SECONDS  length of a flow (default 30, the targets' length)
#   -s          scenarios (default "P1 P2 P3 P4 P5 P6 P7 P10"; P7 uses P2's
#               runs; P6 and P10 as in bench-guest.sh)
#   -a          algorithms (default: tcptune_bbr tcptune_reno tcptune_newreno
#               bbr cubic reno)
#   -l          P2 loss rates in percent (default "0.01 0.1 1 5 10 15")
#   -b          P6 buffer sizes in BDP (default "0.5 2 8")
#   -z          P10 transfer sizes in bytes (default "100000 1000000
#               10000000"; the 10 MB transfers are half of P10's time)
#   -o OUTDIR   results: raw/*.json, table.md, loss.png, cwnd.png, rtt.png
#               (default build/bench)
#   -q          quick: -r 1 -d 8 -l "0.1 1 5" -b 2 unless given
#   -n          start afresh; by default a run with the same parameters and
#               the same module source as the one in OUTDIR (OUTDIR/params)
#               resumes it: the results already in OUTDIR/raw are kept and
#               not run again (OUTDIR/source: the commit measured)
#
# It prints how long the whole set takes before it starts (the sum of the
# flows' lengths and their set-up, as measured here under TCG).
# Only the analysis (scripts/bench/bench.py OUTDIR) runs on the host; it
# can be rerun on old results.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
reps='' secs='' scen="P1 P2 P3 P4 P5 P6 P7 P10"
algos="tcptune_bbr tcptune_reno tcptune_newreno bbr cubic reno"
losses='' buffers='' sizes='' out=$top/build/bench quick=0 fresh=0
while getopts "r:d:s:a:l:b:z:o:qn" opt; do
	case $opt in
	r) reps=$OPTARG ;;
	d) secs=$OPTARG ;;
	s) scen=$OPTARG ;;
	a) algos=$OPTARG ;;
	l) losses=$OPTARG ;;
	b) buffers=$OPTARG ;;
	z) sizes=$OPTARG ;;
	o) out=$OPTARG ;;
	q) quick=1 ;;
	n) fresh=1 ;;
	*) sed -n '4,30p' "$0" >&2; exit 2 ;;
	esac
done
if [ $quick = 1 ]; then
	: "${reps:=1}" "${secs:=8}" "${losses:=0.1 1 5}" "${buffers:=2}"
fi
: "${reps:=3}" "${secs:=30}" "${losses:=0.01 0.1 1 5 10 15}" "${buffers:=0.5 2 8}"
: "${sizes:=100000 1000000 10000000}"

mkdir -p "$out"
out=$(cd "$out" && pwd)
# What is measured: the module's source and the guest script, by content, so
# that a resumed run never mixes two builds; and the commit, for the table.
# Sources only: Kbuild's tcptune.mod.c is not one (a fresh checkout has none
# until built, and a hash that counted it discarded a resumable run).
src=$(cd "$top" && ls module/Kbuild module/*.[ch] include/uapi/linux/tcptune.h \
	scripts/bench/bench-guest.sh | grep -v '\.mod\.c$' | xargs cat |
	sha1sum | cut -c1-12)
params="$reps|$secs|$scen|$algos|$losses|$buffers|$sizes|$src"
if [ $fresh = 1 ] || [ "$(cat "$out/params" 2>/dev/null)" != "$params" ]; then
	rm -rf "$out/raw"
	echo "$params" >"$out/params"
else
	echo "bench: resuming: $(find "$out/raw" -name '*.json' 2>/dev/null | wc -l) results in $out/raw are kept" >&2
fi
echo "bench: $reps x ${secs}s, scenarios: $scen; algorithms: $algos" >&2
commit=$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- module include scripts/bench 2>/dev/null ||
	commit="$commit (with uncommitted changes)"
echo "commit $commit, module source $src" >"$out/source"

# The whole set's length: per flow its seconds plus ~6 s of set-up; P10
# ~110 s per algorithm alone and ~160 s beside the bulk flow (20 transfers
# of each size, measured under TCG), of which the 10 MB transfers are
# ~60 % and the 100 KB and 1 MB ones ~20 % each.
est=$(awk -v r="$reps" -v d="$secs" -v sc=" $scen " -v al="$algos" \
	-v nl="$(echo "$losses" | wc -w)" -v nb="$(echo "$buffers" | wc -w)" \
	-v sz=" $sizes " 'BEGIN {
	na = split(al, A, " "); nbbr = 0; nfct = 0
	for (i = 1; i <= na; i++) {
		if (A[i] == "tcptune_bbr" || A[i] == "bbr") nbbr++
		if (A[i] ~ /^(tcptune_bbr|bbr|cubic|reno)$/) nfct++
	}
	f = d + 6; t = 60
	if (sc ~ / P1 /) t += r * na * f
	if (sc ~ / P2 /) t += r * nl * na * f
	if (sc ~ / P3 /) t += r * na * f
	if (sc ~ / P4 /) t += r * na * f
	if (sc ~ / P5 /) t += r * na * f
	if (sc ~ / P6 /) t += r * nb * 4 * nbbr * f
	p10 = 0
	if (sz ~ / 100000 /) p10 += 0.2
	if (sz ~ / 1000000 /) p10 += 0.2
	if (sz ~ / 10000000 /) p10 += 0.6
	if (sc ~ / P10 /) t += r * nfct * 270 * p10
	printf "%d", t / 60 + 1 }')
echo "bench: the whole set takes about $est min here (boot included)" >&2
make -s -C "$top" module >/dev/null
# A boot that hangs (no guest after 300 s) is stopped and booted again, up
# to three boots (vm-run.sh -R); the guest skips what is done.
"$top/scripts/vm-run.sh" -o "$out" -b 300 -R 3 -- "$top/scripts/bench/bench-guest.sh" \
	"$out" "$reps" "$secs" "$scen" "$algos" "$losses" "$buffers" "$sizes"
/usr/bin/python3 "$top/scripts/bench/bench.py" "$out"
