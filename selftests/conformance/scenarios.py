# SPDX-License-Identifier: GPL-2.0
"""
The conformance scenarios.  Each runs for tcptune_reno, tcptune_newreno and
the kernel's reno (ref=True): our algorithms are held to the RFCs (through
the reference model of model.py and explicit numbers), the kernel's reno
only to what is true of it (PRR in recovery, no ABC limit), and its values
are printed beside ours.  Where an RFC lets the sender choose, a check
accepts every allowed value and names the RFC section of each (model.py
lists the choices, C1-C5).

Segment numbers are indices of MSS-sized segments after the SYN; "ACK n"
acknowledges segments 0 .. n-1.  The initial window is 10 (RFC 6928), so
every script starts with segments 0-9 in flight.
"""
import socket
import time

from model import RfcModel, INFINITE
from peer import Connection
from script import Script

IW = 10


def _start(t, algo, **kw):
    c = Connection(algo, **kw)
    return c


def _initial(t, s):
    sent = s.burst("initial window")
    info = s.c.info()
    s.show("initial window", sent, info, "new=%d cwnd=%d" % (IW, IW))
    t.check("initial window: segments", [x.index for x in sent], list(range(IW)))
    t.check("initial window: tcpi_snd_cwnd", info.snd_cwnd, IW)
    t.check("initial window: tcpi_snd_ssthresh", info.snd_ssthresh, INFINITE)
    t.check("initial window: tcpi_ca_state", info.ca, "Open")
    return sent


def _model(algo, ref, **kw):
    if ref:
        return None
    return RfcModel(newreno=(algo == "tcptune_newreno"), **kw)


def _deliver_new(s, limit, desc="deliver %d", **kw):
    """Deliver, in order, the segments not yet at the receiver (up to
    `limit` of them), one ACK each."""
    done = 0
    while done < limit:
        pending = sorted({x.index for x in s.sent} - s.rcv.have)
        if not pending:
            break
        s.deliver(desc % pending[0], pending[0], **kw)
        done += 1


# 1. Initial window and slow start with byte counting -------------------------

def slow_start_abc(t, algo, ref, family=socket.AF_INET):
    """ACKs of 1, 2, 4 and 3 segments in slow start.  RFC 5681 3.1 eq. (2)
    adds min(N, 1 SMSS) per ACK, RFC 3465 2.2 (experimental) min(N, 2 SMSS):
    either is accepted (model.py C2), but one L for the whole connection;
    more than 2 SMSS for one ACK is not."""
    c = _start(t, algo, family=family)
    try:
        m = _model(algo, ref)
        s = Script(t, c, m, ref)
        _initial(t, s)
        # kernel reno: cwnd += segments acked, with no limit
        exp = {1: (11, 2), 2: (13, 4), 4: (17, 8), 3: (20, 6)}
        una = 0
        for n in (1, 2, 4, 3):
            una += n
            what = "ACK of %d segment%s" % (n, "s" if n > 1 else "") + (" (stretch)" if n > 2 else "")
            sent, info = s.ack(what, upto=una, sack=[], cwnd=exp[n][0] if ref else "model",
                               ssthresh=INFINITE, state="Open")
            if ref:
                t.check("%s: new segments sent" % what, len([x for x in sent if not x.rtx]),
                        exp[n][1])
        if m is not None:
            t.note("RFC choices the sender's behaviour fits: %s" % " | ".join(
                sorted({b.why() for b in m.branches})))
    finally:
        c.close()


# 2-5. One loss: fast retransmit, recovery, full ACK, then CA -----------------

