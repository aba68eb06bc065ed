// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune sockets [-a] [-4|-6] [-P] [--cgroup] [--sort FIELD] [--top N] [FILTER]:
 * TCPTUNE_CMD_SOCK_GET (dump) - every socket
 * using one of our algorithms, with its state in `ss -ti` words plus the
 * CA state and the algorithm's model; with -a also every other TCP socket
 * through sock_diag.  The bare `tcptune` runs this.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

int tt_sock_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_socklist *l = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		struct tt_sock *s;

		if (tt_attr_check(a, tt_top_policy, TCPTUNE_A_MAX) != TCPTUNE_A_SOCK)
			continue;
		s = tt_socklist_add(l);
		if (!s) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		tt_sock_from_attr(s, a);
	}
	return MNL_CB_OK;
}

static int cookie_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The module's dump of our sockets into ours.  With a filter whose bytecode
 * fits TCPTUNE_FILTER_BC_MAX the module runs it on each socket and sends
 * only those it matches (*kexact: and that is the whole expression, no
 * term left for here).  0 or TT_EXIT_* (printed).
 */
static int dump_ours(struct tt_ctx *ctx, const struct tt_filter *f, struct tt_socklist *ours,
		     bool *kexact)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + TCPTUNE_FILTER_BC_MAX];
	uint8_t bc[TCPTUNE_FILTER_BC_MAX];
	ssize_t bclen = f->root >= 0 ? tt_filter_bytecode(f, NULL, 0) : 0;
	uint64_t rx0 = ctx->rx_bytes;
	struct nlmsghdr *nlh;
	struct tt_nlerr err;
	int retry;

	if (bclen < 0 || bclen > TCPTUNE_FILTER_BC_MAX ||
	    (bclen > 0 && tt_filter_bytecode(f, bc, sizeof(bc)) != bclen))
		bclen = 0;	/* too long for the module: matched here */
	for (retry = 0; retry < 2; retry++) {
		nlh = tt_genl_msg(ctx, buf, TCPTUNE_CMD_SOCK_GET, NLM_F_DUMP);
		/* the kernel filters by its own name of the algorithm */
		if (f->kalgo[0])
			mnl_attr_put_strz(nlh, TCPTUNE_A_FILTER_ALGO, f->kalgo);
		if (bclen > 0)
			mnl_attr_put(nlh, TCPTUNE_A_FILTER_BC, (size_t)bclen, bc);
		if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(struct genlmsghdr),
			       sizeof(struct genlmsghdr), tt_sock_cb, ours, &err) >= 0)
			break;
		tt_socklist_free(ours);
		if (bclen > 0 && err.error == EPERM) {
			/* the module checks a mark test as sock_diag does */
			tt_err("fwmark: permission denied: the kernel matches socket marks "
			       "for CAP_NET_ADMIN only (as for ss)");
			return TT_EXIT_PERM;
		}
		if (bclen > 0 && err.error == EOPNOTSUPP) {
			tt_err("cgroup: this kernel does not record sockets' cgroups "
			       "(built without CONFIG_SOCK_CGROUP_DATA): it matches "
			       "none, for ss either");
			return TT_EXIT_KERNEL;
		}
		if (!(bclen > 0 && err.error == EINVAL))
			return tt_nlerr_report(&err, "listing the sockets");
		/* a module older than the filter attribute: match here */
		if (ctx->debug)
			fprintf(stderr, "--- tcptune dump: the module refused the filter (%s%s%s): "
				"matched here\n", strerror(err.error), err.msg[0] ? ": " : "",
				err.msg);
		bclen = 0;
	}
	*kexact = bclen > 0 && tt_filter_exact(f);
	if (ctx->debug)
		fprintf(stderr, "--- tcptune dump: %llu bytes received, %zu sockets, "
			"bytecode %zd bytes%s\n", (unsigned long long)(ctx->rx_bytes - rx0),
			ours->n, bclen, *kexact ? " (the whole filter, in the kernel)" : "");
	return 0;
}

/*
 * The sockets of from after those of out, from left empty: its array
 * itself when out has none (20,000 sockets of 800 bytes are not copied,
 * P9).  0 or TT_EXIT_KERNEL (out of memory).
 */
