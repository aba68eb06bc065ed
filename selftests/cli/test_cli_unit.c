// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the tcptune CLI's pure helpers (no kernel needed):
 * edit distance and nearest names, ss-style number formats, strict value
 * and prefix parsing, socket filters, the CSV row, and the parsers of
 * kernel replies fed canned messages, well-formed and not.  TAP output.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/inet_diag.h>
#include <linux/tcp.h>
#include <linux/sock_diag.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "tcptune.h"
#include "bc.h"
#include "canned.h"
#include "tap.h"

static void r_symlink(const char *to, const char *path)
{
	if (symlink(to, path))
		perror(path);
}

static void check_str(const char *got, const char *want, const char *what)
{
	check(!strcmp(got, want), "%s: \"%s\" (want \"%s\")", what, got, want);
}

/* ---- canned kernel replies -------------------------------------------- */

static char rbuf[8192];

static struct nlmsghdr *reply(uint16_t type, uint16_t flags, size_t hdr)
{
	memset(rbuf, 0xa5, sizeof(rbuf));	/* not zero: reads past a length show */
	return canned_msg(rbuf, type, flags, hdr);
}

#define put_raw canned_raw

static int talk(struct nlmsghdr *nlh, tt_msg_cb cb, void *data, struct tt_nlerr *err)
{
	memset(err, 0, sizeof(*err));
	return tt_nl_replies(rbuf, nlh->nlmsg_len, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN,
			     cb, data, err);
}

static void test_replies(void)
{
	struct tt_nlerr err;
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	struct nlattr *nest, *n2;
	struct tt_ctx ctx;
	struct tt_socklist l = { 0 };
	struct tt_knobdb db = { 0 };
	struct tt_algolist al = { 0 };
	int r;

	/* the ack, an error with extack, malformed errors */
	nlh = reply(NLMSG_ERROR, 0, sizeof(struct nlmsgerr));
	check(talk(nlh, NULL, NULL, &err) == 1 && !err.error, "reply: the ack ends the reply");

	nlh = reply(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, sizeof(struct nlmsgerr));
	e = mnl_nlmsg_get_payload(nlh);
	e->error = -ERANGE;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "value out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 36);
	r = talk(nlh, NULL, NULL, &err);
	check(r == -1 && err.error == ERANGE && !strcmp(err.msg, "value out of range") &&
	      err.offset == 36, "reply: error with extack message and offset (%d, %s, %u)",
	      err.error, err.msg, err.offset);

	nlh = reply(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, sizeof(struct nlmsgerr));
	e = mnl_nlmsg_get_payload(nlh);
	e->error = -EINVAL;
	put_raw(nlh, NLMSGERR_ATTR_MSG, 7, 'x');	/* no NUL */
	put_raw(nlh, NLMSGERR_ATTR_OFFS, 2, 1);		/* not a u32 */
	r = talk(nlh, NULL, NULL, &err);
	check(r == -1 && err.error == EINVAL && !err.msg[0] && !err.offset,
	      "reply: extack message without NUL and short offset are not read (\"%s\", %u)",
	      err.msg, err.offset);

	nlh = reply(NLMSG_ERROR, NLM_F_ACK_TLVS, sizeof(struct nlmsgerr));
	e = mnl_nlmsg_get_payload(nlh);
	e->error = -EPERM;
	e->msg.nlmsg_len = 3;		/* an echoed request shorter than a header */
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "x");
	r = talk(nlh, NULL, NULL, &err);
	check(r == -1 && err.error == EPERM && !err.msg[0],
	      "reply: an echoed request shorter than its header: no extack read");

	nlh = reply(NLMSG_ERROR, 0, sizeof(int));	/* the error code alone */
	*(int *)mnl_nlmsg_get_payload(nlh) = 0;
	check(talk(nlh, NULL, NULL, &err) == -1 && err.error == EPROTO,
	      "reply: an NLMSG_ERROR shorter than struct nlmsgerr is EPROTO, not an ack");

	nlh = reply(NLMSG_ERROR, 0, sizeof(struct nlmsgerr));
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error = INT32_MIN;
	check(talk(nlh, NULL, NULL, &err) == -1 && err.error == EPROTO,
	      "reply: an error code that is no errno (INT_MIN) is EPROTO");

	nlh = reply(NLMSG_ERROR, 0, sizeof(struct nlmsgerr));
	nlh->nlmsg_len = 0x80000000u + 36;	/* negative as an int */
	memset(&err, 0, sizeof(err));
	check(tt_nl_replies(rbuf, 36, CANNED_SEQ, CANNED_PORTID, GENL_HDRLEN, NULL, NULL, &err) == -1 &&
	      err.error == EPROTO, "reply: a length of 2^31 + 36 in a 36-byte datagram is EPROTO");

	nlh = reply(NLMSG_DONE, 0, sizeof(int));
	*(int *)mnl_nlmsg_get_payload(nlh) = -ENOENT;
	check(talk(nlh, NULL, NULL, &err) == -1 && err.error == ENOENT,
	      "reply: a dump ending in an error (ENOENT)");

	/* the family lookup */
	memset(&ctx, 0, sizeof(ctx));
	nlh = reply(GENL_ID_CTRL, 0, GENL_HDRLEN);
	put_raw(nlh, CTRL_ATTR_FAMILY_ID, 1, 0x12);	/* a u16 of one byte */
	put_raw(nlh, CTRL_ATTR_VERSION, 2, 0x12);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	n2 = mnl_attr_nest_start(nlh, 1);
	put_raw(nlh, CTRL_ATTR_MCAST_GRP_NAME, 6, 'e');	/* "eeeeee", no NUL */
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, nest);
	talk(nlh, tt_family_cb, &ctx, &err);
	check(!ctx.family_id && !ctx.family_version && !ctx.mcgrp_events,
	      "family: a short id and version, a group name without NUL are not read (%u %u %u)",
	      ctx.family_id, ctx.family_version, ctx.mcgrp_events);

	nlh = reply(GENL_ID_CTRL, 0, GENL_HDRLEN);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, CANNED_FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	n2 = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, TCPTUNE_CMD_KNOB_SET);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_FLAGS, GENL_ADMIN_PERM);
	mnl_attr_nest_end(nlh, n2);
	n2 = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, 1000);	/* not ours: ignored */
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, nest);
	canned_mcast_group(nlh, TCPTUNE_MCGRP_EVENTS, 9);
	talk(nlh, tt_family_cb, &ctx, &err);
	check(ctx.family_id == CANNED_FAMILY && ctx.family_version == 1 && ctx.mcgrp_events == 9 &&
	      ctx.ops[TCPTUNE_CMD_KNOB_SET] == (0x80000000u | GENL_ADMIN_PERM) &&
	      !ctx.ops[TCPTUNE_CMD_SOCK_GET],
	      "family: id, version, the ops and the events group");

	/* sockets */
	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_SOCK);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_CWND, 10);
	put_raw(nlh, TCPTUNE_SOCK_A_SSTHRESH, 2, 0x12);	/* a u32 of two bytes */
	put_raw(nlh, TCPTUNE_SOCK_A_ALGO, 12, 'r');	/* no NUL */
	put_raw(nlh, TCPTUNE_SOCK_A_SADDR, 5, 1);	/* neither 4 nor 16 */
	put_raw(nlh, TCPTUNE_SOCK_A_COOKIE, 6, 1);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_PACING_RATE, 1250);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_DELIVERY_RATE, 125);	/* u64 as 4 bytes */
	n2 = mnl_attr_nest_start(nlh, TCPTUNE_SOCK_A_BBR);
	mnl_attr_put_u8(nlh, TCPTUNE_BBR_A_STATE, TCPTUNE_BBR_DRAIN);
	put_raw(nlh, TCPTUNE_BBR_A_MIN_RTT, 3, 1);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, nest);
	put_raw(nlh, TCPTUNE_A_SOCK, 2, 0);		/* a nest too short to hold one */
	r = talk(nlh, tt_sock_cb, &l, &err);
	check(r == 0 && l.n == 1, "sock: one socket from the well-formed nest (%zu)", l.n);
	if (l.n) {
		const struct tt_sock *sk = &l.v[0];

		check(tt_has(sk, TCPTUNE_SOCK_A_CWND) && sk->v[TCPTUNE_SOCK_A_CWND] == 10 &&
		      tt_has(sk, TCPTUNE_SOCK_A_PACING_RATE) && sk->v[TCPTUNE_SOCK_A_PACING_RATE] == 1250 &&
		      sk->v[TCPTUNE_SOCK_A_DELIVERY_RATE] == 125,
		      "sock: cwnd, pacing rate (u64), delivery rate (u64 sent as u32)");
		check(!tt_has(sk, TCPTUNE_SOCK_A_SSTHRESH) && !tt_has(sk, TCPTUNE_SOCK_A_ALGO) &&
		      !sk->algo[0] && !tt_has(sk, TCPTUNE_SOCK_A_SADDR) &&
		      !tt_has(sk, TCPTUNE_SOCK_A_COOKIE),
		      "sock: a short u32, a string without NUL, a 5-byte address, a 6-byte u64 are left out");
		check(sk->has_bbr && (sk->bbr_have & (1ULL << TCPTUNE_BBR_A_STATE)) &&
		      sk->bbr[TCPTUNE_BBR_A_STATE] == TCPTUNE_BBR_DRAIN &&
		      !(sk->bbr_have & (1ULL << TCPTUNE_BBR_A_MIN_RTT)),
		      "sock: the bbr nest checked by its own policy");
	}
	tt_socklist_free(&l);

	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, 0);
	nlh->nlmsg_len += 2;			/* shorter than a genl header */
	check(talk(nlh, tt_sock_cb, &l, &err) == -1 && err.error == EPROTO && !l.n,
	      "sock: a message shorter than its genl header is EPROTO");

	/* knobs */
	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_KNOB);
	mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_ALGO, "reno");
	mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_NAME, "beta");
	mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_VALUE, 50);
	mnl_attr_put_u64(nlh, TCPTUNE_KNOB_A_RANGE_MAX, 90);	/* a u32 of 8 bytes */
	put_raw(nlh, TCPTUNE_KNOB_A_DOC, 20, 'd');		/* no NUL */
	mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_WHEN, 1);		/* a u8 of 4 bytes */
	mnl_attr_nest_end(nlh, nest);
	talk(nlh, tt_knob_cb, &db, &err);
	check(db.n == 1 && !strcmp(db.v[0].full, "reno.beta") && db.v[0].value == 50 &&
	      !(db.v[0].have & (1ULL << TCPTUNE_KNOB_A_RANGE_MAX)) && !db.v[0].doc &&
	      db.v[0].when == -1,
	      "knob: name and value read; an 8-byte u32, a doc without NUL, a 4-byte u8 not");
	tt_knobdb_free(&db);

	/* algorithms */
	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_ALGO);
	mnl_attr_put_strz(nlh, TCPTUNE_ALGO_A_NAME, "tcptune_bbr");
	mnl_attr_put_u32(nlh, TCPTUNE_ALGO_A_SOCKETS, 3);
	mnl_attr_put_u64(nlh, TCPTUNE_ALGO_A_RTOS, 7);
	put_raw(nlh, TCPTUNE_ALGO_A_UNDOS, 3, 1);
	mnl_attr_nest_end(nlh, nest);
	talk(nlh, tt_algo_cb, &al, &err);
	check(al.n == 1 && !strcmp(al.v[0].name, "tcptune_bbr") &&
	      al.v[0].v[TCPTUNE_ALGO_A_SOCKETS] == 3 && al.v[0].v[TCPTUNE_ALGO_A_RTOS] == 7 &&
	      !(al.v[0].have & (1ULL << TCPTUNE_ALGO_A_UNDOS)),
	      "algo: name and counters; a 3-byte counter is left out");
	free(al.v);

	/* sock_diag: an unterminated algorithm name */
	nlh = reply(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, sizeof(struct inet_diag_msg));
	((struct inet_diag_msg *)mnl_nlmsg_get_payload(nlh))->idiag_family = AF_INET;
	put_raw(nlh, INET_DIAG_CONG, 8, 'c');
	memset(&err, 0, sizeof(err));
	r = tt_nl_replies(rbuf, nlh->nlmsg_len, CANNED_SEQ, CANNED_PORTID, sizeof(struct inet_diag_msg),
			  tt_diag_cb, &l, &err);
	check(r == 0 && l.n == 1 && !l.v[0].algo[0], "diag: a congestion name without NUL is not read");
	tt_socklist_free(&l);

	/* events: a message with half a genl header is not read */
	{
		struct tt_filter f;
		struct tt_monitor m = { .ctx = &ctx, .f = &f, .count = -1 };

		tt_filter_init(&f);
		nlh = reply(CANNED_FAMILY, 0, 0);
		nlh->nlmsg_len += 2;
		check(tt_monitor_cb(nlh, &m) == MNL_CB_OK && !m.seen,
		      "monitor: a message shorter than a genl header is skipped");
	}
}

/* ---- summary: nearest-rank percentiles per algorithm and CA state ------- */

static void sum_sock(struct tt_socklist *l, const char *algo, int ca, uint64_t rtt, uint64_t cwnd,
		     uint64_t rate, uint64_t retrans, int segs)
{
	struct tt_sock *s = tt_socklist_add(l);

	snprintf(s->algo, sizeof(s->algo), "%s", algo);
	s->v[TCPTUNE_SOCK_A_CA_STATE] = (uint64_t)ca;
	s->v[TCPTUNE_SOCK_A_SRTT] = rtt;
	s->v[TCPTUNE_SOCK_A_CWND] = cwnd;
	s->v[TCPTUNE_SOCK_A_DELIVERY_RATE] = rate;
	s->v[TCPTUNE_SOCK_A_TOTAL_RETRANS] = retrans;
	s->have = 1ULL << TCPTUNE_SOCK_A_SRTT | 1ULL << TCPTUNE_SOCK_A_CWND |
		  1ULL << TCPTUNE_SOCK_A_DELIVERY_RATE | 1ULL << TCPTUNE_SOCK_A_TOTAL_RETRANS;
	if (ca >= 0)
		s->have |= 1ULL << TCPTUNE_SOCK_A_CA_STATE;
	if (segs >= 0) {
		s->segs_out = (uint32_t)segs;
		s->xhave |= TT_X_SEGS_OUT;
	}
}

