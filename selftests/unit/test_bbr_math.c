// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for module/bbr_math.h: tcptune_bbr's per-round signal
 * arithmetic at the scales it must hold, up to 100 Gbit/s x 200 ms
 * (~1.7 million 1500-byte packets a round) and beyond.  TAP output; exit
 * status 1 on any failure.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define div_u64(a, b) ((u64)(a) / (u32)(b))

#include "../../module/bbr_math.h"

static int n_test, n_fail;

static void result(int ok, const char *name)
{
	n_test++;
	if (!ok)
		n_fail++;
	printf("%sok %d - %s\n", ok ? "" : "not ", n_test, name);
}

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		ok = 0;							\
	}								\
} while (0)

/* Packets in one round at rate gbit/s, RTT ms, 1500-byte packets. */
static u32 round_pkts(u32 gbit, u32 ms)
{
	return (u32)((u64)gbit * 1000000000ULL / 8 / 1500 * ms / 1000);
}

/* Feed one round of ACKs of `per_ack` packets each into r. */
static void feed(struct bbr_round_signals *r, u32 pkts, u32 per_ack,
		 u32 lost_every, u32 ce_pct)
{
	u32 acked = 0, n = 0;

	while (acked < pkts) {
		u32 a = per_ack < pkts - acked ? per_ack : pkts - acked;
		u32 lost = lost_every && !(n % lost_every) ? 1 : 0;
		u32 ce = (u64)a * ce_pct / 100;

		bbr_round_add(r, lost, lost && (n & 1), ce, pkts - acked);
		acked += a;
		n++;
	}
}

/* 100 % CE-marked rounds read as 100 % at every scale up to 100G x 200ms. */
static void test_ce_scales(void)
{
	static const u32 gbit[] = { 1, 10, 40, 100, 400 };
	static const u32 ms[] = { 1, 20, 160, 200 };
	int ok = 1;
	unsigned int i, j;

	for (i = 0; i < sizeof(gbit) / sizeof(gbit[0]); i++)
		for (j = 0; j < sizeof(ms) / sizeof(ms[0]); j++) {
			struct bbr_round_signals r;
			u32 pkts = round_pkts(gbit[i], ms[j]);
			u32 thresh = 512;	/* 50 % in 1/1024 */

			memset(&r, 0, sizeof(r));
			feed(&r, pkts, 2, 0, 100);
			CHECK(r.ce == pkts, "%uG %ums: ce %u of %u", gbit[i], ms[j], r.ce, pkts);
			CHECK(bbr_rate16(r.ce, pkts) == 65535,
			      "%uG %ums: rate %u", gbit[i], ms[j], bbr_rate16(r.ce, pkts));
			CHECK(bbr_ce_congested(r.ce, pkts, thresh),
			      "%uG %ums: 100%% CE not congested", gbit[i], ms[j]);
			/* 40 % marked is below a 50 % threshold, 60 % above */
			memset(&r, 0, sizeof(r));
			feed(&r, pkts, 10, 0, 40);
			CHECK(!bbr_ce_congested(r.ce, pkts, thresh),
			      "%uG %ums: 40%% CE congested", gbit[i], ms[j]);
			memset(&r, 0, sizeof(r));
			feed(&r, pkts, 10, 0, 60);
			CHECK(bbr_ce_congested(r.ce, pkts, thresh),
			      "%uG %ums: 60%% CE not congested", gbit[i], ms[j]);
		}
	/*
	 * Reference: the old 16-bit counter saturated at 65,535: at 10G x
	 * 160 ms a fully marked round read as 49 %, under the 50 % threshold,
	 * and at 100G x 200 ms as 4 %.
	 */
	{
		u32 pkts = round_pkts(10, 160), big = round_pkts(100, 200);
		u16 old = pkts > 65535 ? 65535 : pkts;

		CHECK(pkts > 131000 && !bbr_ce_congested(old, pkts, 512),
		      "reference: u16 would read %u/65536", bbr_rate16(old, pkts));
		CHECK(bbr_rate16(65535, big) < 65536 / 20,
		      "reference: u16 at 100G would read %u/65536", bbr_rate16(65535, big));
	}
	result(ok, "CE rate of a round exact from 1 Gbit/s x 1 ms to 400 Gbit/s x 200 ms");
}

