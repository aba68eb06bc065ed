// SPDX-License-Identifier: GPL-2.0
/*
 * How users pick tcptune's algorithms, checked in the VM with tcptune.ko
 * loaded: the sysctl lists, setsockopt(TCP_CONGESTION) as root and as an
 * unprivileged user (only where the admin allows it), a namespace's
 * default, and a route's congctl.
 *
 * Built against the kselftest harness of the installed linux-source
 * package (see selftests/Makefile).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

static const char *const ours[] = { "tcptune_reno", "tcptune_newreno", "tcptune_bbr" };

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int write_text(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* Is word a whole word of the space-separated list? */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static int sock_cc(int fd, char *name, socklen_t len)
{
	memset(name, 0, len);
	return getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len);
}

/* A connected pair over loopback in the current netns: *c client, *s server. */
static int tcp_pair(const char *addr, int *c, int *s, const char *client_cc)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l, one = 1;

	inet_pton(AF_INET, addr, &sa.sin_addr);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -errno;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		return -errno;
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (client_cc && setsockopt(*c, IPPROTO_TCP, TCP_CONGESTION, client_cc,
				    strlen(client_cc)))
		return -errno;
	if (connect(*c, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	*s = accept(l, NULL, NULL);
	close(l);
	return *s < 0 ? -errno : 0;
}

static void new_netns(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link set lo up"));
}

#define ALLOWED "/proc/sys/net/ipv4/tcp_allowed_congestion_control"

/* Add word to the allowed list (as the admin would); old gets the list. */
static int allow(const char *word, char *old, size_t len)
{
	char buf[1100];
	int err = read_text(ALLOWED, old, len);

	if (err)
		return err;
	old[strcspn(old, "\n")] = '\0';
	snprintf(buf, sizeof(buf), "%s %s", old, word);
	return write_text(ALLOWED, buf);
}

/*
 * Our algorithms are not TCP_CONG_NON_RESTRICTED: on a fresh load (the
 * runner reloads the module before each suite) they are available but
 * not in the allowed list, which is the admin's to extend.
 */
TEST(available_not_allowed_by_default)
{
	char avail[1024], allowed[1024];
	unsigned int i;

	ASSERT_EQ(0, read_text("/proc/sys/net/ipv4/tcp_available_congestion_control",
			       avail, sizeof(avail)));
	ASSERT_EQ(0, read_text(ALLOWED, allowed, sizeof(allowed)));
	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		EXPECT_TRUE(has_word(avail, ours[i])) TH_LOG("%s not in %s", ours[i], avail);
		EXPECT_FALSE(has_word(allowed, ours[i])) TH_LOG("%s in %s", ours[i], allowed);
	}
	/* positive control of has_word on the same list: reno is always allowed */
	EXPECT_TRUE(has_word(allowed, "reno")) TH_LOG("reno not in %s", allowed);
}

TEST(setsockopt_root)
{
	char name[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		int fd = socket(AF_INET6, SOCK_STREAM, 0);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, ours[i],
					strlen(ours[i])));
		ASSERT_EQ(0, sock_cc(fd, name, sizeof(name)));
		EXPECT_STREQ(ours[i], name);
		close(fd);
	}
	/* An unknown name is refused and leaves the socket as it was. */
	{
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		ASSERT_EQ(0, setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "tcptune_reno", 12));
		EXPECT_EQ(-1, setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "tcptune_nope", 12));
		EXPECT_EQ(ENOENT, errno);
		ASSERT_EQ(0, sock_cc(fd, name, sizeof(name)));
		EXPECT_STREQ("tcptune_reno", name);
		close(fd);
	}
}

/*
 * In a child that drops to nobody: setsockopt(TCP_CONGESTION, name) on a
 * new socket.  Returns 0 or the errno it failed with (-1: child trouble).
 */
