// SPDX-License-Identifier: GPL-2.0
/*
 * A deterministic fuzzer of the tcptune CLI, linked with its objects built
 * with AddressSanitizer and UndefinedBehaviorSanitizer (make -C
 * userspace-tools asan): mutated kernel replies fed to every reply parser
 * (the generic netlink family lookup, the socket, knob and algorithm dumps,
 * sock_diag, events, errors with extack), and mutated command lines fed
 * to tt_main() - the whole argument parser and what it calls.
 *
 *   fuzz_cli [-T SECONDS] [-s SEED] [-t TARGET [-n INPUTS]]
 *
 * TAP, one result per target; a sanitizer report, a crash or an exit
 * status the man page does not list is a failure, with the report and how
 * to replay the input (-t TARGET -s SEED -n INPUTS: the same inputs in the
 * same order).  Two canaries first show that the sanitizers are on.
 *
 * The command lines run in a child each, in an empty network namespace
 * and chrooted into a scratch directory (so no file outside it is
 * written, and a loaded tcptune module's knobs are not changed), each
 * bounded to 300 ms (watch and monitor wait otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "tcptune.h"
#include "bc.h"
#include "canned.h"
#include "tap.h"

#define EXIT_SAN 99	/* either sanitizer's report */

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return "exitcode=99:detect_leaks=0:abort_on_error=0";	/* EXIT_SAN */
}

const char *__ubsan_default_options(void)
{
	return "exitcode=99:halt_on_error=1:print_stacktrace=1";
}

/*
 * In the argv target no generic netlink socket opens (linked with
 * --wrap=mnl_socket_open): a family lookup of "tcptune" makes the kernel
 * run modprobe, for every input.  The commands end there (exit 5); what
 * comes before is what this target is for, and the reply parsers have
 * targets of their own.  sock_diag (-a) stays.
 */
static bool no_genl;

struct mnl_socket *__real_mnl_socket_open(int bus);
struct mnl_socket *__wrap_mnl_socket_open(int bus);

struct mnl_socket *__wrap_mnl_socket_open(int bus)
{
	if (no_genl && bus == NETLINK_GENERIC) {
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	return __real_mnl_socket_open(bus);
}

/* ---- deterministic randomness ------------------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* ---- seeds: well-formed replies ------------------------------------------------ */

struct seed {
	char buf[4096];
	size_t len;
};

static struct nlmsghdr *seed_msg(struct seed *s, uint16_t type, uint16_t flags, size_t hdr)
{
	return canned_msg(s->buf + s->len, type, flags, hdr);
}

static void seed_end(struct seed *s, struct nlmsghdr *nlh)
{
	s->len += nlh->nlmsg_len;
}

/* A message of a tcptune dump, and its end (the message, then DONE). */
static struct nlmsghdr *seed_dump(struct seed *s)
{
	return seed_msg(s, CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
}

static void seed_dump_end(struct seed *s, struct nlmsghdr *nlh)
{
	seed_end(s, nlh);
	seed_end(s, seed_msg(s, NLMSG_DONE, NLM_F_MULTI, sizeof(int)));
}

static void seed_family(struct seed *s)
{
	struct nlmsghdr *nlh = seed_msg(s, GENL_ID_CTRL, 0, GENL_HDRLEN);
	struct nlattr *nest, *n2;
	int i;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPTUNE_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, CANNED_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, TCPTUNE_GENL_VERSION);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	for (i = 1; i <= TCPTUNE_CMD_MAX; i++) {
		n2 = mnl_attr_nest_start(nlh, (uint16_t)i);
		mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, (uint32_t)i);
		mnl_attr_put_u32(nlh, CTRL_ATTR_OP_FLAGS, i == TCPTUNE_CMD_KNOB_SET ? GENL_ADMIN_PERM : 0);
		mnl_attr_nest_end(nlh, n2);
	}
	mnl_attr_nest_end(nlh, nest);
	canned_mcast_group(nlh, TCPTUNE_MCGRP_EVENTS, 9);
	seed_end(s, nlh);
	nlh = seed_msg(s, NLMSG_ERROR, 0, sizeof(struct nlmsgerr));
	seed_end(s, nlh);
}

static void put_addrs(struct nlmsghdr *nlh, int family, int a_family, int a_saddr,
		      int a_daddr, int a_sport, int a_dport)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v4[4] = { 198, 18, 1, 1 };

	mnl_attr_put_u8(nlh, (uint16_t)a_family, (uint8_t)family);
	mnl_attr_put(nlh, (uint16_t)a_saddr, family == AF_INET6 ? 16 : 4,
		     family == AF_INET6 ? v6 : v4);
	mnl_attr_put(nlh, (uint16_t)a_daddr, family == AF_INET6 ? 16 : 4,
		     family == AF_INET6 ? v6 : v4);
	mnl_attr_put_u16(nlh, (uint16_t)a_sport, 40000);
	mnl_attr_put_u16(nlh, (uint16_t)a_dport, 5201);
}

