# SPDX-License-Identifier: GPL-2.0
"""
Test-case plumbing: a Case collects checks and TAP diagnostics, a Receiver
turns "segment i arrived" into the ACK a receiver would send (cumulative
ACK plus RFC 2018 SACK blocks), and Script drives one connection step by
step against the RFC reference model.
"""
from model import INFINITE
from peer import INFINITE_SSTHRESH


class Case:
    def __init__(self, name):
        self.name = name
        self.lines = []
        self.failures = 0

    def note(self, msg):
        self.lines.append(msg)

    def check(self, what, got, want):
        """One assertion; a failure is recorded and the script goes on."""
        if isinstance(want, int) and want >= INFINITE:
            ok = got >= INFINITE_SSTHRESH
        else:
            ok = got == want
        if not ok:
            self.failures += 1
            self.lines.append("FAIL %s: got %s, expected %s" % (what, got, want))
        return ok

    def among(self, what, got, allowed):
        """got must be one of several values the RFCs allow: allowed is
        [(value, "RFC section: why")]; the diagnostic names them all."""
        ok = any(got == v for v, _ in allowed)
        if not ok:
            self.failures += 1
            self.lines.append("FAIL %s: got %s, RFC allows %s" % (
                what, got, " | ".join("%s (%s)" % (v, why) for v, why in allowed)))
        return ok

    def true(self, what, cond, detail=""):
        if not cond:
            self.failures += 1
            self.lines.append("FAIL %s %s" % (what, detail))
        return cond


class Receiver:
    """Which segments the remote TCP holds, and the ACK it sends for them."""

    def __init__(self, sack):
        self.sack = sack
        self.have = set()
        self.recent = []

    def receive(self, index):
        dup = index in self.have
        self.have.add(index)
        self.recent.append(index)
        return dup

    @property
    def cum(self):
        c = 0
        while c in self.have:
            c += 1
        return c

    def blocks(self, max_blocks=3):
        """SACK blocks above the cumulative ACK, the block holding the most
        recently received segment first (RFC 2018 section 4)."""
        if not self.sack:
            return []
        cum = self.cum
        ranges = []
        for i in sorted(x for x in self.have if x > cum):
            if ranges and ranges[-1][1] == i:
                ranges[-1][1] = i + 1
            else:
                ranges.append([i, i + 1])
        order = []
        for i in reversed(self.recent):
            for r in ranges:
                if r[0] <= i < r[1] and r not in order:
                    order.append(r)
        for r in ranges:
            if r not in order:
                order.append(r)
        return [tuple(r) for r in order[:max_blocks]]


class Script:
    """One connection driven by a script, compared with the RFC model.

    ref=True is the kernel's reno: its reactions are printed beside ours,
    and only what holds for it is asserted by the test itself.
    """

    def __init__(self, case, conn, model, ref=False):
        self.t, self.c, self.m, self.ref = case, conn, model, ref
        self.rcv = Receiver(conn.sack)
        self.sent = []          # every data segment seen, in order
        self.step_no = 0
        # gbn: after an RTO every segment from snd_una is sent again
        # (go-back-N); the model's snd_nxt is then that pointer and the
        # check covers retransmissions and new data alike.
        self.gbn = False

    def burst(self, desc, first=0.5):
        sent = self.c.drain(first=first)
        self.sent += sent
        return sent

    def show(self, desc, sent, info, rfc=None):
        self.step_no += 1
        who = "kernel reno" if self.ref else self.c.algo
        line = "%s %2d %-34s sent %-22s %s" % (who, self.step_no, desc,
                                                 "[" + " ".join(map(repr, sent)) + "]",
                                                 info.brief())
        if rfc is not None:
            line += " | RFC: %s" % rfc
        self.t.note(line)

    def ack(self, desc, upto=None, sack=None, ece=False, tsecr=None, model=True,
            cwnd=None, ssthresh=None, state=None, first=0.15):
        """Send one ACK (default: what the Receiver holds), drain what the
        sender does, check it against the model (unless ref or model=False)
        and against explicit cwnd / ssthresh / state expectations."""
        if upto is None:
            upto = self.rcv.cum
        if sack is None:
            sack = self.rcv.blocks(3 if self.c.ts else 4)
        self.c.ack(upto, sack=sack, ece=ece, tsecr=tsecr)
        sent = self.c.drain(first=first)
        self.sent += sent
        info = self.c.info()
        rfc = None
        matched = None
        if model and self.m is not None:
            before = self.m.nxt
            outcomes = self.m.on_ack(upto)
            rfc = self.m.describe(outcomes)
            if self.gbn:
                got = [s.index for s in sent]
                matched = [b for b, rtx, new in outcomes
                           if got == rtx + list(range(before, before + new))]
                what = "segments sent"
            else:
                got_rtx = [s.index for s in sent if s.rtx]
                got_new = [s.index for s in sent if not s.rtx]
                got = "rtx=%s new=%s" % (got_rtx, got_new)
                matched = [b for b, rtx, new in outcomes
                           if got_rtx == rtx and got_new == list(range(before, before + new))]
                what = "retransmitted / new segments"
            if not self.ref and not matched:
                self.t.failures += 1
                self.t.lines.append("FAIL step %d (%s): %s: got %s, RFC allows %s" % (
                    self.step_no + 1, desc, what, got, rfc))
            # Stay in step with what the sender really did, so that one
            # disagreement is reported once and not at every later step.
            self.m.keep(matched)
            if not self.gbn:
                self.m.nxt = max(self.c.high, self.m.una)
        self.show(desc, sent, info, rfc)
        n = self.step_no
        if cwnd == "model":
            cwnd = None
            if self.m is not None and not self.ref:
                allowed = [(b.cwnd, b.why())
                           for b in self.m.branches]
                allowed = [a for i, a in enumerate(allowed)
                           if a[0] not in [x[0] for x in allowed[:i]]]
                if self.t.among("step %d (%s): tcpi_snd_cwnd" % (n, desc), info.snd_cwnd,
                                allowed):
                    self.m.keep([b for b in self.m.branches if b.cwnd == info.snd_cwnd])
        if cwnd is not None:
            self.t.check("step %d (%s): tcpi_snd_cwnd" % (n, desc), info.snd_cwnd, cwnd)
        if ssthresh is not None:
            self.t.check("step %d (%s): tcpi_snd_ssthresh" % (n, desc), info.snd_ssthresh, ssthresh)
        if state is not None:
            self.t.check("step %d (%s): tcpi_ca_state" % (n, desc), info.ca, state)
        return sent, info

    def deliver(self, desc, index, **kw):
        """Segment `index` reaches the receiver, which sends its ACK."""
        self.rcv.receive(index)
        return self.ack(desc, **kw)
