#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run.sh's boot watchdog (-b SECS), output and signals, on the host, with a stand-in
# for vng first on PATH (no VM is booted; -M: no module to load):
#   - a guest that starts (leaves the mark vm-guest.sh leaves) and exits 7:
#     vm-run.sh waits for it past the bound and returns its 7 (control), the
#     mark removed after;
#   - a boot that hangs (no mark; the stand-in and a child of it sleep):
#     exit 125 within the bound and a few seconds, the whole group gone;
#   - a guest that exits before the bound without the mark: its status;
#   - vm-run.sh hung up (SIGHUP, a terminal gone) while the guest runs:
#     exit 129, the VM's whole group gone, the VM lock free again;
#   - a guest whose output comes as qemu writes it (by opening and so
#     truncating /proc/self/fd/1 and 2): the caller's log keeps what it
#     had, and gets each line once; with -b and without it (scripts/demo.sh
#     and the benchmarks run without);
#   - without -b too, vm-run.sh hung up: exit 129, the VM's group gone;
#   - -R 2: a boot that hangs once and then starts: booted again, the
#     guest's status; a boot that always hangs: two boots, then 125;
#   - -b without -o, or not a number, -R without -b or not a count: exit 2
#     with the reason, nothing run.
# The lock is a private file (TCPTUNE_VM_LOCK), so that a VM running on the
# machine does not hold this test up.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/lib/tap.sh"

tmp=$(mktemp -d)
cleanup() {
	local f
	for f in "$tmp"/*.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/bin" "$tmp/out"
export TCPTUNE_VM_LOCK=$tmp/lock
# The stand-in: MODE from $tmp/mode; the guest's start mark is the path in
# "env TCPTUNE_STARTED=PATH" of --exec's command.
cat >"$tmp/bin/vng" <<EOF
#!/bin/bash
cmd=\${@: -1}
mark=\$(sed -n 's/.*TCPTUNE_STARTED=\([^ ]*\).*/\1/p' <<<"\$cmd")
echo "\$\$" >"$tmp/vng.pid"
mark() { [ -z "\$mark" ] || : >"\$mark"; }	# none without -b
case \$(cat "$tmp/mode") in
start)	sleep 1; : >"\$mark"; sleep 4; exit 7 ;;
long)	mark; sleep 40 & echo \$! >"$tmp/child.pid"; sleep 40 ;;
hang)	sleep 40 & echo \$! >"$tmp/child.pid"; sleep 40 ;;
early)	sleep 1; exit 3 ;;
once)	echo boot >>"$tmp/boots"	# hangs on its first boot only
	[ "\$(wc -l <"$tmp/boots")" -gt 1 ] || { sleep 40 & echo \$! >"$tmp/child.pid"; sleep 40; }
	: >"\$mark"; exit 7 ;;
files)	# as qemu's file chardevs: open (and truncate) /proc/self/fd/1 and 2
	mark
	/usr/bin/python3 -c 'import sys
for fd, text in ((1, "guest out\\n"), (2, "guest err\\n")):
    with open("/proc/self/fd/%d" % fd, "w") as f:
        f.write(text)'
	exit 0 ;;
esac
EOF
chmod +x "$tmp/bin/vng"
vmrun() { PATH=$tmp/bin:$PATH "$top/scripts/vm-run.sh" -k 6.1.0-0-amd64 -M "$@" -- true; }
run() {	# MODE ARGS...: vm-run.sh's status in $rc, its seconds in $took
	echo "$1" >"$tmp/mode"
	shift
	rm -f "$tmp/vng.pid" "$tmp/child.pid"
	local t=$SECONDS
	vmrun "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	took=$((SECONDS - t))
}
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

tap_plan 12

run start -o "$tmp/out" -b 3
if [ $rc = 7 ] && [ $took -ge 5 ]; then
	tap_ok "a guest that starts within the bound runs on past it: its exit status (7) after ${took} s"
	[ ! -e "$tmp/out/.vm-started" ] && tap_ok "... and the start mark is removed after the run" ||
		tap_fail "... and the start mark is removed after the run" "$tmp/out/.vm-started is there"
else
	tap_fail "a guest that starts within the bound runs on past it" "exit $rc after $took s: $(cat "$tmp/stderr")"
	tap_fail "... and the start mark is removed after the run" "the run above failed"
fi

run hang -o "$tmp/out" -b 3
sleep 1
if [ $rc = 125 ] && [ $took -le 15 ] && grep -q "did not start within 3 s" "$tmp/stderr"; then
	tap_ok "a boot that hangs: exit 125 after ${took} s, with the reason"
	if [ -s "$tmp/child.pid" ] && ! alive "$tmp/vng.pid" && ! alive "$tmp/child.pid"; then
		tap_ok "... and the VM's whole process group is gone"
	else
		tap_fail "... and the VM's whole process group is gone" \
			"stand-in $(cat "$tmp/vng.pid" 2>/dev/null), child $(cat "$tmp/child.pid" 2>/dev/null)"
	fi