static void seed_sock(struct seed *s)
{
	struct nlmsghdr *nlh = seed_dump(s);
	struct nlattr *nest, *m;
	int k, t;

	for (k = 0; k < 2; k++) {
		nest = mnl_attr_nest_start(nlh, TCPTUNE_A_SOCK);
		put_addrs(nlh, k ? AF_INET6 : AF_INET, TCPTUNE_SOCK_A_FAMILY, TCPTUNE_SOCK_A_SADDR,
			  TCPTUNE_SOCK_A_DADDR, TCPTUNE_SOCK_A_SPORT, TCPTUNE_SOCK_A_DPORT);
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_COOKIE, 0x1a + (uint64_t)k);
		mnl_attr_put_strz(nlh, TCPTUNE_SOCK_A_ALGO, k ? "tcptune_bbr" : "tcptune_reno");
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_STATE, 1);
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_CA_STATE, (uint8_t)(k * 3));
		for (t = TCPTUNE_SOCK_A_CWND; t <= TCPTUNE_SOCK_A_DELIVERED; t++)
			mnl_attr_put_u32(nlh, (uint16_t)t, t == TCPTUNE_SOCK_A_SSTHRESH ?
					 0x7fffffff : (uint32_t)(t * 1000 + k));
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_DELIVERY_RATE, 12500000);
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_PACING_RATE, k ? ~0ULL : 15000000);
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_APP_LIMITED, 1);
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_RTOS, 2);
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_BYTES_ACKED, 1ULL << 40);
		/* ss -tie's fields (appended attributes) */
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_RECV_Q, 12);
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_SEND_Q, ~0u);
		for (t = TCPTUNE_SOCK_A_BYTES_SENT; t <= TCPTUNE_SOCK_A_SNDBUF_LIMITED; t++)
			mnl_attr_put_u64(nlh, (uint16_t)t, k ? ~0ULL : (uint64_t)t << 20);
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_NOTSENT, 100);
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_SND_WND, 65535);
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_OPTIONS, k ? 0xff : 0x07);
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_SND_WSCALE, 14);
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_RCV_WSCALE, 7);
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_INODE, 4242);
		mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_UID, 1000);
		mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_CGROUP_ID, 1);
		if (!k) {
			m = mnl_attr_nest_start(nlh, TCPTUNE_SOCK_A_RENO);
			mnl_attr_put_u8(nlh, TCPTUNE_RENO_A_PHASE, TCPTUNE_RENO_FAST_RECOVERY);
			for (t = TCPTUNE_RENO_A_RECOVER; t <= TCPTUNE_RENO_A_MAX; t++)
				mnl_attr_put_u32(nlh, (uint16_t)t, (uint32_t)t * 7);
		} else {
			m = mnl_attr_nest_start(nlh, TCPTUNE_SOCK_A_BBR);
			mnl_attr_put_u8(nlh, TCPTUNE_BBR_A_STATE, TCPTUNE_BBR_PROBE_BW_UP);
			mnl_attr_put_u64(nlh, TCPTUNE_BBR_A_BW, ~0ULL);
			for (t = TCPTUNE_BBR_A_MIN_RTT; t <= TCPTUNE_BBR_A_INFLIGHT_LO; t++)
				mnl_attr_put_u32(nlh, (uint16_t)t, ~0u);
			mnl_attr_put_u64(nlh, TCPTUNE_BBR_A_BW_LO, 1ULL << 62);
			mnl_attr_put_u32(nlh, TCPTUNE_BBR_A_ROUND, 9);
		}
		mnl_attr_nest_end(nlh, m);
		mnl_attr_nest_end(nlh, nest);
	}
	seed_dump_end(s, nlh);
}

static void seed_knob(struct seed *s)
{
	struct nlmsghdr *nlh = seed_dump(s);
	struct nlattr *nest;
	int k;

	for (k = 0; k < 2; k++) {
		nest = mnl_attr_nest_start(nlh, TCPTUNE_A_KNOB);
		mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_ALGO, k ? "bbr" : "reno");
		mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_NAME, k ? "headroom" : "beta");
		mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_VALUE, 50);
		mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_RANGE_MIN, 1);
		mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_RANGE_MAX, 90);
		mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_DEFAULT, 50);
		mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_UNIT, "percent");
		mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_DOC, "multiplicative decrease");
		mnl_attr_put_u8(nlh, TCPTUNE_KNOB_A_WHEN, (uint8_t)k);
		mnl_attr_nest_end(nlh, nest);
	}
	seed_dump_end(s, nlh);
}

static void seed_algo(struct seed *s)
{
	struct nlmsghdr *nlh = seed_dump(s);
	struct nlattr *nest;
	int t;

	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_ALGO);
	mnl_attr_put_strz(nlh, TCPTUNE_ALGO_A_NAME, "tcptune_newreno");
	mnl_attr_put_u32(nlh, TCPTUNE_ALGO_A_SOCKETS, 3);
	for (t = TCPTUNE_ALGO_A_RECOVERIES; t <= TCPTUNE_ALGO_A_PROBE_RTTS; t++)
		mnl_attr_put_u64(nlh, (uint16_t)t, (uint64_t)t << 33);
	mnl_attr_nest_end(nlh, nest);
	seed_dump_end(s, nlh);
}

static void seed_diag(struct seed *s)
{
	struct nlmsghdr *nlh = seed_msg(s, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI,
					sizeof(struct inet_diag_msg));
	struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct tcp_info ti;
	int k;

	m->idiag_family = AF_INET6;
	m->idiag_state = 2;
	m->id.idiag_sport = htons(443);
	m->id.idiag_cookie[0] = 0x1b;
	memset(&ti, 0, sizeof(ti));
	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_unacked = 1;
	ti.tcpi_pacing_rate = ~0ULL;
	ti.tcpi_delivery_rate = 1000;
	ti.tcpi_options = 0x1f;
	ti.tcpi_busy_time = 1000;
	ti.tcpi_rwnd_limited = 2000;	/* more than busy: a kernel may race */
	mnl_attr_put(nlh, INET_DIAG_INFO, sizeof(ti), &ti);
	mnl_attr_put_strz(nlh, INET_DIAG_CONG, "cubic");
	mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, 0x1234);
	seed_end(s, nlh);
	/* the kernel algorithms' own structs, one per socket */
	for (k = 0; k < 3; k++) {
		static const uint16_t types[] = { INET_DIAG_BBRINFO, INET_DIAG_DCTCPINFO,
						  INET_DIAG_VEGASINFO };
		union tcp_cc_info ci;

		nlh = seed_msg(s, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, sizeof(struct inet_diag_msg));
		m = mnl_nlmsg_get_payload(nlh);
		m->idiag_family = AF_INET;
		m->idiag_state = 1;
		m->idiag_inode = 77;
		m->id.idiag_cookie[0] = 0x1c + k;
		mnl_attr_put(nlh, INET_DIAG_INFO, sizeof(ti), &ti);
		memset(&ci, 0xff, sizeof(ci));
		mnl_attr_put(nlh, types[k], sizeof(ci), &ci);
		if (k == 2)	/* Vegas's rtt for send: a zero cwnd */
			mnl_attr_put(nlh, INET_DIAG_DCTCPINFO, 4, &ci);
		seed_end(s, nlh);
	}
	seed_end(s, seed_msg(s, NLMSG_DONE, NLM_F_MULTI, sizeof(int)));
	/* what the filter's dev/fwmark/cgroup read (sock_diag's view) */
	m->id.idiag_if = 3;
	mnl_attr_put_u32(nlh, INET_DIAG_MARK, 0x10);
	mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, 1);
	ti.tcpi_segs_out = 100;
	seed_dump_end(s, nlh);
}

