// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune plot [-o FILE] [--png] [sk COOKIE] [--title T] CSV: three stacked
 * time plots from `tcptune watch --csv` samples - window (cwnd solid,
 * ssthresh dashed, segments), RTT (srtt solid, min RTT dotted, ms) and
 * delivery rate (Mbit/s) - one colour per socket.  The SVG is written
 * here, by hand; --png hands the same series to gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tcptune.h"

enum series { S_CWND, S_SSTHRESH, S_SRTT, S_MINRTT, S_RATE, S_NR };

struct point {
	double t;
	double v[S_NR];		/* NAN: no value */
};

struct flow {
	char sk[24];
	char label[160];
	struct point *p;
	size_t n, cap;
};

struct plot {
	struct flow *f;
	size_t n;
	double t0, tmax;
};

static const char *const colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
};
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

static const struct panel {
	const char *title;
	int a, b;		/* series: solid line, dashed line (-1: none) */
	const char *a_name, *b_name;
} panels[] = {
	{ "Window (segments)", S_CWND, S_SSTHRESH, "cwnd", "ssthresh" },
	{ "RTT (ms)", S_SRTT, S_MINRTT, "srtt", "min RTT" },
	{ "Delivery rate (Mbit/s)", S_RATE, -1, "delivery rate", NULL },
};
#define NPANELS (sizeof(panels) / sizeof(panels[0]))

static int col_index(char **hdr, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	return -1;
}

static double cell(char **f, int n, int idx, double scale)
{
	double v;

	if (idx < 0 || idx >= n || !f[idx][0] || tt_parse_double(f[idx], &v))
		return NAN;
	return v * scale;
}

static int read_csv(FILE *in, const char *path, const char *only, struct plot *pl)
{
	static const char *const need[] = { "time", "sk", "cwnd", "ssthresh",
					    "srtt_us", "minrtt_us", "delivery_rate_bps" };
	char *line = NULL, *hdr_line = NULL, *hdr[64], *fld[64];
	int nh, idx[16], i_algo, i_sa, i_sp, i_da, i_dp, lineno = 1;
	size_t cap = 0, k;
	bool first = true, cut;

	if (getline(&hdr_line, &cap, in) < 0) {
		tt_err("plot: %s: empty file", path);
		free(hdr_line);
		return TT_EXIT_INVALID;
	}
	nh = tt_csv_split(hdr_line, hdr, 64);
	for (k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
		idx[k] = col_index(hdr, nh, need[k]);
		if (idx[k] < 0) {
			tt_err("plot: %s: not samples of `tcptune watch --csv` (no column \"%s\")",
			       path, need[k]);
			free(hdr_line);
			return TT_EXIT_INVALID;
		}
	}
	i_algo = col_index(hdr, nh, "algo");
	i_sa = col_index(hdr, nh, "saddr");
	i_sp = col_index(hdr, nh, "sport");
	i_da = col_index(hdr, nh, "daddr");
	i_dp = col_index(hdr, nh, "dport");

	cap = 0;
	while (getline(&line, &cap, in) >= 0) {
		struct point pt;
		struct flow *fl = NULL;
		double t;
		int n;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		cut = !strchr(line, '\n');
		n = tt_csv_split(line, fld, 64);
		if (cut && (n < nh || tt_parse_double(fld[idx[0]], &t))) {
			/* what a watch killed mid-write leaves: the rest still plots */
			tt_note("plot: %s:%d: the last row is cut short (watch stopped?): left out",
				path, lineno);
			break;
		}
		if (n < nh || tt_parse_double(fld[idx[0]], &t)) {
			tt_err("plot: %s:%d: malformed row", path, lineno);
			free(line);
			free(hdr_line);
			return TT_EXIT_INVALID;
		}
		if (only && strcasecmp(fld[idx[1]], only))
			continue;
		for (k = 0; k < pl->n; k++)
			if (!strcmp(pl->f[k].sk, fld[idx[1]]))
				fl = &pl->f[k];
		if (!fl) {
			struct flow *v = realloc(pl->f, (pl->n + 1) * sizeof(*v));

			if (!v)
				goto nomem;
			pl->f = v;
			fl = &pl->f[pl->n++];
			memset(fl, 0, sizeof(*fl));
			snprintf(fl->sk, sizeof(fl->sk), "%s", fld[idx[1]]);
			if (i_sa >= 0 && i_sp >= 0 && i_da >= 0 && i_dp >= 0) {
				/* IPv6 in brackets, as ss and the socket list write it */
				bool v6s = strchr(fld[i_sa], ':'), v6d = strchr(fld[i_da], ':');

				snprintf(fl->label, sizeof(fl->label), "sk:%s %s %s%s%s:%s -> %s%s%s:%s",
					 fl->sk, i_algo >= 0 ? fld[i_algo] : "",
					 v6s ? "[" : "", fld[i_sa], v6s ? "]" : "", fld[i_sp],
					 v6d ? "[" : "", fld[i_da], v6d ? "]" : "", fld[i_dp]);
			}
			else
				snprintf(fl->label, sizeof(fl->label), "sk:%s", fl->sk);
		}
		if (first || t < pl->t0)
			pl->t0 = t;
		if (first || t > pl->tmax)
			pl->tmax = t;
		first = false;
		pt.t = t;
		pt.v[S_CWND] = cell(fld, n, idx[2], 1);
		pt.v[S_SSTHRESH] = cell(fld, n, idx[3], 1);
		pt.v[S_SRTT] = cell(fld, n, idx[4], 1e-3);
		pt.v[S_MINRTT] = cell(fld, n, idx[5], 1e-3);
		pt.v[S_RATE] = cell(fld, n, idx[6], 1e-6);
		if (fl->n == fl->cap) {
			size_t c = fl->cap ? fl->cap * 2 : 256;
			struct point *p = realloc(fl->p, c * sizeof(*p));

			if (!p)
				goto nomem;
			fl->p = p;
			fl->cap = c;
		}
		fl->p[fl->n++] = pt;
	}
	free(line);
	free(hdr_line);
	if (!pl->n) {
		if (only)
			tt_err("plot: %s: no samples of sk:%s", path, only);
		else
			tt_err("plot: %s: no samples", path);
		return TT_EXIT_INVALID;
	}
	return 0;
nomem:
	free(line);
	free(hdr_line);
	tt_err("plot: out of memory");
	return TT_EXIT_KERNEL;
}

