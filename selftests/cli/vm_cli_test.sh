#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tcptune CLI against the real module, in the VM (tcptune.ko loaded):
# JSON holds the documented fields, set is all-or-none (checked by the CLI
# and, with -f, by the kernel), every error path gives its message and
# exit status, -n NETNS, sockets -a adds a non-tcptune socket, watch+plot,
# and monitor receives events during a lossy transfer (their kernel
# timestamps inside the test's time, -t/-ts, type selections); summary and
# metrics (promtool) on the module's sockets, counters and knobs; ss's dev,
# fwmark, cgroup, autobound and service names on the module's own dump
# (the module runs the bytecode on its own dump) as ss matches the same sockets,
# fwmark refused to an unprivileged user.  Ends by unloading the module:
# then the CLI must say "not loaded" (exit 4).
#
#   tt_snd 198.18.1.1 --- tt_rtr --(loss)--> tt_rcv 198.18.2.1, 20 ms RTT
#
#   vm_cli_test.sh [OUTDIR]     (OUTDIR: where watch CSV / plot SVG go)
# Build first on the host: make -C userspace-tools
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/lib/tap.sh"
. "$top/selftests/lib/topo.sh"
PY=/usr/bin/python3
XFER=$top/selftests/lib/xfer.py
TT=${TCPTUNE:-$top/userspace-tools/tcptune}
OUT=${1:-$(mktemp -d)}
mkdir -p "$OUT"
W=$(mktemp -d)		# scratch for outputs

tap_plan 86

run() { tap_run "$@"; }	# (selftests/lib/tap.sh)

# pycheck NAME FILE PYTHON: the python snippet gets the parsed JSON of FILE
# as `d` and prints a reason to fail (nothing: pass).
pycheck() {
	local name=$1 file=$2 code=$3 why
	why=$($PY - "$file" 2>&1 <<PYEOF
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("not JSON: %s: %s" % (e, open(sys.argv[1]).read()[:300])); sys.exit(0)
$code
PYEOF
)
	if [ -z "$why" ]; then tap_ok "$name"; else tap_fail "$name" "$why"; fi
}

sysctl_get() { cat "/proc/sys/net/tcptune/$1/$2" 2>/dev/null; }

if [ ! -x "$TT" ]; then
	tap_fail "the CLI is built ($TT)" "run make -C userspace-tools on the host"
	exit 1
fi

# ---- version, algos, knobs ---------------------------------------------
run "tcptune -V prints the version" 0 '^tcptune [0-9]' "$TT" -V

"$TT" -j algos >"$W/algos.json" 2>&1
pycheck "algos -j: tcptune_reno/newreno/bbr with name, sockets, counters" "$W/algos.json" '
names = {a.get("name") for a in d}
for want in ("tcptune_reno", "tcptune_newreno", "tcptune_bbr"):
    if want not in names: print("missing", want, "in", names)
for a in d:
    for k in ("name", "sockets", "recoveries", "rtos", "undos", "default"):
        if k not in a: print(a.get("name"), "lacks", k)'

run "algos (human): header and tcptune_bbr" 0 'ALGO +SOCKETS.*RECOVERIES' "$TT" algos

"$TT" -j knobs >"$W/knobs.json" 2>&1
pycheck "knobs -j: every knob has the documented fields" "$W/knobs.json" '
if len(d) < 10: print("only", len(d), "knobs")
for k in d:
    for f in ("algo", "name", "value", "default", "min", "max", "unit", "when", "doc", "sysctl"):
        if f not in k: print(k.get("name"), "lacks", f)
    if k.get("when") not in ("live", "new-conn"): print(k.get("name"), "when", k.get("when"))
    if not k["min"] <= k["value"] <= k["max"]: print(k["name"], "value outside its range")'

pycheck "knobs -j agrees with every sysctl net.tcptune.ALGO.KNOB" "$W/knobs.json" '
for k in d:
    p = "/proc/sys/net/tcptune/%s/%s" % (k["algo"], k["name"])
    try:
        v = int(open(p).read())
    except Exception as e:
        print(p, e); continue
    if v != k["value"]: print(p, v, "!=", k["value"])'

run "knobs reno: only reno's, in a table" 0 '^reno\.beta +50' "$TT" knobs reno
run "knobs reno.bta: unknown knob, exit 2, suggests reno.beta" 2 'did you mean: .*reno\.beta' "$TT" knobs reno.bta
run "knobs renoo: unknown algorithm, exit 2, suggests reno" 2 'unknown algorithm.*did you mean: reno' \
	bash -c "'$TT' knobs renoo 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
run "knobs -j -p: pretty JSON parses" 0 '' bash -c "'$TT' -j -p knobs bbr | $PY -m json.tool >/dev/null"

# ---- set ----------------------------------------------------------------
run "set reno.beta=70: exit 0, says the old value" 0 'reno\.beta = 70 \(was 50\)' "$TT" set reno.beta=70
run "set reno.beta=70 reached the sysctl" 0 '^70$' sysctl_get reno beta
run "set, CLI check: one knob out of range -> exit 2 with the range" 2 'reno\.iw=99999: out of range: 0\.\.1000' \
	"$TT" set reno.beta=60 reno.iw=99999
run "set, CLI check: nothing changed (beta still 70)" 0 '^70$' sysctl_get reno beta
run "set -f, kernel check: out of range -> exit 2, extack names reno.iw" 2 'reno\.iw=99999.*range' \
	"$TT" set -f reno.beta=60 reno.iw=99999
run "set -f, kernel check: nothing changed (beta still 70)" 0 '^70$' sysctl_get reno beta
run "set -f reno.nosuch=1: kernel says unknown knob, exit 2" 2 'reno\.nosuch=1.*unknown knob' \
	"$TT" set -f reno.nosuch=1
run "set reno.bta=60: unknown knob, exit 2, suggests reno.beta" 2 'did you mean: .*reno\.beta' "$TT" set reno.bta=60
run "set reno.beta=abc: invalid value, exit 2, says the range" 2 'invalid value.*10\.\.90' \
	bash -c "'$TT' set reno.beta=abc 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
