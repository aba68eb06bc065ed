#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of `tcptune sockets` with ss's filter language (no tcptune
# module: -a, the sock_diag path, whose filter the kernel runs as inet_diag
# bytecode).  In a fresh netns on loopback (198.18.0.0/15 and 2001:db8::/32
# only): listening, established and TIME-WAIT sockets; for every filter of
# the list, the sockets `tcptune -j sockets -a FILTER` lists are the ones
# `ss -tan FILTER` lists (ss -tn when the filter names no state: without
# state, tcptune's -a lists ss's default states, as ss without -a).  Then
# 2,000 sockets on one port and one on another: the one-port dump is a
# small fraction of the bytes of the whole (the kernel filters).  Errors
# and bounds: exit 1 or 2 with the message, no crash.  ss's dev, fwmark,
# cgroup and autobound terms and service names (:x11-1) against ss too
# (sockets with SO_MARK, SO_BINDTODEVICE, one in a cgroup of its own);
# fwmark refused to an unprivileged user (exit 3), as the kernel's audit
# does; summary's and metrics' counts and percentiles against ss and the
# socket list.  TAP; exit 1 on any failure.
#
#   host_ss_test.sh            (from anywhere; needs root, ip netns, ss)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/lib/tap.sh"
PY=/usr/bin/python3
TT=${TCPTUNE:-$top/userspace-tools/tcptune}
NS=tt_ss_$$
W=$(mktemp -d)
hpid=
h2pid= cgpid=
# a cgroup of the test's own on the cgroup2 hierarchy (cgroup = PATH), if any
CGMNT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CG=tt_ss_$$
{ [ -n "$CGMNT" ] && mkdir "$CGMNT/$CG" 2>/dev/null; } || CG=
cleanup() {
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	[ -n "$h2pid" ] && kill "$h2pid" 2>/dev/null
	[ -n "$cgpid" ] && kill "$cgpid" 2>/dev/null
	[ -n "${cgname:-}" ] && rmdir "/sys/fs/cgroup/unified/$cgname" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ -n "$CG" ] && rmdir "$CGMNT/$CG" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

# The filters compared with ss (one per line; a line is split into words
# as a shell would, so '( ... )' stays one word as ss takes it).  and and
# or bind alike, left to right, in ss: the lines with both check that.
FILTERS=$(cat <<'EOF'
dport = :6001
dport == :6001
dport eq :6002
dport != :6001
dport ne :7000
dport '>' :6001
dport gt :6001
dport '<' :6002
dport lt :7000
dport '>=' :6002
dport ge :7000
dport '<=' :6002
dport le :6001
sport = :6001
sport '>' :6001
sport '<' :6002
dst 198.18.0.1
dst 198.18.0.0/15
src 198.18.1.0/24
dst 2001:db8::/32
src 2001:db8::1/128
src [2001:db8::1]:6001
dst [2001:db8::1]:6002
src 198.18.0.1:7000
'( dport = :6001 or dport = :6002 )'
dport = :6001 and src 198.18.1.0/24
dport = :6001 '&&' dst 198.18.0.0/16
dport = :6001 '||' sport = :7000
dport = :6001 '|' sport = :7000
dport = :6001 '&' dst 198.18.0.0/16
dport neq :6001
dport geq :6002
dport leq :6001
dport = :6001 or dport = :6002 and src 198.18.1.0/24
sport = :6001 or dport = :6001 and src 198.18.1.0/24
'! dport = :6001 and dport = :6002'
not dport = :6001 or dport = :6001
'dport = :6001 || dport = :7000 && ! src [2001:db8::1]'
not dport = :6001
'!' '(' sport = :6001 or sport = :6002 ')'
not '(' dst 2001:db8::/32 ')' and dport '>' :6001
'sport >= :6000 and not ( dst 198.18.0.0/15 or dport = :7000 )'
'( ( dport = :6001 ) )'
state established dport = :6001
state established '( dport = :6001 or dport = :6002 )'
state established dport = :6001 or dport = :6002
state listening
state all
state connected
state synchronized
state time-wait
state bucket
state big sport = :6001
state listening state established
exclude established
exclude listening src 198.18.0.0/16
state all not sport = :6001
dport 6001 src 198.18.1.0/24
sport :7000 dst 2001:db8::/32
dport = :x11-1
sport = :bbs
dst 198.18.0.1:x11-2
dport '>=' :x11-2
dev = lo
dev = 1
dev = 0
dev '!=' lo
fwmark = 0x10
fwmark = 0x10/0xf0
fwmark '!=' 0x10
fwmark 0x1/0x1
fwmark = 0
autobound
dport = :6001 and autobound
sport = :6001 or autobound
state all autobound
cgroup = /CGPATH
cgroup '!=' /CGPATH
dport = :7000 and cgroup = CGPATH
EOF
)
nf=$(grep -c . <<<"$FILTERS")

tap_plan $((nf + 2 + 1 + 2 + 10 + 3 + 21 + 6 + 3))

if [ ! -x "$TT" ]; then
	tap_fail "the CLI is built ($TT)" "make -C userspace-tools"
	exit 1
fi

run() { tap_run "$@"; }	# (selftests/lib/tap.sh)

