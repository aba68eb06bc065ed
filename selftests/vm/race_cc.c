// SPDX-License-Identifier: GPL-2.0
/*
 * race_cc: race get_info (TCP_CC_INFO, inet_diag) against the calls that
 * release and zero a socket's congestion-control private area.
 *
 *   race_cc ALGO SECONDS [PORT]
 *
 * One thread cycles a TCP socket (congestion control ALGO) through
 *   connect -> connect(AF_UNSPEC)                       (tcp_disconnect)
 *   connect -> TCP_CONGESTION "reno" -> ALGO -> AF_UNSPEC
 *                                          (tcp_reinit_congestion_control)
 *   connect -> SO_LINGER {1, 0} -> close  (tcp_close -> tcp_disconnect;
 *              a fresh socket is dup2()ed onto the same descriptor)
 * against a listener on 127.0.0.1 (ALGO too) served by a second thread,
 * while two threads loop getsockopt(TCP_CC_INFO) on that descriptor and a
 * fifth dumps every TCP socket over inet_diag with every extension
 * (what `ss -tni` asks for).  Meant to run as an unprivileged user.
 *
 * Prints one line of counters (key=value) and exits 0; exits 2 when the
 * set-up fails (e.g. ALGO may not be used: EPERM), 3 when the socket did
 * not end up with ALGO.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef TCP_CC_INFO
#define TCP_CC_INFO 26
#endif

static const char *algo;
static int fd;			/* the raced descriptor */
static int lfd;			/* listener */
static struct sockaddr_in dst;
static atomic_int stop;

static atomic_long cycles, connects, connect_fail, reinits, lingers;
static atomic_long cc_calls, cc_errors, cc_bbr, cc_bbr_filled, cc_other;
static atomic_long diag_dumps, diag_socks, diag_bbr, diag_errors;
static atomic_long accepted;

static void die(const char *what, int code)
{
	fprintf(stderr, "race_cc: %s: %s\n", what, strerror(errno));
	exit(code);
}

static int set_cc(int s, const char *name)
{
	return setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, name, strlen(name));
}

static int new_sock(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		die("socket", 2);
	if (set_cc(s, algo))
		die("setsockopt(TCP_CONGESTION, ALGO)", 2);
	return s;
}

static void *acceptor(void *arg)
{
	while (!atomic_load(&stop)) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0)
			continue;
		atomic_fetch_add(&accepted, 1);
		close(c);
	}
	return NULL;
}

static void *cc_reader(void *arg)
{
	while (!atomic_load(&stop)) {
		struct tcp_bbr_info bbr;
		unsigned char buf[64];
		socklen_t len = sizeof(buf);

		if (getsockopt(fd, IPPROTO_TCP, TCP_CC_INFO, buf, &len)) {
			atomic_fetch_add(&cc_errors, 1);
		} else if (len == sizeof(bbr)) {
			memcpy(&bbr, buf, sizeof(bbr));
			atomic_fetch_add(&cc_bbr, 1);
			if (bbr.bbr_pacing_gain && bbr.bbr_cwnd_gain)
				atomic_fetch_add(&cc_bbr_filled, 1);
		} else if (len) {
			atomic_fetch_add(&cc_other, 1);
		}
		atomic_fetch_add(&cc_calls, 1);
	}
	return NULL;
}

/* One inet_diag dump of every IPv4 TCP socket with every extension. */
static void diag_dump(int nl)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.sdiag_family = AF_INET,
			.sdiag_protocol = IPPROTO_TCP,
			.idiag_ext = 0xff,
			.idiag_states = ~0U,
		},
	};
	static __thread char buf[65536];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(nl, &msg, sizeof(msg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		atomic_fetch_add(&diag_errors, 1);
		return;
	}
	for (;;) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n <= 0) {
			atomic_fetch_add(&diag_errors, 1);
			return;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m = NLMSG_DATA(h);
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				atomic_fetch_add(&diag_dumps, 1);
				return;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				atomic_fetch_add(&diag_errors, 1);
				return;
			}
			atomic_fetch_add(&diag_socks, 1);
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
				if (a->rta_type == INET_DIAG_BBRINFO)
					atomic_fetch_add(&diag_bbr, 1);
		}
	}
}

