#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the tcptune CLI: everything that needs no tcptune module.
# The host kernel has none, so the "module not loaded" path is tested here
# for real.  Builds the CLI warning-free (-Werror) first.  TAP; exit 1 on
# any failure.
#
#   host_cli_test.sh            (from anywhere; uses userspace-tools/)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/lib/tap.sh"
PY=/usr/bin/python3
TOOLS=$top/userspace-tools
TT=$TOOLS/tcptune
W=$(mktemp -d)
trap 'rm -rf "$W"; [ -n "${lpid:-}" ] && kill "$lpid" 2>/dev/null' EXIT

CMDS="sockets algos knobs set monitor watch plot help summary metrics"

tap_plan $((133 + 2 + 16 + 4 + 11))

run() { tap_run "$@"; }	# (selftests/lib/tap.sh)
# The same, on stderr+stdout joined into one line (for multi-line messages).
run1() {
	local name=$1 want=$2 pat=$3
	shift 3
	run "$name" "$want" "$pat" bash -c '"$@" 2>&1 | tr "\n" " "; exit ${PIPESTATUS[0]}' _ "$@"
}

# ---- build ------------------------------------------------------------------
out=$(make -C "$TOOLS" clean >/dev/null 2>&1; make -C "$TOOLS" WERROR=1 2>&1)
rc=$?
if [ $rc = 0 ] && ! grep -q 'warning:' <<<"$out" && [ -x "$TT" ]; then
	tap_ok "build: -Wall -Wextra -Werror, no warning"
else
	tap_fail "build: -Wall -Wextra -Werror, no warning" "$out"
	exit 1
fi
if grep -q '^  CC     main.c$' <<<"$out" && ! grep -q 'gcc\|cc .*-c' <<<"$out"; then
	tap_ok "build: quiet CC lines"
else
	tap_fail "build: quiet CC lines" "$(echo "$out" | head -5)"
fi
out=$(make -C "$TOOLS" -B V=1 main.o 2>&1)
if grep -q -- '-c -o main.o main.c' <<<"$out"; then tap_ok "build: V=1 shows the commands"
else tap_fail "build: V=1 shows the commands" "$out"; fi
make -C "$TOOLS" WERROR=1 >/dev/null 2>&1

# ---- help, version, usage errors -----------------------------------------------
run "--help: usage, every command, exit codes" 0 'Usage: tcptune.*' "$TT" --help
out=$("$TT" --help 2>&1)
miss=""
for c in $CMDS; do grep -q "^  $c " <<<"$out" || miss="$miss $c"; done
for code in 0 1 2 3 4 5; do grep -q "^  $code  " <<<"$out" || miss="$miss exit$code"; done
if [ -z "$miss" ]; then tap_ok "--help lists every command and exit status"
else tap_fail "--help lists every command and exit status" "missing:$miss"; fi
for c in $CMDS; do
	run "$c --help: its usage, exit 0" 0 "^Usage: tcptune \[ OPTIONS \] $c" "$TT" "$c" --help
done
run "help knobs = knobs help = knobs -h" 0 'Usage: tcptune \[ OPTIONS \] knobs' \
	bash -c "[ \"\$('$TT' help knobs)\" = \"\$('$TT' knobs help)\" ] && [ \"\$('$TT' knobs help)\" = \"\$('$TT' knobs -h)\" ] && '$TT' help knobs"
run "-V: the version" 0 '^tcptune [0-9]+\.[0-9]+\.[0-9]+ ' "$TT" -V
run1 "unknown command sokets: exit 1, did you mean sockets" 1 'unknown command "sokets".*did you mean: sockets' "$TT" sokets
run "a unique prefix works (kn = knobs)" 0 'Usage: tcptune \[ OPTIONS \] knobs' "$TT" kn help
run1 "an ambiguous prefix says so (s: sockets, set), exit 1" 1 'ambiguous command "s": sockets, set' "$TT" s
run1 "sockets with an unknown argument: exit 1, suggests a filter" 1 'unknown argument "dprt".*did you mean: dport' "$TT" sockets dprt 80
run "sockets sport x: not a port, exit 2" 2 'not a port' "$TT" sockets sport x
run "sockets sport 70000: not a port, exit 2" 2 'not a port' "$TT" sockets sport 70000
run1 "sockets ca-state Recovry: exit 2, did you mean Recovery" 2 'unknown state.*did you mean: Recovery' "$TT" sockets ca-state Recovry
run "sockets src 300.1.1.1: not an address, exit 2" 2 'not an IPv4 or IPv6' "$TT" sockets src 300.1.1.1
run "sockets dport (no value): exit 1" 1 'needs a value' "$TT" sockets dport
# exit status as tcptune(8) says: 1 a missing value or unknown option, 2 a bad value
run "watch -i 0: out of range, exit 2" 2 'is not seconds between' "$TT" watch -i 0
run "watch -i abc: not a number, exit 2" 2 '"abc" is not seconds between' "$TT" watch -i abc
run "watch -c x: not a number, exit 2" 2 '"x" is not a positive number' "$TT" watch -c x
run "watch -i (no value): exit 1" 1 'watch: -i needs a value' "$TT" watch -i
run "watch -x: unknown option, exit 1" 1 'watch: unknown option "-x"' "$TT" watch -x
run "sockets dport 99999: exit 2" 2 'not a port' "$TT" sockets dport 99999
run "watch --csv -j: exit 1" 1 'exclude each other' "$TT" -j watch --csv
run1 "watch --csv FILE: exit 1, says -o FILE" 1 'unknown argument "w.csv".*--csv takes no file name.*-o FILE' \
	"$TT" watch -i 0.2 --csv w.csv
# the README's watch example parses: only the missing module stops it
readme_watch=$(grep -o 'tcptune watch [^&#]*' "$top/README.md" | head -1)
run1 "README's example ($readme_watch): parses, exit 4 (module not loaded)" 4 'not loaded' \
	bash -c "cd '$W' && '$TOOLS/'$readme_watch"
run "monitor -c 0: exit 2" 2 'positive number' "$TT" monitor -c 0
run "monitor state established: exit 1, events carry no TCP state" 1 'state and exclude do not apply' \
	"$TT" monitor state established
run1 "monitor type recovery,los: unknown event type, exit 1, suggests loss" 1 \
	'unknown event type "los".*did you mean: loss' "$TT" monitor type recovery,los
