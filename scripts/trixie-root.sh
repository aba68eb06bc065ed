#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian trixie root filesystem holding the newest 7.x kernel of
# trixie-backports: its headers (the module is built against them inside the
# root with the compiler the kernel was built with, gcc-14: scripts/build-7x.sh)
# and its image and modules, with what the VM suites need in the guest, so that
# the root can be booted with virtme-ng (vng --root DIR).
#
#   scripts/trixie-root.sh          build the root if needed; print the 7.x
#                                   kernel release installed in it (last line
#                                   of stdout)
#   scripts/trixie-root.sh --path   print the root's path (no build)
#   scripts/trixie-root.sh --release  the release in the existing root (no
#                                   build, no look at trixie-backports)
#   scripts/trixie-root.sh --key    print the cache key (no build)
#
# The root is $TCPTUNE_CACHE/trixie-root (default /var/lib/tcptune: outside
# the checkout, and not under /var/cache, which virtme-ng's guest init covers
# with a tmpfs).  It is keyed on a hash of the package list (which names the
# kernel ABI found in trixie-backports), the suites and this script: a change
# of any of them, or a newer 7.x kernel in trixie-backports, rebuilds it.  The
# new root is built beside the old one and replaces it only when complete.
# If trixie-backports cannot be reached, an existing root is used as it is.
#
# The Debian mirror is read from the host's apt configuration (lib-apt.sh);
# build output goes to stderr.  Needs root and mmdebstrap (scripts/setup.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self="$top/scripts/trixie-root.sh"
export STATE=${TCPTUNE_CACHE:-/var/lib/tcptune}
# shellcheck source=scripts/lib-apt.sh
. "$top/scripts/lib-apt.sh"
ROOT=$STATE/trixie-root
debs=$STATE/trixie-root.debs
BPO=trixie-backports

log() { printf '[trixie-root] %s\n' "$*" >&2; }
die() { printf 'trixie-root.sh: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
--path) echo "$ROOT"; exit 0 ;;
--release | --key | "") ;;
*) sed -n '10,17p' "$self" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot)"

# The release installed in an existing root ("" if none).
root_release() {
	local d
	[ -f "$ROOT/.tcptune-key" ] || return 0
	for d in "$ROOT"/lib/modules/7.*-amd64; do
		[ -d "$d/build" ] && basename "$d"
	done | sort -V | tail -n 1
}

if [ "${1:-}" = --release ]; then
	rel=$(root_release)
	[ -n "$rel" ] || die "no root at $ROOT yet (scripts/trixie-root.sh builds it)"
	echo "$rel"
	exit 0
fi

# The kernel ABI (e.g. 7.3.4+deb13) that trixie-backports' linux-headers-amd64
# metapackage points at, as setup.sh finds 6.12 in bookworm-backports.
if ! apt_suite "$BPO" update >&2; then
	rel=$(root_release)
	[ -n "$rel" ] || die "cannot reach $BPO, and there is no root at $ROOT yet"
	log "cannot reach $BPO: using the existing root as it is"
	[ "${1:-}" = --key ] && { cat "$ROOT/.tcptune-key"; exit 0; }
	echo "$rel"
	exit 0
fi
hdr=$(apt_suite --cache "$BPO" depends linux-headers-amd64 |
      awk '/Depends: linux-headers-7\.[0-9.]+.*-amd64$/ { print $2; exit }')
