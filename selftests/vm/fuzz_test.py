#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""R1: a netlink fuzzer for the tcptune generic netlink family, in the VM.

FUZZ_COUNT messages (default 100,000), random and mutated, go to the
family over raw NETLINK_GENERIC sockets, from root and from an
unprivileged user (nobody) at the same time: every command (ALGO_GET,
KNOB_GET, KNOB_SET, SOCK_GET, EVENT, unknown ones), do and dump flags,
wrong attribute types and lengths, nested garbage, truncated headers, bad
nlmsg_len, huge and zero lengths, valid messages with flipped bits, several
messages in one datagram.  Sockets using each of our algorithms stay open
(some carry data, some open and close) so SOCK_GET has content.

Each datagram is walked as the kernel's netlink_rcv_skb() walks it, which
says, per message, what must come back: nothing (a header the kernel drops,
a non-request without NLM_F_ACK), an ACK, or for a request an error or a
valid reply (a well-formed tcptune message; a dump ending with NLMSG_DONE).
The kernel answers a datagram before sendmsg() returns (a dump's later parts
when we read), so a missing answer is seen at once, and a hang trips a
watchdog.  Messages that would reach another generic netlink family are not
sent.

Then: the family still answers; every knob is in [min, max]; netlink and
/proc/sys/net/tcptune agree for every knob; no unprivileged KNOB_SET ever
succeeded, while a root KNOB_SET of a valid value does (positive control);
nobody may not join the events group, root may.