run "set reno.beta=-5: invalid value, exit 2" 2 'invalid value' "$TT" set reno.beta=-5
run "set reno.beta=99999999999: invalid value, exit 2" 2 'invalid value' "$TT" set reno.beta=99999999999
run "set reno.beta (no =VALUE): usage, exit 1" 1 'ALGO\.KNOB=VALUE' "$TT" set reno.beta
run "set -j: JSON with old and new value" 0 '"old": ?70' bash -c "'$TT' -j set reno.beta=50"
run "set as nobody: permission denied, exit 3, names CAP_NET_ADMIN" 3 'CAP_NET_ADMIN' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TT" set reno.beta=60
run "knobs as nobody: reads work" 0 'reno\.beta' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TT" knobs reno.beta

# ---- -n NETNS -------------------------------------------------------------
ip netns add tt_cli 2>/dev/null
"$TT" set reno.beta=70 >/dev/null
run "-n tt_cli: a new netns starts from the defaults (beta 50, here 70)" 0 '"value": ?50' \
	bash -c "'$TT' -n tt_cli -j knobs reno.beta"
run "-n tt_cli set reno.beta=80 leaves this netns at 70" 0 '^70$' \
	bash -c "'$TT' -n tt_cli set reno.beta=80 >/dev/null && cat /proc/sys/net/tcptune/reno/beta"
run "-n nosuch: no such netns, exit 2" 2 'nosuch.*ip netns list' \
	bash -c "'$TT' -n nosuch knobs 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
ip netns del tt_cli
"$TT" set reno.beta=50 >/dev/null

# ---- sockets, during transfers --------------------------------------------
# 20 ms, 1 % loss, a 4 Mbit/s bottleneck with 100 ms of buffer: the flows
# only need to exist, in every CA state, while the CLI looks at them.  (At
# 50 Mbit/s the bbr flow kept the emulated guest's two CPUs busy for the
# whole suite, and each CLI command of the debug kernel's run took 8-10 s.)
if ! topo_up 20 1 4 50000; then
	tap_fail "topology up" "topo_up failed"
	exit 1
fi
ns_snd() { ip netns exec $TOPO_SND "$@"; }
xfer_bg() {	# PORT CC SECONDS [FAMILY]: receiver and sender in the background
	local fam=${4:-4} dst=$TOPO_RCV4
	[ "$fam" = 6 ] && dst=$TOPO_RCV6
	ip netns exec $TOPO_RCV $PY "$XFER" recv --port "$1" --family "$fam" --timeout "$((XS + 60))" >/dev/null &
	sleep 0.5
	ns_snd $PY "$XFER" send --to "$dst" --port "$1" --cc "$2" --seconds "$3" --timeout "$((XS + 60))" \
		>"$W/xfer.$1" 2>&1 &
}
# The flows must outlast the tests below, on every kernel: the sender
# half-closes after XS s (its socket leaves ESTAB, which the state
# established case needs).  The flows are aborted (ss -K) once the tests are
# done, so a long XS costs no time.  (40 s was too short on a stock 6.12
# kernel: the flows ended during the filter cases; 90 s once on the debug
# kernel: the reno flow ended during watch; 200 s on the debug kernel once
# the summary, metrics and filter-term cases were added: watch's deltas
# came at 259 s; 400 s on CI's slower machine, where the debug kernel's cli
# suite reached the unprivileged and watch cases after the flows had
# ended.)  So the flows last longer than any suite may (run-all.sh -t: 900 s,
# twice that on the debug kernel): the suite's bound, not the flows, ends it.
XS=${CLI_XFER_SECONDS:-2400}
xfer_bg 6001 tcptune_reno "$XS"
xfer_bg 6002 tcptune_bbr "$XS" 6
xfer_bg 6003 cubic "$XS"
sleep 4
# Under TCG the IPv6 flow may take longer to connect (DAD, a busy host):
# wait until both of ours and the cubic one (started last; the -a cases
# need it) are established, at most 20 s more.
for _ in $(seq 1 40); do
	[ "$(ns_snd ss -Htn state established '( dport = :6001 or dport = :6002 or dport = :6003 )' | wc -l)" -ge 3 ] && break
	sleep 0.5
done

"$TT" -n $TOPO_SND -j sockets >"$W/socks.json" 2>&1
pycheck "sockets -j: reno (IPv4) and bbr (IPv6) with the documented fields" "$W/socks.json" '
algos = {s["algo"]: s for s in d}
for a in ("tcptune_reno", "tcptune_bbr"):
    if a not in algos: print("no", a, "socket in", [s.get("algo") for s in d])
for s in d:
    for f in ("sk", "cookie", "family", "saddr", "sport", "daddr", "dport", "state", "algo",
              "ca_state", "cwnd", "ssthresh", "rto_us", "srtt_us", "rttvar_us", "minrtt_us",
              "mss", "inflight", "unacked", "sacked", "lost", "retrans", "total_retrans",
              "reordering", "dsack_dups", "delivered", "delivery_rate_bps",
              "pacing_rate_bps", "app_limited", "rtos", "bytes_acked"):
        if f not in s: print(s.get("algo"), "lacks", f)
    if s.get("algo") == "cubic": print("cubic listed without -a")
    if s.get("tcptune") is not True: print("tcptune flag", s.get("tcptune"))
    if s.get("ca_state") not in ("Open", "Disorder", "CWR", "Recovery", "Loss"): print("ca_state", s.get("ca_state"))
    if int(s["sk"], 16) != s["cookie"]: print("sk/cookie disagree")
r = algos.get("tcptune_reno", {})
if "phase" not in r.get("reno", {}) or "rfc_cwnd" not in r.get("reno", {}): print("reno model", r.get("reno"))
b = algos.get("tcptune_bbr", {})
for f in ("state", "bw_bps", "mrtt_us", "pacing_gain", "cwnd_gain", "inflight_hi", "round"):
    if f not in b.get("bbr", {}): print("bbr model lacks", f, b.get("bbr"))
