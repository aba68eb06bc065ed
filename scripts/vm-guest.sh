#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (called by vm-run.sh): load tcptune.ko, run the command,
# then check the kernel for anything that must fail the run.
#   vm-guest.sh LOAD KO CMD [ARGS...]
#
# LOAD is 1 to insmod KO (the .ko file) before CMD, 0 not to.  TCPTUNE_KO is
# exported as KO either way, so that a suite that unloads and reloads the
# module loads the same file.  TCPTUNE_KTREE (set by vm-run.sh -k DIR) is
# the booted kernel tree, whose modules are made findable.
#
# The kernel log is read from /dev/kmsg by sequence number, so the part
# written during the run is exactly known (and a log that lost records during
# the run fails it: it cannot be vouched for).  Problems reported before the
# command (at boot) are printed but not blamed on the run.
#
# On a debug kernel (scripts/debug-kernel.sh: kmemleak in debugfs), also:
#   - kmemleak: before the command, a scan whose suspects are printed as boot
#     noise and then cleared; after it, two scans 6 s apart: any suspect left
#     fails the run, with kmemleak's report;
#   - lockdep: debug_locks in /proc/lockdep_stats must be 1 after the run (an
#     oops or a lockdep splat turns lockdep off for good; 0 before the command
#     fails too: the run would prove nothing about locking).
#
# Exit: CMD's status; 98 if the insmod failed; 99 if the kernel reported a
# problem during the run.
#
# The canary (TCPTUNE_CANARY: .ko files; TCPTUNE_CANARY_OUT: the file for
# its verdict): once the run is judged, the checks above must be seen to
# fail.  The canary modules are loaded (the kernel's kasan_test_module and
# kmemleak-test: out-of-bounds accesses, leaked objects) and the same checks
# run again over the log from there on: the verdict is "ok" only if they
# find a KASAN report and a kmemleak leak.  It does not change the exit
# status: the run's own log ends before the canary's first record.
set -u
load=$1
ko=$2
shift 2
# where the guest's time goes (the boot, kmemleak's scans, the command)
uptime_note() { echo "vm-guest: $1 at $(cut -d' ' -f1 /proc/uptime) s of guest uptime" >&2; }
uptime_note "start"
# vm-run.sh -b: the mark that the boot is over
[ -z "${TCPTUNE_STARTED:-}" ] || : >"$TCPTUNE_STARTED"

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export TCPTUNE_KO=$ko
PY=/usr/bin/python3

# The kernel log records from sequence number $1 on, one line each, as
# "[seconds] text" (continuation lines folded); "next" prints the sequence
# number the next record will get.  A gap (records overwritten before they
# were read) is reported in a line starting "vm-guest: LOST".
kmsg() {
	"$PY" - "$1" <<'EOF'
import errno, os, sys
arg = sys.argv[1]
fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
start = None if arg == "next" else int(arg)
last = -1
lost = False
out = []
while True:
    try:
        rec = os.read(fd, 65536).decode("utf-8", "replace")
    except BlockingIOError:
        break
    except OSError as e:
        if e.errno == errno.EPIPE:      # overwritten under us: go on
            lost = True
            continue
        raise
    head, _, text = rec.partition(";")
    fields = head.split(",")
    seq = int(fields[1])
    if start is not None and last < 0 and seq > start:
        lost = True
    last = seq
    if start is None or seq < start:
        continue
    text = text.split("\n")[0]
    out.append("[%12.6f] %s" % (int(fields[2]) / 1e6, text))
if start is None:
    print(last + 1)
else:
    if lost:
        print("vm-guest: LOST kernel log records at or after %d" % start)
    sys.stdout.write("".join(s + "\n" for s in out))
EOF
}

# Lines of a kernel log that must fail a run.  Generic (WARN, BUG, oops),
# KASAN, KFENCE, UBSAN, lockdep, RCU (suspicious use, stalls), sleeping in
# atomic context, refcount_t, list and object debugging, SLUB, hung tasks,
# soft lockups, kmemleak.
bad='WARNING:|BUG:|BUG [^ ]+ \((Not t|T)ainted\)|Oops|general protection|Call Trace|kernel BUG'
bad+='|Kernel panic|KASAN|KFENCE|UBSAN|refcount_t:|list_(add|del) (corruption|double add)|list corruption'
bad+='|ODEBUG:|DEBUG_LOCKS_WARN_ON|possible (circular|recursive) locking|inconsistent lock state'
bad+='|lock inversion|bad unlock balance|held lock freed|lock held when returning'
bad+='|lock held at task exit|suspicious RCU'
bad+='|non-static key|turning off the locking correctness validator|MAX_LOCKDEP'
bad+='|self-detected stall|detected stalls|detected expedited stalls|kthread starved|RCU stall'
bad+='|sleeping function called from invalid context'
bad+='|scheduling while atomic|blocked for more than|soft lockup|hard LOCKUP'
bad+='|unreferenced object|suspected memory leak|stack-protector|stack guard page'
bad+='|corrupted stack end|Unable to handle'
# Lines that never are a problem (they match nothing above today; kept so
# that a broad pattern cannot turn them into failures).
benign='loading out-of-tree|module verification failed|tcptune vm-guest: run'