Environment: FUZZ_COUNT (100000), FUZZ_SEED (random), FUZZ_UNPRIV_SHARE
(0.5), FUZZ_DEADLINE seconds (600; reaching it fails the run), FUZZ_HOLDERS
connections per algorithm (4).  TAP output; counts per outcome as
diagnostics.
"""
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_nl as nl  # noqa: E402
import bc_diff  # noqa: E402

COUNT = int(os.environ.get("FUZZ_COUNT", "100000"))
SEED = int(os.environ.get("FUZZ_SEED", str(int.from_bytes(os.urandom(4), "little"))))
UNPRIV_SHARE = float(os.environ.get("FUZZ_UNPRIV_SHARE", "0.5"))
DEADLINE = float(os.environ.get("FUZZ_DEADLINE", "600"))
PLAN = 17
BC_PROGRAMS = int(os.environ.get("FUZZ_BC_PROGRAMS", "2000"))
WORLD = None             # bc_diff.World of the holders, for SOCK_GET's filters
HOLDERS = int(os.environ.get("FUZZ_HOLDERS", "4"))
WATCHDOG = 20.0          # seconds one exchange may take before it is a hang
ALGOS = ["tcptune_reno", "tcptune_newreno", "tcptune_bbr"]
TCP_CONGESTION = 13
NOBODY = 65534

INTERESTING32 = [0, 1, 2, 3, 4, 7, 8, 15, 16, 19, 20, 31, 63, 64, 127, 128, 255, 256,
                 1000, 1001, 4095, 4096, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
                 0x80000000, 0xfffffffe, 0xffffffff]


class Hang(Exception):
    pass


def _alarm(_sig, _frm):
    raise Hang()


# ---- message generation ------------------------------------------------------

class Gen:
    def __init__(self, rnd, fam, knobs):
        self.r = rnd
        self.fam = fam
        self.knobs = knobs            # [(algo, name, min, max)]

    def rstr(self):
        r = self.r
        c = r.random()
        if c < 0.3:
            return r.choice(["reno", "newreno", "bbr", "tcptune_reno", "tcptune_bbr",
                             "tcptune_newreno", "cubic", "", "tcptune_", "r", "renoo"])
        if c < 0.5:
            return r.choice(self.knobs)[1]
        if c < 0.7:
            return "".join(chr(r.randrange(33, 127)) for _ in range(r.randrange(0, 20)))
        return "x" * r.choice([15, 16, 17, 62, 63, 64, 65, 255, 256, 1000, 4000])

    def payload(self, depth=0):
        """An attribute payload of some random kind."""
        r = self.r
        c = r.randrange(12)
        if c == 0:
            return b""
        if c == 1:
            return bytes([r.randrange(256)])
        if c == 2:
            return struct.pack("=H", r.randrange(65536))
        if c == 3:
            return struct.pack("=I", r.choice(INTERESTING32))
        if c == 4:
            return struct.pack("=Q", r.getrandbits(64))
        if c == 5:
            return self.rstr().encode() + b"\0"
        if c == 6:
            return self.rstr().encode()           # no NUL
        if c == 7:
            return os.urandom(r.randrange(0, 64))
        if c <= 9 and depth < 6:
            return self.attrs(depth + 1)          # nested garbage
        if c == 10:
            return b"\0" * r.choice([3, 5, 7, 9, 1024])
        return self.rstr().encode() + b"\0" * r.randrange(1, 9)

    def attr(self, depth=0):
        r = self.r
        t = r.choice([0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 33, 34, 0x3fff, r.randrange(0x4000)])
        if r.random() < 0.3:
            t |= nl.NLA_F_NESTED
        if r.random() < 0.05:
            t |= nl.NLA_F_NET_BYTEORDER
        return nl.nla(t, self.payload(depth))

    def attrs(self, depth=0):
        return b"".join(self.attr(depth) for _ in range(self.r.randrange(0, 5)))

    def knob_nest(self, valid=True):
        r = self.r
        algo, name, lo, hi = r.choice(self.knobs)
        parts = []
        if not valid and r.random() < 0.5:
            algo = self.rstr()
        if not valid and r.random() < 0.3:
            name = self.rstr()
        if valid or r.random() < 0.8:
            parts.append(nl.nla_str(nl.KNOB_A_ALGO, algo))
        if valid or r.random() < 0.8:
            parts.append(nl.nla_str(nl.KNOB_A_NAME, name))
        return parts, lo, hi

    def knob_set_attrs(self):
        r = self.r
        out = []
        n = r.choice([1, 1, 1, 2, 3, 4, 65]) if r.random() < 0.95 else 0
        for _ in range(n):
            parts, lo, hi = self.knob_nest(valid=r.random() < 0.7)
            c = r.random()
            if c < 0.5:
                v = r.randint(lo, hi)
                parts.append(nl.nla_u32(nl.KNOB_A_VALUE, v))
            elif c < 0.7:
                v = r.choice([lo - 1, hi + 1, 0, 0xffffffff, hi * 2 + 1, r.getrandbits(32)])
                parts.append(nl.nla_u32(nl.KNOB_A_VALUE, v))
            elif c < 0.8:
                parts.append(nl.nla(nl.KNOB_A_VALUE, self.payload()))     # wrong type
            elif c < 0.9:
                parts.append(nl.nla(r.randrange(4, 10), struct.pack("=I", 1)))  # read-only attr
            if r.random() < 0.1:
                parts.append(self.attr())
            if r.random() < 0.1:
                r.shuffle(parts)
            out.append(nl.nla_nest(nl.A_KNOB, *parts))
        if out and r.random() < 0.05:
            out.append(out[0])                       # the same knob twice
        return b"".join(out)

    def template(self):
        """(cmd, flags, attrs) of a plausible request."""
        r = self.r
        ack = nl.NLM_F_ACK if r.random() < 0.8 else 0
        req = nl.NLM_F_REQUEST
        dump = nl.NLM_F_DUMP
        c = r.randrange(100)
        if c < 10:
            return nl.CMD_ALGO_GET, req | ack | (dump if r.random() < 0.8 else 0), \
                self.attrs() if r.random() < 0.3 else b""
        if c < 25:                                   # KNOB_GET do
            parts, _lo, _hi = self.knob_nest(valid=r.random() < 0.6)
            if r.random() < 0.15:
                parts.append(nl.nla_u32(nl.KNOB_A_VALUE, 1))
            if r.random() < 0.15:
                parts.append(self.attr())
            a = nl.nla_nest(nl.A_KNOB, *parts) if r.random() < 0.9 else self.attrs()
            return nl.CMD_KNOB_GET, req | ack, a
        if c < 35:                                   # KNOB_GET dump
            a = b""
            if r.random() < 0.5:
                a = nl.nla_str(nl.A_FILTER_ALGO, self.rstr())
            if r.random() < 0.2:
                a += self.attrs()
            return nl.CMD_KNOB_GET, req | ack | dump, a
        if c < 60:                                   # KNOB_SET
            f = req | ack | (dump if r.random() < 0.05 else 0)
            return nl.CMD_KNOB_SET, f, self.knob_set_attrs()
        if c < 75:                                   # SOCK_GET dump
            a = b""
            if r.random() < 0.5:
                a = nl.nla_str(nl.A_FILTER_ALGO, self.rstr())
            if r.random() < 0.4:                     # a filter program
                a += nl.nla(nl.A_FILTER_BC, bc_diff.program(r, WORLD) if WORLD and r.random() < 0.8
                            else self.payload())
            if r.random() < 0.2:
                a += self.attrs()
            return nl.CMD_SOCK_GET, req | ack | (dump if r.random() < 0.9 else 0), a
        if c < 80:
            return nl.CMD_EVENT, req | ack | (dump if r.random() < 0.5 else 0), self.attrs()
        if c < 88:                                   # unknown commands
            cmd = r.choice([0, 6, 7, 0x7f, 0x80, 0xff, r.randrange(256)])
            return cmd, req | ack | (dump if r.random() < 0.5 else 0), self.attrs()
        cmd = r.randrange(0, 8)                      # random attributes
        return cmd, req | ack | (dump if r.random() < 0.5 else 0), self.attrs()

    def build(self, seq):
        r = self.r
        cmd, flags, attrs = self.template()
        if r.random() < 0.05:
            flags = r.getrandbits(16)
        version = 1 if r.random() < 0.9 else r.randrange(256)
        reserved = 0 if r.random() < 0.95 else r.randrange(65536)
        if r.random() < 0.01:
            attrs += nl.nla(nl.A_FILTER_ALGO, os.urandom(r.choice([8000, 16000, 30000])))
        return nl.genlmsg(self.fam, cmd, flags, seq, attrs, version, reserved)

    def mutate(self, m):
        r = self.r
        b = bytearray(m)
        c = r.randrange(100)
        if c < 30:
            return bytes(b)
        if c < 50:                                   # bit flips
            for _ in range(r.choice([1, 1, 2, 3, 8])):
                i = r.randrange(len(b))
                if i in (4, 5) and r.random() < 0.8:
                    i = r.randrange(6, len(b))        # mostly keep the type
                b[i] ^= 1 << r.randrange(8)
            return bytes(b)
        if c < 58:                                   # byte overwrites
            for _ in range(r.randrange(1, 4)):
                i = r.randrange(16, len(b)) if len(b) > 16 else 0
                b[i] = r.choice([0, 0xff, 0x7f, 0x80, 1, r.randrange(256)])
            return bytes(b)
        if c < 66:                                   # truncate
            n = r.randrange(0, len(b) + 1)
            b = b[:n]
            if n >= 4 and r.random() < 0.5:
                struct.pack_into("=I", b, 0, n)
            return bytes(b)
        if c < 72:                                   # trailing garbage
            b += os.urandom(r.choice([1, 2, 3, 4, 8, 16, 100]))
            if r.random() < 0.5:
                struct.pack_into("=I", b, 0, len(b))
            return bytes(b)
        if c < 80:                                   # bad nlmsg_len
            v = r.choice([0, 1, 15, 16, 17, 19, 20, 21, len(b) - 1, len(b) + 1,
                          len(b) + 4, 0xffff, 0x10000, 0xffffffff, r.getrandbits(32)])
            struct.pack_into("=I", b, 0, v & 0xffffffff)
            return bytes(b)
        if c < 88 and len(b) > 24:                   # bad nla_len somewhere
            offs = []
            off = 20
            while off + 4 <= len(b):
                offs.append(off)
                n = struct.unpack_from("=H", b, off)[0]
                if n < 4:
                    break
                off += (n + 3) & ~3
            i = r.choice(offs)
            struct.pack_into("=H", b, i, r.choice([0, 1, 3, 4, 5, 7, 8, 0xffff,
                                                   len(b) - i + 4, r.randrange(65536)]))
            return bytes(b)
        if c < 93:                                   # two messages in one datagram
            other = self.build(struct.unpack_from("=I", b, 8)[0] ^ 0x5a5a0000)
            if len(b) & 3:
                b += b"\0" * (4 - (len(b) & 3))
            return bytes(b) + other
        if c < 97:                                   # random bytes after a header
            n = r.choice([0, 1, 4, 20, 64, 200, 1000])
            return bytes(b[:16]) + os.urandom(n)
        n = r.choice([0, 1, 3, 15, 16, 17, 20, 64, 512, 4096])
        return os.urandom(n)


# ---- the kernel's view of a datagram ----------------------------------------

def walk(dgram):
    """As netlink_rcv_skb(): [(len, type, flags, seq, cmd or None)] processed."""
    out = []
    off = 0
    while len(dgram) - off >= 16:
        n, t, f, seq, _pid = nl.NLMSGHDR.unpack_from(dgram, off)
        if n < 16 or n > len(dgram) - off:
            break
        cmd = dgram[off + 16] if n >= 17 else None
        out.append((n, t, f, seq, cmd))
        off += min((n + 3) & ~3, len(dgram) - off)
    return out


class Expect:
    """What one processed message must get back."""

    def __init__(self, n, t, f, seq, cmd, fam, root):
        self.seq = seq
        self.t = t
        self.cmd = cmd
        self.ack = bool(f & nl.NLM_F_ACK)
        self.request = bool(f & nl.NLM_F_REQUEST) and t >= nl.NLMSG_MIN_TYPE
        self.dump = self.request and (f & nl.NLM_F_DUMP) == nl.NLM_F_DUMP
        self.ours = t == fam
        self.knob_set = self.ours and self.request and cmd == nl.CMD_KNOB_SET and n >= 20
        # A doit that succeeds without a reply sends nothing unless asked to:
        # only KNOB_SET, and only for root.
        self.silent_ok = (self.request and not self.dump and not self.ack and
                          self.knob_set and root)
        self.parts = 0
        self.reply = False
        self.done = False
        self.outcome = None
        self.open = self.request or self.ack


def classify(exps, msgs, fam, problems, stats):
    """Match one batch of received messages to the open expectations."""
    for t, f, seq, p in msgs:
        e = next((x for x in exps if x.open and x.seq == seq), None)
        if e is None:
            problems.append("answer nobody asked for: type %d flags %#x seq %#x %r"
                            % (t, f, seq, p[:32]))
            continue
        if t == nl.NLMSG_ERROR:
            try:
                err, orig, _tlvs = nl.parse_error(p, f)
            except ValueError as ex:
                problems.append("bad nlmsgerr: %s" % ex)
                e.open = False
                continue
            if orig[1] != e.t or orig[3] != e.seq:
                problems.append("nlmsgerr echoes type %d seq %#x, request was %d %#x"
                                % (orig[1], orig[3], e.t, e.seq))
            if err == 0 and not e.ack:
                problems.append("ACK without NLM_F_ACK (type %d cmd %s)" % (e.t, e.cmd))
            if err == 0 and e.dump:
                problems.append("ACK instead of a dump (cmd %s)" % e.cmd)
            if err:
                e.outcome = "error:%s" % nl.errname(-err)
            elif e.reply:
                e.outcome = "reply+ack"
            else:
                e.outcome = "ack"
            e.open = False
            e.done = True
            continue
        if t == nl.NLMSG_DONE:
            if not e.dump:
                problems.append("NLMSG_DONE to a non-dump (cmd %s)" % e.cmd)
            err = struct.unpack_from("=i", p)[0] if len(p) >= 4 else None
            if err is None:
                problems.append("NLMSG_DONE without an error code")
                err = 0
            e.outcome = ("dump-error:%s" % nl.errname(-err)) if err else "dump"
            stats["dump_parts"] = stats.get("dump_parts", 0) + e.parts
            e.open = False
            e.done = True
            continue
        if t < nl.NLMSG_MIN_TYPE:
            problems.append("control message type %d as an answer" % t)
            e.open = False
            continue
        if not e.ours or not e.request:
            problems.append("genl reply of type %d to a message of type %d" % (t, e.t))
            e.open = False
            continue
        try:
            nl.validate_genl(p, fam, t, e.cmd)
        except ValueError as ex:
            problems.append("malformed reply to cmd %s: %s" % (e.cmd, ex))
        if e.dump:
            if not f & nl.NLM_F_MULTI:
                problems.append("dump part without NLM_F_MULTI (cmd %s)" % e.cmd)
            e.parts += 1
            check_dump_part(e, p, problems)
        else:
            if e.reply:
                problems.append("two replies to one do (cmd %s)" % e.cmd)
            e.reply = True
            if not e.ack:
                e.outcome = "reply"
                e.open = False
                e.done = True


def check_dump_part(e, p, problems):
    """Knob dumps must show values within range."""
    if e.cmd != nl.CMD_KNOB_GET:
        return
    for k in nl.attr_all(p[4:], nl.A_KNOB):
        try:
            d = nl.knob_dict(k)
        except KeyError as ex:
            problems.append("knob dump entry without attribute %s" % ex)
            continue
        if not d["min"] <= d["value"] <= d["max"]:
            problems.append("knob %s.%s = %d outside [%d, %d]" % (
                d["algo"], d["name"], d["value"], d["min"], d["max"]))


# ---- one fuzzing process ----------------------------------------------------

def open_socks(rnd):
    """Sockets with different options: ext ack, capped acks, strict checking."""
    out = []
    for ext, cap, strict in ((1, 0, 0), (0, 1, 0), (1, 1, 1), (0, 0, 1)):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, nl.NETLINK_GENERIC)
        try:
            s.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)     # SO_RCVBUFFORCE (root)
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.setsockopt(nl.SOL_NETLINK, nl.NETLINK_EXT_ACK, ext)
        s.setsockopt(nl.SOL_NETLINK, nl.NETLINK_CAP_ACK, cap)
        s.setsockopt(nl.SOL_NETLINK, nl.NETLINK_GET_STRICT_CHK, strict)
        s.bind((0, 0))
        out.append(s)
    return out


def fuzz(role, count, seed, fam, forbidden, knobs, deadline):
    root = role == "root"
    forbidden = set(forbidden)
    rnd = random.Random(seed)
    gen = Gen(rnd, fam, knobs)
    socks = open_socks(rnd)
    outcomes = {}
    problems = []
    stats = {"sent": 0, "skipped_other_family": 0, "hangs": 0, "knob_set_ok": 0,
             "max_exchange_s": 0.0}
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.time()
    seq = rnd.getrandbits(31)
    for _i in range(count):
        if time.time() - t0 > deadline:
            problems.append("deadline of %.0f s reached after %d messages" % (deadline, stats["sent"]))
            break
        seq = (seq + 1) & 0xffffffff
        for _try in range(10):
            dgram = gen.mutate(gen.build(seq))
            subs = walk(dgram)
            if not any(t in forbidden and f & nl.NLM_F_REQUEST for _n, t, f, _s, _c in subs):
                break
        else:
            stats["skipped_other_family"] += 1
            continue
        exps = [Expect(*s, fam=fam, root=root) for s in subs]
        if not subs:
            outcomes["dropped-by-kernel"] = outcomes.get("dropped-by-kernel", 0) + 1
        for e in exps:
            if not e.open:
                outcomes["ignored"] = outcomes.get("ignored", 0) + 1
        s = socks[rnd.randrange(len(socks))]
        t1 = time.time()
        signal.setitimer(signal.ITIMER_REAL, WATCHDOG)
        try:
            try:
                s.send(dgram)
            except OSError as ex:
                # The kernel refused the datagram itself (e.g. too large).
                k = "send-error:%s" % nl.errname(ex.errno)
                outcomes[k] = outcomes.get(k, 0) + 1
                for e in exps:
                    e.open = False
            stats["sent"] += 1
            # Everything but a dump's later parts is queued by now.
            while True:
                try:
                    data = s.recv(1 << 18, socket.MSG_DONTWAIT | socket.MSG_TRUNC)
                except BlockingIOError:
                    if not any(e.open and e.dump and e.parts for e in exps):
                        break
                    data = s.recv(1 << 18, socket.MSG_TRUNC)   # next dump part
                if len(data) > (1 << 18):
                    problems.append("reply truncated: %d bytes" % len(data))
                    data = data[:1 << 18]
                try:
                    msgs = nl.split_msgs(data)
                except ValueError as ex:
                    problems.append("malformed datagram from the kernel: %s" % ex)
                    continue
                classify(exps, msgs, fam, problems, stats)
        except Hang:
            stats["hangs"] += 1
            problems.append("no answer within %.0f s to %s" % (WATCHDOG, dgram[:64].hex()))
            # This socket is unusable now; replace it.
            s.close()
            socks[socks.index(s)] = open_socks(rnd)[0]
            continue
        except OSError as ex:
            problems.append("socket error %s after %s" % (nl.errname(ex.errno), dgram[:64].hex()))
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        stats["max_exchange_s"] = max(stats["max_exchange_s"], time.time() - t1)
        for e in exps:
            if e.open:
                if e.silent_ok and not e.parts:
                    e.outcome = "silent"
                    e.open = False
                elif e.dump and e.parts:
                    problems.append("dump of cmd %s ended without NLMSG_DONE" % e.cmd)
                else:
                    problems.append("no answer to type %d cmd %s flags (ack %s dump %s): %s"
                                    % (e.t, e.cmd, e.ack, e.dump, dgram[:64].hex()))
                    e.outcome = "missing"
            if e.outcome:
                outcomes[e.outcome] = outcomes.get(e.outcome, 0) + 1
            if e.knob_set and e.outcome in ("ack", "silent", "reply", "reply+ack", "dump"):
                stats["knob_set_ok"] += 1
                if not root:
                    problems.append("unprivileged KNOB_SET succeeded (%s): %s"
                                    % (e.outcome, dgram[:96].hex()))
    stats["seconds"] = round(time.time() - t0, 1)
    return {"outcomes": outcomes, "problems": problems[:40], "nproblems": len(problems),
            "stats": stats}


def run_child(fn, *args, drop=False):
    """fn(*args) in a child process (as nobody if drop); returns a pipe reader."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            if drop:
                os.setgroups([])
                os.setresgid(NOBODY, NOBODY, NOBODY)
                os.setresuid(NOBODY, NOBODY, NOBODY)
            out = json.dumps(fn(*args))
        except BaseException:
            out = json.dumps({"exception": traceback.format_exc()})
            code = 1
        with os.fdopen(w, "w") as f:
            f.write(out)
        os._exit(code)
    os.close(w)
    return pid, r


