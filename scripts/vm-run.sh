#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM once and run a command in it with tcptune.ko loaded.
#
#   scripts/vm-run.sh [-k KERNEL] [-m KO] [-o OUTDIR] [-t SECS] [-b SECS [-R N]] [-M] [-C "KO..."] -- CMD [ARGS...]
#
#   -k KERNEL  an installed kernel release (default: scripts/vm-kernel.sh),
#              the path of a built kernel tree (scripts/debug-kernel.sh), or
#              of ROOT/boot/vmlinuz-RELEASE in another root whose
#              ROOT/lib/modules/RELEASE has its modules (scripts/trixie-root.sh)
#   -m KO      the module file to insmod (default: this checkout's
#              module/tcptune.ko); it must be built against KERNEL
#   -o OUTDIR  host directory the guest may write (results come back there)
#   -t SECS    stop the VM after SECS seconds (exit 124)
#   -b SECS    stop the VM if the guest has not started CMD's script
#              (vm-guest.sh) within SECS seconds of the boot (exit 125: a
#              boot that hung, seen about once in a hundred TCG boots; the
#              caller may boot again); needs -o, where the guest leaves a
#              start mark
#   -R N       with -b: boot up to N times in all while the boot hangs
#              (exit 125 after the N-th)
#   -M         do not insmod the module before CMD
#   -C "KO..." after CMD and the checks of its run, load these canary
#              modules (a debug kernel's kasan_test_module, kmemleak-test)
#              and check that the same checks find their reports; the
#              verdict goes to OUTDIR/canary.result (needs -o), not into
#              the exit status (scripts/vm-guest.sh)
#
# The guest sees the host's files read-only (this checkout included), runs as
# root, and its exit status is returned.  KVM is used only where the CPU has
# vmx or svm; otherwise QEMU emulates (TCG).  Only one VM runs at a time on
# this machine: a second caller waits for the first (flock on
# $TCPTUNE_VM_LOCK, default /tmp/tcptune-vm.lock).
#
# A crash, oops, WARN, BUG, KASAN/KFENCE/UBSAN report, lockdep or RCU splat,
# ... in the guest's kernel log during the run fails the run (exit 99), with
# the log; on a debug kernel so do kmemleak suspects and lockdep turning
# itself off (scripts/vm-guest.sh).  In the guest, TCPTUNE_KO names the .ko.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=
ko=$top/module/tcptune.ko
outdir=
secs=
boot=
tries=1
load=1
canary=
while getopts "k:m:o:t:b:R:MC:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	m) ko=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) secs=$OPTARG ;;
	b) boot=$OPTARG ;;
	R) tries=$OPTARG ;;
	M) load=0 ;;
	C) canary=$OPTARG ;;
	*) sed -n '4,28p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "vm-run.sh: no command" >&2; exit 2; }