static void test_summary(void)
{
	static const uint64_t ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint64_t four[] = { 10, 20, 30, 40 };
	static char text[4096];
	struct tt_socklist l = { 0 };
	struct tt_summary sm;
	const struct tt_sum_group *g;
	const char *js;
	json_object *o;
	FILE *f;
	int i, k;

	check(tt_percentile(ten, 10, 50) == 5 && tt_percentile(ten, 10, 90) == 9 &&
	      tt_percentile(ten, 10, 99) == 10 && tt_percentile(ten, 1, 99) == 1,
	      "nearest rank: 1..10 has p50 5, p90 9, p99 10; one sample is every percentile");
	check(tt_percentile(four, 4, 50) == 20 && tt_percentile(four, 4, 90) == 40 &&
	      tt_percentile(four, 4, 26) == 20 && tt_percentile(four, 4, 25) == 10,
	      "nearest rank: 10 20 30 40 has p50 20 (rank 2), p90 40 (rank 4), p25 10, p26 20");

	/* bbr: 100 sockets, Open but for 3 in Loss; reno: 2, one without segs_out */
	for (i = 1; i <= 100; i++)
		sum_sock(&l, "tcptune_bbr", i <= 97 ? TCPTUNE_CA_OPEN : TCPTUNE_CA_LOSS,
			 (uint64_t)i * 1000, (uint64_t)(101 - i), i == 50 ? ~0ULL : (uint64_t)i * 125000,
			 i > 97 ? 10 : 0, 100);
	sum_sock(&l, "tcptune_reno", TCPTUNE_CA_RECOVERY, 500, 4, 1000, 3, 30);
	sum_sock(&l, "tcptune_reno", -1, 700, 8, 1000, 50, -1);
	check(!tt_summary_build(&l, &sm) && sm.n == 5, "summary: 5 groups (bbr *, Open, Loss; reno *, "
	      "Recovery) (%zu)", sm.n);
	if (sm.n == 5) {
		g = &sm.v[0];
		check(!strcmp(g->algo, "tcptune_bbr") && g->ca_state == -1 && g->sockets == 100 &&
		      g->rtt.n == 100 && tt_percentile(g->rtt.v, g->rtt.n, 50) == 50000 &&
		      tt_percentile(g->rtt.v, g->rtt.n, 99) == 99000 && g->rtt.v[0] == 1000 &&
		      g->rtt.v[99] == 100000,
		      "summary bbr *: 100 sockets, srtt p50 50 ms, p99 99 ms, min 1, max 100");
		check(g->rate.n == 99 && tt_percentile(g->rate.v, g->rate.n, 50) == 51 * 1000000ULL,
		      "summary: an unknown delivery rate (~0) is left out: 99 samples, p50 51 Mbit/s (%llu)",
		      (unsigned long long)(g->rate.n ? tt_percentile(g->rate.v, g->rate.n, 50) : 0));
		check(g->retrans == 30 && g->segs_out == 10000 && sm.v[1].ca_state == TCPTUNE_CA_OPEN &&
		      sm.v[1].sockets == 97 && sm.v[2].ca_state == TCPTUNE_CA_LOSS && sm.v[2].sockets == 3 &&
		      sm.v[2].retrans == 30 && sm.v[2].segs_out == 300,
		      "summary: retransmits 30 of 10000 segments sent; Open 97, Loss 3 (30/300)");
		check(sm.v[3].ca_state == -1 && sm.v[3].sockets == 2 && sm.v[3].segs_out == 30 &&
		      sm.v[3].retrans == 3 && sm.v[4].ca_state == TCPTUNE_CA_RECOVERY,
		      "summary reno: a socket without segs_out counts, but not in the ratio (3/30)");
		o = tt_summary_json(&sm);
		js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
		check(strstr(js, "{\"algo\":\"tcptune_bbr\",\"ca_state\":null,\"sockets\":100,"
			     "\"srtt_us\":{\"min\":1000,\"p50\":50000,\"p90\":90000,\"p99\":99000,\"max\":100000}") &&
		      strstr(js, "\"retrans_ratio\":0.003") && strstr(js, "\"ca_state\":\"Loss\"") &&
		      strstr(js, "\"retrans_ratio\":0.1}"),
		      "summary JSON: ca_state null for every state, srtt_us min/p50/p90/p99/max, retrans_ratio");
		if (!strstr(js, "\"retrans_ratio\":0.1}"))
			printf("# %s\n", js);
		json_object_put(o);
		f = fmemopen(text, sizeof(text), "w");
		tt_summary_print(&sm, f);
		fclose(f);
		k = strstr(text, "ALGO") && strstr(text, "tcptune_bbr      *            100  50/90/99 (1-100)") &&
		    strstr(text, " 0.30%") && strstr(text, "51M/") && strstr(text, "Loss");
		check(k, "summary text: a row per group, ms, Mbps, 0.30%% retransmitted");
		if (!k) {
			char *save = NULL, *line;

			for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
				printf("# %s\n", line);
		}
	}
	tt_summary_free(&sm);
	tt_socklist_free(&l);
	check(!tt_summary_build(&l, &sm) && sm.n == 0, "summary of no socket: no group");
	tt_summary_free(&sm);
	tt_socklist_add(&l);	/* a socket with no field at all (a listener from sock_diag) */
	k = !tt_summary_build(&l, &sm) && sm.n == 1 && !sm.v[0].rtt.n;
	o = tt_summary_json(&sm);
	check(k && strstr(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		     "\"algo\":\"-\",\"ca_state\":null,\"sockets\":1,\"srtt_us\":null,\"cwnd\":null,"
		     "\"delivery_rate_bps\":null,\"retrans_segs\":0,\"segs_out\":0,\"retrans_ratio\":null"),
	      "summary of a socket without samples: null distributions and ratio (no qsort of NULL)");
	json_object_put(o);
	tt_summary_free(&sm);
	tt_socklist_free(&l);
}

/* ---- metrics: the exposition of canned replies, checked by promtool ----- */

static bool promtool_ok(const char *text, char *out, size_t len)
{
	char path[] = "/tmp/tt_metrics_XXXXXX", cmd[256];
	int fd = mkstemp(path), r;
	FILE *p;
	size_t n;

	if (fd < 0)
		return false;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return false;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	p = popen(cmd, "r");
	n = p ? fread(out, 1, len - 1, p) : 0;
	out[n] = '\0';
	r = p ? pclose(p) : -1;
	unlink(path);
	return r == 0;
}

static void test_metrics(void)
{
	static char text[16384], msgs[4096];
	struct tt_algolist al = { 0 };
	struct tt_knobdb db = { 0 };
	struct tt_socklist l = { 0 };
	struct tt_nlerr err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	FILE *f;
	int i;
	bool have_promtool = !system("command -v promtool >/dev/null 2>&1");

	/* the algorithms, one with a name that needs escaping */
	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	for (i = 0; i < 2; i++) {
		nest = mnl_attr_nest_start(nlh, TCPTUNE_A_ALGO);
		mnl_attr_put_strz(nlh, TCPTUNE_ALGO_A_NAME, i ? "tcptune_bbr" : "we\"ird\\al\ngo");
		mnl_attr_put_u32(nlh, TCPTUNE_ALGO_A_SOCKETS, 2 + i);
		mnl_attr_put_u64(nlh, TCPTUNE_ALGO_A_RECOVERIES, 11 + i);
		mnl_attr_put_u64(nlh, TCPTUNE_ALGO_A_RTOS, 7);
		mnl_attr_put_u64(nlh, TCPTUNE_ALGO_A_UNDOS, 1);
		mnl_attr_put_u64(nlh, TCPTUNE_ALGO_A_PROBE_RTTS, 5ULL << 40);
		mnl_attr_nest_end(nlh, nest);
	}
	talk(nlh, tt_algo_cb, &al, &err);
	/* knobs: percent, ms, segments, bool; a doc with a backslash and a newline */
	{
		static const struct { const char *algo, *name, *unit, *doc; uint32_t v; } kn[] = {
			{ "reno", "beta", "percent", "the same for reno", 50 },
			{ "newreno", "beta", "percent", "multiplicative decrease\\factor\nafter loss", 70 },
			{ "bbr", "probe_rtt_interval_ms", "ms", "between ProbeRTTs", 5000 },
			{ "reno", "iw", "segments", "initial window", 10 },
			{ "reno", "pacing", "bool", "pace", 1 },
		};

		nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
		for (i = 0; i < (int)(sizeof(kn) / sizeof(kn[0])); i++) {
			nest = mnl_attr_nest_start(nlh, TCPTUNE_A_KNOB);
			mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_ALGO, kn[i].algo);
			mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_NAME, kn[i].name);
			mnl_attr_put_u32(nlh, TCPTUNE_KNOB_A_VALUE, kn[i].v);
			mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_UNIT, kn[i].unit);
			mnl_attr_put_strz(nlh, TCPTUNE_KNOB_A_DOC, kn[i].doc);
			mnl_attr_nest_end(nlh, nest);
		}
		talk(nlh, tt_knob_cb, &db, &err);
	}
	/* sockets: bbr Open x2, bbr Loss, one of an algorithm not in the list */
	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	for (i = 0; i < 4; i++) {
		nest = mnl_attr_nest_start(nlh, TCPTUNE_A_SOCK);
		mnl_attr_put_strz(nlh, TCPTUNE_SOCK_A_ALGO, i == 3 ? "cubic" : "tcptune_bbr");
		mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_CA_STATE, i == 2 ? TCPTUNE_CA_LOSS : TCPTUNE_CA_OPEN);
		mnl_attr_nest_end(nlh, nest);
	}
	talk(nlh, tt_sock_cb, &l, &err);
	check(al.n == 2 && db.n == 5 && l.n == 4, "metrics: canned replies parsed (%zu algos, %zu knobs, "
	      "%zu sockets)", al.n, db.n, l.n);

	f = fmemopen(text, sizeof(text), "w");
	check(!tt_metrics_write(f, &al, &l, &db), "metrics: written");
	fclose(f);
	check(strstr(text, "\ntcptune_sockets{algo=\"tcptune_bbr\",ca_state=\"Open\"} 2\n") &&
	      strstr(text, "\ntcptune_sockets{algo=\"tcptune_bbr\",ca_state=\"Loss\"} 1\n") &&
	      strstr(text, "\ntcptune_sockets{algo=\"tcptune_bbr\",ca_state=\"CWR\"} 0\n") &&
	      strstr(text, "\ntcptune_sockets{algo=\"cubic\",ca_state=\"Open\"} 1\n"),
	      "metrics: sockets per algorithm and CA state, zeros too, other algorithms too");
	check(strstr(text, "\ntcptune_recoveries_total{algo=\"tcptune_bbr\"} 12\n") &&
	      strstr(text, "\ntcptune_probe_rtt_entries_total{algo=\"tcptune_bbr\"} 5497558138880\n") &&
	      strstr(text, "\n# TYPE tcptune_retransmission_timeouts_total counter\n") &&
	      strstr(text, "\ntcptune_algo_sockets{algo=\"tcptune_bbr\"} 3\n"),
	      "metrics: counters _total (u64 in full), the module's socket count a gauge");
	check(strstr(text, "{algo=\"we\\\"ird\\\\al\\ngo\"}") != NULL,
	      "metrics: a label value's \" \\ and newline escaped (\\\" \\\\ \\n)");
	check(strstr(text, "\ntcptune_knob_beta_ratio{algo=\"newreno\",knob=\"beta\"} 0.7\n") &&
	      strstr(text, "\ntcptune_knob_beta_ratio{algo=\"reno\",knob=\"beta\"} 0.5\n") &&
	      strstr(text, "\ntcptune_knob_probe_rtt_interval_seconds{algo=\"bbr\",knob=\"probe_rtt_interval_ms\"} 5\n") &&
	      strstr(text, "\ntcptune_knob_iw_segments{algo=\"reno\",knob=\"iw\"} 10\n") &&
	      strstr(text, "\ntcptune_knob_pacing{algo=\"reno\",knob=\"pacing\"} 1\n"),
	      "metrics: knobs in base units: percent as _ratio, ms as _seconds, segments, bool bare");
	check(strstr(text, "\n# HELP tcptune_knob_beta_ratio Knob beta (sysctl net.tcptune.ALGO.beta, unit "
		     "percent, exported in base units): multiplicative decrease\\\\factor\\nafter loss\n") &&
	      !strstr(text, "the same for reno"),
	      "metrics: HELP once per family, its backslash and newline escaped");
	{
		/* every counter ends in _total; every family has HELP and TYPE once */
		char *copy = strdup(text), *save = NULL, *line;
		int bad = 0, types = 0, helps = 0;

		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char name[128], type[32];

			if (sscanf(line, "# TYPE %127s %31s", name, type) == 2) {
				types++;
				if (!strcmp(type, "counter") && (strlen(name) < 6 ||
				    strcmp(name + strlen(name) - 6, "_total")))
					bad++;
			} else if (!strncmp(line, "# HELP ", 7)) {
				helps++;
			}
		}
		free(copy);
		check(!bad && types == helps && types == 10,
		      "metrics: 10 families, each with HELP and TYPE; counters end in _total (%d, %d, %d)",
		      types, helps, bad);
	}
	if (have_promtool) {
		bool ok = promtool_ok(text, msgs, sizeof(msgs));

		check(ok, "promtool check metrics: the exposition passes%s%s", ok ? "" : "\n", msgs);
		check(!promtool_ok("# HELP x_bytes_count a\n# TYPE x_bytes_count counter\nx_bytes_count 1\n",
				   msgs, sizeof(msgs)),
		      "promtool check metrics: a counter without _total fails (the checker's control)");
	} else {
		printf("ok %d - # SKIP promtool not installed (Debian package prometheus)\n", ++tap_n);
		printf("ok %d - # SKIP promtool not installed\n", ++tap_n);
	}
	/* without the module (metrics -a): the sockets alone, still valid */
	f = fmemopen(text, sizeof(text), "w");
	check(!tt_metrics_write(f, NULL, &l, NULL), "metrics without the module: written");
	fclose(f);
	check(strstr(text, "tcptune_sockets{") && !strstr(text, "_total") && !strstr(text, "knob") &&
	      (!have_promtool || promtool_ok(text, msgs, sizeof(msgs))),
	      "metrics without the module: sockets only, valid");
	free(al.v);
	tt_knobdb_free(&db);
	tt_socklist_free(&l);
}

