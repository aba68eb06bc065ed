/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptune(8): the command-line client of the tcptune generic netlink family
 * (include/uapi/linux/tcptune.h) and of sock_diag for the other sockets.
 *
 * Layout: main.c parses the global options and dispatches through the
 * command table (one file per command, cmd_*.c); nl.c talks netlink
 * (generic netlink, extack, --debug, -n NETNS); diag.c is the sock_diag
 * dump; sock.c turns either source into one struct tt_sock and prints it
 * the way `ss -ti` does; filter.c matches sockets and events; knobdb.c
 * holds the knob table read from the kernel; util.c the small helpers
 * (nearest names, rates, numbers).
 */
#ifndef TCPTUNE_CLI_H
#define TCPTUNE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcptune.h>

#define TT_VERSION "0.1.0"

/* Exit status, documented in --help and tcptune(8). */
enum tt_exit {
	TT_EXIT_OK = 0,
	TT_EXIT_USAGE = 1,	/* bad command line */
	TT_EXIT_INVALID = 2,	/* unknown name, invalid or out-of-range value, no such netns */
	TT_EXIT_PERM = 3,	/* permission denied (CAP_NET_ADMIN) */
	TT_EXIT_NOMOD = 4,	/* tcptune module not loaded (no netlink family) */
	TT_EXIT_KERNEL = 5,	/* any other kernel or system error */
};

/* Global state shared by every command. */
struct tt_ctx {
	bool json;		/* -j */
	bool pretty;		/* -p */
	bool debug;		/* --debug: raw netlink messages on stderr */
	const char *netns;	/* -n NETNS */
	bool netns_entered;
	const char *prog;

	/* Generic netlink, opened on first use (tt_genl_open). */
	struct mnl_socket *nl;
	uint16_t family_id;
	uint32_t family_version;
	uint32_t mcgrp_events;	/* 0: group not offered */
	uint32_t ops[TCPTUNE_CMD_MAX + 1]; /* GENL_ADMIN_PERM etc., 0: absent */
	bool ops_known;
	bool no_family;		/* looked up, absent (reported once) */
	bool family_optional;	/* -a: sock_diag alone is a whole answer */
	uint32_t seq;
	uint32_t portid;
	uint64_t rx_bytes;	/* netlink bytes received (--debug says them) */
};

/* One command: wireguard-tools / ethtool style table (main.c). */
struct tt_cmd {
	const char *name;
	int (*handler)(struct tt_ctx *ctx, int argc, char **argv);
	const char *args;	/* synopsis after the name */
	const char *help;	/* one line */
	const char *detail;	/* the command's own help text, or NULL */
};

extern const struct tt_cmd tt_cmds[];
/* The whole command line, as main() runs it; returns the exit status. */
int tt_main(int argc, char **argv);
const struct tt_cmd *tt_cmd_find(const char *name);
int tt_cmd_usage(const struct tt_cmd *cmd, FILE *f, int status);

int cmd_sockets(struct tt_ctx *, int, char **);
int cmd_algos(struct tt_ctx *, int, char **);
int cmd_knobs(struct tt_ctx *, int, char **);
int cmd_set(struct tt_ctx *, int, char **);
int cmd_monitor(struct tt_ctx *, int, char **);
int cmd_watch(struct tt_ctx *, int, char **);
int cmd_plot(struct tt_ctx *, int, char **);
int cmd_help(struct tt_ctx *, int, char **);
int cmd_summary(struct tt_ctx *, int, char **);
int cmd_metrics(struct tt_ctx *, int, char **);

/*
 * getopt_long over a command's arguments (optind from 1), with the options
 * every command takes before or after it (-j -p -d -n NETNS -h -V) handled
 * here; an option's value is never taken for an option (`plot --title -d`).
 * Returns the command's own next option, -1 once only operands are left
 * (argv[optind..], in order: getopt_long moves them after the options), or
 * '?' after printing a usage error (exit TT_EXIT_USAGE).  -h and
 * `COMMAND help` print the command's usage and exit.
 */
struct option;
int tt_getopt(struct tt_ctx *ctx, const struct tt_cmd *cmd, int argc, char **argv,
	      const char *shortopts, const struct option *longopts);

