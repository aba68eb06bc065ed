// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune metrics [-a] [-o FILE]: the module's per-algorithm counters
 * (TCPTUNE_CMD_ALGO_GET), the sockets per algorithm and CA state (the
 * sockets dump; -a: every TCP socket through sock_diag) and the knob values
 * (TCPTUNE_CMD_KNOB_GET) in the Prometheus text exposition format, for
 * node_exporter's textfile collector.  -o writes FILE atomically: a
 * temporary file in the same directory, renamed over it, as the collector
 * needs (it may read at any time).
 *
 * Names follow Prometheus' conventions: tcptune_ prefix, counters end in
 * _total, base units in the name (a knob in ms is exported in _seconds, a
 * percentage as a _ratio).
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tcptune.h"

char *tt_prom_escape(const char *in, char *buf, size_t len)
{
	size_t o = 0;

	for (; *in && o + 3 < len; in++) {
		if (*in == '\\' || *in == '"') {
			buf[o++] = '\\';
			buf[o++] = *in;
		} else if (*in == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *in;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* HELP text: backslash and newline escaped. */
static void help_text(FILE *f, const char *name, const char *text)
{
	fprintf(f, "# HELP %s ", name);
	for (; *text; text++) {
		if (*text == '\\')
			fputs("\\\\", f);
		else if (*text == '\n')
			fputs("\\n", f);
		else
			fputc(*text, f);
	}
	fputc('\n', f);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	help_text(f, name, help);
	fprintf(f, "# TYPE %s %s\n", name, type);
}

static const struct {
	int attr;
	const char *name, *help;
} counters[] = {
	{ TCPTUNE_ALGO_A_RECOVERIES, "tcptune_recoveries_total",
	  "Fast recoveries entered, since the module was loaded or the network namespace created." },
	{ TCPTUNE_ALGO_A_RTOS, "tcptune_retransmission_timeouts_total",
	  "Retransmission timeouts, since the module was loaded or the network namespace created." },
	{ TCPTUNE_ALGO_A_UNDOS, "tcptune_undos_total",
	  "Spurious window reductions undone, since the module was loaded or the network namespace created." },
	{ TCPTUNE_ALGO_A_PROBE_RTTS, "tcptune_probe_rtt_entries_total",
	  "ProbeRTT states entered (bbr), since the module was loaded or the network namespace created." },
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

/* A knob's unit as Prometheus wants it: the suffix and the factor to it. */
static void knob_unit(const struct tt_knob *k, char *name, size_t len, double *scale)
{
	char base[64], *p;
	const char *suffix = "";

	snprintf(base, sizeof(base), "%s", k->name);
	*scale = 1;
	if (!strcmp(k->unit, "ms") || !strcmp(k->unit, "us")) {
		size_t n = strlen(base);

		*scale = k->unit[0] == 'm' ? 1e-3 : 1e-6;
		suffix = "_seconds";
		/* probe_rtt_interval_ms -> probe_rtt_interval_seconds */
		if (n > 3 && !strcmp(base + n - 3, k->unit[0] == 'm' ? "_ms" : "_us"))
			base[n - 3] = '\0';
	} else if (!strcmp(k->unit, "percent")) {
		*scale = 1e-2;
		suffix = "_ratio";
	} else if (!strcmp(k->unit, "bytes")) {
		suffix = "_bytes";
	} else if (!strcmp(k->unit, "segments")) {
		suffix = "_segments";
	} else if (!strcmp(k->unit, "packets")) {
		suffix = "_packets";
	} else if (!strcmp(k->unit, "rounds")) {
		suffix = "_rounds";
	}
	for (p = base; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	snprintf(name, len, "tcptune_knob_%s%s", base, suffix);
}

struct knob_row {
	char name[128];
	const struct tt_knob *k;
	double scale;
};

static int knob_row_cmp(const void *a, const void *b)
{
	const struct knob_row *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->k->algo, y->k->algo);
}

/* Algorithm names: those of al, then any other the sockets use. */
static const char **algo_names(const struct tt_algolist *al, const struct tt_socklist *l,
			       size_t *n)
{
	const char **v = malloc(((al ? al->n : 0) + l->n + 1) * sizeof(*v));
	size_t i, j;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; al && i < al->n; i++)
		v[(*n)++] = al->v[i].name;
	for (i = 0; i < l->n; i++) {
		const char *a = l->v[i].algo[0] ? l->v[i].algo : "unknown";

		for (j = 0; j < *n; j++)
			if (!strcmp(v[j], a))
				break;
		if (j == *n)
			v[(*n)++] = a;
	}
	return v;
}

int tt_metrics_write(FILE *f, const struct tt_algolist *al, const struct tt_socklist *l,
		     const struct tt_knobdb *db)
{
	char esc[256], esc2[256];
	const char **names;
	size_t i, j, n;
	int st;

	/* sockets per algorithm and CA state: every state, zeros too */
	names = algo_names(al, l, &n);
	if (!names)
		return -1;
	family(f, "tcptune_sockets", "gauge",
	       "TCP sockets by congestion control algorithm and congestion-avoidance state "
	       "(tcpi_ca_state), as tcptune sockets lists them.");
	for (i = 0; i < n; i++) {
		for (st = TCPTUNE_CA_OPEN; st <= TCPTUNE_CA_LOSS; st++) {
			unsigned long long c = 0;

			for (j = 0; j < l->n; j++) {
				const char *a = l->v[j].algo[0] ? l->v[j].algo : "unknown";

				if (!strcmp(a, names[i]) && tt_has(&l->v[j], TCPTUNE_SOCK_A_CA_STATE) &&
				    (int)l->v[j].v[TCPTUNE_SOCK_A_CA_STATE] == st)
					c++;
			}
			fprintf(f, "tcptune_sockets{algo=\"%s\",ca_state=\"%s\"} %llu\n",
				tt_prom_escape(names[i], esc, sizeof(esc)), tt_ca_state_name(st), c);
		}
	}
	free(names);

	if (al && al->n) {
		family(f, "tcptune_algo_sockets", "gauge",
		       "User sockets using the algorithm, as the module counts them.");
		for (i = 0; i < al->n; i++)
			if (al->v[i].have & (1ULL << TCPTUNE_ALGO_A_SOCKETS))
				fprintf(f, "tcptune_algo_sockets{algo=\"%s\"} %llu\n",
					tt_prom_escape(al->v[i].name, esc, sizeof(esc)),
					(unsigned long long)al->v[i].v[TCPTUNE_ALGO_A_SOCKETS]);
		for (j = 0; j < NCOUNTERS; j++) {
			family(f, counters[j].name, "counter", counters[j].help);
			for (i = 0; i < al->n; i++)
				if (al->v[i].have & (1ULL << counters[j].attr))
					fprintf(f, "%s{algo=\"%s\"} %llu\n", counters[j].name,
						tt_prom_escape(al->v[i].name, esc, sizeof(esc)),
						(unsigned long long)al->v[i].v[counters[j].attr]);
		}
	}

	if (db && db->n) {
		struct knob_row *rows = calloc(db->n, sizeof(*rows));

		if (!rows)
			return -1;
		for (i = 0; i < db->n; i++) {
			rows[i].k = &db->v[i];
			knob_unit(&db->v[i], rows[i].name, sizeof(rows[i].name), &rows[i].scale);
		}
		qsort(rows, db->n, sizeof(*rows), knob_row_cmp);
		for (i = 0; i < db->n; i++) {
			const struct tt_knob *k = rows[i].k;

			if (!i || strcmp(rows[i].name, rows[i - 1].name)) {
				char help[512];

				snprintf(help, sizeof(help), "Knob %s (sysctl net.tcptune.ALGO.%s, unit %s%s): %s",
					 k->name, k->name, k->unit,
					 rows[i].scale != 1 ? ", exported in base units" : "",
					 k->doc ? k->doc : "");
				family(f, rows[i].name, "gauge", help);
			}
			fprintf(f, "%s{algo=\"%s\",knob=\"%s\"} %.10g\n", rows[i].name,
				tt_prom_escape(k->algo, esc, sizeof(esc)),
				tt_prom_escape(k->name, esc2, sizeof(esc2)),
				(double)k->value * rows[i].scale);
		}
		free(rows);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* The exposition into path: a temporary file beside it, renamed over it. */
static int write_atomic(const char *path, const struct tt_algolist *al,
			const struct tt_socklist *l, const struct tt_knobdb *db)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;
	int fd = -1, status = TT_EXIT_KERNEL, e;
	FILE *f = NULL;

	if (!dcopy || !bcopy)
		goto out;
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy)) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		tt_err("metrics: -o %s: cannot create a file in its directory: %s", path, strerror(e));
		status = tt_file_exit(e);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* readable by node_exporter's user, as a file made with the umask */
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f)
		goto fail;
	fd = -1;
	if (tt_metrics_write(f, al, l, db) || fflush(f) || fsync(fileno(f)))
		goto fail;
	if (fclose(f)) {
		f = NULL;
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	tmp = NULL;
	status = 0;
	goto out;
fail:
	e = errno;
	tt_err("metrics: -o %s: %s", path, strerror(e));
	status = tt_file_exit(e);
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dcopy);
	free(bcopy);
	return status;
}

int cmd_metrics(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct tt_algolist al = { 0 };
	struct tt_knobdb db = { 0 };
	struct tt_socklist l = { 0 };
	struct tt_filter f;
	const char *out = NULL;
	bool all = false, mod;
	int c, r;

	tt_filter_init(&f);
	while ((c = tt_getopt(ctx, tt_cmd_find("metrics"), argc, argv, "ao:", opts)) != -1) {
		if (c == 'a') {
			all = true;
		} else if (c == 'o') {
			if (!optarg[0]) {
				tt_err("metrics: -o needs a file name");
				return TT_EXIT_USAGE;
			}
			out = optarg;
		} else {
			return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tt_err("metrics: unexpected argument \"%s\" (metrics takes no filter)", argv[optind]);
		return tt_cmd_usage(tt_cmd_find("metrics"), stderr, TT_EXIT_USAGE);
	}
	if (ctx->json) {
		tt_err("metrics: the Prometheus text format only (no -j); JSON: tcptune -j algos, "
		       "knobs, summary");
		return TT_EXIT_USAGE;
	}
	r = tt_select(ctx, "metrics", 0, argv, 0, all, &f, &l);
	tt_filter_free(&f);
	if (r)
		goto done;
	/* without the module (-a): the sockets alone */
	mod = !ctx->no_family;
	if (mod) {
		r = tt_algos_load(ctx, &al);
		if (!r)
			r = tt_knobdb_load(ctx, &db);
		if (r)
			goto done;
	}
	if (out)
		r = write_atomic(out, mod ? &al : NULL, &l, mod ? &db : NULL);
	else if (tt_metrics_write(stdout, mod ? &al : NULL, &l, mod ? &db : NULL))
		r = TT_EXIT_KERNEL;
done:
	free(al.v);
	tt_knobdb_free(&db);
	tt_socklist_free(&l);
	return r;
}