def collect(pid, r):
    with os.fdopen(r) as f:
        data = f.read()
    _, st = os.waitpid(pid, 0)
    try:
        return json.loads(data), os.waitstatus_to_exitcode(st)
    except ValueError:
        return {"exception": "child output: %r" % data[:2000]}, os.waitstatus_to_exitcode(st)


# ---- sockets that use our algorithms ------------------------------------------

class Holders:
    """Connections with each algorithm; a thread keeps a few of them busy and
    opens and closes more, so SOCK_GET dumps change under the fuzzer."""

    def __init__(self, per_algo):
        self.socks = []
        self.pairs = []
        self.listeners = {}
        self.stop = False
        self.churned = 0
        for algo in ALGOS:
            for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
                lst = socket.socket(fam, socket.SOCK_STREAM)
                lst.bind((addr, 0))
                lst.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
                lst.listen(128)
                self.listeners[(algo, fam)] = lst
                self.socks.append(lst)
            for i in range(per_algo):
                fam = socket.AF_INET if i % 2 == 0 else socket.AF_INET6
                self.pairs.append(self.connect(algo, fam))
        self.thread = None

    def start(self):
        """Start the churn thread (after any fork: children get no threads)."""
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def connect(self, algo, fam):
        lst = self.listeners[(algo, fam)]
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
        c.connect(lst.getsockname()[:2])
        s, _ = lst.accept()
        return c, s

    def cookies(self):
        return {nl.sock_cookie(x) for pair in self.pairs for x in pair}

    def run(self):
        rnd = random.Random(SEED ^ 0x55)
        buf = b"x" * 4096
        while not self.stop:
            try:
                for c, s in self.pairs[::3]:
                    c.send(buf)
                    s.recv(65536)
                c, s = self.connect(rnd.choice(ALGOS), rnd.choice([socket.AF_INET, socket.AF_INET6]))
                c.send(buf)
                if rnd.random() < 0.5:
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                c.close()
                s.close()
                self.churned += 1
            except OSError:
                pass
            time.sleep(0.05)

    def close(self):
        self.stop = True
        if self.thread:
            self.thread.join(5)
        for pair in self.pairs:
            for x in pair:
                x.close()
        for x in self.socks:
            x.close()