if b and b["family"] != "inet6": print("bbr socket family", b["family"])'

"$TT" -n $TOPO_SND sockets >"$W/socks.txt" 2>&1
run "sockets (human): ss -ti names and units" 0 'rto:[0-9.]+ rtt:[0-9.]+/[0-9.]+ mss:[0-9]+ cwnd:[0-9]+' cat "$W/socks.txt"
run "sockets (human): CA state and the models" 0 'ca_state:(Open|Disorder|CWR|Recovery|Loss).* reno:\(phase:' cat "$W/socks.txt"
run "sockets (human): bbr model as ss writes it" 0 'bbr:\(state:[A-Za-z]+.*bw:[0-9.]+[kMG]?bps,mrtt:' cat "$W/socks.txt"
# the cookie is the one ss -e prints
ck=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(s["sk"] for s in d if s["algo"]=="tcptune_reno"))' "$W/socks.json" 2>/dev/null)
run "sockets: the sk: cookie is the one ss -e prints for the socket" 0 "sk:$ck\b" \
	bash -c "[ -n '$ck' ] && ip netns exec $TOPO_SND ss -tie"

# ss -tie's fields in the module's dump: present, and the same as ss's
pycheck "sockets -j: ss -tie's fields from the module (recv_q ... cgroup_id), sane values" "$W/socks.json" '
for s in d:
    for f in ("recv_q", "send_q", "ino", "uid", "cgroup_id", "ts", "sack", "ecn", "ecnseen",
              "fastopen", "wscale", "bytes_sent", "bytes_retrans", "busy_us", "rwnd_limited_us",
              "sndbuf_limited_us", "notsent", "snd_wnd", "send_bps"):
        if f not in s: print(s.get("algo"), "lacks", f)
    if not s.get("ino"): print(s.get("algo"), "ino", s.get("ino"))
    if s.get("uid") != 0: print(s.get("algo"), "uid", s.get("uid"), "(root made it)")
    if s.get("ts") is not True or s.get("sack") is not True or not isinstance(s.get("wscale"), dict):
        print(s.get("algo"), "options", s.get("ts"), s.get("sack"), s.get("wscale"))
    if s.get("bytes_sent", 0) < s.get("bytes_acked", 0) - 1: print(s.get("algo"), "bytes_sent < bytes_acked")
    if s.get("bytes_sent", 0) < s.get("bytes_retrans", 0): print(s.get("algo"), "bytes_retrans > bytes_sent")
    if not s.get("busy_us") or s.get("rwnd_limited_us", 0) + s.get("sndbuf_limited_us", 0) > s.get("busy_us", 0):
        print(s.get("algo"), "busy", s.get("busy_us"), s.get("rwnd_limited_us"), s.get("sndbuf_limited_us"))
    if not s.get("snd_wnd") or s.get("send_q", 0) < s.get("notsent", 0): print(s.get("algo"), "snd_wnd/send_q/notsent", s)'
"$TT" -n $TOPO_SND sockets -P >"$W/socks_p.txt" 2>&1
ns_snd ss -tiepH >"$W/ss_p.txt" 2>/dev/null
why=$($PY - "$W/socks_p.txt" "$W/ss_p.txt" <<'PYEOF'
import re, sys
def socks(path, header):
    lines = [l for l in open(path).read().split("\n")][1 if header else 0:]
    out = {}
    for i in range(0, len(lines) - 1, 2):
        if not lines[i] or not lines[i + 1].startswith("\t"): continue
        l1, l2 = lines[i], lines[i + 1].split()
        ino = re.search(r" ino:(\d+)", l1)
        if not ino: continue
        users = re.search(r" users:(\(\(.*?\)\))", l1)
        opts = [t for t in l2 if t in ("ts", "sack", "ecn", "ecnseen", "fastopen") or t.startswith("wscale:")
                or t.startswith("tcptune_")]
        out[ino.group(1)] = (re.search(r" sk:([0-9a-f]+)", l1).group(1), users and users.group(1), opts,
                             [t.split(":")[0] for t in l2])
    return out
tt, ss = socks(sys.argv[1], True), socks(sys.argv[2], False)
if len(tt) < 2: print("tcptune lists", len(tt), "sockets")
for ino, (sk, users, opts, keys) in tt.items():
    if ino not in ss: print("ino", ino, "not in ss -tiep"); continue
    s_sk, s_users, s_opts, _ = ss[ino]
    if (sk, users, opts) != (s_sk, s_users, s_opts):
        print("ino %s: tcptune %s, ss %s" % (ino, (sk, users, opts), (s_sk, s_users, s_opts)))
    for k in ("bytes_sent", "bytes_acked", "send", "busy"):
        if k not in keys: print("ino", ino, "lacks", k)
PYEOF
)
if [ -z "$why" ]; then tap_ok "sockets -P (module): ino, sk, users:((...)), options, wscale and algorithm as ss -tiep shows them"
else tap_fail "sockets -P (module): as ss -tiep" "$why"; fi
# an unprivileged reader sees what ss shows every user: the same fields
ip netns exec $TOPO_SND setpriv --reuid=65534 --regid=65534 --clear-groups "$TT" -j sockets \
	>"$W/socks_nobody.json" 2>&1
pycheck "sockets -j as nobody: the same fields as root (what ss shows every user)" "$W/socks_nobody.json" '
root = {s["cookie"]: s for s in json.load(open(sys.argv[1].replace("socks_nobody", "socks")))}
if not d: print("nobody sees no socket")
for s in d:
    r = root.get(s["cookie"])
    if r is None: continue
    if set(s) != set(r): print("keys differ:", set(s) ^ set(r))
    if (s["ino"], s["uid"], s["wscale"]) != (r["ino"], r["uid"], r["wscale"]): print("values differ", s["ino"], r["ino"])'

