#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark P9 (../shared/guide/targets.md): dump time of `tcptune sockets`
# and `tcptune -j sockets` against `ss -tin` with N connections (default
# 10,000, i.e. 2N sockets, all on our algorithms), in the VM, and the same
# dump with a one-port filter (one more connection, to port 6000) against
# `ss -tin dport = :6000`.  Prints a table of the best of R runs.  Not a
# test: run it by hand.
#
#   scripts/bench-dump.sh [N] [R]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10000}
r=${2:-3}
if [ "${TCPTUNE_IN_VM:-}" != 1 ]; then
	make -s -C "$top" module cli >/dev/null
	# (-o: where the guest leaves its start mark; a boot that hangs is
	# stopped and booted again, three boots in all)
	exec env TCPTUNE_IN_VM=1 "$top/scripts/vm-run.sh" -o "$top/build/bench-dump" -b 300 -R 3 -- \
		env TCPTUNE_IN_VM=1 "$top/scripts/bench-dump.sh" "$n" "$r"
fi

TT=$top/userspace-tools/tcptune
ip netns add tt_p9
ip -n tt_p9 link set lo up
# A namespace other than the initial one may only default to an allowed one.
sysctl -qw net.ipv4.tcp_allowed_congestion_control="$(sysctl -n net.ipv4.tcp_allowed_congestion_control) tcptune_newreno"
ip netns exec tt_p9 sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno
ip netns exec tt_p9 /usr/bin/python3 - "$n" <<'PY' &
import resource, socket, sys, time
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (4 * n + 100, 4 * n + 100))
l = socket.socket(); l.bind(("127.0.0.1", 5999)); l.listen(4096)
keep = []
for i in range(n):
    c = socket.socket(); c.connect(("127.0.0.1", 5999)); s, _ = l.accept()
    keep += [c, s]
l2 = socket.socket(); l2.bind(("127.0.0.1", 6000)); l2.listen(1)
c = socket.socket(); c.connect(("127.0.0.1", 6000)); s, _ = l2.accept()
keep += [l2, c, s]
open("/run/tt_p9_ready", "w").close()
time.sleep(3600)
PY
holder=$!
while [ ! -e /run/tt_p9_ready ]; do sleep 1; done

best() {	# best wall time of $r runs of "$@", in ms; output to /tmp/out
	local t0 t b=
	for _ in $(seq 1 "$r"); do
		t0=$(date +%s%N)
		"$@" >/tmp/out 2>/dev/null
		t=$((($(date +%s%N) - t0) / 1000000))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}
t_ss=$(best ip netns exec tt_p9 ss -tin)
c_ss=$(grep -c 'tcptune_newreno' /tmp/out)
t_tt=$(best ip netns exec tt_p9 "$TT" sockets)
c_tt=$(grep -c 'tcptune_newreno' /tmp/out)
t_tj=$(best ip netns exec tt_p9 "$TT" -j sockets)
c_tj=$(/usr/bin/python3 -c 'import json; print(len(json.load(open("/tmp/out"))))')
f_ss=$(best ip netns exec tt_p9 ss -tin dport = :6000)
d_ss=$(grep -c 'tcptune_newreno' /tmp/out)
f_tt=$(best ip netns exec tt_p9 "$TT" sockets dport = :6000)
d_tt=$(grep -c 'tcptune_newreno' /tmp/out)
f_tj=$(best ip netns exec tt_p9 "$TT" -j sockets dport = :6000)
d_tj=$(/usr/bin/python3 -c 'import json; print(len(json.load(open("/tmp/out"))))')
f_ta=$(best ip netns exec tt_p9 "$TT" sockets -a dport = :6000)
d_ta=$(grep -c 'tcptune_newreno' /tmp/out)
kill $holder
ip netns del tt_p9

printf '\nP9: %d connections (%d sockets on tcptune_newreno), best of %d, Debian %s in QEMU\n\n' \
	"$n" $((2 * n)) "$r" "$(uname -r)"
row() {	# NAME MS COUNT
	awk -v n="$1" -v t="$2" -v c="$3" -v ss="$t_ss" \
		'BEGIN { printf "%-28s %10.3f %10d %12.2f\n", n, t / 1000, c, t / ss }'
}
printf '%-28s %10s %10s %12s\n' command seconds sockets "ratio to ss"
row "ss -tin" "$t_ss" "$c_ss"
row "tcptune sockets" "$t_tt" "$c_tt"
row "tcptune -j sockets" "$t_tj" "$c_tj"
printf '\nthe same with the one-port filter dport = :6000 (1 socket)\n'
t_ss=$f_ss
row "ss -tin dport = :6000" "$f_ss" "$d_ss"
row "tcptune sockets dport..." "$f_tt" "$d_tt"
row "tcptune -j sockets dport..." "$f_tj" "$d_tj"
row "tcptune sockets -a dport..." "$f_ta" "$d_ta"
