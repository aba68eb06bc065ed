// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for module/reno_math.h: the window arithmetic of
 * tcptune_reno / tcptune_newreno, compiled for userspace and checked against
 * the RFC formulas written out independently here, over whole ranges of
 * inputs.  TAP output; exit status 1 on any failure.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t u32;
typedef uint64_t u64;
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define div_u64(a, b) ((u64)(a) / (u32)(b))

#include "../../module/reno_math.h"

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

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static void test_ssthresh(void)
{
	int ok = 1;
	u32 f;

	u32 b;

	for (f = 0; f < 100000; f++)
		CHECK(tcptune_rfc5681_ssthresh(f, 50) == (f / 2 > 2 ? f / 2 : 2),
		      "flight %u -> %u", f, tcptune_rfc5681_ssthresh(f, 50));
	CHECK(tcptune_rfc5681_ssthresh(UINT32_MAX, 50) == UINT32_MAX / 2, "max");
	for (b = 10; b <= 90; b++)
		for (f = 0; f < 3000; f++) {
			u32 want = (u32)((u64)f * b / 100);

			want = want > 2 ? want : 2;
			CHECK(tcptune_rfc5681_ssthresh(f, b) == want,
			      "beta %u flight %u -> %u", b, f, tcptune_rfc5681_ssthresh(f, b));
		}
	CHECK(tcptune_rfc5681_ssthresh(UINT32_MAX, 90) == (u32)((u64)UINT32_MAX * 90 / 100),
	      "no overflow at beta 90");
	result(ok, "rfc5681 ssthresh = max(FlightSize * beta, 2): beta 50 exact, 10..90 %");
}

/*
 * RFC 3465 2.2 slow start, byte-exact model: the window in bytes grows by
 * min(N, L*SMSS) per ACK; cwnd in segments must be floor(bytes / SMSS),
 * never above ssthresh.
 */
static void test_slow_start(void)
{
	static const u32 mss_list[] = { 536, 1000, 1448, 8948 };
	int ok = 1;
	unsigned int m;

	for (m = 0; m < sizeof(mss_list) / sizeof(mss_list[0]); m++) {
		u32 mss = mss_list[m], L;

		for (L = 1; L <= 4; L++) {
			u32 cwnd = 10, ssthresh = 500, ss_bytes = 0, i;
			u64 bytes = (u64)cwnd * mss;

			for (i = 0; i < 5000 && cwnd < ssthresh; i++) {
				/* ACK sizes: 1 byte .. 5 segments */
				u32 acked = 1 + (i * 2654435761u) % (5 * mss);
				u64 inc = acked < (u64)L * mss ? acked : (u64)L * mss;

				bytes += inc;
				if (bytes > (u64)ssthresh * mss)
					bytes = (u64)ssthresh * mss;
				cwnd = tcptune_abc_slow_start(cwnd, ssthresh, &ss_bytes,
							      acked, mss, L);
				CHECK(cwnd == bytes / mss,
				      "mss %u L %u ack %u: cwnd %u want %" PRIu64,
				      mss, L, acked, cwnd, bytes / mss);
				if (cwnd != bytes / mss)
					break;
			}
			CHECK(cwnd == ssthresh, "mss %u L %u stops at %u", mss, L, cwnd);
		}
	}
	result(ok, "rfc3465 slow start: +min(N, L*SMSS) bytes per ACK, stops at ssthresh");
}

static void test_slow_start_limits(void)
{
	int ok = 1;
	u32 ss = 0, cwnd;

	/* A stretch ACK of 10 segments adds L = 2, not 10. */
	cwnd = tcptune_abc_slow_start(10, 100, &ss, 10 * 1000, 1000, 2);
	CHECK(cwnd == 12 && ss == 0, "stretch: %u %u", cwnd, ss);
	/* L = 1 after an RTO. */
	cwnd = tcptune_abc_slow_start(1, 100, &ss, 2 * 1000, 1000, 1);
	CHECK(cwnd == 2, "L=1: %u", cwnd);
	/* Half segments add up. */
	ss = 0;
	cwnd = tcptune_abc_slow_start(10, 100, &ss, 500, 1000, 2);
	CHECK(cwnd == 10 && ss == 500, "half: %u %u", cwnd, ss);
	cwnd = tcptune_abc_slow_start(cwnd, 100, &ss, 500, 1000, 2);
	CHECK(cwnd == 11 && ss == 0, "two halves: %u %u", cwnd, ss);
	/* Never past ssthresh, and the counter resets there. */
	ss = 999;
	cwnd = tcptune_abc_slow_start(99, 100, &ss, 2000, 1000, 2);
	CHECK(cwnd == 100 && ss == 0, "cap: %u %u", cwnd, ss);
	/* Zero bytes acked: nothing. */
	ss = 0;
	cwnd = tcptune_abc_slow_start(7, 100, &ss, 0, 1000, 2);
	CHECK(cwnd == 7 && ss == 0, "zero: %u %u", cwnd, ss);
	result(ok, "rfc3465 slow start: stretch ACK, L=1, partial segments, cap");
}

