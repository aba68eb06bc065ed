#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (issue 8, item 6), not a test: the connect/accept/close rate on
# loopback with our algorithms as the default against the kernel's, in one
# VM boot (2 vCPUs): tcptune_reno vs reno and tcptune_bbr vs bbr, CLIENTS
# client threads and one accepting thread (selftests/vm/load_churn.c),
# ROUNDS rounds of SECONDS each, the order alternating from round to round.
# Prints a table: median, min-max, and the ratio tcptune / kernel (the
# median of the per-round ratios and the ratio of the medians; goal >= 0.95).
#
#   scripts/bench-connect.sh [-r ROUNDS] [-d SECONDS] [-t CLIENTS] [-o OUTDIR]
#
# Defaults: 5 rounds of 10 s, 4 clients, OUTDIR build/bench-connect (the
# raw numbers, results.txt, and the table, table.md).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=5
secs=10
clients=4
out=$top/build/bench-connect
while getopts "r:d:t:o:" opt; do
	case $opt in
	r) rounds=$OPTARG ;;
	d) secs=$OPTARG ;;
	t) clients=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '3,15p' "$0" >&2; exit 2 ;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
make -s -C "$top" module >/dev/null
"$top/scripts/vm-run.sh" -o "$out" -b 300 -R 3 -- \
	"$top/scripts/bench-connect-guest.sh" "$out" "$rounds" "$secs" "$clients"