static void test_loss_scales(void)
{
	int ok = 1;
	u32 pkts = round_pkts(100, 200);	/* ~1.67 M */
	struct bbr_round_signals r;
	u32 thresh = 20;			/* 2 % in 1/1024 (rounded) */

	/* 1 loss in 25 ACKs of 1 packet: 4 %: congested; 1 in 100: not. */
	memset(&r, 0, sizeof(r));
	feed(&r, pkts, 1, 25, 0);
	CHECK(r.lost == (pkts + 24) / 25, "lost %u want %u", r.lost, (pkts + 24) / 25);
	CHECK(r.lost_q == r.lost / 2, "lost_q %u of %u", r.lost_q, r.lost);
	CHECK(bbr_loss_congested(r.lost, pkts, thresh), "4 %% loss not congested");
	memset(&r, 0, sizeof(r));
	feed(&r, pkts, 1, 100, 0);
	CHECK(!bbr_loss_congested(r.lost, pkts, thresh), "1 %% loss congested");
	/* the round's largest inflight is kept whole (was capped at 65535) */
	memset(&r, 0, sizeof(r));
	feed(&r, pkts, 4, 0, 0);
	CHECK(r.inflight == pkts, "inflight %u want %u", r.inflight, pkts);
	result(ok, "loss rate and inflight of a 100 Gbit/s x 200 ms round");
}

static void test_saturation(void)
{
	int ok = 1;
	struct bbr_round_signals r;

	memset(&r, 0, sizeof(r));
	bbr_round_add(&r, 0xfffffff0u, true, 0xfffffff0u, 7);
	bbr_round_add(&r, 0x100, true, 0x100, 3);
	CHECK(r.lost == ~0u && r.lost_q == ~0u && r.ce == ~0u,
	      "saturate: %u %u %u", r.lost, r.lost_q, r.ce);
	CHECK(r.inflight == 7, "inflight %u", r.inflight);
	CHECK(bbr_rate16(5, 0) == 0, "empty round");
	CHECK(bbr_rate16(~0u, ~0u) == 65535, "full round");
	CHECK(bbr_rate16(1, 2) == 32768, "half");
	CHECK(!bbr_ce_congested(0, 100, 512), "no CE");
	result(ok, "counters saturate instead of wrapping; rates of empty and full rounds");
}

/*
 * Young Startup's floor: a window of cwnd packets leaves in srtt / 8 at
 * cwnd * bbr_young_rate(), from a 10 us to a 10 s srtt and every MSS; 0
 * without an RTT sample; saturated, not wrapped, at a sub-3 us srtt, and
 * cwnd * rate fits in 64 bits for any cwnd.
 */