static void seed_event(struct seed *s)
{
	struct nlmsghdr *nlh = seed_msg(s, CANNED_FAMILY, 0, GENL_HDRLEN);
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *nest;

	g->cmd = TCPTUNE_CMD_EVENT;
	nlh->nlmsg_seq = 0;	/* multicast */
	nlh->nlmsg_pid = 0;
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_EVENT);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_TYPE, TCPTUNE_EVENT_BBR_STATE);
	mnl_attr_put_u64(nlh, TCPTUNE_EVENT_A_COOKIE, 0x1a);
	mnl_attr_put_strz(nlh, TCPTUNE_EVENT_A_ALGO, "tcptune_bbr");
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_CA_STATE, TCPTUNE_CA_RECOVERY);
	mnl_attr_put_u32(nlh, TCPTUNE_EVENT_A_CWND, 10);
	mnl_attr_put_u32(nlh, TCPTUNE_EVENT_A_SSTHRESH, 7);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_BBR_STATE, TCPTUNE_BBR_PROBE_BW_DOWN);
	mnl_attr_put_u32(nlh, TCPTUNE_EVENT_A_DROPPED, 3);
	put_addrs(nlh, AF_INET6, TCPTUNE_EVENT_A_FAMILY, TCPTUNE_EVENT_A_SADDR,
		  TCPTUNE_EVENT_A_DADDR, TCPTUNE_EVENT_A_SPORT, TCPTUNE_EVENT_A_DPORT);
	mnl_attr_put_u64(nlh, TCPTUNE_EVENT_A_TIMESTAMP, 1700000000123456789ULL);
	mnl_attr_nest_end(nlh, nest);
	seed_end(s, nlh);
	/* TIMESTAMPs of the wrong lengths, and one past any time_t */
	nlh = seed_msg(s, CANNED_FAMILY, 0, GENL_HDRLEN);
	g = mnl_nlmsg_get_payload(nlh);
	g->cmd = TCPTUNE_CMD_EVENT;
	nlh->nlmsg_seq = 0;
	nlh->nlmsg_pid = 0;
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_EVENT);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_TYPE, TCPTUNE_EVENT_RTO);
	canned_raw(nlh, TCPTUNE_EVENT_A_TIMESTAMP, 4, 0x7f);
	canned_raw(nlh, TCPTUNE_EVENT_A_TIMESTAMP, 12, 0xff);
	canned_raw(nlh, TCPTUNE_EVENT_A_TIMESTAMP, 0, 0);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_EVENT);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_TYPE, TCPTUNE_EVENT_RECOVERY_EXIT);
	mnl_attr_put_u64(nlh, TCPTUNE_EVENT_A_TIMESTAMP, ~0ULL);
	mnl_attr_nest_end(nlh, nest);
	seed_end(s, nlh);
}

static void seed_error(struct seed *s)
{
	struct nlmsghdr *nlh = seed_msg(s, NLMSG_ERROR, NLM_F_ACK_TLVS, sizeof(struct nlmsgerr));
	struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	char req[32] = { 0 };

	/* not capped: our 32-byte request echoed after the header */
	e->error = -ERANGE;
	e->msg.nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(req);
	mnl_nlmsg_put_extra_header(nlh, sizeof(req));
	memcpy((char *)nlh + nlh->nlmsg_len - sizeof(req), req, sizeof(req));
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "value out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	seed_end(s, nlh);
	nlh = seed_msg(s, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, sizeof(int));
	*(int *)mnl_nlmsg_get_payload(nlh) = -ENOENT;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no such algorithm");
	seed_end(s, nlh);
}

/* ---- mutations of a reply -------------------------------------------------- */

static size_t mutate_bytes(char *b, size_t len, size_t cap)
{
	static const uint32_t interesting[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 20, 255, 256, 0x7fff, 0x8000,
		0xffff, 0x7fffffff, 0x80000000u, 0xffffffffu,
	};
	int rounds = 1 + (int)below(4), r;

	for (r = 0; r < rounds; r++) {
		size_t off = below(len), n;
		uint32_t v = below(3) ? interesting[below(sizeof(interesting) / sizeof(interesting[0]))]
				      : (uint32_t)rnd();

		switch (below(8)) {
		case 0:		/* a bit */
			if (len)
				b[off] ^= (char)(1 << below(8));
			break;
		case 1:		/* a byte */
			if (len)
				b[off] = (char)v;
			break;
		case 2:		/* a u16 where lengths and types are: 4-aligned */
			off &= ~(size_t)3;
			if (off + 4 <= len)
				memcpy(b + off + 2 * below(2), &(uint16_t){ (uint16_t)v }, 2);
			break;
		case 3:		/* a u32 */
			off &= ~(size_t)3;
			if (off + 4 <= len)
				memcpy(b + off, &v, 4);
			break;
		case 4:		/* truncated */
			len = below(len + 1);
			break;
		case 5:		/* bytes inserted */
			n = 1 + below(8);
			if (len + n <= cap) {
				memmove(b + off + n, b + off, len - off);
				for (size_t i = 0; i < n; i++)
					b[off + i] = (char)rnd();
				len += n;
			}
			break;
		case 6:		/* a range deleted */
			n = below(len - off + 1);
			memmove(b + off, b + off + n, len - off - n);
			len -= n;
			break;
		case 7:		/* a range copied elsewhere */
			n = below(len - off + 1);
			if (n && len + n <= cap) {
				size_t to = below(len + 1);

				memmove(b + to + n, b + to, len - to);
				memmove(b + to, b + (off >= to ? off + n : off), n);
				len += n;
			}
			break;
		}
	}
	/* often keep the first header's length true, so the parsers are reached */
	if (len >= sizeof(struct nlmsghdr) && below(2)) {
		uint32_t l = (uint32_t)len;

		memcpy(b, &l, 4);
	}
	return len;
}