run "monitor type (no value): exit 1" 1 'type needs a value' "$TT" monitor type
run "-t sockets: -t is monitor's, exit 1" 1 "-t is monitor's option" "$TT" -t sockets
run "monitor type rto,: an empty type, exit 1" 1 'not a list of event types' "$TT" monitor type rto,
run "monitor --help: -t, -ts and type" 0 '-ts, --tshort.*' bash -c \
	"'$TT' monitor --help | tr '\n' ' ' | grep -Eo -- '-t, --timestamp .*-ts, --tshort .*type TYPE'"
run "set (nothing): exit 1" 1 'nothing to set' "$TT" set
run "set reno.beta (no =): exit 1" 1 'ALGO.KNOB=VALUE' "$TT" set reno.beta
run "set beta=5 (no algorithm): exit 1" 1 'ALGO.KNOB=VALUE' "$TT" set beta=5
run "set reno.beta=1 reno.beta=2: given twice, exit 1" 1 'given twice' "$TT" set reno.beta=1 reno.beta=2
# a value that is no knob's, refused before the kernel is asked (no module
# here: a good value gets exit 4, below); it got "not loaded"
run1 "set reno.beta=abc: invalid value, exit 2, nothing changed" 2 \
	'reno.beta: invalid value "abc".*nothing was changed' "$TT" set reno.beta=abc
run1 "set -f reno.beta=-5: invalid value, exit 2" 2 'invalid value "-5"' "$TT" set -f reno.beta=-5
# a request that does not fit in the CLI's buffer: refused before anything
# is sent (no "--- sent" from --debug, not even the family lookup)
long=$(head -c 20000 /dev/zero | tr '\0' x)
run1 "set -f reno.<20,000 x>=1: too long, nothing sent, exit 2" 2 'too long.*nothing was changed' \
	bash -c '! "$@" 2>&1 | grep -q -- "--- sent" && "$@"' _ "$TT" --debug set -f "reno.$long=1"
run1 "set -f with 300 assignments: do not fit, nothing sent, exit 2" 2 \
	'300 assignments do not fit in one request.*nothing was changed' \
	bash -c '! "$@" 2>&1 | grep -q -- "--- sent" && "$@"' _ "$TT" --debug set -f $(for i in $(seq 300); do printf 'reno.k%d=1 ' "$i"; done)
run1 "set (checked) with 300 assignments: the same, exit 2" 2 '300 assignments do not fit' \
	"$TT" set $(for i in $(seq 300); do printf 'bbr.k%d=on ' "$i"; done)
run "knobs a b: exit 1" 1 'unexpected argument' "$TT" knobs a b
run "-n without a name: exit 1" 1 'needs a network namespace' "$TT" -n
run "plot without a file: exit 1" 1 'which CSV' "$TT" plot

# ---- the module is not loaded (this host has none) --------------------------------
if [ -d /sys/module/tcptune ]; then
	for i in $(seq 11); do tap_ok "module not loaded: # SKIP the host has tcptune loaded"; done
else
	run1 "tcptune: not loaded, how to load it, exit 4" 4 'not loaded.*modprobe tcptune.*insmod module/tcptune.ko' "$TT"
	run "algos: exit 4" 4 'not loaded' "$TT" algos
	run "knobs -j: exit 4, nothing on stdout" 4 '' bash -c "out=\$('$TT' -j knobs 2>/dev/null); rc=\$?; [ -z \"\$out\" ] || exit 9; exit \$rc"
	run "set reno.beta=50: exit 4" 4 'not loaded' "$TT" set reno.beta=50
	run "set -f reno.beta=50: exit 4" 4 'not loaded' "$TT" set -f reno.beta=50
	run "monitor: exit 4" 4 'not loaded' "$TT" monitor
	run "monitor -ts type recovery,loss dport 5201: accepted (exit 4: no module)" 4 'not loaded' \
		"$TT" monitor -ts type recovery,loss dport 5201
	run "monitor -t -c 1 type all: accepted (exit 4: no module)" 4 'not loaded' \
		"$TT" monitor -t -c 1 type all
	run "-ts monitor type rto (before the object, as ip -ts monitor): accepted (exit 4)" 4 'not loaded' \
		"$TT" -ts monitor type rto
	run "watch -c 1: exit 4" 4 'not loaded' "$TT" watch -c 1
	echo precious >"$W/keep.csv"
	run "watch -c 1 -o keep.csv: exit 4, the file is left as it was" 4 '' \
		bash -c "'$TT' watch -c 1 -o '$W/keep.csv'; rc=\$?; [ \"\$(cat '$W/keep.csv')\" = precious ] || exit 9; exit \$rc"
fi
run "--debug prints the netlink messages (the family lookup)" 4 '^--- sent [0-9]+ bytes' "$TT" --debug algos
run1 "-n nosuch: no such netns, exit 2" 2 'network namespace "nosuch".*ip netns list' "$TT" -n nosuch algos

# ---- sockets -a: sock_diag works without the module --------------------------
# a loopback connection of this test, with data in flight
$PY - >"$W/conn" 2>&1 <<'PYEOF' &
import socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept()
c.sendall(b"x" * 50000)
print(l.getsockname()[1], flush=True)
time.sleep(30)
PYEOF
lpid=$!
for i in $(seq 50); do [ -s "$W/conn" ] && break; sleep 0.1; done
port=$(head -1 "$W/conn")
"$TT" -j sockets -a dport "$port" >"$W/a.json" 2>"$W/a.err"
rc=$?
why=$($PY - "$W/a.json" "$port" <<'PYEOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print("not JSON:", e); sys.exit()
if len(d) != 1: print("want 1 socket to port", sys.argv[2], "got", len(d)); sys.exit()
s = d[0]
for f in ("sk", "cookie", "saddr", "sport", "daddr", "dport", "state", "algo", "tcptune",
          "ca_state", "cwnd", "rto_us", "srtt_us", "mss", "delivery_rate_bps"):
    if f not in s: print("lacks", f)
if s.get("tcptune") is not False: print("marked tcptune")
if s.get("state") != "ESTAB": print("state", s.get("state"))
PYEOF
)
if [ $rc = 0 ] && [ -z "$why" ]; then tap_ok "sockets -a -j (no module): the test's connection, fields, exit 0"
else tap_fail "sockets -a -j (no module): the test's connection" "exit $rc; $why; $(cat "$W/a.err")"; fi
run "sockets -a -j -p: parses with python3 -m json.tool" 0 '' \
	bash -c "'$TT' -j -p sockets -a 2>/dev/null | $PY -m json.tool >/dev/null"