# ---- the sockets ------------------------------------------------------------
ip netns add "$NS" || { tap_fail "ip netns add $NS"; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" addr add 198.18.0.1/24 dev lo
ip -n "$NS" addr add 198.18.1.1/24 dev lo
ip -n "$NS" addr add 2001:db8::1/64 dev lo nodad
ip -n "$NS" addr add 2001:db8:1::1/64 dev lo nodad

# Listeners on 6001, 6002, 7000 (IPv4 and IPv6), two connections to each
# (one from the second address), a TIME-WAIT socket per family; on a
# signal (USR1), 1,000 connections to 198.18.0.1:8000 and one to :8001.
# (nsenter, not ip netns exec: the same /sys, for the cgroup)
CGPROCS=${CG:+$CGMNT/$CG/cgroup.procs} nsenter --net=/run/netns/"$NS" $PY - >"$W/holder" 2>&1 <<'PYEOF' &
import os, resource, signal, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
keep = []
SO_MARK = getattr(socket, "SO_MARK", 36)
def listen(fam, a, p):
    l = socket.socket(fam)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((a, p)); l.listen(2048); keep.append(l)
    return l
def conn(fam, l, src, a, p):
    c = socket.socket(fam); c.bind((src, 0)); c.connect((a, p))
    s, _ = l.accept(); keep.extend((c, s))
    return c, s
for fam, a, b in ((socket.AF_INET, "198.18.0.1", "198.18.1.1"),
                  (socket.AF_INET6, "2001:db8::1", "2001:db8:1::1")):
    for p in (6001, 6002, 7000):
        l = listen(fam, a, p)
        conn(fam, l, a, a, p)
        conn(fam, l, b, a, p)
    # TIME-WAIT: the client closes first, the server after
    l = listen(fam, a, 7100)
    c, s = conn(fam, l, b, a, 7100)
    c.close(); time.sleep(0.05); s.close(); keep.remove(c); keep.remove(s)
    l.close(); keep.remove(l)
# to 198.18.0.1:7000: marks 0x10 and 0x11, one bound to lo
def conn_opt(opt, val):
    c = socket.socket(socket.AF_INET); c.setsockopt(socket.SOL_SOCKET, opt, val)
    c.connect(("198.18.0.1", 7000)); keep.append(c)
conn_opt(SO_MARK, 0x10)
conn_opt(SO_MARK, 0x11)
conn_opt(socket.SO_BINDTODEVICE, b"lo")
# and one from the test's cgroup
if os.environ.get("CGPROCS"):
    with open(os.environ["CGPROCS"], "w") as f:
        f.write(str(os.getpid()))
    conn_opt(SO_MARK, 0)
def many(sig, frm):
    l = listen(socket.AF_INET, "198.18.0.1", 8000)
    for i in range(1000):
        conn(socket.AF_INET, l, "198.18.0.1", "198.18.0.1", 8000)
    l2 = listen(socket.AF_INET, "198.18.0.1", 8001)
    conn(socket.AF_INET, l2, "198.18.0.1", "198.18.0.1", 8001)
    print("many", flush=True)
signal.signal(signal.SIGUSR1, many)
print("ready", flush=True)
while True:
    time.sleep(60)
PYEOF
hpid=$!
for _ in $(seq 100); do grep -q ready "$W/holder" && break; sleep 0.1; done
if ! grep -q ready "$W/holder"; then
	tap_fail "the test's sockets are set up" "$(cat "$W/holder")"
	exit 1
fi

# keys FILE: "LOCAL PEER" per socket, from tcptune's JSON (the state is
# left out: ss prints no State column when the filter names one state)
keys_tt() {
	$PY - "$1" <<'PYEOF'
import json, sys
def ep(a, p, fam):
    a = "[%s]" % a if ":" in a else a
    return "%s:%s" % (a, p if p else "*")
for s in json.load(open(sys.argv[1])):
    print(ep(s["saddr"], s["sport"], s["family"]), ep(s["daddr"], s["dport"], s["family"]))
PYEOF
}
# the same from ss -Hn output: its last two columns (-n, no -p: no Process)
keys_ss() {
	awk '{ print $(NF - 1), $NF }' "$1"
}
norm() { sed 's/\[::\]:\*/*/; s/0\.0\.0\.0:\*/*/; s/ \[::\]:\*$/ */; s/ 0\.0\.0\.0:\*$/ */; s/%lo:/:/' | sort; }

# ---- tcptune -j sockets -a FILTER = ss -tan FILTER ------------------------------
while IFS= read -r line; do
	if grep -q CGPATH <<<"$line"; then
		if [ -z "$CG" ]; then
			tap_skip "filter $line: tcptune = ss" "no writable cgroup2 hierarchy"
			continue
		fi
		line=${line//CGPATH/$CG}
	fi
	eval "set -- $line"
	if grep -qE '(^| )(state|exclude) ' <<<"$line"; then sso=-Htan; else sso=-Htn; fi
	"$TT" -n "$NS" -j sockets -a "$@" >"$W/tt.json" 2>"$W/tt.err"
	rc=$?
	nsenter --net=/run/netns/"$NS" ss $sso "$@" >"$W/ss.txt" 2>&1
	src=$?
	if [ $rc != 0 ] || [ $src != 0 ]; then
		tap_fail "filter $line: tcptune = ss ${sso#-H}" "tcptune exit $rc: $(head -3 "$W/tt.err"); ss exit $src: $(head -3 "$W/ss.txt")"
		continue
	fi
	a=$(keys_tt "$W/tt.json" | norm)
	b=$(keys_ss "$W/ss.txt" | norm)
	n=$(grep -c . <<<"$b")
	if [ "$a" = "$b" ]; then
		tap_ok "filter $line: tcptune = ss ${sso#-H} ($n sockets)"
	else
		tap_fail "filter $line: tcptune = ss ${sso#-H}" "$(diff <(echo "$a") <(echo "$b") | head -12)"
	fi
done <<<"$FILTERS"

# -4 / -6 as ss's
for fam in 4 6; do
	"$TT" -n "$NS" -j sockets -a -$fam state all >"$W/tt.json" 2>/dev/null
	ip netns exec "$NS" ss -Htan -$fam state all >"$W/ss.txt"
	a=$(keys_tt "$W/tt.json" | norm)
	b=$(keys_ss "$W/ss.txt" | norm)
	if [ "$a" = "$b" ] && [ -n "$a" ]; then tap_ok "sockets -a -$fam state all = ss -tan -$fam ($(grep -c . <<<"$b") sockets)"
	else tap_fail "sockets -a -$fam state all = ss -tan -$fam" "$(diff <(echo "$a") <(echo "$b") | head -8)"; fi
done

# tcptune's algo selector beside ss's expression: the netns's default
# algorithm is every socket's here
cc=$(ip netns exec "$NS" cat /proc/sys/net/ipv4/tcp_congestion_control)
"$TT" -n "$NS" -j sockets -a algo "$cc" '( dport = :6001 or sport = :6002 )' >"$W/tt.json" 2>"$W/tt.err"
rc=$?
ip netns exec "$NS" ss -Htn '( dport = :6001 or sport = :6002 )' >"$W/ss.txt"
a=$(keys_tt "$W/tt.json" | norm)
b=$(keys_ss "$W/ss.txt" | norm)
if [ $rc = 0 ] && [ "$a" = "$b" ] && [ -n "$a" ] &&
   [ "$("$TT" -n "$NS" -j sockets -a algo reno dport = :6001 2>/dev/null)" = "[]" ]; then
	tap_ok "algo $cc '( ... or ... )' = ss's '( ... or ... )'; algo reno: none"
else
	tap_fail "algo $cc '( ... or ... )' = ss's" "exit $rc $(head -2 "$W/tt.err"): $(diff <(echo "$a") <(echo "$b") | head -6)"
fi

# --sort / --top
"$TT" -n "$NS" -j sockets -a --sort dport --top 3 state established dport '>' :6001 >"$W/tt.json" 2>/dev/null
why=$($PY - "$W/tt.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
p = [s["dport"] for s in d]
if len(d) != 3: print("want 3 sockets, got", len(d))
if p != sorted(p): print("not ascending by dport:", p)
if any(x <= 6001 for x in p): print("dport > 6001 not applied:", p)
PYEOF
)
if [ -z "$why" ]; then tap_ok "sockets -a --sort dport --top 3 FILTER: 3 sockets, by dport, filtered"
else tap_fail "sockets -a --sort dport --top 3 FILTER" "$why"; fi
"$TT" -n "$NS" -j sockets -a --sort rto_us state all >"$W/tt.json" 2>/dev/null
why=$($PY - "$W/tt.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = [s.get("rto_us") for s in d if s.get("rto_us") is not None]
if len(v) < 10: print("only", len(v), "sockets with rto_us")
if v != sorted(v, reverse=True): print("not descending:", v[:20])
PYEOF
)
if [ -z "$why" ]; then tap_ok "sockets -a --sort rto_us: largest first"
else tap_fail "sockets -a --sort rto_us: largest first" "$why"; fi
# watch: the same --sort / --top on each sample (unsorted as the control:
# the dump's own order is not by dport, so the sort is what orders it)
"$TT" -n "$NS" -j watch -a -c 2 -i 0.2 --sort dport --top 3 state established dport '>' :6001 \
	>"$W/ws.json" 2>"$W/ws.err"
rc=$?
"$TT" -n "$NS" -j watch -a -c 1 -i 0.2 state established dport '>' :6001 >"$W/wu.json" 2>/dev/null
why=$($PY - "$W/ws.json" "$W/wu.json" <<'PYEOF'
import json, sys
smp = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
uns = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
if len(smp) != 2: print("want 2 samples, got", len(smp)); sys.exit()
for x in smp:
    p = [s["dport"] for s in x["sockets"]]
    if len(p) != 3: print("want 3 sockets a sample, got", len(p))
    if p != sorted(p): print("not ascending by dport:", p)
    if any(q <= 6001 for q in p): print("filter not applied:", p)
up = [s["dport"] for s in uns[0]["sockets"]] if uns else []
if len(up) <= 3 or up == sorted(up): print("control: the unsorted sample should hold more than 3 sockets, not by dport:", up[:8])
PYEOF
)
if [ $rc = 0 ] && [ -z "$why" ]; then tap_ok "watch -a --sort dport --top 3 FILTER: each sample 3 sockets, by dport (unsorted: not)"
else tap_fail "watch -a --sort dport --top 3 FILTER" "exit $rc $(head -2 "$W/ws.err") $why"; fi
run "watch --sort nosuch: exit 2, names the fields (goodput_bps among them)" 2 \
	'unknown field "nosuch"; one of: cwnd.*goodput_bps' "$TT" watch -a -c 1 --sort nosuch
run "watch --top 0: exit 2" 2 'watch: --top: "0" is not a positive number' "$TT" watch -a -c 1 --top 0

# ---- ss -tiep's fields: the same sockets, the same values ---------------------------
# With ECN on: a cubic pair (idle, 3000 bytes unread by the client: Recv-Q),
# a bbr pair (idle: bbr:(...)), a pair blocked on a full receiver (Send-Q,
# notsent, busy, rwnd_limited), a client of uid 65534 (uid:), and a pair
# sending at about 26 Mbit/s (watch's goodput).
ip netns exec "$NS" sysctl -qw net.ipv4.tcp_ecn=1
ip netns exec "$NS" $PY - >"$W/holder2" 2>&1 <<'PYEOF' &
import socket, subprocess, sys, threading, time
def listen(p, rcvbuf=0):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf: l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    l.bind(("198.18.0.1", p)); l.listen(8)
    return l
keep = []
def pair(p, cc=None, rcvbuf=0):
    l = listen(p, rcvbuf)
    c = socket.socket()
    if cc: c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
    c.connect(("198.18.0.1", p)); s, _ = l.accept(); keep.extend((l, c, s))
    return c, s
def drain(s, n):
    while n > 0: n -= len(s.recv(min(n, 65536)))
c, s = pair(9001); c.sendall(b"a" * 100000); drain(s, 100000); s.sendall(b"b" * 3000)
c, s = pair(9002, "bbr"); c.sendall(b"a" * 200000); drain(s, 200000)
c, s = pair(9003, None, 4096); c.setblocking(False)
try:
    while True: c.send(b"c" * 65536)
except BlockingIOError:
    pass
l = listen(9005); keep.append(l)
u = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                      sys.executable, "-c", "import socket, time\n"
                      "c = socket.create_connection(('198.18.0.1', 9005)); print('up', flush=True)\n"
                      "time.sleep(120)"], stdout=subprocess.PIPE)
