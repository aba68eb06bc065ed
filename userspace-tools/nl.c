// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink plumbing: -n NETNS, the generic netlink family lookup (with the
 * "module not loaded" diagnosis), one request/reply loop that reads the
 * kernel's extack, and --debug (every message sent and received on stderr
 * through mnl_nlmsg_fprintf).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "tcptune.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* Like `ip -n NAME`: /run/netns/NAME, or a path such as /proc/PID/ns/net. */
int tt_enter_netns(struct tt_ctx *ctx)
{
	char path[4096];
	int fd;

	if (!ctx->netns || ctx->netns_entered)
		return 0;
	if (strchr(ctx->netns, '/'))
		snprintf(path, sizeof(path), "%s", ctx->netns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ctx->netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		tt_err("network namespace \"%s\": %s (%s)", ctx->netns, path,
		       strerror(e));
		if (e == ENOENT) {
			tt_note("see `ip netns list`");
			return TT_EXIT_INVALID;
		}
		return e == EACCES || e == EPERM ? TT_EXIT_PERM : TT_EXIT_KERNEL;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;

		close(fd);
		tt_err("cannot enter network namespace \"%s\": %s", ctx->netns,
		       strerror(e));
		if (e == EPERM) {
			tt_note("entering a network namespace needs CAP_SYS_ADMIN");
			return TT_EXIT_PERM;
		}
		return e == EINVAL ? TT_EXIT_INVALID : TT_EXIT_KERNEL;
	}
	close(fd);
	ctx->netns_entered = true;
	return 0;
}

static void debug_dump(struct tt_ctx *ctx, const char *dir, const void *buf,
		       size_t len, size_t extra_hdr)
{
	if (!ctx->debug)
		return;
	fprintf(stderr, "--- %s %zu bytes\n", dir, len);
	mnl_nlmsg_fprintf(stderr, buf, len, extra_hdr);
}

/* ---- reading replies: one policy check before any read ---- */

const int tt_top_policy[TCPTUNE_A_MAX + 1] = {
	[TCPTUNE_A_ALGO] = MNL_TYPE_NESTED,
	[TCPTUNE_A_KNOB] = MNL_TYPE_NESTED,
	[TCPTUNE_A_SOCK] = MNL_TYPE_NESTED,
	[TCPTUNE_A_EVENT] = MNL_TYPE_NESTED,
	[TCPTUNE_A_FILTER_ALGO] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_A_FILTER_BC] = MNL_TYPE_BINARY,	/* sent only */
};

int tt_attr_check(const struct nlattr *a, const int *pol, int max)
{
	int t = mnl_attr_get_type(a);
	size_t len = mnl_attr_get_payload_len(a);

	if (t <= 0 || t > max || pol[t] == MNL_TYPE_UNSPEC)
		return -1;
	switch (pol[t]) {
	case TT_NLA_UINT:
		return len == 4 || len == 8 ? t : -1;
	case TT_NLA_ADDR:
		return len == 4 || len == 16 ? t : -1;
	}
	return mnl_attr_validate(a, (enum mnl_attr_data_type)pol[t]) < 0 ? -1 : t;
}

struct parse_arg {
	const int *pol;
	int max;
	const struct nlattr **tb;
};

static int parse_cb(const struct nlattr *a, void *data)
{
	const struct parse_arg *p = data;
	int t = tt_attr_check(a, p->pol, p->max);

	if (t > 0)
		p->tb[t] = a;
	return MNL_CB_OK;
}

void tt_attr_parse(const void *payload, size_t len, const int *pol, int max,
		   const struct nlattr **tb)
{
	struct parse_arg p = { pol, max, tb };

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	mnl_attr_parse_payload(payload, len, parse_cb, &p);
}

void tt_attr_parse_nested(const struct nlattr *nest, const int *pol, int max,
			  const struct nlattr **tb)
{
	tt_attr_parse(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest),
		      pol, max, tb);
}

