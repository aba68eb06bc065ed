# SPDX-License-Identifier: GPL-2.0
"""
The scripted remote TCP and the sender under test, in a private netns.

    +----------------- netns created for each test case -----------------+
    |                                                                    |
    |  sender socket (TCP_CONGESTION = algorithm under test)             |
    |      198.18.0.1 / 2001:db8::1                                      |
    |            |                                                       |
    |          tun0 (IFF_TUN | IFF_NO_PI, gso_max_segs 1: one MSS per skb) |
    |            |                                                       |
    |      tun fd in this process = scripted peer 198.18.0.2 / 2001:db8::2|
    |      (reads each data segment, writes the ACKs the test crafts)    |
    +--------------------------------------------------------------------+

Everything the sender does in reaction to an ACK happens in softirq context
while the peer's write() to the tun fd runs, so "drain until the fd has been
quiet for a short while" is enough to see the whole reaction; timer-driven
events (the RTO) are waited for with generous timeouts.  The route to the
peer carries rto_min so that a slow script never meets an unexpected RTO.
"""
import ctypes
import errno
import fcntl
import os
import re
import select
import socket
import struct
import subprocess
import time

import packets as P

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
TCP_CONGESTION = 13
TCP_INFO = 11
SO_SNDBUFFORCE = 32

CA_STATES = {0: "Open", 1: "Disorder", 2: "CWR", 3: "Recovery", 4: "Loss"}


def _kernel_version(release=None):
    """(major, minor) of the running kernel, from uname's release."""
    m = re.match(r"(\d+)\.(\d+)", release or os.uname().release)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


# Linux 6.17 removed the RFC 3517/6675 loss recovery that tcp_recovery = 0
# selected ("tcp: remove obsolete and unused RFC3517/RFC6675 loss recovery
# code", net-next, June 2025): from then on RACK (RFC 8985) always detects
# losses on a SACK connection, and the sysctl's 0x1 bit is ignored.
RACK_ALWAYS = _kernel_version() >= (6, 17)
# What a SACK scenario's peer does there so that RACK and the duplicate-ACK
# threshold mark the same segment lost at the same ACK.  Until the third
# SACKed duplicate ACK, RACK waits a reordering window of min_RTT / 4,
# capped at SRTT (RFC 8985 6.2; Linux), before it calls a segment lost
# that was sent before a SACKed one; on tun, min_RTT is microseconds, as
# is the gap between two segments of a burst, so the first SACKed
# duplicate ACK would already start a recovery.  The peer therefore:
#  - answers the handshake after RACK_HANDSHAKE_HOLD (under the 1 s
#    initial RTO, which would retransmit the SYN);
#  - sends every ACK before the sender's first Recovery or Loss no sooner
#    than RACK_RTT_FLOOR after the segments it newly covers arrived;
#  - sets tcp_min_rtt_wlen = 0, so that min_RTT is the newest sample.
# The first SACKed duplicate ACK then carries a 2 s RTT sample: min_RTT
# 2 s, SRTT about 0.9 s, a window of 0.5 s, longer than the scripted steps
# up to the third duplicate ACK (about 0.1 s: a step ends 50 ms after the
# sender's last segment) and than any gap within a burst.  A scenario pays
# about 2.7 s for it.
RACK_HANDSHAKE_HOLD = 0.7
RACK_RTT_FLOOR = float(os.environ.get("CONFORMANCE_RACK_RTT_FLOOR", "2.0"))
INFINITE_SSTHRESH = 0x7FFFFFFF

ADDRS = {
    socket.AF_INET: ("198.18.0.1", "198.18.0.2", "198.18.0.0/24", ""),
    socket.AF_INET6: ("2001:db8::1", "2001:db8::2", "2001:db8::/64", "-6"),
}

_libc = ctypes.CDLL(None, use_errno=True)


def run(*cmd, stdin=None):
    subprocess.run(cmd, check=True, input=stdin, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, text=True)


def new_netns():
    """Move this (single-threaded) process into a fresh network namespace."""
    if _libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "unshare(CLONE_NEWNET): " + os.strerror(err))


def sysctl(name, value):
    with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
        f.write(str(value))


