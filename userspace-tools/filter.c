// SPDX-License-Identifier: GPL-2.0
/*
 * Socket filters shared by sockets, watch and monitor: ss(8)'s filter
 * language, plus tcptune's own selectors.
 *
 *   FILTER := [ state STATE | exclude STATE ]... [ algo ALGO ] [ EXPR ]
 *   EXPR   := EXPR [ and | && | & ] EXPR | EXPR { or | || | | } EXPR
 *           | { not | ! } EXPR | ( EXPR ) | TERM
 *             (as ss: and and or alike, left to right; not the tightest)
 *   TERM   := { dport | sport } [ OP ] [:]PORT | { dst | src } [ = ] HOST
 *           | ca-state CASTATE | sk COOKIE | dev [ = | != ] DEVICE
 *           | fwmark [ = | != ] MARK[/MASK] | cgroup [ = | != ] PATH | autobound
 *   PORT   := a number or a TCP service name (getservbyname, as ss)
 *   OP     := = | == | != | < | > | <= | >= | eq | ne | lt | gt | le | ge
 *             | neq | leq | geq
 *   HOST   := ADDR[/PLEN][:PORT] | [ADDR6][/PLEN][:PORT] | ADDR6[/PLEN] | *[:PORT]
 *
 * One parser and one evaluator (tt_filter_match): events are matched by it
 * in the CLI.  For sock_diag and for the tcptune dump (TCPTUNE_A_FILTER_BC,
 * run by the module) the expression is also compiled to inet_diag bytecode
 * (INET_DIAG_REQ_BYTECODE, linux/inet_diag.h) so that the kernel filters
 * the dump; terms the kernel cannot test (ca-state, sk) compile to what
 * lets every socket they could match through, and the CLI matches the
 * sockets it receives once more (tt_filter_exact: not needed without
 * them).  Written from ss(8) and inet_diag.h.
 *
 * dev, fwmark, cgroup and autobound are the kernel's to test (inet_diag's
 * DEV_COND, MARK_COND, CGROUP_COND, AUTO); the tcptune dump carries none of
 * them, so where the CLI must match its sockets again it reads sock_diag's view of the same
 * socket by cookie (tt_diag_xinfo: ifindex, cgroup id, the mark when the
 * kernel gives it, i.e. to CAP_NET_ADMIN, and the sockets the kernel says
 * are autobound) and evaluates the term on that.  fwmark needs
 * CAP_NET_ADMIN either way, as the kernel's audit of MARK_COND does: an
 * unprivileged user learns no mark, through ss or tcptune.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

#include "tcptune.h"

const char tt_filter_usage[] =
	"FILTER := [ state STATE | exclude STATE ]... [ algo ALGO ] [ EXPR ]\n"
	"EXPR   := EXPR [ and | && | & ] EXPR | EXPR { or | || | | } EXPR | { not | ! } EXPR\n"
	"          | ( EXPR ) | { dport | sport } [ OP ] [:]PORT | { dst | src } HOST\n"
	"          | ca-state CASTATE | sk COOKIE | dev [ = | != ] DEVICE | autobound\n"
	"          | fwmark [ = | != ] MARK[/MASK] | cgroup [ = | != ] PATH   (as ss(8))\n"
	"OP     := = | == | != | < | > | <= | >= | eq | ne | lt | gt | le | ge | neq | leq | geq\n"
	"HOST   := ADDR[/PLEN][:PORT] | [ADDR6][/PLEN][:PORT] | ADDR6[/PLEN] | *[:PORT]\n"
	"PORT   := a number or a TCP service name (/etc/services): :443, :https\n"
	"DEVICE := an interface name or index; PATH: a cgroup v2 path (ss --cgroup's)\n"
	"MARK   := the socket mark, MASK its bits compared (0x10/0xff); needs CAP_NET_ADMIN\n"
	"STATE  := established | syn-sent | syn-recv | fin-wait-1 | fin-wait-2 | time-wait\n"
	"          | closed | close-wait | last-ack | listening | closing\n"
	"          | all | connected | synchronized | bucket | big\n"
	"ALGO   := reno | newreno | bbr | tcptune_reno | ... (with -a: any, e.g. cubic)\n"
	"CASTATE:= Open | Disorder | CWR | Recovery | Loss\n"
	"COOKIE := the socket cookie in hex, as `ss -e` prints it after sk:\n"
	"and and or bind alike, left to right, as in ss; at most 8192 terms, 64 levels.\n";

static const char *const keywords[] = {
	"state", "exclude", "algo", "src", "dst", "sport", "dport", "ca-state", "sk",
	"and", "or", "not", "dev", "fwmark", "cgroup", "autobound",
};

/* TCP states (include/net/tcp_states.h) by ss's names, and ss's groups. */
#define ST(n) (1u << (n))
#define ST_ALL (((1u << 12) - 1) & ~1u)
#define ST_BUCKET (ST(3) | ST(6))
#define ST_CONNECTED (ST_ALL & ~(ST(10) | ST(7)))
static const struct { const char *name; uint32_t mask; } states[] = {
	{ "established", ST(1) }, { "syn-sent", ST(2) }, { "syn-recv", ST(3) },
	{ "fin-wait-1", ST(4) }, { "fin-wait-2", ST(5) }, { "time-wait", ST(6) },
	{ "closed", ST(7) }, { "close-wait", ST(8) }, { "last-ack", ST(9) },
	{ "listening", ST(10) }, { "closing", ST(11) },
	{ "all", ST_ALL }, { "connected", ST_CONNECTED },
	{ "synchronized", ST_CONNECTED & ~ST(2) }, { "bucket", ST_BUCKET },
	{ "big", ST_ALL & ~ST_BUCKET },
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

void tt_filter_init(struct tt_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->root = -1;
}

void tt_filter_free(struct tt_filter *f)
{
	free(f->nodes);
	free(f->text);
	f->nodes = NULL;
	f->text = NULL;
	f->n = f->cap = 0;
	f->root = -1;
}

/* "reno" matches "tcptune_reno" and "reno"; "tcptune_reno" only itself. */
bool tt_algo_match(const char *want, const char *algo)
{
	if (!want)
		return true;
	if (!strcasecmp(want, algo))
		return true;
	return !strncmp(algo, "tcptune_", 8) && !strcasecmp(want, algo + 8);
}

/* Keywords, for the suggestion on an unknown argument. */
const char *const *tt_filter_keywords(size_t *n)
{
	*n = sizeof(keywords) / sizeof(keywords[0]);
	return keywords;
}

/* ---- the parser ---------------------------------------------------------- */

struct parser {
	struct tt_filter *f;
	const char *cmd;
	char **tok;		/* the tokens, NULL-terminated */
	size_t pos, ntok;
	int depth, terms;
	int status;		/* exit status of the first error */
};

static const char *peek(const struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos] : NULL;
}

