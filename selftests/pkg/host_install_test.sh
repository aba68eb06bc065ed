#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` / `make uninstall` into a staging DESTDIR, on the host, for
# every kernel whose headers are installed (/lib/modules/*/build: Debian's
# 6.1 and 6.12 here): what lands where, that modprobe would find it there
# by its aliases, and that uninstall takes back exactly that.  The VM suite
# pkg (selftests/vm/pkg_test.sh) does the same on the guest's real tree and
# loads the module from it.
#
#   selftests/pkg/host_install_test.sh     TAP on stdout
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=selftests/lib/tap.sh
. "$here/../lib/tap.sh"
cd "$top" || exit 1

kdirs=()
for d in /lib/modules/*/build; do
	[ -f "$d/include/generated/utsrelease.h" ] && kdirs+=("$d")
done
tap_plan $((${#kdirs[@]} * 5 + 2))
[ ${#kdirs[@]} -gt 0 ] || tap_note "no kernel headers under /lib/modules/*/build (scripts/setup.sh)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# Each kernel's build in a copy of the tracked sources: the checkout's own
# module/tcptune.ko is the VM kernel's (the stock boot loads it).
src=$stage/src
mkdir -p "$src"
git ls-files -z | xargs -0 cp --parents -t "$src" ||
	{ tap_note "could not copy the sources"; exit 1; }
cli_files="usr/local/sbin/tcptune usr/local/share/man/man8/tcptune.8 usr/local/share/bash-completion/completions/tcptune"
aliases="net-pf-16-proto-16-family-tcptune tcp_tcptune_bbr tcp_tcptune_newreno tcp_tcptune_reno"

for kd in "${kdirs[@]}"; do
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kd/include/generated/utsrelease.h")
	d=$stage/$kver
	mkdir -p "$d"
	# 1. make install: the module under lib/modules/KVER/updates, the CLI
	out=$(nice make -s -C "$src" install DESTDIR="$d" KDIR="$kd" 2>&1)
	rc=$?
	ko=$(find "$d/lib/modules/$kver/updates" -name 'tcptune.ko*' 2>/dev/null)
	miss=
	for f in $cli_files; do [ -f "$d/$f" ] || miss+=" $f"; done
	if [ $rc = 0 ] && [ "$(wc -l <<<"$ko")" = 1 ] && [ -n "$ko" ] && [ -z "$miss" ]; then
		tap_ok "$kver: make install DESTDIR: ${ko#"$d"}, the CLI, man page and completion"
	else
		tap_fail "$kver: make install DESTDIR: the module under updates/, the CLI, man page, completion" \
			"exit $rc; module: ${ko:-none}; missing:${miss:- none}
$(tail -n 15 <<<"$out")"
	fi
	# 2. built for that kernel, with the aliases autoload goes by
	vm=$([ -f "$ko" ] && modinfo -F vermagic "$ko" | cut -d' ' -f1)
	al=$([ -f "$ko" ] && modinfo -F alias "$ko" | sort | paste -sd ' ')
	if [ "$vm" = "$kver" ] && [ "$al" = "$aliases" ]; then
		tap_ok "$kver: the installed module's vermagic is $kver and it has the four aliases"
	else
		tap_fail "$kver: the installed module's vermagic and aliases" "vermagic '$vm'; aliases '$al'"
	fi
	# 3. depmod ran on the staged tree: modprobe there finds it by alias
	found=$(modprobe -d "$d" -S "$kver" -n -v tcp_tcptune_reno 2>&1)
	if [ -f "$ko" ] && grep -qF "insmod ${ko}" <<<"$found"; then
		tap_ok "$kver: depmod ran: modprobe -d DESTDIR finds it by alias tcp_tcptune_reno"
	else
		tap_fail "$kver: depmod ran: modprobe -d DESTDIR finds it by alias tcp_tcptune_reno" "$found"
	fi
	# 4. make uninstall takes all of it back; modprobe finds nothing (the
	#    positive control is 3, in the same tree)
	out=$(make -s -C "$src" uninstall DESTDIR="$d" KDIR="$kd" 2>&1)
	rc=$?
	left=$(find "$d" -name '*tcptune*' 2>/dev/null; grep -rl tcptune "$d" 2>/dev/null)
	found=$(modprobe -d "$d" -S "$kver" -n -v tcp_tcptune_reno 2>&1)
	mrc=$?
	if [ $rc = 0 ] && [ -z "$left" ] && [ $mrc != 0 ]; then
		tap_ok "$kver: make uninstall: no file of ours and no index entry left; modprobe finds nothing"
	else
		tap_fail "$kver: make uninstall: nothing of ours left" \
			"exit $rc; left: $(sort -u <<<"$left" | paste -sd ' '); modprobe: exit $mrc $found
$(tail -n 10 <<<"$out")"
	fi
	# 5. a second uninstall is harmless
	out=$(make -s -C "$src" uninstall DESTDIR="$d" KDIR="$kd" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		tap_ok "$kver: make uninstall again succeeds (nothing to remove)"
	else
		tap_fail "$kver: make uninstall again succeeds" "exit $rc: $(tail -n 5 <<<"$out")"
	fi
done

# No headers at KDIR: a clear error, nothing installed.
d=$stage/none
out=$(make -s -C "$src" install DESTDIR="$d" KDIR="$stage/no-such-headers" 2>&1)
rc=$?
if [ $rc != 0 ] && grep -q 'no kernel headers at KDIR=' <<<"$out" && [ ! -e "$d" ]; then
	tap_ok "make install without headers at KDIR: exit $rc, says so, installs nothing"
else
	tap_fail "make install without headers at KDIR: fails clearly, installs nothing" \
		"exit $rc: $(tail -n 5 <<<"$out"); $(find "$d" -type f 2>/dev/null | head -n 3)"
fi
out=$(make -s -C "$src" uninstall DESTDIR="$d" KDIR="$stage/no-such-headers" 2>&1)
rc=$?
if [ $rc != 0 ] && grep -q 'no kernel headers at KDIR=' <<<"$out"; then
	tap_ok "make uninstall without headers at KDIR: exit $rc, says so"
else
	tap_fail "make uninstall without headers at KDIR: fails clearly" "exit $rc: $(tail -n 5 <<<"$out")"
fi
tap_done