/* ---- the reply targets -------------------------------------------------------- */

static FILE *devnull;

static void print_socks(struct tt_socklist *l)
{
	struct tt_watch_prev *prev = NULL;
	size_t i, np = 0;
	struct tt_summary sm;
	json_object *so;

	/* watch's deltas: the list against itself a second later */
	tt_watch_deltas(&prev, &np, l, 1.0);
	tt_watch_deltas(&prev, &np, l, 2.0);
	free(prev);

	/* summary and metrics of whatever was parsed */
	if (!tt_summary_build(l, &sm)) {
		tt_summary_print(&sm, devnull);
		so = tt_summary_json(&sm);
		fputs(json_object_to_json_string(so), devnull);
		json_object_put(so);
	}
	tt_summary_free(&sm);
	tt_metrics_write(devnull, NULL, l, NULL);

	for (i = 0; i < l->n; i++) {
		json_object *o = tt_sock_json(&l->v[i]);
		char *jw = NULL;
		size_t len = 0;
		struct tt_out out;
		struct tt_jw w;

		tt_sock_print(&l->v[i], devnull);
		tt_csv_row(devnull, 1.0, &l->v[i]);
		fputs(json_object_to_json_string(o), devnull);
		/* sockets -j writes it as it is made: json-c's bytes, or a failure */
		tt_out_init(&out, open_memstream(&jw, &len));
		if (!out.f)
			abort();
		tt_jw_text(&w, &out);
		tt_sock_jw(&l->v[i], &w);
		tt_out_flush(&out);
		fclose(out.f);
		if (strcmp(jw, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE))) {
			fprintf(stderr, "JSON written as made:\n%s\njson-c's:\n%s\n", jw,
				json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
			abort();
		}
		free(jw);
		json_object_put(o);
	}
}

enum kind { K_FAMILY, K_SOCK, K_KNOB, K_ALGO, K_DIAG, K_EVENT, K_ERROR, K_ARGV, K_FILTER };

static void feed(enum kind k, const char *in, size_t len)
{
	char *b = malloc(len ? len : 1);	/* exactly len: a read past it is reported */
	struct tt_nlerr err;
	struct tt_ctx ctx;
	struct tt_socklist l = { 0 };
	struct tt_knobdb db = { 0 };
	struct tt_algolist al = { 0 };
	struct tt_filter f;
	struct tt_monitor m = { .ctx = &ctx, .f = &f, .count = -1 };

	if (!b)
		abort();
	memcpy(b, in, len);
	memset(&ctx, 0, sizeof(ctx));
	memset(&err, 0, sizeof(err));
	ctx.family_id = CANNED_FAMILY;
	switch (k) {
	case K_FAMILY:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, tt_family_cb, &ctx, &err);
		break;
	case K_SOCK:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, tt_sock_cb, &l, &err);
		print_socks(&l);
		break;
	case K_KNOB:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, tt_knob_cb, &db, &err);
		tt_metrics_write(devnull, NULL, &l, &db);
		break;
	case K_ALGO:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, tt_algo_cb, &al, &err);
		tt_metrics_write(devnull, &al, &l, NULL);
		break;
	case K_DIAG:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, sizeof(struct inet_diag_req_v2),
			      tt_diag_cb, &l, &err);
		print_socks(&l);
		break;
	case K_EVENT:
		/* each way of printing the time, text and JSON; some types only */
		tt_filter_init(&f);
		m.tstamp = (int)(len % 3);
		ctx.json = len & 4;
		m.types = len & 8 ? 1u << TCPTUNE_EVENT_RTO | 1u << TCPTUNE_EVENT_BBR_STATE : 0;
		tt_nl_replies(b, len, 0, 0, GENL_HDRLEN, tt_monitor_cb, &m, &err);
		break;
	case K_ERROR:
		tt_nl_replies(b, len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, NULL, NULL, &err);
		fprintf(devnull, "%d %s %u\n", err.error, err.msg, err.offset);
		break;
	default:
		break;
	}
	tt_socklist_free(&l);
	tt_knobdb_free(&db);
	free(al.v);
	free(b);
}