static bool is(const struct parser *p, const char *a, const char *b)
{
	const char *t = peek(p);

	return t && (!strcmp(t, a) || (b && !strcmp(t, b)));
}

static int fail(struct parser *p, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int status, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tt_err("%s: %s", p->cmd, msg);
	p->status = status;
	return -1;
}

static int new_node(struct parser *p, int kind)
{
	struct tt_filter *f = p->f;
	struct tt_fx *x;

	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 16;
		struct tt_fx *v = realloc(f->nodes, (size_t)cap * sizeof(*v));

		if (!v)
			return fail(p, TT_EXIT_KERNEL, "out of memory");
		f->nodes = v;
		f->cap = cap;
	}
	x = &f->nodes[f->n];
	memset(x, 0, sizeof(*x));
	x->kind = (uint8_t)kind;
	x->first = x->next = x->last = -1;
	x->hport = -1;
	return f->n++;
}

/* The value after keyword kw, or NULL after the error (exit 1). */
static const char *value(struct parser *p, const char *kw)
{
	const char *t = peek(p);

	if (!t || !strcmp(t, "(") || !strcmp(t, ")")) {
		fail(p, TT_EXIT_USAGE, "\"%s\" needs a value", kw);
		return NULL;
	}
	p->pos++;
	return t;
}