uint64_t tt_attr_uint(const struct nlattr *a)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 1: return mnl_attr_get_u8(a);
	case 2: return mnl_attr_get_u16(a);
	case 4: return mnl_attr_get_u32(a);
	case 8: return mnl_attr_get_u64(a);
	}
	return 0;
}

const struct genlmsghdr *tt_genl_hdr(const struct nlmsghdr *nlh)
{
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

/* A netlink error code: a negative errno; anything else is EPROTO. */
static int nl_errno(int e)
{
	return e < 0 && e > -4096 ? -e : EPROTO;
}

/*
 * The extack attributes of an NLMSG_ERROR (whose payload holds a whole
 * struct nlmsgerr: the caller checked) or of an NLMSG_DONE.
 */
static void parse_extack(const struct nlmsghdr *nlh, struct tt_nlerr *err)
{
	static const int pol[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = MNL_TYPE_NUL_STRING,
		[NLMSGERR_ATTR_OFFS] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *p = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = (const struct nlmsgerr *)p;

		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			/* our request echoed whole */
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
				return;
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
	}
	off = MNL_ALIGN(off);
	if (plen < off)
		return;
	tt_attr_parse(p + off, plen - off, pol, NLMSGERR_ATTR_MAX, tb);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(err->msg, sizeof(err->msg), "%s", mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		err->offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

int tt_nl_replies(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		  size_t hdrlen, tt_msg_cb cb, void *data, struct tt_nlerr *err)
{
	const struct nlmsghdr *m;
	int left = len > INT32_MAX ? INT32_MAX : (int)len, r;

	/*
	 * mnl_nlmsg_ok() compares (int)nlmsg_len with what is left: a length
	 * of 2^31 or more passes it, and mnl_nlmsg_next() then jumps
	 * anywhere.  So the length is checked unsigned as well, and aligned:
	 * mnl_attr_for_each() reads up to the aligned end of the message.
	 */
	for (m = buf; mnl_nlmsg_ok(m, left) && m->nlmsg_len <= (uint32_t)left &&
	     MNL_ALIGN(m->nlmsg_len) <= (uint32_t)left;
	     m = mnl_nlmsg_next(m, &left)) {
		size_t plen = mnl_nlmsg_get_payload_len(m);

		if (m->nlmsg_seq != seq || m->nlmsg_pid != portid)
			continue;
		if (m->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

			if (plen < sizeof(*e)) {
				err->error = EPROTO;
				return -1;
			}
			if (!e->error)
				return 1;	/* the ack */
			err->error = nl_errno(e->error);
			parse_extack(m, err);
			return -1;
		}
		if (m->nlmsg_type == NLMSG_DONE) {
			if (plen >= sizeof(int)) {
				int e;

				memcpy(&e, mnl_nlmsg_get_payload(m), sizeof(e));
				if (e) {
					err->error = nl_errno(e);
					parse_extack(m, err);
					return -1;
				}
			}
			return 1;
		}
		if (m->nlmsg_type == NLMSG_NOOP || m->nlmsg_type == NLMSG_OVERRUN)
			continue;
		if (plen < hdrlen) {
			err->error = EPROTO;	/* shorter than its own header */
			return -1;
		}
		r = cb ? cb(m, data) : MNL_CB_OK;
		if (r < 0) {
			if (!err->error)
				err->error = errno ? errno : EPROTO;
			return -1;
		}
		if (r == MNL_CB_STOP)
			return 1;
	}
	if (left) {
		err->error = EPROTO;	/* a message cut short, or bytes after the last */
		return -1;
	}
	return 0;
}

int tt_nl_talk(struct tt_ctx *ctx, struct mnl_socket *nl,
	       struct nlmsghdr *nlh, size_t req_hdr, size_t reply_hdr, tt_msg_cb cb,
	       void *data, struct tt_nlerr *err)
{
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE * 4;
	char *buf;
	uint32_t seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret = -1, r;

	memset(err, 0, sizeof(*err));
	debug_dump(ctx, "sent", nlh, nlh->nlmsg_len, req_hdr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err->error = errno;
		return -1;
	}
	buf = malloc(bufsz);
	if (!buf) {
		err->error = ENOMEM;
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err->error = errno;
			goto out;
		}
		ctx->rx_bytes += (uint64_t)n;
		debug_dump(ctx, "received", buf, (size_t)n, reply_hdr);
		r = tt_nl_replies(buf, (size_t)n, seq, portid, reply_hdr, cb, data, err);
		if (r < 0)
			goto out;
		/* A do request without NLM_F_ACK ends with its one reply. */
		if (r || !(nlh->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)))
			break;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

static struct mnl_socket *open_socket(struct tt_ctx *ctx, int bus, int *status)
{
	struct mnl_socket *nl;
	int one = 1, r;

	r = tt_enter_netns(ctx);
	if (r) {
		*status = r;
		return NULL;
	}
	nl = mnl_socket_open(bus);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		tt_err("cannot open a netlink socket: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		*status = TT_EXIT_KERNEL;
		return NULL;
	}
	/* Both are best effort: older kernels just send less. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	*status = 0;
	return nl;
}

struct mnl_socket *tt_socket_open(struct tt_ctx *ctx, int bus, int *status)
{
	return open_socket(ctx, bus, status);
}

struct nlmsghdr *tt_genl_msg(struct tt_ctx *ctx, char *buf, uint8_t cmd,
			     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = ctx->family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++ctx->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = TCPTUNE_GENL_VERSION;
	return nlh;
}

static const int ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
	[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
	[CTRL_ATTR_OPS] = MNL_TYPE_NESTED,
	[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
};
static const int op_policy[CTRL_ATTR_OP_MAX + 1] = {
	[CTRL_ATTR_OP_ID] = MNL_TYPE_U32,
	[CTRL_ATTR_OP_FLAGS] = MNL_TYPE_U32,
};
static const int grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID] = MNL_TYPE_U32,
};

int tt_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_ctx *ctx = data;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *a;

	if (!tt_genl_hdr(nlh))
		return MNL_CB_OK;
	tt_attr_parse(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
		      mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
		      ctrl_policy, CTRL_ATTR_MAX, tb);
	if (tb[CTRL_ATTR_FAMILY_ID])
		ctx->family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		ctx->family_version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_OPS]) {
		ctx->ops_known = true;
		mnl_attr_for_each_nested(a, tb[CTRL_ATTR_OPS]) {
			const struct nlattr *op[CTRL_ATTR_OP_MAX + 1];
			uint32_t id;

			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				continue;
			tt_attr_parse_nested(a, op_policy, CTRL_ATTR_OP_MAX, op);
			if (!op[CTRL_ATTR_OP_ID])
				continue;
			id = mnl_attr_get_u32(op[CTRL_ATTR_OP_ID]);
			/* bit 31 marks "present" whatever the flags */
			if (id <= TCPTUNE_CMD_MAX)
				ctx->ops[id] = 0x80000000u | (op[CTRL_ATTR_OP_FLAGS] ?
					mnl_attr_get_u32(op[CTRL_ATTR_OP_FLAGS]) : 0);
		}
	}
	if (tb[CTRL_ATTR_MCAST_GROUPS]) {
		mnl_attr_for_each_nested(a, tb[CTRL_ATTR_MCAST_GROUPS]) {
			const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];

			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				continue;
			tt_attr_parse_nested(a, grp_policy, CTRL_ATTR_MCAST_GRP_MAX, g);
			if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
				    TCPTUNE_MCGRP_EVENTS))
				ctx->mcgrp_events = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
		}
	}
	return MNL_CB_OK;
}