u.stdout.readline(); s, _ = l.accept(); keep.append(s)
ls = listen(9004); keep.append(ls)
def flow():
    c = socket.create_connection(("198.18.0.1", 9004)); s, _ = ls.accept()
    def rd():
        while s.recv(65536): time.sleep(0.002)
    threading.Thread(target=rd, daemon=True).start()
    keep.extend((c, s))
    while True:	# about 26 Mbit/s, until the test ends
        c.sendall(b"d" * 16384); time.sleep(0.005)
threading.Thread(target=flow, daemon=True).start()
time.sleep(1)	# the blocked pair's window closes
print("ready", flush=True)
try:
    time.sleep(120)
finally:
    u.kill()
PYEOF
h2pid=$!
for _ in $(seq 100); do grep -q ready "$W/holder2" && break; sleep 0.1; done
grep -q ready "$W/holder2" || tap_note "holder2: $(cat "$W/holder2")"

SSF='( sport >= :9001 and sport <= :9005 ) or ( dport >= :9001 and dport <= :9005 )'
"$TT" -n "$NS" sockets -a -P "$SSF" >"$W/f.tt" 2>"$W/f.err"
rc=$?
ip netns exec "$NS" ss -tiepH "$SSF" >"$W/f.ss" 2>/dev/null
# ss_fields: parse both into {ino: (keys in order, {key: value})}, compare
why=$($PY - "$W/f.tt" "$W/f.ss" <<'PYEOF'
import re, sys
TWO = ("send", "pacing_rate", "delivery_rate")
def socks(path, header):
    lines = open(path).read().split("\n")
    if header: lines = lines[1:]
    out, i = {}, 0
    while i + 1 < len(lines) and lines[i]:
        l1, l2 = lines[i].split(), lines[i + 1]
        i += 2
        keys, vals = ["Recv-Q", "Send-Q"], {"Recv-Q": l1[1], "Send-Q": l1[2]}
        ports = {l1[3].rsplit(":", 1)[1], l1[4].rsplit(":", 1)[1]}
        for t in l1[5:]:
            k, _, v = t.partition(":")
            vals[k] = v
        toks = l2.split()
        j = 0
        while j < len(toks):
            t = toks[j]
            if t in TWO:
                k, v = t, toks[j + 1]; j += 2
            else:
                k, sep, v = t.partition(":"); j += 1
                if not sep: v = True
            keys.append(k); vals[k] = v
        out[vals.get("ino")] = (keys, vals, ports)
    return out
tt, ss = socks(sys.argv[1], True), socks(sys.argv[2], False)
if set(tt) != set(ss) or len(tt) != 10:
    print("sockets (by ino): tcptune", sorted(tt), "ss", sorted(ss)); sys.exit()
STABLE = ["Recv-Q", "Send-Q", "users", "uid", "ino", "sk", "ts", "sack", "ecn", "ecnseen",
          "fastopen", "cubic", "bbr", "wscale", "mss", "cwnd", "ssthresh", "bytes_sent",
          "bytes_retrans", "bytes_acked", "notsent", "snd_wnd", "unacked", "retrans", "lost",
          "sacked", "reordering"]
IDLE = ["rto", "rtt", "minrtt", "send", "pacing_rate", "delivery_rate", "delivered", "app_limited"]
TIMES = ["busy", "rwnd_limited", "sndbuf_limited"]
seen = {}
for ino in tt:
    (tk, tv, ports), (sk, sv, _) = tt[ino], ss[ino]
    port = "/".join(sorted(ports))
    # the blocked pair gets window probes, the flow moves: their times and rates vary
    moving = bool(ports & {"9003", "9004"})
    flowing = bool(ports & {"9004"})	# every figure may move between the two reads
    exact = [k for k in STABLE if not flowing] + ([] if moving else IDLE)
    for k in exact:
        if tv.get(k) != sv.get(k):
            print("ino %s port %s: %s tcptune %r ss %r" % (ino, port, k, tv.get(k), sv.get(k)))
    for k in ([] if flowing else TIMES):
        if (k in tv) != (k in sv):
            print("ino %s port %s: %s in tcptune %s, in ss %s" % (ino, port, k, k in tv, k in sv))
        elif k in TIMES and k in tv and not re.fullmatch(r"\d+ms(\(\d+\.\d%\))?", tv[k]):
            print("ino %s: %s=%r is not ss's format" % (ino, k, tv[k]))
    # ss's order, of the fields both print
    common = [k for k in tk if k in sk]
    if common != [k for k in sk if k in tk]:
        print("ino %s: order differs: %s vs %s" % (ino, common, [k for k in sk if k in tk]))
    for k in ("uid", "ecnseen", "notsent", "rwnd_limited", "bbr", "users"):
        if k in tv: seen[k] = seen.get(k, 0) + 1
    if tv.get("Recv-Q") not in (None, "0"): seen["Recv-Q"] = 1
    if tv.get("Send-Q") not in (None, "0"): seen["Send-Q"] = 1
# positive controls: each case shows once at least
for k in ("uid", "ecnseen", "notsent", "rwnd_limited", "bbr", "users", "Recv-Q", "Send-Q"):
    if not seen.get(k): print("no socket shows", k, "(the case is not set up)")
PYEOF
)
if [ $rc = 0 ] && [ -z "$why" ]; then
	tap_ok "sockets -a -P = ss -tiep, field by field, in ss's order (10 sockets: Recv-Q, Send-Q, users, uid, ino, options, wscale, bytes_*, bbr:(...), busy, rwnd_limited, notsent, snd_wnd, send)"