static const struct target {
	const char *name, *what;
	void (*seed)(struct seed *s);
	enum kind kind;
	int weight;		/* share of the time */
} targets[] = {
	{ "family", "reply parser: generic netlink family lookup", seed_family, K_FAMILY, 2 },
	{ "sock", "reply parser: socket dump, and its text, JSON and CSV", seed_sock, K_SOCK, 3 },
	{ "knob", "reply parser: knob dump, and its metrics", seed_knob, K_KNOB, 2 },
	{ "algo", "reply parser: algorithm dump, and its metrics", seed_algo, K_ALGO, 2 },
	{ "diag", "reply parser: sock_diag dump, and its text, JSON and CSV", seed_diag, K_DIAG, 2 },
	{ "event", "reply parser: events (monitor)", seed_event, K_EVENT, 2 },
	{ "error", "reply parser: errors, extack, end of dump", seed_error, K_ERROR, 2 },
	{ "filter", "filter parser and bytecode: audited and run as the kernel would", NULL, K_FILTER, 4 },
	{ "argv", "argument parser: tt_main() with mutated command lines", NULL, K_ARGV, 10 },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

/* Shared with the parent: how many inputs the target has started. */
static volatile long *progress;

static int run_replies(const struct target *t, double until, long max)
{
	static struct seed seed;
	static char in[8192];
	long i;

	memset(&seed, 0, sizeof(seed));
	t->seed(&seed);
	feed(t->kind, seed.buf, seed.len);		/* the seed itself */
	for (i = 0; (max < 0 || i < max) && (max >= 0 || tt_now() < until); i++) {
		size_t len;

		*progress = i + 1;
		memcpy(in, seed.buf, seed.len);
		len = mutate_bytes(in, seed.len, sizeof(in));
		feed(t->kind, in, len);
	}
	return 0;
}


/* ---- the filter target ---------------------------------------------------------- */

static const char *const fwords[] = {
	"dport", "sport", "dst", "src", "state", "exclude", "algo", "ca-state", "sk",
	"and", "or", "not", "&&", "||", "!", "(", ")", "((", "))", "=", "==", "!=", "<", ">",
	"<=", ">=", "eq", "ne", "lt", "gt", "le", "ge", ":80", "443", ":0", ":65535", ":65536",
	"198.18.0.0/15", "198.18.1.1:80", "[2001:db8::1]:6001", "[2001:db8::1]/64:1",
	"2001:db8::/32", "*", "*:443", ":80", "::ffff:198.18.0.1", "0.0.0.0/0", "/", "[", "]",
	"established", "listening", "time-wait", "all", "connected", "synchronized", "bucket",
	"big", "syn-recv", "closed", "reno", "cubic", "Loss", "Open", "1a", "sk:1a", "x", "",
	"&", "|", "neq", "leq", "geq", "0.0.0.0/2147483648", "[::]/4294967295", "::/128",
	"dev", "fwmark", "cgroup", "autobound", "lo", "3", "0x10/0xff", "0x1/", "4294967296",
	":https", "https", ":http", "198.18.0.1:ssh", "*:nosuchservice", "../x", "/sys",
};
#define NFWORDS (sizeof(fwords) / sizeof(fwords[0]))

/* Sockets the filters are run on, by the CLI and by the kernel's model. */
static void fsock(struct tt_sock *s, int family, const char *a, int sport, const char *b,
		  int dport)
{
	memset(s, 0, sizeof(*s));
	s->family = (uint8_t)family;
	inet_pton(family, a, s->saddr);
	inet_pton(family, b, s->daddr);
	s->v[TCPTUNE_SOCK_A_SPORT] = (uint64_t)sport;
	s->v[TCPTUNE_SOCK_A_DPORT] = (uint64_t)dport;
	s->v[TCPTUNE_SOCK_A_STATE] = 1;
	s->have = 1ULL << TCPTUNE_SOCK_A_STATE | 1ULL << TCPTUNE_SOCK_A_CA_STATE;
	snprintf(s->algo, sizeof(s->algo), "tcptune_reno");
}

static int run_filter(double until, long max)
{
	static char in[1 << 16], bc[1 << 17];
	long parsed = 0;
	struct tt_sock socks[6];
	long i;
	int k;

	if (!freopen("/dev/null", "w", stderr))	/* the parser's messages */
		return 2;
	fsock(&socks[0], AF_INET, "198.18.0.1", 80, "198.18.1.1", 443);
	fsock(&socks[1], AF_INET, "198.19.255.255", 0, "198.18.0.1", 65535);
	fsock(&socks[2], AF_INET6, "2001:db8::1", 6001, "2001:db8::2", 1);
	fsock(&socks[3], AF_INET6, "::ffff:198.18.0.1", 443, "::ffff:198.18.1.1", 80);
	fsock(&socks[4], AF_INET6, "fe80::1", 65535, "::", 0);
	fsock(&socks[5], AF_INET, "0.0.0.0", 1, "198.18.0.2", 80);
	socks[5].v[TCPTUNE_SOCK_A_CA_STATE] = TCPTUNE_CA_LOSS;
	socks[5].v[TCPTUNE_SOCK_A_COOKIE] = 0x1a;
	/* sock_diag's view for dev, fwmark, autobound */
	for (k = 0; k < 6; k++)
		socks[k].xhave = TT_X_IFINDEX | TT_X_MARK | TT_X_CGROUP | TT_X_AUTOBOUND;
	socks[0].ifindex = 1;
	socks[1].ifindex = 2;
	socks[2].mark = 0x10;
	socks[3].mark = 0x1ff;
	socks[4].autobound = true;
	socks[5].autobound = true;
	socks[5].v[TCPTUNE_SOCK_A_SPORT] = 40000;
	for (i = 0; (max < 0 || i < max) && (max >= 0 || tt_now() < until); i++) {
		struct tt_filter f;
		char *argv[64];
		size_t len = 0, n = 1 + below(below(8) ? 12 : 4000);
		int argc = 0, st, m;
		bool kernel_only = true;

		*progress = i + 1;
		/* words, sometimes glued, sometimes mutated bytes; or well-formed
		 * terms joined by and/or, under not and parentheses */
		if (below(2)) {
			while (n-- && len + 40 < sizeof(in)) {
				const char *w = fwords[below(NFWORDS)];

				len += (size_t)snprintf(in + len, sizeof(in) - len, "%s%s", w,
							below(5) ? " " : "");
			}
		} else {
			static const char *const terms[] = {
				"dport = :80", "sport != :443", "dport < :1", "dport > :65535",
				"sport <= :80", "dport ge :443", "dst 198.18.0.0/15", "src [2001:db8::1]:6001",
				"dst *:80", "src ::ffff:198.18.0.1", "dst 198.18.1.1:443", "src 0.0.0.0/0",
				"dst 2001:db8::/32", "ca-state Loss", "sk 1a", "sport eq :0",
				"dev = 1", "dev != 2", "fwmark = 0x10/0xff", "fwmark != 1", "autobound",
				"dport = :https", "src *:ssh", "fwmark 0/0",
			};
			static const char *const ops[] = { " and ", " or ", " ", " && ", " || " };
			int open = 0;

			n = 1 + below(below(8) ? 8 : 300);
			while (n-- && len + 60 < sizeof(in)) {
				if (below(4) == 0)
					len += (size_t)snprintf(in + len, sizeof(in) - len, "! ");
				if (below(4) == 0 && open < 70) {
					len += (size_t)snprintf(in + len, sizeof(in) - len, "( ");
					open++;
				}
				len += (size_t)snprintf(in + len, sizeof(in) - len, "%s",
							terms[below(sizeof(terms) / sizeof(terms[0]))]);
				while (open && below(3) == 0) {
					len += (size_t)snprintf(in + len, sizeof(in) - len, " )");
					open--;
				}
				if (n)
					len += (size_t)snprintf(in + len, sizeof(in) - len, "%s", ops[below(5)]);
			}
			while (open-- && len + 4 < sizeof(in))
				len += (size_t)snprintf(in + len, sizeof(in) - len, " )");
		}
		if (!below(4))
			len = mutate_bytes(in, len, sizeof(in) - 1);
		in[len] = '\0';
		/* in one word, as ss takes it, or cut into a few */
		argv[argc++] = in;
		for (size_t j = 0; j < len && argc < 63; j++)
			if (in[j] == ' ' && !below(3)) {
				in[j] = '\0';
				argv[argc++] = in + j + 1;
			}
		tt_filter_init(&f);
		st = tt_filter_parse_args(&f, "fuzz", argc, argv);
		parsed += !st;
		if (st != 0 && st != TT_EXIT_USAGE && st != TT_EXIT_INVALID) {
			fprintf(stdout, "exit status %d\n", st);
			abort();
		}
		if (!st) {
			ssize_t bl = tt_filter_bytecode(&f, bc, sizeof(bc));
			const char *why = bl > 0 ? bc_audit((unsigned char *)bc, (int)bl) : NULL;

			if (why) {
				dprintf(2, "bytecode refused: %s\n", why);
				abort();
			}
			for (m = 0; m < f.n; m++)
				if (f.nodes[m].kind == TT_FX_CA_STATE || f.nodes[m].kind == TT_FX_COOKIE)
					kernel_only = false;
			/* the selectors are apart from the bytecode: the expression alone */
			f.algo = NULL;
			f.states_set = false;
			for (k = 0; bl >= 0 && k < 6; k++) {
				bool e = tt_filter_match(&f, &socks[k]);
				bool r = !bl || bc_run((unsigned char *)bc, (int)bl, &socks[k]);

				if ((e && !r) || (kernel_only && e != r)) {
					dprintf(1, "socket %d: the CLI says %d, the kernel %d\n", k, e, r);
					abort();
				}
			}
		}
		tt_filter_free(&f);
	}
	/* most well-formed inputs must parse, or the bytecode is not reached */
	return parsed * 5 < i ? 3 : 0;
}

/* ---- the argv target ----------------------------------------------------------- */

static const char *const words[] = {
	"sockets", "algos", "knobs", "set", "monitor", "watch", "plot", "help",
	"s", "so", "sock", "show", "list", "mon", "kn", "w", "p",
	"-j", "-p", "-d", "-h", "-V", "-jp", "-jpa", "-a", "-f", "-c", "-i", "-o", "-n",
	"-x", "-", "--", "--json", "--pretty", "--netns", "--netns=x", "--debug", "--help",
	"--version", "--all", "--force", "--count", "--interval", "--csv", "--output",
	"--png", "--title", "--count=2", "--interval=0.01",
	"algo", "src", "dst", "sport", "dport", "ca-state", "ca_state", "sk",
	"reno", "bbr", "newreno", "tcptune_reno", "cubic", "0", "1", "2", "-1", "0.01",
	"0.001", "86400", "99999", "65535", ":443", "0x1a", "abc", "nan", "inf", "1e308",
	"198.18.0.0/15", "[2001:db8::1]/64", "::1", "300.1.1.1", "/33", "Recovery", "loss",
	"sk:1a", "reno.beta=70", "reno.beta=on", "bbr.headroom=20", "net.tcptune.reno.beta=1",
	"reno.beta=", "=1", ".", ".=", "w.csv", "x.svg", "", "%s%n%x", "reno.beta=4294967296",
	"state", "exclude", "established", "listening", "all", "bucket", "(", ")", "and", "or",
	"not", "!", "&&", "||", "=", "!=", "<", ">=", "eq", "gt", ":6001", "*:443",
	"[2001:db8::1]:80", "2001:db8::/32", "( dport = :1 or sport > :2 )", "-4", "-6",
	"--sort", "--top", "cwnd", "rtt", "delivery_rate", "nosuch", "--sort=srtt_us", "--top=3",
	"type", "recovery,loss", "rto", "bbr_state,", "-t", "-ts", "-tshort", "-timestamp",
	"--tshort", "--timestamp", "--log", "all",
	"-P", "--processes", "--cgroup", "-aP", "send", "bytes_retrans", "--sort=notsent",
	"summary", "metrics", "sum", "met", "m.prom", "--output=m.prom", "dev", "fwmark", "cgroup",
	"autobound", "lo", "0x1/0xff", ":https", "/",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static const char *const seeds[][12] = {
	{ "sockets", "-a", "dport", "443" },
	{ "-jp", "sockets", "algo", "bbr", "src", "198.18.0.0/15" },
	{ "set", "-f", "reno.beta=70", "bbr.headroom=20" },
	{ "set", "reno.beta=on" },
	{ "knobs", "reno.beta" },
	{ "watch", "-i", "0.01", "-c", "2", "--csv", "-o", "w.csv", "-a" },
	{ "watch", "-j", "-c", "1", "ca-state", "Recovery" },
	{ "plot", "--title", "x", "-o", "x.svg", "sk", "1a", "w.csv" },
	{ "monitor", "-c", "1", "algo", "reno" },
	{ "monitor", "-ts", "type", "recovery,loss", "-c", "1", "dport", "5201" },
	{ "plot", "--log", "--png", "-o", "x.png", "w.csv", "sk", "1a", "or", "algo", "bbr" },
	{ "-n", "blue", "algos" },
	{ "help", "set" },
	{ "-a", "sk", "1a" },
	{ "sockets", "-a", "state", "established", "( dport = :443 or sport >= :1024 )" },
	{ "sockets", "-a6", "--sort", "cwnd", "--top", "3", "!", "dst", "2001:db8::/32" },
	{ "watch", "-c", "1", "-a", "exclude", "listening", "dport", "!=", ":22" },
	{ "summary", "-a", "state", "all", "dport", "!=", ":https" },
	{ "-j", "summary", "-a6", "dev", "lo", "or", "autobound" },
	{ "metrics", "-a", "-o", "m.prom" },
	{ "sockets", "-a", "fwmark", "0x1/0xff", "or", "cgroup", "/" },
};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))
#define MAXARGS 40