/* Written as it is made (tt_sock_jw), the socket's JSON: malloc'ed. */
static char *jw_sock(const struct tt_sock *s)
{
	struct tt_out o;
	struct tt_jw w;
	char *buf = NULL;
	size_t len = 0;

	tt_out_init(&o, open_memstream(&buf, &len));
	tt_jw_text(&w, &o);
	tt_sock_jw(s, &w);
	tt_out_flush(&o);
	fclose(o.f);
	return buf;
}

/* Every socket rendered: its JSON written as it is made differs from json-c's? */
static int jw_rendered, jw_differ;

/* The text, JSON and CSV of one socket. */
static void render(const struct tt_sock *s, char *text, char *json, char *csv, size_t len)
{
	json_object *o = tt_sock_json(s);
	FILE *f = fmemopen(text, len, "w");
	char *jw = jw_sock(s);

	tt_sock_print(s, f);
	fclose(f);
	snprintf(json, len, "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	jw_rendered++;
	if (strcmp(jw, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE))) {
		jw_differ++;
		printf("# written: %s\n# json-c:  %s\n", jw, json);
	}
	free(jw);
	json_object_put(o);
	f = fmemopen(csv, len, "w");
	tt_csv_row(f, 1.0, s);
	fclose(f);
}

/* ~0 is "not set": hidden as ss does, not 1.48e+08Tbps nor 18446744073709551608. */
static void test_unset_rates(void)
{
	static char text[4096], json[4096], csv[4096];
	struct tt_sock s;
	char *fields[64];
	int n, ncols;

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.have = 1ULL << TCPTUNE_SOCK_A_PACING_RATE | 1ULL << TCPTUNE_SOCK_A_DELIVERY_RATE;
	s.v[TCPTUNE_SOCK_A_PACING_RATE] = ~0ULL;
	s.v[TCPTUNE_SOCK_A_DELIVERY_RATE] = 125000;
	s.has_bbr = true;
	s.bbr_have = 1ULL << TCPTUNE_BBR_A_BW | 1ULL << TCPTUNE_BBR_A_BW_LO;
	s.bbr[TCPTUNE_BBR_A_BW] = ~0ULL;
	s.bbr[TCPTUNE_BBR_A_BW_LO] = ~0ULL - 7;	/* would wrap times 8 */
	render(&s, text, json, csv, sizeof(text));
	check(!strstr(text, "pacing_rate") && strstr(text, "delivery_rate 1Mbps") &&
	      !strstr(text, "bw:") && !strstr(text, "bw_lo") && !strstr(text, "e+"),
	      "text: an unset pacing rate and bbr bw are left out:%.*s",
	      (int)strcspn(strchr(text, '\t') + 1, "\n"), strchr(text, '\t') + 1);
	check(strstr(json, "\"pacing_rate_bps\":null") && strstr(json, "\"delivery_rate_bps\":1000000") &&
	      strstr(json, "\"bw_bps\":null") && strstr(json, "\"bw_lo_bps\":null") &&
	      !strstr(json, "1844674407"), "JSON: null for them, not 18446744073709551608");
	n = tt_csv_split(csv, fields, 64);
	for (ncols = 0; tt_csv_columns[ncols]; ncols++)
		;
	check(n == ncols && !strcmp(fields[23], "1000000") && !fields[24][0] && !fields[27][0],
	      "CSV: empty cells for them (%d cells, pacing \"%s\", bbr_bw \"%s\")", n,
	      n > 24 ? fields[24] : "?", n > 27 ? fields[27] : "?");
}

/* The names ss uses, the same in text and JSON; defaults hidden as ss does. */
static void test_names(void)
{
	static char text[4096], json[4096], csv[4096];
	struct tt_knob k;
	struct tt_sock s;
	json_object *o;

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.have = 1ULL << TCPTUNE_SOCK_A_REORDERING | 1ULL << TCPTUNE_SOCK_A_INFLIGHT |
		 1ULL << TCPTUNE_SOCK_A_MIN_RTT;
	s.v[TCPTUNE_SOCK_A_REORDERING] = 3;
	s.v[TCPTUNE_SOCK_A_MIN_RTT] = 20000;
	s.has_bbr = true;
	s.bbr_have = 1ULL << TCPTUNE_BBR_A_MIN_RTT;
	s.bbr[TCPTUNE_BBR_A_MIN_RTT] = 19000;
	render(&s, text, json, csv, sizeof(text));
	check(!strstr(text, "reordering") && !strstr(text, "inflight") && strstr(text, " minrtt:20\n") &&
	      strstr(text, "bbr:(mrtt:19)"),
	      "text: reordering 3 and inflight 0 hidden as ss does; minrtt:, bbr mrtt:");
	check(strstr(json, "\"reordering\":3") && strstr(json, "\"inflight\":0") &&
	      strstr(json, "\"minrtt_us\":20000") && strstr(json, "\"mrtt_us\":19000") &&
	      !strstr(json, "min_rtt"), "JSON: both carried; minrtt_us and bbr mrtt_us, as ss names them");
	s.v[TCPTUNE_SOCK_A_REORDERING] = 5;
	s.v[TCPTUNE_SOCK_A_INFLIGHT] = 2;
	render(&s, text, json, csv, sizeof(text));
	check(strstr(text, " inflight:2") && strstr(text, " reordering:5"),
	      "text: reordering other than 3, inflight other than 0 shown");

	memset(&k, 0, sizeof(k));
	k.when = TCPTUNE_KNOB_START;
	o = tt_knob_json(&k);
	check(!strcmp(json_object_get_string(json_object_object_get(o, "when")), "new-conn"),
	      "knob JSON: when is new-conn, as the text says (not start)");
	json_object_put(o);
	k.when = TCPTUNE_KNOB_LIVE;
	o = tt_knob_json(&k);
	check(!strcmp(json_object_get_string(json_object_object_get(o, "when")), "live"),
	      "knob JSON: when is live");
	json_object_put(o);
}

/* The first line of a socket's text, and its second (after the tab). */
static const char *line2(const char *text)
{
	const char *t = strchr(text, '\t');

	return t ? t : "";
}

/* ss -tie's fields from our dump: names, units, formats, zeros left out. */
static void test_ss_fields(void)
{
	static char text[4096], json[4096], csv[4096];
	struct tt_socklist l = { 0 };
	struct tt_nlerr err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct tt_sock *s;
	int r;

	nlh = reply(CANNED_FAMILY, NLM_F_MULTI, GENL_HDRLEN);
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_SOCK);
	mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_FAMILY, AF_INET);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_COOKIE, 0x1a);
	mnl_attr_put_strz(nlh, TCPTUNE_SOCK_A_ALGO, "tcptune_reno");
	mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_STATE, 1);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_CWND, 10);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_MSS, 1448);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_SRTT, 10000);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_RTO, 204000);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_RECV_Q, 12);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_SEND_Q, 34567);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_BYTES_SENT, 5000000);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_BYTES_RETRANS, 1448);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_BYTES_ACKED, 4000000);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_BUSY, 120000);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_RWND_LIMITED, 20000);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_SNDBUF_LIMITED, 0);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_NOTSENT, 100);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_SND_WND, 65535);
	mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_OPTIONS, TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK |
			TCPI_OPT_WSCALE | TCPI_OPT_ECN);
	mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_SND_WSCALE, 7);
	mnl_attr_put_u8(nlh, TCPTUNE_SOCK_A_RCV_WSCALE, 9);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_INODE, 4242);
	mnl_attr_put_u32(nlh, TCPTUNE_SOCK_A_UID, 1000);
	mnl_attr_put_u64(nlh, TCPTUNE_SOCK_A_CGROUP_ID, 0x1f);
	mnl_attr_nest_end(nlh, nest);
	r = talk(nlh, tt_sock_cb, &l, &err);
	check(r == 0 && l.n == 1, "ss fields: the dump with them parses (%d, %zu)", r, l.n);
	if (l.n != 1)
		return;
	s = &l.v[0];
	render(s, text, json, csv, sizeof(text));
	check(!strncmp(text, "ESTAB      12     34567  ", 25) &&
	      strstr(text, " uid:1000 ino:4242 sk:1a\n"),
	      "text, line 1: State Recv-Q Send-Q ... uid:1000 ino:4242 sk:1a: %.*s",
	      (int)strcspn(text, "\n"), text);
	check(!strncmp(line2(text), "\t ts sack ecn tcptune_reno wscale:7,9 rto:204 rtt:10/0 "
		       "mss:1448 cwnd:10 bytes_sent:5000000 bytes_retrans:1448 bytes_acked:4000000 "
		       "send 11.6Mbps busy:120ms rwnd_limited:20ms(16.7%) notsent:100 snd_wnd:65535\n",
		       400),
	      "text, line 2: ss's names, order and formats:%s", line2(text));
	check(!strstr(text, "sndbuf_limited") && !strstr(text, "ecnseen") && !strstr(text, "fastopen"),
	      "text: a 0 sndbuf_limited and unset options left out, as ss");
	check(strstr(json, "\"recv_q\":12") && strstr(json, "\"send_q\":34567") &&
	      strstr(json, "\"uid\":1000") && strstr(json, "\"ino\":4242") &&
	      strstr(json, "\"cgroup_id\":31") && strstr(json, "\"ts\":true") &&
	      strstr(json, "\"ecnseen\":false") && strstr(json, "\"wscale\":{\"snd\":7,\"rcv\":9}") &&
	      strstr(json, "\"bytes_sent\":5000000") && strstr(json, "\"bytes_retrans\":1448") &&
	      strstr(json, "\"busy_us\":120000") && strstr(json, "\"rwnd_limited_us\":20000") &&
	      strstr(json, "\"sndbuf_limited_us\":0") && strstr(json, "\"notsent\":100") &&
	      strstr(json, "\"snd_wnd\":65535") && strstr(json, "\"send_bps\":11584000") &&
	      !strstr(json, "\"users\"") && !strstr(json, "\"cgroup\""),
	      "JSON: every field, zeros too, with the text's names (unit in the name): %s", json);
	/* zeros: left out of the text */
	s->v[TCPTUNE_SOCK_A_BUSY] = 0;
	s->v[TCPTUNE_SOCK_A_BYTES_RETRANS] = 0;
	s->v[TCPTUNE_SOCK_A_NOTSENT] = 0;
	s->v[TCPTUNE_SOCK_A_UID] = 0;
	s->v[TCPTUNE_SOCK_A_OPTIONS] = TCPI_OPT_SACK;
	render(s, text, json, csv, sizeof(text));
	check(!strstr(text, "busy") && !strstr(text, "rwnd_limited") && !strstr(text, "bytes_retrans") &&
	      !strstr(text, "notsent") && !strstr(text, "uid:") && !strstr(text, "wscale") &&
	      !strstr(text, " ts ") && strstr(text, "\t sack tcptune_reno rto:") &&
	      strstr(text, " bytes_sent:5000000 ") && strstr(text, " ino:4242 "),
	      "text: busy 0 hides the limits, and 0 bytes_retrans, notsent, uid, no wscale option:%s",
	      line2(text));
	check(strstr(json, "\"wscale\":null") && strstr(json, "\"busy_us\":0") &&
	      strstr(json, "\"uid\":0"), "JSON: still carries them (wscale null)");
	/* send: none without an rtt */
	s->v[TCPTUNE_SOCK_A_SRTT] = 0;
	s->have &= ~(1ULL << TT_F_SEND);
	tt_sock_derive(s);
	render(s, text, json, csv, sizeof(text));
	check(!tt_has(s, TT_F_SEND) && !strstr(text, " send ") && !strstr(text, "rtt:") &&
	      strstr(text, " cwnd:10 "), "send and rtt: none while srtt is 0 (ss)");
	/* no min RTT sample yet (~0), a listener's sacked (its backlog) */
	tt_sock_set(s, TCPTUNE_SOCK_A_MIN_RTT, 0xffffffffu);
	tt_sock_set(s, TCPTUNE_SOCK_A_SACKED, 128);
	tt_sock_set(s, TCPTUNE_SOCK_A_UNACKED, 3);
	s->v[TCPTUNE_SOCK_A_STATE] = 10;
	render(s, text, json, csv, sizeof(text));
	check(!strstr(text, "minrtt") && !strstr(text, "sacked") && strstr(text, " unacked:3 ") &&
	      strstr(json, "\"minrtt_us\":null") && strstr(json, "\"sacked\":null"),
	      "text: no minrtt without a sample (~0), no sacked for a listener, as ss; JSON null");
	tt_sock_set(s, TCPTUNE_SOCK_A_MIN_RTT, 4000);
	s->v[TCPTUNE_SOCK_A_STATE] = 1;
	render(s, text, json, csv, sizeof(text));
	check(strstr(text, " minrtt:4 ") && strstr(text, " sacked:128 ") && strstr(json, "\"sacked\":128"),
	      "positive control: minrtt and sacked shown otherwise");
	tt_socklist_free(&l);
}

