#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of lifecycle_test.sh (run in the VM, as root).

  lifecycle_helper.py rmmod [TRIES [INTERVAL]]
        delete_module("tcptune", O_NONBLOCK) until it succeeds; prints
        "ok ATTEMPTS" (exit 0) or "refused ERRNO ATTEMPTS" (exit 1).  The
        syscall itself, not rmmod(8), which looks at refcnt and refuses
        before asking the kernel.
  lifecycle_helper.py serve
        reads commands on stdin, one answer line each: "burst ALGO BYTES"
        (a fresh loopback connection with ALGO on the client moves BYTES
        and closes: "ok ALGO BYTES" or "fail WHY") and "rmmod TRIES
        INTERVAL" (as above).  One process for every cycle, so a cycle
        costs no interpreter start.
  lifecycle_helper.py hold N ALGO READYFILE [ADDR PORT]
        N connections with ALGO (to ADDR:PORT if given, else loopback),
        READYFILE when they are up; until stdin closes.
  lifecycle_helper.py dump-unread N READYFILE
        N loopback connections with tcptune_reno, a SOCK_GET dump request
        on a netlink socket with a small receive buffer that is never read,
        then the connections are closed; READYFILE says how many dump
        bytes are queued; the netlink socket stays open until stdin closes.
  lifecycle_helper.py events READYFILE
        joins the "events" group as root and counts events until stdin
        closes; prints "events N errors E".
  lifecycle_helper.py connect ADDR PORT
        one connection with no TCP_CONGESTION set: prints the algorithm the
        kernel chose (route congctl or the netns default).
  lifecycle_helper.py sysctl-loop STOPFILE
        writes valid and invalid values to every net.tcptune.* knob until
        STOPFILE exists, while the module comes and goes; prints counts by
        result; exit 1 if a write gave an unexpected result.
  lifecycle_helper.py sink ADDR PORT
        accepts connections and reads and discards everything, forever.
  lifecycle_helper.py close-race N ADDR PORT READYFILE
        N connections to ADDR:PORT, algorithms mixed, each with data queued;
        READYFILE; on a line on stdin closes them all at once: a third with
        RST (SO_LINGER 0), a third plainly with data still queued (orphans),
        a third after shutdown(SHUT_WR); prints "closed N".
  lifecycle_helper.py sysctl-open-fd READYFILE
        opens /proc/sys/net/tcptune/reno/beta, READYFILE, waits for a line
        on stdin, then writes through the old fd: prints "errno E" or "ok".