class TcpInfo:
    """struct tcp_info (include/uapi/linux/tcp.h), the fields the tests read."""

    U32_FIELDS = ("rto", "ato", "snd_mss", "rcv_mss", "unacked", "sacked", "lost",
                  "retrans", "fackets", "last_data_sent", "last_ack_sent",
                  "last_data_recv", "last_ack_recv", "pmtu", "rcv_ssthresh", "rtt",
                  "rttvar", "snd_ssthresh", "snd_cwnd", "advmss", "reordering",
                  "rcv_rtt", "rcv_space", "total_retrans")

    def __init__(self, raw):
        (self.state, self.ca_state, self.retransmits, self.probes, self.backoff,
         self.options, wscale, self.flags) = struct.unpack_from("8B", raw, 0)
        self.snd_wscale, self.rcv_wscale = wscale & 0xF, wscale >> 4
        for i, name in enumerate(self.U32_FIELDS):
            setattr(self, name, struct.unpack_from("I", raw, 8 + 4 * i)[0])
        self.notsent = struct.unpack_from("I", raw, 144)[0] if len(raw) >= 148 else 0

    @property
    def ca(self):
        return CA_STATES.get(self.ca_state, str(self.ca_state))

    def brief(self):
        ss = "inf" if self.snd_ssthresh >= INFINITE_SSTHRESH else str(self.snd_ssthresh)
        return "cwnd=%d ssthresh=%s state=%s unacked=%d sacked=%d lost=%d retrans=%d notsent=%d" % (
            self.snd_cwnd, ss, self.ca, self.unacked, self.sacked, self.lost, self.retrans, self.notsent)


class Sent:
    """One data segment the sender emitted, in segment units."""

    def __init__(self, seg, index, rtx):
        self.seg = seg
        self.index = index      # (relative seq) // mss
        self.rtx = rtx          # below the highest sequence seen before

    def __repr__(self):
        return ("r%d" if self.rtx else "%d") % self.index