else
	tap_fail "a boot that hangs: exit 125 within the bound" "exit $rc after $took s: $(cat "$tmp/stderr")"
	tap_fail "... and the VM's whole process group is gone" "the run above failed"
fi

run early -o "$tmp/out" -b 10
[ $rc = 3 ] && [ $took -lt 10 ] && tap_ok "a guest that ends before the bound without the mark: its status (3), at once" ||
	tap_fail "a guest that ends before the bound without the mark: its status" "exit $rc after $took s"

# hung up while the guest runs
hangup() {	# NAME ARGS...: vm-run.sh ARGS in the background, then SIGHUP
	local name=$1 pid
	shift
	echo long >"$tmp/mode"
	rm -f "$tmp/vng.pid" "$tmp/child.pid"
	# (a simple command in the background: $! is vm-run.sh itself)
	PATH=$tmp/bin:$PATH "$top/scripts/vm-run.sh" -k 6.1.0-0-amd64 -M "$@" -- true \
		>/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do [ -s "$tmp/child.pid" ] && break; sleep 0.1; done
	kill -HUP $pid
	wait $pid
	rc=$?
	sleep 1
	if [ -s "$tmp/child.pid" ] && [ $rc = 129 ] && ! alive "$tmp/vng.pid" && ! alive "$tmp/child.pid" &&
	   flock -n "$TCPTUNE_VM_LOCK" true; then
		tap_ok "$name: exit 129, the VM's group gone, the lock free"
	else
		tap_fail "$name: exit 129, the VM's group gone, the lock free" \
			"exit $rc; stand-in alive: $(alive "$tmp/vng.pid" && echo yes || echo no); child: $(alive "$tmp/child.pid" && echo yes || echo no)"
	fi
}
hangup "vm-run.sh hung up while the guest runs" -o "$tmp/out" -b 10
hangup "without -b: vm-run.sh hung up while the guest runs"

# the guest's output into a log that has a line already
logged() {	# NAME ARGS...
	local name=$1
	shift
	echo files >"$tmp/mode"
	echo "caller's line" >"$tmp/log"
	vmrun "$@" >>"$tmp/log" 2>&1
	rc=$?
	if [ $rc = 0 ] && [ "$(sort "$tmp/log" | paste -sd '|')" = "caller's line|guest err|guest out" ] &&
	   [ "$(head -1 "$tmp/log")" = "caller's line" ]; then
		tap_ok "$name: appended to the caller's log, each line once"
	else
		tap_fail "$name: appended to the caller's log, each line once" \
			"exit $rc; log: $(paste -sd '|' "$tmp/log")"
	fi
}
logged "the guest's output, opened as files the way qemu does" -o "$tmp/out" -b 5
logged "without -b: the guest's output, opened as files the way qemu does"

rm -f "$tmp/boots"
run once -o "$tmp/out" -b 3 -R 2
if [ $rc = 7 ] && [ "$(wc -l <"$tmp/boots")" = 2 ] && grep -q "booting again (2 of 2)" "$tmp/stderr" &&
   ! alive "$tmp/child.pid"; then
	tap_ok "-R 2, a boot that hangs once: booted again, the guest's status (7), the hung VM gone"
else
	tap_fail "-R 2, a boot that hangs once: booted again, the guest's status" \
		"exit $rc after $took s, $(wc -l <"$tmp/boots" 2>/dev/null) boots: $(cat "$tmp/stderr")"
fi
run hang -o "$tmp/out" -b 2 -R 2
sleep 1
if [ $rc = 125 ] && [ "$(grep -c "did not start within 2 s" "$tmp/stderr")" = 2 ] && ! alive "$tmp/child.pid"; then
	tap_ok "-R 2, a boot that always hangs: two boots stopped, then exit 125"
else
	tap_fail "-R 2, a boot that always hangs: two boots stopped, then exit 125" "exit $rc after $took s: $(cat "$tmp/stderr")"
fi

bad=()
# "ARGS|MESSAGE"; ARGS split at spaces (the quotes are the message's)
# shellcheck disable=SC2089,SC2090,SC2086
for args in "-b 3|-b needs -o" "-o $tmp/out -b 3s|-b wants seconds, not '3s'" \
	    "-o $tmp/out -R 2|-R needs -b" "-o $tmp/out -b 3 -R x|-R wants a count, not 'x'"; do
	run start ${args%%|*}
	{ [ $rc = 2 ] && grep -qF -- "${args#*|}" "$tmp/stderr" && [ ! -e "$tmp/vng.pid" ]; } ||
		bad+=("${args%%|*}: exit $rc, $(cat "$tmp/stderr")")
done
if [ ${#bad[@]} = 0 ]; then
	tap_ok "-b without -o, -b 3s, -R without -b, -R x: exit 2, each with its reason, no VM"
else
	tap_fail "-b without -o, -b 3s, -R without -b, -R x: exit 2, each with its reason, no VM" "${bad[*]}"
fi
tap_done
