# SPDX-License-Identifier: GPL-2.0
"""inet_diag bytecode for the fuzz suite: random programs, and the same
program run by sock_diag (the kernel's own audit and matcher, the reference)
and by tcptune's SOCK_GET (TCPTUNE_A_FILTER_BC, module/filter.c).

  program(rnd, world)    a random program, mostly well-formed, often not
  diag_cookies(bc)       the cookies sock_diag matches, or OSError(errno)
  ours_cookies(g, bc)    the cookies the module sends, or fuzz_nl.NlError
"""
import os
import socket
import struct

import fuzz_nl as nl

(NOP, JMP, S_GE, S_LE, D_GE, D_LE, AUTO, S_COND, D_COND, DEV_COND, MARK_COND,
 S_EQ, D_EQ, CGROUP_COND) = range(14)
PORT_OPS = (S_GE, S_LE, D_GE, D_LE, S_EQ, D_EQ)
A_FILTER_BC = 6                 # TCPTUNE_A_FILTER_BC
BC_MAX = 4096                   # TCPTUNE_FILTER_BC_MAX

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
INET_DIAG_REQ_BYTECODE = 1
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3


class World:
    """What the programs test against: the live sockets' ports and
    addresses, the cgroup ids worth trying."""

    def __init__(self, socks):
        self.ports = sorted({s["sport"] for s in socks} | {s["dport"] for s in socks})
        self.v4 = sorted({s["saddr"] for s in socks if len(s["saddr"]) == 4} |
                         {s["daddr"] for s in socks if len(s["daddr"]) == 4})
        self.v6 = sorted({s["saddr"] for s in socks if len(s["saddr"]) == 16} |
                         {s["daddr"] for s in socks if len(s["daddr"]) == 16})
        self.v6 += [b"\0" * 10 + b"\xff\xff" + a for a in self.v4]    # v4-mapped
        self.cgroups = [0, 1]
        for p in ("/sys/fs/cgroup", "/sys/fs/cgroup/init.scope"):
            try:
                self.cgroups.append(os.stat(p).st_ino)
            except OSError:
                pass
        try:    # ours: the last line of /proc/self/cgroup on cgroup2 (0::/path)
            path = open("/proc/self/cgroup").read().strip().splitlines()[-1].split(":", 2)[2]
            self.cgroups.append(os.stat("/sys/fs/cgroup" + path).st_ino)
        except (OSError, IndexError):
            pass


def _operand(rnd, w, code):
    if code in PORT_OPS:
        port = rnd.choice(w.ports + [0, 1, 1023, 1024, 65535]) + rnd.choice([-1, 0, 0, 0, 1])
        return struct.pack("=BBH", 0, 0, port & 0xffff)
    if code in (S_COND, D_COND):
        fam = rnd.choice([0, socket.AF_INET, socket.AF_INET, socket.AF_INET6,
                          socket.AF_INET6, rnd.randrange(256)])
        port = rnd.choice([-1, -1, -1] + w.ports + [rnd.randrange(-2, 70000)])
        if fam == socket.AF_INET:
            addr = rnd.choice(w.v4 + [os.urandom(4)])
            plen = rnd.choice([0, 8, 16, 24, 31, 32, 32, rnd.randrange(40)])
        elif fam == socket.AF_INET6:
            addr = rnd.choice(w.v6 + [os.urandom(16)])
            plen = rnd.choice([0, 64, 96, 104, 120, 127, 128, 128, rnd.randrange(140)])
        else:
            addr = b"" if rnd.random() < 0.9 else os.urandom(4)
            plen = 0 if rnd.random() < 0.8 else rnd.randrange(33)
        return struct.pack("=BBxxi", fam, plen, port) + addr
    if code == DEV_COND:
        return struct.pack("=I", rnd.choice([0, 0, 1, rnd.randrange(1 << 32)]))
    if code == MARK_COND:
        mark, mask = rnd.choice([(0, 0), (0, 0xffffffff), (1, 1), (0, 1),
                                 (rnd.randrange(1 << 32), rnd.randrange(1 << 32))])
        return struct.pack("=II", mark, mask)
    if code == CGROUP_COND:
        return struct.pack("=Q", rnd.choice(w.cgroups + [rnd.randrange(1 << 64)]))
    return b""


def program(rnd, w):
    """A random program: 1 to 8 ops, operands of the right size (mostly),
    yes past the operand (mostly), no to an op, the end, 4 past it, or not."""
    n = rnd.randint(1, 8)
    ops = []
    for _ in range(n):
        code = rnd.randrange(14) if rnd.random() < 0.97 else rnd.randrange(14, 256)
        arg = _operand(rnd, w, code)
        if arg and rnd.random() < 0.03:
            arg = arg[:rnd.randrange(len(arg))]
        if rnd.random() < 0.02:
            arg += os.urandom(rnd.randrange(1, 9))
        ops.append([code, arg])
    starts, off = [], 0
    for code, arg in ops:
        starts.append(off)
        off += 4 + len(arg)
    end = off
    out = b""
    for i, (code, arg) in enumerate(ops):
        here = starts[i]
        size = 4 + len(arg)
        yes = size if rnd.random() < 0.95 else rnd.choice([0, 4, size + 4, size - 1, 255, size + 2])
        later = [s - here for s in starts[i + 1:]] + [end - here, end - here + 4]
        c = rnd.random()
        if c < 0.85:
            no = rnd.choice(later)
        elif c < 0.95:
            no = rnd.choice(later) + rnd.choice([-4, -2, 1, 2, 4, 8])
        else:
            no = rnd.randrange(65536)
        out += struct.pack("=BBH", code, yes & 0xff, no & 0xffff) + arg
    if rnd.random() < 0.02:
        out = out[:rnd.randrange(1, len(out) + 1)]
    return out


def diag_cookies(bc, states=0xffffffff):
    """The cookies of the TCP sockets (both families) sock_diag matches
    with bc; OSError(errno) if it refuses the program."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    try:
        s.settimeout(10)
        s.bind((0, 0))
        out = set()
        for seq, fam in enumerate((socket.AF_INET, socket.AF_INET6), 1):
            req = struct.pack("=BBBxI", fam, socket.IPPROTO_TCP, 0, states) + b"\0" * 48
            ln = 4 + len(bc)
            req += struct.pack("=HH", ln, INET_DIAG_REQ_BYTECODE) + bc + b"\0" * (-ln & 3)
            s.send(struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY,
                               NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + req)
            done = False
            while not done:
                for t, _f, sq, p in nl.split_msgs(s.recv(1 << 17)):
                    if sq != seq:
                        continue
                    if t == NLMSG_ERROR or t == NLMSG_DONE:
                        err = struct.unpack_from("=i", p)[0] if len(p) >= 4 else 0
                        if err:
                            raise OSError(-err, os.strerror(-err))
                        done = True
                        break
                    lo, hi = struct.unpack_from("=II", p, 4 + 40)   # idiag_cookie
                    out.add(hi << 32 | lo)
        return out
    finally:
        s.close()


def ours_cookies(g, bc):
    out = set()
    for body in g.tt(nl.CMD_SOCK_GET, nl.NLM_F_DUMP, nl.nla(A_FILTER_BC, bc)):
        for x in nl.attr_all(body, nl.A_SOCK):
            out.add(nl.get_u(nl.attr_dict(x)[nl.SOCK_A_COOKIE]))
    return out