/* A tick step of 1, 2 or 5 times a power of ten giving about n ticks. */
static double nice_step(double range, int n)
{
	double raw = range / n, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

static void xml_text(FILE *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '&': fputs("&amp;", o); break;
		case '"': fputs("&quot;", o); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, o);
		}
	}
}

#define W 960
#define ML 80
#define MR 30
#define PH 220
#define GAP 60
#define TOP 60

static void write_svg(FILE *o, const struct plot *pl, const char *title)
{
	double span = pl->tmax - pl->t0 > 0 ? pl->tmax - pl->t0 : 1;
	int legend_h = 30 + 18 * (int)pl->n, h = TOP + (int)NPANELS * (PH + GAP) + legend_h;
	double xstep = nice_step(span, 8), x;
	size_t pi, fi, i;

	fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
		W, h, W, h);
	fprintf(o, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, h);
	fprintf(o, "<text x=\"%d\" y=\"28\" font-size=\"18\" text-anchor=\"middle\">", W / 2);
	xml_text(o, title);
	fputs("</text>\n", o);

	for (pi = 0; pi < NPANELS; pi++) {
		const struct panel *p = &panels[pi];
		int y0 = TOP + (int)pi * (PH + GAP), pw = W - ML - MR;
		double vmax = 0, ystep, y;

		for (fi = 0; fi < pl->n; fi++) {
			for (i = 0; i < pl->f[fi].n; i++) {
				double a = pl->f[fi].p[i].v[p->a];
				double b = p->b >= 0 ? pl->f[fi].p[i].v[p->b] : NAN;

				if (!isnan(a) && a > vmax)
					vmax = a;
				if (!isnan(b) && b > vmax)
					vmax = b;
			}
		}
		ystep = nice_step(vmax > 0 ? vmax : 1, 5);
		vmax = ceil((vmax > 0 ? vmax : 1) / ystep) * ystep;

		fprintf(o, "<g class=\"panel\">\n<text x=\"%d\" y=\"%d\" font-size=\"14\">", ML, y0 - 8);
		xml_text(o, p->title);
		fprintf(o, "  (solid: ");
		xml_text(o, p->a_name);
		if (p->b_name) {
			fputs(", dashed: ", o);
			xml_text(o, p->b_name);
		}
		fputs(")</text>\n", o);
		fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n",
			ML, y0, pw, PH);
		/* grid and labels */
		for (y = 0; y <= vmax + ystep / 2; y += ystep) {
			double py = y0 + PH - y / vmax * PH;

			fprintf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
				ML, py, ML + pw, py);
			fprintf(o, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
				ML - 6, py + 4, y);
		}
		/* ticks up to the end of the axis, none past it */
		for (x = 0; x <= span * (1 + 1e-9); x += xstep) {
			double px = ML + x / span * pw;

			fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>\n",
				px, y0, px, y0 + PH);
			fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
				px, y0 + PH + 16, x);
		}
		if (pi == NPANELS - 1)
			fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (s)</text>\n",
				ML + pw / 2, y0 + PH + 34);
		/* one path per flow and series, broken where a value is missing */
		for (fi = 0; fi < pl->n; fi++) {
			int s;

			for (s = 0; s < 2; s++) {
				int ser = s ? p->b : p->a;
				bool pen = false, any = false;

				if (ser < 0)
					continue;
				for (i = 0; i < pl->f[fi].n; i++) {
					double v = pl->f[fi].p[i].v[ser];
					double px = ML + (pl->f[fi].p[i].t - pl->t0) / span * pw;
					double py = y0 + PH - v / vmax * PH;

					if (isnan(v)) {
						pen = false;
						continue;
					}
					if (!any)
						fprintf(o, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
							"stroke-linecap=\"round\"%s d=\"",
							colours[fi % NCOLOURS], s ? "1.2" : "1.6",
							s ? " stroke-dasharray=\"6,4\"" : "");
					/* a run starts with a dot: a lone sample shows */
					fprintf(o, pen ? "L%.1f,%.1f " : "M%.1f,%.1f l0,0 ", px, py);
					pen = any = true;
				}
				if (any)
					fputs("\"/>\n", o);
			}
		}
		fputs("</g>\n", o);
	}
	for (fi = 0; fi < pl->n; fi++) {
		int y = TOP + (int)NPANELS * (PH + GAP) + 10 + 18 * (int)fi;

		fprintf(o, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
			ML, y, ML + 30, y, colours[fi % NCOLOURS]);
		fprintf(o, "<text x=\"%d\" y=\"%d\">", ML + 40, y + 4);
		xml_text(o, pl->f[fi].label);
		fputs("</text>\n", o);
	}
	fputs("</svg>\n", o);
}

