#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/vm-run.sh's boot watchdog (-b SECS), on the host, with a stand-in
# for vng first on PATH (no VM is booted):
#   - a guest that starts (leaves the mark vm-guest.sh leaves) and exits 7:
#     vm-run.sh waits for it past the bound and returns its 7 (control);
#   - a boot that hangs (no mark; the stand-in and a child of it sleep):
#     exit 125 within the bound and a few seconds, the whole group gone;
#   - a guest that exits before the bound without the mark: its status;
#   - -b without -o, or not a number: exit 2, nothing run.
# The lock is a private file (TCPTUNE_VM_LOCK), so that a VM running on the
# machine does not hold this test up.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/selftests/lib/tap.sh"

tmp=$(mktemp -d)
trap 'pkill -f "$tmp/" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/out"
export TCPTUNE_VM_LOCK=$tmp/lock
# The stand-in: MODE from $tmp/mode; the guest's start mark is the path in
# "env TCPTUNE_STARTED=PATH" of --exec's command.
cat >"$tmp/bin/vng" <<EOF
#!/bin/bash
cmd=\${@: -1}
mark=\$(sed -n 's/.*TCPTUNE_STARTED=\([^ ]*\).*/\1/p' <<<"\$cmd")
echo "\$\$" >"$tmp/vng.pid"
case \$(cat "$tmp/mode") in
start)	sleep 1; : >"\$mark"; sleep 4; exit 7 ;;
hang)	sleep 40 & echo \$! >"$tmp/child.pid"; sleep 40 ;;
early)	sleep 1; exit 3 ;;
esac
EOF
chmod +x "$tmp/bin/vng"
ko=$top/module/tcptune.ko
[ -f "$ko" ] || ko=$tmp/fake.ko	# vm-run.sh checks that it exists
: >"$tmp/fake.ko"
run() {	# MODE ARGS...: vm-run.sh's status in $rc, its seconds in $took
	echo "$1" >"$tmp/mode"
	shift
	local t=$SECONDS
	PATH=$tmp/bin:$PATH "$top/scripts/vm-run.sh" -k 6.1.0-0-amd64 -m "$ko" "$@" \
		-- true >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	took=$((SECONDS - t))
}
alive() { kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

tap_plan 6

run start -o "$tmp/out" -b 3
if [ $rc = 7 ] && [ $took -ge 5 ]; then
	tap_ok "a guest that starts within the bound runs on past it: its exit status (7) after ${took} s"
else
	tap_fail "a guest that starts within the bound runs on past it" "exit $rc after $took s: $(cat "$tmp/stderr")"
fi
[ ! -e "$tmp/out/.vm-started" ] && tap_ok "the start mark is removed after the run" ||
	tap_fail "the start mark is removed after the run" "$tmp/out/.vm-started is there"

run hang -o "$tmp/out" -b 3
sleep 1
if [ $rc = 125 ] && [ $took -le 12 ] && grep -q "did not start within 3 s" "$tmp/stderr"; then
	tap_ok "a boot that hangs: exit 125 after ${took} s, with the reason"
else
	tap_fail "a boot that hangs: exit 125 within the bound" "exit $rc after $took s: $(cat "$tmp/stderr")"
fi
if ! alive "$tmp/vng.pid" && ! alive "$tmp/child.pid"; then
	tap_ok "... and the VM's whole process group is gone"
else
	tap_fail "... and the VM's whole process group is gone" "still running: $(cat "$tmp/vng.pid" "$tmp/child.pid")"
fi

run early -o "$tmp/out" -b 10
[ $rc = 3 ] && [ $took -lt 10 ] && tap_ok "a guest that ends before the bound without the mark: its status (3), at once" ||
	tap_fail "a guest that ends before the bound without the mark: its status" "exit $rc after $took s"

rm -f "$tmp/vng.pid"
run start -b 3
rc1=$rc
run start -o "$tmp/out" -b 3s
if [ $rc1 = 2 ] && [ $rc = 2 ] && [ ! -e "$tmp/vng.pid" ]; then
	tap_ok "-b without -o, and -b 3s: exit 2, no VM"
else
	tap_fail "-b without -o, and -b 3s: exit 2, no VM" "exits $rc1, $rc; vng ran: $([ -e "$tmp/vng.pid" ] && echo yes || echo no)"
fi
tap_done
