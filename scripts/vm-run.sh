#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM once and run a command in it with tcptune.ko loaded.
#
#   scripts/vm-run.sh [-k KVER] [-o OUTDIR] [-M] -- CMD [ARGS...]
#
#   -k KVER    kernel release to boot (default: scripts/vm-kernel.sh)
#   -o OUTDIR  host directory the guest may write (results come back there)
#   -M         do not insmod the module before CMD
#
# The guest sees the host's files read-only (this checkout included), runs as
# root, and its exit status is returned.  KVM is used only where the CPU has
# vmx or svm; otherwise QEMU emulates (TCG).  Only one VM runs at a time on
# this machine: a second caller waits for the first (flock).
#
# A crash, oops, WARN, BUG, KASAN/UBSAN report or lockdep splat in the
# guest's kernel log during the run fails the run (exit 99), with the log.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kver=
outdir=
load=1
while getopts "k:o:M" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	o) outdir=$OPTARG ;;
	M) load=0 ;;
	*) sed -n '4,12p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "vm-run.sh: no command" >&2; exit 2; }

[ -n "$kver" ] || kver=$("$top/scripts/vm-kernel.sh")
kvm=--disable-kvm
if grep -qE '\b(vmx|svm)\b' /proc/cpuinfo && [ -w /dev/kvm ]; then
	kvm=
fi

args=(--run "$kver" $kvm --cpus 2 --memory 3G)
if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	args+=(--rwdir "$(cd "$outdir" && pwd)")
fi

# Quote the command for the guest shell.
cmd=$(printf '%q ' "$@")
guest="$top/scripts/vm-guest.sh $load $cmd"

exec 9>/tmp/tcptune-vm.lock
flock 9
# vng checks --rwdir paths relative to the current directory: run from /.
cd /
exec vng "${args[@]}" --exec "$guest" </dev/null