/* ---- errors (util.c) ---- */
void tt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s with U+FFFD for each byte of it that is not well-formed UTF-8; NULL
 * if s is well-formed (out.c; JSON strings go through it). */
char *tt_utf8_fix(const char *s);
/* The exit status of a failed -o FILE: no such directory, or a directory
 * for a file: TT_EXIT_INVALID; not allowed (EACCES, EPERM, EROFS):
 * TT_EXIT_PERM; anything else (ENOSPC, EIO): TT_EXIT_KERNEL. */
int tt_file_exit(int err);

/* ---- netlink (nl.c) ---- */
int tt_enter_netns(struct tt_ctx *ctx);
/* A netlink socket of bus in the -n namespace; NULL with *status set. */
struct mnl_socket *tt_socket_open(struct tt_ctx *ctx, int bus, int *status);
int tt_genl_open(struct tt_ctx *ctx);	/* 0 or TT_EXIT_* after printing */
void tt_close(struct tt_ctx *ctx);
bool tt_cmd_supported(struct tt_ctx *ctx, int cmd);

/* Error of the last request, with the kernel's extack when it sent one. */
struct tt_nlerr {
	int error;		/* positive errno, 0: none */
	char msg[256];		/* extack message, "" if none */
	uint32_t offset;	/* extack offset into our request, 0: none */
};