static char *mutate_word(const char *w)
{
	size_t len = strlen(w), i, n;
	char *s;

	switch (below(5)) {
	case 0:		/* a long run of one letter, or a long knob name */
		n = 1 + below(20000);
		s = malloc(n + 16);
		strcpy(s, below(2) ? "reno." : "");
		i = strlen(s);
		memset(s + i, 'a' + (int)below(26), n);
		strcpy(s + i + n, below(2) ? "=1" : "");
		return s;
	case 1:		/* truncated */
		return strndup(w, below(len + 1));
	case 2:		/* a character changed */
		s = strdup(w);
		if (len)
			s[below(len)] = (char)(1 + below(255));
		return s;
	case 3:		/* two words joined */
		s = malloc(len + 64);
		snprintf(s, len + 64, "%s%s%s", w, below(2) ? "=" : ".", words[below(NWORDS)]);
		return s;
	default:	/* doubled */
		s = malloc(2 * len + 1);
		for (i = 0; i < 2; i++)
			memcpy(s + i * len, w, len);
		s[2 * len] = '\0';
		return s;
	}
}

static int argv_gen(char **argv)
{
	const char *const *sd = seeds[below(NSEEDS)];
	int argc = 1, i, rounds = 1 + (int)below(4);

	argv[0] = strdup("tcptune");
	for (i = 0; i < 12 && sd[i]; i++)
		argv[argc++] = strdup(sd[i]);
	while (rounds--) {
		int at = 1 + (int)below((size_t)argc);

		switch (below(4)) {
		case 0:		/* a word replaced */
			if (at < argc) {
				free(argv[at]);
				argv[at] = strdup(words[below(NWORDS)]);
			}
			break;
		case 1:		/* a word inserted */
			if (argc < MAXARGS - 1) {
				memmove(argv + at + 1, argv + at, (size_t)(argc - at) * sizeof(*argv));
				argv[at] = strdup(words[below(NWORDS)]);
				argc++;
			}
			break;
		case 2:		/* a word removed */
			if (at < argc) {
				free(argv[at]);
				memmove(argv + at, argv + at + 1, (size_t)(argc - at - 1) * sizeof(*argv));
				argc--;
			}
			break;
		default:	/* a word mutated */
			if (at < argc) {
				char *w = mutate_word(argv[at]);

				free(argv[at]);
				argv[at] = w;
			}
			break;
		}
	}
	argv[argc] = NULL;
	return argc;
}

