/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-round signal arithmetic of tcptune_bbr, free of any kernel object so
 * that the host unit tests (selftests/unit/) check it at the scales it must
 * hold: 100 Gbit/s x 200 ms is ~1.7 million 1500-byte packets a round.
 *
 * Counters are 32-bit (a u16 saturates at 65,535 packets, ~10 Gbit/s x
 * 80 ms: a round of 1.7 M packets, all CE-marked, then read as 4 % marked
 * and the ECN response vanished).  Rates are 1/65536 fixed point, computed
 * once per round.  The includer provides u32/u64, min_t and div_u64.
 */
#ifndef _TCPTUNE_BBR_MATH_H
#define _TCPTUNE_BBR_MATH_H

#define BBR_RATE_SHIFT	16		/* loss and CE rates: 1/65536 */
#define BBR_FRAC_SHIFT	10		/* gains and fractions: 1/1024 */

/* What one round saw, accumulated per ACK. */
struct bbr_round_signals {
	u32 lost;	/* packets marked lost */
	u32 lost_q;	/* ... on ACKs that showed queueing delay */
	u32 ce;		/* packets delivered CE-marked (tp->delivered_ce) */
	u32 inflight;	/* largest inflight an ACK of the round met */
};

static inline u32 bbr_add_sat(u32 a, u32 b)
{
	return a + b < a ? ~0U : a + b;
}

/* One ACK's share of the round's signals. */
static inline void bbr_round_add(struct bbr_round_signals *r, u32 lost,
				 bool queue, u32 ce_delivered, u32 prior_in_flight)
{
	r->lost = bbr_add_sat(r->lost, lost);
	if (queue)
		r->lost_q = bbr_add_sat(r->lost_q, lost);
	r->ce = bbr_add_sat(r->ce, ce_delivered);
	if (prior_in_flight > r->inflight)
		r->inflight = prior_in_flight;
}

/* part / total in 1/65536 (at most 65535), 0 for an empty round. */
static inline u32 bbr_rate16(u32 part, u32 total)
{
	u64 r;

	if (!total)
		return 0;
	r = div_u64((u64)part << BBR_RATE_SHIFT, total);
	return min_t(u64, r, (1U << BBR_RATE_SHIFT) - 1);
}

/* cong of n packets above thresh (1/1024)? */
static inline bool bbr_loss_congested(u32 cong, u32 n, u32 thresh)
{
	return ((u64)cong << BBR_FRAC_SHIFT) > (u64)thresh * n;
}

/* More than thresh (1/1024) of the round's delivered packets CE-marked? */
static inline bool bbr_ce_congested(u32 ce, u32 delivered, u32 thresh)
{
	return ce && bbr_rate16(ce, delivered) >
		     thresh << (BBR_RATE_SHIFT - BBR_FRAC_SHIFT);
}

/*
 * Young Startup's pacing floor (tcptune_bbr.c, header): bytes per second
 * per packet of cwnd such that a window leaves in srtt / 2^shift, i.e.
 * 2^shift * mss / srtt.  srtt_us8 is tcp_sock's srtt_us (usec << 3); 0
 * without an RTT sample, which means no floor.  Computed once per round
 * (the per-ACK floor is cwnd times this, a multiplication); saturated at
 * U32_MAX bytes/s per packet (an srtt below ~3 us at a 1448-byte MSS and
 * shift 3), where cwnd * rate still fits in 64 bits.
 */
static inline u32 bbr_young_rate(u32 mss, u32 srtt_us8, u32 shift)
{
	u64 r;

	if (!srtt_us8)
		return 0;
	r = div_u64(((u64)mss * 1000000U) << (3 + shift), srtt_us8);
	return min_t(u64, r, ~0U);
}

/*
 * gain / (1 - f): the pacing gain that delivers gain * bw through a random
 * loss rate f (1/65536, at most cap, also 1/65536), without a division:
 * the series 1 + f + f^2 + f^3, short of the quotient by f^4 / (1 - f)
 * (0.4 % at f = 1/4, 0.06 % at 15 %, 6 % at 1/2).  gain in 1/1024; the
 * series is below 4, so the result fits in u32 for any gain below 2^30.
 */
static inline u32 bbr_loss_comp_gain(u32 gain, u32 f, u32 cap)
{
	u64 f2, m;

	f = min_t(u32, f, cap);
	f2 = ((u64)f * f) >> BBR_RATE_SHIFT;
	m = (1ULL << BBR_RATE_SHIFT) + f + f2 + ((f2 * f) >> BBR_RATE_SHIFT);
	return ((u64)gain * m) >> BBR_RATE_SHIFT;
}

#endif /* _TCPTUNE_BBR_MATH_H */
