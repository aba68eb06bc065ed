#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's first command: install what is missing, build tcptune.ko,
# boot the VM with it loaded and show it working - our algorithms in the
# kernel's list, then one short transfer per algorithm (ours and the
# kernel's reno beside them) over an emulated lossy path, each with its
# goodput and retransmissions, the socket as the tcptune CLI shows it
# half-way through (and as `ss -ti` does), then the CLI's counters.
#
#   scripts/demo.sh [SECONDS-PER-TRANSFER]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
echo "== set-up (scripts/setup.sh)"
bash scripts/setup.sh
kver=$(scripts/vm-kernel.sh 6.1)
echo "== build against $kver"
make -s module KDIR="/lib/modules/$kver/build"
make -s cli
echo "== boot $kver in QEMU with tcptune.ko"
# (-o: where the guest leaves its start mark; a boot that hangs, no guest
# after 5 min, is stopped and booted again, three boots in all)
exec scripts/vm-run.sh -k "$kver" -o "$top/build/demo" -b 300 -R 3 -- \
	"$top/scripts/demo-guest.sh" "${1:-8}"
