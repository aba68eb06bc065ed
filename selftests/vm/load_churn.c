// SPDX-License-Identifier: GPL-2.0
/*
 * Short-lived TCP connections as fast as possible (or at a set rate):
 * client threads connect, wait for the server's FIN and close; server
 * threads accept and close at once.  One connection = connect + accept +
 * close on both sides.  Used by the load test (R5, churn beside long-lived
 * flows) and by scripts/bench-connect.sh (connect/accept/close rate).
 *
 *   load_churn [-a ADDR] [-p PORT] [-t CLIENTS] [-s SERVERS] [-d SECONDS]
 *              [-r RATE] [-C ALGO] [-L ALGO] [-R]
 *
 *   -a  address to listen on and connect to (127.0.0.1; IPv6 if it has ':')
 *   -p  port (0: any free one)
 *   -t  client threads (4); -s server (accept) threads (1)
 *   -d  run time in seconds (10)
 *   -r  total connections per second to aim at (0: as fast as possible)
 *   -C  TCP_CONGESTION for the client sockets (else the netns default)
 *   -L  TCP_CONGESTION for the listener (accepted sockets inherit it)
 *   -R  clients close with RST (SO_LINGER 0) instead of a FIN
 *
 * Prints one line: "conns N secs S rate R errors E".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_storage addr;
static socklen_t addrlen;
static const char *client_cc, *listen_cc;
static double rate_per_thread;
static int rst;
static atomic_long conns, errors;
static atomic_int stop;
static int lfd;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
				continue;
			return NULL;
		}
		close(fd);
	}
}

static void *client(void *arg)
{
	double next = now(), interval = rate_per_thread > 0 ? 1.0 / rate_per_thread : 0;
	struct linger lg = { 1, 0 };
	char buf[64];

	(void)arg;
	while (!atomic_load(&stop)) {
		int fd;

		if (interval > 0) {
			double t = now();

			if (t < next) {
				struct timespec ts = { 0, (long)((next - t) * 1e9) };

				nanosleep(&ts, NULL);
			}
			next += interval;
			if (next < t - 1)	/* fell behind by a second: do not burst */
				next = t;
		}
		fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			goto err;
		if (client_cc && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION,
					    client_cc, strlen(client_cc)) < 0)
			goto err_close;
		if (connect(fd, (struct sockaddr *)&addr, addrlen) < 0)
			goto err_close;
		/* The server closes first: wait for its FIN. */
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		if (rst)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		atomic_fetch_add(&conns, 1);
		continue;
err_close:
		close(fd);
err:
		atomic_fetch_add(&errors, 1);
		usleep(1000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *host = "127.0.0.1";
	int port = 0, nclients = 4, nservers = 1, c, one = 1, i;
	double secs = 10, rate = 0, t0, t1;
	pthread_t th[256];

	while ((c = getopt(argc, argv, "a:p:t:s:d:r:C:L:R")) != -1) {
		switch (c) {
		case 'a': host = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 't': nclients = atoi(optarg); break;
		case 's': nservers = atoi(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'C': client_cc = optarg; break;
		case 'L': listen_cc = optarg; break;
		case 'R': rst = 1; break;
		default:
			fprintf(stderr, "usage: see the header of load_churn.c\n");
			return 2;
		}
	}
	if (nclients < 1 || nservers < 1 || nclients + nservers > 256)
		return 2;
	memset(&addr, 0, sizeof(addr));
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;

		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			return 2;
		addrlen = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;

		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			return 2;
		addrlen = sizeof(*a4);
	}
	lfd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (listen_cc && setsockopt(lfd, IPPROTO_TCP, TCP_CONGESTION,
				     listen_cc, strlen(listen_cc)) < 0) ||
	    bind(lfd, (struct sockaddr *)&addr, addrlen) < 0 ||
	    listen(lfd, 4096) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &addrlen) < 0) {
		perror("listener");
		return 1;
	}
	rate_per_thread = rate / nclients;
	for (i = 0; i < nservers; i++)
		pthread_create(&th[i], NULL, server, NULL);
	t0 = now();
	for (i = 0; i < nclients; i++)
		pthread_create(&th[nservers + i], NULL, client, NULL);
	usleep((useconds_t)(secs * 1e6));
	atomic_store(&stop, 1);
	for (i = 0; i < nclients; i++)
		pthread_join(th[nservers + i], NULL);
	t1 = now();
	printf("conns %ld secs %.2f rate %.1f errors %ld\n", atomic_load(&conns), t1 - t0,
	       atomic_load(&conns) / (t1 - t0), atomic_load(&errors));
	fflush(stdout);
	_exit(0);	/* the server threads sit in accept() */
}
