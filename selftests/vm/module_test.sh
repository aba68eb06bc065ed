#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module lifetime in the VM: rmmod is refused (EBUSY) while a socket or a
# namespace default uses one of our algorithms and succeeds once nothing
# does; writing the default sysctl for one of ours autoloads the module
# (MODULE_ALIAS tcp_<name>).  Leaves tcptune.ko loaded at the end.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../lib/tap.sh"
KO=$top/module/tcptune.ko
PY=/usr/bin/python3

loaded() { grep -q '^tcptune ' /proc/modules; }

# rmmod with retries for references that go away asynchronously (netns
# cleanup, sockets closing).  Prints rmmod's last error.
rmmod_retry() {
	local i err
	for i in $(seq 1 50); do
		err=$(rmmod tcptune 2>&1) && return 0
		sleep 0.2
	done
	echo "$err"
	return 1
}

tap_plan 7
loaded || insmod "$KO"

# 1. A socket using tcptune_reno holds the module.
$PY - <<'PYEOF' &
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 5301)); l.listen(1)
c = socket.socket(); c.setsockopt(socket.IPPROTO_TCP, 13, b"tcptune_reno")
c.connect(("127.0.0.1", 5301)); s, _ = l.accept()
open("/tmp/tt_holder_ready", "w").close()
time.sleep(30)
PYEOF
holder=$!
for i in $(seq 1 100); do [ -e /tmp/tt_holder_ready ] && break; sleep 0.1; done
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

# 2. A namespace whose default is ours holds the module.
insmod "$KO"
ip netns add tt_mod
ip netns exec tt_mod sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno
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

# 3. Autoload: the module is found by modprobe through its alias.  The
# host's /lib/modules is read-only here, so the freshly built module is
# put in a tmpfs overlay of this kernel's module directory.
kdir=/lib/modules/$(uname -r)
ov=/run/tt-modules
mkdir -p $ov
mount -t tmpfs tmpfs $ov && mkdir -p $ov/upper $ov/work &&
	mount -t overlay overlay -o lowerdir=$kdir,upperdir=$ov/upper,workdir=$ov/work $kdir &&
	mkdir -p $kdir/updates && cp "$KO" $kdir/updates/ && depmod -a
if loaded; then
	tap_fail "module is unloaded before the autoload test"
else
	tap_ok "module is unloaded before the autoload test"
fi
ip netns exec tt_mod sysctl -qw net.ipv4.tcp_congestion_control=tcptune_newreno
cur=$(ip netns exec tt_mod sysctl -n net.ipv4.tcp_congestion_control)
if loaded && [ "$cur" = tcptune_newreno ]; then
	tap_ok "writing the default sysctl autoloads tcptune (alias tcp_tcptune_newreno)"
else
	tap_fail "writing the default sysctl autoloads tcptune" "default is '$cur'; $(grep tcptune /proc/modules)"
fi
ip netns exec tt_mod sysctl -qw net.ipv4.tcp_congestion_control=reno
ip netns del tt_mod
rmmod_retry >/dev/null
umount $kdir 2>/dev/null; umount $ov 2>/dev/null
# Unprivileged setsockopt of an unloaded algorithm may not load modules.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups $PY -c '
import socket
s = socket.socket()
try:
    s.setsockopt(socket.IPPROTO_TCP, 13, b"tcptune_reno"); print("set")
except OSError as e:
    print(e.errno)' 2>&1)
if ! loaded && [ "$out" = 2 ]; then
	tap_ok "unprivileged setsockopt does not load the module (ENOENT)"
else
	tap_fail "unprivileged setsockopt does not load the module (ENOENT)" "$out"
fi
insmod "$KO"
tap_done