[ -n "$hdr" ] || die "no 7.x linux-headers-*-amd64 behind $BPO's linux-headers-amd64"
abi=${hdr#linux-headers-}; abi=${abi%-amd64}
# The image: the signed package if it exists, else the unsigned one.
img=
for p in "linux-image-$abi-amd64" "linux-image-$abi-amd64-unsigned"; do
	if apt_suite --cache "$BPO" show "$p" >/dev/null 2>&1; then img=$p; break; fi
done
[ -n "$img" ] || die "no linux-image for $abi in $BPO"

# Inside the root: the build (gcc-14 is what Debian's 7.x kernels are built
# with), sparse, and what the VM suites use in the guest (the trixie names of
# the guest tools among setup.sh's HOST_PKGS).
PKGS=(gcc-14 make libc6-dev libelf-dev kmod bc sparse
      "$hdr" "$img"
      python3 python3-yaml python3-jsonschema iproute2 iperf3 ethtool procps
      busybox udev libmnl0 libjson-c5 util-linux mount)
mirror=$(debian_mirror)
SUITES=("deb $mirror trixie main" "deb $mirror $BPO main")
# FORMAT: bumped by hand when the way the root is built changes.
FORMAT=1
key=$(printf '%s\n' "format $FORMAT" "${PKGS[@]}" trixie "$BPO" | sha256sum | cut -c1-16)
[ "${1:-}" = --key ] && { echo "$key"; exit 0; }

mkdir -p "$STATE"
exec 9>"$STATE/trixie-root.lock"
flock 9

if [ "$(cat "$ROOT/.tcptune-key" 2>/dev/null)" != "$key" ]; then
	command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (scripts/setup.sh)"
	new=$ROOT.new
	rm -rf "$new"
	log "building $ROOT ($abi; key $key): a few hundred MB to download"
	t=$(date +%s)
	# The host's keyring verifies trixie; no recommends (no firmware, no
	# apparmor).  Every linux-* package comes from trixie-backports (the
	# 7.x image pre-depends on its newer linux-base); the rest from trixie.
	# Downloaded .debs are kept in $debs, so a rebuild fetches only what
	# changed; apt's lists are dropped.
	mkdir -p "$debs"
	nice -n 19 mmdebstrap --mode=root --format=directory --variant=minbase \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		--setup-hook='mkdir -p "$1/etc/apt/preferences.d" "$1/var/cache/apt/archives"' \
		--setup-hook="printf 'Package: linux-*\nPin: release n=$BPO\nPin-Priority: 500\n' >\"\$1/etc/apt/preferences.d/tcptune-linux\"" \
		--setup-hook="sync-in $debs /var/cache/apt/archives" \
		--customize-hook="sync-out /var/cache/apt/archives $debs" \
		--aptopt='APT::Install-Recommends "false"' \
		--aptopt='Acquire::Languages "none"' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--include="$(IFS=,; echo "${PKGS[*]}")" \
		trixie "$new" "${SUITES[@]}" >&2 ||
		{ rm -rf "$new"; die "mmdebstrap failed"; }
	[ -d "$new/lib/modules/$abi-amd64/build" ] ||
		{ rm -rf "$new"; die "the root has no headers for $abi-amd64"; }
	[ -f "$new/boot/vmlinuz-$abi-amd64" ] ||
		{ rm -rf "$new"; die "the root has no image for $abi-amd64"; }
	echo "$key" >"$new/.tcptune-key"
	rm -rf "$ROOT.old"
	[ -e "$ROOT" ] && mv "$ROOT" "$ROOT.old"
	mv "$new" "$ROOT"
	rm -rf "$ROOT.old"
	# keep only the .debs of what this root holds
	keep=$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f '${Package}_${Version}_\n' |
	       sed 's/:/%3a/')
	for f in "$debs"/*.deb; do
		[ -e "$f" ] || continue
		grep -qxF "$(basename "$f" | sed 's/_[^_]*\.deb$/_/')" <<<"$keep" || rm -f "$f"
	done
	log "built in $(( $(date +%s) - t )) s"
fi

# sparse: trixie's (0.6.4) cannot parse the 7.x headers (__typeof_unqual__,
# which they use whenever __CHECKER__ is defined); sid's (0.6.5 rc) can, and
# needs only libc.  Its sparse binary goes to the root's /usr/local/bin (the
# .deb is unpacked, not installed: the rest of sid's package would pull in
# gcc-16).  Once per root; scripts/build-7x.sh uses it as CHECK.
if [ ! -x "$ROOT/usr/local/bin/sparse" ]; then
	log "fetching sparse from sid (trixie's cannot parse 7.x headers)"
	tmp=$(mktemp -d) && chmod 755 "$tmp"
	if apt_suite sid update >&2 && (cd "$tmp" && apt_suite sid download sparse >&2) &&
	   dpkg-deb -x "$tmp"/sparse_*.deb "$tmp/x" &&
	   install -D -m 0755 "$tmp/x/usr/bin/sparse" "$ROOT/usr/local/bin/sparse.new" &&
	   chroot "$ROOT" /usr/local/bin/sparse.new --version >&2; then
		mv "$ROOT/usr/local/bin/sparse.new" "$ROOT/usr/local/bin/sparse"
	else
		rm -f "$ROOT/usr/local/bin/sparse.new"
		log "no sparse from sid: the root keeps trixie's"
	fi
	rm -rf "$tmp"
fi

log "root: $ROOT; kernel: $ROOT/boot/vmlinuz-$abi-amd64, modules: $ROOT/lib/modules/$abi-amd64"
echo "$abi-amd64"