"$TT" -n $TOPO_SND -j sockets -a >"$W/socks_a.json" 2>&1
pycheck "sockets -a -j: the cubic socket too, as not tcptune, with tcp_info" "$W/socks_a.json" '
c = [s for s in d if s.get("algo") == "cubic"]
if not c: print("no cubic socket in", [s.get("algo") for s in d])
for s in c:
    if s.get("tcptune") is not False: print("cubic marked tcptune")
    for f in ("cwnd", "srtt_us", "ca_state", "delivery_rate_bps"):
        if f not in s: print("cubic lacks", f)
cookies = [s["cookie"] for s in d]
if len(cookies) != len(set(cookies)): print("a socket listed twice")
if not any(s.get("algo") == "tcptune_reno" for s in d): print("reno missing with -a")'

run "sockets algo reno: only the reno socket" 0 '' bash -c \
	"out=\$('$TT' -n $TOPO_SND -j sockets algo reno) && $PY -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d and all(s[\"algo\"]==\"tcptune_reno\" for s in d)))' \"\$out\""
run "sockets -a algo cubic: only cubic" 0 '' bash -c \
	"out=\$('$TT' -n $TOPO_SND -j sockets -a algo cubic) && $PY -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d and all(s[\"algo\"]==\"cubic\" for s in d)))' \"\$out\""
# with -a an available algorithm's own name is that one alone: the kernel's
# reno (always there; no socket of it here), not tcptune_reno by its short
# name; tcptune_reno by its whole name (control)
run "sockets -a algo reno: the kernel's reno only, so none (not tcptune_reno)" 0 '^\[\]$' \
	"$TT" -n $TOPO_SND -j sockets -a algo reno
run "sockets -a algo tcptune_reno: ours, by its own name" 0 '' bash -c \
	"out=\$('$TT' -n $TOPO_SND -j sockets -a algo tcptune_reno) && $PY -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d and all(s[\"algo\"]==\"tcptune_reno\" for s in d)))' \"\$out\""
run "sockets algo renoo: exit 2, suggests reno" 2 'did you mean: .*reno' "$TT" -n $TOPO_SND sockets algo renoo
run "sockets dport 6002 src 2001:db8::/32: the IPv6 bbr socket only" 0 'tcptune_bbr' \
	bash -c "out=\$('$TT' -n $TOPO_SND sockets dport 6002 src 2001:db8::/32) && echo \"\$out\" && ! grep -q tcptune_reno <<<\"\$out\""

# ss's filter language on the module's own dump (no bytecode: the CLI
# matches each socket) and, with -a, on sock_diag's (the kernel runs it)
"$TT" -n $TOPO_SND -j sockets dport = :6002 >"$W/f1.json" 2>&1
pycheck "sockets dport = :6002: the bbr socket only" "$W/f1.json" '
if [s["algo"] for s in d] != ["tcptune_bbr"]: print("got", [(s.get("algo"), s.get("dport")) for s in d])'
"$TT" -n $TOPO_SND -j sockets state established '( dport = :6001 or dport = :6002 )' >"$W/f2.json" 2>&1
pycheck "sockets state established '( dport = :6001 or dport = :6002 )': reno and bbr" "$W/f2.json" '
if sorted(s["algo"] for s in d) != ["tcptune_bbr", "tcptune_reno"]: print("got", [(s.get("algo"), s.get("dport")) for s in d])
if any(s["state"] != "ESTAB" or s["dport"] not in (6001, 6002) for s in d): print("state/port", d)'
"$TT" -n $TOPO_SND -j sockets 'not dport = :6002 and ! src 2001:db8::/32' >"$W/f3.json" 2>&1
pycheck "sockets 'not dport = :6002 and ! src 2001:db8::/32': reno only" "$W/f3.json" '
if [s["algo"] for s in d] != ["tcptune_reno"]: print("got", [(s.get("algo"), s.get("dport")) for s in d])'
"$TT" -n $TOPO_SND -j sockets -a dport '>=' :6002 and dport '<=' :6003 >"$W/f4.json" 2>&1
pycheck "sockets -a dport >= :6002 and dport <= :6003: bbr (ours) and cubic (sock_diag), once each" "$W/f4.json" '
if sorted(s["algo"] for s in d) != ["cubic", "tcptune_bbr"]: print("got", [(s.get("algo"), s.get("dport")) for s in d])
if [s["tcptune"] for s in d if s["algo"] == "cubic"] != [False]: print("cubic", d)'
"$TT" -n $TOPO_SND -j sockets -6 >"$W/f5.json" 2>&1
pycheck "sockets -6: the IPv6 bbr socket only" "$W/f5.json" '
if [(s["algo"], s["family"]) for s in d] != [("tcptune_bbr", "inet6")]: print("got", [(s.get("algo"), s.get("family")) for s in d])'
"$TT" -n $TOPO_SND -j sockets --sort cwnd >"$W/f6.json" 2>&1
"$TT" -n $TOPO_SND -j sockets --sort cwnd --top 1 >"$W/f6top.json" 2>&1
pycheck "sockets --sort cwnd: largest first; --top 1: one socket" "$W/f6.json" '
c = [s["cwnd"] for s in d]
if len(c) < 2 or c != sorted(c, reverse=True): print("cwnds", c)
t = json.load(open(sys.argv[1].replace("f6.json", "f6top.json")))
if len(t) != 1: print("--top 1:", len(t), "sockets")'

