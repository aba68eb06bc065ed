// SPDX-License-Identifier: GPL-2.0
/*
 * sec_uffd: hold one TCP socket's lock for as long as we like.
 *
 *   sec_uffd ALGO MAX_SECONDS
 *
 * Connects a socket using congestion control ALGO to a listener of its own
 * on 127.0.0.1, then calls send() on it from a page registered with
 * userfaultfd: tcp_sendmsg() takes the socket lock and faults copying the
 * page, and the fault stays unresolved -- the lock held -- until a line
 * arrives on stdin (or MAX_SECONDS pass).  Prints "held PORT" once the fault
 * is seen, "released N" when send() returned N.  Needs the right to handle
 * kernel-mode faults (root, or vm.unprivileged_userfaultfd = 1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fd;
static char *page;
static long psize;
static ssize_t sent = -2;

static void die(const char *what)
{
	fprintf(stderr, "sec_uffd: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void *sender(void *arg)
{
	sent = send(fd, page, psize, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_zeropage zp;
	struct uffd_msg msg;
	struct pollfd pfd[2];
	socklen_t sl = sizeof(a);
	pthread_t th;
	int lfd, cfd, uffd, max_ms;

	if (argc < 3) {
		fprintf(stderr, "usage: sec_uffd ALGO MAX_SECONDS\n");
		return 2;
	}
	max_ms = atoi(argv[2]) * 1000;
	psize = sysconf(_SC_PAGESIZE);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &sl))
		die("listener");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, argv[1], strlen(argv[1])))
		die("setsockopt(TCP_CONGESTION)");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		die("accept");

	page = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		die("mmap");
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		die("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	reg.range.start = (unsigned long)page;
	reg.range.len = psize;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");

	pthread_create(&th, NULL, sender, NULL);
	pfd[0].fd = uffd;
	pfd[0].events = POLLIN;
	if (poll(pfd, 1, 10000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		fprintf(stderr, "sec_uffd: no fault within 10 s (sent=%zd)\n", sent);
		return 3;
	}
	printf("held %d\n", ntohs(a.sin_port));
	fflush(stdout);

	/* until a line on stdin, EOF, or MAX_SECONDS */
	pfd[0].fd = 0;
	pfd[0].events = POLLIN;
	poll(pfd, 1, max_ms);

	zp.range.start = (unsigned long)page;
	zp.range.len = psize;
	zp.mode = 0;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zp))
		die("UFFDIO_ZEROPAGE");
	pthread_join(th, NULL);
	printf("released %zd\n", sent);
	fflush(stdout);
	close(cfd);
	close(fd);
	return 0;
}
