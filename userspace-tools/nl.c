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

/* Pull the extack attributes out of an NLMSG_ERROR or NLMSG_DONE. */
static void parse_extack(const struct nlmsghdr *nlh, struct tt_nlerr *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	off = MNL_ALIGN(off);
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return;
	mnl_attr_for_each_payload((void *)((const char *)mnl_nlmsg_get_payload(nlh) + off),
				  mnl_nlmsg_get_payload_len(nlh) - off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(err->msg, sizeof(err->msg), "%s",
					 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				err->offset = mnl_attr_get_u32(attr);
			break;
		}
	}
}

int tt_nl_talk(struct tt_ctx *ctx, struct mnl_socket *nl,
	       struct nlmsghdr *nlh, size_t extra_hdr, tt_msg_cb cb,
	       void *data, struct tt_nlerr *err)
{
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE * 4;
	char *buf;
	uint32_t seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret = -1;
	bool done = false;

	memset(err, 0, sizeof(*err));
	debug_dump(ctx, "sent", nlh, nlh->nlmsg_len, extra_hdr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err->error = errno;
		return -1;
	}
	buf = malloc(bufsz);
	if (!buf) {
		err->error = ENOMEM;
		return -1;
	}
	while (!done) {
		const struct nlmsghdr *m;
		int left;

		n = mnl_socket_recvfrom(nl, buf, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err->error = errno;
			goto out;
		}
		debug_dump(ctx, "received", buf, (size_t)n, extra_hdr);
		left = (int)n;
		for (m = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				if (e->error) {
					err->error = -e->error;
					parse_extack(m, err);
					goto out;
				}
				done = true;	/* the ack */
				break;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int)) {
					int e = *(const int *)mnl_nlmsg_get_payload(m);

					if (e) {
						err->error = -e;
						parse_extack(m, err);
						goto out;
					}
				}
				done = true;
				break;
			}
			if (m->nlmsg_type == NLMSG_NOOP || m->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb && cb(m, data) < 0) {
				if (!err->error)
					err->error = errno ? errno : EPROTO;
				goto out;
			}
		}
		/* A do request without NLM_F_ACK ends with its one reply. */
		if (!(nlh->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)))
			done = true;
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

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_ctx *ctx = data;
	const struct nlattr *attr, *a2, *a3;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			ctx->family_id = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_VERSION:
			ctx->family_version = mnl_attr_get_u32(attr);
			break;
		case CTRL_ATTR_OPS:
			ctx->ops_known = true;
			mnl_attr_for_each_nested(a2, attr) {
				uint32_t id = 0, flags = 0;

				mnl_attr_for_each_nested(a3, a2) {
					if (mnl_attr_get_type(a3) == CTRL_ATTR_OP_ID)
						id = mnl_attr_get_u32(a3);
					else if (mnl_attr_get_type(a3) == CTRL_ATTR_OP_FLAGS)
						flags = mnl_attr_get_u32(a3);
				}
				/* bit 31 marks "present" whatever the flags */
				if (id <= TCPTUNE_CMD_MAX)
					ctx->ops[id] = flags | 0x80000000u;
			}
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(a2, attr) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(a3, a2) {
					if (mnl_attr_get_type(a3) == CTRL_ATTR_MCAST_GRP_NAME)
						name = mnl_attr_get_str(a3);
					else if (mnl_attr_get_type(a3) == CTRL_ATTR_MCAST_GRP_ID)
						id = mnl_attr_get_u32(a3);
				}
				if (name && !strcmp(name, TCPTUNE_MCGRP_EVENTS))
					ctx->mcgrp_events = id;
			}
			break;
		}
	}
	return MNL_CB_OK;
}

static void report_missing_family(void)
{
	struct stat st;

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

	if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(*g), family_cb, ctx, &err) < 0) {
		if (err.error == ENOENT) {
			report_missing_family();
			ctx->no_family = true;
			return TT_EXIT_NOMOD;
		}
		tt_err("looking up the generic netlink family \"%s\": %s",
		       TCPTUNE_GENL_NAME, strerror(err.error));
		return TT_EXIT_KERNEL;
	}
	if (!ctx->family_id) {
		report_missing_family();
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
