// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune [OPTIONS] OBJECT [COMMAND] [ARGS]: global options, the command
 * table (which also prints the usage) and dispatch.  The bare command is
 * the most useful one: `tcptune` = `tcptune sockets`.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

#define FILTER_ARGS "[ -a ] [ FILTER ]"

const struct tt_cmd tt_cmds[] = {
	{ "sockets", cmd_sockets,
	  "[ -a ] [ -4 | -6 ] [ -P ] [ --cgroup ] [ --sort FIELD ] [ --top N ] [ FILTER ]",
	  "sockets using a tcptune algorithm, in ss -tie terms (-a: every TCP socket)",
	  "  -a, --all         also every other TCP socket (sock_diag), with its tcp_info,\n"
	  "                    algorithm name and the kernel algorithm's own state\n"
	  "                    (bbr:(...), dctcp:(...)), as `ss -tie` names them (the\n"
	  "                    fields below; not ss's pmtu, rcvmss, advmss, segs_*,\n"
	  "                    last*, rcv_*); the kernel runs the filter (inet_diag\n"
	  "                    bytecode), as for ss\n"
	  "  -4, --ipv4        IPv4 sockets only\n"
	  "  -6, --ipv6        IPv6 sockets only\n"
	  "  -P, --processes   the processes holding each socket, as ss -p:\n"
	  "                    users:((\"name\",pid=N,fd=N)) (-p is --pretty here)\n"
	  "  --cgroup          each socket's cgroup v2 path, as ss --cgroup:\n"
	  "                    cgroup:/path (cgroup:unreachable:ID if not found)\n"
	  "  Fields (ss's names and units; zero and unset ones left out, as ss):\n"
	  "                    State Recv-Q Send-Q, users, uid, ino, sk; ts sack ecn\n"
	  "                    ecnseen fastopen ALGO wscale:S,R ca_state rto rtos rtt\n"
	  "                    mss cwnd ssthresh bytes_sent bytes_retrans bytes_acked\n"
	  "                    MODEL send pacing_rate delivery_rate delivered\n"
	  "                    app_limited busy rwnd_limited sndbuf_limited unacked\n"
	  "                    inflight retrans lost sacked dsack_dups reordering\n"
	  "                    notsent minrtt snd_wnd (see tcptune(8), FIELDS)\n"
	  "  --sort FIELD      by FIELD, largest first (sport, dport: smallest first);\n"
	  "                    FIELD: cwnd ssthresh srtt_us (rtt) rttvar_us minrtt_us\n"
	  "                    (minrtt) rto_us (rto) mss retrans total_retrans lost\n"
	  "                    sacked unacked inflight delivered bytes_acked\n"
	  "                    delivery_rate_bps (delivery_rate) pacing_rate_bps\n"
	  "                    (pacing_rate) rtos recv_q send_q bytes_sent\n"
	  "                    bytes_retrans notsent snd_wnd send_bps (send) sport\n"
	  "                    dport\n"
	  "  --top N           the first N sockets only (after --sort)\n" },
	{ "algos", cmd_algos, "",
	  "the algorithms, their socket counts and recovery/RTO/undo counters", NULL },
	{ "knobs", cmd_knobs, "[ ALGO | ALGO.KNOB ]",
	  "the knobs: value, default, range, unit, when a change applies", NULL },
	{ "set", cmd_set, "[ -f ] ALGO.KNOB=VALUE...",
	  "set knobs, all or none (needs CAP_NET_ADMIN)",
	  "  ALGO.KNOB=VALUE   as listed by `tcptune knobs`; the same values are the\n"
	  "                    sysctls net.tcptune.ALGO.KNOB; bool knobs take on/off\n"
	  "  -f, --force       skip the local checks, let the kernel validate\n" },
	{ "monitor", cmd_monitor, "[ -c COUNT ] [ -t | -ts ] [ type TYPE[,TYPE...] ] [ FILTER ]",
	  "print events as they happen: recovery entered/left, RTO, BBR state",
	  "  -c, --count N     exit after N events\n"
	  "  -t, --timestamp   a line \"Timestamp: Sat Dec  5 01:02:03 2026 123456 usec\"\n"
	  "                    before each event (as ip monitor -t)\n"
	  "  -ts, --tshort     a prefix \"[2026-12-05T01:02:03.123456]\" (as ip monitor -ts)\n"
	  "                    the time is the kernel's of the event (its TIMESTAMP), or\n"
	  "                    when it was received from a module that sends none; local\n"
	  "                    time; without -t/-ts a prefix 01:02:03.123456; -t and -ts\n"
	  "                    may also come first (tcptune -t monitor, as ip -t monitor)\n"
	  "  type TYPE[,TYPE]  only these events (type may be repeated):\n"
	  "                    recovery_enter recovery_exit rto bbr_state, or the groups\n"
	  "                    recovery (enter and exit), loss (= rto: an RTO is the\n"
	  "                    entry into Loss), all\n" },
	{ "watch", cmd_watch, "[ -i SECONDS ] [ -c COUNT ] [ --csv [ -o FILE ] ] "
	  "[ --sort FIELD ] [ --top N ] " FILTER_ARGS,
	  "a live table of sockets, or samples to CSV for `tcptune plot`",
	  "  -i, --interval S  seconds between samples (default 1, may be fractional)\n"
	  "                    each sample beyond the first also has, per socket, the\n"
	  "                    interval's goodput (bytes_acked, bit/s), retransmitted\n"
	  "                    segments and bytes: GOODPUT RETR RETRB in the table,\n"
	  "                    goodput_bps retrans_delta bytes_retrans_delta in JSON\n"
	  "                    and CSV\n"
	  "  -c, --count N     stop after N samples\n"
	  "  --csv             write CSV samples (one row per socket per sample)\n"
	  "  -o, --output FILE write them to FILE instead of stdout (implies --csv)\n"
	  "  -a, --all         also every other TCP socket\n"
	  "  --sort FIELD      each sample's sockets by FIELD, as sockets --sort (also\n"
	  "                    goodput_bps, retrans_delta, bytes_retrans_delta)\n"
	  "  --top N           only the first N sockets of each sample\n" },
	{ "plot", cmd_plot, "[ -o FILE ] [ --png ] [ --log ] [ --title T ] [ FILTER ] CSV",
	  "cwnd, inflight, RTT, delivery and pacing rate over time from watch samples",
	  "  CSV               samples written by `tcptune watch --csv` (- for stdin);\n"
	  "                    first or last\n"
	  "  -o, --output FILE the image (default: CSV with .svg or .png; - for stdout)\n"
	  "  --png             a PNG through gnuplot instead of SVG\n"
	  "  --log             log-scale y axes (values <= 0 left out, with a note)\n"
	  "  --title TEXT      the title above the plots\n"
	  "  FILTER            the sockets with a sample that matches it, e.g. sk COOKIE,\n"
	  "                    sk A or sk B, algo bbr, dport = :5201, ca-state Loss\n"
	  "                    (default: every socket in the file); at most 10, the\n"
	  "                    first seen, one colour and legend line each\n"
	  "  Markers: Recovery and Loss entered (ca_state column), RTO (rtos column rose)\n" },
	{ "help", cmd_help, "[ COMMAND ]", "this help, or a command's", NULL },
	{ "summary", cmd_summary, "[ -a ] [ -4 | -6 ] [ FILTER ]",
	  "per algorithm and CA state: sockets, RTT/cwnd/delivery-rate percentiles, retransmits",
	  "  -a, --all         also every other TCP socket (sock_diag), as sockets -a\n"
	  "  -4, -6            IPv4 / IPv6 sockets only\n"
	  "  Rows: one per algorithm (CA_STATE *: every state), then one per CA state.\n"
	  "  RTT (srtt, ms; JSON srtt_us), CWND (segments), DELIVERY_RATE (bit/s, as ss):\n"
	  "  p50/p90/p99 (nearest-rank percentiles) and (min-max) of the sockets.\n"
	  "  RETRANS: retransmitted segments / segments sent (tcpi_total_retrans /\n"
	  "  tcpi_segs_out, summed over the group's sockets).\n" },
	{ "metrics", cmd_metrics, "[ -a ] [ -o FILE ]",
	  "counters, sockets per algorithm and CA state, knobs: Prometheus text format",
	  "  -o, --output FILE write FILE atomically (a temporary file in its directory,\n"
	  "                    renamed over it), for node_exporter's textfile collector\n"
	  "  -a, --all         count every TCP socket's algorithm (sock_diag), not only\n"
	  "                    tcptune's; works without the module (sockets only)\n"
	  "  Metrics: tcptune_sockets{algo,ca_state}, tcptune_algo_sockets{algo},\n"
	  "  tcptune_recoveries_total, tcptune_retransmission_timeouts_total,\n"
	  "  tcptune_undos_total, tcptune_probe_rtt_entries_total {algo},\n"
	  "  tcptune_knob_NAME[_seconds|_ratio|_segments|...]{algo,knob} (see tcptune(8))\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct { const char *alias, *name; } aliases[] = {
	{ "socket", "sockets" }, { "sock", "sockets" }, { "show", "sockets" },
	{ "algo", "algos" }, { "algorithms", "algos" },
	{ "knob", "knobs" }, { "mon", "monitor" }, { "events", "monitor" },
};

static void print_exit_codes(FILE *f)
{
	fprintf(f,
		"Exit status:\n"
		"  0  success\n"
		"  1  usage error (unknown or ambiguous command, unknown option, missing argument)\n"
		"  2  not found or invalid: unknown algorithm, knob or netns, a value that is not\n"
		"     a number or out of range (watch -i abc, dport 99999)\n"
		"  3  permission denied (set, monitor and a fwmark filter need CAP_NET_ADMIN;\n"
		"     -n needs CAP_SYS_ADMIN)\n"
		"  4  the tcptune module is not loaded (no generic netlink family \"tcptune\")\n"
		"  5  any other kernel or system error\n");
}

static void print_options(FILE *f)
{
	fprintf(f,
		"Options (before or after the command):\n"
		"  -j, --json        JSON output\n"
		"  -p, --pretty      indented JSON (with -j)\n"
		"  -n, --netns NAME  run in network namespace NAME (/run/netns/NAME, as ip -n)\n"
		"  -d, --debug       print every netlink message sent and received on stderr\n"
		"  -h, --help        help (of the command, after one)\n"
		"  -V, --version     version\n");
}

static int usage(FILE *f, int status)
{
	const struct tt_cmd *c;

	fprintf(f, "Usage: tcptune [ OPTIONS ] OBJECT [ ARGS ]\n"
		   "       tcptune [ OPTIONS ] OBJECT help\n\n"
		   "Objects and commands (`tcptune` alone = `tcptune sockets`):\n");
	for (c = tt_cmds; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->help);
	fputc('\n', f);
	print_options(f);
	fprintf(f, "\n%s\n", tt_filter_usage);
	print_exit_codes(f);
	fprintf(f, "\nSee tcptune(8) for the fields and their units.\n");
	return status;
}

int tt_cmd_usage(const struct tt_cmd *cmd, FILE *f, int status)
{
	fprintf(f, "Usage: tcptune [ OPTIONS ] %s %s\n\n%s\n", cmd->name,
		cmd->args, cmd->help);
	if (cmd->detail)
		fprintf(f, "\n%s", cmd->detail);
	if (strstr(cmd->args, "FILTER"))
		fprintf(f, "\n%s", tt_filter_usage);
	fputc('\n', f);
	print_options(f);
	fputc('\n', f);
	print_exit_codes(f);
	return status;
}

/* Exact name, alias, or unique prefix (as ip accepts `ip l`); NULL if none. */
static const struct tt_cmd *cmd_lookup(const char *name, int *prefixes)
{
	const struct tt_cmd *c, *hit = NULL;
	size_t i, len = strlen(name);

	*prefixes = 0;
	for (c = tt_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, name))
			return tt_cmd_find(aliases[i].name);
	for (c = tt_cmds; c->name && len; c++) {
		if (!strncmp(c->name, name, len)) {
			hit = c;
			++*prefixes;
		}
	}
	return *prefixes == 1 ? hit : NULL;
}