/* The kernel's bbr, dctcp, vegas through sock_diag, as ss prints them. */
static void test_diag_cc(void)
{
	static char text[4096], json[4096], csv[4096];
	struct tt_socklist l = { 0 };
	struct tt_nlerr err;
	struct nlmsghdr *nlh;
	struct inet_diag_msg *m;
	struct tcp_info ti;
	union tcp_cc_info ci;
	int k, r;

	for (k = 0; k < 4; k++) {
		nlh = reply(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, sizeof(*m));
		m = mnl_nlmsg_get_payload(nlh);
		m->idiag_family = AF_INET;
		m->idiag_state = 1;
		m->idiag_rqueue = 7;
		m->idiag_wqueue = 8;
		m->idiag_uid = 33;
		m->idiag_inode = 99;
		memset(&m->id, 0, sizeof(m->id));
		m->id.idiag_cookie[0] = 0x1b + k;
		memset(&ti, 0, sizeof(ti));
		ti.tcpi_snd_cwnd = 10;
		ti.tcpi_snd_mss = 1000;
		ti.tcpi_rtt = 8000;
		ti.tcpi_options = TCPI_OPT_TIMESTAMPS | TCPI_OPT_ECN_SEEN | TCPI_OPT_SYN_DATA |
				  TCPI_OPT_WSCALE;
		ti.tcpi_snd_wscale = 14;
		ti.tcpi_rcv_wscale = 7;
		ti.tcpi_busy_time = 1000000;
		ti.tcpi_sndbuf_limited = 250000;
		ti.tcpi_bytes_sent = 77;
		ti.tcpi_snd_wnd = 5000;
		mnl_attr_put(nlh, INET_DIAG_INFO, sizeof(ti), &ti);
		mnl_attr_put_strz(nlh, INET_DIAG_CONG, k < 2 ? "dctcp" : k == 2 ? "bbr" : "vegas");
		memset(&ci, 0, sizeof(ci));
		if (k < 2) {
			ci.dctcp.dctcp_enabled = !k;
			ci.dctcp.dctcp_ce_state = 1;
			ci.dctcp.dctcp_alpha = 512;
			ci.dctcp.dctcp_ab_ecn = 3;
			ci.dctcp.dctcp_ab_tot = 4;
			mnl_attr_put(nlh, INET_DIAG_DCTCPINFO, sizeof(ci.dctcp), &ci.dctcp);
		} else if (k == 2) {
			ci.bbr.bbr_bw_lo = 1000000;
			ci.bbr.bbr_min_rtt = 5000;
			ci.bbr.bbr_pacing_gain = 739;
			ci.bbr.bbr_cwnd_gain = 512;
			mnl_attr_put(nlh, INET_DIAG_BBRINFO, sizeof(ci.bbr), &ci.bbr);
		} else {
			ci.vegas.tcpv_enabled = 1;
			ci.vegas.tcpv_rttcnt = 5;
			ci.vegas.tcpv_rtt = 16000;
			ci.vegas.tcpv_minrtt = 4000;
			mnl_attr_put(nlh, INET_DIAG_VEGASINFO, sizeof(ci.vegas), &ci.vegas);
		}
		mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, 0x2a);
		memset(&err, 0, sizeof(err));
		r = tt_nl_replies(rbuf, nlh->nlmsg_len, CANNED_SEQ, CANNED_PORTID,
				  sizeof(struct inet_diag_req_v2), tt_diag_cb, &l, &err);
		check(r == 0 && l.n == (size_t)k + 1, "diag %d: parses", k);
	}
	if (l.n != 4)
		return;
	render(&l.v[0], text, json, csv, sizeof(text));
	check(!strncmp(text, "ESTAB      7      8      ", 25) && strstr(text, " uid:33 ino:99 sk:1b\n") &&
	      !strncmp(line2(text), "\t ts ecnseen fastopen dctcp wscale:14,7 ca_state:Open rtt:8/0 "
		       "mss:1000 cwnd:10 bytes_sent:77 ", 87) &&
	      strstr(text, " bytes_sent:77 dctcp:(ce_state:1,alpha:512,ab_ecn:3,ab_tot:4) send 10Mbps ") &&
	      strstr(text, " busy:1000ms sndbuf_limited:250ms(25.0%) ") &&
	      !strstr(text, "rwnd_limited") && strstr(text, " snd_wnd:5000\n"),
	      "diag, dctcp: Recv-Q Send-Q uid ino, options, dctcp:(...) where ss puts it:%s", text);
	check(strstr(json, "\"dctcp\":{\"fallback_mode\":false,\"ce_state\":1,\"alpha\":512,"
			   "\"ab_ecn\":3,\"ab_tot\":4}") && strstr(json, "\"cgroup_id\":42") &&
	      strstr(json, "\"fastopen\":true"), "diag, dctcp: JSON: %s", json);
	render(&l.v[1], text, json, csv, sizeof(text));
	check(strstr(text, " dctcp:fallback_mode send") && !strstr(text, "ce_state") &&
	      strstr(json, "\"dctcp\":{\"fallback_mode\":true}"),
	      "diag, dctcp off: dctcp:fallback_mode, as ss");
	render(&l.v[2], text, json, csv, sizeof(text));
	check(strstr(text, " bbr:(bw:8Mbps,mrtt:5,pacing_gain:2.88672,cwnd_gain:2) send ") &&
	      strstr(json, "\"bbr\":{\"bw_bps\":8000000,\"mrtt_us\":5000,\"pacing_gain\":2.88671875,"
			   "\"cwnd_gain\":2.0}"),
	      "diag, bbr: bbr:(bw,mrtt,pacing_gain,cwnd_gain) with ss's gains (/256): %s", json);
	render(&l.v[3], text, json, csv, sizeof(text));
	check(!strstr(text, "vegas:") && strstr(text, " send 5Mbps ") &&
	      strstr(json, "\"vegas\":{\"enabled\":true,\"rttcnt\":5,\"rtt_us\":16000,\"minrtt_us\":4000}"),
	      "diag, vegas: not in the text (as ss), send from its rtt (5Mbps, not 10); JSON has it");
	l.v[2].cc[TT_CC_BBR_PACING_GAIN] = 0;
	render(&l.v[2], text, json, csv, sizeof(text));
	check(strstr(text, " bbr:(bw:8Mbps,mrtt:5,cwnd_gain:2) ") && strstr(json, "\"pacing_gain\":0"),
	      "diag, bbr: a 0 gain left out of the text, as ss");
	tt_socklist_free(&l);
}