else
	tap_fail "sockets -a -P = ss -tiep, field by field" "exit $rc $(head -3 "$W/f.err"): $why"
fi
# JSON: the same names and values as the text
"$TT" -n "$NS" -j sockets -a -P sport = :9002 >"$W/f.json" 2>/dev/null
why=$($PY - "$W/f.json" "$W/f.tt" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
if len(d) != 1: print("want the bbr client, got", len(d)); sys.exit()
s = d[0]
for k in ("recv_q", "send_q", "ino", "uid", "cgroup_id", "ts", "sack", "ecn", "ecnseen",
          "fastopen", "wscale", "bytes_sent", "bytes_retrans", "bytes_acked", "busy_us",
          "rwnd_limited_us", "sndbuf_limited_us", "notsent", "snd_wnd", "send_bps", "users", "bbr"):
    if k not in s: print("lacks", k)
b = s.get("bbr") or {}
for k in ("bw_bps", "mrtt_us", "pacing_gain", "cwnd_gain"):
    if k not in b: print("bbr lacks", k)
u = s.get("users") or [{}]
if not (u[0].get("name") == "python3" and u[0].get("pid") and u[0].get("fd")): print("users", u)
if not (s.get("ecn") is True and isinstance(s.get("wscale"), dict)): print("ecn/wscale", s.get("ecn"), s.get("wscale"))
t = open(sys.argv[2]).read()
if "ino:%d " % s.get("ino", -1) not in t: print("text has no ino:%s" % s.get("ino"))
PYEOF
)
if [ -z "$why" ]; then tap_ok "sockets -a -P -j: every field under its text name (recv_q ... users, bbr {bw_bps, mrtt_us, pacing_gain, cwnd_gain})"
else tap_fail "sockets -a -P -j: every field under its text name" "$why"; fi

