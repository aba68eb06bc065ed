#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module lifetime and who may pick our algorithms, in the VM:
#  - rmmod is refused (EBUSY) while a socket or a namespace default uses one
#    of our algorithms, and succeeds once nothing does;
#  - autoload (MODULE_ALIAS tcp_<name>), with the module findable by
#    modprobe: root's setsockopt(TCP_CONGESTION) and root's write of the
#    default sysctl load it; an unprivileged setsockopt does not (the kernel
#    autoloads for CAP_NET_ADMIN only);
#  - our algorithms are restricted (no TCP_CONG_NON_RESTRICTED): root may
#    pick any; another user only those in
#    net.ipv4.tcp_allowed_congestion_control, or one the kernel marked
#    non-restricted by making it a default (for good, until the module is
#    loaded again); a netns other than the initial one may make one its
#    default only once it is allowed.
# Every refusal has its positive control beside it.  Leaves tcptune.ko
# ($TCPTUNE_KO) loaded, the allowed list and the default as it found them.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
KO=${TCPTUNE_KO:-$top/module/tcptune.ko}
PY=/usr/bin/python3
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
allowed0=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
default0=$(sysctl -n net.ipv4.tcp_congestion_control)

loaded() { grep -q '^tcptune ' /proc/modules; }

# rmmod with retries for references that go away asynchronously (netns
# cleanup, sockets closing).  Prints rmmod's last error.
rmmod_retry() {
	local err
	for _ in $(seq 1 50); do
		err=$(rmmod tcptune 2>&1) && return 0
		sleep 0.2
	done
	echo "$err"
	return 1
}

# cc [nobody] ALGO: setsockopt(TCP_CONGESTION, ALGO) on a new socket, as root
# or as nobody; prints "set <what getsockopt reads back>" or the errno's name.
cc() {
	local who=()
	[ "$1" = nobody ] && { who=("${NOBODY[@]}"); shift; }
	"${who[@]}" $PY -c '
import errno, socket, sys
s = socket.socket()
try:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, sys.argv[1].encode())
    print("set", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode())
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' "$1" 2>&1
}

# expect NAME WANT GOT: ok if GOT is WANT
expect() {
	if [ "$3" = "$2" ]; then tap_ok "$1"; else tap_fail "$1" "got '$3', want '$2'"; fi
}

allow() { sysctl -qw net.ipv4.tcp_allowed_congestion_control="$*"; }

tap_plan 20
loaded || insmod "$KO"

# ---- lifetime ----------------------------------------------------------------
# 1-2. A socket using tcptune_reno holds the module.
$PY - <<'PYEOF' &
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 5301)); l.listen(1)
c = socket.socket(); c.setsockopt(socket.IPPROTO_TCP, 13, b"tcptune_reno")
c.connect(("127.0.0.1", 5301)); s, _ = l.accept()
open("/tmp/tt_holder_ready", "w").close()
time.sleep(30)
PYEOF
holder=$!
for _ in $(seq 1 100); do [ -e /tmp/tt_holder_ready ] && break; sleep 0.1; done
err=$(rmmod tcptune 2>&1)
rc=$?
if [ $rc -ne 0 ] && loaded && echo "$err" | grep -qi 'in use'; then
	tap_ok "rmmod refused while a socket uses tcptune_reno"
else
	tap_fail "rmmod refused while a socket uses tcptune_reno" "rc=$rc: $err"
fi
kill $holder; wait $holder 2>/dev/null
rm -f /tmp/tt_holder_ready
if err=$(rmmod_retry); then
	tap_ok "rmmod succeeds once the socket is closed"
else
	tap_fail "rmmod succeeds once the socket is closed" "$err"
fi