# ---- the suite ---------------------------------------------------------------

class Tap:
    def __init__(self, plan):
        self.n = 0
        self.failed = 0
        print("TAP version 13")
        print("1..%d" % plan)
        sys.stdout.flush()

    def note(self, text):
        for line in str(text).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def check(self, ok, name, why=""):
        self.n += 1
        if ok:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            if why:
                self.note(why)
        sys.stdout.flush()
        return ok


def unpriv(fn, *args):
    pid, r = run_child(fn, *args, drop=True)
    return collect(pid, r)


def unpriv_knob_set(algo, name, value):
    g = nl.Genl()
    try:
        g.knob_set((algo, name, value))
        return {"err": 0, "uid": os.getuid()}
    except nl.NlError as e:
        return {"err": e.errno, "uid": os.getuid()}


def unpriv_sanity():
    g = nl.Genl()
    return {"algos": sorted(g.algos()), "knobs": len(g.knobs()),
            "socks": len(g.socks()), "uid": os.getuid()}


def join_events():
    """Join the events group: 0 or the errno."""
    g = nl.Genl()
    try:
        g.sock.setsockopt(nl.SOL_NETLINK, nl.NETLINK_ADD_MEMBERSHIP, g.groups["events"])
        return {"err": 0, "uid": os.getuid()}
    except OSError as e:
        return {"err": e.errno, "uid": os.getuid()}
    finally:
        g.close()