[ -n "$kernel" ] || kernel=$("$top/scripts/vm-kernel.sh")
ktree=
if [[ $kernel == */* ]] && [ -f "$kernel" ]; then
	# A kernel image in another root (ROOT/boot/vmlinuz-RELEASE, the 7.x
	# kernel in scripts/trixie-root.sh's root): vng boots it with the host's
	# root and links ROOT/lib/modules/RELEASE in as the guest's modules.
	kernel=$(realpath "$kernel")
	[ -d "${kernel%/boot/*}/lib/modules/${kernel##*/vmlinuz-}" ] ||
		{ echo "vm-run.sh: no modules for $kernel (want ROOT/lib/modules/RELEASE beside ROOT/boot/vmlinuz-RELEASE)" >&2; exit 2; }
elif [[ $kernel == */* ]]; then
	# A kernel tree: vng boots its bzImage and serves its modules.
	kernel=$(cd "$kernel" && pwd)
	ktree=$kernel
	[ -f "$kernel/arch/x86/boot/bzImage" ] ||
		{ echo "vm-run.sh: $kernel is not a built kernel tree (no arch/x86/boot/bzImage)" >&2; exit 2; }
fi

# The guest sees the host's files, except /tmp (a guest-private overlay).
ko=$(realpath -m "$ko")
if [ "$load" = 1 ]; then
	[ -f "$ko" ] || { echo "vm-run.sh: no module $ko" >&2; exit 2; }
	case $ko in
	/tmp/*) echo "vm-run.sh: the guest cannot see $ko (its /tmp is private)" >&2; exit 2 ;;
	esac
fi

args=(--run "$kernel" --cpus 2 --memory 3G)
if ! grep -qE '\b(vmx|svm)\b' /proc/cpuinfo || [ ! -w /dev/kvm ]; then
	args+=(--disable-kvm)
fi
if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	args+=(--rwdir "$(cd "$outdir" && pwd)")
fi

# Quote the command for the guest shell.
cmd=$(printf '%q ' "$@")
guest="$top/scripts/vm-guest.sh $load $(printf '%q' "$ko") $cmd"
# A kernel tree's modules: vm-guest.sh puts them under /lib/modules.
[ -n "$ktree" ] && guest="env TCPTUNE_KTREE=$(printf '%q' "$ktree") $guest"
if [ -n "$canary" ]; then
	[ -n "$outdir" ] || { echo "vm-run.sh: -C needs -o" >&2; exit 2; }
	rm -f "$outdir/canary.result"
	guest="env TCPTUNE_CANARY=$(printf '%q' "$canary") TCPTUNE_CANARY_OUT=$(printf '%q' "$(cd "$outdir" && pwd)/canary.result") $guest"
fi

if [ -n "$boot" ]; then
	[[ $boot =~ ^[1-9][0-9]*$ ]] || { echo "vm-run.sh: -b wants seconds, not '$boot'" >&2; exit 2; }
	[ -n "$outdir" ] || { echo "vm-run.sh: -b needs -o" >&2; exit 2; }
	[[ $tries =~ ^[1-9][0-9]*$ ]] || { echo "vm-run.sh: -R wants a count, not '$tries'" >&2; exit 2; }
	started=$(cd "$outdir" && pwd)/.vm-started
	guest="env TCPTUNE_STARTED=$(printf '%q' "$started") $guest"
elif [ "$tries" != 1 ]; then
	echo "vm-run.sh: -R needs -b" >&2
	exit 2
fi

exec 9>"${TCPTUNE_VM_LOCK:-/tmp/tcptune-vm.lock}"
flock 9
# vng checks --rwdir paths relative to the current directory: run from /.
cd /
run=(vng "${args[@]}" --exec "$guest")
# timeout signals its whole process group: vng and its qemu.
[ -z "$secs" ] || run=(timeout --kill-after=30 "$secs" "${run[@]}")
# The VM in a session of its own, so that a hung boot is stopped whole;
# so is the VM when this script is stopped (HUP, INT, QUIT, TERM: a
# terminal that hangs up or a Ctrl-C no longer reaches it directly).  Only
# a SIGKILL of this script leaves it running, as it did timeout's.
vm=
stop_vm() {
	[ -n "$vm" ] || return 0
	kill -TERM -- -"$vm" 2>/dev/null || return 0
	for ((i = 0; i < 10; i++)); do
		kill -0 -- -"$vm" 2>/dev/null || return 0
		sleep 1
	done
	kill -KILL -- -"$vm" 2>/dev/null || true
}
trap 'stop_vm; exit 129' HUP
trap 'stop_vm; exit 130' INT
trap 'stop_vm; exit 131' QUIT
trap 'stop_vm; exit 143' TERM
# vng has qemu open the guest's stdout and stderr as files named
# /proc/self/fd/1 and /proc/self/fd/2: on a log file that truncates it
# and writes from its start, over what was there and over each other.
# Through pipes every line comes once, in order; they are drained before
# the exit.  (With or without -b: `scripts/demo.sh >log` is a log file
# too.)
exec 3>&1 4>&2
exec 1> >(cat >&3)
out_cat=$!
exec 2> >(cat >&4)
err_cat=$!
drain() { exec 1>&3 2>&4; wait "$out_cat" "$err_cat" 2>/dev/null; }
for ((try = 1; ; try++)); do
	[ -z "$boot" ] || rm -f "$started"
	setsid "${run[@]}" </dev/null 3>&- 4>&- &
	vm=$!
	[ -n "$boot" ] || break
	for ((i = 0; i < boot; i++)); do
		[ -e "$started" ] || ! kill -0 "$vm" 2>/dev/null && break
		sleep 1
	done
	[ ! -e "$started" ] && kill -0 "$vm" 2>/dev/null || break
	echo "vm-run.sh: the guest did not start within $boot s: stopping the VM" >&2
	stop_vm
	wait "$vm" 2>/dev/null || true
	if [ "$try" -ge "$tries" ]; then
		drain
		exit 125
	fi
	echo "vm-run.sh: booting again ($((try + 1)) of $tries)" >&2
done
rc=0
wait "$vm" || rc=$?
[ -z "$boot" ] || rm -f "$started"
drain
exit $rc
