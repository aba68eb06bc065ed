/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Canned kernel replies for the host tests of the CLI's reply parsers
 * (test_cli_unit.c, fuzz_cli.c): a message header as the kernel would send
 * it to us, and attributes of any length, whatever their type should be.
 */
#ifndef TCPTUNE_CANNED_H
#define TCPTUNE_CANNED_H

#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define CANNED_PORTID 77
#define CANNED_SEQ 5
#define CANNED_FAMILY 0x1234

/* A message at buf with hdr zeroed bytes of fixed header after it. */
static inline struct nlmsghdr *canned_msg(char *buf, uint16_t type, uint16_t flags,
					  size_t hdr)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = CANNED_SEQ;
	nlh->nlmsg_pid = CANNED_PORTID;
	if (hdr)
		memset(mnl_nlmsg_put_extra_header(nlh, hdr), 0, hdr);
	return nlh;
}

static inline void canned_raw(struct nlmsghdr *nlh, uint16_t type, size_t len,
			      uint8_t byte)
{
	char v[256];

	memset(v, byte, sizeof(v));
	mnl_attr_put(nlh, type, len < sizeof(v) ? len : sizeof(v), v);
}

/* The family lookup's CTRL_ATTR_MCAST_GROUPS with one group. */
static inline void canned_mcast_group(struct nlmsghdr *nlh, const char *name, uint32_t id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	struct nlattr *grp = mnl_attr_nest_start(nlh, 1);

	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, nest);
}

#endif /* TCPTUNE_CANNED_H */
