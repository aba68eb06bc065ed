#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest part of scripts/bench-connect.sh (runs in the VM, tcptune.ko
# loaded): connect/accept/close rates on loopback with each default
# algorithm, in a fresh network namespace per run (so that no TIME-WAIT
# socket of one run slows the next).
#
#   bench-connect-guest.sh OUTDIR ROUNDS SECONDS CLIENTS
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1 rounds=$2 secs=$3 clients=$4
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
bin=$(mktemp -d /tmp/bc.XXXXXX)
gcc -O2 -pthread -o "$bin/load_churn" "$top/selftests/vm/load_churn.c"
modprobe -q tcp_bbr
# Our algorithms and bbr are restricted: a namespace other than the initial
# one may make them its default only once they are allowed (trying before
# fails with EPERM and, in Linux 6.1, leaks a module reference).
sysctl -qw net.ipv4.tcp_allowed_congestion_control="reno cubic bbr tcptune_reno tcptune_bbr"
pairs=("tcptune_reno reno" "tcptune_bbr bbr")
res=$out/results.txt
: >"$res"

run() {		# ROUND ALGO
	local ns=bc_$1_$2 line
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$2"
	[ "$(ip netns exec "$ns" sysctl -n net.ipv4.tcp_congestion_control)" = "$2" ] ||
		{ echo "could not make $2 the default" >&2; exit 1; }
	line=$(ip netns exec "$ns" "$bin/load_churn" -a 127.0.0.1 -t "$clients" -s 1 -d "$secs")
	ip netns del "$ns"
	# conns N secs S rate R errors E
	set -- "$1" "$2" $line
	echo "$1 $2 $8 ${10}" >>"$res"
	echo "round $1 $2: $8 connections/s (${10} errors)" >&2
}

for r in $(seq 1 "$rounds"); do
	for p in "${pairs[@]}"; do
		set -- $p
		if [ $((r % 2)) = 1 ]; then
			run "$r" "$1"; run "$r" "$2"
		else
			run "$r" "$2"; run "$r" "$1"
		fi
		sleep 1
	done
done

/usr/bin/python3 - "$res" "$rounds" "$secs" "$clients" "$(uname -r)" <<'PY' | tee "$out/table.md"
import statistics, sys
res, rounds, secs, clients, kver = sys.argv[1:]
rates = {}
for line in open(res):
    r, algo, rate, _err = line.split()
    rates.setdefault(algo, {})[int(r)] = float(rate)
print()
print("connect/accept/close on loopback: %s client threads + 1 accept thread, "
      "%s rounds x %s s, Debian %s in QEMU, 2 vCPUs" % (clients, rounds, secs, kver))
print()
print("| default algorithm | median conn/s | min - max | vs | ratio (median of per-round) | ratio of medians |")
print("|---|---|---|---|---|---|")
for ours, theirs in (("tcptune_reno", "reno"), ("tcptune_bbr", "bbr")):
    for algo in (ours, theirs):
        v = list(rates[algo].values())
        cells = ["`%s`" % algo, "%.0f" % statistics.median(v), "%.0f - %.0f" % (min(v), max(v))]
        if algo == ours:
            per = [rates[ours][r] / rates[theirs][r] for r in rates[ours] if r in rates[theirs]]
            cells += ["`%s`" % theirs, "%.3f (%.3f - %.3f)" % (statistics.median(per), min(per), max(per)),
                      "%.3f" % (statistics.median(v) / statistics.median(rates[theirs].values()))]
        else:
            cells += ["", "", ""]
        print("| " + " | ".join(cells) + " |")
print()
print("goal: ratio >= 0.95")
PY