/* RFC 3465 2.1: +1 SMSS once bytes_acked reaches cwnd (bytes). */
static void test_cong_avoid(void)
{
	int ok = 1;
	u32 mss = 1448, cwnd = 20, i, acks;
	u64 ca = 0, bytes;

	/* With ACKs of one segment, cwnd grows by exactly 1 per cwnd ACKs. */
	for (i = 0; i < 50; i++) {
		u32 start = cwnd;

		for (acks = 0; cwnd == start; acks++)
			cwnd = tcptune_abc_cong_avoid(cwnd, &ca, mss, mss);
		CHECK(acks == start, "cwnd %u grew after %u ACKs", start, acks);
		CHECK(cwnd == start + 1, "cwnd %u -> %u", start, cwnd);
	}
	/* Delayed ACKs (2 segments): cwnd/2 ACKs per increment. */
	cwnd = 40;
	ca = 0;
	for (acks = 0; cwnd == 40; acks++)
		cwnd = tcptune_abc_cong_avoid(cwnd, &ca, 2 * mss, mss);
	CHECK(acks == 20, "delayed: %u ACKs", acks);
	/* A stretch ACK of 3 windows grows by one segment only. */
	ca = 0;
	cwnd = tcptune_abc_cong_avoid(10, &ca, 30 * mss, mss);
	CHECK(cwnd == 11 && ca < 11 * mss, "stretch: %u %" PRIu64, cwnd, ca);
	/* Huge windows do not overflow the byte arithmetic. */
	ca = 0;
	cwnd = tcptune_abc_cong_avoid(3000000, &ca, 65535, 65535);
	CHECK(cwnd == 3000000 && ca == 65535, "large: %u %" PRIu64, cwnd, ca);
	/*
	 * Windows of 2^32 bytes and more (100 Gbit/s x 200 ms is 2.5 GB):
	 * +1 only after exactly one window of bytes, whatever its size
	 * (a 32-bit bytes_acked wraps and grows cwnd early or never).
	 */
	for (cwnd = 65536; cwnd <= 4000000; cwnd *= 4) {
		u32 start = cwnd, seg = 65535;
		u64 window = (u64)cwnd * seg;

		ca = 0;
		bytes = 0;
		while (cwnd == start && bytes <= window) {
			/* ACKs of 1 GB at a time: few iterations */
			cwnd = tcptune_abc_cong_avoid(cwnd, &ca, 1U << 30, seg);
			bytes += 1U << 30;
		}
		CHECK(cwnd == start + 1 && bytes >= window && bytes - window < (1U << 30),
		      "window %" PRIu64 " B: +1 after %" PRIu64 " B", window, bytes);
	}
	result(ok, "rfc3465 congestion avoidance: +1 SMSS per cwnd of acked bytes");
}

/*
 * The Linux-cwnd mapping must allow exactly the RFC's sends: the number of
 * segments Linux may send, cwnd - pipe, equals cwnd_rfc - FlightSize
 * whenever that is positive, and is <= 0 otherwise.
 */
static void test_mapping(void)
{
	int ok = 1;
	u32 w, po, pipe;

	for (w = 1; w < 60; w++)
		for (po = 0; po < 60; po++)
			for (pipe = 0; pipe <= po; pipe++) {
				u32 c = tcptune_rfc_to_linux_cwnd(w, po, pipe);
				long linux_room = (long)c - pipe;
				long rfc_room = (long)w - po;

				CHECK(c >= 1, "w %u po %u pipe %u: 0", w, po, pipe);
				if (rfc_room > 0)
					CHECK(linux_room == rfc_room,
					      "w %u po %u pipe %u: %ld vs %ld",
					      w, po, pipe, linux_room, rfc_room);
				else if (pipe > 0)
					CHECK(linux_room <= 0,
					      "w %u po %u pipe %u: sends %ld",
					      w, po, pipe, linux_room);
			}
	result(ok, "rfc window -> linux cwnd: same sends as FlightSize < cwnd_rfc");
}

static void test_newreno_exit(void)
{
	int ok = 1;
	u32 s, f;

	for (s = 2; s < 200; s++)
		for (f = 0; f < 400; f++) {
			u32 want = (f > 1 ? f : 1) + 1;

			want = want < s ? want : s;
			CHECK(tcptune_newreno_exit_cwnd(s, f) == want,
			      "ssthresh %u flight %u", s, f);
		}
	result(ok, "rfc6582 full ACK: min(ssthresh, max(FlightSize, 1) + 1)");
}

static void test_rate(void)
{
	int ok = 1;
	/* 10 segments of 1000 B per 10 ms at 100 % = 1 MB/s. */
	u64 r = tcptune_window_rate(1000, 10, 10000 << 3, 100);

	CHECK(r == 1000000, "rate %" PRIu64, r);
	r = tcptune_window_rate(1448, 100, 100000 << 3, 200);
	CHECK(r == 2896000, "ss rate %" PRIu64, r);
	r = tcptune_window_rate(65535, 1000000, 1 << 3, 200);
	CHECK(r > 0, "large rate overflowed");
	result(ok, "pacing rate = ratio * cwnd * mss / srtt");
}

int main(void)
{
	printf("TAP version 13\n1..7\n");
	test_ssthresh();
	test_slow_start();
	test_slow_start_limits();
	test_cong_avoid();
	test_mapping();
	test_newreno_exit();
	test_rate();
	return n_fail ? 1 : 0;
}