/* -P: ss's users:((...)); --cgroup: paths, unreachable:ID. */
static void test_owners(void)
{
	static char text[4096], json[4096], csv[4096];
	char dir[] = "/tmp/tt_proc_XXXXXX", path[512];
	struct tt_owner ov[3] = {
		{ .ino = 5, .pid = 10, .fd = 3, .name = "nginx" },
		{ .ino = 5, .pid = 11, .fd = 4, .name = "nginx" },
		{ .ino = 6, .pid = 12, .fd = 5, .name = "sshd" },
	};
	struct tt_owners o = { .v = ov, .n = 3, .cap = 3 }, scanned;
	struct tt_cgroup_ent cv[2] = { { 1, (char *)"/" }, { 0x30, (char *)"/system.slice/x" } };
	struct tt_cgroups cg = { .v = cv, .n = 2, .cap = 2 };
	struct tt_sock sv[3];
	struct tt_socklist l = { .v = sv, .n = 3, .cap = 3 };
	FILE *f;
	int i;

	check(tt_socket_link_ino("socket:[123]") == 123 && !tt_socket_link_ino("pipe:[5]") &&
	      !tt_socket_link_ino("socket:[12x]") && !tt_socket_link_ino("socket:[]") &&
	      !tt_socket_link_ino("socket:[-1]") && !tt_socket_link_ino("socket:[1"),
	      "socket:[INODE] links: the inode; anything else: none");
	memset(sv, 0, sizeof(sv));
	for (i = 0; i < 3; i++) {
		sv[i].family = AF_INET;
		tt_sock_set(&sv[i], TCPTUNE_SOCK_A_INODE, (uint64_t)i + 5);
		tt_sock_set(&sv[i], TCPTUNE_SOCK_A_CGROUP_ID, i ? 0x30 : 0x1f);
	}
	tt_owners_attach(&o, &l);
	tt_cgroups_attach(&cg, &l);
	render(&sv[0], text, json, csv, sizeof(text));
	check(strstr(text, " users:((\"nginx\",pid=10,fd=3),(\"nginx\",pid=11,fd=4)) ino:5 sk:0 "
			   "cgroup:unreachable:1f\n") &&
	      strstr(json, "\"users\":[{\"name\":\"nginx\",\"pid\":10,\"fd\":3},"
			   "{\"name\":\"nginx\",\"pid\":11,\"fd\":4}]") &&
	      strstr(json, "\"cgroup\":\"unreachable:1f\""),
	      "-P, --cgroup: both owners as ss -p; an unknown cgroup id as ss says it: %.*s",
	      (int)strcspn(text, "\n"), text);
	render(&sv[2], text, json, csv, sizeof(text));
	check(!strstr(text, "users:") && strstr(json, "\"users\":[]") &&
	      strstr(text, " cgroup:/system.slice/x\n"),
	      "-P: a socket nobody holds: no users: in the text, [] in JSON; its cgroup's path");
	render(&sv[1], text, json, csv, sizeof(text));
	check(!!strstr(text, " users:((\"sshd\",pid=12,fd=5))"), "-P: the other socket's owner");
	for (i = 0; i < (int)cg.n_extra; i++)
		free(cg.extra[i]);
	free(cg.extra);

	/* a /proc of our own: pid 123 holds socket 777 on fd 4 */
	check(mkdtemp(dir) != NULL, "a scratch /proc");
	snprintf(path, sizeof(path), "%s/123/fd", dir);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/123", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/123/fd", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/123/fd/4", dir);
	r_symlink("socket:[777]", path);
	snprintf(path, sizeof(path), "%s/123/fd/5", dir);
	r_symlink("pipe:[778]", path);
	snprintf(path, sizeof(path), "%s/123/stat", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("123 (my (prog)) S 1 1 1 0", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/self", dir);
	mkdir(path, 0700);
	check(tt_owners_scan(&scanned, dir) == 0 && scanned.n == 1 && scanned.v[0].ino == 777 &&
	      scanned.v[0].pid == 123 && scanned.v[0].fd == 4 && !strcmp(scanned.v[0].name, "my (prog)"),
	      "/proc scan: the socket link alone, its pid, fd and name (%zu found)", scanned.n);
	tt_owners_free(&scanned);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	check(system(path) == 0, "scratch /proc removed");
}

/* watch: per-interval goodput and retransmits, by cookie. */
static void test_watch_deltas(void)
{
	struct tt_watch_prev *prev = NULL;
	struct tt_sock sv[2];
	struct tt_socklist l = { .v = sv, .n = 1, .cap = 2 };
	size_t n = 0;

	memset(sv, 0, sizeof(sv));
	tt_sock_set(&sv[0], TCPTUNE_SOCK_A_COOKIE, 7);
	tt_sock_set(&sv[0], TCPTUNE_SOCK_A_BYTES_ACKED, 1000);
	tt_sock_set(&sv[0], TCPTUNE_SOCK_A_TOTAL_RETRANS, 2);
	tt_sock_set(&sv[0], TCPTUNE_SOCK_A_BYTES_RETRANS, 100);
	tt_watch_deltas(&prev, &n, &l, 1.0);
	check(!tt_has(&sv[0], TT_F_GOODPUT) && !tt_has(&sv[0], TT_F_RETRANS_DELTA),
	      "watch: the first sample has no deltas");
	sv[0].v[TCPTUNE_SOCK_A_BYTES_ACKED] = 251000;
	sv[0].v[TCPTUNE_SOCK_A_TOTAL_RETRANS] = 5;
	sv[0].v[TCPTUNE_SOCK_A_BYTES_RETRANS] = 4444;
	memset(&sv[1], 0, sizeof(sv[1]));
	tt_sock_set(&sv[1], TCPTUNE_SOCK_A_COOKIE, 8);
	tt_sock_set(&sv[1], TCPTUNE_SOCK_A_BYTES_ACKED, 99);
	l.n = 2;
	tt_watch_deltas(&prev, &n, &l, 3.0);
	check(tt_has(&sv[0], TT_F_GOODPUT) && sv[0].v[TT_F_GOODPUT] == 1000000 &&
	      sv[0].v[TT_F_RETRANS_DELTA] == 3 && sv[0].v[TT_F_BYTES_RETRANS_DELTA] == 4344,
	      "watch: 250000 bytes acked in 2 s: 1 Mbit/s; 3 segments, 4344 bytes retransmitted "
	      "(%llu %llu %llu)", (unsigned long long)sv[0].v[TT_F_GOODPUT],
	      (unsigned long long)sv[0].v[TT_F_RETRANS_DELTA],
	      (unsigned long long)sv[0].v[TT_F_BYTES_RETRANS_DELTA]);
	check(!tt_has(&sv[1], TT_F_GOODPUT), "watch: a socket new in this sample has none");
	sv[0].have &= ~(1ULL << TT_F_GOODPUT);
	sv[0].v[TCPTUNE_SOCK_A_BYTES_ACKED] = 10;	/* went back: another socket */
	tt_watch_deltas(&prev, &n, &l, 4.0);
	check(!tt_has(&sv[0], TT_F_GOODPUT) && tt_has(&sv[1], TT_F_GOODPUT) &&
	      sv[1].v[TT_F_GOODPUT] == 0,
	      "watch: a counter that went back gives none; one that stood still gives 0");
	free(prev);
}

/* JSON strings are UTF-8: each byte that starts no well-formed sequence
 * becomes U+FFFD; well-formed strings are left alone (nothing allocated). */
static void test_utf8(void)
{
	static const struct { const char *in, *want; } c[] = {
		{ "python3", NULL },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", NULL },
		{ "ab\xc3", "ab\xef\xbf\xbd" },			/* cut inside a character */
		{ "\xc0\xafx", "\xef\xbf\xbd\xef\xbf\xbdx" },	/* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xff", "\xef\xbf\xbd" },
	};
	struct tt_out o;
	struct tt_jw w;
	char *buf = NULL, *fixed;
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fixed = tt_utf8_fix(c[i].in);
		check(c[i].want ? fixed && !strcmp(fixed, c[i].want) : !fixed,
		      "UTF-8 for JSON, case %zu: %s", i, c[i].want ? "U+FFFD for the bad bytes" :
		      "well-formed, left as it is");
		free(fixed);
	}
	/* both JSON paths: written as made, and json-c's tree */
	f = open_memstream(&buf, &len);
	tt_out_init(&o, f);
	tt_jw_text(&w, &o);
	tt_jw_str(&w, NULL, "py\xe2\x82");
	tt_out_flush(&o);
	fclose(f);
	check(buf && !strcmp(buf, "\"py\xef\xbf\xbd\xef\xbf\xbd\""),
	      "JSON as made: a name cut inside a character is well-formed UTF-8 (%s)", buf ? buf : "");
	free(buf);
	tt_jw_tree(&w, NULL);
	tt_jw_str(&w, NULL, "py\xe2\x82");
	check(w.root && !strcmp(json_object_get_string(w.root), "py\xef\xbf\xbd\xef\xbf\xbd"),
	      "JSON through json-c: the same");
	json_object_put(w.root);
}

/* algo: ours by their short names (the tcptune dump); with -a and a name
 * of tcp_available_congestion_control (algo_exact), that algorithm alone. */
static void test_algo_exact(void)
{
	struct tt_filter f;
	struct tt_sock k, ours;

	memset(&k, 0, sizeof(k));
	memset(&ours, 0, sizeof(ours));
	snprintf(k.algo, sizeof(k.algo), "bbr");
	snprintf(ours.algo, sizeof(ours.algo), "tcptune_bbr");
	tt_filter_init(&f);
	f.algo = "bbr";
	check(tt_filter_match_outer(&f, &k) && tt_filter_match_outer(&f, &ours),
	      "algo bbr, our short name: tcptune_bbr and bbr");
	f.algo_exact = true;
	check(tt_filter_match_outer(&f, &k) && !tt_filter_match_outer(&f, &ours),
	      "-a algo bbr, the kernel's bbr available: bbr alone, not tcptune_bbr");
	f.algo = "tcptune_bbr";
	check(!tt_filter_match_outer(&f, &k) && tt_filter_match_outer(&f, &ours),
	      "-a algo tcptune_bbr: ours alone");
	f.algo = NULL;
	tt_filter_free(&f);
}

/* --sort: a value the socket has in name only (null in JSON) sorts last. */
static void test_sort_unset(void)
{
	static const struct { const char *by; int attr; uint64_t v[3]; } c[] = {
		{ "minrtt", TCPTUNE_SOCK_A_MIN_RTT, { 5000, 0xffffffffu, 1000 } },
		{ "ssthresh", TCPTUNE_SOCK_A_SSTHRESH, { 20, 0x7fffffffu, 10 } },
	};
	struct tt_sock sv[3];
	struct tt_socklist l = { .v = sv, .cap = 3 };
	size_t i, k;

	for (i = 0; i < 2; i++) {
		memset(sv, 0, sizeof(sv));
		for (k = 0; k < 3; k++) {
			tt_sock_set(&sv[k], TCPTUNE_SOCK_A_COOKIE, k + 1);
			tt_sock_set(&sv[k], c[i].attr, c[i].v[k]);
		}
		l.n = 3;
		tt_sort_apply(&l, tt_sort_find("sockets", c[i].by), -1);
		check(sv[0].v[c[i].attr] == c[i].v[0] && sv[1].v[c[i].attr] == c[i].v[2] &&
		      sv[2].v[c[i].attr] == c[i].v[1],
		      "--sort %s: %llu, %llu, then the unset one (%llu %llu %llu)", c[i].by,
		      (unsigned long long)c[i].v[0], (unsigned long long)c[i].v[2],
		      (unsigned long long)sv[0].v[c[i].attr], (unsigned long long)sv[1].v[c[i].attr],
		      (unsigned long long)sv[2].v[c[i].attr]);
	}
}

/* The models' text and JSON, and monitor's event, from one table. */
static void test_models(void)
{
	static char text[4096], json[4096], csv[4096], ev[1024];
	struct tt_ctx ctx;
	struct tt_filter f;
	struct tt_monitor m = { .ctx = &ctx, .f = &f, .count = -1 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct tt_sock s;
	FILE *cap;
	int t, saved;

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.has_reno = true;
	for (t = TCPTUNE_RENO_A_PHASE; t <= TCPTUNE_RENO_A_MAX; t++) {
		s.reno[t] = t == TCPTUNE_RENO_A_PHASE ? TCPTUNE_RENO_FAST_RECOVERY : (uint64_t)t * 10;
		s.reno_have |= 1ULL << t;
	}
	s.has_bbr = true;
	for (t = TCPTUNE_BBR_A_STATE; t <= TCPTUNE_BBR_A_ROUND; t++) {
		s.bbr[t] = (uint64_t)t * 125;
		s.bbr_have |= 1ULL << t;
	}
	s.bbr[TCPTUNE_BBR_A_STATE] = TCPTUNE_BBR_PROBE_BW_UP;
	s.bbr[TCPTUNE_BBR_A_INFLIGHT_LO] = 0xffffffffu;
	render(&s, text, json, csv, sizeof(text));
	check(!!strstr(text, " reno:(phase:fast_recovery,recover:20,rfc_cwnd:40,bytes_acked:30,dup_segs:50)"
		      " bbr:(state:ProbeBW,phase:UP,bw:2kbps,mrtt:0.375,pacing_gain:5,cwnd_gain:6.25,"
		      "inflight_hi:750,bw_lo:8kbps,round:1125)\n"),
	      "models, text: reno:(...) bbr:(...) as before the table");
	check(strstr(json, "\"reno\":{") && strstr(json, "\"phase\":\"fast_recovery\"") &&
	      strstr(json, "\"dup_segs\":50") && strstr(json, "\"state\":\"ProbeBW\",\"phase\":\"UP\"") &&
	      strstr(json, "\"bw_bps\":2000") && strstr(json, "\"mrtt_us\":375") &&
	      strstr(json, "\"pacing_gain\":5") && strstr(json, "\"inflight_lo\":null") &&
	      strstr(json, "\"bw_lo_bps\":8000") && strstr(json, "\"round\":1125"),
	      "models, JSON: the same fields, unset inflight_lo null");

	/* monitor: a bbr_state event shows the model as the socket list does */
	memset(&ctx, 0, sizeof(ctx));
	ctx.family_id = CANNED_FAMILY;
	tt_filter_init(&f);
	nlh = reply(CANNED_FAMILY, 0, GENL_HDRLEN);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = TCPTUNE_CMD_EVENT;
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_EVENT);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_TYPE, TCPTUNE_EVENT_BBR_STATE);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_BBR_STATE, TCPTUNE_BBR_PROBE_BW_UP);
	mnl_attr_nest_end(nlh, nest);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	cap = tmpfile();
	dup2(fileno(cap), STDOUT_FILENO);
	tt_monitor_cb(nlh, &m);
	ctx.json = true;
	tt_monitor_cb(nlh, &m);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(cap);
	ev[fread(ev, 1, sizeof(ev) - 1, cap)] = '\0';
	fclose(cap);
	check(strstr(ev, " bbr:(state:ProbeBW,phase:UP)\n") &&
	      strstr(ev, "\"bbr\":{\"state\":\"ProbeBW\",\"phase\":\"UP\"}"),
	      "monitor: the event's bbr:(state:,phase:) and JSON bbr object, the sockets' renderer");
}


/* ---- filters: parser, evaluator, bytecode ----------------------------- */

/* Parse expr (one word, as ss takes '( ... )'); the exit status. */
/* monitor's callback on one message, its stdout into out. */
static void monitor_out(struct tt_monitor *m, struct nlmsghdr *nlh, char *out, size_t len)
{
	FILE *cap;
	int saved;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	cap = tmpfile();
	dup2(fileno(cap), STDOUT_FILENO);
	tt_monitor_cb(nlh, m);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(cap);
	out[fread(out, 1, len - 1, cap)] = '\0';
	fclose(cap);
}

/* An event of type; its TIMESTAMP ts if ts_len is 8, ts_len bytes of junk
 * if not, none if ts_len < 0. */
static struct nlmsghdr *event_msg(int type, int ts_len, uint64_t ts)
{
	struct nlmsghdr *nlh = reply(CANNED_FAMILY, 0, GENL_HDRLEN);
	struct nlattr *nest;

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = TCPTUNE_CMD_EVENT;
	nest = mnl_attr_nest_start(nlh, TCPTUNE_A_EVENT);
	mnl_attr_put_u8(nlh, TCPTUNE_EVENT_A_TYPE, (uint8_t)type);
	mnl_attr_put_u64(nlh, TCPTUNE_EVENT_A_COOKIE, 0x1a);
	mnl_attr_put_strz(nlh, TCPTUNE_EVENT_A_ALGO, "tcptune_reno");
	if (ts_len == 8)
		mnl_attr_put_u64(nlh, TCPTUNE_EVENT_A_TIMESTAMP, ts);
	else if (ts_len >= 0)
		put_raw(nlh, TCPTUNE_EVENT_A_TIMESTAMP, (size_t)ts_len, 0x11);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* The text of an event of type with TIMESTAMP 2023-11-14 22:13:20.123456789
 * UTC, printed in tstamp mode, starts with want. */
static void monitor_starts(struct tt_monitor *m, int tstamp, int type, const char *want,
			   const char *what)
{
	static char out[2048];

	m->tstamp = tstamp;
	monitor_out(m, event_msg(type, 8, 1700000000123456789ULL), out, sizeof(out));
	check(!strncmp(out, want, strlen(want)), "%s: \"%.*s\"", what, (int)strcspn(out, "\n"), out);
}

/* JSON "time" of out, NAN if none. */
static double json_time(const char *out)
{
	const char *p = strstr(out, "\"time\":");

	return p ? strtod(p + 7, NULL) : NAN;
}

/* monitor: the event's TIMESTAMP as ip monitor -t/-ts print a time, the
 * receive time without it, and `type`. */
static void test_monitor_time(void)
{
	/* 2023-11-14 22:13:20.123456789 UTC, a Tuesday */
	const uint64_t ts = 1700000000123456789ULL;
	static char out[2048];
	struct tt_ctx ctx;
	struct tt_filter f;
	struct tt_monitor m = { .ctx = &ctx, .f = &f, .count = -1 };
	uint32_t mask;
	double before, after, t;
	int bad[] = { 0, 4, 7, 12 }, i, ok;

	setenv("TZ", "UTC", 1);
	tzset();
	memset(&ctx, 0, sizeof(ctx));
	ctx.family_id = CANNED_FAMILY;
	tt_filter_init(&f);

	monitor_starts(&m, TT_TS_DEFAULT, TCPTUNE_EVENT_RECOVERY_ENTER,
		       "22:13:20.123456 recovery_enter sk:1a tcptune_reno",
		       "monitor: the kernel's TIMESTAMP as the time prefix");
	monitor_starts(&m, TT_TS_SHORT, TCPTUNE_EVENT_RECOVERY_ENTER,
		       "[2023-11-14T22:13:20.123456] recovery_enter sk:1a tcptune_reno",
		       "monitor -ts: [YYYY-MM-DDThh:mm:ss.usec] prefix, as ip -ts");
	monitor_starts(&m, TT_TS_LONG, TCPTUNE_EVENT_RTO,
		       "Timestamp: Tue Nov 14 22:13:20 2023 123456 usec\nrto ",
		       "monitor -t: a Timestamp: line before the event, as ip -t");
	m.tstamp = TT_TS_DEFAULT;
	ctx.json = true;
	monitor_out(&m, event_msg(TCPTUNE_EVENT_RTO, 8, ts), out, sizeof(out));
	check(fabs(json_time(out) - 1700000000.123456) < 1e-6 &&
	      strstr(out, "\"timestamp_ns\":1700000000123456789"),
	      "monitor -j: time (s) and timestamp_ns from the kernel's TIMESTAMP: %.*s",
	      (int)strcspn(out, "\n"), out);

	/* without it, or with one of a wrong length: the receive time */
	before = tt_now();
	monitor_out(&m, event_msg(TCPTUNE_EVENT_RTO, -1, 0), out, sizeof(out));
	after = tt_now();
	t = json_time(out);
	check(t >= before - 1e-6 && t <= after + 1e-6 && !strstr(out, "timestamp_ns"),
	      "monitor -j, no TIMESTAMP: the receive time, no timestamp_ns (%.6f in [%.6f, %.6f])",
	      t, before, after);
	ok = 1;
	for (i = 0; i < 4; i++) {
		before = tt_now();
		monitor_out(&m, event_msg(TCPTUNE_EVENT_RTO, bad[i], 0), out, sizeof(out));
		after = tt_now();
		t = json_time(out);
		if (!(t >= before - 1e-6 && t <= after + 1e-6) || strstr(out, "timestamp_ns") ||
		    !strstr(out, "\"event\":\"rto\""))
			ok = 0;
	}
	check(ok, "monitor: a TIMESTAMP of 0, 4, 7 or 12 bytes is not read (the receive time)");
	ctx.json = false;

	/* type */
	mask = 0;
	check(!tt_monitor_types("recovery,loss", &mask) &&
	      mask == (1u << TCPTUNE_EVENT_RECOVERY_ENTER | 1u << TCPTUNE_EVENT_RECOVERY_EXIT |
		       1u << TCPTUNE_EVENT_RTO),
	      "monitor type recovery,loss: recovery_enter, recovery_exit, rto");
	mask = 0;
	check(!tt_monitor_types("Recovery-Enter,bbr_state", &mask) &&
	      mask == (1u << TCPTUNE_EVENT_RECOVERY_ENTER | 1u << TCPTUNE_EVENT_BBR_STATE),
	      "monitor type Recovery-Enter,bbr_state: any case, - for _");
	mask = 0;
	check(tt_monitor_types("recovery,los", &mask) == TT_EXIT_USAGE &&
	      tt_monitor_types(",rto", &mask) == TT_EXIT_USAGE &&
	      tt_monitor_types("rto,", &mask) == TT_EXIT_USAGE &&
	      tt_monitor_types("", &mask) == TT_EXIT_USAGE,
	      "monitor type: an unknown name or an empty one is a usage error");
	m.types = 0;
	tt_monitor_types("loss", &m.types);
	m.seen = 0;
	monitor_out(&m, event_msg(TCPTUNE_EVENT_RECOVERY_ENTER, 8, ts), out, sizeof(out));
	check(!out[0], "monitor type loss: a recovery_enter event is not printed (\"%.*s\")",
	      (int)strcspn(out, "\n"), out);
	monitor_out(&m, event_msg(TCPTUNE_EVENT_RTO, 8, ts), out, sizeof(out));
	check(strstr(out, " rto ") != NULL, "monitor type loss: an rto event is (\"%.*s\")",
	      (int)strcspn(out, "\n"), out);
	monitor_out(&m, event_msg(99, 8, ts), out, sizeof(out));
	check(!out[0], "monitor type loss: an event of a type unknown to the CLI is not");
	unsetenv("TZ");
	tzset();
}

static int parse1(struct tt_filter *f, const char *expr)
{
	char *argv[] = { (char *)expr, NULL };

	tt_filter_init(f);
	return tt_filter_parse_args(f, "test", 1, argv);
}

static bool filter_matches(const char *expr, const struct tt_sock *s)
{
	struct tt_filter f;
	bool m = !parse1(&f, expr) && tt_filter_match(&f, s);

	tt_filter_free(&f);
	return m;
}

static unsigned char bcbuf[1 << 17];

/* Filters that must be refused, each with its exit status. */
struct bad_filter {
	const char *in;
	int want;
};

static void check_bad(const struct bad_filter *bad, size_t n, const char *what)
{
	char list[1024] = "";
	struct tt_filter f;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		k = parse1(&f, bad[i].in);
		tt_filter_free(&f);
		if (k != bad[i].want)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " [%s]: %d",
				 bad[i].in, k);
	}
	check(!list[0], "%zu bad %s refused with their exit status%s", n, what, list);
}

