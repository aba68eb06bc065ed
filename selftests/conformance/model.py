# SPDX-License-Identifier: GPL-2.0
"""
A reference sender, straight from the RFCs, that predicts what a conforming
Reno or NewReno sender transmits in reaction to each ACK of a script.

It counts in segments (the tests use full-sized segments only) and knows
nothing of Linux: it is RFC 5681 (slow start, congestion avoidance, fast
retransmit / fast recovery), RFC 3465 (byte counting, L = 2 SMSS, L = 1
SMSS after an RTO), RFC 3042 (limited transmit) and, for NewReno, RFC 6582
section 3.2 (partial and full acknowledgments, first exit option).  The
sending rule everywhere is the RFCs': send new data while
FlightSize = snd_nxt - snd_una < cwnd.

Each on_ack() returns (retransmitted segment indices, number of new
segments), and the model's cwnd / ssthresh / in_fr after the ACK.
"""

INFINITE = 0x7FFFFFFF
DUPTHRESH = 3


class RfcSender:
    def __init__(self, newreno, cwnd=10, nxt=None, abc_l=2):
        self.newreno = newreno
        self.cwnd = cwnd
        self.ssthresh = INFINITE
        self.una = 0
        self.nxt = cwnd if nxt is None else nxt
        self.abc_l = abc_l
        self.bytes_acked = 0        # RFC 3465 2.1 counter, in segments
        self.ndup = 0               # duplicate ACKs in the current run
        self.lt_sent = 0            # RFC 3042 segments sent in this run
        self.in_fr = False          # in fast recovery (RFC 5681 3.2 / 6582)
        self.recover = 0            # RFC 6582 "recover"
        self.after_rto = False

    def set_window(self, cwnd, sent):
        """The connection starts with cwnd and `sent` segments in flight."""
        self.cwnd = cwnd
        self.nxt = self.una + sent

    @property
    def flight(self):
        return self.nxt - self.una

    def _send_new(self, cwnd):
        n = max(0, cwnd - self.flight)
        self.nxt += n
        return n

    def _grow(self, acked):
        if self.cwnd < self.ssthresh:
            limit = 1 if self.after_rto else self.abc_l
            self.cwnd = min(self.cwnd + min(acked, limit), max(self.ssthresh, self.cwnd))
            if self.cwnd >= self.ssthresh:
                self.after_rto = False
        else:
            self.after_rto = False
            self.bytes_acked += acked
            if self.bytes_acked >= self.cwnd:
                self.bytes_acked -= self.cwnd
                self.cwnd += 1
                self.bytes_acked = min(self.bytes_acked, self.cwnd - 1)

    def _fast_retransmit(self):
        """RFC 5681 3.2 steps 2-3 (and RFC 6582 3.2 step 2)."""
        flight = self.flight - self.lt_sent
        self.ssthresh = max(flight // 2, 2)
        self.cwnd = self.ssthresh + DUPTHRESH
        self.recover = self.nxt
        self.in_fr = True
        self.bytes_acked = 0
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
                # full ACK: RFC 6582 3.2 step 3 option 1 / RFC 5681 step 6
                if self.newreno:
                    self.cwnd = min(self.ssthresh, max(self.flight, 1) + 1)
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
        self.bytes_acked = 0
        self.after_rto = True