# --cgroup, in a mount namespace with cgroup2 where ss looks for it; a
# process in a cgroup of its own is the positive control beside "/"
CG=/sys/fs/cgroup/unified
cgname=tt_ssf_$$
if [ -d "$CG" ] && mkdir "$CG/$cgname" 2>/dev/null; then
	# (ip netns exec hides /sys/fs/cgroup: the shell joins the cgroup first)
	bash -c 'echo $$ >"$1/cgroup.procs" && exec ip netns exec "$2" "$3" -' _ \
		"$CG/$cgname" "$NS" "$PY" >"$W/cg" 2>&1 <<'PYEOF' &
import socket, time
l = socket.socket(); l.bind(("198.18.0.1", 9006)); l.listen()
c = socket.create_connection(("198.18.0.1", 9006)); s, _ = l.accept()
print("ready", flush=True)
time.sleep(60)
PYEOF
	cgpid=$!
	for _ in $(seq 50); do grep -q ready "$W/cg" && break; sleep 0.1; done
	ip netns exec "$NS" bash -c 'mount -t cgroup2 none /sys/fs/cgroup &&
		"$1" sockets -a --cgroup "( sport = :9006 or sport = :9001 )" >"$2/cg.tt" 2>&1 &&
		ss -teH --cgroup "( sport = :9006 or sport = :9001 )" >"$2/cg.ss" 2>/dev/null' _ "$TT" "$W"
	a=$(grep -o 'cgroup:[^ ]*' "$W/cg.tt" | sort)
	b=$(grep -o 'cgroup:[^ ]*' "$W/cg.ss" | sort -u)
	if [ -n "$a" ] && [ "$a" = "$b" ] && grep -q "cgroup:/$cgname\$" <<<"$a" && grep -q 'cgroup:/$' <<<"$a"; then
		tap_ok "--cgroup = ss --cgroup: cgroup:/ and cgroup:/$cgname"
	else
		tap_fail "--cgroup = ss --cgroup" "tcptune: $a; ss: $b; $(head -3 "$W/cg.tt")"
	fi
	kill "$cgpid" 2>/dev/null; wait "$cgpid" 2>/dev/null
	for _ in $(seq 20); do rmdir "$CG/$cgname" 2>/dev/null && break; sleep 0.1; done
