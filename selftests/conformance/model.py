# SPDX-License-Identifier: GPL-2.0
"""
A reference sender, straight from the RFCs, that predicts what a conforming
Reno or NewReno sender may transmit in reaction to each ACK of a script.

It counts in segments (the tests use full-sized segments only) and knows
nothing of Linux: it is RFC 5681 (slow start, congestion avoidance, fast
retransmit / fast recovery), RFC 3465 (byte counting, L = 1 SMSS after an
RTO), RFC 3042 (limited transmit) and, for NewReno, RFC 6582 section 3.2
(partial and full acknowledgments).  The sending rule everywhere is the
RFCs': send new data while FlightSize = snd_nxt - snd_una < cwnd.

Where the RFCs leave the sender a choice, the model does not pick one: it
follows every allowed sender at once (a set of branches, each with the
choices it made), a step passes if the sender did what one of them does,
and the branches that disagree with what was seen are dropped, so that a
sender has to stay with the choice it made.  The open choices modelled:

  C1  RFC 5681 3.1: "The slow start algorithm is used when cwnd < ssthresh,
      while the congestion avoidance algorithm is used when cwnd > ssthresh.
      When cwnd and ssthresh are equal, the sender may use either".
  C2  Slow start's increase per ACK: RFC 5681 3.1 equation (2),
      cwnd += min(N, SMSS) (L = 1, the standard), or RFC 3465 2.2's
      experimental L = 2 SMSS (which RFC 5681 3.1 mentions).  One L for
      the whole connection; L = 1 after an RTO (RFC 3465 2.3) either way.
  C3  Slow start that would pass ssthresh (only possible with L = 2):
      RFC 3465 2.2 adds min(N, L) whatever ssthresh is; a sender may instead
      stop at ssthresh (RFC 5681 3.1: slow start while cwnd < ssthresh),
      and drop the rest of that ACK or count it in bytes_acked.
  C4  A stretch ACK in congestion avoidance: RFC 3465 2.1 reduces
      bytes_acked by cwnd and keeps the rest, which may make the next ACK
      grow cwnd again; RFC 5681 3.1 says "cwnd MUST NOT be increased by
      more than SMSS bytes per RTT".  When the rest is a whole (old) window
      or more, any bytes_acked from 0 to the rest is accepted (the model
      keeps it as an interval).
  C5  RFC 6582 3.2 step 3, full acknowledgment: cwnd = min(ssthresh,
      max(FlightSize, SMSS) + SMSS) (option 1) or cwnd = ssthresh
      (option 2).

Not modelled (a sender doing these is reported as a departure): RFC 5681
3.1 equation (3) (cwnd += SMSS*SMSS/cwnd per ACK, a MAY; the model counts
bytes, the RECOMMENDED way); an ssthresh below equation (4)'s value on loss
(RFC 5681 3.2 step 2 says "no more than" it, the model predicts equation
(4) itself, FlightSize / 2 rounded down to whole segments, which never
exceeds it).

Each on_ack() returns the allowed outcomes: (branch, retransmitted segment
indices, number of new segments), with each branch's cwnd / ssthresh /
in_fr after the ACK.
"""
import copy

INFINITE = 0x7FFFFFFF
DUPTHRESH = 3


class _Oracle:
    """Replays a list of picks at the choice points of one on_ack(), and
    records the untried alternatives of the choice points beyond it."""

    def __init__(self, picks):
        self.picks = list(picks)
        self.pos = 0
        self.forks = []

    def pick(self, n):
        if self.pos < len(self.picks):
            k = self.picks[self.pos]
        else:
            k = 0
            for alt in range(1, n):
                self.forks.append(self.picks[:self.pos] + [alt])
            self.picks.append(0)
        self.pos += 1
        return k