const struct tt_cmd *tt_cmd_find(const char *name)
{
	int n;

	return cmd_lookup(name, &n);
}

static void version(void)
{
	printf("tcptune %s (generic netlink family \"%s\" version %d)\n",
	       TT_VERSION, TCPTUNE_GENL_NAME, TCPTUNE_GENL_VERSION);
}

/*
 * One global option (before the command) at argv[i]: returns how many
 * entries it took, 0 if it is not one, -1 on a usage error (printed).
 */
static int common_opt(struct tt_ctx *ctx, const struct tt_cmd *cmd, int argc,
		      char **argv, int i)
{
	const char *a = argv[i];

	if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
		ctx->json = true;
		return 1;
	}
	if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
		ctx->pretty = true;
		return 1;
	}
	if (!strcmp(a, "-d") || !strcmp(a, "--debug")) {
		ctx->debug = true;
		return 1;
	}
	if (!strncmp(a, "--netns=", 8)) {
		ctx->netns = a + 8;
		return 1;
	}
	if (!strcmp(a, "-n") || !strcmp(a, "--netns")) {
		if (i + 1 >= argc) {
			tt_err("%s needs a network namespace name", a);
			return -1;
		}
		ctx->netns = argv[i + 1];
		return 2;
	}
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		exit(cmd ? tt_cmd_usage(cmd, stdout, TT_EXIT_OK) : usage(stdout, TT_EXIT_OK));
	}
	if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
		version();
		exit(TT_EXIT_OK);
	}
	return 0;
}