/* --png: the same three plots through gnuplot's png terminal. */
static int write_png(const struct plot *pl, const char *out, const char *title)
{
	char dir[] = "/tmp/tcptune-plot.XXXXXX", path[4200], script[4300];
	FILE *f;
	size_t fi, i, pi;
	pid_t pid;
	int st;

	if (!mkdtemp(dir)) {
		tt_err("plot: %s", strerror(errno));
		return TT_EXIT_KERNEL;
	}
	for (fi = 0; fi < pl->n; fi++) {
		snprintf(path, sizeof(path), "%s/%zu.dat", dir, fi);
		f = fopen(path, "w");
		if (!f)
			return TT_EXIT_KERNEL;
		for (i = 0; i < pl->f[fi].n; i++) {
			const struct point *p = &pl->f[fi].p[i];
			int s;

			fprintf(f, "%.6f", p->t - pl->t0);
			for (s = 0; s < S_NR; s++)
				if (isnan(p->v[s]))
					fputs(" NaN", f);
				else
					fprintf(f, " %.6g", p->v[s]);
			fputc('\n', f);
		}
		fclose(f);
	}
	snprintf(script, sizeof(script), "%s/plot.gp", dir);
	f = fopen(script, "w");
	if (!f)
		return TT_EXIT_KERNEL;
	fprintf(f, "set terminal png size 960,%d\nset output '%s'\nset datafile missing 'NaN'\n"
		   "set multiplot layout %zu,1 title '%s'\nset grid\nset key outside right\n",
		(int)(NPANELS * 280 + 60), out, NPANELS, title);
	for (pi = 0; pi < NPANELS; pi++) {
		const struct panel *p = &panels[pi];

		fprintf(f, "set title '%s'\nset yrange [0:*]\nplot ", p->title);
		for (fi = 0; fi < pl->n; fi++) {
			fprintf(f, "%s'%s/%zu.dat' using 1:%d with lines lc %zu title 'sk:%s %s'",
				fi ? ", " : "", dir, fi, p->a + 2, fi + 1, pl->f[fi].sk, p->a_name);
			if (p->b >= 0)
				fprintf(f, ", '%s/%zu.dat' using 1:%d with lines dt 2 lc %zu title 'sk:%s %s'",
					dir, fi, p->b + 2, fi + 1, pl->f[fi].sk, p->b_name);
		}
		fputc('\n', f);
	}
	fputs("unset multiplot\n", f);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			tt_err("plot: --png needs gnuplot (Debian: gnuplot-nox); SVG needs nothing");
		else
			tt_err("plot: gnuplot failed (script kept in %s)", script);
		return TT_EXIT_KERNEL;
	}
	for (fi = 0; fi < pl->n; fi++) {
		snprintf(path, sizeof(path), "%s/%zu.dat", dir, fi);
		unlink(path);
	}
	unlink(script);
	rmdir(dir);
	return 0;
}

