// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune plot [-o FILE] [--png] [--log] [--title T] [FILTER] CSV: five
 * stacked time plots from `tcptune watch --csv` samples - window (cwnd
 * solid, ssthresh dashed), inflight (segments), RTT (srtt solid, min RTT
 * dashed, ms), delivery rate and pacing rate (Mbit/s) - one colour per
 * socket, up to PLOT_MAX_SOCKETS of them, with a marker where a socket
 * entered Recovery or Loss (the ca_state column) or took an RTO (the rtos
 * column rose).  The SVG is written here, by hand, self-contained; --png
 * hands the same series and markers to gnuplot.
 *
 * The file is read twice: once to choose the sockets (those with a row
 * that matches the filter, first seen first), once to keep their samples
 * only; standard input, a pipe or a FIFO is copied to a temporary file
 * first.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tcptune.h"

#define PLOT_MAX_SOCKETS 10	/* as many as there are colours */
#define MAXCOLS 64

enum series { S_CWND, S_SSTHRESH, S_INFLIGHT, S_SRTT, S_MINRTT, S_RATE, S_PACING, S_NR };

static const char *const series_name[S_NR] = {
	"cwnd", "ssthresh", "inflight", "srtt", "min RTT", "delivery rate", "pacing rate",
};

/* Markers: what the samples show a socket entered, or took. */
enum mark_kind { M_RECOVERY, M_LOSS, M_RTO, M_NR };

static const char *const mark_name[M_NR] = { "recovery", "loss", "rto" };
static const char *const mark_text[M_NR] = { "Recovery entered", "Loss entered", "RTO" };

struct point {
	double t;
	double v[S_NR];		/* NAN: no value */
};

struct mark {
	double t;
	int kind;
};

struct flow {
	char sk[24];
	char label[160];
	bool chosen;
	struct point *p;
	size_t n, cap;
	struct mark *m;
	size_t nm, mcap;
	int last_ca;		/* -1: not known */
	double last_rtos;	/* NAN: not known */
};

struct plot {
	struct flow *f;		/* every socket of the file, in order of appearance */
	size_t nf;
	struct flow *show[PLOT_MAX_SOCKETS];	/* the chosen ones */
	size_t n;
	size_t matched;		/* sockets the filter chose (n of them are shown) */
	double t0, tmax;
	bool log;
	bool have_ca, have_rtos;
};

/* Column indexes by name (-1: not in the file). */
struct cols {
	int time, sk, algo, saddr, sport, daddr, dport, state, ca_state, rtos;
	int s[S_NR];
	int nh;
};

static const char *const colours[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
};
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