static int unprivileged_setsockopt(const char *cc)
{
	int st, pfd[2], err = -1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		char name[16] = "";
		socklen_t len = sizeof(name);
		int fd, e = 0;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(2);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)))
			e = errno;
		else if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) ||
			 strcmp(name, cc))
			e = EPROTO;	/* "worked" but the socket says otherwise */
		if (write(pfd[1], &e, sizeof(e)) != sizeof(e))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	if (pid > 0 && read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = -1;
	close(pfd[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return err;
}

/*
 * The kernel's rule: root may pick any algorithm, other users those in
 * net.ipv4.tcp_allowed_congestion_control.  Ours are refused to nobody
 * until the admin lists them, then allowed; vegas (loaded, never listed)
 * stays refused, reno (always listed) is allowed throughout.
 */
TEST(setsockopt_unprivileged)
{
	char old[1024];
	unsigned int i;

	ASSERT_EQ(0, system("modprobe tcp_vegas"));
	EXPECT_EQ(0, unprivileged_setsockopt("reno"));
	EXPECT_EQ(EPERM, unprivileged_setsockopt("vegas"));
	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		const char *cc = ours[i];

		EXPECT_EQ(EPERM, unprivileged_setsockopt(cc)) TH_LOG("%s", cc);
	}

	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		ASSERT_EQ(0, allow(ours[i], old, sizeof(old)));
		EXPECT_EQ(0, unprivileged_setsockopt(ours[i])) TH_LOG("%s allowed", ours[i]);
		EXPECT_EQ(EPERM, unprivileged_setsockopt("vegas"));
		ASSERT_EQ(0, write_text(ALLOWED, old));
		/* and refused again once the admin takes it back */
		EXPECT_EQ(EPERM, unprivileged_setsockopt(ours[i])) TH_LOG("%s revoked", ours[i]);
	}
}

TEST(netns_default_used_by_new_connections)
{
	char name[16], old[1024], all[256] = "";
	unsigned int i;
	int c, s, initns;

	/*
	 * A namespace other than the initial one may only make an allowed
	 * (non-restricted) algorithm its default, and only the initial
	 * namespace may extend the allowed list: allow ours first.  (The
	 * refusal itself is not tried: 6.1's
	 * tcp_set_default_congestion_control() leaks a module reference
	 * when it returns EPERM; see README.)
	 */
	for (i = 0; i < ARRAY_SIZE(ours); i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
			 i ? " " : "", ours[i]);
	ASSERT_EQ(0, allow(all, old, sizeof(old)));
	initns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, initns);
	new_netns(_metadata);
	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		ASSERT_EQ(0, write_text("/proc/sys/net/ipv4/tcp_congestion_control", ours[i]));
		ASSERT_EQ(0, tcp_pair("127.0.0.1", &c, &s, NULL));
		ASSERT_EQ(0, sock_cc(c, name, sizeof(name)));
		EXPECT_STREQ(ours[i], name);
		ASSERT_EQ(0, sock_cc(s, name, sizeof(name)));
		EXPECT_STREQ(ours[i], name);
		close(c);
		close(s);
	}
	/* Give the module reference back before the netns goes away. */
	ASSERT_EQ(0, write_text("/proc/sys/net/ipv4/tcp_congestion_control", "reno"));
	ASSERT_EQ(0, setns(initns, CLONE_NEWNET));
	ASSERT_EQ(0, write_text(ALLOWED, old));
	close(initns);
}

TEST(route_congctl)
{
	char name[16];
	int c, s;

	new_netns(_metadata);
	ASSERT_EQ(0, system("ip addr add 198.18.3.1/32 dev lo && "
			    "ip route replace local 198.18.3.1 dev lo table local "
			    "proto kernel scope host src 198.18.3.1 congctl tcptune_reno"));
	ASSERT_EQ(0, tcp_pair("198.18.3.1", &c, &s, NULL));
	ASSERT_EQ(0, sock_cc(c, name, sizeof(name)));
	EXPECT_STREQ("tcptune_reno", name);
	close(c);
	close(s);

	/* Control: without the route's congctl the default applies. */
	ASSERT_EQ(0, system("ip route replace local 198.18.3.1 dev lo table local "
			    "proto kernel scope host src 198.18.3.1"));
	ASSERT_EQ(0, tcp_pair("198.18.3.1", &c, &s, NULL));
	ASSERT_EQ(0, sock_cc(c, name, sizeof(name)));
	EXPECT_STRNE("tcptune_reno", name);
	close(c);
	close(s);
}

TEST_HARNESS_MAIN