# 3-5. A namespace whose default is ours holds the module.  A netns other
# than the initial one may only make an allowed algorithm its default.  (Its
# refusal is not tested: 6.1's tcp_set_default_congestion_control() keeps
# the module reference it took when it refuses with EPERM, and the module
# could never be unloaded again.)
insmod "$KO"
ip netns add tt_mod
allow "$allowed0 tcptune_newreno"
err=$(ip netns exec tt_mod sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno 2>&1)
cur=$(ip netns exec tt_mod sysctl -n net.ipv4.tcp_congestion_control)
expect "allowed, a netns may make tcptune_newreno its default" tcptune_newreno "$cur${err:+ ($err)}"
allow "$allowed0"
err=$(rmmod tcptune 2>&1)
rc=$?
if [ $rc -ne 0 ] && loaded; then
	tap_ok "rmmod refused while a netns default is tcptune_newreno"
else
	tap_fail "rmmod refused while a netns default is tcptune_newreno" "rc=$rc: $err"
fi
ip netns exec tt_mod sysctl -qw net.ipv4.tcp_congestion_control=reno
if err=$(rmmod_retry); then
	tap_ok "rmmod succeeds once the netns default is restored"
else
	tap_fail "rmmod succeeds once the netns default is restored" "$err"
fi
ip netns del tt_mod

# ---- autoload ------------------------------------------------------------------
# The module is made findable by modprobe: the host's /lib/modules is
# read-only here, so the module goes into a tmpfs overlay of this kernel's
# module directory (of /lib/modules, where the kernel has none there).
# A kernel whose modules vng links in (the debug kernel's tree; the 7.x
# kernel's directory in the trixie root) has /lib/modules on a tmpfs and
# this kernel's directory a symlink: there a directory of our own replaces
# the symlink (the kernel's modules linked in).
# Either way the index lists our module alone (depmod given the one file):
# `depmod -a` over Debian 6.12's tree of xz-compressed modules took 330 s
# under TCG.  The kernel's own modules are not autoloaded until the overlay
# goes (after test 20): tests 6-20 need none (loopback, built-in reno).
kdir=/lib/modules/$(uname -r)
ov=/run/tt-modules
lower=$kdir
[ -d "$kdir" ] || lower=/lib/modules
mkdir -p $ov
treelink=
if [ -L "$kdir" ]; then
	treelink=$(readlink "$kdir")
	real=$(readlink -f "$kdir")
	rm -f "$kdir" && mkdir "$kdir" && ln -s "$real/kernel" "$kdir/kernel" &&
		cp -L "$real"/modules.order "$real"/modules.builtin* "$kdir/" &&
		mkdir -p "$kdir/updates" && cp "$KO" "$kdir/updates/tcptune.ko" &&
		depmod "$(uname -r)" "$kdir/updates/tcptune.ko"
else
	mount -t tmpfs tmpfs $ov && mkdir -p $ov/upper $ov/work &&
		mount -t overlay overlay -o lowerdir=$lower,upperdir=$ov/upper,workdir=$ov/work $lower &&
		mkdir -p "$kdir/updates" && cp "$KO" "$kdir/updates/tcptune.ko" &&
		depmod "$(uname -r)" "$kdir/updates/tcptune.ko"
fi
# 6. the premise of what follows: unloaded, and modprobe would find it
found=$(modprobe -n -v tcp_tcptune_reno 2>&1)
if ! loaded && grep -q "insmod .*updates/tcptune.ko" <<<"$found"; then
	tap_ok "unloaded, and modprobe finds tcptune by its alias tcp_tcptune_reno"
else
	tap_fail "unloaded, and modprobe finds tcptune by its alias tcp_tcptune_reno" \
		"$(grep tcptune /proc/modules); modprobe -n: $found"
fi
# 7. Unprivileged setsockopt of an unloaded algorithm may not load modules,
out=$(cc nobody tcptune_reno)
if ! loaded && [ "$out" = ENOENT ]; then
	tap_ok "unprivileged setsockopt does not load the module although it is findable (ENOENT)"
else
	tap_fail "unprivileged setsockopt does not load the module although it is findable (ENOENT)" \
		"setsockopt: $out; $(grep tcptune /proc/modules)"