def bc_differential(g, want):
    """The socket dump's filter against sock_diag's own audit and matcher:
    BC_PROGRAMS random programs, each run by both on the same connections
    (want, which stay open and established meanwhile)."""
    rnd = random.Random(SEED ^ 0xbc)
    w = bc_diff.World([s for s in g.socks() if s["cookie"] in want])
    acc = rej = strict = 0
    audit, match = [], []
    for _ in range(BC_PROGRAMS):
        bc = bc_diff.program(rnd, w)
        try:
            k, kerr = bc_diff.diag_cookies(bc) & want, None
        except OSError as e:
            k, kerr = None, e.errno
        try:
            o, oerr = bc_diff.ours_cookies(g, bc) & want, None
        except nl.NlError as e:
            o, oerr = None, e.errno
        if kerr is None and oerr is None:
            acc += 1
            if k != o:
                match.append("%s: sock_diag %d, tcptune %d sockets" % (bc.hex(), len(k), len(o)))
            elif 0 < len(o) < len(want):
                strict += 1
        elif kerr is not None and oerr is not None:
            rej += 1
        else:
            audit.append("%s: sock_diag %s, tcptune %s" % (bc.hex(), kerr, oerr))
    return [
        (not audit and acc >= BC_PROGRAMS // 20 and rej >= BC_PROGRAMS // 20,
         "filter bytecode: the module refuses exactly the programs sock_diag refuses "
         "(%d random: %d accepted, %d refused by both)" % (BC_PROGRAMS, acc, rej),
         "\n".join(audit[:10])),
        (not match, "filter bytecode: on every program both accept, the module sends exactly "
         "the connections sock_diag matches", "\n".join(match[:10])),
        (strict >= BC_PROGRAMS // 100,
         "positive control: %d accepted programs matched some but not all of the %d connections"
         % (strict, len(want)), ""),
    ]