else
	tap_skip "--cgroup = ss --cgroup" "no cgroup2 at $CG to make a cgroup in"
fi

# watch: per-interval goodput from bytes_acked, and retransmits, in JSON and CSV
"$TT" -n "$NS" -j watch -a -c 3 -i 0.5 dport = :9004 >"$W/w.json" 2>"$W/w.err"
rc=$?
"$TT" -n "$NS" watch -a -c 2 -i 0.5 --csv dport = :9004 >"$W/w.csv" 2>>"$W/w.err"
why=$($PY - "$W/w.json" "$W/w.csv" <<'PYEOF'
import csv, json, sys
smp = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
if len(smp) != 3: print("want 3 samples, got", len(smp)); sys.exit()
s0, s1, s2 = (x["sockets"][0] if x["sockets"] else {} for x in smp)
if "goodput_bps" in s0 or "retrans_delta" in s0: print("the first sample has deltas")
for i, (a, b, sb) in enumerate(((s0, s1, smp[1]), (s1, s2, smp[2]))):
    if b.get("retrans_delta") is None or b.get("bytes_retrans_delta") is None: print("sample", i + 2, "lacks the retransmit deltas")
    want = (b["bytes_acked"] - a["bytes_acked"]) * 8 / (sb["time"] - smp[i]["time"])
    g = b.get("goodput_bps")
    if not g or abs(g - want) > 0.2 * want: print("sample", i + 2, "goodput", g, "want about", want)
rows = list(csv.DictReader(open(sys.argv[2])))
if len(rows) != 2: print("csv rows", len(rows)); sys.exit()
if rows[0]["goodput_bps"] != "" or not rows[1]["goodput_bps"].isdigit() or int(rows[1]["goodput_bps"]) <= 0:
    print("csv goodput_bps", [r["goodput_bps"] for r in rows])
if rows[1]["retrans_delta"] == "" or rows[1]["bytes_sent"] == "": print("csv lacks retrans_delta/bytes_sent")
PYEOF
)
if [ $rc = 0 ] && [ -z "$why" ]; then tap_ok "watch -j / --csv: goodput_bps (bytes_acked over the interval), retrans_delta, bytes_retrans_delta from the second sample on"
else tap_fail "watch -j / --csv: per-interval goodput and retransmits" "exit $rc $(head -2 "$W/w.err"): $why"; fi
run "sockets -P -P --cgroup -a: options repeat harmlessly, exit 0" 0 '' "$TT" -n "$NS" sockets -a -P -P --cgroup sport = :9001
run "sockets --processes=x: exit 1, takes no value" 1 'processes.*takes no value' "$TT" sockets --processes=x
kill "$h2pid" 2>/dev/null; wait "$h2pid" 2>/dev/null
# ---- dev, fwmark, autobound beyond ss; summary and metrics -------------------------
# not autobound is the complement of autobound (ss's two steps are not)
set_of() { "$TT" -n "$NS" -j sockets -a state all "$@" >"$W/set.json" 2>/dev/null; keys_tt "$W/set.json" | sort; }
all_s=$(set_of); ab=$(set_of autobound); nab=$(set_of not autobound)
if [ -n "$ab" ] && [ "$(sort <<<"$ab"$'\n'"$nab")" = "$all_s" ] && [ -z "$(comm -12 <(echo "$ab") <(echo "$nab"))" ]; then
	tap_ok "not autobound: the complement of autobound ($(grep -c . <<<"$ab") and $(grep -c . <<<"$nab") of $(grep -c . <<<"$all_s"))"
else
	tap_fail "not autobound: the complement of autobound" "autobound: $ab; not: $nab"