# ---- summary, metrics ----------------------------------------------------------
"$TT" -n $TOPO_SND -j summary >"$W/sum.json" 2>&1
"$TT" -n $TOPO_SND -j sockets >"$W/sum_socks.json" 2>&1
pycheck "summary -j: reno and bbr rows (every state and per CA state), counts of the socket list, segs_out from sock_diag" "$W/sum.json" '
socks = json.load(open(sys.argv[1].replace("sum.json", "sum_socks.json")))
rows = {(g["algo"], g["ca_state"]): g for g in d}
for a in ("tcptune_reno", "tcptune_bbr"):
    g = rows.get((a, None))
    if not g: print("no row", a, list(rows)); continue
    n = sum(1 for s in socks if s["algo"] == a)
    if g["sockets"] != n: print(a, "sockets", g["sockets"], "list", n)
    for f in ("srtt_us", "cwnd"):
        o = g.get(f) or {}
        if not (o.get("min", -1) <= o.get("p50", -2) <= o.get("p90", -3) <= o.get("p99", -4) <= o.get("max", -5)):
            print(a, f, o)
    if not g.get("segs_out"): print(a, "segs_out", g.get("segs_out"), "(sock_diag by cookie)")
    if not isinstance(g.get("retrans_ratio"), (int, float)): print(a, "retrans_ratio", g.get("retrans_ratio"))
    per_state = sum(r["sockets"] for k, r in rows.items() if k[0] == a and k[1] is not None)
    if per_state != g["sockets"]: print(a, "CA state rows add up to", per_state)'
"$TT" -n $TOPO_SND -j summary -a >"$W/sum_a.json" 2>&1
pycheck "summary -a -j: the cubic flow too" "$W/sum_a.json" '
if not any(g["algo"] == "cubic" and g["ca_state"] is None and g["sockets"] >= 1 for g in d): print([(g["algo"], g["ca_state"]) for g in d])'
run "summary (human): the table" 0 'tcptune_reno +\* +[0-9]+ +[0-9.]+/[0-9.]+/[0-9.]+ \(' "$TT" -n $TOPO_SND summary

# algos before metrics: the counters only grow (the flows are still lossy),
# so metrics' must be at least what algos said just before
"$TT" -n $TOPO_SND -j knobs >"$W/m_knobs.json" 2>&1
"$TT" -n $TOPO_SND -j algos >"$W/m_algos.json" 2>&1
"$TT" -n $TOPO_SND metrics >"$W/m.prom" 2>"$W/m.err"
[ $? = 0 ] || cat "$W/m.err" >>"$W/m.prom"	# then promtool says why
tap_promtool "metrics: promtool check metrics passes" "$W/m.prom"
cp "$W/m.prom" "$W/m.txt"
pycheck "metrics: every algorithm's counters, every knob in base units, the sockets per CA state" "$W/m_knobs.json" '
import re
text = open(sys.argv[1].replace("m_knobs.json", "m.txt")).read()
algos = json.load(open(sys.argv[1].replace("m_knobs.json", "m_algos.json")))
socks = json.load(open(sys.argv[1].replace("m_knobs.json", "sum_socks.json")))
samples = {}
for line in text.splitlines():
    if line and not line.startswith("#"):
        k, v = line.rsplit(" ", 1); samples[k] = float(v)
for a in algos:
    for m, f in (("tcptune_recoveries_total", "recoveries"), ("tcptune_retransmission_timeouts_total", "rtos"),
                 ("tcptune_undos_total", "undos")):
        k = "%s{algo=\"%s\"}" % (m, a["name"])
        if k not in samples: print("missing", k)
        elif samples[k] < a[f]: print(k, samples[k], "below algos", a[f])
knobs = [k for k in samples if k.startswith("tcptune_knob_")]
if len(knobs) != len(d): print(len(knobs), "knob samples for", len(d), "knobs")
for k in d:
    scale = {"percent": 0.01, "ms": 0.001, "us": 1e-6}.get(k["unit"], 1)
    got = [v for s, v in samples.items() if s.startswith("tcptune_knob_") and
           ("algo=\"%s\",knob=\"%s\"" % (k["algo"], k["name"])) in s]
    if len(got) != 1 or abs(got[0] - k["value"] * scale) > 1e-9: print(k["algo"], k["name"], got, k["value"])
    if k["unit"] == "ms" and not any(s.startswith("tcptune_knob_") and "_seconds{" in s and k["name"] in s for s in samples):
        print(k["name"], "not in seconds")
for a in ("tcptune_reno", "tcptune_bbr"):
    n = sum(v for s, v in samples.items() if s.startswith("tcptune_sockets{algo=\"%s\"" % a))
    if n != sum(1 for s in socks if s["algo"] == a): print(a, "tcptune_sockets", n)'