static void *diag_reader(void *arg)
{
	int nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (nl < 0)
		die("socket(NETLINK_SOCK_DIAG)", 2);
	while (!atomic_load(&stop))
		diag_dump(nl);
	close(nl);
	return NULL;
}

static int do_connect(void)
{
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		atomic_fetch_add(&connect_fail, 1);
		return -1;
	}
	atomic_fetch_add(&connects, 1);
	return 0;
}

static void disconnect(void)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	connect(fd, &sa, sizeof(sa));
}

static void check_algo(void)
{
	char name[16] = "";
	socklen_t len = sizeof(name);

	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len))
		die("getsockopt(TCP_CONGESTION)", 3);
	if (strncmp(name, algo, sizeof(name))) {
		fprintf(stderr, "race_cc: socket uses %.16s, not %s\n", name, algo);
		exit(3);
	}
}

int main(int argc, char **argv)
{
	pthread_t acc, rd[2], dg;
	struct sockaddr_in la = { .sin_family = AF_INET };
	socklen_t sl = sizeof(la);
	struct timespec t0, t;
	double secs;
	int one = 1, i;

	if (argc < 3) {
		fprintf(stderr, "usage: race_cc ALGO SECONDS [PORT]\n");
		return 2;
	}
	algo = argv[1];
	secs = atof(argv[2]);

	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	la.sin_port = htons(argc > 3 ? atoi(argv[3]) : 0);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket", 2);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (set_cc(lfd, algo))
		die("setsockopt(listener, TCP_CONGESTION, ALGO)", 2);
	if (bind(lfd, (struct sockaddr *)&la, sizeof(la)) || listen(lfd, 4096))
		die("bind/listen", 2);
	if (getsockname(lfd, (struct sockaddr *)&dst, &sl))
		die("getsockname", 2);
	{
		/* accept() wakes up every 100 ms to see stop */
		struct timeval tv = { .tv_usec = 100000 };

		setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}

	fd = new_sock();
	if (do_connect())
		die("first connect", 2);
	check_algo();

	pthread_create(&acc, NULL, acceptor, NULL);
	for (i = 0; i < 2; i++)
		pthread_create(&rd[i], NULL, cc_reader, NULL);
	pthread_create(&dg, NULL, diag_reader, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long c = atomic_fetch_add(&cycles, 1);

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
		if (c && do_connect())
			continue;
		switch (c % 3) {
		case 0:
			disconnect();
			break;
		case 1:
			/* reinit: ours -> the kernel's reno -> ours, connected */
			if (!set_cc(fd, "reno") && !set_cc(fd, algo))
				atomic_fetch_add(&reinits, 1);
			disconnect();
			break;
		case 2: {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			int s = new_sock();

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			/* closes the old socket (RST, tcp_disconnect) atomically */
			if (dup2(s, fd) < 0)
				die("dup2", 2);
			close(s);
			atomic_fetch_add(&lingers, 1);
			break;
		}
		}
	}
	atomic_store(&stop, 1);
	pthread_join(acc, NULL);
	for (i = 0; i < 2; i++)
		pthread_join(rd[i], NULL);
	pthread_join(dg, NULL);

	printf("cycles=%ld connects=%ld connect_fail=%ld reinits=%ld lingers=%ld accepted=%ld "
	       "cc_calls=%ld cc_errors=%ld cc_bbr=%ld cc_bbr_filled=%ld cc_other=%ld "
	       "diag_dumps=%ld diag_socks=%ld diag_bbr=%ld diag_errors=%ld\n",
	       atomic_load(&cycles), atomic_load(&connects), atomic_load(&connect_fail),
	       atomic_load(&reinits), atomic_load(&lingers), atomic_load(&accepted),
	       atomic_load(&cc_calls), atomic_load(&cc_errors), atomic_load(&cc_bbr),
	       atomic_load(&cc_bbr_filled), atomic_load(&cc_other),
	       atomic_load(&diag_dumps), atomic_load(&diag_socks), atomic_load(&diag_bbr),
	       atomic_load(&diag_errors));
	return 0;
}
