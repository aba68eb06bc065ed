#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build tcptune.ko against the 7.x kernel headers of the trixie root
# (scripts/trixie-root.sh, created if missing), inside that root, with the
# compiler the kernel was built with (gcc-14), W=1.
#
#   scripts/build-7x.sh [--sparse]
#
# A copy of Kbuild, module/ and include/ goes to the root's /build/tcptune
# (as the host stage's 6.12 scratch copy), and
#   chroot ROOT make -C /lib/modules/K/build M=/build/tcptune W=1 modules
# runs there, with /proc, /sys and /dev of the host mounted (in a private
# mount namespace: they go away with the build).  --sparse builds with C=2
# instead, after proving that sparse runs there (selftests/sparse's canary
# must be reported) and checks every module/*.c (a CHECK line each).
#
# Output: the build's log on stdout; the last line of stderr says what was
# built.  Exit 0 if the build succeeded AND printed no warning (for --sparse:
# no warning or error in our files; the kernel's own headers are left out);
# 1 otherwise.  The built module, with the security suite's clash module
# beside it: build/k7/module/ of this checkout (also in
# ROOT/build/tcptune/module/ until the next build).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sparse=0
case "${1:-}" in
--sparse) sparse=1 ;;
"") ;;
*) sed -n '7,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

die() { printf 'build-7x.sh: %s\n' "$*" >&2; exit 1; }

# The root as it is when it exists (the host stage has just made sure of it),
# else built now.
rel=$(bash "$top/scripts/trixie-root.sh" --release 2>/dev/null) ||
	rel=$(bash "$top/scripts/trixie-root.sh" | tail -n 1) || die "no trixie root (scripts/trixie-root.sh failed)"
root=$(bash "$top/scripts/trixie-root.sh" --path)
[ -d "$root/lib/modules/$rel/build" ] || die "no headers for $rel in $root"

# The tree's copy in the root (built objects of a previous run are dropped).
dst=$root/build/tcptune
rm -rf "$dst" && mkdir -p "$dst"
cp -r "$top/Kbuild" "$top/module" "$top/include" "$dst/" || die "cannot copy the tree into $root"
rm -f "$dst"/module/*.o "$dst"/module/*.ko "$dst"/module/*.mod* "$dst"/module/.*.cmd
if [ $sparse = 1 ]; then
	mkdir -p "$dst/canary"
	cp "$top/selftests/sparse/canary.c" "$top/selftests/sparse/Kbuild" "$dst/canary/"
fi

# in_root CMD...: CMD in the root, /proc /sys /dev mounted, private mounts
in_root() {
	unshare --mount --propagation private -- /bin/sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" &&
		mount --rbind /dev "$r/dev" || exit 1
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 "$@"' sh "$root" "$@"
}

kdir=/lib/modules/$rel/build
if [ $sparse = 0 ]; then
	out=$(in_root nice -n 19 make -s -C "$kdir" M=/build/tcptune W=1 modules 2>&1)
	rc=$?
	printf '%s\n' "$out"
	if [ $rc -ne 0 ] || grep -q 'warning:' <<<"$out" || [ ! -f "$dst/module/tcptune.ko" ]; then
		echo "build-7x.sh: tcptune.ko against $rel: exit $rc, or a warning, or no .ko" >&2
		exit 1
	fi
	# The security suite's clash module beside it, and both where the VM
	# sees them (build/k7/module: the 7.x boot's TCPTUNE_KO directory).
	cp -r "$top/selftests/vm/clash" "$dst/clash" || die "cannot copy the clash module into $root"
	rm -f "$dst"/clash/*.o "$dst"/clash/*.ko "$dst"/clash/.*.cmd
	out=$(in_root nice -n 19 make -s -C "$kdir" M=/build/tcptune/clash modules 2>&1) ||
		{ printf '%s\n' "$out"; die "the clash test module did not build against $rel"; }
	rm -rf "$top/build/k7" && mkdir -p "$top/build/k7/module" &&
		cp "$dst/module/tcptune.ko" "$dst/clash/tcptune_clash.ko" "$top/build/k7/module/" ||
		die "cannot copy the modules to $top/build/k7/module"
	echo "build-7x.sh: tcptune.ko against $rel (gcc-14), W=1, no warning: $top/build/k7/module/tcptune.ko (and tcptune_clash.ko)" >&2
	exit 0
fi

# sparse: must be in the root, must report the canary's defect, and must
# CHECK every file; then no warning of ours (the root's /usr/src headers,
# i.e. the kernel's own, are not ours).  MAKEFLAGS stay empty so that
# kbuild prints its CHECK lines.
# 7.x's Makefile asks scripts/checker-valid.sh whether sparse works and
# turns C=2 off if it does not answer; Debian's 7.x headers do not ship that
# script.  Then KBUILD_CHECKSRC=2 is given on the command line (which the
# Makefile cannot reset), and the canary below decides whether sparse runs.
chk=C=2
[ -e "$root/usr/src/linux-headers-${rel%-amd64}-common/scripts/checker-valid.sh" ] ||
	chk=KBUILD_CHECKSRC=2
# sid's sparse where trixie-root.sh put it (trixie's cannot parse 7.x)
checker=sparse
[ -x "$root/usr/local/bin/sparse" ] && checker=/usr/local/bin/sparse
in_root sh -c "command -v $checker" >/dev/null || die "sparse is not installed in $root"
out=$(in_root nice -n 19 make -C "$kdir" M=/build/tcptune/canary "$chk" CHECK="$checker" modules 2>&1)
grep -q 'canary\.c:.*dereference of noderef' <<<"$out" ||
	{ printf '%s\n' "$out"; die "sparse in $root did not report the canary's defect: it does not really run"; }
out=$(in_root nice -n 19 make -C "$kdir" M=/build/tcptune "$chk" CHECK="$checker" modules 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || die "the module's C=2 build against $rel failed (exit $rc)"
miss=
for f in "$top"/module/*.c; do
	f=module/${f##*/}
	case $f in *.mod.c) continue ;; esac
	grep -Eq "^  CHECK +(/build/tcptune/)?$f\$" <<<"$out" || miss="$miss $f"
done
[ -z "$miss" ] || die "sparse did not CHECK$miss"
warn=$(grep -E '(warning|error):' <<<"$out" | grep -Ev '^(/usr/src/|/lib/modules/)')
if [ -n "$warn" ]; then
	echo "build-7x.sh: sparse against $rel: warnings of ours:" >&2
	printf '%s\n' "$warn" >&2
	exit 1
fi
echo "build-7x.sh: sparse ($checker, C=2) against $rel: ran (canary reported), every module/*.c CHECKed, no warning of ours" >&2
exit 0