run "metrics -o FILE: written whole, no temporary file left" 0 '' bash -c \
	"mkdir -p '$W/prom' && '$TT' -n $TOPO_SND metrics -o '$W/prom/t.prom' &&
	 grep -q '^# TYPE tcptune_recoveries_total counter' '$W/prom/t.prom' && [ \"\$(ls -A '$W/prom')\" = t.prom ]"

# ---- ss's dev, fwmark, cgroup, autobound on the module's own dump ---------------
# tcptune's sockets (no -a: the tcptune dump, the terms matched on
# sock_diag's view by cookie) = the flows to 6001/6002 ss lists for the
# same filter (the kernel's bytecode)
ours_vs_ss() {
	local name=$1 a b
	shift
	a=$("$TT" -n $TOPO_SND -j sockets "$@" 2>"$W/ovs.err" | $PY -c '
import json, sys
print(" ".join(sorted(str(s["dport"]) for s in json.load(sys.stdin) if s["dport"] in (6001, 6002))))')
	b=$(nsenter --net=/run/netns/$TOPO_SND ss -Htn "$@" 2>&1 | awk '{ print $NF }' | sed 's/.*://' |
		grep -xE '600[12]' | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$a" = "$b" ]; then tap_ok "$name: tcptune's own sockets = ss's ($a)"
	else tap_fail "$name: tcptune's own sockets = ss's" "tcptune: $a $(head -2 "$W/ovs.err"); ss: $b"; fi
}
ours_vs_ss "autobound (the senders' ports)" autobound
ours_vs_ss "dport = :x11-1 (a service name, 6001)" dport = :x11-1
ours_vs_ss "dev = 0 (bound to no device)" dev = 0
ours_vs_ss "dev = 1 (none bound to lo)" dev = 1
ours_vs_ss "fwmark = 0 (no mark)" fwmark = 0
ours_vs_ss "fwmark != 0" fwmark != 0
# the module runs the same bytecode on its own sockets: host conditions
# of both families, prefixes, ports with them, not/or, comparisons
ours_vs_ss "dst 198.18.2.1 (an IPv4 host)" dst 198.18.2.1
ours_vs_ss "dst 2001:db8:2::/48 (an IPv6 prefix)" dst 2001:db8:2::/48
ours_vs_ss "dst 198.18.2.1:6001 (host and port)" dst 198.18.2.1:6001
ours_vs_ss "src 198.18.0.0/15 and not dport = :6002" src 198.18.0.0/15 and not dport = :6002
ours_vs_ss "sport > :1023 and ( dport = :6002 or dst 198.18.3.0/24 )" \
	sport '>' :1023 and '(' dport = :6002 or dst 198.18.3.0/24 ')'

# ... and only what it matches crosses into userspace (-d: the dump's
# size), with no sock_diag dump when the kernel tested the whole filter
kdump() {	# NAME WANT-SOCKETS WANT-EXACT(1/0) FILTER...: -d's account of the dump
	local name=$1 want=$2 exact=$3 line why=
	shift 3
	"$TT" -d -n $TOPO_SND sockets "$@" >"$W/kd.out" 2>"$W/kd.err"
	line=$(grep -- '--- tcptune dump:' "$W/kd.err" | tail -1)
	case "$line" in
	*" $want sockets, "*) ;;
	*) why="not $want sockets:" ;;
	esac
	if [ "$exact" = 1 ]; then
		case "$line" in *"(the whole filter, in the kernel)"*) ;; *) why="$why not all in the kernel:" ;; esac
		grep -q -- '--- sock_diag dump' "$W/kd.err" && why="$why a sock_diag dump too:"
	else
		case "$line" in *"(the whole filter, in the kernel)"*) why="$why said all in the kernel:" ;; esac
	fi
	if [ -z "$why" ]; then tap_ok "$name"; echo "# $line"; else tap_fail "$name" "$why $line"; fi
}
nall=$("$TT" -n $TOPO_SND -j sockets 2>/dev/null | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
kdump "-d sockets (control): every socket of ours crosses, no bytecode" "${nall:-?}" 0
kdump "-d sockets dport = :6001: the kernel sends 1 socket, the whole filter" 1 1 dport = :6001
kdump "-d sockets dport = :6001 and fwmark = 0 and dev = 0: in the kernel, no sock_diag view needed" 1 1 \
	dport = :6001 and fwmark = 0 and dev = 0
kdump "-d sockets dport = :6001 and ca-state (any): 1 socket, ca-state left for userspace" 1 0 \
	dport = :6001 and '(' ca-state open or ca-state disorder or ca-state cwr or ca-state recovery or ca-state loss ')'
cgpath=$(nsenter --net=/run/netns/$TOPO_SND ss -Htn --cgroup dport = :6001 2>/dev/null | grep -o 'cgroup:[^ ]*' | head -1 | cut -d: -f2)
if [ -n "$cgpath" ] && [ "${cgpath#unreachable}" = "$cgpath" ] && [ "$cgpath" != / ]; then
	ours_vs_ss "cgroup = $cgpath (the flows' cgroup, as ss --cgroup prints it)" cgroup = "$cgpath"
elif ! grep -q ' cgroup2 ' /proc/mounts; then
	tap_skip "cgroup = PATH on tcptune's own sockets" "no cgroup2 hierarchy mounted in this guest ($(uname -r))"
elif [ "$cgpath" = / ]; then
	# every socket in the root cgroup (the guest's): ss 6.1 takes "/" for a
	# path on the root filesystem and matches nothing, tcptune for the root
	# cgroup (man page): both flows for "= /", none for "!= /"
	a=$("$TT" -n $TOPO_SND -j sockets cgroup = / 2>&1 | $PY -c '
import json, sys
print(" ".join(sorted(str(s["dport"]) for s in json.load(sys.stdin) if s["dport"] in (6001, 6002))))')
	b=$("$TT" -n $TOPO_SND -j sockets cgroup != / 2>&1 | $PY -c '
import json, sys
print(len(json.load(sys.stdin)))')
	if [ "$a" = "6001 6002" ] && [ "$b" = 0 ]; then
		tap_ok "cgroup = / on tcptune's own sockets (all in the root cgroup): both flows; != /: none"
	else
		tap_fail "cgroup = / on tcptune's own sockets: both flows; != /: none" "= /: '$a'; != /: '$b'"
	fi
elif [ -z "$cgpath" ]; then
	# ss prints no cgroup: a kernel without CONFIG_SOCK_CGROUP_DATA (the
	# debug kernel's config) keeps none and its bytecode audit refuses
	# CGROUP_COND; tcptune says so, for its own dump and for -a, rather
	# than match nothing; the same filter on the port is the control above
	why=
	for a in "" -a; do
		"$TT" -n $TOPO_SND sockets $a cgroup = / >"$W/cg.out" 2>"$W/cg.err"
		rc=$?
		if [ $rc != 5 ] || ! grep -q 'CONFIG_SOCK_CGROUP_DATA' "$W/cg.err" || [ -s "$W/cg.out" ]; then
			why="$why [sockets $a: exit $rc: $(head -c 300 "$W/cg.err") $(head -c 200 "$W/cg.out")]"
		fi
	done
	if [ -z "$why" ]; then
		tap_ok "cgroup = / where the kernel keeps no socket cgroups (ss prints none): sockets and sockets -a exit 5, say why"
	else
		tap_fail "cgroup = / where the kernel keeps no socket cgroups: exit 5, says why" "$why"
	fi
else
	tap_fail "cgroup = PATH on tcptune's own sockets" "ss --cgroup gives no usable path here ($cgpath)"
fi
as_nobody() { nsenter --net=/run/netns/$TOPO_SND setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
run "fwmark as an unprivileged user, tcptune's own dump: exit 3, no mark learnt" 3 \
	'fwmark: permission denied.*CAP_NET_ADMIN' as_nobody "$TT" sockets fwmark = 0
run "... the same user's sockets dport = :6001: listed (control)" 0 'tcptune_reno' \
	as_nobody "$TT" sockets dport = :6001

# ---- watch, plot ----------------------------------------------------------
run "watch --csv -c 3 -i 0.5 -o FILE: samples written" 0 '' \
	"$TT" -n $TOPO_SND watch --csv -c 3 -i 0.5 -o "$OUT/watch.csv"
rows=$(($(wc -l <"$OUT/watch.csv" 2>/dev/null || echo 1) - 1))
if [ "$rows" -ge 6 ]; then tap_ok "watch: 3 samples x 2 sockets = $rows rows"
else tap_fail "watch: 3 samples x 2 sockets" "$rows rows: $(head -3 "$OUT/watch.csv")"; fi
run "plot: the watch CSV becomes a valid SVG" 0 '' bash -c \
	"'$TT' plot -o '$OUT/watch.svg' '$OUT/watch.csv' && $PY -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); sys.exit(not r.tag.endswith(\"svg\") or len(r.findall(\".//{http://www.w3.org/2000/svg}path\"))<4)' '$OUT/watch.svg'"

head -1 "$OUT/watch.csv" >"$W/watch.head"
run "watch --csv: rtos and the appended columns (recv_q ... bytes_retrans_delta) after reno_phase" 0 \
	'reno_phase,rtos,recv_q,send_q,bytes_acked,bytes_sent,bytes_retrans,busy_us,rwnd_limited_us,sndbuf_limited_us,notsent,snd_wnd,send_bps,goodput_bps,retrans_delta,bytes_retrans_delta$' \
	cat "$W/watch.head"
# per-interval figures on the lossy path (1 %): goodput from bytes_acked,
# and retransmits that add up to total_retrans's growth
"$TT" -n $TOPO_SND -j watch -c 3 -i 1 dport = :6001 >"$W/wd.json" 2>"$W/wd.err"
why=$($PY - "$W/wd.json" <<'PYEOF'
import json, sys
smp = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
if len(smp) != 3 or any(len(x["sockets"]) != 1 for x in smp): print("samples", smp); sys.exit()
s = [x["sockets"][0] for x in smp]
if "goodput_bps" in s[0]: print("first sample has a goodput")
for i in (1, 2):
    dt = smp[i]["time"] - smp[i - 1]["time"]
    want = (s[i]["bytes_acked"] - s[i - 1]["bytes_acked"]) * 8 / dt
    if not s[i].get("goodput_bps") or abs(s[i]["goodput_bps"] - want) > 0.25 * want + 1000:
        print("sample", i, "goodput", s[i].get("goodput_bps"), "want about", want)
if s[1]["retrans_delta"] + s[2]["retrans_delta"] != s[2]["total_retrans"] - s[0]["total_retrans"]:
    print("retrans_delta", s[1]["retrans_delta"], s[2]["retrans_delta"], "total_retrans", s[0]["total_retrans"], s[2]["total_retrans"])
if s[1]["bytes_retrans_delta"] + s[2]["bytes_retrans_delta"] != s[2]["bytes_retrans"] - s[0]["bytes_retrans"]:
    print("bytes_retrans_delta does not add up")
PYEOF
)
if [ -z "$why" ]; then tap_ok "watch -j (module, 1 % loss): goodput_bps from bytes_acked; retrans_delta and bytes_retrans_delta add up to the counters' growth"
else tap_fail "watch -j (module): per-interval goodput and retransmits" "$why $(head -2 "$W/wd.err")"; fi

# ---- monitor ----------------------------------------------------------------
# 3 % loss: recoveries are certain within a few seconds.  Five monitors at
# once: all of them (-j), -ts, -t, and two type selections that share no
# type; the wall clock before and after bounds the events' timestamps.
ip netns exec $TOPO_RTR tc qdisc change dev r1 root handle 1: netem loss 3% limit 100000
t0=$(date +%s.%N)
timeout 60 "$TT" -n $TOPO_SND -j monitor -c 2 >"$W/mon.json" 2>"$W/mon.err" &
mpid=$!
timeout 60 "$TT" -n $TOPO_SND monitor -ts -c 1 >"$W/mon_ts.txt" 2>&1 &
mts=$!
timeout 60 "$TT" -n $TOPO_SND monitor -t -c 1 >"$W/mon_t.txt" 2>&1 &
mt=$!
timeout 60 "$TT" -n $TOPO_SND -j monitor -c 2 type recovery_exit >"$W/mon_exit.json" 2>&1 &
mexit=$!
timeout 60 "$TT" -n $TOPO_SND -j monitor -c 2 type recovery_enter,rto >"$W/mon_enter.json" 2>&1 &
menter=$!
sleep 1
xfer_bg 6004 tcptune_newreno 10
wait $mpid
mrc=$?
wait $mts; rts=$?
wait $mt; rt=$?
wait $mexit; rexit=$?
wait $menter; renter=$?
t1=$(date +%s.%N)
head -1 "$W/mon.json" >"$W/mon1.json"
if [ $mrc = 0 ]; then
	pycheck "monitor -j -c 2: an event during a lossy transfer, documented fields" "$W/mon1.json" '
for f in ("time", "event", "sk", "cookie", "algo", "saddr", "sport", "daddr", "dport", "ca_state", "cwnd", "dropped"):
    if f not in d: print("event lacks", f, d)
if d.get("event") not in ("recovery_enter", "recovery_exit", "rto", "bbr_state"): print("event", d.get("event"))'
else
	tap_fail "monitor -j -c 2: an event during a lossy transfer" "exit $mrc: $(cat "$W/mon.err")"
fi
# the kernel's TIMESTAMP: CLOCK_REALTIME, within the test's wall-clock interval
if [ $mrc = 0 ]; then
	$PY -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1]) if l.strip()]))' \
		"$W/mon.json" >"$W/monall.json" 2>&1
	pycheck "monitor -j: each event's timestamp_ns within the test's wall-clock interval, time the same" "$W/monall.json" '
