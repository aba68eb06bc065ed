#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Host test of the conformance suite's RFC model (model.py), no VM needed:

    /usr/bin/python3 selftests/conformance/model_test.py

Scripted senders, each a list of per-ACK reactions, are fed to RfcModel the
way script.py does (a step matches a branch when the new segments and,
where given, cwnd agree; the other branches are dropped).  Every sender
that makes an allowed choice (model.py C1-C5) must be accepted from start
to end, and each sender that departs from the RFCs must be rejected at the
step where it departs: the negative controls that keep the model from
accepting anything.  TAP output; exit status 0 only if all pass.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model import RfcModel  # noqa: E402


class Sim:
    """A toy sender: cwnd in segments, sends while FlightSize < cwnd."""

    def __init__(self, cwnd=10, ssthresh=0x7FFFFFFF):
        self.cwnd, self.ssthresh = cwnd, ssthresh
        self.una, self.nxt = 0, cwnd
        self.ba = 0

    def send(self):
        new = max(0, self.cwnd - (self.nxt - self.una))
        self.nxt += new
        return new


def run(model, sim, acks, grow):
    """Feed the cumulative ACKs; grow(sim, acked) is the sender's rule.
    Returns the index of the first step the model rejects, or None."""
    for i, ack in enumerate(acks):
        acked = ack - sim.una
        sim.una = ack
        grow(sim, acked)
        new = sim.send()
        before = model.nxt
        out = model.on_ack(ack)
        match = [b for b, rtx, n in out
                 if rtx == [] and n == new and b.cwnd == sim.cwnd]
        if not match:
            return i, model.describe(out), new, sim.cwnd, before
        model.keep(match)
        model.nxt = sim.nxt
    return None


def ss_l(limit, cap=True, carry=False, ca_at_eq=True, stretch_cap=True):
    """RFC 3465-style sender with a fixed L and the given choices."""
    def grow(s, acked):
        if s.cwnd < s.ssthresh or (s.cwnd == s.ssthresh and not ca_at_eq):
            inc = min(acked, limit)
            if cap and s.cwnd + inc > s.ssthresh > s.cwnd:
                rest = acked - (s.ssthresh - s.cwnd)
                s.cwnd = s.ssthresh
                if carry:
                    s.ba += rest
            else:
                s.cwnd += inc
            return
        s.ba += acked
        if s.ba >= s.cwnd:
            s.ba -= s.cwnd
            s.cwnd += 1
            if stretch_cap and s.ba >= s.cwnd - 1:
                s.ba = s.cwnd - 2
    return grow


def unlimited(s, acked):
    """The kernel's reno in slow start: cwnd += acked, no L."""
    s.cwnd += acked


def linux_ai(s, acked):
    """Linux's tcp_cong_avoid_ai: several increments on one stretch ACK."""
    s.ba += acked
    if s.ba >= s.cwnd:
        d = s.ba // s.cwnd
        s.ba -= d * s.cwnd
        s.cwnd += d


def mixed_l():
    state = {"n": 0}

    def grow(s, acked):
        state["n"] += 1
        s.cwnd += min(acked, 1 if state["n"] == 2 else 2)
    return grow


def cumulative(*steps, start=0):
    out, una = [], start
    for n in steps:
        una += n
        out.append(una)
    return out


def newreno_exit(model_cwnd_choice):
    """Segment 0 lost: three dup ACKs (two limited-transmit segments, 10
    and 11), fast retransmit, then the full ACK of 12 with nothing else in
    flight: option 1 gives min(5, max(0, 1) + 1) = 2, option 2 5."""
    m = RfcModel(newreno=True)
    for k in range(3):
        out = m.on_ack(0)
        m.keep([b for b, _, _ in out])
    out = m.on_ack(12)               # full ACK
    cw = sorted({b.cwnd for b, _, _ in out})
    return model_cwnd_choice in cw, cw