/* The bytecode of expr: its length, or -1 (unparsed), -2 (too long). */
static int bytecode(const char *expr)
{
	struct tt_filter f;
	ssize_t n = -1;

	if (!parse1(&f, expr)) {
		n = tt_filter_bytecode(&f, bcbuf, sizeof(bcbuf));
		if (n < 0)
			n = -2;
	}
	tt_filter_free(&f);
	return (int)n;
}

/* Op k of the bytecode is { code, yes, no }. */
static bool op_is(int k, int code, int yes, int no)
{
	const struct inet_diag_bc_op *op = (const void *)(bcbuf + 4 * k);

	return op->code == code && op->yes == yes && op->no == no;
}

static void sock_at(struct tt_sock *s, int family, const char *src, int sport,
		    const char *dst, int dport)
{
	memset(s, 0, sizeof(*s));
	s->family = (uint8_t)family;
	inet_pton(family, src, s->saddr);
	inet_pton(family, dst, s->daddr);
	s->v[TCPTUNE_SOCK_A_SPORT] = (uint64_t)sport;
	s->v[TCPTUNE_SOCK_A_DPORT] = (uint64_t)dport;
	s->v[TCPTUNE_SOCK_A_STATE] = 1;
	s->v[TCPTUNE_SOCK_A_CA_STATE] = TCPTUNE_CA_OPEN;
	s->have = 1ULL << TCPTUNE_SOCK_A_STATE | 1ULL << TCPTUNE_SOCK_A_CA_STATE;
	snprintf(s->algo, sizeof(s->algo), "cubic");
	/* sock_diag's view: not bound to a device, mark 0, the root cgroup */
	s->xhave = TT_X_IFINDEX | TT_X_MARK | TT_X_CGROUP | TT_X_AUTOBOUND;
	s->cgroup_id = 1;
}

/* The cgroup v2 id of "/" here, 0 without a cgroup2 mount (terms left out). */
static uint64_t root_cgroup;

static uint64_t frng = 12345;

static unsigned int frand(unsigned int n)
{
	frng = frng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(frng >> 33) % n;
}

/* A random expression over small domains, so that terms hold often. */
static void rand_expr(char *b, size_t len, int depth)
{
	static const char *const terms[] = {
		"dport = :80", "dport != :80", "dport < :80", "dport > :80", "dport <= :443",
		"dport >= :443", "sport eq :1000", "sport ne :1000", "sport lt :1", "sport gt :65535",
		"sport le :0", "sport ge :65535", "dport 443", "dst 198.18.0.0/15", "dst 198.18.1.1",
		"src 198.18.0.0/16:1000", "dst [2001:db8::1]:80", "src 2001:db8::/32", "dst *:443",
		"src ::ffff:198.18.1.1", "dst 198.18.0.0/15:80", "src *", "dst 0.0.0.0/0",
		"ca-state Open", "ca-state Loss", "sk 1a",
		"dev = 1", "dev != 2", "dev 2", "fwmark = 0x10/0xff", "fwmark != 0x1", "fwmark 0x110/0xf0",
		"fwmark = 0/0", "autobound", "dport = :https", "sport != :http", "dst *:https",
		"cgroup = /",	/* last: left out without a cgroup2 mount */
	};
	size_t nterms = sizeof(terms) / sizeof(terms[0]) - (root_cgroup ? 0 : 1);
	static const char *const ops[] = { " and ", " or ", " ", " && ", " || " };
	size_t n = strlen(b);
	int k = 1 + (int)frand(3), i;

	for (i = 0; i < k; i++) {
		if (i)
			snprintf(b + n, len - n, "%s", ops[frand(5)]);
		n = strlen(b);
		if (frand(4) == 0)
			snprintf(b + n, len - n, "! ");
		n = strlen(b);
		if (depth < 3 && frand(3) == 0) {
			snprintf(b + n, len - n, "( ");
			rand_expr(b, len, depth + 1);
			n = strlen(b);
			snprintf(b + n, len - n, " )");
		} else {
			snprintf(b + n, len - n, "%s", terms[frand((unsigned int)nterms)]);
		}
		n = strlen(b);
	}
}

/* dev, fwmark, cgroup, autobound and service names (ss's, issue 10). */
static void test_filter_kernel_terms(void)
{
	const struct inet_diag_markcond *mc = (const void *)(bcbuf + 4);
	struct tt_ctx ctx;
	struct tt_filter f;
	struct tt_sock s;
	uint32_t u;
	uint64_t id;
	int n, k;

	n = bytecode("dev = 3");
	memcpy(&u, bcbuf + 4, 4);
	check(n == 8 && op_is(0, INET_DIAG_BC_DEV_COND, 8, 12) && u == 3,
	      "bytecode dev = 3: DEV_COND yes 8 no 12 (reject), u32 ifindex 3 (%d bytes)", n);
	n = bytecode("dev != 3");
	check(n == 12 && op_is(0, INET_DIAG_BC_DEV_COND, 8, 12) && op_is(2, INET_DIAG_BC_JMP, 4, 8),
	      "bytecode dev != 3: DEV_COND (no: the end, accept), JMP to reject");
	n = bytecode("fwmark = 0x10/0xff");
	check(n == 12 && op_is(0, INET_DIAG_BC_MARK_COND, 12, 16) && mc->mark == 0x10 && mc->mask == 0xff,
	      "bytecode fwmark = 0x10/0xff: MARK_COND yes 12 no 16, mark 0x10 mask 0xff");
	n = bytecode("fwmark 7");
	check(n == 12 && mc->mark == 7 && mc->mask == 0xffffffffu,
	      "bytecode fwmark 7: mask 0xffffffff (all bits), as ss");
	bc_admin = false;
	check(bc_audit(bcbuf, n) && !strcmp(bc_audit(bcbuf, n), "EPERM"),
	      "the kernel's audit refuses MARK_COND to a user without CAP_NET_ADMIN");
	bc_admin = true;
	check(!bc_audit(bcbuf, n), "... and takes it from CAP_NET_ADMIN (control)");
	n = bytecode("autobound");
	memcpy(&u, bcbuf + 4, 4);
	check(n == 20 && op_is(0, INET_DIAG_BC_AUTO, 4, 24) && op_is(1, INET_DIAG_BC_S_GE, 8, 20) &&
	      op_is(2, 0, 0, 32768) && op_is(3, INET_DIAG_BC_S_LE, 8, 12) && op_is(4, 0, 0, 60999) &&
	      !bc_audit(bcbuf, n),
	      "bytecode autobound: AUTO, S_GE 32768, S_LE 60999 (the ephemeral range), audited");
	if (root_cgroup) {
		n = bytecode("cgroup = /");
		memcpy(&id, bcbuf + 4, 8);
		check(n == 12 && op_is(0, INET_DIAG_BC_CGROUP_COND, 12, 16) && id == root_cgroup &&
		      !bc_audit(bcbuf, n),
		      "bytecode cgroup = /: CGROUP_COND yes 12 no 16, u64 id %llu", (unsigned long long)id);
	} else {
		printf("ok %d - # SKIP no cgroup2 mount: cgroup's bytecode\n", ++tap_n);
	}

	/* service names, as ss: getservbyname(name, "tcp") */
	check(!parse1(&f, "dport = :https or sport eq :http or dst 198.18.0.1:ssh") &&
	      f.nodes[f.nodes[f.root].first].port == 443 &&
	      f.nodes[f.nodes[f.nodes[f.root].first].next].port == 80 &&
	      f.nodes[f.nodes[f.root].last].hport == 22,
	      "dport = :https is 443, sport eq :http 80, dst 198.18.0.1:ssh port 22");
	tt_filter_free(&f);

	/* the evaluator on sock_diag's view; none without it */
	sock_at(&s, AF_INET, "198.18.0.1", 40000, "198.18.1.1", 443);
	s.ifindex = 3;
	s.mark = 0x1234;
	s.autobound = true;
	check(filter_matches("dev = 3", &s) && !filter_matches("dev = 4", &s) &&
	      filter_matches("dev != 4", &s) && filter_matches("fwmark = 0x34/0xff", &s) &&
	      !filter_matches("fwmark = 0x34", &s) && filter_matches("fwmark != 0x34", &s) &&
	      filter_matches("autobound", &s) && filter_matches("dport = :https", &s),
	      "dev, fwmark (mark & mask = value), autobound, :https match as the kernel would");
	s.v[TCPTUNE_SOCK_A_SPORT] = 5201;
	check(!filter_matches("autobound", &s) && filter_matches("not autobound", &s),
	      "autobound: a port outside the ephemeral range is not (as ss), not autobound is");
	s.xhave = 0;
	check(!filter_matches("dev = 3", &s) && !filter_matches("fwmark = 0x1234", &s) &&
	      !filter_matches("autobound", &s),
	      "without sock_diag's view (no mark for an unprivileged user) nothing matches");

	/* errors */
	{
		static const struct bad_filter bad[] = {
			{ "dev", 1 }, { "dev =", 1 }, { "dev = a/b", 2 }, { "dev = abcdefghijklmnopq", 2 },
			{ "fwmark = x", 2 }, { "fwmark = 1/", 2 }, { "fwmark = 0x100000000", 2 },
			{ "fwmark = 1/0x1ffffffff", 2 }, { "fwmark", 1 }, { "cgroup = /tt/no/such/cgroup", 2 },
			{ "cgroup = ../x", 2 }, { "dport = :nosuchservice", 2 }, { "dport = :-https", 2 },
			{ "dst 198.18.0.1:nosuchservice", 2 }, { "autobound = 1", 1 },
		};
		check_bad(bad, sizeof(bad) / sizeof(bad[0]), "dev/fwmark/cgroup/service filters");
	}
	{
		char *argv[] = { "dev", "lo", NULL };

		tt_filter_init(&f);
		k = tt_filter_parse_args(&f, "monitor", 2, argv);
		tt_filter_free(&f);
		check(k == TT_EXIT_USAGE, "monitor: dev is refused (events carry no device), exit 1 (%d)", k);
		tt_filter_init(&f);
		k = tt_filter_parse_args(&f, "monitor", 1, (char *[]){ "dport = :https", NULL });
		tt_filter_free(&f);
		check(k == 0, "monitor: dport = :https is fine (control)");
	}
	check(!parse1(&f, "dev 1 or fwmark 2 or autobound") &&
	      tt_filter_needs(&f) == (TT_NEED_INFO | TT_NEED_MARK | TT_NEED_AUTO), "needs: all three");
	tt_filter_free(&f);
	check(!parse1(&f, "dport 1 or ca-state Loss") && tt_filter_needs(&f) == 0,
	      "needs: none for ports and ca-state (no extra dump)");
	tt_filter_free(&f);

	/* names resolved in the namespace: lo is 1 in any netns */
	memset(&ctx, 0, sizeof(ctx));
	k = !parse1(&f, "dev = lo") && f.nodes[f.root].dev && !tt_filter_resolve(&ctx, &f);
	u = k ? f.nodes[f.root].ifindex : 0;
	check(k && u && u == if_nametoindex("lo"), "dev = lo resolves to lo's index (%u)", u);
	tt_filter_free(&f);
	check(!parse1(&f, "dev = ttnosuch0") && tt_filter_resolve(&ctx, &f) == TT_EXIT_INVALID,
	      "dev = ttnosuch0: no such interface, exit 2");
	tt_filter_free(&f);
}