run "sockets -a (human): ss -tie names" 0 'ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1.* ino:[0-9]+ sk:[0-9a-f]+.*'"$(printf '\t')"'( (ts|sack|ecn|ecnseen|fastopen))* [a-z]+( wscale:[0-9]+,[0-9]+)? ca_state:Open rto:[0-9.]+ rtt:[0-9.]+/[0-9.]+ mss:[0-9]+ cwnd:[0-9]+ bytes_sent:50000 ' \
	bash -c "'$TT' sockets -a dport $port 2>/dev/null | tr '\n' ' '; exit \${PIPESTATUS[0]}"
# every JSON key (and key of a nested object) of -a -P --cgroup is a word of the man page
page=$(MANWIDTH=200 man -l "$TOOLS/tcptune.8" 2>/dev/null)
keys=$("$TT" -j sockets -a -P --cgroup dport "$port" 2>/dev/null | $PY -c '
import json, sys
keys = set()
for s in json.load(sys.stdin):
    for k, v in s.items():
        keys.add(k)
        for x in (v if isinstance(v, list) else [v]):
            if isinstance(x, dict): keys.update(x)
print(" ".join(sorted(keys)))')
miss=
for k in $keys; do grep -qw -- "$k" <<<"$page" || miss+=" $k"; done
if [ -n "$keys" ] && [ -z "$miss" ] && grep -qw users <<<"$keys" && grep -qw bytes_sent <<<"$keys"; then
	tap_ok "man page: every JSON key of sockets -a -P --cgroup is named in it ($(wc -w <<<"$keys") keys)"
else
	tap_fail "man page: every JSON key of sockets -a -P --cgroup is named in it" "missing:$miss (keys: $keys)"
fi
run "sockets -a -P: this test's own process holds the connection, as ss -p says" 0 \
	"users:\(\(\"python3\",pid=$lpid,fd=[0-9]+\)\)" "$TT" sockets -a -P dport "$port"
ck=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["sk"])' "$W/a.json" 2>/dev/null)
run "sockets -a: the cookie is the one ss -e prints" 0 "sk:$ck\b" bash -c "[ -n '$ck' ] && ss -tie dport = :$port"
run "sockets -a sk COOKIE: that socket only" 0 "\"sk\": ?\"$ck\"" bash -c "'$TT' -j sockets -a sk '$ck'"
# -d: a sock_diag reply is decoded with its own header (inet_diag_msg, 72
# bytes: 18 lines), then its attributes, INET_DIAG_INFO (2) among them
# (it was read as the request's 56, and the attributes from 16 bytes early)
why=$("$TT" -d sockets -a dport = :"$port" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | $PY -c '
import re, sys
lines, msg, seen = sys.stdin.read().split("\n"), None, []
for i, l in enumerate(lines):
    if l.startswith("--- received") and i + 3 < len(lines) and "| 00020 |" in lines[i + 3]:
        msg = i
        break
if msg is None:
    print("no sock_diag reply in the dump"); sys.exit()
hdr = attrs = 0
for l in lines[msg + 1:]:
    if l.startswith("--- "): break
    if "extra header" in l: hdr += 1
    m = re.match(r"\|0*(\d+)\|..\|0*(\d+)\|", l)
    if m: seen.append(int(m.group(2)))
if hdr != 18: print("header of %d lines, not 18 (inet_diag_msg)" % hdr)
if 2 not in seen: print("no INET_DIAG_INFO attribute; types", seen)
')
[ -z "$why" ] && tap_ok "sockets -a -d: a sock_diag reply decoded with inet_diag_msg, then its attributes" ||
	tap_fail "sockets -a -d: a sock_diag reply decoded with inet_diag_msg, then its attributes" "$why"
# a command's options before it, as the man page allows (it took the
# command for a filter word of the default sockets)
run "tcptune -a sockets dport = :PORT: the command's option first, the connection listed" 0 \
	"^ESTAB .*127\.0\.0\.1:$port " "$TT" -a sockets dport = :"$port"
run "tcptune -a watch -c 1 dport PORT: watch with -a, exit 0" 0 "127\.0\.0\.1:$port" \
	"$TT" -a watch -c 1 dport "$port"
run1 "sockets -a algo newreno: with -a names are the kernel's, exit 2, says tcptune_newreno" 2 \
	'not in net.ipv4.tcp_available_congestion_control.*tcptune_newreno' "$TT" sockets -a algo newreno
run "sockets -a algo nosuch: exit 2" 2 'unknown algorithm "nosuch"' "$TT" sockets -a algo nosuch
run1 "sockets -a (no module): the whole list, exit 0, a note (not an error) says why" 0 \
	'^[^t]*\(the tcptune module is not loaded: no socket uses its algorithms\)' "$TT" -a
"$TT" watch -c 1 -a -o "$W/a.csv" dport "$port" >/dev/null 2>&1
rc=$?
if [ $rc = 0 ] && [ "$(wc -l <"$W/a.csv")" = 2 ] && grep -q "^time,sk," "$W/a.csv"; then
	tap_ok "watch -c 1 -a -o FILE (no module): header and the test's socket, exit 0"
else
	tap_fail "watch -c 1 -a -o FILE (no module): header and the test's socket, exit 0" "exit $rc: $(head -3 "$W/a.csv")"
fi
# the table: a listener has no RTT sample and no ssthresh: "-", as
# sockets leaves them out (it printed 0 and 0; the module's ~0 for no
# sample as 4.29497e+06); the connection's min RTT in ms (control)
run "watch -a (table) of the listener: SSTHRESH and MINRTT are \"-\"" 0 '^- -$' \
	bash -c "'$TT' watch -c 1 -a state listening sport = :$port 2>/dev/null | awk 'NR > 2 { print \$7, \$9 }'"
run "watch -a (table) of the connection: MINRTT in ms (control)" 0 '^- [0-9.]*[1-9][0-9.]*$' \
	bash -c "'$TT' watch -c 1 -a dport $port 2>/dev/null | awk 'NR > 2 { print \$7, \$9 }'"
run "watch -j: time in seconds to the microsecond, six decimals (no %.17g tail)" 0 '^"time": ?[0-9]{10}\.[0-9]{6},' \
	bash -c "'$TT' -j watch -c 1 -a dport $port 2>/dev/null | grep -o '\"time\": *[0-9.]*,'"
# ... and where the file cannot take them (the control: the test above)
run1 "watch -a -o /dev/full: the write fails, exit 5, says why" 5 \
	'watch: writing /dev/full: No space left on device' "$TT" watch -c 2 -i 0.1 -a -o /dev/full dport "$port"
run1 "watch -a -o NODIR/FILE: exit 2, no such directory" 2 \
	"watch: $W/nodir/a.csv: No such file or directory" "$TT" watch -c 1 -a -o "$W/nodir/a.csv" dport "$port"
kill $lpid 2>/dev/null; wait $lpid 2>/dev/null; lpid=

# ---- plot ----------------------------------------------------------------------
{
	echo "time,sk,algo,saddr,sport,daddr,dport,state,ca_state,cwnd,ssthresh,srtt_us,rttvar_us,minrtt_us,rto_us,mss,inflight,unacked,retrans,total_retrans,lost,sacked,delivered,delivery_rate_bps,pacing_rate_bps,app_limited,bbr_state,bbr_bw_bps,reno_phase"
	for i in $(seq 0 40); do
		t=$(echo "1700000000 + $i * 0.25" | bc)
		echo "$t,1a,tcptune_reno,198.18.1.1,40000,198.18.2.1,5201,ESTAB,Open,$((10 + i)),$([ $i -gt 20 ] && echo 30),$((20000 + i * 100)),500,20000,220000,1448,10,10,0,0,0,0,$((i * 10)),$((i * 100000)),$((i * 120000)),0,,,open"
		echo "$t,2b,tcptune_bbr,2001:db8:1::1,40001,2001:db8:2::1,5202,ESTAB,Recovery,$((40 - i / 2)),,$((25000 - i * 50)),800,20000,230000,1428,20,20,1,2,1,3,$((i * 20)),$((8000000 + i * 1000)),9000000,0,ProbeBW_UP,9000000,"
	done
} >"$W/s.csv"
run "plot CSV: writes CSV.svg" 0 'wrote .*s\.svg \(2 sockets\)' "$TT" plot "$W/s.csv"
why=$($PY - "$W/s.svg" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("not XML:", e); sys.exit()
ns = "{http://www.w3.org/2000/svg}"
if root.tag != ns + "svg": print("root", root.tag)
paths = [p for p in root.iter(ns + "path") if p.get("class") == "series"]
# 2 sockets: cwnd+ssthresh (bbr has no ssthresh) = 3, inflight 2,
# srtt+minrtt = 4, delivery rate 2, pacing rate 2
if len(paths) != 13: print(len(paths), "series paths, want 13")
text = " ".join(t.text or "" for t in root.iter(ns + "text"))
for want in ("Window (segments)", "Inflight (segments)", "RTT (ms)", "Delivery rate (Mbit/s)",
             "Pacing rate (Mbit/s)", "sk:1a", "sk:2b", "time (s)"):
    if want not in text: print("no text", want)
# 2b is in Recovery from its first sample: no entry seen, no marker
if root.findall(".//" + ns + "g[@class='marker']"): print("a marker without an entry")
PYEOF
)
if [ -z "$why" ]; then tap_ok "plot: valid SVG, 5 panels, 13 series, legend, no marker without an entry"
else tap_fail "plot: valid SVG, 5 panels, 13 series" "$why"; fi
run "plot sk 2b -o -: one socket, SVG on stdout" 0 '' bash -c \
	"'$TT' plot sk 2b -o - '$W/s.csv' | $PY -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.stdin).getroot(); t=\" \".join(x.text or \"\" for x in r.iter(\"{http://www.w3.org/2000/svg}text\")); sys.exit(\"sk:1a\" in t or \"sk:2b\" not in t)'"
run "plot sk ff: no samples of that socket, exit 2" 2 'no samples of sk:ff' "$TT" plot sk ff -o "$W/x.svg" "$W/s.csv"
# an option's value is the option's, whatever it looks like (getopt_long per command)
run "plot --title -d -o - CSV: the title is \"-d\", not --debug" 0 '' bash -c \
	"'$TT' plot --title -d -o - '$W/s.csv' 2>'$W/t.err' | grep -q '>-d</text>' && ! grep -q -- '--- sent' '$W/t.err'"
run "plot -jo - CSV: common and own options grouped after the command" 0 '<svg' "$TT" plot -jo - "$W/s.csv"
run "plot: IPv6 endpoints in brackets in the legend" 0 '\[2001:db8:1::1\]:40001 -&gt; \[2001:db8:2::1\]:5202' \
	cat "$W/s.svg"
# 9.5 s of samples: ticks every 2 s up to 8, none at 10 (past the axis)
{ head -1 "$W/s.csv"; grep ',1a,' "$W/s.csv" | head -39 | tail -38; } >"$W/s95.csv"
"$TT" plot -o "$W/s95.svg" "$W/s95.csv" 2>/dev/null
why=$($PY - "$W/s95.svg" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
w = float(root.get("width"))
axis_end = max(float(r.get("x")) + float(r.get("width")) for r in root.iter(ns + "rect") if r.get("fill") == "none")
for e in root.iter(ns + "line"):
    for a in ("x1", "x2"):
        if float(e.get(a)) > axis_end + 0.5: print("a line at x", e.get(a), "past the axis end", axis_end)
for t in root.iter(ns + "text"):
    if float(t.get("x")) > w: print("text outside the SVG:", t.get("x"), t.text)
PYEOF
)
if [ -z "$why" ]; then tap_ok "plot: no x tick past the axis (9.5 s of samples)"
else tap_fail "plot: no x tick past the axis" "$(echo "$why" | head -3)"; fi
{ cat "$W/s.csv"; printf '1700000011.0,1a,tcptune_re'; } >"$W/cut.csv"
run1 "plot of a CSV whose last row is cut short (a killed watch): the rest, exit 0" 0 \
	'last row is cut short.*wrote .*cut\.svg \(2 sockets\)' "$TT" plot "$W/cut.csv"
head -2 "$W/s.csv" >"$W/one.csv"
run "plot of a one-sample file: a dot per series (a round-capped zero-length line)" 0 \
	'stroke-linecap="round"[^>]* d="M[0-9.]+,[0-9.]+ l0,0 "' "$TT" plot -o - "$W/one.csv"
# --png --title: the title reaches gnuplot (a stand-in gnuplot keeps its script)
mkdir -p "$W/gp"
printf '%s\n' '#!/bin/sh' "cp \"\$1\" '$W/gp/script'" \
	"touch \"\$(sed -n \"s/^set output '\\(.*\\)'\$/\\1/p\" \"\$1\")\"" >"$W/gp/gnuplot"
chmod +x "$W/gp/gnuplot"
run "plot --png --title: the title reaches gnuplot (a quote made a blank)" 0 "title 'my run'" bash -c \
	"PATH='$W/gp':\$PATH '$TT' plot --png --title \"my'run\" -o '$W/t.png' '$W/s.csv' >/dev/null 2>&1 && cat '$W/gp/script'"
printf 'a,b\n1,2\n' >"$W/bad.csv"
run "plot of a CSV that is not watch's: exit 2, names the column" 2 'no column "time"' "$TT" plot "$W/bad.csv"
run "plot of a missing file: exit 2" 2 'No such file' "$TT" plot "$W/nonexistent.csv"
if command -v gnuplot >/dev/null; then
	run "plot --png: a PNG through gnuplot" 0 '' bash -c \
		"'$TT' plot --png -o '$W/s.png' '$W/s.csv' 2>/dev/null && head -c 8 '$W/s.png' | od -An -c | grep -q 'P   N   G'"
else
	tap_ok "plot --png # SKIP gnuplot is not installed"
fi

# markers, several sockets, panels, --log: CSVs made here.  mkcsv N [LOSS]:
# N sockets (1a, then 2c, 2d, ...), 41 samples 0.25 s apart; 1a enters
# Recovery at sample 10 (2.5 s) and Loss at 20 (5 s), its rtos rising there
# (0 -> 1) and at 22 (5.5 s: a second RTO in Loss), Open again at 24; the
# others stay Open.  LOSS=0: 1a stays Open too.  Its inflight is 0 every
# 7th sample (for --log).
mkcsv() {
	local n=$1 loss=${2:-1} i k t ca rt
	echo "time,sk,algo,saddr,sport,daddr,dport,state,ca_state,cwnd,ssthresh,srtt_us,rttvar_us,minrtt_us,rto_us,mss,inflight,unacked,retrans,total_retrans,lost,sacked,delivered,delivery_rate_bps,pacing_rate_bps,app_limited,bbr_state,bbr_bw_bps,reno_phase,rtos"
	for i in $(seq 0 40); do
		t=$(echo "1700000000 + $i * 0.25" | bc)
		ca=Open rt=0
		if [ "$loss" = 1 ]; then
			[ $i -ge 10 ] && [ $i -lt 20 ] && ca=Recovery
			[ $i -ge 20 ] && [ $i -lt 24 ] && ca=Loss
			[ $i -ge 20 ] && rt=1
			[ $i -ge 22 ] && [ $i -lt 24 ] && rt=2
			[ $i -ge 24 ] && rt=0
		fi
		echo "$t,1a,tcptune_reno,198.18.1.1,40000,198.18.2.1,5201,ESTAB,$ca,$((10 + i)),30,$((20000 + i * 100)),500,20000,220000,1448,$((i % 7)),10,0,0,0,0,$((i * 10)),$((1000000 + i * 100000)),$((1200000 + i * 120000)),0,,,open,$rt"
		for k in $(seq 2 "$n"); do
			echo "$t,$(printf %x $((0x2a + k))),tcptune_bbr,2001:db8:1::$k,$((40000 + k)),2001:db8:2::1,5202,ESTAB,Open,$((40 + k)),,$((25000 + k * 300)),800,20000,230000,1428,$((20 + k)),20,1,2,1,3,$((i * 20)),$((8000000 + i * 1000 * k)),$((9000000 + k * 100000)),0,ProbeBW_UP,9000000,,0"
		done
	done
}
# svgcheck.py FILE: the parsed SVG as root, its namespace ns, the axis of
# the first panel (x0, pw: its frame), then the code on stdin's end: prints
# a reason to fail, or nothing.
cat >"$W/svgcheck.py" <<'PYEOF'
import math, re, sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("not XML:", e); sys.exit()
frames = [r for r in root.iter(ns + "rect") if r.get("fill") == "none"]
x0, pw = float(frames[0].get("x")), float(frames[0].get("width"))
markers = root.findall(".//" + ns + "g[@class='marker']")
legend = root.findall(".//" + ns + "g[@class='legend']")
series = [p for p in root.iter(ns + "path") if p.get("class") == "series"]
panels = root.findall(".//" + ns + "g[@class='panel']")
exec(open(sys.argv[2]).read())
PYEOF
svgcheck() {	# NAME FILE CODE
	local why
	printf '%s\n' "$3" >"$W/check.py"
	why=$($PY "$W/svgcheck.py" "$2" "$W/check.py" 2>&1)
	if [ -z "$why" ]; then tap_ok "$1"; else tap_fail "$1" "$(echo "$why" | head -5)"; fi
}
mkcsv 3 >"$W/m.csv"
run "plot of a CSV with a Recovery episode: exit 0, 3 sockets" 0 'wrote .*m\.svg \(3 sockets\)' \
	"$TT" plot "$W/m.csv"
svgcheck "plot: markers at Recovery (2.5 s), Loss (5 s), RTOs (5 s, 5.5 s) of sk:1a, at their x in every panel" "$W/m.svg" '
got = sorted((m.get("data-kind"), m.get("data-sk"), round(float(m.get("data-t")), 3)) for m in markers)
want = [("loss", "1a", 5.0), ("recovery", "1a", 2.5), ("rto", "1a", 5.0), ("rto", "1a", 5.5)]
if got != want: print("markers", got, "want", want)
for m in markers:
    x = x0 + float(m.get("data-t")) / 10.0 * pw
    lines = m.findall(ns + "line")
    if len(lines) != len(panels): print(len(lines), "lines for", len(panels), "panels")
    for l in lines:
        if abs(float(l.get("x1")) - x) > 0.2 or abs(float(l.get("x2")) - x) > 0.2:
            print("marker", m.get("data-kind"), "at x", l.get("x1"), "want", round(x, 1))'
svgcheck "plot: 3 sockets -> 3 legend entries, each with its own colour and its series in every panel" "$W/m.svg" '
sks = [g.get("data-sk") for g in legend]
if sks != ["1a", "2c", "2d"]: print("legend", sks)
cols = {}
for p in series:
    cols.setdefault(p.get("data-sk"), set()).add(p.get("stroke"))
if sorted(cols) != ["1a", "2c", "2d"] or any(len(c) != 1 for c in cols.values()) or len({min(c) for c in cols.values()}) != 3:
    print("colours", cols)
for sk in ("1a", "2c", "2d"):
    got = sorted(p.get("data-series") for p in series if p.get("data-sk") == sk)
    want = sorted(["cwnd", "inflight", "srtt", "min RTT", "delivery rate", "pacing rate"] + (["ssthresh"] if sk == "1a" else []))
    if got != want: print(sk, got)'
svgcheck "plot: 5 panels (window, inflight, RTT, delivery rate, pacing rate), one time axis" "$W/m.svg" '
titles = [" ".join(t.text for t in p.iter(ns + "text"))[:22] for p in panels]
want = ["Window (segments)", "Inflight (segments)", "RTT (ms)", "Delivery rate (Mbit/s)", "Pacing rate (Mbit/s)"]
if len(panels) != 5 or any(not t.startswith(w) for t, w in zip(titles, want)): print(titles)
fr = [(r.get("x"), r.get("width")) for r in frames]
if len(set(fr)) != 1 or len(fr) != 5: print("frames", fr)'
svgcheck "plot: the SVG is self-contained: no link, script, image, font or style sheet" "$W/m.svg" '
bad = []
for e in root.iter():
    tag = e.tag.replace(ns, "")
    if tag in ("script", "image", "foreignObject", "use", "a", "style", "font", "font-face"): bad.append(tag)
    for k, v in e.attrib.items():
        if "href" in k or re.search(r"url\(|https?:|file:|//", v): bad.append((tag, k, v))
if bad: print(bad[:5])
if root.get("width") is None or not root.findall(ns + "text"): print("no size or title")'
if command -v rsvg-convert >/dev/null; then
	run "plot: librsvg renders the SVG (rsvg-convert, nothing on stderr)" 0 '' bash -c \
		"rsvg-convert '$W/m.svg' -o '$W/m.png' 2>'$W/rsvg.err' && [ ! -s '$W/rsvg.err' ] && head -c 8 '$W/m.png' | od -An -c | grep -q 'P   N   G'"
else
	tap_skip "plot: librsvg renders the SVG" "rsvg-convert is not installed (librsvg2-bin)"
fi
mkcsv 3 0 >"$W/m0.csv"
run "plot of the same without loss: no marker (a negative control)" 0 '' bash -c \
	"'$TT' plot -o - '$W/m0.csv' | grep -c 'class=\"marker\"' | grep -qx 0 && '$TT' plot -o - '$W/m.csv' | grep -q 'class=\"marker\"'"
# the sockets: by cookie, by a filter, at most 10.  legend ARGS...: the
# cookies of the legend of `plot -o f.svg ARGS`, on one line.
legend() {
	"$TT" plot -o "$W/f.svg" "$@" 2>/dev/null &&
		grep -o 'class="legend" data-sk="[0-9a-f]*' "$W/f.svg" | cut -d'"' -f4 | tr '\n' ' '
}
run "plot FILE sk 1a or sk 2d: those two, in the file's order" 0 '^1a 2d $' legend "$W/m.csv" sk 1a or sk 2d
run "plot algo bbr FILE (the filter first): the two bbr sockets" 0 '^2c 2d $' legend algo bbr "$W/m.csv"
run "plot ca-state Loss: the sockets that were ever in Loss (1a)" 0 '\(1 socket\)' \
	"$TT" plot -o "$W/f.svg" "$W/m.csv" ca-state Loss
run "plot dport 6000: no socket matches, exit 2" 2 'no samples of a socket that matches' \
	"$TT" plot -o "$W/f.svg" "$W/m.csv" dport 6000
run "plot dprt 5201: a filter error, exit 1" 1 'unknown argument "dprt"' "$TT" plot "$W/m.csv" dprt 5201
mkcsv 12 >"$W/m12.csv"
run1 "plot of 12 sockets: the first 10, says so" 0 '12 sockets; the first 10 plotted.*wrote .*\(10 sockets\)' \
	"$TT" plot "$W/m12.csv"
svgcheck "plot of 12 sockets: 10 legend entries, 10 colours" "$W/m12.svg" '
if len(legend) != 10: print(len(legend), "legend entries")
if len({p.get("stroke") for p in series}) != 10: print("colours", {p.get("stroke") for p in series})'
# --log
"$TT" plot --log -o "$W/log.svg" "$W/m.csv" 2>"$W/log.err"
rc=$?
svgcheck "plot --log: decade ticks (1, 10, 100 ...) evenly spaced, in every panel" "$W/log.svg" '
import math
if '"$rc"' != 0: print("exit", '"$rc"')
for p in panels:
    ticks = [(float(t.text), float(t.get("y"))) for t in p.iter(ns + "text") if t.get("class") == "ytick"]
    if len(ticks) < 2: print("ticks", ticks); continue
    ex = [math.log10(v) for v, y in ticks]
    if any(abs(e - round(e)) > 1e-9 for e in ex) or [round(e) for e in ex] != list(range(round(ex[0]), round(ex[0]) + len(ex))): print("not decades", ticks)
    d = [ticks[i][1] - ticks[i + 1][1] for i in range(len(ticks) - 1)]
    if max(d) - min(d) > 0.2 or min(d) <= 0: print("not even", d)
    for s in p.iter(ns + "path"):
        if s.get("class") == "series" and re.search(r"nan|inf", s.get("d"), re.I): print("bad coordinate")'
run "plot --log: inflight 0 left out, said on stderr (6 samples of sk:1a)" 0 'log: 6 inflight values <= 0 left out' cat "$W/log.err"
svgcheck "plot without --log: linear ticks from 0 (a control)" "$W/m.svg" '
t = [p.find(ns + "text[@class=\"ytick\"]").text for p in panels]
if t != ["0"] * 5: print(t)'
{ head -1 "$W/m.csv"; grep ',1a,' "$W/m.csv" | sed 's/^\([^,]*,[^,]*,\([^,]*,\)\{14\}\)[^,]*/\10/'; } >"$W/z.csv"
run1 "plot --log of a socket whose inflight is always 0: that panel says so, exit 0" 0 \
	'41 inflight values <= 0.*wrote' bash -c "'$TT' plot --log -o '$W/z.svg' '$W/z.csv' && grep -q 'no positive values' '$W/z.svg' && cat '$W/z.svg' >/dev/null"
# the PNG: real gnuplot, nothing from it on stderr; the script (the
# stand-in gnuplot keeps it) has the markers and the log scale
if command -v gnuplot >/dev/null; then
	run "plot --png --log of 3 sockets with markers: a PNG, gnuplot silent on stderr" 0 '' bash -c \
		"'$TT' plot --png --log -o '$W/m.png' '$W/m.csv' 2>'$W/png.err' && head -c 8 '$W/m.png' | od -An -c | grep -q 'P   N   G' && [ -z \"\$(grep -v '^  plot: --log: \|^tcptune: wrote ' '$W/png.err')\" ] || { cat '$W/png.err'; exit 1; }"
else
	tap_skip "plot --png --log: a PNG, gnuplot silent" "gnuplot is not installed"
fi
# gpscript ARGS...: the script `plot --png ARGS` gives the stand-in gnuplot
gpscript() { PATH="$W/gp:$PATH" "$TT" plot --png -o "$W/t.png" "$@" >/dev/null 2>&1 && cat "$W/gp/script"; }
out=$(gpscript "$W/m.csv")
if grep -q '^set arrow from 2.500000, graph 0' <<<"$out" && grep -q '^set arrow from 5.000000, graph 0' <<<"$out" &&
   [ "$(grep -c '^plot ' <<<"$out")" = 5 ] && ! grep -q '^set logscale y$' <<<"$out"; then
	tap_ok "plot --png: markers (arrows at 2.5 and 5 s) and 5 panels sent to gnuplot, linear"
else
	tap_fail "plot --png: markers and panels sent to gnuplot" "$(head -20 <<<"$out")"
fi
run "plot --png --log: gnuplot gets a log y axis in the 5 panels" 0 '' bash -c \
	"[ \"\$(grep -c '^set logscale y\$' <<<\"\$1\")\" = 5 ]" _ "$(gpscript --log "$W/m.csv")"
run "plot -o - < CSV (stdin, read twice): 3 sockets" 0 '' bash -c \
	"'$TT' plot -o - - <'$W/m.csv' 2>/dev/null | grep -c 'class=\"legend\"' | grep -qx 3"
run "plot <(cat CSV) (a pipe by name, read twice): 3 sockets" 0 '' bash -c \
	"'$TT' plot -o - <(cat '$W/m.csv') 2>/dev/null | grep -c 'class=\"legend\"' | grep -qx 3"
run "watch's CSV header has the rtos column (plot's RTO markers)" 0 ',rtos,' head -1 "$W/a.csv"
# ---- summary and metrics (no module: -a, sock_diag) ---------------------------
run "summary (no module, no -a): exit 4" 4 'not loaded' "$TT" summary
run "summary -4 -6: exit 1" 1 'exclude each other' "$TT" summary -a -4 -6
run "summary -a dport = :nosuchservice: exit 2" 2 'not a port number' "$TT" summary -a dport = :nosuchservice
run "summary -a state all: the table's header, exit 0" 0 '^ALGO +CA_STATE +SOCKETS +RTT ms p50/p90/p99' "$TT" summary -a state all
run "-j summary -a state all: a JSON array" 0 '' bash -c \
	"'$TT' -j summary -a state all | $PY -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not isinstance(d, list))'"
run "metrics (no module, no -a): exit 4" 4 'not loaded' "$TT" metrics
run "metrics -j: exit 1, the text format only" 1 'Prometheus text format only' "$TT" -j metrics -a
run "metrics FILTER: exit 1, takes none" 1 'takes no filter' "$TT" metrics -a dport 1
run "metrics -o (no value): exit 1" 1 'needs a value' "$TT" metrics -a -o
run "metrics -a -o into a missing directory: exit 2" 2 'cannot create a file in its directory' \
	"$TT" metrics -a -o "$W/nosuchdir/m.prom"
# -o: atomic (a new inode each time, no temporary file left), valid
mkdir -p "$W/prom"
"$TT" metrics -a -o "$W/prom/tcptune.prom" 2>/dev/null
ino1=$(stat -c %i "$W/prom/tcptune.prom" 2>/dev/null)
"$TT" metrics -a -o "$W/prom/tcptune.prom" 2>/dev/null
rc=$?
ino2=$(stat -c %i "$W/prom/tcptune.prom" 2>/dev/null)
left=$(ls -A "$W/prom" | grep -v '^tcptune.prom$')
if [ $rc = 0 ] && [ -n "$ino1" ] && [ "$ino1" != "$ino2" ] && [ -z "$left" ] &&
   grep -q '^# TYPE tcptune_sockets gauge$' "$W/prom/tcptune.prom" &&
   [ "$(stat -c %a "$W/prom/tcptune.prom")" = 644 ]; then
	tap_ok "metrics -a -o FILE: renamed over (a new inode), mode 0644, no temporary file left"
else
	tap_fail "metrics -a -o FILE: renamed over" "exit $rc inodes $ino1 $ino2 left: $left"
fi
tap_promtool "metrics -a -o FILE: promtool check metrics passes" "$W/prom/tcptune.prom"
run "metrics -a -o FILE where FILE is a directory: exit 2, nothing left" 2 'Is a directory' \
	bash -c "'$TT' metrics -a -o '$W/prom' ; rc=\$?; [ -z \"\$(ls -A '$W/prom' | grep -v '^tcptune.prom\$')\" ] || exit 9; exit \$rc"
run "monitor dev lo: exit 1, events carry no device" 1 'dev matches sockets, not events' "$TT" monitor dev lo
for d in tcptune-metrics.service tcptune-metrics.timer; do
	if command -v systemd-analyze >/dev/null && [ -d /run/systemd/system ]; then
		run "docs/$d: systemd-analyze verify" 0 '' systemd-analyze verify "$top/docs/$d"
	elif grep -q '^\[Install\]\|^ExecStart=/usr/sbin/tcptune metrics -o ' "$top/docs/$d"; then
		tap_ok "docs/$d: the example unit is there (no systemd to verify it here)"
	else
		tap_fail "docs/$d: the example unit" "$(cat "$top/docs/$d")"
	fi
done

# ---- man page, completion, install ------------------------------------------
out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$TOOLS/tcptune.8" 2>&1 >/dev/null; groff -t -man -Tutf8 -ww -z "$TOOLS/tcptune.8" 2>&1)
if [ -z "$out" ]; then tap_ok "man page: renders without a warning"; else tap_fail "man page: renders without a warning" "$out"; fi
page=$(MANWIDTH=200 man -l "$TOOLS/tcptune.8" 2>/dev/null)
miss=""
for sec in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FIELDS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -q "^$sec" <<<"$page" || miss="$miss section:$sec"
done
for c in $CMDS; do grep -Eq "^       $c( |$)" <<<"$page" || miss="$miss command:$c"; done
for f in "cwnd:" "ssthresh:" "rto:" "rtt:s/v" "retrans:c/t" "delivery_rate" "pacing_rate" "minrtt:" "ss\(8\)" "ip\(8\)"; do
	grep -Eq -- "$f" <<<"$page" || miss="$miss $f"
done
if [ -z "$miss" ]; then tap_ok "man page: sections, every command, the field table, SEE ALSO ss(8) ip(8)"
else tap_fail "man page: sections, every command, the field table" "missing:$miss"; fi

# completion against a stand-in tcptune that answers -j knobs like the kernel would
mkdir -p "$W/bin"
cat >"$W/bin/tcptune" <<'EOF'
#!/bin/sh
case "$*" in
*knobs*) echo '[{"algo":"reno","name":"beta","value":70,"unit":"percent","doc":"x"},{"algo":"reno","name":"iw","unit":"segments"},{"algo":"bbr","name":"headroom","unit":"percent"},{"algo":"bbr","name":"ecn","unit":"bool","doc":"\"unit\":\"bool\""}]' ;;
*algos*) echo '[{"name":"tcptune_reno"},{"name":"tcptune_bbr"}]' ;;
esac
EOF
chmod +x "$W/bin/tcptune"
comp() {	# the words of a command line; prints the completions
	PATH="$W/bin:$PATH" bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_tcptune; printf "%s\n" "${COMPREPLY[@]}"' _ "$TOOLS/completion/tcptune.bash" "$@"
}
run "completion: tcptune kn -> knobs" 0 '^knobs$' comp tcptune kn
run "completion: tcptune set re -> reno.beta= reno.iw= (from tcptune -j knobs)" 0 '^reno\.beta=$' comp tcptune set re
run "completion: tcptune knobs b -> bbr.headroom, bbr" 0 '^bbr\.headroom$' comp tcptune knobs b
run "completion: tcptune sockets ca-state R -> Recovery" 0 '^Recovery$' comp tcptune sockets ca-state R
run "completion: tcptune sockets state est -> established (ss's states)" 0 '^established$' comp tcptune sockets state est
run "completion: tcptune sockets --sort deliv -> delivery_rate_bps, delivery_rate" 0 '^delivery_rate_bps$' comp tcptune sockets --sort deliv
run "completion: tcptune sockets --sort bytes_r -> bytes_retrans" 0 '^bytes_retrans$' comp tcptune sockets --sort bytes_r
run "completion: tcptune sockets --pro -> --processes; --cg -> --cgroup" 0 '^--cgroup$' \
	bash -c "$(declare -f comp); W='$W' TOOLS='$TOOLS'; comp tcptune sockets --pro | grep -qx -- --processes && comp tcptune sockets --cg"
