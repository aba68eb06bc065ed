#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Debian packages tcptune (the CLI) and tcptune-dkms (the module's
# source, built by DKMS on the target) into build/deb/, and check them with
# lintian (--fail-on error,warning).
#
#   scripts/build-deb.sh
#
# Installs what it needs from Debian packages, idempotently (as root; apt-get
# update only when something is missing): the build dependencies of
# debian/control, lintian, and dkms (selftests/vm/pkg_test.sh installs the
# packages in the VM, whose /usr is the host's).  The sources are copied to
# build/deb/src/ and built there, so the checkout stays clean and
# dpkg-buildpackage's outputs (written beside the source tree) stay under
# build/deb/.  Prints the paths of the two .deb files last, one a line.
# Exits non-zero on any failure, with the failing step's output.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
log=$out/build.log
export DEBIAN_FRONTEND=noninteractive

die() { printf 'build-deb.sh: %s\n' "$*" >&2; exit 1; }
say() { printf '[build-deb] %s\n' "$*" >&2; }

PKGS=(dpkg-dev debhelper dh-dkms libmnl-dev libjson-c-dev pkg-config gcc make
      lintian dkms)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}): run as root to install them"
	say "installing: ${missing[*]}"
	apt-get -q update >&2 || die "apt-get update failed"
	apt-get -q install -y --no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
fi

# One version everywhere: the package's (debian/changelog), the DKMS
# source's (dkms.conf), the module's (MODULE_VERSION), the CLI's (TT_VERSION
# and its man page).
cd "$top"
ver=$(dpkg-parsechangelog -S Version) || die "debian/changelog cannot be parsed"
declare -A seen=(
	[dkms.conf]=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
	[module/tcptune_main.c]=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' module/tcptune_main.c)
	[userspace-tools/tcptune.h]=$(sed -n 's/^#define TT_VERSION "\(.*\)"$/\1/p' userspace-tools/tcptune.h)
	[userspace-tools/tcptune.8]=$(sed -n 's/^\.TH .* "tcptune \([^"]*\)".*/\1/p' userspace-tools/tcptune.8)
)
for f in "${!seen[@]}"; do
	[ "${seen[$f]}" = "$ver" ] ||
		die "version mismatch: debian/changelog says $ver, $f says '${seen[$f]}'"
done

# The sources as they are in the checkout (changes not yet committed
# included; nothing that git ignores, so no build output).
rm -rf "$out"
mkdir -p "$out/src/tcptune-$ver"
src=$out/src/tcptune-$ver
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
else
	tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
[ -f "$src/debian/control" ] || die "copying the sources to $src failed"

say "dpkg-buildpackage -us -uc -b in $src (log: $log)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	die "dpkg-buildpackage failed (whole log: $log)"
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
debs=("$out/src/tcptune_${ver}_$arch.deb" "$out/src/tcptune-dkms_${ver}_all.deb")
for d in "${debs[@]}" "$out/src/tcptune_${ver}_$arch.changes"; do
	[ -f "$d" ] || die "dpkg-buildpackage did not make $(basename "$d") (log: $log)"
done
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out/"
changes=$out/tcptune_${ver}_$arch.changes

say "lintian --fail-on error,warning"
if ! lintian --fail-on error,warning "$changes" >"$out/lintian.log" 2>&1; then
	cat "$out/lintian.log" >&2
	die "lintian reports errors or warnings (log: $out/lintian.log)"
fi
# (lintian's "running with root privileges is not recommended!" is no finding)
{ grep -v '^running with root privileges' "$out/lintian.log" || true; } | sed 's/^/lintian: /' >&2

printf '%s\n' "$out/tcptune_${ver}_$arch.deb" "$out/tcptune-dkms_${ver}_all.deb"