static const struct panel {
	const char *title;
	int a, b;		/* series: solid line, dashed line (-1: none) */
} panels[] = {
	{ "Window (segments)", S_CWND, S_SSTHRESH },
	{ "Inflight (segments)", S_INFLIGHT, -1 },
	{ "RTT (ms)", S_SRTT, S_MINRTT },
	{ "Delivery rate (Mbit/s)", S_RATE, -1 },
	{ "Pacing rate (Mbit/s)", S_PACING, -1 },
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

static int read_header(FILE *in, const char *path, struct cols *c)
{
	static const char *const need[] = { "time", "sk", "cwnd", "ssthresh",
					    "srtt_us", "minrtt_us", "delivery_rate_bps" };
	static const char *const scol[S_NR] = {
		"cwnd", "ssthresh", "inflight", "srtt_us", "minrtt_us",
		"delivery_rate_bps", "pacing_rate_bps",
	};
	char *line = NULL, *hdr[MAXCOLS];
	size_t cap = 0, k;
	int r = 0;

	if (getline(&line, &cap, in) < 0) {
		tt_err("plot: %s: empty file", path);
		free(line);
		return TT_EXIT_INVALID;
	}
	c->nh = tt_csv_split(line, hdr, MAXCOLS);
	for (k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
		if (col_index(hdr, c->nh, need[k]) < 0) {
			tt_err("plot: %s: not samples of `tcptune watch --csv` (no column \"%s\")",
			       path, need[k]);
			r = TT_EXIT_INVALID;
			goto out;
		}
	}
	c->time = col_index(hdr, c->nh, "time");
	c->sk = col_index(hdr, c->nh, "sk");
	c->algo = col_index(hdr, c->nh, "algo");
	c->saddr = col_index(hdr, c->nh, "saddr");
	c->sport = col_index(hdr, c->nh, "sport");
	c->daddr = col_index(hdr, c->nh, "daddr");
	c->dport = col_index(hdr, c->nh, "dport");
	c->state = col_index(hdr, c->nh, "state");
	c->ca_state = col_index(hdr, c->nh, "ca_state");
	c->rtos = col_index(hdr, c->nh, "rtos");
	for (k = 0; k < S_NR; k++)
		c->s[k] = col_index(hdr, c->nh, scol[k]);
out:
	free(line);
	return r;
}

/*
 * The next data row of in: 1 with fld[0..*n) and *t, 0 at the end (a row
 * cut short at the very end - what a watch killed mid-write leaves - ends
 * it too, with a note), or TT_EXIT_INVALID after the error.
 */
static int next_row(FILE *in, const char *path, const struct cols *c, char **line,
		    size_t *cap, int *lineno, char **fld, int *n, double *t, bool note)
{
	while (getline(line, cap, in) >= 0) {
		bool cut;

		++*lineno;
		if ((*line)[0] == '\n' || (*line)[0] == '#')
			continue;
		cut = !strchr(*line, '\n');
		*n = tt_csv_split(*line, fld, MAXCOLS);
		if (*n < c->nh || tt_parse_double(fld[c->time], t)) {
			if (cut) {
				if (note)
					tt_note("plot: %s:%d: the last row is cut short (watch stopped?): left out",
						path, *lineno);
				return 0;
			}
			tt_err("plot: %s:%d: malformed row", path, *lineno);
			return TT_EXIT_INVALID;
		}
		return 1;
	}
	return 0;
}

static struct flow *flow_find(struct plot *pl, const char *sk)
{
	size_t k;

	for (k = 0; k < pl->nf; k++)
		if (!strcmp(pl->f[k].sk, sk))
			return &pl->f[k];
	return NULL;
}

/* The row as a socket for the filter: what the CSV tells of it. */
static void row_sock(struct tt_sock *s, char **fld, int n, const struct cols *c)
{
	uint64_t v;
	int st;

	memset(s, 0, sizeof(*s));
	if (!tt_parse_u64(fld[c->sk], &v, 16)) {
		s->v[TCPTUNE_SOCK_A_COOKIE] = v;
		s->have |= 1ULL << TCPTUNE_SOCK_A_COOKIE;
	}
	if (c->algo >= 0 && c->algo < n)
		snprintf(s->algo, sizeof(s->algo), "%s", fld[c->algo]);
	if (c->saddr >= 0 && c->daddr >= 0 && c->saddr < n && c->daddr < n) {
		int fam = strchr(fld[c->saddr], ':') ? AF_INET6 : AF_INET;

		if (inet_pton(fam, fld[c->saddr], s->saddr) == 1 &&
		    inet_pton(fam, fld[c->daddr], s->daddr) == 1)
			s->family = (uint8_t)fam;
	}
	if (c->sport >= 0 && c->sport < n && !tt_parse_u64(fld[c->sport], &v, 10))
		s->v[TCPTUNE_SOCK_A_SPORT] = v;
	if (c->dport >= 0 && c->dport < n && !tt_parse_u64(fld[c->dport], &v, 10))
		s->v[TCPTUNE_SOCK_A_DPORT] = v;
	if (c->ca_state >= 0 && c->ca_state < n) {
		st = tt_ca_state_parse(fld[c->ca_state]);
		if (st >= 0) {
			s->v[TCPTUNE_SOCK_A_CA_STATE] = (uint64_t)st;
			s->have |= 1ULL << TCPTUNE_SOCK_A_CA_STATE;
		}
	}
	if (c->state >= 0 && c->state < n) {
		for (st = 0; st <= 12; st++) {
			if (!strcmp(fld[c->state], tt_tcp_state_name(st))) {
				s->v[TCPTUNE_SOCK_A_STATE] = (uint64_t)st;
				s->have |= 1ULL << TCPTUNE_SOCK_A_STATE;
				break;
			}
		}
	}
}

static void flow_label(struct flow *fl, char **fld, const struct cols *c)
{
	if (c->saddr >= 0 && c->sport >= 0 && c->daddr >= 0 && c->dport >= 0) {
		/* IPv6 in brackets, as ss and the socket list write it */
		bool v6s = strchr(fld[c->saddr], ':'), v6d = strchr(fld[c->daddr], ':');

		snprintf(fl->label, sizeof(fl->label), "sk:%s %s %s%s%s:%s -> %s%s%s:%s",
			 fl->sk, c->algo >= 0 ? fld[c->algo] : "",
			 v6s ? "[" : "", fld[c->saddr], v6s ? "]" : "", fld[c->sport],
			 v6d ? "[" : "", fld[c->daddr], v6d ? "]" : "", fld[c->dport]);
	} else {
		snprintf(fl->label, sizeof(fl->label), "sk:%s", fl->sk);
	}
}

/* Pass 1: every socket of the file, and which the filter chooses. */
static int choose(FILE *in, const char *path, const struct cols *c,
		  const struct tt_filter *f, struct plot *pl)
{
	char *line = NULL, *fld[MAXCOLS];
	size_t cap = 0;
	int lineno = 1, n, r;
	double t;

	while ((r = next_row(in, path, c, &line, &cap, &lineno, fld, &n, &t, true)) == 1) {
		struct flow *fl = flow_find(pl, fld[c->sk]);
		struct tt_sock s;

		if (!fl) {
			struct flow *v = realloc(pl->f, (pl->nf + 1) * sizeof(*v));

			if (!v) {
				free(line);
				tt_err("plot: out of memory");
				return TT_EXIT_KERNEL;
			}
			pl->f = v;
			fl = &pl->f[pl->nf++];
			memset(fl, 0, sizeof(*fl));
			snprintf(fl->sk, sizeof(fl->sk), "%s", fld[c->sk]);
			flow_label(fl, fld, c);
		}
		if (fl->chosen)
			continue;
		row_sock(&s, fld, n, c);
		fl->chosen = tt_filter_match(f, &s);
	}
	free(line);
	return r;
}

static int add_mark(struct flow *fl, double t, int kind)
{
	if (fl->nm == fl->mcap) {
		size_t c = fl->mcap ? fl->mcap * 2 : 16;
		struct mark *m = realloc(fl->m, c * sizeof(*m));

		if (!m)
			return -1;
		fl->m = m;
		fl->mcap = c;
	}
	fl->m[fl->nm].t = t;
	fl->m[fl->nm++].kind = kind;
	return 0;
}

/* Pass 2: the samples and markers of the chosen sockets. */
static int load(FILE *in, const char *path, const struct cols *c, struct plot *pl)
{
	static const double scale[S_NR] = { 1, 1, 1, 1e-3, 1e-3, 1e-6, 1e-6 };
	char *line = NULL, *fld[MAXCOLS];
	size_t cap = 0, k;
	int lineno = 1, n, r;
	bool first = true;
	double t;

	for (k = 0; k < pl->n; k++) {
		pl->show[k]->last_ca = -1;
		pl->show[k]->last_rtos = NAN;
	}
	while ((r = next_row(in, path, c, &line, &cap, &lineno, fld, &n, &t, false)) == 1) {
		struct flow *fl = NULL;
		struct point pt;
		int s, ca = -1;
		double rtos;

		for (k = 0; k < pl->n && !fl; k++)
			if (!strcmp(pl->show[k]->sk, fld[c->sk]))
				fl = pl->show[k];
		if (!fl)
			continue;
		if (first || t < pl->t0)
			pl->t0 = t;
		if (first || t > pl->tmax)
			pl->tmax = t;
		first = false;
		pt.t = t;
		for (s = 0; s < S_NR; s++)
			pt.v[s] = cell(fld, n, c->s[s], scale[s]);
		if (fl->n == fl->cap) {
			size_t nc = fl->cap ? fl->cap * 2 : 256;
			struct point *p = realloc(fl->p, nc * sizeof(*p));

			if (!p)
				goto nomem;
			fl->p = p;
			fl->cap = nc;
		}
		fl->p[fl->n++] = pt;
		/* entries seen between two samples: the later one's time */
		if (c->ca_state >= 0)
			ca = tt_ca_state_parse(fld[c->ca_state]);
		if (ca >= 0 && fl->last_ca >= 0 && ca != fl->last_ca &&
		    (ca == TCPTUNE_CA_RECOVERY || ca == TCPTUNE_CA_LOSS) &&
		    add_mark(fl, t, ca == TCPTUNE_CA_RECOVERY ? M_RECOVERY : M_LOSS))
			goto nomem;
		if (ca >= 0)
			fl->last_ca = ca;
		rtos = cell(fld, n, c->rtos, 1);
		if (!isnan(rtos) && !isnan(fl->last_rtos) && rtos > fl->last_rtos &&
		    add_mark(fl, t, M_RTO))
			goto nomem;
		if (!isnan(rtos))
			fl->last_rtos = rtos;
	}
	free(line);
	return r;
nomem:
	free(line);
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

/* A panel's y axis: linear from 0, or log10 over whole decades. */
struct yaxis {
	double lo, hi;		/* linear: 0..hi; log: the decades' ends */
	double step;		/* linear tick step */
	bool any;		/* a value to plot */
};

static double plotted(const struct plot *pl, double v)
{
	return pl->log && !(v > 0) ? NAN : v;
}

static void panel_axis(const struct plot *pl, const struct panel *p, struct yaxis *ax)
{
	double vmin = INFINITY, vmax = 0;
	size_t fi, i;
	int s;

	ax->any = false;
	for (fi = 0; fi < pl->n; fi++) {
		for (i = 0; i < pl->show[fi]->n; i++) {
			for (s = 0; s < 2; s++) {
				int ser = s ? p->b : p->a;
				double v = ser >= 0 ? plotted(pl, pl->show[fi]->p[i].v[ser]) : NAN;

				if (isnan(v))
					continue;
				ax->any = true;
				if (v > vmax)
					vmax = v;
				if (v < vmin)
					vmin = v;
			}
		}
	}
	if (pl->log) {
		if (!ax->any) {
			ax->lo = 1;
			ax->hi = 10;
			return;
		}
		ax->lo = pow(10, floor(log10(vmin)));
		ax->hi = pow(10, ceil(log10(vmax)));
		if (ax->hi <= ax->lo)
			ax->hi = ax->lo * 10;
		return;
	}
	ax->step = nice_step(vmax > 0 ? vmax : 1, 5);
	ax->lo = 0;
	ax->hi = ceil((vmax > 0 ? vmax : 1) / ax->step) * ax->step;
}

/* The fraction of the axis height at v (NAN: not on it). */
static double yfrac(const struct plot *pl, const struct yaxis *ax, double v)
{
	v = plotted(pl, v);
	if (isnan(v))
		return NAN;
	if (pl->log)
		return (log10(v) - log10(ax->lo)) / (log10(ax->hi) - log10(ax->lo));
	return v / ax->hi;
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

/* A decade's label: 0.01 .. 100000 as numbers, the others as 1e6. */
static void decade_label(char *buf, size_t len, int k)
{
	if (k >= -2 && k <= 5)
		snprintf(buf, len, "%g", pow(10, k));
	else
		snprintf(buf, len, "1e%d", k);
}

/* The layout, in pixels: the SVG's, and gnuplot's through screen fractions. */
#define W 960
#define ML 80
#define MR 30
#define PH 170
#define GAP 58
#define TOP 64
#define PW (W - ML - MR)
#define LEGEND_ROW 18

static int legend_top(void)
{
	return TOP + (int)NPANELS * (PH + GAP) + 4;
}

static int fig_height(const struct plot *pl)
{
	/* a row per socket, and one for the markers' key */
	return legend_top() + LEGEND_ROW * ((int)pl->n + 1) + 20;
}

/* The marker's shape, centred on (x, y): Recovery a down triangle, Loss a
 * square, RTO a cross. */
static void svg_shape(FILE *o, int kind, double x, double y, const char *col)
{
	switch (kind) {
	case M_RECOVERY:
		fprintf(o, "<path d=\"M%.1f,%.1f l-5,-7 h10 z\" fill=\"%s\"/>\n", x, y + 3, col);
		break;
	case M_LOSS:
		fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"/>\n",
			x - 4, y - 4, col);
		break;
	default:
		fprintf(o, "<path d=\"M%.1f,%.1f l8,8 m0,-8 l-8,8\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			x - 4, y - 4, col);
	}
}

static void svg_markers(FILE *o, const struct plot *pl, double span)
{
	size_t fi, i, pi;

	for (fi = 0; fi < pl->n; fi++) {
		const struct flow *fl = pl->show[fi];
		const char *col = colours[fi % NCOLOURS];

		for (i = 0; i < fl->nm; i++) {
			const struct mark *m = &fl->m[i];
			double x = ML + (m->t - pl->t0) / span * PW;

			fprintf(o, "<g class=\"marker\" data-kind=\"%s\" data-sk=\"", mark_name[m->kind]);
			xml_text(o, fl->sk);
			fprintf(o, "\" data-t=\"%.6f\">\n<title>sk:", m->t - pl->t0);
			xml_text(o, fl->sk);
			fprintf(o, ": %s at %.3f s</title>\n", mark_text[m->kind], m->t - pl->t0);
			for (pi = 0; pi < NPANELS; pi++) {
				int y0 = TOP + (int)pi * (PH + GAP);

				fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
					"stroke-opacity=\"0.45\" stroke-dasharray=\"2,3\"/>\n",
					x, y0, x, y0 + PH, col);
				/* an RTO under the Loss it usually comes with */
				svg_shape(o, m->kind, x, y0 + (m->kind == M_RTO ? 18 : 6), col);
			}
			fputs("</g>\n", o);
		}
	}
}

static void write_svg(FILE *o, const struct plot *pl, const char *title)
{
	double span = pl->tmax - pl->t0 > 0 ? pl->tmax - pl->t0 : 1;
	int h = fig_height(pl), k;
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
		int y0 = TOP + (int)pi * (PH + GAP);
		struct yaxis ax;

		panel_axis(pl, p, &ax);
		fprintf(o, "<g class=\"panel\" data-log=\"%d\">\n<text x=\"%d\" y=\"%d\" font-size=\"14\">",
			pl->log, ML, y0 - 8);
		xml_text(o, p->title);
		fprintf(o, "  (solid: %s", series_name[p->a]);
		if (p->b >= 0)
			fprintf(o, ", dashed: %s", series_name[p->b]);
		fprintf(o, "%s)</text>\n", pl->log ? "; log scale" : "");
		fprintf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n",
			ML, y0, PW, PH);
		/* grid and labels */
		if (pl->log) {
			int k0 = (int)lround(log10(ax.lo)), k1 = (int)lround(log10(ax.hi));

			for (k = k0; k <= k1; k++) {
				double py = y0 + PH - yfrac(pl, &ax, pow(10, k)) * PH;
				char lab[16];
				int m;

				decade_label(lab, sizeof(lab), k);
				fprintf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\"/>\n",
					ML, py, ML + PW, py);
				fprintf(o, "<text class=\"ytick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
					ML - 6, py + 4, lab);
				/* 2..9 of the decade, unlabelled, while they are apart */
				for (m = 2; k < k1 && k1 - k0 <= 6 && m <= 9; m++) {
					double my = y0 + PH - yfrac(pl, &ax, m * pow(10, k)) * PH;

					fprintf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#f0f0f0\"/>\n",
						ML, my, ML + PW, my);
					/* 2 and 5 labelled too over one or two decades */
					if ((m == 2 || m == 5) && k1 - k0 <= 2)
						fprintf(o, "<text class=\"yminor\" x=\"%d\" y=\"%.1f\" "
							"text-anchor=\"end\" fill=\"#666\">%g</text>\n",
							ML - 6, my + 4, m * pow(10, k));
				}
			}
		} else {
			double y;

			for (y = 0; y <= ax.hi + ax.step / 2; y += ax.step) {
				double py = y0 + PH - y / ax.hi * PH;

				fprintf(o, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
					ML, py, ML + PW, py);
				fprintf(o, "<text class=\"ytick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
					ML - 6, py + 4, y);
			}
		}
		if (!ax.any)
			fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">%s</text>\n",
				ML + PW / 2, y0 + PH / 2, pl->log ? "no positive values" : "no values");
		/* ticks up to the end of the axis, none past it */
		for (x = 0; x <= span * (1 + 1e-9); x += xstep) {
			double px = ML + x / span * PW;

			fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>\n",
				px, y0, px, y0 + PH);
			fprintf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
				px, y0 + PH + 16, x);
		}
		if (pi == NPANELS - 1)
			fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (s)</text>\n",
				ML + PW / 2, y0 + PH + 32);
		/* one path per flow and series, broken where a value is missing */
		for (fi = 0; fi < pl->n; fi++) {
			const struct flow *fl = pl->show[fi];
			int s;

			for (s = 0; s < 2; s++) {
				int ser = s ? p->b : p->a;
				bool pen = false, any = false;

				if (ser < 0)
					continue;
				for (i = 0; i < fl->n; i++) {
					double fy = yfrac(pl, &ax, fl->p[i].v[ser]);
					double px = ML + (fl->p[i].t - pl->t0) / span * PW;
					double py = y0 + PH - fy * PH;

					if (isnan(fy)) {
						pen = false;
						continue;
					}
					if (!any) {
						fprintf(o, "<path class=\"series\" data-sk=\"");
						xml_text(o, fl->sk);
						fprintf(o, "\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
							"stroke-width=\"%s\" stroke-linecap=\"round\"%s d=\"",
							series_name[ser], colours[fi % NCOLOURS], s ? "1.2" : "1.6",
							s ? " stroke-dasharray=\"6,4\"" : "");
					}
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
	svg_markers(o, pl, span);
	/* the legend: a line per socket, then the markers' key */
	for (fi = 0; fi < pl->n; fi++) {
		int y = legend_top() + 10 + LEGEND_ROW * (int)fi;

		fprintf(o, "<g class=\"legend\" data-sk=\"");
		xml_text(o, pl->show[fi]->sk);
		fprintf(o, "\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
			ML, y, ML + 30, y, colours[fi % NCOLOURS]);
		fprintf(o, "<text x=\"%d\" y=\"%d\">", ML + 40, y + 4);
		xml_text(o, pl->show[fi]->label);
		fputs("</text></g>\n", o);
	}
	{
		int y = legend_top() + 14 + LEGEND_ROW * (int)pl->n, xk = ML + 5;

		fprintf(o, "<g class=\"marker-key\">\n");
		for (k = 0; k < M_NR; k++) {
			svg_shape(o, k, xk, y, "#444");
			fprintf(o, "<text x=\"%d\" y=\"%d\">%s%s</text>\n", xk + 10, y + 4,
				mark_text[k], k == M_RTO && !pl->have_rtos ? " (no rtos column)" :
				k != M_RTO && !pl->have_ca ? " (no ca_state column)" : "");
			xk += 190;
		}
		fputs("</g>\n", o);
	}
	fputs("</svg>\n", o);
}

/* gnuplot's single-quoted strings: no quote, no backslash, no control. */
static void gp_str(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '\'' || src[i] == '\\' || (unsigned char)src[i] < 0x20 ?
			 ' ' : src[i];
	dst[i] = '\0';
}

static bool series_any(const struct plot *pl, const struct flow *fl, int ser)
{
	size_t i;

	for (i = 0; ser >= 0 && i < fl->n; i++)
		if (!isnan(plotted(pl, fl->p[i].v[ser])))
			return true;
	return false;
}

static void gp_markers(FILE *f, const struct plot *pl)
{
	static const int pt[M_NR] = { 11, 5, 2 };	/* down triangle, square, cross */
	size_t fi, i;

	for (fi = 0; fi < pl->n; fi++) {
		const struct flow *fl = pl->show[fi];

		for (i = 0; i < fl->nm; i++) {
			double x = fl->m[i].t - pl->t0;

			/* the socket's colour, faded (alpha 0x90) */
			fprintf(f, "set arrow from %.6f, graph 0 to %.6f, graph 1 nohead "
				   "lc rgb '#90%s' dt 3 back\n", x, x, colours[fi % NCOLOURS] + 1);
			fprintf(f, "set label '' at %.6f, graph %s point pt %d ps 1.3 lc rgb '%s' front\n",
				x, fl->m[i].kind == M_RTO ? "0.88" : "0.96", pt[fl->m[i].kind],
				colours[fi % NCOLOURS]);
		}
	}
}

/* The legend under the panels: labels and lines at screen coordinates. */
static void gp_legend(FILE *f, const struct plot *pl, int h)
{
	static const int pt[M_NR] = { 11, 5, 2 };
	char lab[200];
	size_t fi;
	int k;

	for (fi = 0; fi <= pl->n; fi++) {
		double y = 1.0 - (legend_top() + (fi == pl->n ? 14.0 : 10.0) +
				  LEGEND_ROW * (double)fi) / h;

		if (fi == pl->n) {
			for (k = 0; k < M_NR; k++) {
				double xk = (ML + 5.0 + 190 * k) / W;

				fprintf(f, "set label '%s' at screen %.5f, screen %.5f offset 1,0 "
					   "point pt %d ps 1.3 lc rgb '#444444'\n",
					mark_text[k], xk, y, pt[k]);
			}
			break;
		}
		fprintf(f, "set arrow from screen %.5f, screen %.5f to screen %.5f, screen %.5f "
			   "nohead lw 3 lc rgb '%s'\n", (double)ML / W, y, (ML + 30.0) / W, y,
			colours[fi % NCOLOURS]);
		gp_str(lab, sizeof(lab), pl->show[fi]->label);
		fprintf(f, "set label '%s' at screen %.5f, screen %.5f\n", lab, (ML + 40.0) / W, y);
	}
}

/* --png: the same plots through gnuplot's png terminal, panel by panel at
 * fixed screen margins so that their time axes line up. */
static int write_png(const struct plot *pl, const char *out, const char *title)
{
	char dir[] = "/tmp/tcptune-plot.XXXXXX", path[4200], script[4300];
	double span = pl->tmax - pl->t0 > 0 ? pl->tmax - pl->t0 : 1;
	int h = fig_height(pl);
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
		for (i = 0; i < pl->show[fi]->n; i++) {
			const struct point *p = &pl->show[fi]->p[i];
			int s;

			fprintf(f, "%.6f", p->t - pl->t0);
			for (s = 0; s < S_NR; s++)
				if (isnan(plotted(pl, p->v[s])))
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
	fprintf(f, "set terminal pngcairo noenhanced font 'sans,9' size %d,%d\nset output '%s'\n"
		   "set datafile missing 'NaN'\nset multiplot title '%s' font ',14'\n"
		   "set grid\nunset key\nset xrange [0:%.6f]\n",
		W, h, out, title, span);
	gp_markers(f, pl);
	for (pi = 0; pi < NPANELS; pi++) {
		const struct panel *p = &panels[pi];
		int y0 = TOP + (int)pi * (PH + GAP);
		bool any = false;

		fprintf(f, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n"
			   "set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
			(double)ML / W, (double)(W - MR) / W, 1.0 - (double)y0 / h,
			1.0 - (double)(y0 + PH) / h);
		/* the panel's title left, above its frame, as in the SVG */
		fprintf(f, "set label 98 '%s  (solid: %s%s%s%s)' at graph 0, graph 1 offset 0,0.8 "
			   "left font ',11'\n", p->title, series_name[p->a],
			p->b >= 0 ? ", dashed: " : "", p->b >= 0 ? series_name[p->b] : "",
			pl->log ? "; log scale" : "");
		fprintf(f, "%s\n", pi == NPANELS - 1 ? "set xlabel 'time (s)'" : "unset xlabel");
		if (pi == NPANELS - 1)
			gp_legend(f, pl, h);
		for (fi = 0; fi < pl->n; fi++)
			any = any || series_any(pl, pl->show[fi], p->a) ||
			      series_any(pl, pl->show[fi], p->b);
		if (!any) {
			/* no series: an empty frame, as the SVG draws it */
			fprintf(f, "unset logscale y\nset yrange [0:1]\nset label 99 '%s' at graph 0.5, graph 0.5 center\n"
				   "plot 2 notitle\nunset label 99\n",
				pl->log ? "no positive values" : "no values");
			continue;
		}
		fprintf(f, "%s\nplot ", pl->log ? "set logscale y\nset yrange [*:*]" :
			"unset logscale y\nset yrange [0:*]");
		any = false;
		for (fi = 0; fi < pl->n; fi++) {
			int s;

			for (s = 0; s < 2; s++) {
				int ser = s ? p->b : p->a;

				if (!series_any(pl, pl->show[fi], ser))
					continue;	/* gnuplot would warn of it */
				fprintf(f, "%s'%s/%zu.dat' using 1:%d with lines lw %s%s lc rgb '%s'",
					any ? ", " : "", dir, fi, ser + 2, s ? "1" : "1.5",
					s ? " dt 2" : "", colours[fi % NCOLOURS]);
				any = true;
			}
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

/* What --log leaves out, told once per series. */
static void log_notes(const struct plot *pl)
{
	size_t cnt[S_NR] = { 0 }, fi, i;
	int s;

	for (fi = 0; fi < pl->n; fi++)
		for (i = 0; i < pl->show[fi]->n; i++)
			for (s = 0; s < S_NR; s++)
				cnt[s] += !isnan(pl->show[fi]->p[i].v[s]) && !(pl->show[fi]->p[i].v[s] > 0);
	for (s = 0; s < S_NR; s++)
		if (cnt[s])
			tt_note("plot: --log: %zu %s value%s <= 0 left out (no place on a log axis)",
				cnt[s], series_name[s], cnt[s] == 1 ? "" : "s");
}

/* Whether operand a names the CSV rather than a filter word. */
static bool is_csv(const char *a)
{
	size_t n;
	const char *const *kw = tt_filter_keywords(&n);

	if (!strcmp(a, "-"))
		return true;
	while (n--)
		if (!strcmp(a, kw[n]))
			return false;
	return access(a, F_OK) == 0;
}

enum { OPT_PNG = 256, OPT_TITLE, OPT_LOG };

int cmd_plot(struct tt_ctx *ctx, int argc, char **argv)
{
	const char *in_path = NULL, *out_path = NULL, *title = NULL;
	char defout[4096], deftitle[4200];
	struct plot pl = { 0 };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "png", no_argument, NULL, OPT_PNG },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "log", no_argument, NULL, OPT_LOG },
		{ NULL, 0, NULL, 0 },
	};
	struct tt_filter flt;
	struct stat sb;
	struct cols c;
	bool png = false;
	FILE *in = NULL, *out;
	size_t i;
	int o, r, first, nargs;

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
		case OPT_LOG:
			pl.log = true;
			break;
		default:
			return TT_EXIT_USAGE;
		}
	}
	/* the CSV first or last, the filter the rest */
	first = optind;
	nargs = argc - optind;
	if (nargs < 1) {
		tt_err("plot: which CSV? (samples of `tcptune watch --csv -o FILE`)");
		return tt_cmd_usage(tt_cmd_find("plot"), stderr, TT_EXIT_USAGE);
	}
	if (nargs > 1 && is_csv(argv[first]) && !is_csv(argv[argc - 1])) {
		in_path = argv[first++];
	} else {
		in_path = argv[argc - 1];
	}
	nargs--;
	tt_filter_init(&flt);
	r = tt_filter_parse_args(&flt, "plot", nargs, argv + first);
	if (r)
		goto out;
	in = strcmp(in_path, "-") ? fopen(in_path, "r") : stdin;
	if (!in) {
		tt_err("plot: %s: %s", in_path, strerror(errno));
		r = TT_EXIT_INVALID;
		goto out;
	}
	if (fstat(fileno(in), &sb) || !S_ISREG(sb.st_mode)) {
		/* read twice: a copy first of a pipe, a FIFO, standard input */
		FILE *tmp = tmpfile();
		char buf[65536];
		size_t n;

		if (!tmp) {
			tt_err("plot: a temporary file: %s", strerror(errno));
			r = TT_EXIT_KERNEL;
			goto out;
		}
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, tmp);
		if (ferror(in) || fflush(tmp) || ferror(tmp)) {
			tt_err("plot: reading %s failed", in_path);
			fclose(tmp);
			r = TT_EXIT_KERNEL;
			goto out;
		}
		rewind(tmp);
		if (in != stdin)
			fclose(in);
		in = tmp;
	}
	r = read_header(in, in_path, &c);
	if (!r)
		r = choose(in, in_path, &c, &flt, &pl);
	if (r)
		goto out;
	for (i = 0; i < pl.nf; i++) {
		if (!pl.f[i].chosen)
			continue;
		if (pl.n < PLOT_MAX_SOCKETS)
			pl.show[pl.n++] = &pl.f[i];
		pl.matched++;
	}
	if (!pl.n) {
		if (nargs == 2 && !strcmp(argv[first], "sk"))
			tt_err("plot: %s: no samples of sk:%s", in_path,
			       strncmp(argv[first + 1], "sk:", 3) ? argv[first + 1] : argv[first + 1] + 3);
		else if (nargs)
			tt_err("plot: %s: no samples of a socket that matches the filter", in_path);
		else
			tt_err("plot: %s: no samples", in_path);
		r = TT_EXIT_INVALID;
		goto out;
	}
	if (pl.matched > pl.n)
		tt_note("plot: %zu sockets; the first %zu plotted (choose others with sk COOKIE or a filter)",
			pl.matched, pl.n);
	pl.have_ca = c.ca_state >= 0;
	pl.have_rtos = c.rtos >= 0;
	rewind(in);
	r = read_header(in, in_path, &c);
	if (!r)
		r = load(in, in_path, &c, &pl);
	if (r)
		goto out;
	if (pl.log)
		log_notes(&pl);
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
		char t[sizeof(deftitle)];

		gp_str(t, sizeof(t), title);
		if (strchr(out_path, '\'') || strchr(out_path, '\\')) {
			tt_err("plot: --png: the output name may not hold a quote or a backslash");
			r = TT_EXIT_USAGE;
			goto out;
		}
		if (!strcmp(out_path, "-")) {
			tt_err("plot: --png needs a file (-o FILE)");
			r = TT_EXIT_USAGE;
			goto out;
		}
		r = write_png(&pl, out_path, t);
	} else {
		out = strcmp(out_path, "-") ? fopen(out_path, "w") : stdout;
		if (!out) {
			r = tt_file_exit(errno);
			tt_err("plot: %s: %s", out_path, strerror(errno));
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
	if (in && in != stdin)
		fclose(in);
	for (i = 0; i < pl.nf; i++) {
		free(pl.f[i].p);
		free(pl.f[i].m);
	}
	free(pl.f);
	tt_filter_free(&flt);
	return r;
}