# A kernel tree booted by vng (-k DIR): vng does not serve its modules when
# the host's root is the guest's, so /lib/modules/<release> is missing; do
# what virtme-init does for a tree (a tmpfs /lib/modules, this release's
# directory a link to the tree's .virtme_mods), so that modprobe and the
# kernel's request_module find the tree's modules (tcp_vegas, tcp_bbr, ...).
kver=$(uname -r)
kmods=${TCPTUNE_KTREE:-}/.virtme_mods/lib/modules/0.0.0
if [ -n "${TCPTUNE_KTREE:-}" ] && [ ! -e "/lib/modules/$kver" ] && [ -f "$kmods/modules.dep" ]; then
	mount -n -t tmpfs none /lib/modules && ln -s "$kmods" "/lib/modules/$kver" ||
		echo "vm-guest: could not put $kmods at /lib/modules/$kver" >&2
fi

debugfs=/sys/kernel/debug
mountpoint -q "$debugfs" 2>/dev/null || mount -t debugfs none "$debugfs" 2>/dev/null
kml=$debugfs/kmemleak
debug=0
[ -e "$kml" ] && debug=1

debug_locks() { awk '/debug_locks:/ { print $2 }' /proc/lockdep_stats 2>/dev/null; }

# kmemleak: scan $1 times ($2 s apart), print the suspects' report.
kmemleak_scan() {
	local i
	for ((i = 1; i <= $1; i++)); do
		[ "$i" -gt 1 ] && sleep "$2"
		echo scan >"$kml" 2>/dev/null || { echo "vm-guest: kmemleak scan failed (kmemleak off?)"; return; }
	done
	cat "$kml"
}

# canary: see the top.  The verdict line goes to TCPTUNE_CANARY_OUT and
# stderr: "ok|fail: KASAN reports N, kmemleak reports M (canary: ...)".
canary() {
	local m k from cl leaks n_kasan n_leaks v
	from=$(kmsg next)
	echo "tcptune vm-guest: canary starts: $TCPTUNE_CANARY" >/dev/kmsg 2>/dev/null
	# (kasan_test_module refuses to stay loaded once it has run)
	for m in $TCPTUNE_CANARY; do insmod "$m" >/dev/null 2>&1; done
	leaks=
	[ "$debug" = 1 ] && leaks=$(kmemleak_scan 2 6)
	cl=$(kmsg "$from" | grep -Ev "$benign")
	# the same two checks as the run's: the log's pattern, kmemleak's report
	n_kasan=$(grep -E "$bad" <<<"$cl" | grep -c 'BUG: KASAN')
	n_leaks=$(grep -c 'unreferenced object' <<<"$leaks")
	v=fail
	[ "$n_kasan" -gt 0 ] && [ "$n_leaks" -gt 0 ] && v=ok
	k="$v: KASAN reports $n_kasan, kmemleak reports $n_leaks (canary: $TCPTUNE_CANARY)"
	echo "vm-guest: canary: $k" >&2
	[ $v = fail ] && printf '%s\n' "$cl" | tail -n 30 >&2
	[ -n "${TCPTUNE_CANARY_OUT:-}" ] && echo "$k" >"$TCPTUNE_CANARY_OUT"
}

fail=0
boot_locks=
if [ "$debug" = 1 ]; then
	# Suspects from before the command: print, then stop reporting them.
	pre=$(kmemleak_scan 2 1)
	if [ -n "$pre" ]; then
		echo "vm-guest: kmemleak suspects from before the command (boot; not blamed on the run):" >&2
		printf '%s\n' "$pre" >&2
	fi
	echo clear >"$kml"
	boot_locks=$(debug_locks)
	uptime_note "kmemleak's scans before the command done"
fi

boot=$(kmsg 0 | grep -Ev "$benign" | grep -E "$bad")
if [ -n "$boot" ]; then
	echo "vm-guest: the kernel log reports problems from before the command (boot; not blamed on the run):" >&2
	printf '%s\n' "$boot" >&2
fi
mark=$(kmsg next)
echo "tcptune vm-guest: run starts: $*" >/dev/kmsg 2>/dev/null

if [ "$load" = 1 ]; then
	if ! insmod "$ko"; then
		echo "vm-guest: insmod $ko failed" >&2
		exit 98
	fi
fi

"$@"
rc=$?

uptime_note "the command ended"
leaks=
if [ "$debug" = 1 ]; then
	leaks=$(kmemleak_scan 2 6)
	uptime_note "kmemleak's scans after the command done"
fi
echo "tcptune vm-guest: run ends: status $rc" >/dev/kmsg 2>/dev/null
log=$(kmsg "$mark" | grep -Ev "$benign")

if grep -q '^vm-guest: LOST' <<<"$log"; then
	echo "vm-guest: kernel log records of the run were lost (log buffer too small): the run cannot be vouched for" >&2
	fail=1
fi
if grep -Eq "$bad" <<<"$log"; then
	echo "vm-guest: the kernel log reports a problem during the run:" >&2
	fail=1
fi
if [ -n "$leaks" ]; then
	echo "vm-guest: kmemleak reports unreferenced objects after the run:" >&2
	printf '%s\n' "$leaks" >&2
	fail=1
fi
if [ -n "$boot_locks" ]; then
	if [ "$boot_locks" != 1 ]; then
		echo "vm-guest: lockdep was already off before the command (debug_locks $boot_locks): the run proves nothing about locking" >&2
		fail=1
	elif [ "$(debug_locks)" != 1 ]; then
		echo "vm-guest: lockdep turned itself off during the run (debug_locks $(debug_locks)): a lock or oops report came first" >&2
		fail=1
	fi
fi
if [ "$fail" = 1 ]; then
	echo "vm-guest: kernel log of the run:" >&2
	printf '%s\n' "$log" >&2
fi
[ -n "${TCPTUNE_CANARY:-}" ] && canary
[ "$fail" = 1 ] && exit 99
exit $rc