static int socklist_move(struct tt_socklist *out, struct tt_socklist *from)
{
	if (!from->n)
		return 0;
	if (!out->n) {
		tt_socklist_free(out);
		*out = *from;
		memset(from, 0, sizeof(*from));
		return 0;
	}
	if (out->cap - out->n < from->n) {
		struct tt_sock *v = realloc(out->v, (out->n + from->n) * sizeof(*v));

		if (!v)
			return TT_EXIT_KERNEL;
		out->v = v;
		out->cap = out->n + from->n;
	}
	memcpy(out->v + out->n, from->v, from->n * sizeof(*from->v));
	out->n += from->n;
	return 0;
}

/*
 * The sockets of the namespace that match f.  The tcptune dump comes first;
 * with all, sock_diag adds every socket it did not report (same cookie).
 * If the module is missing and all is set, the sock_diag sockets are the
 * whole answer (no socket uses an algorithm that is not loaded): 0.
 */
int tt_collect(struct tt_ctx *ctx, const struct tt_filter *f, bool all,
	       struct tt_socklist *out)
{
	struct tt_socklist ours = { 0 }, other = { 0 }, none = { 0 };
	uint64_t *cookies = NULL;
	bool kexact = false;
	size_t i, n, n_other;
	int status, r;

	status = tt_genl_open(ctx);
	if (status && !(all && status == TT_EXIT_NOMOD))
		return status;
	r = tt_filter_resolve(ctx, f);
	if (r)
		return r;
	/* an algorithm that is not ours (-a algo cubic): no tcptune socket */
	if (!status && !(f->algo_checked && !f->kalgo[0])) {
		r = dump_ours(ctx, f, &ours, &kexact);
		if (r)
			return r;
	}
	if (all) {
		r = tt_diag_dump(ctx, f, &other);

		if (r) {
			tt_socklist_free(&ours);
			tt_socklist_free(&other);
			return r;
		}
		/* what the kernel matched needs no sock_diag view here */
		r = tt_diag_xinfo(ctx, f, kexact && !f->want_sent ? &none : &ours, &other);
		if (r) {
			tt_socklist_free(&ours);
			tt_socklist_free(&other);
			return r;
		}
		cookies = malloc((ours.n + 1) * sizeof(*cookies));
		if (!cookies) {
			tt_socklist_free(&ours);
			tt_socklist_free(&other);
			return TT_EXIT_KERNEL;
		}
		for (i = 0; i < ours.n; i++)
			cookies[i] = ours.v[i].v[TCPTUNE_SOCK_A_COOKIE];
		qsort(cookies, ours.n, sizeof(*cookies), cookie_cmp);
	} else {
		r = tt_diag_xinfo(ctx, f, kexact && !f->want_sent ? &none : &ours, NULL);
		if (r) {
			tt_socklist_free(&ours);
			return r;
		}
	}
	/* the matching sockets, moved down in place: no copy of the rest */
	for (i = 0, n = 0; i < ours.n; i++) {
		if (kexact ? !tt_filter_match_outer(f, &ours.v[i]) : !tt_filter_match(f, &ours.v[i]))
			continue;
		if (n != i)
			ours.v[n] = ours.v[i];
		n++;
	}
	for (i = 0, n_other = 0; i < other.n; i++) {
		uint64_t c = other.v[i].v[TCPTUNE_SOCK_A_COOKIE];

		if (ours.n && bsearch(&c, cookies, ours.n, sizeof(c), cookie_cmp))
			continue;
		if (!tt_filter_match(f, &other.v[i]))
			continue;
		if (n_other != i)
			other.v[n_other] = other.v[i];
		n_other++;
	}
	free(cookies);
	ours.n = n;
	other.n = n_other;
	r = socklist_move(out, &ours);
	if (!r)
		r = socklist_move(out, &other);
	tt_socklist_free(&ours);
	tt_socklist_free(&other);
	return r;
}