static void argv_print(FILE *f, char **argv)
{
	for (; *argv; argv++) {
		size_t len = strlen(*argv);

		fprintf(f, " '%.60s%s'", *argv, len > 60 ? "..." : "");
		if (len > 60)
			fprintf(f, "(%zu chars)", len);
	}
	fputc('\n', f);
}

/* A scratch root for the command lines: a CSV for plot, nothing else. */
static int sandbox(const char *dir)
{
	FILE *f;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/w.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	tt_csv_header(f);
	fprintf(f, "1.0,1a,tcptune_reno,198.18.1.1,1,198.18.2.1,2,ESTAB,Open,10,,2000,1,1,1,1,1,1,0,0,0,0,1,8,8,0,,,open\n"
		   "2.0,1a,tcptune_reno,198.18.1.1,1,198.18.2.1,2,ESTAB,Open,12,5,2100,1,1,1,1,1,1,0,0,0,0,2,9,9,0,,,open\n");
	fclose(f);
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	if (chdir(dir) < 0 || chroot(dir) < 0 || chdir("/") < 0) {
		fprintf(stderr, "chroot %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int run_argv(const char *dir, double until, long max)
{
	char *argv[MAXARGS + 1], line[512];
	int status, argc, j;
	long i;

	if (sandbox(dir) < 0)
		return 2;
	no_genl = true;
	for (i = 0; (max < 0 || i < max) && (max >= 0 || tt_now() < until); i++) {
		pid_t pid;
		int bad = 0;

		*progress = i + 1;
		argc = argv_gen(argv);
		fflush(NULL);
		pid = fork();
		if (pid < 0)
			return 2;
		if (!pid) {
			struct itimerval it = { .it_value = { 0, 300000 } };
			int out = open("/out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
			int err = open("/err", O_WRONLY | O_CREAT | O_TRUNC, 0600);
			int in = open("/w.csv", O_RDONLY);

			/* its output into files, kept for the one that fails */
			if (out < 0 || err < 0 || in < 0 || dup2(out, STDOUT_FILENO) < 0 ||
			    dup2(err, STDERR_FILENO) < 0 || dup2(in, STDIN_FILENO) < 0)
				exit(EXIT_SAN + 1);
			setitimer(ITIMER_REAL, &it, NULL);
			exit(tt_main(argc, argv));
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SAN + 1)
			return 2;
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGALRM)
			bad = fprintf(stderr, "killed by signal %d:", WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SAN)
			bad = fprintf(stderr, "sanitizer report (below) for:");
		else if (WIFEXITED(status) && WEXITSTATUS(status) > TT_EXIT_KERNEL)
			bad = fprintf(stderr, "exit status %d, not one of tcptune(8)'s 0-5, for:",
				      WEXITSTATUS(status));
		if (bad) {
			FILE *f = fopen("/err", "r");

			argv_print(stderr, argv);
			for (j = 0; f && j < 50 && fgets(line, sizeof(line), f); j++)
				fputs(line, stderr);
			if (f)
				fclose(f);
			return 1;
		}
		for (j = 0; j < argc; j++)
			free(argv[j]);
	}
	return 0;
}

/* ---- canaries: the sanitizers are on ------------------------------------------- */

static int canary_asan(void)
{
	char *volatile p = malloc(8);

	memset(p, 0, 8);
	free(p);
	return p[0];		/* after free */
}

static int canary_ubsan(void)
{
	volatile int x = INT32_MAX, y;

	y = x + 1;		/* signed overflow */
	return y == 0;
}

/* ---- the driver ------------------------------------------------------------------- */

/* The end of a child's log as TAP diagnostics. */
static void diag_log(const char *path, int lines)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && n++ < lines)
		printf("# %s", line);
	fclose(f);
}

static bool log_has(const char *path, const char *what)
{
	char line[512];
	FILE *f = fopen(path, "r");
	bool hit = false;

	while (f && !hit && fgets(line, sizeof(line), f))
		hit = strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return hit;
}

/* Run fn in a child with stderr into log; its wait status. */
static int child(const char *log, int (*fn)(const void *), const void *arg)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		exit(fn(arg));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static int do_canary_asan(const void *a) { (void)a; return canary_asan(); }
static int do_canary_ubsan(const void *a) { (void)a; return canary_ubsan(); }

struct job {
	const struct target *t;
	const char *dir;
	double until;
	long max;
};

static int do_target(const void *a)
{
	const struct job *j = a;

	double left = j->until - tt_now() + 10;
	struct itimerval it = { .it_value = { (time_t)left, 0 } };

	if (!freopen("/dev/null", "w", stdout))
		return 2;
	devnull = stdout;
	/* an input that hangs a parser: SIGALRM ends the target, a failure */
	if (j->max < 0)
		setitimer(ITIMER_REAL, &it, NULL);
	if (j->t->kind == K_FILTER)
		return run_filter(j->until, j->max);
	if (j->t->kind == K_ARGV)
		return run_argv(j->dir, j->until, j->max);
	return run_replies(j->t, j->until, j->max);
}

int main(int argc, char **argv)
{
	double total = 40, share = 0, t0;
	const char *only = NULL;
	uint64_t seed0 = 1;
	long max = -1;
	char dir[] = "/tmp/tcptune-fuzz.XXXXXX", log[PATH_MAX];
	size_t i;
	int opt, st, planned = 2;

	while ((opt = getopt(argc, argv, "T:s:t:n:")) != -1) {
		switch (opt) {
		case 'T': total = atof(optarg); break;
		case 's': seed0 = strtoull(optarg, NULL, 0); break;
		case 't': only = optarg; break;
		case 'n': max = atol(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-T SECONDS] [-s SEED] [-t TARGET [-n INPUTS]]\n", argv[0]);
			return 2;
		}
	}
	if (total <= 0 || total > 60) {
		fprintf(stderr, "%s: -T takes 0 < SECONDS <= 60\n", argv[0]);
		return 2;
	}
	for (i = 0; i < NTARGETS; i++)
		if (!only || !strcmp(only, targets[i].name)) {
			share += targets[i].weight;
			planned++;
		}
	if (planned == 2) {
		fprintf(stderr, "%s: no target \"%s\"\n", argv[0], only);
		return 2;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	progress = mmap(NULL, sizeof(*progress), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		return 2;
	printf("TAP version 13\n1..%d\n", planned);

	snprintf(log, sizeof(log), "%s/log", dir);
	st = child(log, do_canary_asan, NULL);
	check(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_SAN && log_has(log, "heap-use-after-free"),
	       "canary: a read after free is reported by ASan (exit %d)",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	st = child(log, do_canary_ubsan, NULL);
	check(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_SAN && log_has(log, "signed integer overflow"),
	       "canary: a signed overflow is reported by UBSan (exit %d)",
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	t0 = tt_now();
	for (i = 0; i < NTARGETS; i++) {
		const struct target *t = &targets[i];
		struct job j = { t, dir, 0, max };
		double start;

		if (only && strcmp(only, t->name))
			continue;
		rng = seed0 * 0x9e3779b97f4a7c15ULL + i + 1;
		start = tt_now();
		j.until = start + total * t->weight / share;
		*progress = 0;
		snprintf(log, sizeof(log), "%s/%s.log", dir, t->name);
		st = child(log, do_target, &j);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			check(true, "fuzz %s: %s: %ld inputs in %.0f s, no sanitizer report",
			       t->name, t->what, *progress, tt_now() - start);
			continue;
		}
		check(false, "fuzz %s: %s", t->name, t->what);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
			printf("# an input hangs it: still running 10 s past its time\n");
		printf("# %s after %ld inputs (wait status 0x%x); replay: %s -s %llu -t %s -n %ld\n",
		       WIFEXITED(st) && WEXITSTATUS(st) == 2 ? "could not run" : "failed",
		       *progress, st, argv[0], (unsigned long long)seed0, t->name, *progress);
		diag_log(log, 60);
	}
	printf("# %.0f s in all\n", tt_now() - t0);
	/* the scratch root: w.csv, out, x.svg, logs, whatever the commands wrote */
	if (fork() == 0)
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
	wait(NULL);
	return tap_failed ? 1 : 0;
}