static void test_young_rate(void)
{
	static const u32 mss[] = { 536, 1448, 8948, 65483 };
	static const u32 srtt_us[] = { 10, 100, 1000, 40000, 200000, 10000000 };
	int ok = 1;
	unsigned int i, j;

	for (i = 0; i < sizeof(mss) / sizeof(mss[0]); i++)
		for (j = 0; j < sizeof(srtt_us) / sizeof(srtt_us[0]); j++) {
			u32 r = bbr_young_rate(mss[i], srtt_us[j] << 3, 3);
			/* ns for a window at cwnd * r: mss / r s; want srtt / 8 */
			u64 want = (u64)srtt_us[j] * 1000 / 8;
			u64 got = r ? (u64)mss[i] * 1000000000ULL / r : ~0ULL;

			if (r == ~0u)	/* saturated: only where it must be */
				CHECK((u64)mss[i] * 8000000 / srtt_us[j] >= ~0u,
				      "mss %u srtt %u us saturated", mss[i], srtt_us[j]);
			else
				/* B/s rounded down: at most 0.5 % slower */
				CHECK(got + 1 >= want && got <= want + want / 200,
				      "mss %u srtt %u us: rate %u, window in %llu of %llu",
				      mss[i], srtt_us[j], r, (unsigned long long)got,
				      (unsigned long long)want);
		}
	CHECK(bbr_young_rate(1448, 0, 3) == 0, "no srtt: no floor");
	CHECK(bbr_young_rate(1448, 1, 3) == ~0u, "1/8 us srtt: saturated");
	CHECK(bbr_young_rate(65535, 1, 3) == ~0u, "64 KB MSS, 1/8 us: saturated");
	CHECK((u64)~0u * ~0u / ~0u == ~0u, "cwnd * rate in 64 bits");
	CHECK(bbr_young_rate(1448, 40000 << 3, 2) * 2 ==
	      bbr_young_rate(1448, 40000 << 3, 3), "shift 2 is half shift 3's");
	result(ok, "young Startup floor: a window in srtt / 8, 10 us to 10 s, MSS 536 to 64 KB");
}

/*
 * ProbeBW_UP's loss-compensated gain: gain / (1 - f) within the series'
 * truncation (f^4 / (1 - f), plus rounding) for every floor up to the
 * cap, the floor capped, gain unchanged at f = 0, and no overflow at the
 * knobs' largest gain (400 %) and cap (50 %) with a floor of 100 %.
 */
static void test_loss_comp(void)
{
	static const u32 gains[] = { 1024, 1280, 4096 };	/* 1.0, 1.25, 4.0 */
	int ok = 1;
	unsigned int i;
	u32 f;

	for (i = 0; i < sizeof(gains) / sizeof(gains[0]); i++) {
		u32 g = gains[i];

		CHECK(bbr_loss_comp_gain(g, 0, 1 << 15) == g, "gain %u: f = 0 changed it", g);
		for (f = 0; f <= (1 << 15); f += 64) {
			double x = f / 65536.0, want = g / (1 - x);
			double slack = want * x * x * x * x / (1 - x) + 2;
			u32 got = bbr_loss_comp_gain(g, f, 1 << 15);

			CHECK(got <= want + 1 && got + slack >= want,
			      "gain %u f %u: %u, want %.1f", g, f, got, want);
		}
		/* capped: a floor above the cap is the cap */
		CHECK(bbr_loss_comp_gain(g, 60000, 16384) == bbr_loss_comp_gain(g, 16384, 16384),
		      "gain %u: floor not capped", g);
		CHECK(bbr_loss_comp_gain(g, 65535, 0) == g, "gain %u: cap 0 is not off", g);
	}
	/* 1.25 at 15 %: 1.4706 exactly; 1.25 at 25 %: 1.6667 */
	CHECK(bbr_loss_comp_gain(1280, 9830, 16384) >= 1504 &&
	      bbr_loss_comp_gain(1280, 9830, 16384) <= 1506, "1.25 at 15 %%: %u",
	      bbr_loss_comp_gain(1280, 9830, 16384));
	CHECK(bbr_loss_comp_gain(1280, 16384, 16384) >= 1700 &&
	      bbr_loss_comp_gain(1280, 16384, 16384) <= 1707, "1.25 at 25 %%: %u",
	      bbr_loss_comp_gain(1280, 16384, 16384));
	CHECK(bbr_loss_comp_gain(4096, 65535, 32768) == 7680, "400 %% at the 50 %% cap: %u",
	      bbr_loss_comp_gain(4096, 65535, 32768));
	result(ok, "UP's gain / (1 - floor): within the series' error to 50 %, capped, 0 is off");
}

int main(void)
{
	printf("TAP version 13\n1..5\n");
	test_ce_scales();
	test_loss_scales();
	test_saturation();
	test_young_rate();
	test_loss_comp();
	return n_fail ? 1 : 0;
}