fi
# fwmark: the kernel matches marks for CAP_NET_ADMIN only; nobody learns one
as_nobody() { nsenter --net=/run/netns/"$NS" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
run "fwmark as an unprivileged user: exit 3, as the kernel's audit (EPERM)" 3 \
	'fwmark: permission denied.*CAP_NET_ADMIN' as_nobody "$TT" sockets -a fwmark = 0x10
run "... the same user's dport = :7000: listed (control)" 0 '198\.18\.0\.1:7000' \
	as_nobody "$TT" sockets -a dport = :7000
n=$("$TT" -n "$NS" -j sockets -a state all 2>/dev/null | grep -c -i '"[a-z_]*mark')
if [ "$n" = 0 ]; then tap_ok "no socket's mark in the JSON, even for root (fwmark only filters)"
else tap_fail "no socket's mark in the JSON" "$n lines"; fi
# dev names are the namespace's (-n): tta only in $NS
ip -n "$NS" link add tta type veth peer name ttb 2>/dev/null
if ip -n "$NS" link show tta >/dev/null 2>&1; then
	run "-n $NS dev = tta: the namespace's interface, exit 0" 0 '' "$TT" -n "$NS" sockets -a dev = tta
	run "dev = tta outside $NS: no such interface, exit 2" 2 'no interface "tta" in this network namespace' \
		"$TT" sockets -a dev = tta
else
	tap_skip "-n $NS dev = tta" "no veth"
	tap_skip "dev = tta outside $NS" "no veth"
fi
# summary: per algorithm and CA state, the socket list's counts and
# nearest-rank percentiles; segments sent as ss -ti says
"$TT" -n "$NS" -j sockets -a state established >"$W/socks.json" 2>/dev/null
"$TT" -n "$NS" -j summary -a state established >"$W/sum.json" 2>"$W/sum.err"
rc=$?
why=$($PY - "$W/socks.json" "$W/sum.json" <<'PYEOF'
import json, math, sys
socks = json.load(open(sys.argv[1])); summ = json.load(open(sys.argv[2]))
def nr(v, p):
    v = sorted(v); return v[max(1, math.ceil(p / 100 * len(v))) - 1]
groups = {}
for s in socks:
    for k in ((s["algo"], None), (s["algo"], s.get("ca_state"))):
        groups.setdefault(k, []).append(s)
got = {(g["algo"], g["ca_state"]): g for g in summ}
if set(got) != set(groups): print("groups", sorted(map(str, got)), "want", sorted(map(str, groups)))
for k, ss in groups.items():
    g = got.get(k)
    if not g: continue
    if g["sockets"] != len(ss): print(k, "sockets", g["sockets"], "want", len(ss))
    for f in ("srtt_us", "cwnd"):
        v = [s[f] for s in ss]
        want = {"min": min(v), "p50": nr(v, 50), "p90": nr(v, 90), "p99": nr(v, 99), "max": max(v)}
        if g[f] != want: print(k, f, g[f], "want", want)
if not socks: print("no socket")
PYEOF
)
if [ $rc = 0 ] && [ -z "$why" ]; then tap_ok "summary -a: groups, counts, srtt and cwnd percentiles = the socket list's (nearest rank)"
else tap_fail "summary -a = the socket list's" "exit $rc $(head -2 "$W/sum.err") $why"; fi
segs_ss=$(nsenter --net=/run/netns/"$NS" ss -Htin state established | grep -o 'segs_out:[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
retr_ss=$(nsenter --net=/run/netns/"$NS" ss -Htin state established | grep -o 'retrans:[0-9]*/[0-9]*' | cut -d/ -f2 | paste -sd+ | bc)
segs_tt=$($PY -c 'import json,sys; print(sum(g["segs_out"] for g in json.load(open(sys.argv[1])) if g["ca_state"] is None))' "$W/sum.json")
retr_tt=$($PY -c 'import json,sys; print(sum(g["retrans_segs"] for g in json.load(open(sys.argv[1])) if g["ca_state"] is None))' "$W/sum.json")
if [ -n "$segs_ss" ] && [ "$segs_ss" = "$segs_tt" ] && [ "$retr_tt" = "${retr_ss:-0}" ]; then
	tap_ok "summary -a: segments sent $segs_tt and retransmitted $retr_tt = ss -ti's segs_out and retrans sums"
else
	tap_fail "summary -a: segments sent = ss -ti's" "tcptune $segs_tt/$retr_tt, ss $segs_ss/$retr_ss"
fi
# metrics -a: the sockets per algorithm as ss counts them; promtool's check
cc=$(ip netns exec "$NS" cat /proc/sys/net/ipv4/tcp_congestion_control)
"$TT" -n "$NS" metrics -a >"$W/m.prom" 2>"$W/m.err"
rc=$?
# (every algorithm's: other sections of this test leave bbr sockets too)
got=$(awk -F' ' 'index($1, "tcptune_sockets{algo=\"") == 1 { n += $2 } END { print n + 0 }' "$W/m.prom")
# (full sockets: those ss -i shows a cwnd of; TIME-WAIT, SYN-RECV and an
# orphan's FIN-WAIT-2 are mini sockets, with no CA state)
want=$(nsenter --net=/run/netns/"$NS" ss -Htni state connected | grep -c 'cwnd:')
if [ $rc = 0 ] && [ "$got" = "$want" ] && [ "$want" -gt 0 ]; then
	tap_ok "metrics -a: tcptune_sockets{algo=...,ca_state=...} add up to ss -tn's $want sockets (default $cc)"
else
	tap_fail "metrics -a: tcptune_sockets add up to ss -tn's" "exit $rc $(head -2 "$W/m.err"): $got, ss $want"
fi
tap_promtool "metrics -a: promtool check metrics passes" "$W/m.prom"

# ---- the kernel filters: bytes received, 2,000 sockets vs one port ------------------
kill -USR1 "$hpid"
for _ in $(seq 200); do grep -q many "$W/holder" && break; sleep 0.1; done
bytes() {	# the sock_diag dump's bytes, as --debug says them
	"$TT" -n "$NS" --debug -j sockets -a "$@" 2>&1 >"$W/b.json" |
		sed -n 's/^--- sock_diag dump: \([0-9]*\) bytes received, \([0-9]*\) sockets.*/\1 \2/p'
}
read -r all_b all_n <<<"$(bytes)"
read -r one_b one_n <<<"$(bytes dport = :8001)"
ss_n=$(ip netns exec "$NS" ss -Htn dport = :8001 | wc -l)
tap_note "unfiltered: ${all_b:-?} bytes, ${all_n:-?} sockets; dport = :8001: ${one_b:-?} bytes, ${one_n:-?} sockets"
if [ "${all_n:-0}" -ge 2000 ] && [ "${one_n:-x}" = 1 ] && [ "$ss_n" = 1 ] &&
   [ "${one_b:-999999999}" -lt $((all_b / 100)) ]; then
	tap_ok "dport = :8001 among 2,000 sockets: 1 socket, $one_b bytes received vs $all_b unfiltered (the kernel filters)"
else
	tap_fail "dport = :8001 among 2,000 sockets: the kernel filters" \
		"unfiltered ${all_b:-?} bytes ${all_n:-?} sockets; filtered ${one_b:-?} bytes ${one_n:-?} sockets; ss $ss_n"
fi
read -r x_b x_n <<<"$(bytes dport = :8000)"
if [ "${x_n:-0}" = 1000 ] && [ "$x_n" = "$(ip netns exec "$NS" ss -Htn dport = :8000 | wc -l)" ]; then
	tap_ok "dport = :8000: the 1,000 connections' client ends, as ss ($x_b bytes)"
else
	tap_fail "dport = :8000: the 1,000 client ends" "$x_n sockets, $x_b bytes"
fi
# a filter the kernel cannot run whole (ca-state): a superset comes, the CLI matches the rest
read -r c_b c_n <<<"$(bytes dport = :8001 ca-state Loss)"
cnt=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$W/b.json" 2>/dev/null)
if [ "${c_n:-x}" = 1 ] && [ "$cnt" = 0 ]; then
	tap_ok "dport = :8001 ca-state Loss: the kernel sends the one socket, the CLI drops it (Open)"
else
	tap_fail "dport = :8001 ca-state Loss" "kernel sent ${c_n:-?}, listed ${cnt:-?}"
fi

# ---- errors and bounds -------------------------------------------------------------
run "dport = :99999: not a port, exit 2" 2 'not a port' "$TT" sockets -a dport = :99999
run "dport > x: not a port, exit 2" 2 '"x" is not a port' "$TT" sockets -a dport '>' x
run "state establshed: exit 2, names the states, did you mean established" 2 \
	'unknown state "establshed".*established.*did you mean: established' \
	bash -c '"$@" 2>&1 | tr "\n" " "; exit ${PIPESTATUS[0]}' _ "$TT" sockets -a state establshed
run "'( dport = :1': exit 1, unbalanced" 1 '"\(" without "\)"' "$TT" sockets -a '( dport = :1'
run "'dport = :1 )': exit 1, unbalanced" 1 '"\)" without "\("' "$TT" sockets -a 'dport = :1 )'
run "'dport = :1 or': exit 1" 1 'a term is expected' "$TT" sockets -a dport = :1 or
run "'and dport = :1': exit 1" 1 'a term is expected before "and"' "$TT" sockets -a and dport = :1
run "'not': exit 1" 1 'a term is expected' "$TT" sockets -a not
run "'dport =': exit 1, needs a value" 1 'needs a value' "$TT" sockets -a dport =
run "'dst 300.1.1.1': exit 2" 2 'not an IPv4 or IPv6' "$TT" sockets -a dst 300.1.1.1
run "'dst [2001:db8::1:80': exit 2" 2 'not an IPv4 or IPv6' "$TT" sockets -a dst '[2001:db8::1:80'
run "'dst 198.18.0.1:nosuchservice': exit 2, names /etc/services" 2 'not a port number .* or a TCP service name' \
	"$TT" sockets -a dst 198.18.0.1:nosuchservice
run "'dport = :https': a service name, exit 0" 0 '' "$TT" -n "$NS" sockets -a dport = :https
run "'dport = :1 or state established': exit 1, state goes before" 1 'state, exclude and algo go before' \
	"$TT" sockets -a dport = :1 or state established
run "'( state established )': exit 1" 1 '"state" goes before the expression' "$TT" sockets -a '( state established )'
run "--sort nosuch: exit 2, names the fields" 2 'unknown field "nosuch"; one of: cwnd.*delivery_rate_bps' "$TT" sockets -a --sort nosuch
run "--top 0: exit 2" 2 'not a positive number' "$TT" sockets -a --top 0
run "-4 -6: exit 1" 1 'exclude each other' "$TT" sockets -a -4 -6
# 100,000 nested parentheses: the depth bound, not the stack
run "100,000 '(': exit 2, nests deeper than 64" 2 'nests deeper than 64' \
	bash -c '"$@" $(yes "(" | head -100000) 2>&1 | head -3; exit ${PIPESTATUS[0]}' _ "$TT" sockets -a
run "100,000 '!': exit 2, nests deeper than 64" 2 'nests deeper than 64' \
	bash -c '"$@" $(yes "!" | head -100000) dport = :1 2>&1 | head -3; exit ${PIPESTATUS[0]}' _ "$TT" sockets -a
# a chain of 60,000 terms (one word each: the command line's limit)
run "a 60,000-term chain: exit 2, more than 8192 terms" 2 'more than 8192 terms' \
	bash -c '"$@" $(seq -f "dport=:%g||" 1 60000) dport=:1 2>&1 | head -3; exit ${PIPESTATUS[0]}' _ "$TT" sockets -a

tap_done