run "help sockets: -P, --processes, --cgroup, the fields" 0 '--processes.*--cgroup.*bytes_retrans.*snd_wnd' \
	bash -c "'$TT' help sockets | tr '\n' ' '"
run "help watch: the per-interval goodput and retransmits" 0 'goodput_bps retrans_delta bytes_retrans_delta' \
	bash -c "'$TT' help watch | tr '\n' ' '"
out="$(comp tcptune su) $(comp tcptune met)"
if [ "$(echo $out)" = "summary metrics" ]; then tap_ok "completion: tcptune su -> summary, tcptune met -> metrics"
else tap_fail "completion: tcptune su -> summary, met -> metrics" "got: $out"; fi
run "completion: tcptune sockets dev l -> lo (the interfaces)" 0 '^lo$' comp tcptune sockets dev l
out="$(comp tcptune summary fwm) $(comp tcptune metrics -- -o)"
if [ "$(echo $out)" = "fwmark -o" ]; then tap_ok "completion: summary fwm -> fwmark, metrics -o -> -o"
else tap_fail "completion: summary fwm -> fwmark, metrics -o" "got: $out"; fi
run "completion: tcptune sockets auto -> autobound" 0 '^autobound$' comp tcptune sockets auto
# after "=": readline replaces only what follows it (COMP_WORDBREAKS has "="),
# so the values alone, or the line becomes bbr.ecn==on
out=$(comp tcptune set bbr.ecn=)
if [ "$(echo $out)" = "on off" ]; then tap_ok "completion: set bbr.ecn= -> on off, the values alone"
else tap_fail "completion: set bbr.ecn= -> on off, the values alone" "got: $out"; fi
out=$(comp tcptune set reno.beta=)
if [ -z "$out" ]; then tap_ok "completion: set reno.beta= -> nothing (an integer knob: no on/off)"
else tap_fail "completion: set reno.beta= -> nothing (an integer knob)" "got: $out"; fi
run "completion: tcptune monitor type recovery,l -> recovery,loss (after the comma)" 0 '^recovery,loss$' \
	comp tcptune monitor type recovery,l