class Connection:
    """A sender socket connected to the scripted peer over tun0.

    All sequence arithmetic is in segments of the sender's MSS: segment i
    covers relative bytes [i * mss, (i + 1) * mss) after the SYN.
    """

    QUIET = float(os.environ.get("CONFORMANCE_QUIET", "0.05"))  # quiet this long: reaction over

    # How long the peer waits for a retransmitted SYN or SYN-ACK: the
    # stack's timers back off from 1 s (1, 2, 4 s), and fire late under TCG.
    SYN_RTX_WAIT = 10.0

    def __init__(self, algo, family=socket.AF_INET, sack=True, ts=False, ecn=False,
                 mss=1000, rto_min="10s", frto=0, write_bytes=4 << 20, sysctls=None,
                 passive=False, syn_drops=0, rack_floor=False):
        """passive: the sender socket is accept()ed from a listener and the
        peer opens the connection.  syn_drops: the peer ignores that many
        transmissions of the sender's SYN (active open) or SYN-ACK (passive
        open) and answers the next one; the times at which they came are
        in self.syn_times (seconds after the first).  rack_floor: on a
        kernel where RACK cannot be turned off (RACK_ALWAYS), the peer
        holds its answer to the handshake and its ACKs until the sender's
        first Recovery or Loss (see RACK_HANDSHAKE_HOLD)."""
        self.algo, self.family, self.sack, self.ts, self.ecn = algo, family, sack, ts, ecn
        self.passive, self.syn_drops = passive, syn_drops
        self.rtt_floor = RACK_RTT_FLOOR if (rack_floor and sack and RACK_ALWAYS) else 0.0
        self.floor_over = False     # the sender has been in Recovery or Loss
        self.arrived = {}           # segment index -> when its last copy arrived
        self.covered = set()        # segment indexes acknowledged or SACKed so far
        self.syn_times = []
        self.log = []
        new_netns()
        settings = {
            "net.ipv4.tcp_recovery": 0,          # classic dupthresh, no RACK
            "net.ipv4.tcp_early_retrans": 0,     # no TLP
            "net.ipv4.tcp_frto": frto,
            "net.ipv4.tcp_timestamps": 1 if ts else 0,
            "net.ipv4.tcp_sack": 1 if sack else 0,
            "net.ipv4.tcp_dsack": 1,
            "net.ipv4.tcp_no_metrics_save": 1,
            "net.ipv4.tcp_ecn": 1 if ecn else 0,
            "net.ipv4.tcp_slow_start_after_idle": 1,
            "net.ipv4.tcp_autocorking": 0,
        }
        if self.rtt_floor:
            settings["net.ipv4.tcp_min_rtt_wlen"] = 0   # min_RTT: the newest sample
        settings.update(sysctls or {})
        for name, value in settings.items():
            sysctl(name, value)
        self._tun_up(rto_min)
        if passive:
            self._accept(algo, mss)
        else:
            self._connect(algo, mss)
        self._established(write_bytes)

    # -- set-up ------------------------------------------------------------

    def _tun_up(self, rto_min):
        self.tun = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(self.tun, TUNSETIFF, struct.pack("16sH22x", b"tun0", IFF_TUN | IFF_NO_PI))
        local, peer, prefix, v = ADDRS[self.family]
        self.local, self.peer = local, peer
        # TCP always builds GSO skbs; one MSS per skb keeps TSO deferral
        # (tcp_tso_should_defer) from holding back a segment cwnd allows.
        run("ethtool", "-K", "tun0", "gso", "off", "tso", "off", "gro", "off")
        # the rest in one ip (each exec costs a debug kernel ~0.5 s); the
        # family of each line follows from its address
        run("ip", "-batch", "-", stdin="".join(l + "\n" for l in (
            "link set lo up",
            "link set tun0 gso_max_segs 1",
            "link set tun0 up",
            "addr add %s%s dev tun0%s" % (local, "/128" if v else "/32", " nodad" if v else ""),
            "route add %s dev tun0 rto_min %s" % (prefix, rto_min))))

    def _sender_socket(self, s, algo):
        s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, algo.encode())
        s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 16 << 20)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)

    def _wait_retransmissions(self, first, pred, what):
        """Ignore `first` and the next syn_drops - 1 copies of it; return
        the copy after them (the one to answer)."""
        seg, t0 = first, time.monotonic()
        self.syn_times = [0.0]
        for k in range(self.syn_drops):
            seg = self.wait_for(pred, self.SYN_RTX_WAIT, what)
            if seg is None:
                raise RuntimeError("%s not retransmitted (%d of %d)"
                                   % (what, k + 1, self.syn_drops))
            if seg.seq != first.seq:
                raise RuntimeError("retransmitted %s has another ISN: %r" % (what, seg))
            self.syn_times.append(time.monotonic() - t0)
        return seg

    def _connect(self, algo, mss):
        s = socket.socket(self.family, socket.SOCK_STREAM)
        self._sender_socket(s, algo)
        self.sock = s
        self.port = 5001
        err = s.connect_ex((self.peer, self.port))
        if err not in (0, errno.EINPROGRESS):
            raise OSError(err, "connect")
        is_syn = lambda g: g.has(P.SYN) and not g.has(P.ACK)  # noqa: E731
        syn = self.wait_for(is_syn, 3.0, "SYN")
        if syn is None:
            raise RuntimeError("no SYN from the sender")
        syn = self._wait_retransmissions(syn, is_syn, "SYN")
        self.sport = syn.sport
        self.isn = syn.seq
        self.syn = syn
        self.iss = 0x10000000
        self.ts_clock = 1000
        self.last_tsval = syn.options.get("ts", (0, 0))[0]
        flags = P.SYN | P.ACK
        if self.ecn:
            if not (syn.has(P.ECE) and syn.has(P.CWR)):
                raise RuntimeError("SYN does not ask for ECN: %r" % syn)
            flags |= P.ECE
        opts = P.build_options(mss=mss, sackok=self.sack,
                               ts=self._ts() if self.ts else None, wscale=7)
        self._hold(time.monotonic(), RACK_HANDSHAKE_HOLD)   # the SYN has just arrived
        self._write(self.iss, self.isn + 1, flags, opts, window=65535)
        self.wait_for(lambda g: g.has(P.ACK) and not g.has(P.SYN), 3.0, "handshake ACK")

    def _accept(self, algo, mss):
        """Passive open: the peer sends the SYN, the listener's SYN-ACK is
        answered (after syn_drops retransmissions) with the third ACK, and
        the accepted socket is the sender."""
        if self.ecn:
            raise ValueError("passive open with ECN is not scripted")
        lst = socket.socket(self.family, socket.SOCK_STREAM)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sender_socket(lst, algo)
        lst.bind((self.local, 5001))
        lst.listen(1)
        self.sport = 5001       # the sender's port
        self.port = 40001       # the peer's
        self.iss = 0x10000000
        self.ts_clock = 1000
        self.last_tsval = 0
        opts = P.build_options(mss=mss, sackok=self.sack,
                               ts=self._ts() if self.ts else None, wscale=7)
        self._write(self.iss, 0, P.SYN, opts, window=65535)
        is_synack = lambda g: g.has(P.SYN) and g.has(P.ACK)  # noqa: E731
        synack = self.wait_for(is_synack, 3.0, "SYN-ACK")
        if synack is None:
            lst.close()
            raise RuntimeError("no SYN-ACK from the listener")
        synack = self._wait_retransmissions(synack, is_synack, "SYN-ACK")
        self.isn = synack.seq
        self.syn = synack
        self.last_tsval = synack.options.get("ts", (0, 0))[0]
        opts = P.build_options(ts=self._ts()) if self.ts else b""
        self._hold(time.monotonic(), RACK_HANDSHAKE_HOLD)   # the SYN-ACK has just arrived
        self._write(self.iss + 1, self.isn + 1, P.ACK, opts, window=65535)
        ready, _, _ = select.select([lst], [], [], 3.0)
        if not ready:
            lst.close()
            raise RuntimeError("the listener accepted nothing")
        s, _ = lst.accept()
        lst.close()
        self._sender_socket(s, algo)
        self.sock = s

    def _established(self, write_bytes):
        algo = self.sock.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16)
        if algo.rstrip(b"\0").decode() != self.algo:
            raise RuntimeError("sender's congestion control is %r, not %s" % (algo, self.algo))
        info = self.info()
        if info.state != 1:
            raise RuntimeError("not established: state %d" % info.state)
        self.mss = info.snd_mss
        self.snd_una = 0        # segment index the peer has acknowledged
        self.high = 0           # one past the highest segment index seen
        self.tsval = {}         # segment index -> TSval of its last transmission
        self.first_tsval = {}   # segment index -> TSval of its first transmission
        self.written = 0
        # The SYN-ACK's window is never scaled (RFC 7323 2.2): announce the
        # scaled window once now, so that no later ACK is a window update
        # (a window update is not a duplicate ACK, RFC 5681 section 2).
        self.ack(0)
        if write_bytes:
            self.write(write_bytes)

    def write(self, nbytes):
        """The application writes nbytes more (as much as the socket takes)."""
        data = b"x" * nbytes
        done = 0
        while done < nbytes:
            try:
                done += self.sock.send(data[done:])
            except BlockingIOError:
                break
        self.written += done
        return done

    def close(self):
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()
        finally:
            os.close(self.tun)

    # -- raw I/O -------------------------------------------------------------

    def _ts(self):
        self.ts_clock += 1
        return (self.ts_clock, self.last_tsval)

    def _write(self, seq, ack, flags, options=b"", window=None):
        pkt = P.build(self.family, self.peer, self.local, self.port, self.sport,
                      seq, ack, flags, 65535 if window is None else window, options)
        os.write(self.tun, pkt)

    def _read_one(self, timeout):
        """One TCP segment from the sender, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                raw = os.read(self.tun, 65536)
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                select.select([self.tun], [], [], left)
                continue
            seg = P.parse(raw)
            if seg is not None and seg.dst == self.peer:
                return seg

    def wait_for(self, pred, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            seg = self._read_one(left)
            if seg is not None and pred(seg):
                return seg

    # -- the data path ---------------------------------------------------------

    def _classify(self, seg):
        if not seg.payload:
            return None
        rel = (seg.seq - self.isn - 1) & 0xFFFFFFFF
        index = rel // self.mss
        end = -(-(rel + len(seg.payload)) // self.mss)
        rtx = index < self.high
        self.high = max(self.high, end)
        now = time.monotonic()
        for i in range(index, end):
            self.arrived[i] = now
        if "ts" in seg.options:
            self.last_tsval = seg.options["ts"][0]
            self.tsval[index] = seg.options["ts"][0]
            self.first_tsval.setdefault(index, seg.options["ts"][0])
        return Sent(seg, index, rtx)

    def drain(self, first=0.3, quiet=None):
        """Data segments the sender emits now: wait up to `first` seconds for
        the first one, then read until the fd has been quiet for `quiet`."""
        quiet = self.QUIET if quiet is None else quiet
        out = []
        timeout = first
        while True:
            seg = self._read_one(timeout)
            if seg is None:
                return out
            sent = self._classify(seg)
            if sent is not None:
                out.append(sent)
            timeout = quiet

    def seq_of(self, index):
        return (self.isn + 1 + index * self.mss) & 0xFFFFFFFF

    def ack(self, upto, sack=(), ece=False, tsecr=None, window=65535):
        """Send an ACK for segments [0, upto), with SACK blocks given as
        (first, end) segment index pairs (a block below upto is a DSACK)."""
        ts = None
        if self.ts:
            ts = (self._next_tsval(), self.last_tsval if tsecr is None else tsecr)
        blocks = [(self.seq_of(a), self.seq_of(b)) for a, b in sack]
        opts = P.build_options(ts=ts, sack=blocks) if (ts or blocks) else b""
        flags = P.ACK | (P.ECE if ece else 0)
        if self.rtt_floor and not self.floor_over:
            new = (set(range(upto)) | {i for a, b in sack for i in range(a, b)}) - self.covered
            self.covered |= new
            self._hold(max((self.arrived.get(i, 0.0) for i in new), default=0.0))
        ackno = self.seq_of(upto)
        if self.written and upto * self.mss > self.written:   # a short last segment
            ackno = (self.isn + 1 + self.written) & 0xFFFFFFFF
        self._write(self.iss + 1, ackno, flags, opts, window)
        self.snd_una = max(self.snd_una, upto)

    def _next_tsval(self):
        self.ts_clock += 1
        return self.ts_clock

    def _hold(self, since, floor=None):
        """With an RTT floor, wait until it (or `floor`) has passed since
        `since`."""
        if self.rtt_floor and not self.floor_over:
            left = since + (self.rtt_floor if floor is None else floor) - time.monotonic()
            if left > 0:
                time.sleep(left)

    def info(self):
        ti = TcpInfo(self.sock.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 256))
        if ti.ca in ("Recovery", "Loss"):
            self.floor_over = True
        return ti