t0, t1 = '"$t0"', '"$t1"'
if len(d) != 2: print(len(d), "events")
for e in d:
    ns = e.get("timestamp_ns")
    if not isinstance(ns, int): print("no timestamp_ns:", e); continue
    if not t0 <= ns / 1e9 <= t1: print("timestamp %.6f outside [%.6f, %.6f]" % (ns / 1e9, t0, t1))
    if abs(e.get("time", 0) - ns / 1e9) > 2e-6: print("time", e.get("time"), "!= timestamp_ns", ns)'
else
	tap_fail "monitor -j: timestamps within the test's interval" "exit $mrc: $(cat "$W/mon.err")"
fi
EV='(recovery_enter|recovery_exit|rto|bbr_state) +sk:[0-9a-f]+ tcptune_'
why=$($PY - "$W/mon_ts.txt" "$t0" "$t1" "$rts" "$EV" <<'PYEOF'
import datetime, re, sys
lines = open(sys.argv[1]).read().splitlines()
t0, t1, rc = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
m = re.match(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})\] " + sys.argv[5], lines[0] if lines else "")
if rc != "0" or len(lines) != 1 or not m:
    print("exit", rc, lines[:3])
else:
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp()
    if not t0 - 1e-6 <= t <= t1: print("time %.6f outside [%.6f, %.6f]" % (t, t0, t1))