enum { OPT_PNG = 256, OPT_TITLE };

int cmd_plot(struct tt_ctx *ctx, int argc, char **argv)
{
	const char *in_path = NULL, *out_path = NULL, *only = NULL, *title = NULL;
	char defout[4096], deftitle[4200];
	struct plot pl = { 0 };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "png", no_argument, NULL, OPT_PNG },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ NULL, 0, NULL, 0 },
	};
	bool png = false;
	FILE *in, *out;
	size_t i;
	int k, o, r;

	while ((o = tt_getopt(ctx, tt_cmd_find("plot"), argc, argv, "o:", opts)) != -1) {
		switch (o) {
		case 'o':
			out_path = optarg;
			break;
		case OPT_PNG:
			png = true;
			break;
		case OPT_TITLE:
			title = optarg;
			break;
		default:
			return TT_EXIT_USAGE;
		}
	}
	for (k = optind; k < argc; k++) {
		const char *a = argv[k];

		if (!strcmp(a, "sk")) {
			if (k + 1 >= argc) {
				tt_err("plot: sk needs a value");
				return TT_EXIT_USAGE;
			}
			only = !strncmp(argv[k + 1], "sk:", 3) ? argv[k + 1] + 3 : argv[k + 1];
			k++;
		} else if (!in_path) {
			in_path = a;
		} else {
			tt_err("plot: one CSV file only (\"%s\" is a second)", a);
			return TT_EXIT_USAGE;
		}
	}
	if (!in_path) {
		tt_err("plot: which CSV? (samples of `tcptune watch --csv -o FILE`)");
		return tt_cmd_usage(tt_cmd_find("plot"), stderr, TT_EXIT_USAGE);
	}
	in = strcmp(in_path, "-") ? fopen(in_path, "r") : stdin;
	if (!in) {
		tt_err("plot: %s: %s", in_path, strerror(errno));
		return TT_EXIT_INVALID;
	}
	r = read_csv(in, in_path, only, &pl);
	if (in != stdin)
		fclose(in);
	if (r)
		goto out;
	if (!out_path) {
		const char *dot = strrchr(in_path, '.');
		int base = dot && !strchr(dot, '/') ? (int)(dot - in_path) : (int)strlen(in_path);

		if (!strcmp(in_path, "-"))
			snprintf(defout, sizeof(defout), "-");
		else
			snprintf(defout, sizeof(defout), "%.*s.%s", base, in_path, png ? "png" : "svg");
		out_path = defout;
	}
	if (!title) {
		snprintf(deftitle, sizeof(deftitle), "tcptune: %s (%zu socket%s, %.1f s)",
			 in_path, pl.n, pl.n == 1 ? "" : "s", pl.tmax - pl.t0);
		title = deftitle;
	}
	if (png) {
		char *q;

		/* gnuplot's single-quoted strings: keep quotes out (of a copy) */
		if (title != deftitle)
			snprintf(deftitle, sizeof(deftitle), "%s", title);
		for (q = deftitle; *q; q++)
			if (*q == '\'' || *q == '\\')
				*q = ' ';
		title = deftitle;
		if (strchr(out_path, '\'')) {
			tt_err("plot: --png: the output name may not hold a quote");
			r = TT_EXIT_USAGE;
			goto out;
		}
		if (!strcmp(out_path, "-")) {
			tt_err("plot: --png needs a file (-o FILE)");
			r = TT_EXIT_USAGE;
			goto out;
		}
		r = write_png(&pl, out_path, title);
	} else {
		out = strcmp(out_path, "-") ? fopen(out_path, "w") : stdout;
		if (!out) {
			tt_err("plot: %s: %s", out_path, strerror(errno));
			r = TT_EXIT_INVALID;
			goto out;
		}
		write_svg(out, &pl, title);
		if (out == stdout ? fflush(stdout) || ferror(stdout) : fclose(out) != 0) {
			tt_err("plot: writing %s failed", out_path);
			r = TT_EXIT_KERNEL;
		}
	}
	if (!r && strcmp(out_path, "-"))
		fprintf(stderr, "tcptune: wrote %s (%zu socket%s)\n", out_path, pl.n,
			pl.n == 1 ? "" : "s");
out:
	for (i = 0; i < pl.n; i++)
		free(pl.f[i].p);
	free(pl.f);
	return r;
}