fi
# 8. ... root's does (the positive control of 7, in the same state).
before=$(grep tcptune /proc/modules)
out=$(cc tcptune_reno)
if [ -z "$before" ] && loaded && [ "$out" = "set tcptune_reno" ]; then
	tap_ok "root's setsockopt autoloads the module and gets tcptune_reno"
else
	tap_fail "root's setsockopt autoloads the module and gets tcptune_reno" \
		"setsockopt: $out; before: ${before:-not loaded}; after: $(grep tcptune /proc/modules)"
fi
rmmod_retry >/dev/null
# 9. root's write of the default sysctl (initial netns) loads it too.
if ! loaded; then
	err=$(sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno 2>&1)
	cur=$(sysctl -n net.ipv4.tcp_congestion_control)
	if loaded && [ "$cur" = tcptune_newreno ]; then
		tap_ok "writing the default sysctl autoloads tcptune (alias tcp_tcptune_newreno)"
	else
		tap_fail "writing the default sysctl autoloads tcptune" \
			"default is '$cur' ($err); $(grep tcptune /proc/modules)"
	fi
	sysctl -qw net.ipv4.tcp_congestion_control="$default0"
else
	tap_fail "writing the default sysctl autoloads tcptune" "could not unload it first"
fi
rmmod_retry >/dev/null
if [ -n "$treelink" ]; then
	rm -rf "$kdir" && ln -s "$treelink" "$kdir"
else
	umount -l "$lower" 2>/dev/null; umount -l $ov 2>/dev/null
fi

# ---- who may pick our algorithms ---------------------------------------------------
# A fresh load: nothing was ever made the default, nothing is allowed.
insmod "$KO"
allow "$allowed0"
cur=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
if ! grep -qw 'tcptune_[a-z]*' <<<"$cur" && grep -qw tcptune_reno /proc/sys/net/ipv4/tcp_available_congestion_control; then
	tap_ok "loaded, our algorithms are available but not in tcp_allowed_congestion_control"
else
	tap_fail "loaded, our algorithms are available but not in tcp_allowed_congestion_control" \
		"allowed: $cur; available: $(cat /proc/sys/net/ipv4/tcp_available_congestion_control)"
fi
for a in tcptune_reno tcptune_newreno tcptune_bbr; do
	expect "unprivileged setsockopt $a: EPERM (not allowed)" EPERM "$(cc nobody "$a")"
done
expect "unprivileged setsockopt reno (allowed): works" "set reno" "$(cc nobody reno)"
expect "root's setsockopt tcptune_reno: works (root may pick any)" "set tcptune_reno" "$(cc tcptune_reno)"
allow "$allowed0 tcptune_reno"
expect "listed in tcp_allowed_congestion_control: unprivileged setsockopt tcptune_reno works" \
	"set tcptune_reno" "$(cc nobody tcptune_reno)"
expect "tcptune_newreno, not listed beside it: still EPERM" EPERM "$(cc nobody tcptune_newreno)"
allow "$allowed0"
expect "taken off the list again: unprivileged tcptune_reno EPERM" EPERM "$(cc nobody tcptune_reno)"
# Once a default, the kernel marks an algorithm non-restricted for good ...
sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno
sysctl -qw net.ipv4.tcp_congestion_control="$default0"
expect "once made the default, tcptune_newreno is open to unprivileged users (the kernel's mark)" \
	"set tcptune_newreno" "$(cc nobody tcptune_newreno)"
# ... until the module is loaded again.
if err=$(rmmod_retry); then
	insmod "$KO"
	expect "reloaded, the mark is gone: unprivileged tcptune_newreno EPERM" EPERM "$(cc nobody tcptune_newreno)"
else
	tap_fail "reloaded, the mark is gone: unprivileged tcptune_newreno EPERM" "rmmod: $err"
fi
allow "$allowed0"
loaded || insmod "$KO"
tap_done