class RfcSender:
    """One sender that makes a definite choice at each open point."""

    def __init__(self, newreno, cwnd=10, nxt=None, abc_l=None):
        self.newreno = newreno
        self.cwnd = cwnd
        self.ssthresh = INFINITE
        self.una = 0
        self.nxt = cwnd if nxt is None else nxt
        self.abc_l = abc_l          # C2: None until an ACK makes it matter
        # RFC 3465 2.1 bytes_acked, in segments: an interval [lo, hi] (C4)
        self.ba_lo = self.ba_hi = 0
        self.ndup = 0               # duplicate ACKs in the current run
        self.lt_sent = 0            # RFC 3042 segments sent in this run
        self.in_fr = False          # in fast recovery (RFC 5681 3.2 / 6582)
        self.recover = 0            # RFC 6582 "recover"
        self.after_rto = False
        self.choices = ()           # what this branch chose, for diagnostics
        self.step_choices = ()      # ... on the last ACK
        self._oracle = None

    def key(self):
        return (self.cwnd, self.ssthresh, self.una, self.nxt, self.abc_l, self.ba_lo,
                self.ba_hi, self.ndup, self.lt_sent, self.in_fr, self.recover, self.after_rto)

    def choose(self, options):
        """options: [(value, "RFC ...: what this option is")]."""
        k = self._oracle.pick(len(options)) if self._oracle else 0
        value, why = options[k]
        self.choices += (why,)
        self.step_choices += (why,)
        return value

    def why(self):
        """The choices this branch made, each named once."""
        seen = []
        for c in self.choices:
            if c not in seen:
                seen.append(c)
        return "; ".join(seen) or "no open choice"

    @property
    def flight(self):
        return self.nxt - self.una

    def _send_new(self, cwnd):
        n = max(0, cwnd - self.flight)
        self.nxt += n
        return n

    def _grow(self, acked):
        ss = self.cwnd < self.ssthresh
        if self.cwnd == self.ssthresh:
            ss = self.choose([
                (False, "C1 RFC 5681 3.1: cwnd = ssthresh, congestion avoidance"),
                (True, "C1 RFC 5681 3.1: cwnd = ssthresh, slow start")])
        if ss:
            self._slow_start(acked)
        else:
            self._cong_avoid(acked)

    def _slow_start(self, acked):
        if self.after_rto:
            limit = 1                       # RFC 3465 2.3
        else:
            if self.abc_l is None and acked >= 2:
                self.abc_l = self.choose([
                    (1, "C2 RFC 5681 3.1 eq. (2): L = 1 SMSS"),
                    (2, "C2 RFC 3465 2.2: L = 2 SMSS")])
            limit = self.abc_l or 1         # below 2 segments L does not matter
        inc = min(acked, limit)
        if self.cwnd < self.ssthresh < self.cwnd + inc:
            capped = self.choose([
                (True, "C3 RFC 5681 3.1: slow start stops at ssthresh"),
                (False, "C3 RFC 3465 2.2: cwnd += min(N, L) past ssthresh")])
            if capped:
                used = self.ssthresh - self.cwnd
                self.cwnd = self.ssthresh
                # the rest of the ACK dropped, or counted by CA
                self.ba_hi += acked - used
                self._ca_increment()
            else:
                self.cwnd += inc
        else:
            self.cwnd += inc
        if self.cwnd >= self.ssthresh:
            self.after_rto = False

    def _cong_avoid(self, acked):
        self.after_rto = False
        self.ba_lo += acked
        self.ba_hi += acked
        self._ca_increment()

    def _ca_increment(self):
        """RFC 3465 2.1: once bytes_acked >= cwnd, bytes_acked -= cwnd and
        cwnd += 1 SMSS (once per ACK: RFC 5681 3.1, at most 1 SMSS)."""
        w = self.cwnd
        if self.ba_hi < w:
            return
        if self.ba_lo < w:
            # not known whether bytes_acked has reached cwnd (C3 or C4
            # earlier): both are allowed
            if not self.choose([(True, "bytes_acked >= cwnd (C3/C4 earlier)"),
                                (False, "bytes_acked < cwnd (C3/C4 earlier)")]):
                self.ba_hi = w - 1
                return
            self.ba_lo = w
        self.ba_lo -= w
        self.ba_hi -= w
        self.cwnd += 1
        if self.ba_hi >= w:
            # C4: a stretch ACK left a window or more: RFC 3465 2.1 keeps
            # it, RFC 5681 3.1's once per RTT allows dropping it
            self.ba_lo = 0

    def _fast_retransmit(self):
        """RFC 5681 3.2 steps 2-3 (and RFC 6582 3.2 step 2)."""
        flight = self.flight - self.lt_sent
        self.ssthresh = max(flight // 2, 2)
        self.cwnd = self.ssthresh + DUPTHRESH
        self.recover = self.nxt
        self.in_fr = True
        self.ba_lo = self.ba_hi = 0
        return [self.una]

    def on_ack(self, ack):
        """Process a cumulative ACK for segments [0, ack); returns (rtx, new)."""
        rtx = []
        if ack <= self.una:
            if self.flight == 0:
                return rtx, 0
            self.ndup += 1
            if self.in_fr:
                self.cwnd += 1                  # RFC 5681 3.2 step 4
                return rtx, self._send_new(self.cwnd)
            if self.ndup < DUPTHRESH:
                # RFC 3042: one new segment per dup ACK while the
                # outstanding data stays within cwnd + 2 SMSS.
                if self.flight + 1 <= self.cwnd + self.ndup:
                    self.nxt += 1
                    self.lt_sent += 1
                    return rtx, 1
                return rtx, 0
            if self.ndup == DUPTHRESH:
                # RFC 6582 3.2 step 2: no new fast retransmit while
                # the ACKs do not cover more than recover.
                if self.newreno and self.una < self.recover and self.recover:
                    return rtx, 0
                rtx = self._fast_retransmit()
                return rtx, self._send_new(self.cwnd)
            return rtx, 0
        acked = ack - self.una
        self.una = ack
        self.nxt = max(self.nxt, ack)
        if self.in_fr:
            if ack >= self.recover:
                # full ACK: RFC 6582 3.2 step 3 / RFC 5681 3.2 step 6
                if self.newreno:
                    opt1 = min(self.ssthresh, max(self.flight, 1) + 1)
                    self.cwnd = self.ssthresh
                    if opt1 != self.ssthresh:
                        self.cwnd = self.choose([
                            (opt1, "C5 RFC 6582 3.2 step 3 option 1: "
                                   "cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)"),
                            (self.ssthresh, "C5 RFC 6582 3.2 step 3 option 2: cwnd = ssthresh")])
                else:
                    self.cwnd = self.ssthresh
                self.in_fr = False
                self.ndup = 0
                self.lt_sent = 0
            elif self.newreno:
                # partial ACK: RFC 6582 3.2 step 3, retransmit and deflate
                rtx = [self.una]
                self.cwnd = self.cwnd - acked + (1 if acked >= 1 else 0)
            else:
                # Reno: the first new ACK ends fast recovery (5681 step 6)
                self.cwnd = self.ssthresh
                self.in_fr = False
                self.ndup = 0
                self.lt_sent = 0
            return rtx, self._send_new(self.cwnd)
        self.ndup = 0
        self.lt_sent = 0
        self._grow(acked)
        return rtx, self._send_new(self.cwnd)

    def on_rto(self):
        """RFC 5681 3.1 / (4): ssthresh from FlightSize, cwnd = LW = 1."""
        self.ssthresh = max(self.flight // 2, 2)
        self.cwnd = 1
        self.in_fr = False
        self.ndup = 0
        self.lt_sent = 0
        self.ba_lo = self.ba_hi = 0
        self.after_rto = True


def _fmt_ss(v):
    return "inf" if v >= INFINITE else str(v)


class RfcModel:
    """Every RFC-conforming sender still consistent with what was seen."""

    def __init__(self, newreno, cwnd=10, nxt=None, abc_l=None):
        self.newreno = newreno
        self.branches = [RfcSender(newreno, cwnd, nxt, abc_l)]

    # -- what the scripts read and set ---------------------------------------

    def _one(self, attr):
        vals = sorted({getattr(b, attr) for b in self.branches})
        return vals[0] if len(vals) == 1 else vals

    @property
    def nxt(self):
        return max(b.nxt for b in self.branches)

    @nxt.setter
    def nxt(self, value):
        for b in self.branches:
            b.nxt = value

    @property
    def una(self):
        return max(b.una for b in self.branches)

    @property
    def cwnds(self):
        return sorted({b.cwnd for b in self.branches})

    @property
    def cwnd(self):
        """The cwnd every branch agrees on (None where they differ)."""
        c = self.cwnds
        return c[0] if len(c) == 1 else None

    @property
    def ssthresh(self):
        s = sorted({b.ssthresh for b in self.branches})
        return s[0] if len(s) == 1 else None

    @property
    def in_fr(self):
        return any(b.in_fr for b in self.branches)

    def set_window(self, cwnd, sent):
        """The connection starts with cwnd and `sent` segments in flight."""
        for b in self.branches:
            b.cwnd = cwnd
            b.nxt = b.una + sent

    def on_rto(self):
        for b in self.branches:
            b.on_rto()
        self._dedupe()

    # -- one ACK ---------------------------------------------------------------

    def on_ack(self, ack):
        """All allowed outcomes of this ACK: [(branch, rtx, new)]."""
        out, seen = [], set()
        for base in self.branches:
            todo = [[]]
            while todo:
                picks = todo.pop()
                b = copy.copy(base)
                b.step_choices = ()
                b._oracle = _Oracle(picks)
                rtx, new = b.on_ack(ack)
                todo.extend(b._oracle.forks)
                b._oracle = None
                k = (b.key(), tuple(rtx), new)
                if k not in seen:
                    seen.add(k)
                    out.append((b, rtx, new))
        self.branches = [b for b, _, _ in out]
        return out

    def keep(self, branches):
        """Only these branches agree with what the sender did."""
        if branches:
            self.branches = list(branches)
            self._dedupe()

    def _dedupe(self):
        seen, keep = set(), []
        for b in self.branches:
            if b.key() not in seen:
                seen.add(b.key())
                keep.append(b)
        self.branches = keep

    @staticmethod
    def describe(outcomes):
        """One line: the allowed outcomes, each with the choices that lead to
        it when there is more than one."""
        parts = []
        for b, rtx, new in outcomes:
            s = "rtx=%s new=%d cwnd=%d ssthresh=%s%s" % (rtx, new, b.cwnd, _fmt_ss(b.ssthresh),
                                                         " FR" if b.in_fr else "")
            if s not in [p[0] for p in parts]:
                parts.append((s, b.why()))
        if len(parts) == 1:
            return parts[0][0]
        return " | ".join("%s {%s}" % (s, w) for s, w in parts)
