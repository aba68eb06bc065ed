#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (issue 11, P8), not a test: the nanoseconds each congestion-
# control algorithm spends per ACK, ours beside the kernel's, on the same
# synthetic ACK stream, in one VM boot.  The measuring is done by a module
# of its own, scripts/bench/ackcost/ (its header says what it measures
# and what it leaves out): it drives each algorithm's per-ACK hooks on a
# real kernel socket, in the stack's order, with the socket locked and BHs
# off.  Prints a table: median (min-max) ns per ACK over ROUNDS rounds, and
# the ratio to the kernel algorithm each of ours is compared with (goal:
# tcptune_reno and tcptune_newreno <= 1.0 x reno, tcptune_bbr <= 1.2 x bbr).
#
#   scripts/bench-ackcost.sh [-k KERNEL] [-n ACKS] [-r ROUNDS] [-o OUTDIR]
#
# Defaults: the stock 6.1 kernel (scripts/vm-kernel.sh), 200,000 ACKs per
# algorithm and round, 7 rounds, OUTDIR build/bench-ackcost (the kernel's
# lines in results.txt, the table in table.md).  Under QEMU's emulation
# (no KVM here) nanoseconds are the emulated machine's: compare ratios.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=
n=200000
rounds=7
out=$top/build/bench-ackcost
while getopts "k:n:r:o:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '3,20p' "$0" >&2; exit 2 ;;
	esac
done
[ -n "$kernel" ] || kernel=$("$top/scripts/vm-kernel.sh" 6.1)
kdir=/lib/modules/$kernel/build
[ -d "$kdir" ] || { echo "bench-ackcost.sh: no headers at $kdir" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# tcptune.ko and the bench module against that kernel (the bench module
# from a copy under build/, so that the source tree stays clean).
make -s -C "$top" module KDIR="$kdir" >/dev/null
bdir=$top/build/ackcost-mod
rm -rf "$bdir" && mkdir -p "$bdir" && cp "$top"/scripts/bench/ackcost/* "$bdir/"
make -s -C "$kdir" M="$bdir" TCPTUNE_TOP="$top" modules >/dev/null
algos="reno,tcptune_reno,tcptune_newreno,bbr,tcptune_bbr"	# the kernel splits parameters at spaces
guest="modprobe -q tcp_bbr && dmesg -C && insmod $bdir/tcptune_ackcost.ko algos='$algos' acks=$n rounds=$rounds &&
	dmesg | grep -o 'tcptune_ackcost: algo .*' >$out/results.txt; rc=\$?; rmmod tcptune_ackcost; exit \$rc"
t0=$(date +%s)
"$top/scripts/vm-run.sh" -k "$kernel" -o "$out" -b 300 -R 3 -- bash -c "$guest"
echo "measured in $(( $(date +%s) - t0 )) s (boot included)" >&2

/usr/bin/python3 - "$out/results.txt" "$kernel" "$n" "$rounds" >"$out/table.md" <<'PYEOF'
import sys
path, kernel, n, rounds = sys.argv[1:5]
rows = {}
for line in open(path):
    f = line.split()
    d = dict(zip(f[1::2], f[2::2]))
    rows[d["algo"]] = (float(d["ns_per_ack_median"]), float(d["min"]), float(d["max"]))
ref = {"tcptune_reno": "reno", "tcptune_newreno": "reno", "tcptune_bbr": "bbr"}
goal = {"tcptune_reno": 1.0, "tcptune_newreno": 1.0, "tcptune_bbr": 1.2}
print("Per-ACK cost, kernel %s, %s ACKs x %s rounds (median, min-max; emulated ns)\n"
      % (kernel, n, rounds))
print("| algorithm | ns/ACK | min-max | vs | ratio | goal |")
print("|---|---|---|---|---|---|")
for a, (med, lo, hi) in rows.items():
    if a in ref and ref[a] in rows:
        r = med / rows[ref[a]][0]
        print("| %s | %.1f | %.1f-%.1f | %s | %.2f | <= %.1f %s |"
              % (a, med, lo, hi, ref[a], r, goal[a], "met" if r <= goal[a] else "NOT met"))
    else:
        print("| %s | %.1f | %.1f-%.1f | | | |" % (a, med, lo, hi))
PYEOF
cat "$out/table.md"