def main():
    global WORLD
    tap = Tap(PLAN)
    tap.note("seed %d, %d messages, %.0f%% unprivileged" % (SEED, COUNT, UNPRIV_SHARE * 100))
    try:
        g = nl.Genl()
        fams = g.all_family_ids()
    except Exception:
        tap.check(False, "the family tcptune resolves", traceback.format_exc())
        for _ in range(PLAN - 1):
            tap.check(False, "not run: no family")
        return 1
    fam = g.family_id
    forbidden = {v for k, v in fams.items() if v != fam}
    tap.check(fam is not None, "the family tcptune resolves (id %d, groups %s; %d other families avoided)"
              % (fam, g.groups, len(forbidden)))
    knobs0 = g.knobs()
    knobs = [(k["algo"], k["name"], k["min"], k["max"]) for k in knobs0]

    holders = Holders(HOLDERS)
    want = holders.cookies()
    WORLD = bc_diff.World([s for s in g.socks() if s["cookie"] in want])
    seen = [s["cookie"] for s in g.socks()]
    tap.check(want <= set(seen), "%d connections using our algorithms are in SOCK_GET before the fuzz"
              % len(want), "missing: %s" % (want - set(seen)))

    n_unpriv = int(COUNT * UNPRIV_SHARE)
    n_root = COUNT - n_unpriv
    t0 = time.time()
    kids = []
    if n_root:
        kids.append(("root", run_child(fuzz, "root", n_root, SEED, fam, sorted(forbidden),
                                       knobs, DEADLINE)))
    if n_unpriv:
        kids.append(("nobody", run_child(fuzz, "nobody", n_unpriv, SEED + 1, fam,
                                         sorted(forbidden), knobs, DEADLINE, drop=True)))
    holders.start()
    results = {role: collect(*pr) for role, pr in kids}
    wall = time.time() - t0
    holders_churned = holders.churned
    tap.note("fuzz wall time %.1f s, %d connections opened and closed meanwhile"
             % (wall, holders_churned))

    total_sent = 0
    for role in ("root", "nobody"):
        res, rc = results.get(role, ({"outcomes": {}, "problems": [], "nproblems": 0,
                                      "stats": {"sent": 0, "hangs": 0, "knob_set_ok": 0}}, 0))
        if "exception" in res:
            tap.check(False, "%s: fuzzer ran" % role, res["exception"])
            tap.check(False, "%s: no hang" % role)
            continue
        st = res["stats"]
        total_sent += st["sent"]
        tap.note("%s: %s" % (role, json.dumps(st, sort_keys=True)))
        for k, v in sorted(res["outcomes"].items(), key=lambda kv: -kv[1]):
            tap.note("  %-28s %7d" % (k, v))
        tap.check(rc == 0 and res["nproblems"] == 0,
                  "%s: every message got an error or a valid reply (%d sent)" % (role, st["sent"]),
                  "%d problems, first ones:\n%s" % (res["nproblems"], "\n".join(res["problems"])))
        tap.check(st["hangs"] == 0, "%s: no request hung (watchdog %.0f s, slowest %.3f s)"
                  % (role, WATCHDOG, st.get("max_exchange_s", 0)))
    if "root" not in results or "nobody" not in results:
        tap.note("one role had no messages (FUZZ_UNPRIV_SHARE)")

    # The family still answers, root and unprivileged alike.
    try:
        g2 = nl.Genl()
        algos = g2.algos()
        k = g2.knob_get("reno", "beta")
        ok = set(ALGOS) <= set(algos) and k["name"] == "beta"
        why = "algos %s, knob %s" % (algos, k)
    except Exception:
        ok, why = False, traceback.format_exc()
    u, urc = unpriv(unpriv_sanity)
    ok2 = urc == 0 and set(ALGOS) <= set(u.get("algos", [])) and u.get("uid") == NOBODY
    tap.check(ok and ok2, "after the fuzz the family answers root and nobody", "%s; nobody: %s" % (why, u))

    # Knobs in range; netlink and sysctl agree.
    knobs1 = nl.Genl().knobs()
    bad = [k for k in knobs1 if not k["min"] <= k["value"] <= k["max"]]
    tap.check(len(knobs1) == len(knobs0) and not bad,
              "all %d knobs within [min, max]" % len(knobs1), "out of range: %s" % bad)
    differ = []
    for k in knobs1:
        try:
            v = nl.sysctl_read(k["algo"], k["name"])
        except OSError as e:
            v = "error %s" % e
        if v != k["value"]:
            differ.append("%s.%s netlink %d sysctl %s" % (k["algo"], k["name"], k["value"], v))
    changed = sum(1 for a, b in zip(knobs0, knobs1) if a["value"] != b["value"])
    tap.check(not differ, "netlink and sysctl agree on every knob (%d changed by root's fuzz)" % changed,
              "\n".join(differ))

    # Positive control and the refusal beside it.
    g3 = nl.Genl()
    target = next(k for k in knobs1 if k["algo"] == "reno" and k["name"] == "beta")
    v = target["min"] + 1 if target["value"] != target["min"] + 1 else target["min"] + 2
    try:
        g3.knob_set(("reno", "beta", v))
        got = g3.knob_get("reno", "beta")["value"]
        ok, why = got == v and nl.sysctl_read("reno", "beta") == v, "read back %d" % got
    except Exception:
        ok, why = False, traceback.format_exc()
    tap.check(ok, "root KNOB_SET reno.beta=%d succeeds and reads back (positive control)" % v, why)
    u, urc = unpriv(unpriv_knob_set, "reno", "beta", v + 1)
    after = g3.knob_get("reno", "beta")["value"]
    fuzz_ok = all("unprivileged KNOB_SET" not in p for res, _ in results.values()
                  for p in res.get("problems", []))
    tap.check(urc == 0 and u.get("err") == 1 and after == v and fuzz_ok,
              "unprivileged KNOB_SET refused with EPERM, value unchanged, never succeeded in the fuzz",
              "nobody: %s, value %d" % (u, after))

    # The holders are still there, each once.
    seen = [s["cookie"] for s in g3.socks()]
    dup = {c for c in want if seen.count(c) != 1}
    tap.check(not dup, "our %d connections are each in SOCK_GET exactly once after the fuzz" % len(want),
              "missing or repeated: %s" % dup)
    holders.stop = True         # no churn: the same sockets for both dumps
    if holders.thread:
        holders.thread.join(5)
    t1 = time.time()
    for ok, name, why in bc_differential(g3, want):
        tap.check(ok, name, why)
    tap.note("filter programs: %.1f s" % (time.time() - t1))
    holders.close()

    # The events group is the administrator's (a live feed of every socket).
    r = join_events()
    u, urc = unpriv(join_events)
    tap.check(r["err"] == 0 and urc == 0 and u.get("err") == 1,
              "joining the events group: root may, nobody gets EPERM",
              "root: %s, nobody: %s" % (r, u))

    # Leave the defaults behind.
    errs = []
    for k in knobs1:
        try:
            g3.knob_set((k["algo"], k["name"], k["default"]))
        except nl.NlError as e:
            errs.append("%s.%s: %s" % (k["algo"], k["name"], e))
    tap.check(not errs and all(k["value"] == k["default"] for k in g3.knobs()),
              "every knob restored to its default", "\n".join(errs))
    tap.note("%d messages sent in %.1f s (%.0f/s)" % (total_sent, wall, total_sent / max(wall, 0.001)))
    return 1 if tap.failed or tap.n != PLAN else 0


if __name__ == "__main__":
    sys.exit(main())
