#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel release the VM boots: the newest installed Debian kernel of
# the series given as $1 (default 6.1) that has an image, modules and headers.
series=${1:-6.1}
for d in $(ls -d /lib/modules/"$series".*-amd64 2>/dev/null | sort -rV); do
	k=${d#/lib/modules/}
	[ -f "/boot/vmlinuz-$k" ] && [ -e "$d/build" ] && { echo "$k"; exit 0; }
done
echo "vm-kernel.sh: no $series kernel with image and headers installed (run scripts/setup.sh)" >&2
exit 1
