// SPDX-License-Identifier: GPL-2.0
/*
 * The sample format shared by `watch --csv` (writer) and `plot` (reader):
 * one header line naming the columns, then one row per socket per sample.
 * Units are in the column names; an empty cell is "not known" (or an
 * unlimited ssthresh).  plot finds its columns by name, so columns may be
 * added at the end without breaking old files.
 */
#include <string.h>
#include <sys/socket.h>

#include "tcptune.h"

const char *const tt_csv_columns[] = {
	"time", "sk", "algo", "saddr", "sport", "daddr", "dport", "state",
	"ca_state", "cwnd", "ssthresh", "srtt_us", "rttvar_us", "minrtt_us",
	"rto_us", "mss", "inflight", "unacked", "retrans", "total_retrans",
	"lost", "sacked", "delivered", "delivery_rate_bps", "pacing_rate_bps",
	"app_limited", "bbr_state", "bbr_bw_bps", "reno_phase",
	/* appended (readers find columns by name) */
	"rtos", "recv_q", "send_q", "bytes_acked", "bytes_sent", "bytes_retrans",
	"busy_us", "rwnd_limited_us", "sndbuf_limited_us", "notsent", "snd_wnd",
	"send_bps", "goodput_bps", "retrans_delta", "bytes_retrans_delta", NULL,
};

void tt_csv_header(FILE *f)
{
	const char *const *c;

	for (c = tt_csv_columns; *c; c++)
		fprintf(f, "%s%s", c == tt_csv_columns ? "" : ",", *c);
	fputc('\n', f);
}

static void cell(FILE *f, const struct tt_sock *s, int attr)
{
	fputc(',', f);
	/* no min RTT sample yet: ~0, or a listener's 0 (as the text leaves it out) */
	if (tt_has(s, attr) && !(attr == TCPTUNE_SOCK_A_MIN_RTT && tt_sock_unset(s, attr)))
		fprintf(f, "%llu", (unsigned long long)s->v[attr]);
}

/* A rate cell: bytes/s in, bit/s out, empty while unknown. */
static void rate_cell(FILE *f, bool have, uint64_t bytes_per_s)
{
	fputc(',', f);
	if (have && tt_rate_known(bytes_per_s))
		fprintf(f, "%llu", (unsigned long long)(bytes_per_s * 8));
}

void tt_csv_row(FILE *f, double t, const struct tt_sock *s)
{
	/* the columns srtt_us .. delivered, as they are */
	static const int plain[] = {
		TCPTUNE_SOCK_A_SRTT, TCPTUNE_SOCK_A_RTTVAR, TCPTUNE_SOCK_A_MIN_RTT,
		TCPTUNE_SOCK_A_RTO, TCPTUNE_SOCK_A_MSS, TCPTUNE_SOCK_A_INFLIGHT,
		TCPTUNE_SOCK_A_UNACKED, TCPTUNE_SOCK_A_RETRANS, TCPTUNE_SOCK_A_TOTAL_RETRANS,
		TCPTUNE_SOCK_A_LOST, TCPTUNE_SOCK_A_SACKED, TCPTUNE_SOCK_A_DELIVERED,
	};
	/* the columns recv_q .. bytes_retrans_delta (send and goodput in bit/s) */
	static const int appended[] = {
		TCPTUNE_SOCK_A_RECV_Q, TCPTUNE_SOCK_A_SEND_Q, TCPTUNE_SOCK_A_BYTES_ACKED,
		TCPTUNE_SOCK_A_BYTES_SENT, TCPTUNE_SOCK_A_BYTES_RETRANS, TCPTUNE_SOCK_A_BUSY,
		TCPTUNE_SOCK_A_RWND_LIMITED, TCPTUNE_SOCK_A_SNDBUF_LIMITED,
		TCPTUNE_SOCK_A_NOTSENT, TCPTUNE_SOCK_A_SND_WND, TT_F_SEND, TT_F_GOODPUT,
		TT_F_RETRANS_DELTA, TT_F_BYTES_RETRANS_DELTA,
	};
	char a[64];
	size_t i;

	fprintf(f, "%.6f,%llx,%s", t, (unsigned long long)s->v[TCPTUNE_SOCK_A_COOKIE],
		s->algo);
	tt_addr_str(s->family, s->saddr, a, sizeof(a));
	fprintf(f, ",%s,%llu", a, (unsigned long long)s->v[TCPTUNE_SOCK_A_SPORT]);
	tt_addr_str(s->family, s->daddr, a, sizeof(a));
	fprintf(f, ",%s,%llu", a, (unsigned long long)s->v[TCPTUNE_SOCK_A_DPORT]);
	fprintf(f, ",%s,", tt_tcp_state_name((int)s->v[TCPTUNE_SOCK_A_STATE]));
	if (tt_has(s, TCPTUNE_SOCK_A_CA_STATE))
		fputs(tt_ca_state_name((int)s->v[TCPTUNE_SOCK_A_CA_STATE]), f);
	cell(f, s, TCPTUNE_SOCK_A_CWND);
	fputc(',', f);
	if (tt_has(s, TCPTUNE_SOCK_A_SSTHRESH) && s->v[TCPTUNE_SOCK_A_SSTHRESH] < 0x7fffffff)
		fprintf(f, "%llu", (unsigned long long)s->v[TCPTUNE_SOCK_A_SSTHRESH]);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		cell(f, s, plain[i]);
	rate_cell(f, tt_has(s, TCPTUNE_SOCK_A_DELIVERY_RATE), s->v[TCPTUNE_SOCK_A_DELIVERY_RATE]);
	rate_cell(f, tt_has(s, TCPTUNE_SOCK_A_PACING_RATE), s->v[TCPTUNE_SOCK_A_PACING_RATE]);
	cell(f, s, TCPTUNE_SOCK_A_APP_LIMITED);
	fputc(',', f);
	if (s->has_bbr && (s->bbr_have & (1ULL << TCPTUNE_BBR_A_STATE))) {
		const char *phase, *st = tt_bbr_state_name((int)s->bbr[TCPTUNE_BBR_A_STATE], &phase);

		fprintf(f, "%s%s%s", st, phase ? "_" : "", phase ? phase : "");
	}
	rate_cell(f, s->has_bbr && (s->bbr_have & (1ULL << TCPTUNE_BBR_A_BW)),
		  s->bbr[TCPTUNE_BBR_A_BW]);
	fputc(',', f);
	if (s->has_reno && (s->reno_have & (1ULL << TCPTUNE_RENO_A_PHASE)))
		fputs(tt_reno_phase_name((int)s->reno[TCPTUNE_RENO_A_PHASE]), f);
	cell(f, s, TCPTUNE_SOCK_A_RTOS);	/* plot's RTO markers */
	for (i = 0; i < sizeof(appended) / sizeof(appended[0]); i++)
		cell(f, s, appended[i]);
	fputc('\n', f);
}

/* Split a line at commas in place (no quoting: no cell holds a comma). */
int tt_csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}