def main():
    results = []

    def case(name, want_ok, res, detail=""):
        ok = (res is None) == want_ok
        results.append((ok, name, "" if ok else "%s %s" % (res, detail)))

    ss = cumulative(1, 2, 4, 3, 2, 2)
    case("accepts L = 2 (RFC 3465 2.2)", True,
         run(RfcModel(False), Sim(), ss, ss_l(2)))
    case("accepts L = 1 (RFC 5681 eq. 2)", True,
         run(RfcModel(False), Sim(), ss, ss_l(1)))
    case("rejects slow start without L (kernel reno)", False,
         run(RfcModel(False), Sim(), ss, unlimited))
    case("rejects changing L within a connection", False,
         run(RfcModel(False), Sim(), ss, mixed_l()))
    case("rejects L = 3", False,
         run(RfcModel(False), Sim(), ss, ss_l(3)))

    # crossing ssthresh with L = 2: cwnd 9, ssthresh 10, ACKs of 2
    def crossing(**kw):
        m = RfcModel(False, cwnd=9)
        for b in m.branches:
            b.ssthresh = 10
        return run(m, Sim(9, 10), cumulative(2, 2, 2, 2, 2, 2, 2, 2, 2), ss_l(2, **kw))
    case("accepts slow start capped at ssthresh, rest dropped (C3)", True, crossing(cap=True))
    case("accepts slow start capped at ssthresh, rest counted (C3)", True,
         crossing(cap=True, carry=True))
    case("accepts slow start past ssthresh (C3, RFC 3465 2.2)", True, crossing(cap=False))

    # at cwnd = ssthresh: congestion avoidance or slow start (C1)
    def at_eq(**kw):
        m = RfcModel(False, cwnd=10)
        for b in m.branches:
            b.ssthresh = 10
        return run(m, Sim(10, 10), cumulative(*[1] * 25), ss_l(2, **kw))
    case("accepts CA at cwnd = ssthresh (C1)", True, at_eq(ca_at_eq=True))
    case("accepts slow start at cwnd = ssthresh (C1)", True, at_eq(ca_at_eq=False))

    # congestion avoidance with stretch ACKs (C4): cwnd 10 > ssthresh 5
    # 20 segments in flight (as after a window reduction), cwnd 10: one
    # ACK of 20 leaves a whole window of bytes_acked after the increment
    def ca(grow, steps):
        m = RfcModel(False, cwnd=10, nxt=20)
        for b in m.branches:
            b.ssthresh = 5
        sim = Sim(10, 5)
        sim.nxt = 20
        return run(m, sim, cumulative(*steps), grow)
    stretch = (20, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2)
    case("accepts a stretch ACK's excess dropped (C4, RFC 5681 3.1)", True,
         ca(ss_l(2, stretch_cap=True), stretch))
    case("accepts a stretch ACK's excess kept (C4, RFC 3465 2.1)", True,
         ca(ss_l(2, stretch_cap=False), stretch))
    case("rejects two increments on one stretch ACK (Linux AI)", False,
         ca(linux_ai, stretch))
    case("rejects growth by one ACK per segment below a window", False,
         ca(lambda s, a: setattr(s, "cwnd", s.cwnd + 1), (1, 1)))

    # NewReno full ACK (C5): FlightSize 0 after the full ACK of 12 segments
    ok1, cw = newreno_exit(2)
    results.append((ok1, "NewReno full ACK allows option 1 = 2 (C5)", "allowed %s" % cw))
    ok2, cw = newreno_exit(5)
    results.append((ok2, "NewReno full ACK allows option 2 = ssthresh 5 (C5)", "allowed %s" % cw))
    ok3, cw = newreno_exit(4)
    results.append((not ok3, "NewReno full ACK rejects 4", "allowed %s" % cw))

    # peer.py: which kernels keep RACK on whatever tcp_recovery says (from
    # 6.17), so that the SACK scenarios hold their ACKs there
    from peer import _kernel_version
    rack = {r: _kernel_version(r) >= (6, 17) for r in
            ("6.1.0-57-amd64", "6.12.95+deb12-amd64", "6.16-rc1", "6.17.0-1-amd64",
             "7.3.4+deb13-amd64", "garbage")}
    want = {"6.1.0-57-amd64": False, "6.12.95+deb12-amd64": False, "6.16-rc1": False,
            "6.17.0-1-amd64": True, "7.3.4+deb13-amd64": True, "garbage": False}
    results.append((rack == want, "peer: RACK always on from 6.17 (uname release parsed)",
                    "got %s" % rack))

    print("TAP version 13")
    print("1..%d" % len(results))
    failed = 0
    for n, (ok, name, detail) in enumerate(results, start=1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        if not ok:
            failed += 1
            # after the result: the harness takes the "#" lines that
            # follow a "not ok" as its reason
            print("# %s" % detail)
    print("# %d of %d failed" % (failed, len(results)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