static void report_missing_family(const struct tt_ctx *ctx)
{
	struct stat st;

	if (ctx->family_optional && stat("/sys/module/tcptune", &st)) {
		/* not an error: no socket can use an algorithm never loaded */
		tt_note("(the tcptune module is not loaded: no socket uses its algorithms)");
		return;
	}

	if (stat("/sys/module/tcptune", &st) == 0) {
		tt_err("the tcptune module is loaded but offers no generic netlink family \"%s\"",
		       TCPTUNE_GENL_NAME);
		tt_note("it is older than this tool: reload a current build");
		tt_note("(rmmod tcptune; modprobe tcptune, or insmod module/tcptune.ko)");
		return;
	}
	tt_err("the tcptune kernel module is not loaded (no generic netlink family \"%s\")",
	       TCPTUNE_GENL_NAME);
	tt_note("load it with:  modprobe tcptune");
	tt_note("or from a build tree:  insmod module/tcptune.ko");
}

int tt_genl_open(struct tt_ctx *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct tt_nlerr err;
	int status;

	if (ctx->no_family)
		return TT_EXIT_NOMOD;
	if (ctx->nl)
		return 0;
	ctx->nl = open_socket(ctx, NETLINK_GENERIC, &status);
	if (!ctx->nl)
		return status;
	ctx->portid = mnl_socket_get_portid(ctx->nl);
	if (!ctx->seq)
		ctx->seq = (uint32_t)time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++ctx->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPTUNE_GENL_NAME);

	if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(*g), sizeof(*g), tt_family_cb, ctx, &err) < 0) {
		if (err.error == ENOENT) {
			report_missing_family(ctx);
			ctx->no_family = true;
			return TT_EXIT_NOMOD;
		}
		tt_err("looking up the generic netlink family \"%s\": %s",
		       TCPTUNE_GENL_NAME, strerror(err.error));
		return TT_EXIT_KERNEL;
	}
	if (!ctx->family_id) {
		report_missing_family(ctx);
		ctx->no_family = true;
		return TT_EXIT_NOMOD;
	}
	if (ctx->family_version != TCPTUNE_GENL_VERSION && ctx->debug)
		fprintf(stderr, "tcptune: family version %u, this tool speaks %u\n",
			ctx->family_version, TCPTUNE_GENL_VERSION);
	return 0;
}