/* A port number, or a TCP service name as ss takes it (getservbyname). */
static int port_value(const char *val, int *port)
{
	const struct servent *se;
	uint32_t v;

	if (!tt_parse_u32(val, &v)) {
		if (v > 65535)
			return -1;
		*port = (int)v;
		return 0;
	}
	/* a name: letters, digits, - _ . + / as /etc/services has them */
	if (!val[0] || strlen(val) > 64 || !isalpha((unsigned char)val[0]) ||
	    strspn(val, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+/") !=
	    strlen(val))
		return -1;
	se = getservbyname(val, "tcp");
	if (!se)
		return -1;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static int parse_port(struct parser *p, const char *kw, const char *val, int *port)
{
	if (val[0] == ':')	/* ss writes ports as :PORT */
		val++;
	if (port_value(val, port))
		return fail(p, TT_EXIT_INVALID, "%s: \"%s\" is not a port number (0-65535) "
			    "or a TCP service name (/etc/services)", kw, val);
	return 0;
}

/* HOST into x (family 0: any address), as ss reads it. */
static int parse_host(struct parser *p, const char *kw, const char *val, struct tt_fx *x)
{
	char buf[INET6_ADDRSTRLEN + 16], *port = NULL, *a = buf;
	const char *bad = "is not an IPv4 or IPv6 address[/prefix length][:port]";

	if (strlen(val) >= sizeof(buf))
		return fail(p, TT_EXIT_INVALID, "%s: \"%.40s...\" %s", kw, val, bad);
	strcpy(buf, val);
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (!end)
			return fail(p, TT_EXIT_INVALID, "%s: \"%s\" %s", kw, val, bad);
		*end++ = '\0';
		a = buf + 1;
		if (*end == '/') {	/* [ADDR]/PLEN[:PORT] */
			char *c = strchr(end, ':');

			if (c)
				*c++ = '\0';
			port = c;
			memmove(a + strlen(a), end, strlen(end) + 1);
		} else if (*end == ':') {
			port = end + 1;
		} else if (*end) {
			return fail(p, TT_EXIT_INVALID, "%s: \"%s\" %s", kw, val, bad);
		}
	} else {
		char *c = strchr(buf, ':');

		/* one colon: IPv4 or * with a port; more: an IPv6 address */
		if (c && !strchr(c + 1, ':')) {
			*c = '\0';
			port = c + 1;
		}
	}
	if (port && port_value(port, &x->hport))
		return fail(p, TT_EXIT_INVALID, "%s: \"%s\": \"%s\" is not a port number (0-65535) "
			    "or a TCP service name (/etc/services)", kw, val, port);
	if (!strcmp(a, "*") || (!a[0] && port)) {
		x->pfx.set = true;
		x->pfx.family = 0;
		x->pfx.plen = 0;
		return 0;
	}
	if (tt_parse_prefix(a, &x->pfx))
		return fail(p, TT_EXIT_INVALID, "%s: \"%s\" %s", kw, val, bad);
	return 0;
}

static uint32_t state_mask(struct parser *p, const char *kw, const char *val)
{
	const char *names[NSTATES];
	size_t i;

	for (i = 0; i < NSTATES; i++) {
		if (!strcasecmp(val, states[i].name))
			return states[i].mask;
		names[i] = states[i].name;
	}
	if (!strcasecmp(val, "listen"))
		return ST(10);
	fail(p, TT_EXIT_INVALID, "%s: unknown state \"%s\" (established, syn-sent, syn-recv, "
	     "fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack, listening, "
	     "closing, all, connected, synchronized, bucket, big)", kw, val);
	tt_suggest_print(val, names, NSTATES);
	return 0;
}

static int parse_list(struct parser *p, bool top);

/* The optional = (==, eq) or != (ne, neq) after src, dst, dev, fwmark,
 * cgroup: true for !=. */
static bool eq_or_ne(struct parser *p)
{
	if (is(p, "=", "==") || is(p, "eq", NULL)) {
		p->pos++;
	} else if (is(p, "!=", "ne") || is(p, "neq", NULL)) {
		p->pos++;
		return true;
	}
	return false;
}

/* A not of node i (dev != X, as src != X). */
static int negate(struct parser *p, int i)
{
	int n;

	if (i < 0)
		return -1;
	n = new_node(p, TT_FX_NOT);
	if (n < 0)
		return -1;
	p->f->nodes[n].first = i;
	p->f->nodes[n].depth = 1;
	return n;
}

/* dev, fwmark, cgroup [ = | != ] VALUE: the kernel's conditions (ss(8)). */
static int term_kernel(struct parser *p, const char *kw)
{
	const char *val;
	bool ne;
	int i;

	if (!strcmp(p->cmd, "monitor"))
		return fail(p, TT_EXIT_USAGE, "%s matches sockets, not events", kw);
	ne = eq_or_ne(p);
	val = value(p, kw);
	if (!val)
		return -1;
	if (kw[0] == 'd') {
		uint32_t idx;

		/* a name (resolved in the namespace, tt_filter_resolve) or an index */
		if (!val[0] || strlen(val) >= IFNAMSIZ || strchr(val, '/') ||
		    strpbrk(val, " \t\n:") || !strcmp(val, ".") || !strcmp(val, ".."))
			return fail(p, TT_EXIT_INVALID, "dev: \"%.40s\" is not an interface name "
				    "or index", val);
		i = new_node(p, TT_FX_DEV);
		if (i < 0)
			return -1;
		if (!tt_parse_u32(val, &idx))
			p->f->nodes[i].ifindex = idx;
		else
			p->f->nodes[i].dev = val;
	} else if (kw[0] == 'f') {
		char buf[32], *slash;
		uint32_t mark, mask = 0xffffffffu;

		snprintf(buf, sizeof(buf), "%s", val);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = '\0';
		if (strlen(val) >= sizeof(buf) || tt_parse_u32(buf, &mark) ||
		    (slash && tt_parse_u32(slash, &mask)))
			return fail(p, TT_EXIT_INVALID, "fwmark: \"%.40s\" is not MARK[/MASK] "
				    "(numbers up to 0xffffffff)", val);
		i = new_node(p, TT_FX_MARK);
		if (i < 0)
			return -1;
		p->f->nodes[i].mark = mark;
		p->f->nodes[i].mask = mask;
	} else {
		uint64_t id;
		int e = tt_cgroup_id(val, &id);

		if (e)
			return fail(p, TT_EXIT_INVALID, "cgroup: \"%.80s\": %s", val,
				    e == -ENOMEDIUM ? "no cgroup v2 hierarchy is mounted" :
				    e == -ENOENT ? "no such cgroup (a path under the cgroup2 "
				    "mount, as ss --cgroup prints it)" : strerror(-e));
		i = new_node(p, TT_FX_CGROUP);
		if (i < 0)
			return -1;
		p->f->nodes[i].cgroup = id;
	}
	return ne ? negate(p, i) : i;
}

static int term(struct parser *p)
{
	const char *kw = peek(p), *val;
	int i, port = 0;

	if (++p->terms > TT_FILTER_MAX_TERMS)
		return fail(p, TT_EXIT_INVALID, "the filter has more than %d terms", TT_FILTER_MAX_TERMS);
	p->pos++;
	if (!strcmp(kw, "sport") || !strcmp(kw, "dport")) {
		/* ss's words for them (ssfilter.y): also neq, leq, geq */
		static const char *const ops[][3] = {
			[TT_CMP_EQ] = { "=", "==", "eq" }, [TT_CMP_NE] = { "!=", "ne", "neq" },
			[TT_CMP_LT] = { "<", "lt", "lt" }, [TT_CMP_GT] = { ">", "gt", "gt" },
			[TT_CMP_LE] = { "<=", "le", "leq" }, [TT_CMP_GE] = { ">=", "ge", "geq" },
		};
		int cmp = TT_CMP_EQ, k;

		for (k = 0; k < (int)(sizeof(ops) / sizeof(ops[0])); k++)
			if (is(p, ops[k][0], ops[k][1]) || is(p, ops[k][2], NULL)) {
				cmp = k;
				p->pos++;
				break;
			}
		val = value(p, kw);
		if (!val || parse_port(p, kw, val, &port))
			return -1;
		i = new_node(p, kw[0] == 's' ? TT_FX_SPORT : TT_FX_DPORT);
		if (i < 0)
			return -1;
		p->f->nodes[i].cmp = (uint8_t)cmp;
		p->f->nodes[i].port = port;
		return i;
	}
	if (!strcmp(kw, "src") || !strcmp(kw, "dst")) {
		bool ne = eq_or_ne(p);

		val = value(p, kw);
		if (!val)
			return -1;
		i = new_node(p, kw[0] == 's' ? TT_FX_SRC : TT_FX_DST);
		if (i < 0 || parse_host(p, kw, val, &p->f->nodes[i]))
			return -1;
		return ne ? negate(p, i) : i;
	}
	if (!strcmp(kw, "ca-state") || !strcmp(kw, "ca_state")) {
		static const char *const names[] = {
			"Open", "Disorder", "CWR", "Recovery", "Loss",
		};
		int st;

		val = value(p, kw);
		if (!val)
			return -1;
		st = tt_ca_state_parse(val);
		if (st < 0) {
			fail(p, TT_EXIT_INVALID,
			     "ca-state: unknown state \"%s\" (Open, Disorder, CWR, Recovery, Loss)", val);
			tt_suggest_print(val, names, 5);
			return -1;
		}
		i = new_node(p, TT_FX_CA_STATE);
		if (i >= 0)
			p->f->nodes[i].port = st;
		return i;
	}
	if (!strcmp(kw, "sk")) {
		uint64_t cookie;

		val = value(p, kw);
		if (!val)
			return -1;
		if (!strncmp(val, "sk:", 3))
			val += 3;
		if (tt_parse_u64(val, &cookie, 16))
			return fail(p, TT_EXIT_INVALID,
				    "sk: \"%s\" is not a socket cookie (hex, as ss -e prints)", val);
		i = new_node(p, TT_FX_COOKIE);
		if (i >= 0)
			p->f->nodes[i].cookie = cookie;
		return i;
	}
	if (!strcmp(kw, "dev") || !strcmp(kw, "fwmark") || !strcmp(kw, "cgroup"))
		return term_kernel(p, kw);
	if (!strcmp(kw, "autobound")) {
		if (!strcmp(p->cmd, "monitor"))
			return fail(p, TT_EXIT_USAGE, "autobound matches sockets, not events");
		i = new_node(p, TT_FX_AUTO);
		if (i >= 0) {	/* Linux's default; tt_filter_resolve reads the netns's */
			p->f->nodes[i].port = 32768;
			p->f->nodes[i].hport = 60999;
		}
		return i;
	}
	p->pos--;
	p->terms--;
	if (!strcmp(kw, "state") || !strcmp(kw, "exclude") || !strcmp(kw, "algo"))
		return fail(p, TT_EXIT_USAGE, "\"%s\" goes before the expression, outside "
			    "parentheses, or and not (as in ss)", kw);
	if (!strcmp(kw, ")") || !strcmp(kw, "and") || !strcmp(kw, "or") || strchr("=<>!&|", kw[0]) ||
	    !strcmp(kw, "eq") || !strcmp(kw, "ne") || !strcmp(kw, "neq") || !strcmp(kw, "leq") ||
	    !strcmp(kw, "geq"))
		return fail(p, TT_EXIT_USAGE, "a term is expected before \"%s\"", kw);
	{
		size_t n;
		const char *const *kws = tt_filter_keywords(&n);

		snprintf(p->f->bad, sizeof(p->f->bad), "%s", kw);
		fail(p, TT_EXIT_USAGE, "unknown argument \"%s\"", kw);
		tt_suggest_print(kw, kws, n);
		tt_note("see `tcptune %s help`", p->cmd);
	}
	return -1;
}

static int unary(struct parser *p)
{
	int i, c;

	if (!peek(p))
		return fail(p, TT_EXIT_USAGE, "a term is expected at the end of the filter");
	if (is(p, "not", "!") || is(p, "(", NULL)) {
		bool paren = is(p, "(", NULL);

		if (++p->depth > TT_FILTER_MAX_DEPTH)
			return fail(p, TT_EXIT_INVALID, "the filter nests deeper than %d (parentheses and not)",
				    TT_FILTER_MAX_DEPTH);
		p->pos++;
		c = paren ? parse_list(p, false) : unary(p);
		if (c < 0)
			return -1;
		if (paren) {
			if (!is(p, ")", NULL))
				return fail(p, TT_EXIT_USAGE, "\"(\" without \")\"%s%s%s",
					    peek(p) ? " (at \"" : "", peek(p) ? peek(p) : "",
					    peek(p) ? "\")" : "");
			p->pos++;
			i = c;
		} else {
			i = new_node(p, TT_FX_NOT);
			if (i < 0)
				return -1;
			p->f->nodes[i].first = c;
			p->f->nodes[i].depth = p->f->nodes[c].depth + 1;
		}
		p->depth--;
		return i;
	}
	return term(p);
}

/* left op c (op TT_FX_AND or TT_FX_OR): c joins left if left is one. */
static int join(struct parser *p, int kind, int left, int c)
{
	struct tt_fx *v;
	int i, d;

	if (p->f->nodes[left].kind == kind) {
		v = p->f->nodes;
		/* the bound holds here too: a and b and ( ...64 levels... ) */
		if (v[c].depth + 1 > TT_FILTER_MAX_DEPTH)
			return fail(p, TT_EXIT_INVALID, "the filter nests deeper than %d "
				    "(parentheses, not, and and/or in turn)", TT_FILTER_MAX_DEPTH);
		v[v[left].last].next = c;
		v[left].last = c;
		if (v[c].depth + 1 > v[left].depth)
			v[left].depth = v[c].depth + 1;
		return left;
	}
	i = new_node(p, kind);
	if (i < 0)
		return -1;
	v = p->f->nodes;
	d = (v[left].depth > v[c].depth ? v[left].depth : v[c].depth) + 1;
	if (d > TT_FILTER_MAX_DEPTH)
		return fail(p, TT_EXIT_INVALID, "the filter nests deeper than %d "
			    "(parentheses, not, and and/or in turn)", TT_FILTER_MAX_DEPTH);
	v[i].first = left;
	v[i].last = c;
	v[left].next = c;
	v[i].depth = d;
	return i;
}

static bool selector(const char *t)
{
	return !strcmp(t, "state") || !strcmp(t, "exclude") || !strcmp(t, "excl") ||
	       !strcmp(t, "algo");
}

/* A selector at the top: state, exclude or algo, for the whole filter. */
static int parse_selector(struct parser *p)
{
	const char *t = peek(p), *val;
	uint32_t m;

	p->pos++;
	val = value(p, t);
	if (!val)
		return -1;
	if (!strcmp(t, "algo")) {
		if (p->f->algo && strcmp(p->f->algo, val))
			return fail(p, TT_EXIT_USAGE, "algo given twice (%s, %s)", p->f->algo, val);
		p->f->algo = val;
		return 0;
	}
	m = state_mask(p, t, val);
	if (!m)
		return -1;
	if (!p->f->states_set)
		p->f->states = t[0] == 's' ? 0 : ST_ALL;
	p->f->states_set = true;
	if (t[0] == 's')
		p->f->states |= m;
	else
		p->f->states &= ~m;
	return 0;
}

/*
 * Terms joined by and (or nothing) and or, as ss reads them: and and or
 * bind alike, left to right (a or b and c is (a or b) and c); not binds
 * to the term after it.  At the top also the selectors, which hold for
 * the whole filter: first, as in ss (state established dport = :1 or
 * dport = :2: both ports, established), or among the terms of a filter
 * without an or (tcptune's old order: dport 1 algo reno); never after an
 * or.  Returns the node, -2 if there is none, -1 after an error.
 */
static int parse_list(struct parser *p, bool top)
{
	int left = -1, c, kind, late = 0;
	bool seen_or = false;

	for (;;) {
		const char *t = peek(p), *opw = NULL;

		if (!t || !strcmp(t, ")"))
			break;
		kind = TT_FX_AND;
		if (!strcmp(t, "or") || !strcmp(t, "||") || !strcmp(t, "|") || !strcmp(t, "and") ||
		    !strcmp(t, "&&") || !strcmp(t, "&")) {
			opw = t;
			if (left < 0)
				return fail(p, TT_EXIT_USAGE, "a term is expected before \"%s\"", t);
			if (t[0] == 'o' || t[0] == '|') {
				kind = TT_FX_OR;
				seen_or = true;
				if (top && late)
					return fail(p, TT_EXIT_USAGE, "state, exclude and algo go before the "
						    "expression, not inside an \"or\" (as in ss)");
			}
			p->pos++;
			t = peek(p);
			if (!t || !strcmp(t, ")"))
				return fail(p, TT_EXIT_USAGE, "a term is expected after \"%s\"", opw);
		}
		if (top && selector(t)) {
			if (seen_or)
				return fail(p, TT_EXIT_USAGE, "state, exclude and algo go before the "
					    "expression, not inside an \"or\" (as in ss)");
			if (parse_selector(p))
				return -1;
			late += left >= 0;
			continue;
		}
		c = unary(p);
		if (c < 0)
			return -1;
		left = left < 0 ? c : join(p, kind, left, c);
		if (left < 0)
			return -1;
	}
	if (left < 0 && !top)
		return fail(p, TT_EXIT_USAGE, "a term is expected%s%s%s",
			    peek(p) ? " before \"" : " at the end", peek(p) ? peek(p) : "",
			    peek(p) ? "\"" : "");
	return left < 0 ? -2 : left;
}

/* The words of argv split into tokens (a word may hold a whole expression,
 * as ss takes it: '( dport = :80 or ! sport < 1024 )'). */
static int lex(struct parser *p, int argc, char **argv)
{
	size_t len = 0, cap = 0, k;
	char *out;
	int i;

	for (i = 0; i < argc; i++)
		len += 2 * strlen(argv[i]) + 2;
	out = malloc(len + 1);
	if (!out)
		return fail(p, TT_EXIT_KERNEL, "out of memory");
	p->f->text = out;
	len = 0;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

		while (*s) {
			size_t n = 0;

			if (*s == ' ' || *s == '\t' || *s == '\n') {
				s++;
				continue;
			}
			if (*s == '(' || *s == ')')
				n = 1;
			else if (*s == '&' || *s == '|')	/* ss: & && | || */
				n = s[1] == s[0] ? 2 : 1;
			else if (strchr("!<>=", *s))
				n = s[1] == '=' ? 2 : 1;
			else
				while (s[n] && !strchr(" \t\n()!<>=&|", s[n]))
					n++;
			if (p->ntok + 1 >= cap) {
				char **v;

				cap = cap ? cap * 2 : 64;
				v = realloc(p->tok, cap * sizeof(*v));
				if (!v)
					return fail(p, TT_EXIT_KERNEL, "out of memory");
				p->tok = v;
			}
			p->tok[p->ntok++] = out + len;
			for (k = 0; k < n; k++)
				out[len++] = s[k];
			out[len++] = '\0';
			s += n;
		}
	}
	return 0;
}