static void test_filters(void)
{
	const struct inet_diag_hostcond *hc = (const void *)(bcbuf + 4);
	struct tt_sock s[8];
	struct tt_filter f;
	char *big, expr[2048];
	int n, i, k, bad_eval = 0, bad_audit = 0, bad_super = 0, runs = 0;
	const char *why = NULL;
	bool shown = false;
	size_t len;

	/* bytecode, op by op: a yes is the op's length, a no a forward jump
	 * (to the end: accept; to the end + 4: reject) */
	n = bytecode("dport = :80");
	check(n == 8 && op_is(0, INET_DIAG_BC_D_EQ, 8, 12) && op_is(1, 0, 0, 80),
	      "bytecode dport = :80: D_EQ yes 8 no 12 (reject), port 80 (%d bytes)", n);
	n = bytecode("sport >= :1024");
	check(n == 8 && op_is(0, INET_DIAG_BC_S_GE, 8, 12) && op_is(1, 0, 0, 1024),
	      "bytecode sport >= :1024: S_GE 1024");
	n = bytecode("dport > :80 and sport lt :1000");
	check(n == 16 && op_is(0, INET_DIAG_BC_D_GE, 8, 20) && op_is(1, 0, 0, 81) &&
	      op_is(2, INET_DIAG_BC_S_LE, 8, 12) && op_is(3, 0, 0, 999),
	      "bytecode dport > :80 and sport lt :1000: D_GE 81 (no 20), S_LE 999 (no 12)");
	n = bytecode("dport = :1 or dport = :2");
	check(n == 20 && op_is(0, INET_DIAG_BC_D_EQ, 8, 12) && op_is(2, INET_DIAG_BC_JMP, 4, 12) &&
	      op_is(3, INET_DIAG_BC_D_EQ, 8, 12) && op_is(4, 0, 0, 2),
	      "bytecode dport = :1 or dport = :2: D_EQ (no: the next), JMP to the end, D_EQ (no: reject)");
	n = bytecode("not dport = :1");
	check(n == 12 && op_is(0, INET_DIAG_BC_D_EQ, 8, 12) && op_is(2, INET_DIAG_BC_JMP, 4, 8),
	      "bytecode not dport = :1: D_EQ (no: the end, accept), JMP to reject");
	n = bytecode("dport != :80");
	check(n == 20 && op_is(0, INET_DIAG_BC_D_LE, 8, 12) && op_is(1, 0, 0, 79) &&
	      op_is(2, INET_DIAG_BC_JMP, 4, 12) && op_is(3, INET_DIAG_BC_D_GE, 8, 12) &&
	      op_is(4, 0, 0, 81), "bytecode dport != :80: D_LE 79 or D_GE 81");
	n = bytecode("dport > :65535");
	check(n == 4 && op_is(0, INET_DIAG_BC_JMP, 4, 8), "bytecode dport > :65535: never (JMP to reject)");
	n = bytecode("dst 198.18.0.0/15");
	check(n == 16 && op_is(0, INET_DIAG_BC_D_COND, 16, 20) && hc->family == AF_INET &&
	      hc->prefix_len == 15 && hc->port == -1 && !memcmp(hc->addr, (uint8_t[]){ 198, 18, 0, 0 }, 4),
	      "bytecode dst 198.18.0.0/15: D_COND, AF_INET /15, any port");
	n = bytecode("src [2001:db8::1]:6001");
	check(n == 28 && op_is(0, INET_DIAG_BC_S_COND, 28, 32) && hc->family == AF_INET6 &&
	      hc->prefix_len == 128 && hc->port == 6001 && ((const uint8_t *)hc->addr)[15] == 1,
	      "bytecode src [2001:db8::1]:6001: S_COND, AF_INET6 /128, port 6001");
	n = bytecode("dst *:443");
	check(n == 12 && op_is(0, INET_DIAG_BC_D_COND, 12, 16) && hc->family == AF_UNSPEC &&
	      hc->prefix_len == 0 && hc->port == 443, "bytecode dst *:443: D_COND, any address, port 443");
	check(bytecode("ca-state Loss") == 0 && bytecode("state established algo reno") == 0,
	      "bytecode: none for ca-state alone, or for selectors alone (the state mask is apart)");
	n = bytecode("not ca-state Loss");
	check(n == 8 && op_is(0, INET_DIAG_BC_JMP, 4, 8) && op_is(1, INET_DIAG_BC_JMP, 4, 8),
	      "bytecode not ca-state Loss: lets every socket through (the CLI tests it)");

	/* the parser */
	check(!parse1(&f, "state established exclude established state listening") &&
	      f.states_set && f.states == 1u << 10, "state/exclude as ss: a mask, in order");
	tt_filter_free(&f);
	check(!parse1(&f, "exclude bucket") && f.states == (((1u << 12) - 2) & ~(1u << 3 | 1u << 6)),
	      "exclude bucket: all but syn-recv and time-wait");
	tt_filter_free(&f);
	check(!parse1(&f, "state connected") && f.states == (((1u << 12) - 2) & ~(1u << 10 | 1u << 7)) &&
	      tt_filter_states(&f, 1) == f.states, "state connected: all but listening and closed");
	tt_filter_free(&f);
	check(!parse1(&f, "dport=:1||(!sport>=:2&&dst [2001:db8::1]:3)") && f.root >= 0 &&
	      f.nodes[f.root].kind == TT_FX_OR, "operators and parentheses need no blanks");
	tt_filter_free(&f);
	sock_at(&s[0], AF_INET, "198.18.0.1", 1000, "198.18.1.1", 443);
	check(filter_matches("dport = :1 or dport = :443 and sport = :1000", &s[0]) &&
	      !filter_matches("sport = :1000 or dport = :443 and dport = :1", &s[0]) &&
	      filter_matches("! dport = :1 and dport = :443", &s[0]),
	      "and and or bind alike, left to right, not tighter (as ss)");
	check(filter_matches("dport = :1 | dport = :443 & sport = :1000", &s[0]) &&
	      !filter_matches("sport = :1000|dport = :443&dport = :1", &s[0]) &&
	      filter_matches("dport geq :443 and dport leq :443 and sport neq :1", &s[0]) &&
	      !filter_matches("dport neq :443", &s[0]) && !filter_matches("dst neq 198.18.1.1", &s[0]),
	      "ss's other words: & and | (with or without blanks), neq, leq, geq");
	check(!filter_matches("dst ::ffff:198.18.1.1", &s[0]) && filter_matches("dst 198.18.1.1", &s[0]),
	      "an IPv6 host does not match an IPv4 socket");
	sock_at(&s[1], AF_INET6, "::ffff:198.18.0.1", 1000, "::ffff:198.18.1.1", 443);
	check(filter_matches("dst 198.18.1.0/24", &s[1]) && !filter_matches("dst 198.18.2.0/24", &s[1]),
	      "an IPv4 prefix matches an IPv4-mapped IPv6 address (as the kernel)");

	/* errors: the status tcptune(8) says (1 syntax, 2 a bad value or a bound) */
	{
		static const struct bad_filter bad[] = {
			{ "dport = :65536", 2 }, { "dport = :-1", 2 }, { "dport > x", 2 },
			{ "dst 1.2.3.4/33", 2 }, { "src 0.0.0.0/2147483648", 2 },
			{ "dst 198.18.0.0/4294967295", 2 }, { "dst [2001:db8::]/4294967168", 2 }, { "dst [::1", 2 }, { "dst [::1]x", 2 },
			{ "dst 1.2.3.4:99999", 2 }, { "state nosuch", 2 }, { "ca-state x", 2 },
			{ "sk zz", 2 }, { "( dport = :1", 1 }, { "dport = :1 )", 1 },
			{ "()", 1 }, { "dport", 1 }, { "dport =", 1 }, { "and", 1 }, { "or dport 1", 1 },
			{ "dport 1 or", 1 }, { "dport 1 and", 1 }, { "!", 1 }, { "dport 1 or state all", 1 },
			{ "dport 1 algo reno or dport 2", 1 }, { "( algo reno )", 1 },
			{ "algo reno algo bbr", 1 }, { "dprt 1", 1 }, { "dport 1 &", 1 }, { "| dport 1", 1 },
			{ "= 1", 1 }, { "state", 1 },
		};
		check_bad(bad, sizeof(bad) / sizeof(bad[0]), "filters");
	}

	/* bounds: a 100,000-term chain, 100,000 parentheses and nots */
	big = malloc(100000 * 24 + 16);	/* " or dport = :65535" */
	for (len = 0, i = 0; i < 100000; i++)
		len += (size_t)sprintf(big + len, "%sdport = :%d", i ? " or " : "", i % 65536);
	check(parse1(&f, big) == TT_EXIT_INVALID, "a 100,000-term chain: exit 2 (more than 8192 terms)");
	tt_filter_free(&f);
	for (len = 0, i = 0; i < 8192; i++)
		len += (size_t)sprintf(big + len, "%sdport = :%d", i ? " or " : "", i);
	check(!parse1(&f, big) && tt_filter_bytecode(&f, NULL, 0) == -1,
	      "8192 terms parse; their bytecode (98 KB) is too long to send: matched in the CLI");
	sock_at(&s[2], AF_INET, "198.18.0.1", 1, "198.18.0.2", 8191);
	check(tt_filter_match(&f, &s[2]) && (s[2].v[TCPTUNE_SOCK_A_DPORT] = 8192, !tt_filter_match(&f, &s[2])),
	      "... and match: dport 8191 in, 8192 out");
	tt_filter_free(&f);
	memset(big, '(', 100000);
	strcpy(big + 100000, "dport 1");
	check(parse1(&f, big) == TT_EXIT_INVALID, "100,000 '(': exit 2 (deeper than 64), no stack overflow");
	tt_filter_free(&f);
	memset(big, '!', 100000);
	check(parse1(&f, big) == TT_EXIT_INVALID, "100,000 '!': exit 2");
	tt_filter_free(&f);
	for (len = 0, i = 0; i < 100; i++)
		len += (size_t)sprintf(big + len, "%sdport = :%d", i ? (i & 1 ? " or " : " and ") : "", i);
	check(parse1(&f, big) == TT_EXIT_INVALID, "100 terms of and and or in turn: exit 2 (a tree deeper than 64)");
	tt_filter_free(&f);
	for (len = 0, i = 0; i < 64; i++)
		big[len++] = '(';
	len += (size_t)sprintf(big + len, "dport 1");
	memset(big + len, ')', 64);
	big[len + 64] = '\0';
	check(!parse1(&f, big), "64 parentheses are fine");
	tt_filter_free(&f);
	/* 64 levels of ( dport 1 and dport 2 and ... ): a tree 64 deep, fine;
	 * under one more dport 8 and dport 9 and: 65 deep, refused (as it is
	 * when the and is a new node: dport 8 or dport 9 and ...) */
	for (k = 0; k < 3; k++) {
		len = (size_t)sprintf(big, "%s", k == 0 ? "" : k == 1 ? "dport 8 and dport 9 and " :
				      "dport 8 or dport 9 and ");
		for (i = 0; i < 64; i++)
			len += (size_t)sprintf(big + len, "( dport 1 and dport 2 and ");
		len += (size_t)sprintf(big + len, "dport 3");
		for (i = 0; i < 64; i++)
			big[len++] = ')';
		big[len] = '\0';
		n = parse1(&f, big);
		if (k == 0)
			check(!n && f.root >= 0 && f.nodes[f.root].depth == 64,
			      "64 levels of ( a and b and ... ): a tree 64 deep, fine");
		else
			check(n == TT_EXIT_INVALID, "... under one more %s: 65 deep, exit 2 (%d)",
			      k == 1 ? "a and b and" : "a or b and", n);
		tt_filter_free(&f);
	}
	free(big);

	/* the evaluator = the kernel's run of the bytecode, on random filters */
	sock_at(&s[0], AF_INET, "198.18.0.1", 1000, "198.18.1.1", 443);
	sock_at(&s[1], AF_INET, "198.19.0.1", 0, "192.0.2.1", 80);
	sock_at(&s[2], AF_INET6, "2001:db8::5", 65535, "2001:db8::1", 80);
	sock_at(&s[3], AF_INET6, "::ffff:198.18.1.1", 1000, "::ffff:198.18.0.7", 443);
	sock_at(&s[4], AF_INET6, "fe80::1", 1, "2001:db9::1", 65535);
	sock_at(&s[5], AF_INET, "198.18.255.255", 443, "198.18.1.1", 0);
	s[5].v[TCPTUNE_SOCK_A_CA_STATE] = TCPTUNE_CA_LOSS;
	s[5].v[TCPTUNE_SOCK_A_COOKIE] = 0x1a;
	sock_at(&s[6], AF_INET, "0.0.0.0", 79, "198.19.255.255", 444);
	sock_at(&s[7], AF_INET6, "::", 443, "::1", 1000);
	/* dev, fwmark, cgroup, autobound: values that make each term hold for some */
	s[1].ifindex = 2;
	s[2].mark = 0x10;
	s[3].mark = 0x1;
	s[4].mark = 0x1ff;
	s[5].autobound = true;		/* but port 443: not in the ephemeral range */
	s[6].autobound = true;
	s[6].v[TCPTUNE_SOCK_A_SPORT] = 40000;
	s[7].cgroup_id = 7;
	s[0].ifindex = 1;
	for (i = 0; i < 3000; i++) {
		bool kernel_only;

		expr[0] = '\0';
		rand_expr(expr, sizeof(expr), 0);
		if (parse1(&f, expr)) {
			bad_eval++;
			tt_filter_free(&f);
			continue;
		}
		n = (int)tt_filter_bytecode(&f, bcbuf, sizeof(bcbuf));
		kernel_only = !strstr(expr, "ca-state") && !strstr(expr, "sk ");
		if (n > 0 && bc_audit(bcbuf, n)) {
			bad_audit++;
			why = bc_audit(bcbuf, n);
		}
		for (k = 0; k < 8 && n >= 0 && !bad_audit; k++) {
			bool e = tt_filter_match(&f, &s[k]), r = n ? bc_run(bcbuf, n, &s[k]) : true;

			runs++;
			if (kernel_only && e != r)
				bad_eval++;
			if (e && !r)
				bad_super++;
		}
		if ((bad_eval || bad_audit || bad_super) && !shown) {
			printf("# first disagreement: %s\n", expr);
			shown = true;
		}
		tt_filter_free(&f);
	}
	check(!bad_audit, "3000 random filters: the kernel's audit takes every bytecode (%s)",
	      why ? why : "ok");
	check(!bad_eval && runs > 20000, "... the kernel's run of it and the CLI's evaluator agree "
	      "(%d runs, %d disagree)", runs, bad_eval);
	check(!bad_super, "... with ca-state or sk in it, the kernel lets through every socket the CLI takes");
	test_filter_kernel_terms();
}

