#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (called by vm-run.sh): load tcptune.ko, run the command,
# then scan the kernel log of the run for anything that must fail it.
#   vm-guest.sh LOAD CMD [ARGS...]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
load=$1; shift

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mark=$(dmesg | wc -l)

if [ "$load" = 1 ]; then
	if ! insmod "$top/module/tcptune.ko"; then
		echo "vm-guest: insmod $top/module/tcptune.ko failed" >&2
		exit 98
	fi
fi

"$@"
rc=$?

bad='WARNING:|BUG:|Oops|general protection|Call Trace|KASAN|UBSAN|kernel BUG|RCU stall|possible circular locking|suspicious RCU|unreferenced object|refcount_t:'
if dmesg | tail -n +"$((mark + 1))" | grep -Eq "$bad"; then
	echo "vm-guest: the kernel log reports a problem during the run:" >&2
	dmesg | tail -n +"$((mark + 1))" | grep -v 'loading out-of-tree\|module verification failed' >&2
	exit 99
fi
exit $rc