int tt_filter_parse_args(struct tt_filter *f, const char *cmd, int argc, char **argv)
{
	struct parser p = { .f = f, .cmd = cmd, .status = 0 };
	int r;

	if (lex(&p, argc, argv)) {
		free(p.tok);
		return p.status;
	}
	r = p.ntok ? parse_list(&p, true) : -2;
	if (r >= 0 || r == -2) {
		if (peek(&p)) {
			r = -1;
			if (is(&p, ")", NULL))
				fail(&p, TT_EXIT_USAGE, "\")\" without \"(\"");
			else
				fail(&p, TT_EXIT_USAGE, "unexpected \"%s\"", peek(&p));
		}
	}
	free(p.tok);
	if (r == -1)
		return p.status ? p.status : TT_EXIT_USAGE;
	f->root = r >= 0 ? r : -1;
	return 0;
}

/* ---- the evaluator ------------------------------------------------------- */

/* ss's and the kernel's test of a host condition (inet_diag_bc_run). */
static bool host_match(const struct tt_fx *x, int family, const uint8_t *a, int port)
{
	const struct tt_prefix *p = &x->pfx;
	int full, rest, plen = p->plen;

	if (x->hport >= 0 && x->hport != port)
		return false;
	if (p->family && p->family != family) {
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

		/* an IPv4 prefix matches IPv4-mapped IPv6 addresses */
		if (family != AF_INET6 || p->family != AF_INET || memcmp(a, mapped, 12))
			return false;
		a += 12;
	}
	if (!p->family || !plen)
		return true;
	full = plen / 8;
	rest = plen % 8;
	if (memcmp(p->addr, a, (size_t)full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((p->addr[full] & mask) != (a[full] & mask))
			return false;
	}
	return true;
}

static bool cmp(int cmp, int v, int want)
{
	switch (cmp) {
	case TT_CMP_EQ: return v == want;
	case TT_CMP_NE: return v != want;
	case TT_CMP_LT: return v < want;
	case TT_CMP_GT: return v > want;
	case TT_CMP_LE: return v <= want;
	default: return v >= want;
	}
}

static bool eval(const struct tt_filter *f, int i, const struct tt_sock *s)
{
	const struct tt_fx *x = &f->nodes[i];
	int c;

	switch (x->kind) {
	case TT_FX_AND:
		for (c = x->first; c >= 0; c = f->nodes[c].next)
			if (!eval(f, c, s))
				return false;
		return true;
	case TT_FX_OR:
		for (c = x->first; c >= 0; c = f->nodes[c].next)
			if (eval(f, c, s))
				return true;
		return false;
	case TT_FX_NOT:
		return !eval(f, x->first, s);
	case TT_FX_SPORT:
		return cmp(x->cmp, (int)s->v[TCPTUNE_SOCK_A_SPORT], x->port);
	case TT_FX_DPORT:
		return cmp(x->cmp, (int)s->v[TCPTUNE_SOCK_A_DPORT], x->port);
	case TT_FX_SRC:
		return host_match(x, s->family, s->saddr, (int)s->v[TCPTUNE_SOCK_A_SPORT]);
	case TT_FX_DST:
		return host_match(x, s->family, s->daddr, (int)s->v[TCPTUNE_SOCK_A_DPORT]);
	case TT_FX_CA_STATE:
		return tt_has(s, TCPTUNE_SOCK_A_CA_STATE) &&
		       (int)s->v[TCPTUNE_SOCK_A_CA_STATE] == x->port;
	case TT_FX_COOKIE:
		return s->v[TCPTUNE_SOCK_A_COOKIE] == x->cookie;
	/* as inet_diag_bc_run() tests them, on sock_diag's view */
	case TT_FX_DEV:
		return (s->xhave & TT_X_IFINDEX) && s->ifindex == x->ifindex;
	case TT_FX_MARK:
		return (s->xhave & TT_X_MARK) && (s->mark & x->mask) == x->mark;
	case TT_FX_CGROUP:
		return (s->xhave & TT_X_CGROUP) && s->cgroup_id == x->cgroup;
	case TT_FX_AUTO:	/* and the port in the ephemeral range, as ss */
		return (s->xhave & TT_X_AUTOBOUND) && s->autobound &&
		       (int)s->v[TCPTUNE_SOCK_A_SPORT] >= x->port &&
		       (int)s->v[TCPTUNE_SOCK_A_SPORT] <= x->hport;
	}
	return false;
}

bool tt_filter_exact(const struct tt_filter *f)
{
	int i;

	for (i = 0; i < f->n && f->root >= 0; i++)
		if (f->nodes[i].kind == TT_FX_CA_STATE || f->nodes[i].kind == TT_FX_COOKIE)
			return false;
	return true;
}

bool tt_filter_match(const struct tt_filter *f, const struct tt_sock *s)
{
	return tt_filter_match_outer(f, s) && (f->root < 0 || eval(f, f->root, s));
}

bool tt_filter_match_outer(const struct tt_filter *f, const struct tt_sock *s)
{
	if (f->algo && !(f->algo_exact ? !strcasecmp(f->algo, s->algo) :
			 tt_algo_match(f->algo, s->algo)))
		return false;
	if (f->family && s->family != f->family)
		return false;
	if (f->states_set && tt_has(s, TCPTUNE_SOCK_A_STATE)) {
		int st = (int)s->v[TCPTUNE_SOCK_A_STATE];

		if (st == 12)	/* TCP_NEW_SYN_RECV: a request, SYN-RECV to ss */
			st = 3;
		if (st < 0 || st > 11 || !(f->states & ST(st)))
			return false;
	}
	return true;
}

uint32_t tt_filter_states(const struct tt_filter *f, uint32_t dflt)
{
	return f->states_set ? f->states : dflt;
}

/* ---- the bytecode -------------------------------------------------------- */

/*
 * inet_diag_bc_run() walks the ops: a test that holds goes on by the op's
 * length (yes), one that fails jumps by no; the socket is dumped if the
 * walk ends exactly at the end of the program.  Each node compiles to code
 * that falls through when it holds and jumps to its false label when not:
 *   a and b   a(F) b(F)
 *   a or b    a(L) JMP end; L: b(F); end:
 *   not a     a(L) JMP F; L:
 * The false label of the whole is the end + 4 (reject), as the kernel's
 * audit allows.  A term the kernel cannot test (ca-state, sk) lets every
 * socket through: nothing where it must hold (pos), JMP F under a not.
 * dev: DEV_COND + u32 ifindex; fwmark: MARK_COND + inet_diag_markcond
 * (the kernel takes it from CAP_NET_ADMIN only: EPERM); cgroup:
 * CGROUP_COND + u64 id; autobound: AUTO and the local port within
 * net.ipv4.ip_local_port_range (S_GE, S_LE): ss matches AUTO in the kernel
 * and the range in userspace, here both are the kernel's (and under a not
 * the result is the complement, which ss's two steps do not give).
 */
struct bc {
	uint8_t *buf;		/* NULL: sizes only */
	size_t len, cap;
};

static void bc_op(struct bc *b, int code, int yes, size_t target)
{
	if (b->buf && b->len + 4 <= b->cap) {
		struct inet_diag_bc_op op = {
			.code = (unsigned char)code, .yes = (unsigned char)yes,
			.no = (unsigned short)(target - b->len),
		};

		memcpy(b->buf + b->len, &op, sizeof(op));
	}
	b->len += 4;
}

static void bc_raw(struct bc *b, const void *d, size_t n)
{
	if (b->buf && b->len + n <= b->cap)
		memcpy(b->buf + b->len, d, n);
	b->len += n;
}

static size_t bc_size(const struct tt_filter *f, int i, bool pos);

static void bc_port(struct bc *b, int code, int port, size_t fl)
{
	struct inet_diag_bc_op v = { .no = (unsigned short)port };

	bc_op(b, code, 8, fl);
	bc_raw(b, &v, sizeof(v));
}

static void bc_emit(const struct tt_filter *f, int i, size_t fl, bool pos, struct bc *b)
{
	const struct tt_fx *x = &f->nodes[i];
	bool src = x->kind == TT_FX_SPORT || x->kind == TT_FX_SRC;
	size_t end;
	int c;

	switch (x->kind) {
	case TT_FX_AND:
		for (c = x->first; c >= 0; c = f->nodes[c].next)
			bc_emit(f, c, fl, pos, b);
		return;
	case TT_FX_OR:
		/* sizing (no buffer) needs no label: linear in the nodes */
		end = b->buf ? b->len + bc_size(f, i, pos) : 0;
		for (c = x->first; c >= 0; c = f->nodes[c].next) {
			if (f->nodes[c].next < 0) {
				bc_emit(f, c, fl, pos, b);
				break;
			}
			/* its false label: after it and the jump to the end */
			bc_emit(f, c, b->buf ? b->len + bc_size(f, c, pos) + 4 : 0, pos, b);
			bc_op(b, INET_DIAG_BC_JMP, 4, end);
		}
		return;
	case TT_FX_NOT:
		end = b->buf ? b->len + bc_size(f, i, pos) : 0;
		bc_emit(f, x->first, end, !pos, b);
		bc_op(b, INET_DIAG_BC_JMP, 4, fl);
		return;
	case TT_FX_SPORT:
	case TT_FX_DPORT: {
		int eq = src ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
		int ge = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
		int le = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;

		switch (x->cmp) {
		case TT_CMP_EQ:
			bc_port(b, eq, x->port, fl);
			return;
		case TT_CMP_NE:		/* <= p-1 or >= p+1 */
			if (x->port == 0) {
				bc_port(b, ge, 1, fl);
			} else if (x->port == 65535) {
				bc_port(b, le, 65534, fl);
			} else {
				bc_port(b, le, x->port - 1, b->len + 12);
				bc_op(b, INET_DIAG_BC_JMP, 4, b->len + 12);
				bc_port(b, ge, x->port + 1, fl);
			}
			return;
		case TT_CMP_LE:
			bc_port(b, le, x->port, fl);
			return;
		case TT_CMP_GE:
			bc_port(b, ge, x->port, fl);
			return;
		case TT_CMP_LT:
			if (x->port == 0)
				bc_op(b, INET_DIAG_BC_JMP, 4, fl);	/* never */
			else
				bc_port(b, le, x->port - 1, fl);
			return;
		default:
			if (x->port == 65535)
				bc_op(b, INET_DIAG_BC_JMP, 4, fl);
			else
				bc_port(b, ge, x->port + 1, fl);
			return;
		}
	}
	case TT_FX_SRC:
	case TT_FX_DST: {
		struct inet_diag_hostcond hc = {
			.family = (uint8_t)x->pfx.family,
			.prefix_len = (uint8_t)(x->pfx.family ? x->pfx.plen : 0),
			.port = x->hport,
		};
		size_t alen = x->pfx.family == AF_INET6 ? 16 : x->pfx.family ? 4 : 0;

		bc_op(b, src ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND,
		      (int)(4 + sizeof(hc) + alen), fl);
		bc_raw(b, &hc, sizeof(hc));
		bc_raw(b, x->pfx.addr, alen);
		return;
	}
	case TT_FX_DEV: {
		uint32_t idx = x->ifindex;

		bc_op(b, INET_DIAG_BC_DEV_COND, 8, fl);
		bc_raw(b, &idx, sizeof(idx));
		return;
	}
	case TT_FX_MARK: {
		struct inet_diag_markcond mc = { .mark = x->mark, .mask = x->mask };

		bc_op(b, INET_DIAG_BC_MARK_COND, (int)(4 + sizeof(mc)), fl);
		bc_raw(b, &mc, sizeof(mc));
		return;
	}
	case TT_FX_CGROUP: {
		uint64_t id = x->cgroup;

		bc_op(b, INET_DIAG_BC_CGROUP_COND, (int)(4 + sizeof(id)), fl);
		bc_raw(b, &id, sizeof(id));
		return;
	}
	case TT_FX_AUTO:	/* AUTO, sport >= low, sport <= high */
		bc_op(b, INET_DIAG_BC_AUTO, 4, fl);
		bc_port(b, INET_DIAG_BC_S_GE, x->port, fl);
		bc_port(b, INET_DIAG_BC_S_LE, x->hport, fl);
		return;
	default:	/* not the kernel's to test: let it through */
		if (!pos)
			bc_op(b, INET_DIAG_BC_JMP, 4, fl);
		return;
	}
}

static size_t bc_size(const struct tt_filter *f, int i, bool pos)
{
	struct bc b = { NULL, 0, 0 };

	bc_emit(f, i, 0, pos, &b);
	return b.len;
}

ssize_t tt_filter_bytecode(const struct tt_filter *f, void *buf, size_t cap)
{
	struct bc b = { NULL, 0, 0 };

	if (f->root < 0)
		return 0;
	bc_emit(f, f->root, 0, true, &b);
	if (b.len > TT_FILTER_MAX_BYTECODE)
		return -1;
	if (!buf)
		return (ssize_t)b.len;
	if (b.len > cap)
		return -1;
	b.buf = buf;
	b.cap = cap;
	b.len = 0;
	bc_emit(f, f->root, bc_size(f, f->root, true) + 4, true, &b);
	return (ssize_t)b.len;
}

/* ---- what the expression needs beyond the dumps ------------------------- */

unsigned int tt_filter_needs(const struct tt_filter *f)
{
	unsigned int need = 0;
	int i;

	for (i = 0; i < f->n && f->root >= 0; i++) {
		switch (f->nodes[i].kind) {
		case TT_FX_MARK:
			need |= TT_NEED_MARK;
			/* fall through */
		case TT_FX_DEV:
			need |= TT_NEED_INFO;
			break;
		case TT_FX_CGROUP:
			need |= TT_NEED_INFO | TT_NEED_CGROUP;
			break;
		case TT_FX_AUTO:
			need |= TT_NEED_AUTO;
			break;
		}
	}
	return need;
}

/*
 * Device names as ss reads them: the interface of that name in the
 * namespace, else the number (dev = 3).  Resolved after entering -n's
 * namespace, into the nodes (the filter's expression is fixed, its values
 * are found here).
 */
int tt_filter_resolve(struct tt_ctx *ctx, const struct tt_filter *f)
{
	int i, r;

	for (i = 0; i < f->n; i++) {
		struct tt_fx *x = &f->nodes[i];

		if (x->kind == TT_FX_AUTO) {
			char buf[64];
			int lo, hi;

			r = tt_enter_netns(ctx);
			if (r)
				return r;
			if (!tt_read_sysctl("/proc/sys/net/ipv4/ip_local_port_range", buf, sizeof(buf)) &&
			    sscanf(buf, "%d %d", &lo, &hi) == 2 && lo >= 0 && lo <= hi && hi <= 65535) {
				x->port = lo;
				x->hport = hi;
			}
			continue;
		}
		if (x->kind != TT_FX_DEV || !x->dev)
			continue;
		r = tt_enter_netns(ctx);
		if (r)
			return r;
		x->ifindex = if_nametoindex(x->dev);
		if (!x->ifindex) {
			tt_err("dev: no interface \"%s\" in this network namespace", x->dev);
			tt_note("see `ip%s%s link`", ctx->netns ? " -n " : "",
				ctx->netns ? ctx->netns : "");
			return TT_EXIT_INVALID;
		}
	}
	return 0;
}

/* The cgroup2 mount point (the first in /proc/self/mounts) into buf. */
static int cgroup2_mount(char *buf, size_t len)
{
	char line[4096], dev[256], mnt[2048], type[64];
	FILE *m = fopen("/proc/self/mounts", "r");
	int r = -ENOMEDIUM;

	if (!m)
		return -errno;
	while (fgets(line, sizeof(line), m)) {
		if (sscanf(line, "%255s %2047s %63s", dev, mnt, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", mnt);
			r = 0;
			break;
		}
	}
	fclose(m);
	return r;
}

/*
 * A cgroup v2 id is the kernfs node id, the file handle of its directory
 * (as ss reads it): PATH relative to the cgroup2 mount, "/" its root.
 */
int tt_cgroup_id(const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	char mnt[2048], full[4096];
	int mnt_id, r;

	if (strlen(path) > 2048 || strstr(path, ".."))
		return -EINVAL;
	r = cgroup2_mount(mnt, sizeof(mnt));
	if (r)
		return r;
	while (*path == '/')
		path++;
	snprintf(full, sizeof(full), "%s/%s", mnt, path);
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.id);
	if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mnt_id, 0) < 0)
		return -errno;
	if (h.fh.handle_bytes != sizeof(uint64_t))
		return -EPROTO;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}