"""
import ctypes
import errno
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_nl as nl  # noqa: E402

TCP_CONGESTION = 13
O_NONBLOCK = 0o4000
SYS_delete_module = 176          # x86_64


def delete_module(name="tcptune"):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    r = libc.syscall(SYS_delete_module, name.encode(), O_NONBLOCK)
    return 0 if r == 0 else ctypes.get_errno()


def rmmod_answer(tries, interval):
    tries, interval = int(tries), float(interval)
    err = 0
    for i in range(1, tries + 1):
        err = delete_module()
        if err == 0:
            return 0, "ok %d" % i
        if i < tries:
            time.sleep(interval)
    return 1, "refused %s %d" % (errno.errorcode.get(err, err), tries)


def cmd_rmmod(tries="1", interval="0.1"):
    rc, text = rmmod_answer(tries, interval)
    print(text)
    return rc


def pair(lst, algo):
    c = socket.socket(lst.family, socket.SOCK_STREAM)
    if algo:
        c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
    c.connect(lst.getsockname()[:2])
    s, _ = lst.accept()
    return c, s


def cmd_serve():
    # The listener sets no algorithm: it would hold a module reference.
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(16)
    print("ready")
    sys.stdout.flush()
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "rmmod":
            print(rmmod_answer(*words[1:])[1])
            sys.stdout.flush()
            continue
        try:
            _cmd, algo, nbytes = words
            nbytes = int(nbytes)
            c, s = pair(lst, algo)
            got = c.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16).rstrip(b"\0").decode()
            if got != algo:
                raise RuntimeError("client uses %s, not %s" % (got, algo))
            chunk = b"z" * 65536
            sent = recvd = 0
            c.setblocking(False)
            while recvd < nbytes:
                if sent < nbytes:
                    try:
                        sent += c.send(chunk[:min(len(chunk), nbytes - sent)])
                    except BlockingIOError:
                        pass
                    if sent >= nbytes:
                        c.shutdown(socket.SHUT_WR)
                r, _, _ = select.select([s], [], [], 0.01 if sent < nbytes else 5)
                if r:
                    d = s.recv(1 << 20)
                    if not d:
                        break
                    recvd += len(d)
            c.close()
            s.close()
            if recvd != nbytes:
                raise RuntimeError("received %d of %d" % (recvd, nbytes))
            print("ok %s %d" % (algo, recvd))
        except Exception as e:      # reported to the shell, which fails the test
            print("fail %s" % e)
        sys.stdout.flush()
    return 0


def wait_stdin():
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


def cmd_hold(n, algo, ready, addr=None, port=None):
    n = int(n)
    conns = []
    if addr:
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        for _ in range(n):
            c = socket.socket(fam, socket.SOCK_STREAM)
            c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
            c.connect((addr, int(port)))
            conns.append(c)
    else:
        lst = socket.socket()
        lst.bind(("127.0.0.1", 0))
        lst.listen(n + 1)
        for _ in range(n):
            conns.extend(pair(lst, algo))
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    wait_stdin()
    return 0


def cmd_dump_unread(n, ready):
    n = int(n)
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(n + 1)
    conns = []
    for _ in range(n):
        conns.extend(pair(lst, "tcptune_reno"))
    g = nl.Genl(rcvbuf=4096)
    g.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    g.sock.send(nl.genlmsg(g.family_id, nl.CMD_SOCK_GET, nl.NLM_F_REQUEST | nl.NLM_F_DUMP, 77))
    time.sleep(0.2)
    queued = len(g.sock.recv(1 << 20, socket.MSG_PEEK | socket.MSG_TRUNC | socket.MSG_DONTWAIT))
    for c in conns:
        c.close()
    lst.close()
    with open(ready, "w") as f:
        f.write("%d sockets, first dump datagram %d bytes\n" % (len(conns), queued))
    wait_stdin()
    g.close()
    return 0


def cmd_events(ready):
    g = nl.Genl()
    gid = g.groups.get("events")
    g.sock.setsockopt(nl.SOL_NETLINK, nl.NETLINK_ADD_MEMBERSHIP, gid)
    with open(ready, "w") as f:
        f.write("group %d\n" % gid)
    n = errs = 0
    fds = [g.sock, sys.stdin]
    while True:
        r, _, _ = select.select(fds, [], [], 1)
        if sys.stdin in r:
            if not sys.stdin.readline():
                break
        if g.sock in r:
            try:
                data = g.sock.recv(1 << 16)
                for t, _f, _s, p in nl.split_msgs(data):
                    if t == g.family_id and p[:1] == bytes([nl.CMD_EVENT]):
                        n += 1
            except OSError:
                errs += 1          # ENOBUFS when we are slow: not a failure
    print("events %d errors %d" % (n, errs))
    return 0


def cmd_connect(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((addr, int(port)))
    print(c.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16).rstrip(b"\0").decode())
    c.close()
    return 0


def cmd_sysctl_loop(stopfile):
    rnd = random.Random(1)
    counts = {}
    bad = []
    knobs = None
    while not os.path.exists(stopfile):
        if not os.path.isdir("/proc/sys/net/tcptune"):
            r = nl.sysctl_write("reno", "beta", "50")
            k = "absent:%s" % errno.errorcode.get(r, r)
            counts[k] = counts.get(k, 0) + 1
            # 0: the module came back between the look and the write.
            if r not in (0, errno.ENOENT):
                bad.append(k)
            time.sleep(0.005)
            continue
        try:
            if knobs is None or rnd.random() < 0.02:
                knobs = nl.Genl().knobs()
        except (OSError, KeyError, IndexError, ValueError):
            knobs = None          # the module went away in between
            time.sleep(0.01)
            continue
        k = rnd.choice(knobs)
        valid = rnd.random() < 0.5
        v = rnd.randint(k["min"], k["max"]) if valid else rnd.choice(
            [k["max"] + 1, -1, "x", 2 ** 32]) if k["max"] < 2 ** 32 - 1 else -1
        r = nl.sysctl_write(k["algo"], k["name"], "%s\n" % v)
        key = "%s:%s" % ("valid" if valid else "invalid", errno.errorcode.get(r, "ok") if r else "ok")
        counts[key] = counts.get(key, 0) + 1
        # ENOENT: the table went away under us (rmmod).
        if valid and r not in (0, errno.ENOENT):
            bad.append(key)
        if not valid and r not in (errno.EINVAL, errno.ENOENT):
            bad.append(key)
    print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
    if bad:
        print("unexpected: %s" % bad[:10])
        return 1
    return 0


def cmd_sink(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    lst = socket.socket(fam, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((addr, int(port)))
    lst.listen(1024)
    conns = []
    while True:
        r, _, _ = select.select([lst] + conns, [], [])
        for s in r:
            if s is lst:
                c, _ = lst.accept()
                c.setblocking(False)
                conns.append(c)
                continue
            try:
                d = s.recv(1 << 20)
            except OSError:
                d = b""
            if not d:
                conns.remove(s)
                s.close()


def cmd_close_race(n, addr, port, ready):
    algos = ["tcptune_reno", "tcptune_newreno", "tcptune_bbr"]
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    conns = []
    for i in range(int(n)):
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algos[i % 3].encode())
        c.connect((addr, int(port)))
        c.setblocking(False)
        try:
            c.send(b"q" * 65536)
        except BlockingIOError:
            pass
        conns.append(c)
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    sys.stdin.readline()
    for i, c in enumerate(conns):
        if i % 3 == 0:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif i % 3 == 2:
            c.shutdown(socket.SHUT_WR)
        c.close()
    print("closed %d" % len(conns))
    return 0


def cmd_sysctl_open_fd(ready):
    fd = os.open("/proc/sys/net/tcptune/reno/beta", os.O_RDWR)
    with open(ready, "w") as f:
        f.write("open\n")
    sys.stdin.readline()
    try:
        os.write(fd, b"60\n")
        print("ok")
    except OSError as e:
        print("errno %s" % errno.errorcode.get(e.errno, e.errno))
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.read(fd, 64)
    except OSError:
        pass
    os.close(fd)
    return 0


def main():
    cmds = {"rmmod": cmd_rmmod, "serve": cmd_serve, "hold": cmd_hold,
            "dump-unread": cmd_dump_unread, "events": cmd_events, "connect": cmd_connect,
            "sysctl-loop": cmd_sysctl_loop, "sink": cmd_sink,
            "close-race": cmd_close_race, "sysctl-open-fd": cmd_sysctl_open_fd}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