/* ethtool habit: check that the kernel offers a command before using it. */
bool tt_cmd_supported(struct tt_ctx *ctx, int cmd)
{
	if (!ctx->ops_known)
		return true;
	return cmd >= 0 && cmd <= TCPTUNE_CMD_MAX && ctx->ops[cmd];
}

void tt_close(struct tt_ctx *ctx)
{
	if (ctx->nl)
		mnl_socket_close(ctx->nl);
	ctx->nl = NULL;
}

/* Errors of the tcptune family, in words a person can act on. */
int tt_nlerr_report(const struct tt_nlerr *err, const char *what)
{
	const char *ext = err->msg[0] ? err->msg : NULL;

	switch (err->error) {
	case EPERM:
	case EACCES:
		tt_err("%s: permission denied%s%s", what, ext ? ": " : "",
		       ext ? ext : "");
		tt_note("this needs CAP_NET_ADMIN over the network namespace's user namespace (run as root)");
		return TT_EXIT_PERM;
	case EINVAL:
	case ERANGE:
	case E2BIG:
	case ENOENT:
	case ENODEV:
		tt_err("%s: %s%s%s", what, strerror(err->error),
		       ext ? ": " : "", ext ? ext : "");
		return TT_EXIT_INVALID;
	case EOPNOTSUPP:
		tt_err("%s: not supported by the loaded tcptune module%s%s", what,
		       ext ? ": " : "", ext ? ext : "");
		return TT_EXIT_KERNEL;
	default:
		tt_err("%s: %s%s%s", what, strerror(err->error),
		       ext ? ": " : "", ext ? ext : "");
		return TT_EXIT_KERNEL;
	}
}