def one_loss(t, algo, ref, sack, ack_loss, family=socket.AF_INET):
    """Segment 0 is lost.  Without ack_loss the receiver's ACK for every
    other segment of the first window and the limited-transmit segments
    reaches the sender (11 duplicate ACKs); with ack_loss the ACKs for
    segments 10 and 11 are lost, so the full ACK finds less in flight and
    NewReno's exit window (RFC 6582 option 1) is below ssthresh."""
    c = _start(t, algo, sack=sack, family=family, rack_floor=True)
    newreno = algo == "tcptune_newreno"
    try:
        m = _model(algo, ref)
        s = Script(t, c, m, ref)
        _initial(t, s)
        flight0 = IW
        # duplicate ACKs 1 and 2: limited transmit, no change of cwnd
        for k in (1, 2):
            s.deliver("dup ACK %d" % k, k, cwnd=None if ref else IW, state="Disorder")
        # third duplicate ACK: fast retransmit, ssthresh from FlightSize
        # without the limited-transmit segments (RFC 3042 / 5681 eq. 4)
        sent, info = s.deliver("dup ACK 3", 3, state="Recovery")
        t.check("dup ACK 3: fast retransmission of segment 0",
                [x.index for x in sent if x.rtx], [0])
        if ref:
            t.check("kernel reno ssthresh = cwnd/2", info.snd_ssthresh, IW // 2)
        else:
            ssthresh = max(flight0 // 2, 2)
            t.check("dup ACK 3: ssthresh = max(FlightSize/2, 2) without LT segments",
                    info.snd_ssthresh, ssthresh)
            # Linux's view of the entry: max(ssthresh, pipe + 1), pipe =
            # packets_out - dup-ACKed segments - the lost one
            pipe = (IW + 2) - 3 - 1
            t.check("dup ACK 3: tcpi_snd_cwnd = max(ssthresh, pipe + 1)", info.snd_cwnd,
                    max(ssthresh, pipe + 1))
        # further duplicate ACKs: RFC 5681's inflated window (pipe in Linux)
        last = 9 if ack_loss else 11
        for k in range(4, last + 1):
            sent, info = s.deliver("dup ACK %d" % k, k, state="Recovery",
                                   cwnd=None if ref else IW // 2,
                                   ssthresh=None if not ref else IW // 2)
            if ref:
                t.check("dup ACK %d: no retransmission" % k, [x for x in sent if x.rtx], [])
        if ack_loss:
            # the receiver gets 10 and 11, but those ACKs are lost
            s.rcv.receive(10)
            s.rcv.receive(11)
        # the retransmission arrives: full ACK (exactly `recover`)
        s.rcv.receive(0)
        before = c.high
        flight = before - 12
        if ref:
            state = "Open" if sack else "Recovery"
            sent, info = s.ack("full ACK (= recover)", state=state)
        else:
            sent, info = s.ack("full ACK (= recover)",
                               state="Open" if sack else "Recovery", ssthresh=IW // 2)
            if newreno:
                opt1 = min(IW // 2, max(flight, 1) + 1)
                allowed = [(opt1, "RFC 6582 3.2 step 3 option 1: min(ssthresh, "
                                  "max(FlightSize, SMSS) + SMSS), FlightSize %d" % flight),
                           (IW // 2, "RFC 6582 3.2 step 3 option 2: ssthresh")]
            else:
                allowed = [(IW // 2, "RFC 5681 3.2 step 6: ssthresh")]
            t.among("full ACK: tcpi_snd_cwnd", info.snd_cwnd, allowed)
            t.note("full ACK: FlightSize %d, exit cwnd %d" % (flight, info.snd_cwnd))
            m.keep([b for b in m.branches if b.cwnd == info.snd_cwnd])
        # deliver what was sent during and after recovery: beyond recover
        # the stack reopens; then congestion avoidance (or slow start back
        # to ssthresh) continues with one ACK per segment, then with
        # delayed ACKs of two segments.
        pending = sorted({x.index for x in s.sent} - s.rcv.have)
        s.rcv.receive(pending[0])
        s.ack("ACK beyond recover", state="Open", cwnd="model")
        _deliver_new(s, 12, cwnd="model")
        grown = c.info().snd_cwnd
        t.true("cwnd grew in congestion avoidance", grown > IW // 2, "(cwnd %d)" % grown)
        for _ in range(6):
            pending = sorted({x.index for x in s.sent} - s.rcv.have)
            if len(pending) < 2:
                break
            s.rcv.receive(pending[0])
            s.deliver("ACK of 2 segments", pending[1], cwnd="model")
    finally:
        c.close()


# 6. Two losses in one window: where Reno and NewReno differ -----------------

def two_losses(t, algo, ref):
    """Segments 0 and 5 are lost, no SACK.  After the retransmission of 0
    arrives (partial ACK 5), NewReno retransmits 5 at once and stays in
    recovery; Reno leaves fast recovery (cwnd = ssthresh, nothing to send),
    and only three more duplicate ACKs make it retransmit 5, halving
    ssthresh a second time from the smaller FlightSize."""
    c = _start(t, algo, sack=False)
    newreno = algo == "tcptune_newreno"
    try:
        s = Script(t, c, _model(algo, ref), ref)
        _initial(t, s)
        for k, seg in enumerate((1, 2, 3, 4, 6, 7, 8), start=1):
            s.deliver("dup ACK %d (seg %d)" % (k, seg), seg,
                      state="Recovery" if k >= 3 else None)
        info = c.info()
        t.check("after 7 dup ACKs: ssthresh", info.snd_ssthresh, 5)
        # the retransmission of 0 arrives: partial ACK (5 < recover 12)
        s.rcv.receive(0)
        if ref:
            # PRR decides when the stack's NewReno retransmission of 5
            # goes out; only require it before the hole is filled.
            sent, info = s.ack("partial ACK 5", state="Recovery", ssthresh=5)
        elif newreno:
            sent, info = s.ack("partial ACK 5", state="Recovery", ssthresh=5)
            t.check("NewReno: partial ACK retransmits segment 5 at once",
                    [x.index for x in sent if x.rtx], [5])
        else:
            sent, info = s.ack("partial ACK 5", ssthresh=5)
            t.check("Reno: partial ACK ends fast recovery, no retransmission",
                    [x.index for x in sent if x.rtx], [])
        # segments 9, 10, 11 arrive: three duplicate ACKs of 5
        for k, seg in enumerate((9, 10, 11), start=1):
            sent, info = s.deliver("dup ACK %d of 5 (seg %d)" % (k, seg), seg)
        if ref:
            t.true("kernel reno: 5 retransmitted before the hole is filled",
                   any(x.rtx and x.index == 5 for x in s.sent))
            t.check("kernel reno: ssthresh unchanged by the partial ACK", info.snd_ssthresh, 5)
            t.check("kernel reno: still in Recovery", info.ca, "Recovery")
        else:
            if newreno:
                t.check("NewReno: ssthresh unchanged after the partial ACK",
                        info.snd_ssthresh, 5)
                t.check("NewReno: still in Recovery", info.ca, "Recovery")
            else:
                # FlightSize when the second fast retransmit runs: 5 .. 11,
                # 7 segments: equation (4) gives 3.5 SMSS, "no more than"
                # which (5681 3.2 step 2) in whole segments is 3
                t.check("Reno: second fast retransmit halves ssthresh again",
                        info.snd_ssthresh, max(7 // 2, 2))
                t.check("Reno: segment 5 retransmitted on the third dup ACK",
                        [x.index for x in sent if x.rtx], [5])
        # every retransmission of 5 arrives, then the rest in order
        s.rcv.receive(5)
        s.ack("ACK after hole 5 is filled", cwnd=None if ref or not newreno else "model")
        _deliver_new(s, 8)
    finally:
        c.close()


# 7. RTO ----------------------------------------------------------------------

def rto(t, algo, ref):
    """No ACK for the initial window: after the RTO segment 0 alone is
    retransmitted, cwnd = 1, ssthresh = max(FlightSize/2, 2) = 5, state
    Loss; then slow start with L = 1 SMSS (RFC 3465 2.3): an ACK of two
    segments adds one; up to ssthresh, then congestion avoidance."""
    c = _start(t, algo, sack=True, rto_min="1s")
    try:
        m = _model(algo, ref)
        s = Script(t, c, m, ref)
        _initial(t, s)
        t0 = time.monotonic()
        sent = s.burst("RTO", first=6.0)
        info = c.info()
        s.show("silence until the RTO (%.1fs)" % (time.monotonic() - t0), sent, info,
               "rtx=[0] cwnd=1 ssthresh=5")
        t.check("RTO: retransmitted", [x.index for x in sent], [0])
        t.true("RTO: all retransmissions", all(x.rtx for x in sent))
        t.check("RTO: tcpi_snd_ssthresh", info.snd_ssthresh, 5)
        t.check("RTO: tcpi_ca_state", info.ca, "Loss")
        if not ref:
            t.check("RTO: tcpi_snd_cwnd", info.snd_cwnd, 1)
            m.on_rto()
            m.nxt = 1           # go-back-N: the next segment "sent" is 1
        s.gbn = True
        # ACKs of 1, 2, 3, 4 segments: L = 1 after the RTO
        una = 0
        for n in (1, 2, 3, 4):
            una += n
            kw = {}
            if ref:
                kw["model"] = False
            s.ack("ACK of %d after RTO" % n, upto=una, sack=[], cwnd="model", **kw)
        # congestion avoidance from cwnd = ssthresh = 5
        for i in range(12):
            una += 1
            s.ack("CA: ACK %d" % una, upto=una, sack=[], model=not ref, cwnd="model")
        t.check("after the RTO: state", c.info().ca, "Open")
    finally:
        c.close()


# 8. Restart after idle (RFC 5681 4.1) ----------------------------------------

def idle_restart(t, algo, ref):
    c = _start(t, algo, sack=True, rto_min="1s", write_bytes=0)
    try:
        s = Script(t, c, None, ref)
        total = 60
        c.write(total * c.mss)
        _initial(t, s)
        acked = 0
        while acked < total:
            pending = sorted({x.index for x in s.sent} - s.rcv.have)
            if not pending:
                break
            for i in pending[:2]:
                s.rcv.receive(i)
            acked = s.rcv.cum
            s.ack("ACK %d" % acked)
        info = c.info()
        t.check("all data acknowledged", info.unacked, 0)
        cwnd_before = info.snd_cwnd
        t.true("cwnd grew above IW before the idle period", cwnd_before > IW,
               "(cwnd %d)" % cwnd_before)
        rto_ms = info.rto / 1000.0
        idle = rto_ms / 1000.0 + 1.0
        time.sleep(idle)
        c.write(40 * c.mss)
        sent = s.burst("after idle")
        info = c.info()
        s.show("write after %.1fs idle (RTO %dms)" % (idle, rto_ms), sent, info,
               "new=min(IW, cwnd)=%d" % min(IW, cwnd_before))
        if ref:
            # tcp_cwnd_restart(): halve once per RTO of idle time, not
            # below min(IW, cwnd) (RFC 2861 style, not RFC 5681 4.1)
            t.check("restart: kernel reno sends its whole cwnd", len(sent), info.snd_cwnd)
            t.true("restart: kernel reno cwnd between IW and half the old cwnd",
                   min(IW, cwnd_before) <= info.snd_cwnd <= max(IW, cwnd_before // 2),
                   "(cwnd %d, before %d)" % (info.snd_cwnd, cwnd_before))
        else:
            # RFC 5681 4.1: "TCP SHOULD set cwnd to no more than RW before
            # beginning transmission", RW = min(IW, cwnd): any window from
            # 1 to RW is allowed; the sender sends all of it.
            rw = min(IW, cwnd_before)
            t.true("restart: RFC 5681 4.1 cwnd <= RW = %d" % rw, 1 <= info.snd_cwnd <= rw,
                   "(tcpi_snd_cwnd %d)" % info.snd_cwnd)
            t.check("restart: segments sent after idle = tcpi_snd_cwnd", len(sent),
                    info.snd_cwnd)
            t.note("restart window %d (RW %d)" % (info.snd_cwnd, rw))
    finally:
        c.close()


# 9. ECN (RFC 3168 6.1.2) -------------------------------------------------------

def ecn(t, algo, ref):
    c = _start(t, algo, sack=True, ecn=True)
    try:
        m = _model(algo, ref)
        s = Script(t, c, m, ref)
        sent = _initial(t, s)
        t.true("data segments are ECN-capable (ECT)", all(x.seg.ect in (1, 2) for x in sent),
               "(ECN field %s)" % [x.seg.ect for x in sent])
        s.ack("ACK 1", upto=1, sack=[], cwnd=11)
        # FlightSize 11 before and 10 after this ACK, cwnd 11: every reading
        # of RFC 3168 / 5681 gives 5.
        sent, info = s.ack("ACK 2 with ECE", upto=2, sack=[], ece=True, model=False,
                           cwnd=None if ref else 5, ssthresh=5, state="CWR")
        t.check("ECE: nothing retransmitted", [x.index for x in sent if x.rtx], [])
        if not ref:
            t.check("ECE: nothing sent (FlightSize 10 >= cwnd 5)", len(sent), 0)
        sent, info = s.ack("ACK 8", upto=8, sack=[], model=False,
                           cwnd=None if ref else 5, ssthresh=5, state="CWR")
        if not ref:
            t.check("ACK 8 in CWR: new segments (FlightSize 4, cwnd 5)", len(sent), 1)
        high = 12
        sent, info = s.ack("ACK 9 with ECE (same window)", upto=9, sack=[], ece=True,
                           model=False, cwnd=None if ref else 5, ssthresh=5, state="CWR")
        t.check("second ECE in the window: nothing retransmitted",
                [x.index for x in sent if x.rtx], [])
        sent, info = s.ack("ACK beyond the window", upto=high + 1, sack=[], model=False,
                           ssthresh=5, state="Open", cwnd=None if ref else 5)
        new = [x for x in s.sent if not x.rtx][IW:]
        t.true("first segment sent after the ECE carries CWR",
               bool(new) and new[2].seg.has(0x80) if len(new) > 2 else False,
               "(segments after the initial window: %s, CWR flags %s)" % (
                   new, [int(x.seg.has(0x80)) for x in new]))
    finally:
        c.close()


# 10. Undo of a spurious fast retransmit ---------------------------------------

def undo_dsack(t, algo, ref):
    """Segment 0 is only delayed: three SACKed duplicate ACKs trigger a
    fast retransmit, the original arrives (full ACK), then the copy does:
    the DSACK proves the retransmission spurious and the window before the
    reduction is restored (tcp_reno_undo_cwnd: max(cwnd, prior cwnd))."""
    c = _start(t, algo, sack=True, rack_floor=True)
    try:
        s = Script(t, c, _model(algo, ref), ref)
        _initial(t, s)
        for k in range(1, 12):
            s.deliver("SACKed dup ACK %d" % k, k, state="Recovery" if k >= 3 else None)
        s.rcv.receive(0)
        sent, info = s.ack("original 0 arrives: full ACK", state="Open", ssthresh=5)
        cwnd_before = info.snd_cwnd
        s.rcv.recent.append(0)
        sent, info = s.ack("DSACK for the retransmission of 0", upto=s.rcv.cum, sack=[(0, 1)],
                           model=False, cwnd=max(cwnd_before, IW), ssthresh=INFINITE,
                           state="Open")
        if not ref:
            flight = c.high - s.rcv.cum
            t.note("after the undo: FlightSize %d" % flight)
    finally:
        c.close()


def undo_timestamps(t, algo, ref):
    """Same, without SACK: the ACK that the delayed original produces echoes
    its timestamp, older than the retransmission (Eifel, RFC 3522)."""
    c = _start(t, algo, sack=False, ts=True)
    try:
        s = Script(t, c, _model(algo, ref), ref)
        _initial(t, s)
        echo = c.first_tsval[0]
        for k in (1, 2, 3):
            s.deliver("dup ACK %d" % k, k, tsecr=echo, state="Recovery" if k == 3 else None)
        info = c.info()
        t.check("fast retransmit: ssthresh", info.snd_ssthresh, 5)
        s.rcv.receive(0)
        # ACK 4 acknowledges 4 new segments in Open state after the undo:
        # slow start adds min(4, L) (kernel reno: 4) if cwnd-limited
        sent, info = s.ack("ACK 4 echoing segment 0's TSval", tsecr=echo, model=False,
                           ssthresh=INFINITE, state="Open")
        if not ref:
            t.among("ACK 4 after the undo: tcpi_snd_cwnd", info.snd_cwnd,
                    [(IW + 1, "RFC 5681 3.1 eq. (2): L = 1 SMSS"),
                     (IW + 2, "RFC 3465 2.2: L = 2 SMSS")])
        if ref:
            t.true("kernel reno: cwnd restored to at least the prior cwnd",
                   info.snd_cwnd >= IW, "(cwnd %d)" % info.snd_cwnd)
    finally:
        c.close()


def undo_at_recover(t, algo, ref):
    """No SACK, timestamps: segment 0 is only delayed, and arrives after
    every segment sent before the fast retransmit, so the ACK it produces
    is the full ACK, exactly `recover`, and echoes the original's TSval
    (Eifel, RFC 3522): the retransmission was spurious and the window of
    before the reduction comes back (RFC 4015).  Linux undoes there but,
    without SACK, holds Recovery until an ACK above `recover`
    (tcp_is_non_sack_preventing_reopen): the window must stay restored on
    that ACK and on the next one, which reopens."""
    c = _start(t, algo, sack=False, ts=True)
    try:
        s = Script(t, c, None, ref)
        _initial(t, s)
        echo = c.first_tsval[0]
        for k in (1, 2):
            s.deliver("dup ACK %d" % k, k, tsecr=echo, model=False)
        recover = c.high    # snd_nxt when the third duplicate ACK arrives
        s.deliver("dup ACK 3", 3, tsecr=echo, model=False, state="Recovery")
        for k in range(4, recover):
            s.deliver("dup ACK %d" % k, k, tsecr=echo, model=False, state="Recovery")
        s.rcv.receive(0)
        sent, info = s.ack("0 arrives: full ACK = recover, 0's TSval", tsecr=echo,
                           model=False, ssthresh=INFINITE)
        t.true("undo at recover (%s held): cwnd at least the prior cwnd %d" % (info.ca, IW),
               info.snd_cwnd >= IW, "(cwnd %d)" % info.snd_cwnd)
        pending = sorted({x.index for x in s.sent} - s.rcv.have)
        t.true("segments sent beyond recover", bool(pending), "(sent %s)" % s.sent)
        if pending:
            s.rcv.receive(pending[0])
            sent, info = s.ack("ACK beyond recover", model=False, state="Open")
            t.true("beyond recover: cwnd at least the prior cwnd %d" % IW,
                   info.snd_cwnd >= IW, "(cwnd %d)" % info.snd_cwnd)
    finally:
        c.close()


def entry_ack_advances(t, algo, ref):
    """SACK: segment 1 is lost, and so are the ACKs of segments 0, 2 and 3.
    The first ACK to reach the sender acknowledges 0 and SACKs 2-4, so the
    ACK on which the sender enters recovery also advances snd_una.  Fast
    retransmit (RFC 5681 3.2 steps 2-3, RFC 6675 5 step 4) must send
    segment 1 on that ACK, not after three more duplicate ACKs, and the one
    loss must halve ssthresh once.  (Where RACK cannot be turned off, the
    peer's hold of its first ACKs lets the sender send new data first and
    RACK's timer start the recovery: `recover` is then later, and the same
    holds.)"""
    c = _start(t, algo, sack=True, rack_floor=True)
    try:
        s = Script(t, c, None, ref)
        _initial(t, s)
        for k in (0, 2, 3):
            s.rcv.receive(k)
        sent, info = s.deliver("ACK 1, SACK 2-5 (earlier ACKs lost)", 4, model=False,
                               state="Recovery")
        t.check("entry ACK: fast retransmission of segment 1",
                [x.index for x in sent if x.rtx], [1])
        ssthresh, recover = info.snd_ssthresh, c.high
        t.true("entry ACK: ssthresh at most half of what was sent (%d)" % recover,
               2 <= ssthresh <= recover // 2, "(ssthresh %d)" % ssthresh)
        for k in range(5, IW):
            s.deliver("dup ACK, SACK up to %d" % (k + 1), k, model=False, ssthresh=ssthresh)
        s.rcv.receive(1)
        sent, info = s.ack("the retransmission arrives", model=False, ssthresh=ssthresh)
        while s.rcv.cum < recover:
            pending = sorted({x.index for x in s.sent} - s.rcv.have)
            if not pending:
                break
            sent, info = s.deliver("deliver %d" % pending[0], pending[0], model=False,
                                   ssthresh=ssthresh)
        t.check("ACK at recover (%d): tcpi_ca_state" % recover, info.ca, "Open")
        _deliver_new(s, 4, model=False, state="Open", ssthresh=ssthresh)
    finally:
        c.close()


# 11. Loss window after a lost SYN or SYN-ACK (RFC 5681 3.1, RFC 6298 5.7) ----

def syn_loss(t, algo, ref, passive, drops, family=socket.AF_INET):
    """The peer ignores the first `drops` transmissions of the SYN (active
    open) or of the listener's SYN-ACK (passive open) and answers the next.

    RFC 5681 3.1: "if the SYN or SYN/ACK is lost, the initial window used by
    a sender after a correctly transmitted SYN MUST be one segment".  Linux
    (tcp_init_transfer, net/ipv4/tcp_input.c) sets cwnd = 1 when
    total_retrans > 1 and undo_marker is set, i.e. after two or more SYN or
    SYN-ACK timeouts, and the initial window after a single one: with
    RFC 6298's 1 s initial RTO one timeout may well be spurious.  The stack
    then calls the algorithm's init(), which must leave that cwnd alone.
    After the loss window, slow start goes on from 1 segment (one ACK per
    segment here, so L of RFC 3465 makes no difference)."""
    c = Connection(algo, family=family, sack=True, passive=passive, syn_drops=drops)
    what = "SYN-ACK" if passive else "SYN"
    try:
        info = c.info()
        t.note("%s transmissions at %s s; tcpi_total_retrans %d, tcpi_rto %d ms" % (
            what, ", ".join("%.1f" % x for x in c.syn_times), info.total_retrans,
            info.rto // 1000))
        t.check("%s retransmissions the stack counts" % what, info.total_retrans, drops)
        if drops >= 1:
            # RFC 6298 5.7: RTO back to 3 s once data transmission begins
            # (no RTT sample from a retransmitted SYN: Karn).
            t.true("RFC 6298 5.7: RTO >= 3 s after a %s timeout" % what,
                   info.rto >= 3000000, "(tcpi_rto %d us)" % info.rto)
        if drops >= 2:
            lw = [1]
            why = "RFC 5681 3.1 loss window (Linux: > 1 %s retransmission)" % what
        elif drops == 1:
            lw = [1, IW]
            why = ("RFC 5681 3.1 says 1; Linux's tcp_init_transfer keeps IW after a single "
                   "%s retransmission (a 1 s RTO may be spurious): either is accepted" % what)
        else:
            lw = [IW]
            why = "RFC 6928 initial window"
        m = _model(algo, ref, cwnd=1, nxt=0)
        s = Script(t, c, m, ref)
        sent = s.burst("first flight")
        info = c.info()
        s.show("first flight after the handshake", sent, info,
               "new=%s cwnd=%s (%s)" % ("|".join(map(str, lw)), "|".join(map(str, lw)), why))
        t.true("first flight is %s segment(s): %s" % ("|".join(map(str, lw)), why),
               len(sent) in lw and [x.index for x in sent] == list(range(len(sent))),
               "(sent %s)" % sent)
        t.true("tcpi_snd_cwnd after the handshake is %s" % "|".join(map(str, lw)),
               info.snd_cwnd in lw, "(cwnd %d)" % info.snd_cwnd)
        t.check("first flight: tcpi_snd_cwnd = segments sent", info.snd_cwnd, len(sent))
        t.check("first flight: tcpi_snd_ssthresh", info.snd_ssthresh, INFINITE)
        t.check("first flight: tcpi_ca_state", info.ca, "Open")
        if m is not None:
            m.set_window(info.snd_cwnd, len(sent))
        # three rounds of slow start, one ACK per segment
        _deliver_new(s, 1 + 2 + 4, cwnd="model", state="Open")
    finally:
        c.close()


def _ipv6_one_loss(t, algo, ref):
    one_loss(t, algo, ref, sack=True, ack_loss=True, family=socket.AF_INET6)


def _ipv6_slow_start(t, algo, ref):
    slow_start_abc(t, algo, ref, family=socket.AF_INET6)


SCENARIOS = [
    ("slow_start_abc", slow_start_abc),
    ("one_loss_sack", lambda t, a, r: one_loss(t, a, r, sack=True, ack_loss=False)),
    ("one_loss_nosack", lambda t, a, r: one_loss(t, a, r, sack=False, ack_loss=False)),
    ("one_loss_sack_ackloss", lambda t, a, r: one_loss(t, a, r, sack=True, ack_loss=True)),
    ("one_loss_nosack_ackloss", lambda t, a, r: one_loss(t, a, r, sack=False, ack_loss=True)),
    ("two_losses_nosack", two_losses),
    ("rto", rto),
    ("idle_restart", idle_restart),
    ("ecn", ecn),
    ("undo_dsack", undo_dsack),
    ("undo_timestamps", undo_timestamps),
    ("undo_at_recover", undo_at_recover),
    ("entry_ack_advances", entry_ack_advances),
    ("ipv6_one_loss_sack_ackloss", _ipv6_one_loss),
    ("ipv6_slow_start_abc", _ipv6_slow_start),
    ("syn_lost_twice", lambda t, a, r: syn_loss(t, a, r, passive=False, drops=2)),
    ("synack_lost_twice", lambda t, a, r: syn_loss(t, a, r, passive=True, drops=2)),
    ("syn_lost_once", lambda t, a, r: syn_loss(t, a, r, passive=False, drops=1)),
    ("synack_lost_once", lambda t, a, r: syn_loss(t, a, r, passive=True, drops=1)),
    ("ipv6_synack_lost_twice", lambda t, a, r: syn_loss(t, a, r, passive=True, drops=2,
                                                        family=socket.AF_INET6)),
]