/*
 * sockets -j writes its JSON as it is made (P9): the bytes json-c prints
 * for tt_sock_json's tree, whatever the strings hold; ss's ms without
 * printf, the bytes of %g.
 */
static void test_json_writer(void)
{
	static const char *const names[] = { "a\"b\\c/d", "\x01\x1f\n\t\b\f\r", "\x7f\xc3\xa9", "" };
	static struct tt_owner ow[4];
	static char text[8192], json[8192], csv[8192];
	struct tt_sock s[3];
	json_object *arr = json_object_new_array();
	struct tt_out o;
	struct tt_jw w;
	char *buf = NULL, ms[32], g[32];
	size_t len = 0, i, bad = 0;
	uint64_t us;

	check(jw_rendered > 10 && !jw_differ, "JSON written as made = json-c's, for the %d sockets "
	      "rendered before (%d differ)", jw_rendered, jw_differ);

	memset(s, 0, sizeof(s));
	for (i = 0; i < 4; i++) {
		ow[i].pid = (int)i * 1000 - 1;
		ow[i].fd = -(int)i;
		snprintf(ow[i].name, sizeof(ow[i].name), "%s", names[i]);
	}
	/* everything the table has, the kernel's DCTCP off, owners, cgroup */
	s[0].family = AF_INET6;
	s[0].saddr[15] = 1;
	for (i = 0; i < TT_F_MAX; i++)
		tt_sock_set(&s[0], (int)i, i * 977 + 1);
	tt_sock_set(&s[0], TCPTUNE_SOCK_A_OPTIONS, 0xff);
	tt_sock_set(&s[0], TCPTUNE_SOCK_A_PACING_RATE, UINT64_MAX);
	tt_sock_set(&s[0], TCPTUNE_SOCK_A_SSTHRESH, 0x7fffffff);
	tt_sock_set(&s[0], TCPTUNE_SOCK_A_MIN_RTT, 0xffffffffu);
	s[0].cc_kind = TT_CC_DCTCP;
	s[0].cc_have = 0x3e;
	s[0].owners = ow;
	s[0].n_owners = 4;
	s[0].owners_asked = true;
	s[0].cgroup = "/system.slice/a\"b.service";
	/* the kernel's BBR: gains as ratios, one whole ("1.0") */
	s[1].family = AF_INET;
	snprintf(s[1].algo, sizeof(s[1].algo), "bbr");
	tt_sock_set(&s[1], TCPTUNE_SOCK_A_OPTIONS, 0);
	s[1].cc_kind = TT_CC_BBR;
	s[1].cc[TT_CC_BBR_PACING_GAIN] = 739;
	s[1].cc[TT_CC_BBR_CWND_GAIN] = 256;
	s[1].cc[TT_CC_BBR_BW] = UINT64_MAX;
	s[1].cc_have = 0x1e;
	s[1].owners_asked = true;
	/* the kernel's Vegas, our models with odd gains */
	s[2].family = AF_INET;
	s[2].cc_kind = TT_CC_VEGAS;
	s[2].cc_have = 0x1e;
	s[2].has_bbr = true;
	s[2].bbr_have = 0x3fe;
	s[2].bbr[TCPTUNE_BBR_A_PACING_GAIN] = 1;
	s[2].bbr[TCPTUNE_BBR_A_CWND_GAIN] = 333;
	s[2].bbr[TCPTUNE_BBR_A_STATE] = TCPTUNE_BBR_DRAIN;
	jw_differ = 0;
	for (i = 0; i < 3; i++) {
		render(&s[i], text, json, csv, sizeof(text));
		json_object_array_add(arr, tt_sock_json(&s[i]));
	}
	check(!jw_differ, "JSON written as made = json-c's: escapes, nulls, doubles, owners, models");

	tt_out_init(&o, open_memstream(&buf, &len));
	tt_jw_text(&w, &o);
	tt_jw_arr(&w, NULL);
	for (i = 0; i < 3; i++)
		tt_sock_jw(&s[i], &w);
	tt_jw_arr_end(&w);
	tt_out_flush(&o);
	fclose(o.f);
	check(!strcmp(buf, tt_json_str(&(struct tt_ctx){ .json = true }, arr)),
	      "sockets -j: the array written as made = json-c's (%zu bytes)", len);
	free(buf);
	json_object_put(arr);

	for (us = 0; us < 1002000; us++) {
		snprintf(g, sizeof(g), "%g", (double)us / 1000.0);
		if (strcmp(tt_fmt_ms(ms, sizeof(ms), us), g) && bad++ < 3)
			printf("# %llu us: %s, %%g %s\n", (unsigned long long)us, ms, g);
	}
	for (us = 1; us && us < UINT64_MAX / 3; us *= 3) {
		snprintf(g, sizeof(g), "%g", (double)us / 1000.0);
		if (strcmp(tt_fmt_ms(ms, sizeof(ms), us), g) && bad++ < 3)
			printf("# %llu us: %s, %%g %s\n", (unsigned long long)us, ms, g);
	}
	check(!bad, "ms without printf = %%g, 0 to 1002 ms and powers of 3 (%zu differ)", bad);
}

int main(void)
{
	static const char *const knobs[] = {
		"reno.iw", "reno.beta", "reno.abc_l", "newreno.beta", "newreno.iw",
		"bbr.beta", "bbr.headroom", "bbr.startup_pacing_gain",
	};
	static const char *const cmds[] = { "sockets", "algos", "knobs", "set",
					    "monitor", "watch", "plot", "help" };
	char buf[512];
	uint32_t u;
	uint64_t u64;
	double d;
	struct tt_prefix p;
	struct tt_sock s;
	FILE *mem;
	char *membuf = NULL;
	size_t memlen = 0;

	printf("TAP version 13\n1..203\n");

	/* edit distance */
	check(tt_edit_distance("beta", "beta") == 0, "distance of equal names is 0");
	check(tt_edit_distance("bta", "beta") == 1, "one deletion is 1");
	check(tt_edit_distance("btea", "beta") == 1, "a transposition is 1");
	check(tt_edit_distance("RENO", "reno") == 0, "case is ignored");
	check(tt_edit_distance("", "abc") == 3, "from empty: the length");

	/* nearest names */
	tt_suggest("reno.bta", knobs, 8, buf, sizeof(buf));
	check_str(buf, "reno.beta", "reno.bta suggests reno.beta");
	tt_suggest("beta", knobs, 8, buf, sizeof(buf));
	check(strstr(buf, "reno.beta") && strstr(buf, "newreno.beta") && strstr(buf, "bbr.beta"),
	      "a bare knob name suggests it under every algorithm: %s", buf);
	check(tt_suggest("zzzzzzzz", knobs, 8, buf, sizeof(buf)) == 0 && !buf[0],
	      "nothing near: no suggestion");
	tt_suggest("sokets", cmds, 8, buf, sizeof(buf));
	check_str(buf, "sockets", "sokets suggests sockets");
	tt_suggest("monitr", cmds, 8, buf, sizeof(buf));
	check_str(buf, "monitor", "monitr suggests monitor");
	tt_suggest("st", cmds, 8, buf, sizeof(buf));
	check(strstr(buf, "set") != NULL, "st suggests set: %s", buf);

	/* rates and times as ss prints them */
	check_str(tt_fmt_rate(buf, sizeof(buf), 999), "999", "999 bit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 1500), "1.5k", "1500 bit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 11800000), "11.8M", "11.8 Mbit/s");
	check_str(tt_fmt_rate(buf, sizeof(buf), 9.99e9), "9.99G", "9.99 Gbit/s");
	check_str(tt_fmt_ms(buf, sizeof(buf), 204000), "204", "rto 204000 us -> 204 ms");
	check_str(tt_fmt_ms(buf, sizeof(buf), 21883), "21.883", "srtt 21883 us -> 21.883 ms");

	/* strict values */
	check(tt_parse_u32("70", &u) == 0 && u == 70, "70 parses");
	check(tt_parse_u32("4294967295", &u) == 0 && u == UINT32_MAX, "u32 max parses");
	check(tt_parse_u32("4294967296", &u) != 0, "u32 max + 1 is refused");
	check(tt_parse_u32("-1", &u) != 0, "a negative value is refused");
	check(tt_parse_u32("", &u) != 0, "an empty value is refused");
	check(tt_parse_u32("7x", &u) != 0, "trailing text is refused");
	check(tt_parse_u32(" 7", &u) != 0, "leading blanks are refused");
	check(tt_parse_u64("1a2b", &u64, 16) == 0 && u64 == 0x1a2b, "a hex cookie parses");
	check(tt_parse_double("0.5", &d) == 0 && d == 0.5, "0.5 s parses");
	check(tt_parse_double("nan", &d) != 0, "nan is refused");

	/* prefixes and filters */
	check(tt_parse_prefix("198.18.0.0/15", &p) == 0 && p.family == AF_INET && p.plen == 15,
	      "198.18.0.0/15 parses");
	check(tt_parse_prefix("[2001:db8::1]", &p) == 0 && p.family == AF_INET6 && p.plen == 128,
	      "[2001:db8::1] parses");
	check(tt_parse_prefix("198.18.0.0/33", &p) != 0, "/33 on IPv4 is refused");

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	memcpy(s.saddr, (uint8_t[]){ 198, 19, 1, 1 }, 4);
	s.v[TCPTUNE_SOCK_A_SPORT] = 5201;
	s.v[TCPTUNE_SOCK_A_CA_STATE] = TCPTUNE_CA_RECOVERY;
	s.have = 1ULL << TCPTUNE_SOCK_A_CA_STATE;
	snprintf(s.algo, sizeof(s.algo), "tcptune_reno");
	check(filter_matches("src 198.18.0.0/15 algo reno sport 5201 ca-state recovery", &s),
	      "src 198.18.0.0/15 algo reno sport 5201 ca-state recovery matches");
	check(!filter_matches("src 198.18.0.0/16 algo reno", &s), "198.19.1.1 is outside 198.18.0.0/16");
	check(!filter_matches("algo newreno", &s), "algo newreno does not match tcptune_reno");
	check(!filter_matches("algo tcptune_reno ca-state Loss", &s), "ca-state Loss does not match Recovery");

	/* CSV: header and row have the same number of cells */
	mem = open_memstream(&membuf, &memlen);
	tt_csv_header(mem);
	s.have |= 1ULL << TCPTUNE_SOCK_A_CWND;
	s.v[TCPTUNE_SOCK_A_CWND] = 10;
	tt_csv_row(mem, 1.5, &s);
	fclose(mem);
	{
		char *nl = strchr(membuf, '\n'), *fields[64];
		int a, b;

		*nl = '\0';
		a = tt_csv_split(membuf, fields, 64);
		b = tt_csv_split(nl + 1, fields, 64);
		check(a == b && a > 20, "CSV header and row: %d and %d cells", a, b);
		check(!strcmp(fields[0], "1.500000") && !strcmp(fields[9], "10"),
		      "CSV row: time and cwnd in place (%s, %s)", fields[0], fields[9]);
	}
	free(membuf);

	if (tt_cgroup_id("/", &root_cgroup))
		root_cgroup = 0;
	test_filters();
	test_summary();
	test_metrics();
	test_unset_rates();
	test_names();
	test_models();
	test_replies();
	test_monitor_time();
	test_ss_fields();
	test_diag_cc();
	test_owners();
	test_watch_deltas();
	test_sort_unset();
	test_algo_exact();
	test_utf8();
	test_json_writer();
	return tap_failed ? 1 : 0;
}
