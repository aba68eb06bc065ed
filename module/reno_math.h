/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Window arithmetic of tcptune_reno and tcptune_newreno, free of any kernel
 * object so that the host unit tests (selftests/unit/) compile it for
 * userspace and check it exhaustively.  All windows are in segments (SMSS),
 * byte counters in bytes, times in microseconds.
 *
 * The includer provides u32/u64, min_t/max_t and div_u64 (u64 by u32; the
 * kernel's, or the unit tests' stand-ins).
 */
#ifndef _TCPTUNE_RENO_MATH_H
#define _TCPTUNE_RENO_MATH_H

/*
 * RFC 5681 section 3.2, equation (4): ssthresh = max(FlightSize / 2, 2 SMSS),
 * with the factor 1/2 generalised to beta_pct percent (the "beta" knob).
 * Called when a loss or ECN echo is detected, not per ACK.
 */
static inline u32 tcptune_rfc5681_ssthresh(u32 flight_segs, u32 beta_pct)
{
	u32 s = beta_pct == 50 ? flight_segs >> 1 :
		(u32)div_u64((u64)flight_segs * beta_pct, 100);

	return max_t(u32, s, 2);
}

/*
 * Slow start with appropriate byte counting (RFC 3465 section 2.2):
 * cwnd += min(N, L * SMSS) per ACK that acknowledges N new bytes.  cwnd is
 * kept in segments; the bytes that do not yet make a segment wait in
 * *ss_bytes.  Slow start never carries cwnd past ssthresh (RFC 5681 3.1:
 * slow start while cwnd < ssthresh).  Returns the new cwnd.
 */
static inline u32 tcptune_abc_slow_start(u32 cwnd, u32 ssthresh, u32 *ss_bytes,
					 u32 acked_bytes, u32 mss, u32 limit_segs)
{
	u64 credit = *ss_bytes + (u64)min_t(u64, acked_bytes,
					    (u64)limit_segs * mss);

	/* At most limit_segs rounds: no division on the per-ACK path. */
	while (credit >= mss && cwnd < ssthresh) {
		credit -= mss;
		cwnd++;
	}
	*ss_bytes = cwnd < ssthresh ? (u32)credit : 0;
	return cwnd;
}

/*
 * Congestion avoidance with byte counting (RFC 3465 section 2.1, the form
 * RFC 5681 3.1 recommends): bytes_acked accumulates the new bytes of each
 * ACK; once it reaches cwnd (in bytes) it is reduced by cwnd and cwnd grows
 * by one segment.  One segment per ACK at most, so a stretch ACK cannot
 * grow the window faster than once per window of data.
 *
 * The window in bytes, cwnd * SMSS, passes 2^32 above ~65,000 segments of
 * 64 KB (GSO-sized MSS) or ~3 million of 1448 bytes: bytes_acked is 64-bit.
 */
static inline u32 tcptune_abc_cong_avoid(u32 cwnd, u64 *ca_bytes, u32 acked_bytes,
					 u32 mss)
{
	u64 window = (u64)cwnd * mss;
	u64 credit = *ca_bytes + acked_bytes;

	if (credit >= window) {
		credit -= window;
		cwnd++;
		if (credit >= window)	/* stretch ACK: keep less than a window */
			credit = window - 1;
	}
	*ca_bytes = credit;
	return cwnd;
}

/*
 * Linux sends while pipe < cwnd, where pipe (tcp_packets_in_flight()) leaves
 * out segments that were SACKed, duplicate-ACKed or marked lost and counts
 * retransmissions; RFC 5681 sends while FlightSize (snd_nxt - snd_una, here
 * packets_out) < cwnd.  The Linux window that allows exactly the RFC's
 * sends is cwnd_rfc - (packets_out - pipe), and never below one segment.
 */
static inline u32 tcptune_rfc_to_linux_cwnd(u32 cwnd_rfc, u32 packets_out, u32 pipe)
{
	u64 room = (u64)cwnd_rfc + pipe;

	return room > (u64)packets_out + 1 ? (u32)(room - packets_out) : 1;
}

/*
 * RFC 6582 section 3.2 step 6, full acknowledgment, first option:
 * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
 */
static inline u32 tcptune_newreno_exit_cwnd(u32 ssthresh, u32 flight_segs)
{
	return min_t(u32, ssthresh, max_t(u32, flight_segs, 1) + 1);
}

/*
 * Pacing rate in bytes per second: ratio_pct percent of cwnd * mss per
 * smoothed RTT, as the stack computes it for algorithms without
 * cong_control.  srtt_us8 is tcp_sock's srtt_us (the RTT in us << 3).
 */
static inline u64 tcptune_window_rate(u32 mss, u32 cwnd, u32 srtt_us8, u32 ratio_pct)
{
	u64 rate = (u64)mss * cwnd * ratio_pct * (8 * 1000000 / 100);

	return srtt_us8 ? div_u64(rate, srtt_us8) : rate;
}

#endif /* _TCPTUNE_RENO_MATH_H */