typedef int (*tt_msg_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Replies are read one way: every attribute is checked against the
 * policy of its nest before anything of it is read.  A policy is an array
 * indexed by attribute type of a libmnl type (mnl_attr_validate: the exact
 * length of an integer, the NUL that ends a NUL_STRING) or one of ours;
 * MNL_TYPE_UNSPEC (0): not read.
 */
enum {
	TT_NLA_UINT = MNL_TYPE_MAX + 1,	/* u32 or u64 (nla_put_uint) */
	TT_NLA_ADDR,			/* 4 or 16 bytes: IPv4 or IPv6 */
};
/* The attribute's type if pol[0..max] has it and it is valid, else -1. */
int tt_attr_check(const struct nlattr *a, const int *pol, int max);
/* tb[0..max]: the valid attributes of payload[0..len) (the last of each
 * type), NULL where none is. */
void tt_attr_parse(const void *payload, size_t len, const int *pol, int max,
		   const struct nlattr **tb);
void tt_attr_parse_nested(const struct nlattr *nest, const int *pol, int max,
			  const struct nlattr **tb);
/* A checked integer attribute's value: u8, u16, u32 or u64 by its length. */
uint64_t tt_attr_uint(const struct nlattr *a);
/* The generic netlink header of a message, NULL if it is too short. */
const struct genlmsghdr *tt_genl_hdr(const struct nlmsghdr *nlh);
/* The top-level attributes of the tcptune family (enum tcptune_attr). */
extern const int tt_top_policy[TCPTUNE_A_MAX + 1];

struct nlmsghdr *tt_genl_msg(struct tt_ctx *ctx, char *buf, uint8_t cmd,
			     uint16_t flags);
/*
 * Send nlh and read replies until the ack or the end of the dump, calling
 * cb for every data message.  req_hdr and reply_hdr are the fixed headers
 * after the nlmsghdr of the request and of a data reply (genetlink: both
 * a genlmsghdr; sock_diag: inet_diag_req_v2, then inet_diag_msg).
 * Returns 0, or -1 with *err filled.
 */
int tt_nl_talk(struct tt_ctx *ctx, struct mnl_socket *nl,
	       struct nlmsghdr *nlh, size_t req_hdr, size_t reply_hdr, tt_msg_cb cb,
	       void *data, struct tt_nlerr *err);
/*
 * The part of tt_nl_talk that reads: the messages of buf[0..len) that
 * answer seq/portid.  A data message needs hdrlen bytes of payload (its
 * fixed header) and goes to cb.  Returns 1 at the ack, the end of the
 * dump or when cb says MNL_CB_STOP, 0 if more is to come, -1 with *err
 * filled.
 */
int tt_nl_replies(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		  size_t hdrlen, tt_msg_cb cb, void *data, struct tt_nlerr *err);
/*
 * The parsers of each kind of reply, for tt_nl_talk (and the fuzzer):
 * data is the struct named.
 */
int tt_family_cb(const struct nlmsghdr *nlh, void *data);	/* tt_ctx */
int tt_sock_cb(const struct nlmsghdr *nlh, void *data);		/* tt_socklist */
int tt_diag_cb(const struct nlmsghdr *nlh, void *data);		/* tt_socklist */
int tt_knob_cb(const struct nlmsghdr *nlh, void *data);		/* tt_knobdb */
int tt_algo_cb(const struct nlmsghdr *nlh, void *data);		/* tt_algolist */
int tt_monitor_cb(const struct nlmsghdr *nlh, void *data);	/* tt_monitor */
struct tt_monitor {
	struct tt_ctx *ctx;
	const struct tt_filter *f;
	long count, seen;
	uint32_t types;		/* bit per enum tcptune_event_type; 0: all */
	int tstamp;		/* enum tt_tstamp: how the text gives the time */
};
/* monitor -t / -ts, as ip monitor: a line before each event, or a prefix. */
enum tt_tstamp { TT_TS_DEFAULT, TT_TS_LONG, TT_TS_SHORT };
/* monitor's `type LIST` (cmd_monitor.c): the comma-separated event types
 * or groups of list into *mask; 0, or TT_EXIT_USAGE after the error. */
int tt_monitor_types(const char *list, uint32_t *mask);
/* Print an error of the tcptune family for what ("listing knobs", ...) and
 * return the exit status. */
int tt_nlerr_report(const struct tt_nlerr *err, const char *what);

/* ---- sockets (sock.c, diag.c) ---- */
enum tt_sock_field {
	/*
	 * The tcptune attribute ids are the field ids (enum tcptune_sock_attr);
	 * after them what the CLI works out (tt_sock_derive, watch).
	 */
	TT_F_SEND = TCPTUNE_SOCK_A_MAX + 1,	/* bit/s: cwnd * mss * 8 / rtt (ss "send") */
	TT_F_GOODPUT,			/* bit/s: bytes_acked over watch's interval */
	TT_F_RETRANS_DELTA,		/* segments retransmitted in the interval */
	TT_F_BYTES_RETRANS_DELTA,	/* bytes retransmitted in the interval */
	TT_F_MAX,
};
_Static_assert(TT_F_MAX <= 64, "tt_sock.have has a bit per field");

/* The kernel's own algorithm's state from sock_diag (-a), as ss shows it. */
enum tt_cc_kind { TT_CC_NONE, TT_CC_BBR, TT_CC_DCTCP, TT_CC_VEGAS };
enum {	/* tt_sock.cc[] of TT_CC_BBR (INET_DIAG_BBRINFO) */
	TT_CC_BBR_BW = 1,	/* bytes/s */
	TT_CC_BBR_MRTT,		/* us */
	TT_CC_BBR_PACING_GAIN,	/* << 8 */
	TT_CC_BBR_CWND_GAIN,	/* << 8 */
};
enum {	/* TT_CC_DCTCP (INET_DIAG_DCTCPINFO) */
	TT_CC_DCTCP_ENABLED = 1, TT_CC_DCTCP_CE_STATE, TT_CC_DCTCP_ALPHA,
	TT_CC_DCTCP_AB_ECN, TT_CC_DCTCP_AB_TOT,
};
enum {	/* TT_CC_VEGAS (INET_DIAG_VEGASINFO) */
	TT_CC_VEGAS_ENABLED = 1, TT_CC_VEGAS_RTTCNT, TT_CC_VEGAS_RTT, TT_CC_VEGAS_MINRTT,
};
#define TT_CC_MAX 8

/* A process holding a socket (-P): ss's users:(("name",pid=N,fd=N)). */
struct tt_owner {
	uint64_t ino;
	int pid, fd;
	char name[64];
};

struct tt_sock {
	uint64_t have;			/* bit per TCPTUNE_SOCK_A_* present */
	uint64_t v[TT_F_MAX];		/* numeric values, in the uapi units */
	uint8_t family;
	uint8_t saddr[16], daddr[16];
	char algo[32];
	bool ours;			/* from the tcptune dump, not sock_diag */

	bool has_reno;
	uint64_t reno_have;
	uint64_t reno[TCPTUNE_RENO_A_MAX + 1];
	bool has_bbr;
	uint64_t bbr_have;
	uint64_t bbr[TCPTUNE_BBR_A_MAX + 1];

	uint8_t cc_kind;		/* enum tt_cc_kind */
	uint64_t cc_have;
	uint64_t cc[TT_CC_MAX];

	/* -P and --cgroup: into the tables of the command (NULL: not asked) */
	const struct tt_owner *owners;
	size_t n_owners;
	bool owners_asked;
	const char *cgroup;
	/*
	 * sock_diag's view of the socket, for what the tcptune dump does not
	 * carry: the filter terms dev, fwmark, cgroup and autobound, and
	 * summary's retransmit ratio (segs_out).  From the sock_diag dump
	 * itself, or for tcptune's sockets by cookie (tt_diag_xinfo).  The
	 * mark comes from the kernel to CAP_NET_ADMIN only and is never
	 * shown: it is read to match fwmark, as the kernel would.
	 */
	uint32_t xhave;			/* TT_X_* */
	uint32_t ifindex;		/* SO_BINDTODEVICE's, 0: none */
	uint32_t mark;
	uint64_t cgroup_id;
	uint32_t segs_out;
	bool autobound;
};

enum {
	TT_X_IFINDEX = 1 << 0,
	TT_X_MARK = 1 << 1,
	TT_X_CGROUP = 1 << 2,
	TT_X_SEGS_OUT = 1 << 3,
	TT_X_AUTOBOUND = 1 << 4,
};

static inline bool tt_has(const struct tt_sock *s, int attr)
{
	return s->have & (1ULL << attr);
}

struct tt_socklist {
	struct tt_sock *v;
	size_t n, cap;
};

struct tt_sock *tt_socklist_add(struct tt_socklist *l);
void tt_socklist_free(struct tt_socklist *l);

int tt_sock_from_attr(struct tt_sock *s, const struct nlattr *nest);
const char *tt_ca_state_name(int st);
int tt_ca_state_parse(const char *name);
const char *tt_tcp_state_name(int st);
const char *tt_bbr_state_name(int st, const char **phase);
const char *tt_reno_phase_name(int ph);
/* What the CLI works out of the fields (TT_F_SEND): after parsing. */
void tt_sock_derive(struct tt_sock *s);
static inline void tt_sock_set(struct tt_sock *s, int field, uint64_t v)
{
	s->v[field] = v;
	s->have |= 1ULL << field;
}
struct tt_out;
struct tt_jw;
void tt_sock_print(const struct tt_sock *s, FILE *f);
void tt_sock_write(const struct tt_sock *s, struct tt_out *o);	/* the same, buffered */
void tt_sock_header(FILE *f);
json_object *tt_sock_json(const struct tt_sock *s);
void tt_sock_jw(const struct tt_sock *s, struct tt_jw *w);	/* the same object, written */
/* The algorithm's model: " reno:(...)" / " bbr:(...)", or its JSON objects in o. */
void tt_model_print(const struct tt_sock *s, FILE *f);
void tt_model_write(const struct tt_sock *s, struct tt_out *o);
void tt_model_json(const struct tt_sock *s, json_object *o);
void tt_sock_addr(const struct tt_sock *s, bool local, char *buf, size_t len);
void tt_addr_str(int family, const uint8_t *a, char *buf, size_t len);

/* All sockets of the netns matching f: tcptune's, and with all the others
 * through sock_diag.  Returns 0 or TT_EXIT_* (the message printed). */
struct tt_filter;
int tt_collect(struct tt_ctx *ctx, const struct tt_filter *f, bool all,
	       struct tt_socklist *out);
/* The sock_diag dump, filtered by the kernel with f's bytecode (f may be NULL). */
int tt_diag_dump(struct tt_ctx *ctx, const struct tt_filter *f, struct tt_socklist *out);
/*
 * What f (and f->want_sent) needs of sock_diag beyond the dumps: for
 * tcptune's sockets (ours) the ifindex, cgroup, mark and segs_out by
 * cookie; for every socket (ours and other) autobound.  0 or TT_EXIT_*.
 */
int tt_diag_xinfo(struct tt_ctx *ctx, const struct tt_filter *f,
		  struct tt_socklist *ours, struct tt_socklist *other);

/* ---- processes and cgroups (owners.c): ss -p and ss --cgroup ---- */
struct tt_owners {
	struct tt_owner *v;	/* sorted by inode, then pid and fd */
	size_t n, cap;
};
/* Every socket:[INODE] under /proc/PID/fd (those this user may read). */
int tt_owners_scan(struct tt_owners *o, const char *proc_root);
/* "socket:[12345]" (a /proc/PID/fd link) -> 12345; 0: not a socket. */
uint64_t tt_socket_link_ino(const char *lnk);
void tt_owners_free(struct tt_owners *o);
/* Point each socket of l at its owners. */
void tt_owners_attach(const struct tt_owners *o, struct tt_socklist *l);

struct tt_cgroup_ent {
	uint64_t id;
	char *path;		/* "/", "/system.slice/..." */
};
struct tt_cgroups {
	struct tt_cgroup_ent *v;	/* sorted by id */
	size_t n, cap;
	char **extra;			/* the "unreachable:ID" strings given out */
	size_t n_extra;
};
/* The cgroup v2 hierarchy mounted at root (NULL: found in
 * /proc/self/mountinfo); 0, or -1 if none is mounted. */
int tt_cgroups_scan(struct tt_cgroups *c, const char *root);
void tt_cgroups_free(struct tt_cgroups *c);
/* Each socket's cgroup path, or "unreachable:ID" (ss's words) in buf[]s
 * kept by c. */
void tt_cgroups_attach(struct tt_cgroups *c, struct tt_socklist *l);

/* ---- filters (filter.c) ---- */
struct tt_prefix {
	bool set;
	int family;		/* AF_INET / AF_INET6; 0 (a host condition): any */
	uint8_t addr[16];
	int plen;
};

/* Bounds of a filter: exit TT_EXIT_INVALID beyond them. */
#define TT_FILTER_MAX_TERMS 8192
#define TT_FILTER_MAX_DEPTH 64
/* The longest bytecode sent (its jumps are u16); longer: matched here. */
#define TT_FILTER_MAX_BYTECODE 65528

enum { TT_FX_AND, TT_FX_OR, TT_FX_NOT, TT_FX_SPORT, TT_FX_DPORT, TT_FX_SRC,
       TT_FX_DST, TT_FX_CA_STATE, TT_FX_COOKIE,
       TT_FX_DEV, TT_FX_MARK, TT_FX_CGROUP, TT_FX_AUTO };
enum { TT_CMP_EQ, TT_CMP_NE, TT_CMP_LT, TT_CMP_GT, TT_CMP_LE, TT_CMP_GE };

/* A node of the expression: and/or/not of children (first, next), or a term. */
struct tt_fx {
	uint8_t kind;		/* TT_FX_* */
	uint8_t cmp;		/* ports: TT_CMP_* */
	int port;		/* ports: the port; ca-state: the state */
	int hport;		/* src/dst: the port, -1: any */
	int first, last, next;	/* children; siblings (-1: none) */
	int depth;		/* of the tree below: at most TT_FILTER_MAX_DEPTH */
	struct tt_prefix pfx;	/* src/dst */
	uint64_t cookie;
	/* dev: its name as given (NULL: a number), the index once resolved */
	const char *dev;
	uint32_t ifindex;
	uint32_t mark, mask;	/* fwmark */
	uint64_t cgroup;	/* cgroup: the cgroup v2 id of the path */
};

/* What a filter needs of sock_diag (tt_filter_needs). */
enum {
	TT_NEED_INFO = 1 << 0,	/* dev, cgroup, fwmark: by cookie for ours */
	TT_NEED_MARK = 1 << 1,	/* fwmark: CAP_NET_ADMIN */
	TT_NEED_AUTO = 1 << 2,	/* autobound: a dump of the autobound ones */
	TT_NEED_CGROUP = 1 << 3,	/* cgroup: a kernel that keeps socket cgroups */
};

struct tt_filter {
	const char *algo;	/* as given; matched loosely (reno = tcptune_reno) */
	char kalgo[32];		/* tcptune's name of it ("tcptune_reno"), or "" */
	bool algo_checked;	/* kalgo is known (tt_algo_check ran) */
	bool algo_exact;	/* -a: algo is an available algorithm's own name */
	bool states_set;	/* state/exclude given: states is the TCP state mask */
	uint32_t states;
	int family;		/* -4/-6: AF_INET/AF_INET6, 0: both */
	struct tt_fx *nodes;	/* the expression, root its top (-1: none) */
	int n, cap, root;
	char *text;		/* the tokens the nodes point into */
	char bad[64];		/* the unknown word, after that error */
	bool want_sent;		/* summary: segs_out of tcptune's sockets too */
};

void tt_filter_init(struct tt_filter *f);
void tt_filter_free(struct tt_filter *f);
/* The filter of argv[0..argc) (words, or whole expressions in one word):
 * 0, or the exit status after printing the error. */
int tt_filter_parse_args(struct tt_filter *f, const char *cmd, int argc, char **argv);
bool tt_filter_match(const struct tt_filter *f, const struct tt_sock *s);
/* Its algorithm, family and states only: the expression was the kernel's. */
bool tt_filter_match_outer(const struct tt_filter *f, const struct tt_sock *s);
/* The expression's bytecode is the whole expression (no ca-state, sk). */
bool tt_filter_exact(const struct tt_filter *f);
/* The TCP state mask to ask sock_diag for; dflt if the filter sets none. */
uint32_t tt_filter_states(const struct tt_filter *f, uint32_t dflt);
/* The inet_diag bytecode of the expression into buf[0..cap) (buf NULL:
 * its length only): its length, 0 if there is no expression, -1 if it is
 * longer than TT_FILTER_MAX_BYTECODE or cap. */
ssize_t tt_filter_bytecode(const struct tt_filter *f, void *buf, size_t cap);
bool tt_algo_match(const char *want, const char *algo);
/* TT_NEED_* of the expression. */
unsigned int tt_filter_needs(const struct tt_filter *f);
/* Resolve dev names in the (-n) namespace, into the nodes: 0 or TT_EXIT_*. */
int tt_filter_resolve(struct tt_ctx *ctx, const struct tt_filter *f);
/* The cgroup v2 id of PATH (relative to the cgroup2 mount, as ss): 0 or -errno. */
int tt_cgroup_id(const char *path, uint64_t *id);
extern const char tt_filter_usage[];
const char *const *tt_filter_keywords(size_t *n);

/* ---- algorithms (cmd_algos.c) ---- */
struct tt_algo {
	char name[32];
	uint64_t have;
	uint64_t v[TCPTUNE_ALGO_A_MAX + 1];
};

struct tt_algolist {
	struct tt_algo *v;
	size_t n;
};

int tt_algos_load(struct tt_ctx *ctx, struct tt_algolist *l);
/* Check f->algo, fill f->kalgo; prints the error with the nearest names. */
int tt_algo_check(struct tt_ctx *ctx, struct tt_filter *f, bool all);

/* ---- knobs (knobdb.c) ---- */
struct tt_knob {
	char algo[32];
	char name[64];
	char full[100];		/* algo.name */
	char unit[32];
	char *doc;
	uint32_t value, min, max, def;
	int when;		/* enum tcptune_knob_when, -1: unknown */
	uint64_t have;
};

struct tt_knobdb {
	struct tt_knob *v;
	size_t n, cap;
};

int tt_knobdb_load(struct tt_ctx *ctx, struct tt_knobdb *db);
void tt_knobdb_free(struct tt_knobdb *db);
json_object *tt_knob_json(const struct tt_knob *k);	/* cmd_knobs.c */
const struct tt_knob *tt_knobdb_find(const struct tt_knobdb *db,
				     const char *algo, const char *name);
bool tt_knobdb_has_algo(const struct tt_knobdb *db, const char *algo);
/* "tcptune_reno" -> "reno" (pointer into name); others unchanged. */
const char *tt_algo_short(const char *name);
/* Print the unknown-algorithm/knob error with the nearest names. */
int tt_knob_unknown(const struct tt_knobdb *db, const char *algo,
		    const char *name, const char *given);

/* A value the socket has in name only, null in JSON: a min RTT with no
 * sample yet (~0, or a listener's 0), a listener's sacked (its backlog),
 * ssthresh in slow start (>= 0x7fffffff). */
bool tt_sock_unset(const struct tt_sock *s, int attr);

/*
 * A rate in bytes/s (the kernel's unit) that is known: ~0 is the kernel's
 * "not set" (sk_pacing_rate of a socket in SYN-SENT, a BBR estimate before
 * its first sample), and ss hides it; nor can a rate from 2^61 bytes/s
 * on be shown in bit/s as a u64.  Callers leave an unknown rate out of
 * the text, null in JSON, empty in CSV.
 */
static inline bool tt_rate_known(uint64_t bytes_per_s)
{
	return bytes_per_s <= UINT64_MAX / 8;
}

/* A rate worked out in floating point, as an integer (too large: the largest). */
static inline uint64_t tt_u64_of(double v)
{
	return v >= 18446744073709549568.0 ? UINT64_MAX : v > 0 ? (uint64_t)(v + 0.5) : 0;
}

/* ---- util.c ---- */
int tt_edit_distance(const char *a, const char *b);
/* Up to max names of cands nearest to input, comma separated into buf;
 * returns how many.  */
int tt_suggest(const char *input, const char *const *cands, size_t n,
	       char *buf, size_t len);
void tt_suggest_print(const char *input, const char *const *cands, size_t n);
char *tt_fmt_rate(char *buf, size_t len, double bits_per_s);
char *tt_fmt_ms(char *buf, size_t len, uint64_t us);
/* v in decimal at buf (room for 20 digits, no NUL); returns its end. */
char *tt_fmt_u64(char *buf, uint64_t v);
int tt_parse_u32(const char *s, uint32_t *out);
int tt_parse_u64(const char *s, uint64_t *out, int base);
int tt_parse_double(const char *s, double *out);
int tt_parse_prefix(const char *s, struct tt_prefix *p);
const char *tt_json_str(const struct tt_ctx *ctx, json_object *o);
void tt_json_print(struct tt_ctx *ctx, json_object *o);
double tt_now(void);
/* Read one line sysctl such as /proc/sys/net/ipv4/tcp_congestion_control. */
int tt_read_sysctl(const char *path, char *buf, size_t len);

/* ---- output (out.c): buffered, and JSON as it is made ---- */
struct tt_out {
	FILE *f;
	size_t len;
	char buf[65536];
};
void tt_out_init(struct tt_out *o, FILE *f);
void tt_out_flush(struct tt_out *o);
void tt_out_mem(struct tt_out *o, const char *s, size_t n);
static inline void tt_out_c(struct tt_out *o, char c)
{
	if (o->len == sizeof(o->buf))
		tt_out_flush(o);
	o->buf[o->len++] = c;
}
static inline void tt_out_s(struct tt_out *o, const char *s)
{
	tt_out_mem(o, s, strlen(s));
}
void tt_out_u64(struct tt_out *o, uint64_t v);		/* %llu */
void tt_out_x64(struct tt_out *o, uint64_t v);		/* %llx */
void tt_out_pad(struct tt_out *o, const char *s, int width);	/* %-*s */
void tt_out_fmt(struct tt_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A JSON writer: text into a tt_out (tt_jw_text), the bytes of
 * tt_json_str without -p, or a json-c tree (tt_jw_tree: into an object
 * already made, or as root).  Keys are string constants with nothing to
 * escape (written as they are), NULL in arrays.
 */
#define TT_JW_DEPTH 16
struct tt_jw {
	struct tt_out *o;		/* text; NULL: tree */
	json_object *root;		/* tree: the outermost value made */
	json_object *stack[TT_JW_DEPTH];
	bool more[TT_JW_DEPTH];		/* text: a value came before, at that depth */
	int depth;
};
void tt_jw_text(struct tt_jw *w, struct tt_out *o);
void tt_jw_tree(struct tt_jw *w, json_object *into);
void tt_jw_obj(struct tt_jw *w, const char *key);
void tt_jw_obj_end(struct tt_jw *w);
void tt_jw_arr(struct tt_jw *w, const char *key);
void tt_jw_arr_end(struct tt_jw *w);
void tt_jw_null(struct tt_jw *w, const char *key);
void tt_jw_u64(struct tt_jw *w, const char *key, uint64_t v);
void tt_jw_int(struct tt_jw *w, const char *key, int v);
void tt_jw_bool(struct tt_jw *w, const char *key, bool v);
void tt_jw_str(struct tt_jw *w, const char *key, const char *v);
void tt_jw_double(struct tt_jw *w, const char *key, double v);

/* ---- watch (cmd_watch.c) ---- */
struct tt_watch_prev;
/* Each socket's TT_F_GOODPUT, TT_F_RETRANS_DELTA, TT_F_BYTES_RETRANS_DELTA
 * since the sample *pv (t: monotonic seconds), then l becomes *pv. */
void tt_watch_deltas(struct tt_watch_prev **pv, size_t *pn, struct tt_socklist *l, double t);

/* --sort FIELD / --top N (sort.c), for sockets and watch.  tt_sort_find
 * prints the error (with the field names) and returns NULL for an unknown
 * name; tt_parse_top prints its error and returns -1. */
struct tt_sort_field;
const struct tt_sort_field *tt_sort_find(const char *cmd, const char *name);
int tt_parse_top(const char *cmd, const char *arg, long *top);
/* Sort l by `by` (NULL: as it is), then keep the first top (< 0: all). */
void tt_sort_apply(struct tt_socklist *l, const struct tt_sort_field *by, long top);

/* ---- CSV (csv.c): watch writes, plot reads ---- */
extern const char *const tt_csv_columns[];
void tt_csv_header(FILE *f);
void tt_csv_row(FILE *f, double t, const struct tt_sock *s);
int tt_csv_split(char *line, char **fields, int max);

/* ---- summary (cmd_summary.c) and metrics (cmd_metrics.c) ---- */
/* -a -4 -6 as sockets takes them: 0 if c is one, 1 if not, else the exit status. */
int tt_select_opt(const char *cmd, int c, bool *all, struct tt_filter *f);
/* Parse the filter of argv[first..argc) and collect its sockets into l. */
int tt_select(struct tt_ctx *ctx, const char *cmd, int argc, char **argv, int first,
	      bool all, struct tt_filter *f, struct tt_socklist *l);

struct tt_dist {		/* samples, sorted once built */
	uint64_t *v;
	size_t n, cap;
};

struct tt_sum_group {
	char algo[32];
	int ca_state;		/* enum tcptune_ca_state, -1: every state */
	size_t sockets;
	struct tt_dist rtt;	/* srtt, us */
	struct tt_dist cwnd;	/* segments */
	struct tt_dist rate;	/* delivery rate, bit/s (known rates only) */
	uint64_t retrans;	/* total_retrans of the sockets with segs_out */
	uint64_t segs_out;
	size_t sent_sockets;	/* how many had both */
};

struct tt_summary {
	struct tt_sum_group *v;	/* by algorithm, then CA state (-1 first) */
	size_t n, cap;
};

/* Nearest-rank percentile p of sorted[0..n) (0 if n is 0). */
uint64_t tt_percentile(const uint64_t *sorted, size_t n, unsigned int p);
int tt_summary_build(const struct tt_socklist *l, struct tt_summary *sm);
void tt_summary_free(struct tt_summary *sm);
json_object *tt_summary_json(const struct tt_summary *sm);
void tt_summary_print(const struct tt_summary *sm, FILE *f);

/*
 * The Prometheus text exposition of the algorithms' counters (al, NULL:
 * none), the sockets per algorithm and CA state (l) and the knobs (db,
 * NULL: none).  Returns 0, or -1 if f failed.
 */
int tt_metrics_write(FILE *f, const struct tt_algolist *al, const struct tt_socklist *l,
		     const struct tt_knobdb *db);
/* A Prometheus label value escaped (\\, \", \n) into buf. */
char *tt_prom_escape(const char *in, char *buf, size_t len);

#endif /* TCPTUNE_CLI_H */