static const struct option common_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "debug", no_argument, NULL, 'd' },
	{ "netns", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

int tt_getopt(struct tt_ctx *ctx, const struct tt_cmd *cmd, int argc, char **argv,
	      const char *shortopts, const struct option *longopts)
{
	struct option all[32];
	char shorts[64];
	size_t n = 0, i;
	int c;

	for (; longopts && longopts->name && n < 32 - NCOMMON - 1; longopts++)
		all[n++] = *longopts;
	for (i = 0; i < NCOMMON; i++)
		all[n++] = common_opts[i];
	memset(&all[n], 0, sizeof(all[n]));
	/* ':' first: a missing value is told from an unknown option */
	snprintf(shorts, sizeof(shorts), ":jpdn:hV%s", shortopts);
	opterr = 0;
	for (;;) {
		c = getopt_long(argc, argv, shorts, all, NULL);
		switch (c) {
		case 'j':
			ctx->json = true;
			break;
		case 'p':
			ctx->pretty = true;
			break;
		case 'd':
			ctx->debug = true;
			break;
		case 'n':
			ctx->netns = optarg;
			break;
		case 'h':
			exit(tt_cmd_usage(cmd, stdout, TT_EXIT_OK));
		case 'V':
			version();
			exit(TT_EXIT_OK);
		case ':':
			tt_err("%s: %s needs a value", cmd->name, argv[optind - 1]);
			tt_note("see `tcptune %s help`", cmd->name);
			return '?';
		case '?':
			if (optopt && !strncmp(argv[optind - 1], "--", 2))
				tt_err("%s: \"%s\": the option takes no value", cmd->name,
				       argv[optind - 1]);
			else if (optopt)
				tt_err("%s: unknown option \"-%c\"", cmd->name, optopt);
			else
				tt_err("%s: unknown option \"%s\"", cmd->name, argv[optind - 1]);
			tt_note("see `tcptune %s help`", cmd->name);
			return '?';
		case -1:
			/* `tcptune COMMAND help` */
			if (optind < argc && !strcmp(argv[optind], "help"))
				exit(tt_cmd_usage(cmd, stdout, TT_EXIT_OK));
			return -1;
		default:
			return c;
		}
	}
}

int cmd_help(struct tt_ctx *ctx, int argc, char **argv)
{
	const struct tt_cmd *c;

	if (tt_getopt(ctx, tt_cmd_find("help"), argc, argv, "", NULL) != -1)
		return TT_EXIT_USAGE;
	if (optind >= argc)
		return usage(stdout, TT_EXIT_OK);
	c = tt_cmd_find(argv[optind]);
	if (!c) {
		tt_err("no command \"%s\"", argv[optind]);
		return TT_EXIT_USAGE;
	}
	return tt_cmd_usage(c, stdout, TT_EXIT_OK);
}

int tt_main(int argc, char **argv)
{
	struct tt_ctx ctx = { .prog = argv[0] };
	const struct tt_cmd *cmd;
	char *dflt[] = { "sockets", NULL };
	char *ts_opt = NULL;	/* `tcptune -t monitor`, as `ip -t monitor` */
	int i = 1, r;

	/* Global options up to the object. */
	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		r = common_opt(&ctx, NULL, argc, argv, i);
		if (r < 0)
			return usage(stderr, TT_EXIT_USAGE);
		if (r == 0 && a[1] != '-' && strspn(a + 1, "jpdhV") == strlen(a + 1)) {
			/* grouped global flags: -jp */
			const char *c;

			for (c = a + 1; *c; c++) {
				char one[3] = { '-', *c, '\0' }, *v1[] = { one };

				common_opt(&ctx, NULL, 1, v1, 0);
			}
			r = 1;
		}
		if (r == 0 && !ts_opt &&
		    (!strcmp(a, "-t") || !strcmp(a, "-ts") || !strcmp(a, "-timestamp") ||
		     !strcmp(a, "-tshort") || !strcmp(a, "--timestamp") || !strcmp(a, "--tshort"))) {
			ts_opt = a;	/* monitor's, handed to it below */
			r = 1;
		}
		if (r == 0) {
			/* grouped flags (-jp) or a command option given first:
			 * leave it to the command */
			break;
		}
		i += r;
	}
	argc -= i;
	argv += i;
	if (argc == 0 || argv[0][0] == '-') {
		/*
		 * A command's options before it (`tcptune -a watch -c 1`): the
		 * first word that is a command's whole name is the command, and
		 * the options go after it.  None: bare `tcptune` (or `tcptune
		 * -a`), which is tcptune sockets.
		 */
		char **v = calloc((size_t)argc + 2, sizeof(char *));
		int j = 0;

		if (!v)
			return TT_EXIT_KERNEL;
		for (j = 0; j < argc; j++) {
			const struct tt_cmd *c;

			for (c = tt_cmds; c->name && strcmp(c->name, argv[j]); c++)
				;
			if (c->name)
				break;
		}
		if (j < argc) {
			v[0] = argv[j];
			memcpy(v + 1, argv, (size_t)j * sizeof(char *));
			memcpy(v + 1 + j, argv + j + 1, (size_t)(argc - j - 1) * sizeof(char *));
		} else {
			v[0] = dflt[0];
			memcpy(v + 1, argv, (size_t)argc * sizeof(char *));
			argc++;
		}
		argv = v;
	}
	cmd = cmd_lookup(argv[0], &r);
	if (!cmd && r > 1) {
		char list[256] = "";

		for (cmd = tt_cmds; cmd->name; cmd++)
			if (!strncmp(cmd->name, argv[0], strlen(argv[0])))
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 list[0] ? ", " : "", cmd->name);
		tt_err("ambiguous command \"%s\": %s", argv[0], list);
		return TT_EXIT_USAGE;
	}
	if (!cmd) {
		const char *names[16];
		size_t n = 0;

		for (cmd = tt_cmds; cmd->name && n < 16; cmd++)
			names[n++] = cmd->name;
		tt_err("unknown command \"%s\"", argv[0]);
		tt_suggest_print(argv[0], names, n);
		tt_note("try `tcptune help`");
		return TT_EXIT_USAGE;
	}
	argv[0] = (char *)cmd->name;
	if (ts_opt) {
		char **v;

		if (strcmp(cmd->name, "monitor")) {
			tt_err("%s is monitor's option (tcptune %s monitor, as ip %s monitor)",
			       ts_opt, ts_opt, ts_opt);
			return TT_EXIT_USAGE;
		}
		/* as if it came after the command */
		v = calloc((size_t)argc + 2, sizeof(char *));
		if (!v)
			return TT_EXIT_KERNEL;
		v[0] = argv[0];
		v[1] = ts_opt;
		memcpy(v + 2, argv + 1, (size_t)(argc - 1) * sizeof(char *));
		argv = v;
		argc++;
	}
	optind = 0;	/* getopt_long from the start (glibc: reinitialised) */
	r = cmd->handler(&ctx, argc, argv);
	tt_close(&ctx);
	fflush(stdout);
	if (ferror(stdout) && r == 0)
		r = TT_EXIT_KERNEL;
	return r;
}

/* Weak, so that the tests linked with every object bring their own main. */
__attribute__((weak)) int main(int argc, char **argv)
{
	return tt_main(argc, argv);
}
