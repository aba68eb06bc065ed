// SPDX-License-Identifier: GPL-2.0
/*
 * Socket filters shared by sockets, watch and monitor:
 *   algo NAME  src ADDR[/PLEN]  dst ADDR[/PLEN]  sport PORT  dport PORT
 *   ca-state STATE  sk COOKIE
 * The keywords are ss's (src, dst, sport, dport) where ss has one.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "tcptune.h"

const char tt_filter_usage[] =
	"FILTER := [ algo ALGO ] [ src ADDR[/PLEN] ] [ dst ADDR[/PLEN] ]\n"
	"          [ sport PORT ] [ dport PORT ] [ ca-state STATE ] [ sk COOKIE ]\n"
	"ALGO   := reno | newreno | bbr | tcptune_reno | ... (with -a: any, e.g. cubic)\n"
	"STATE  := Open | Disorder | CWR | Recovery | Loss\n"
	"COOKIE := the socket cookie in hex, as `ss -e` prints it after sk:\n";

static const char *const keywords[] = {
	"algo", "src", "dst", "sport", "dport", "ca-state", "sk",
};

void tt_filter_init(struct tt_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->sport = -1;
	f->dport = -1;
	f->ca_state = -1;
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

static int need_value(int argc, char **argv, int i)
{
	if (i + 1 >= argc) {
		tt_err("\"%s\" needs a value", argv[i]);
		return -1;
	}
	return 0;
}

int tt_filter_parse(struct tt_filter *f, int argc, char **argv, int *i,
		    int *status)
{
	const char *kw = argv[*i], *val;
	uint32_t port;
	uint64_t cookie;

	*status = TT_EXIT_USAGE;
	if (!strcmp(kw, "algo") || !strcmp(kw, "src") || !strcmp(kw, "dst") ||
	    !strcmp(kw, "sport") || !strcmp(kw, "dport") ||
	    !strcmp(kw, "ca-state") || !strcmp(kw, "ca_state") || !strcmp(kw, "sk")) {
		if (need_value(argc, argv, *i))
			return -1;
	} else {
		return 0;
	}
	val = argv[++*i];
	*status = TT_EXIT_INVALID;
	if (!strcmp(kw, "algo")) {
		f->algo = val;
	} else if (!strcmp(kw, "src") || !strcmp(kw, "dst")) {
		struct tt_prefix *p = kw[0] == 's' ? &f->src : &f->dst;

		if (tt_parse_prefix(val, p)) {
			tt_err("%s: \"%s\" is not an IPv4 or IPv6 address[/prefix length]", kw, val);
			return -1;
		}
	} else if (!strcmp(kw, "sport") || !strcmp(kw, "dport")) {
		if (val[0] == ':')	/* ss writes ports as :PORT */
			val++;
		if (tt_parse_u32(val, &port) || port > 65535) {
			tt_err("%s: \"%s\" is not a port number (0-65535)", kw, val);
			return -1;
		}
		if (kw[0] == 's')
			f->sport = (int)port;
		else
			f->dport = (int)port;
	} else if (!strcmp(kw, "sk")) {
		if (!strncmp(val, "sk:", 3))
			val += 3;
		if (tt_parse_u64(val, &cookie, 16)) {
			tt_err("sk: \"%s\" is not a socket cookie (hex, as ss -e prints)", val);
			return -1;
		}
		f->cookie_set = true;
		f->cookie = cookie;
	} else {
		static const char *const names[] = {
			"Open", "Disorder", "CWR", "Recovery", "Loss",
		};

		f->ca_state = tt_ca_state_parse(val);
		if (f->ca_state < 0) {
			tt_err("ca-state: unknown state \"%s\" (Open, Disorder, CWR, Recovery, Loss)", val);
			tt_suggest_print(val, names, 5);
			return -1;
		}
	}
	*status = 0;
	return 1;
}

/* Keywords, for the suggestion on an unknown argument. */
const char *const *tt_filter_keywords(size_t *n)
{
	*n = sizeof(keywords) / sizeof(keywords[0]);
	return keywords;
}

static bool prefix_match(const struct tt_prefix *p, int family, const uint8_t *a)
{
	int full, rest;

	if (!p->set)
		return true;
	if (p->family != family)
		return false;
	full = p->plen / 8;
	rest = p->plen % 8;
	if (memcmp(p->addr, a, (size_t)full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((p->addr[full] & mask) != (a[full] & mask))
			return false;
	}
	return true;
}

bool tt_filter_match(const struct tt_filter *f, const struct tt_sock *s)
{
	if (f->algo && !tt_algo_match(f->algo, s->algo))
		return false;
	if (!prefix_match(&f->src, s->family, s->saddr))
		return false;
	if (!prefix_match(&f->dst, s->family, s->daddr))
		return false;
	if (f->sport >= 0 && (int)s->v[TCPTUNE_SOCK_A_SPORT] != f->sport)
		return false;
	if (f->dport >= 0 && (int)s->v[TCPTUNE_SOCK_A_DPORT] != f->dport)
		return false;
	if (f->ca_state >= 0 && (!tt_has(s, TCPTUNE_SOCK_A_CA_STATE) ||
				 (int)s->v[TCPTUNE_SOCK_A_CA_STATE] != f->ca_state))
		return false;
	if (f->cookie_set && s->v[TCPTUNE_SOCK_A_COOKIE] != f->cookie)
		return false;
	return true;
}