int cmd_sockets(struct tt_ctx *ctx, int argc, char **argv)
{
	struct tt_socklist l = { 0 };
	struct tt_filter f;
	bool all = false, procs = false, cgroups = false;
	struct tt_owners owners = { 0 };
	struct tt_cgroups cgs = { 0 };
	const struct tt_sort_field *sort_by = NULL;
	long top = -1;
	size_t i;
	int r, status, first;

	enum { OPT_SORT = 256, OPT_TOP, OPT_CGROUP };
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "processes", no_argument, NULL, 'P' },
		{ "cgroup", no_argument, NULL, OPT_CGROUP },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	tt_filter_init(&f);
	while ((c = tt_getopt(ctx, tt_cmd_find("sockets"), argc, argv, "a46P", opts)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'P':
			procs = true;
			break;
		case OPT_CGROUP:
			cgroups = true;
			break;
		case '4':
		case '6':
			if (f.family && f.family != (c == '4' ? AF_INET : AF_INET6)) {
				tt_err("sockets: -4 and -6 exclude each other (neither: both)");
				return TT_EXIT_USAGE;
			}
			f.family = c == '4' ? AF_INET : AF_INET6;
			break;
		case OPT_SORT:
			sort_by = tt_sort_find("sockets", optarg);
			if (!sort_by)
				return TT_EXIT_INVALID;
			break;
		case OPT_TOP:
			if (tt_parse_top("sockets", optarg, &top))
				return TT_EXIT_INVALID;
			break;
		default:
			return TT_EXIT_USAGE;
		}
	}
	first = optind;
	if (first < argc && (!strcmp(argv[first], "show") || !strcmp(argv[first], "list")))
		first++;
	r = tt_filter_parse_args(&f, "sockets", argc - first, argv + first);
	if (r) {
		tt_filter_free(&f);
		return r;
	}
	if (all) {
		/* with -a the module is optional: sock_diag alone still works */
		ctx->family_optional = true;
		status = tt_genl_open(ctx);
		if (status && status != TT_EXIT_NOMOD) {
			tt_filter_free(&f);
			return status;
		}
	}
	if (f.algo) {
		r = tt_algo_check(ctx, &f, all);
		if (r) {
			tt_filter_free(&f);
			return r;
		}
	}
	status = tt_collect(ctx, &f, all, &l);
	tt_filter_free(&f);
	if (status)
		return status;
	tt_sort_apply(&l, sort_by, top);
	/* ss -p, ss --cgroup: after the dump, as ss reads /proc after it */
	if (procs) {
		if (tt_owners_scan(&owners, NULL))
			tt_note("-P: cannot read /proc: %s", strerror(errno));
		tt_owners_attach(&owners, &l);
	}
	if (cgroups) {
		tt_cgroups_scan(&cgs, NULL);	/* none mounted: every one unreachable, as ss */
		tt_cgroups_attach(&cgs, &l);
	}

	if (ctx->json && ctx->pretty) {
		json_object *arr = json_object_new_array();

		for (i = 0; i < l.n; i++)
			json_object_array_add(arr, tt_sock_json(&l.v[i]));
		tt_json_print(ctx, arr);
		json_object_put(arr);
	} else {
		/*
		 * Written as it is made, through one buffer: the same bytes
		 * as json-c prints (or fprintf would), at a fraction of the
		 * time with 20,000 sockets (P9).
		 */
		struct tt_out *o = malloc(sizeof(*o));

		if (!o) {
			status = TT_EXIT_KERNEL;
		} else if (ctx->json) {
			struct tt_jw w;

			tt_out_init(o, stdout);
			tt_jw_text(&w, o);
			tt_jw_arr(&w, NULL);
			for (i = 0; i < l.n; i++)
				tt_sock_jw(&l.v[i], &w);
			tt_jw_arr_end(&w);
			tt_out_c(o, '\n');
		} else {
			tt_out_init(o, stdout);
			tt_sock_header(stdout);
			for (i = 0; i < l.n; i++)
				tt_sock_write(&l.v[i], o);
		}
		if (o)
			tt_out_flush(o);
		free(o);
	}
	tt_socklist_free(&l);
	tt_owners_free(&owners);
	tt_cgroups_free(&cgs);
	return status;
}
