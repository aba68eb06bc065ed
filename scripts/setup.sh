#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, idempotently and from Debian packages only, everything tcptune needs
# to build the module, boot the test VM and run the tests:
#
#   - gcc, make, sparse, python3-scapy, iproute2, iperf3, ethtool, ...
#   - linux-image + linux-headers of the VM kernel (Debian bookworm, 6.1).
#     The image is only ever booted by QEMU; no boot loader is installed or
#     touched (linux-image-* is installed without recommends, so no grub).
#   - linux-source-6.1 (kselftest harness, checkpatch.pl), unpacked once
#     under /usr/src.
#   - ccache for the debug kernel (scripts/debug-kernel.sh builds
#     linux-source-6.1 through it).
#   - qemu-system-x86 and virtme-ng.  virtme-ng is architecture independent
#     and only packaged from trixie on: it is downloaded with a private apt
#     state (the host's sources and pins are left alone), then installed as a
#     local .deb whose dependencies come from bookworm.
#
# The Debian mirror is not named here: it is read from the host's own apt
# configuration.  Set TCPTUNE_SETUP_QUIET=1 to hide apt's output.
set -euo pipefail

STATE=/var/lib/tcptune
STAMP=$STATE/setup.done.v1
export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
	echo "setup.sh: must run as root (it installs Debian packages)" >&2
	exit 1
fi

# debian_mirror, apt_suite
# shellcheck source=scripts/lib-apt.sh
. "$(dirname "$0")/lib-apt.sh"

need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	echo "${missing[@]:-}"
}

HOST_PKGS=(gcc make bc flex bison libelf-dev libssl-dev kmod sparse
	   qemu-system-x86 iproute2 iperf3 ethtool python3 python3-scapy
	   busybox-static udev procps xz-utils ca-certificates
	   linux-image-amd64 linux-headers-amd64 linux-source-6.1
	   libmnl-dev libjson-c-dev pkg-config gnuplot-nox python3-yaml
	   python3-jsonschema time ccache
	   dpkg-dev debhelper dh-dkms dkms lintian
	   mmdebstrap librsvg2-bin
	   prometheus netbase)	# promtool (tcptune metrics' check); /etc/services (filters' :https)

updated=0
apt_update_once() {
	if [ "$updated" = 0 ]; then
		log "apt-get update"
		apt-get -q update >&2
		updated=1
	fi
}

missing=$(need_pkgs "${HOST_PKGS[@]}")
if [ -n "$missing" ]; then
	apt_update_once
	log "installing: $missing"
	# shellcheck disable=SC2086
	apt-get -q install -y --no-install-recommends $missing >&2
fi

# virtme-ng from trixie (private apt state: the host stays bookworm).
if ! command -v vng >/dev/null 2>&1; then
	log "fetching virtme-ng from the trixie suite"
	apt_suite trixie update >&2
	tmp=$(mktemp -d)
	(cd "$tmp" && apt_suite trixie download virtme-ng >&2)
	apt_update_once
	apt-get -q install -y --no-install-recommends "$tmp"/virtme-ng_*.deb >&2
	rm -rf "$tmp"
fi

# Headers of the 6.12 kernel from bookworm-backports, only to prove the
# module builds against it (the VM tests run on 6.1; the image, which the
# headers depend on, can boot the VM too).  Same private state.
if ! ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1; then
	log "fetching linux-headers-6.12 from bookworm-backports"
	apt_suite bookworm-backports update >&2
	hdr=$(apt_suite --cache bookworm-backports depends linux-headers-amd64 |
	      awk '/Depends: linux-headers-6\.12/ { print $2; exit }')
	abi=${hdr#linux-headers-}; abi=${abi%-amd64}
	tmp=$(mktemp -d)
	(cd "$tmp" && apt_suite bookworm-backports download "$hdr" "linux-image-$abi-amd64-unsigned" \
		"linux-headers-$abi-common" "linux-kbuild-$abi" >&2)
	apt_update_once
	apt-get -q install -y --no-install-recommends "$tmp"/*.deb >&2
	rm -rf "$tmp"
fi

# The kernel's generic YNL client (tools/net/ynl) and the genetlink schema,
# from linux-source-6.12 (trixie): the selftests drive our family with it.
YNL_DIR=$STATE/ynl
if [ ! -f "$YNL_DIR/tools/net/ynl/cli.py" ]; then
	log "fetching linux-source-6.12 from the trixie suite (YNL client)"
	apt_suite trixie update >&2
	tmp=$(mktemp -d)
	(cd "$tmp" && apt_suite trixie download linux-source-6.12 >&2)
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -x -C "$tmp" --wildcards '*/linux-source-6.12.tar.xz'
	mkdir -p "$YNL_DIR"
	tar -x -C "$YNL_DIR" --strip-components=1 -f "$tmp"/usr/src/linux-source-6.12.tar.xz \
		--wildcards 'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*'
	rm -rf "$tmp"
fi

# Unpack the kernel source once (kselftest harness, checkpatch.pl).
src_tar=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -n "$src_tar" ] && [ ! -f /usr/src/linux-source-6.1/Makefile ]; then
	log "unpacking $src_tar"
	tar -C /usr/src -xf "$src_tar"
fi

mkdir -p "$STATE"
touch "$STAMP"
log "done"
