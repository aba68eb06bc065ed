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
#include <unistd.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "tcptune.h"
#include "canned.h"
#include "tap.h"

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

/* The text, JSON and CSV of one socket. */
static void render(const struct tt_sock *s, char *text, char *json, char *csv, size_t len)
{
	json_object *o = tt_sock_json(s);
	FILE *f = fmemopen(text, len, "w");

	tt_sock_print(s, f);
	fclose(f);
	snprintf(json, len, "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
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
	int n;

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
	check(n == 29 && !strcmp(fields[23], "1000000") && !fields[24][0] && !fields[27][0],
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
	check(!strstr(text, "reordering") && !strstr(text, "inflight") && strstr(text, " minrtt:20 ") &&
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
	struct tt_filter f;
	struct tt_sock s;
	FILE *mem;
	char *membuf = NULL;
	size_t memlen = 0;

	printf("TAP version 13\n1..66\n");

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
	tt_filter_init(&f);
	tt_parse_prefix("198.18.0.0/15", &f.src);
	f.algo = "reno";
	f.sport = 5201;
	f.ca_state = tt_ca_state_parse("recovery");
	check(tt_filter_match(&f, &s), "src 198.18.0.0/15 algo reno sport 5201 ca-state recovery matches");
	tt_parse_prefix("198.18.0.0/16", &f.src);
	check(!tt_filter_match(&f, &s), "198.19.1.1 is outside 198.18.0.0/16");
	tt_parse_prefix("198.18.0.0/15", &f.src);
	f.algo = "newreno";
	check(!tt_filter_match(&f, &s), "algo newreno does not match tcptune_reno");
	f.algo = "tcptune_reno";
	f.ca_state = TCPTUNE_CA_LOSS;
	check(!tt_filter_match(&f, &s), "ca-state Loss does not match Recovery");

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

	test_unset_rates();
	test_names();
	test_models();
	test_replies();
	return tap_failed ? 1 : 0;
}