PYEOF
)
if [ -z "$why" ]; then tap_ok "monitor -ts: [YYYY-MM-DDThh:mm:ss.usec] EVENT, local time, within the test's interval"
else tap_fail "monitor -ts: [date] prefix" "$why"; fi
if [ $rt = 0 ] && [ "$(wc -l <"$W/mon_t.txt")" = 2 ] &&
   head -1 "$W/mon_t.txt" | grep -Eq '^Timestamp: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 123][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4} [0-9]{1,6} usec$' &&
   tail -1 "$W/mon_t.txt" | grep -Eq "^$EV"; then
	tap_ok "monitor -t: a \"Timestamp: ... usec\" line, then the event"
else
	tap_fail "monitor -t: a Timestamp: line, then the event" "exit $rt: $(head -3 "$W/mon_t.txt")"
fi
for sel in "exit:recovery_exit" "enter:recovery_enter rto"; do
	f=$W/mon_${sel%%:*}.json want=${sel#*:}
	rc=$([ "${sel%%:*}" = exit ] && echo $rexit || echo $renter)
	why=$($PY - "$f" "$want" "$rc" <<'PYEOF'
import json, sys
want, rc = sys.argv[2].split(), sys.argv[3]
try:
    d = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
except Exception as e:
    print("not JSON:", e, open(sys.argv[1]).read()[:200]); sys.exit()
# positive: both events it waited for came; negative: none of another type
if rc != "0" or len(d) != 2: print("exit", rc, len(d), "events")
for e in d:
    if e.get("event") not in want: print("event", e.get("event"), "not in", want)
PYEOF
)
	if [ -z "$why" ]; then tap_ok "monitor type ${want// /,}: 2 events, of those types only"
	else tap_fail "monitor type ${want// /,}: those types only" "$why"; fi
done
run "monitor algo nosuch: exit 2" 2 'unknown algorithm' "$TT" monitor algo nosuch

# The transfers are done with: their sockets aborted (SOCK_DESTROY, ss -K),
# then their processes killed -- a sender killed first leaves an orphan that
# drains its send queue over the lossy path and holds the module past the
# rmmod below.  (Waiting for them to end cost the debug kernel 90 s of its
# 200.)  The loss goes first, and the topology stays up until no socket of
# ours is left in either netns: an orphan cut off from its peer by the netns
# going away would retransmit into nothing for minutes.
ip netns exec $TOPO_RTR tc qdisc change dev r1 root handle 1: netem loss 0% limit 100000
ns_snd ss -K -t state all >/dev/null 2>&1
ip netns exec $TOPO_RCV ss -K -t state all >/dev/null 2>&1
# shellcheck disable=SC2046
kill $(jobs -p) 2>/dev/null
wait
ours_left() {	# every TCP socket in the test's netns still using one of ours
	local ns
	for ns in $TOPO_SND $TOPO_RCV; do
		ip netns exec "$ns" ss -Htaein state all | grep -B1 'tcptune_' | sed "s/^/$ns: /"
	done
}
for _ in $(seq 1 30); do
	ns_snd ss -K -t state all >/dev/null 2>&1
	ip netns exec $TOPO_RCV ss -K -t state all >/dev/null 2>&1
	[ -z "$(ours_left)" ] && break
	sleep 1
done
ours_left >"$W/left.txt"
topo_down

# ---- without the module -------------------------------------------------------
# (closing sockets may hold the module a little longer: retry for 30 s)
for _ in $(seq 1 30); do rmmod tcptune 2>"$W/rmmod.err" && break; sleep 1; done
if ! grep -q '^tcptune ' /proc/modules; then
	run "module unloaded: tcptune says not loaded, exit 4" 4 'not loaded.*modprobe tcptune' \
		bash -c "'$TT' 2>&1 | tr '\n' ' '; exit \${PIPESTATUS[0]}"
	run "module unloaded: set says not loaded, exit 4" 4 'not loaded' "$TT" set reno.beta=50
	insmod "${TCPTUNE_KO:-$top/module/tcptune.ko}" 2>/dev/null
else
	# what holds it: the sockets left before the netns went, those of the
	# init netns, the module's count and the kernel's orphans
	tap_fail "rmmod tcptune for the not-loaded tests" "$(cat "$W/rmmod.err")
$(grep '^tcptune ' /proc/modules)
left in the test's netns before topo_down: $(head -20 "$W/left.txt")
init netns: $(ss -Htaein state all | grep -B1 tcptune_ | head -20)
$(cat /proc/net/sockstat)"
	tap_fail "module unloaded: set says not loaded, exit 4" "not run"
fi
rm -rf "$W"
tap_done