run "completion: tcptune monitor -ts -> -ts" 0 '^-ts$' comp tcptune monitor -ts
run "completion: tcptune plot --l -> --log" 0 '^--log$' comp tcptune plot --l
run "completion: abbreviated command, tcptune se re -> reno.beta=" 0 '^reno\.beta=$' comp tcptune se re
run "completion: abbreviated command, tcptune kn b -> bbr.headroom" 0 '^bbr\.headroom$' comp tcptune kn b
if ! grep -qi python "$TOOLS/completion/tcptune.bash"; then
	tap_ok "completion: needs no python3 (the script runs none)"
else
	tap_fail "completion: needs no python3" "$(grep -n -i python "$TOOLS/completion/tcptune.bash")"
fi

rm -rf "$W/root"
run "make install DESTDIR= PREFIX=/usr: binary, man page, completion" 0 '' bash -c \
	"make -s -C '$TOOLS' install DESTDIR='$W/root' PREFIX=/usr >/dev/null &&
	 test -x '$W/root/usr/sbin/tcptune' && test -f '$W/root/usr/share/man/man8/tcptune.8' &&
	 test -f '$W/root/usr/share/bash-completion/completions/tcptune'"
run "make install MANDIR=: honoured" 0 '' bash -c \
	"make -s -C '$TOOLS' install DESTDIR='$W/root2' PREFIX=/opt/tt MANDIR=/opt/man >/dev/null &&
	 test -f '$W/root2/opt/man/man8/tcptune.8' && test -x '$W/root2/opt/tt/sbin/tcptune'"

tap_done
