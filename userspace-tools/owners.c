// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds a socket, as ss says it: -P (ss -p) finds the processes with
 * a file descriptor on the socket's inode (/proc/PID/fd/N -> socket:[INO]),
 * --cgroup (ss --cgroup) turns the socket's cgroup v2 id into its path by
 * walking the cgroup2 mount (a cgroup's file handle is its id).  Only what
 * this user may read is found, as with ss: another user's /proc/PID/fd is
 * closed to it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcptune.h"

static int owner_cmp(const void *pa, const void *pb)
{
	const struct tt_owner *a = pa, *b = pb;

	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

/* "socket:[12345]" -> 12345; 0 if the link names no socket. */
uint64_t tt_socket_link_ino(const char *lnk)
{
	uint64_t ino;
	char *end;

	if (strncmp(lnk, "socket:[", 8) || !lnk[8] || lnk[8] == '-')
		return 0;
	errno = 0;
	ino = strtoull(lnk + 8, &end, 10);
	if (errno || end == lnk + 8 || strcmp(end, "]"))
		return 0;
	return ino;
}

/* The command's name from /proc/PID/stat: between the first '(' and the last ')'. */
static void proc_name(const char *root, int pid, char *name, size_t len)
{
	char path[300], buf[512], *a, *b;
	ssize_t n;
	int fd;

	snprintf(name, len, "?");
	snprintf(path, sizeof(path), "%s/%d/stat", root, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	a = strchr(buf, '(');
	b = strrchr(buf, ')');
	if (a && b && b > a)
		snprintf(name, len, "%.*s", (int)(b - a - 1), a + 1);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int tt_owners_scan(struct tt_owners *o, const char *proc_root)
{
	const char *root = proc_root ? proc_root : "/proc";
	struct dirent *d, *e;
	DIR *procs, *fds;

	memset(o, 0, sizeof(*o));
	procs = opendir(root);
	if (!procs)
		return -1;
	while ((d = readdir(procs))) {
		char path[300], name[64] = "";
		int pid;

		if (!all_digits(d->d_name) || strlen(d->d_name) > 9)
			continue;
		pid = atoi(d->d_name);
		snprintf(path, sizeof(path), "%s/%d/fd", root, pid);
		fds = opendir(path);
		if (!fds)		/* gone, or not ours to read */
			continue;
		while ((e = readdir(fds))) {
			char lp[320], lnk[64];
			struct tt_owner *w;
			uint64_t ino;
			ssize_t n;

			if (!all_digits(e->d_name) || strlen(e->d_name) > 9)
				continue;
			snprintf(lp, sizeof(lp), "%s/%.12s", path, e->d_name);
			n = readlink(lp, lnk, sizeof(lnk) - 1);
			if (n <= 0)
				continue;
			lnk[n] = '\0';
			ino = tt_socket_link_ino(lnk);
			if (!ino)
				continue;
			if (!name[0])
				proc_name(root, pid, name, sizeof(name));
			if (o->n == o->cap) {
				size_t cap = o->cap ? o->cap * 2 : 256;
				struct tt_owner *v = realloc(o->v, cap * sizeof(*v));

				if (!v) {
					closedir(fds);
					closedir(procs);
					return -1;
				}
				o->v = v;
				o->cap = cap;
			}
			w = &o->v[o->n++];
			w->ino = ino;
			w->pid = pid;
			w->fd = atoi(e->d_name);
			snprintf(w->name, sizeof(w->name), "%s", name);
		}
		closedir(fds);
	}
	closedir(procs);
	if (o->n)
		qsort(o->v, o->n, sizeof(o->v[0]), owner_cmp);
	return 0;
}

void tt_owners_free(struct tt_owners *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}

void tt_owners_attach(const struct tt_owners *o, struct tt_socklist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct tt_sock *s = &l->v[i];
		uint64_t ino = s->v[TCPTUNE_SOCK_A_INODE];
		size_t lo = 0, hi = o->n;

		s->owners_asked = true;
		s->owners = NULL;
		s->n_owners = 0;
		if (!ino || !tt_has(s, TCPTUNE_SOCK_A_INODE))
			continue;
		while (lo < hi) {	/* the first entry of ino */
			size_t mid = lo + (hi - lo) / 2;

			if (o->v[mid].ino < ino)
				lo = mid + 1;
			else
				hi = mid;
		}
		s->owners = &o->v[lo];
		while (lo + s->n_owners < o->n && o->v[lo + s->n_owners].ino == ino)
			s->n_owners++;
	}
}

/* ---- cgroups --------------------------------------------------------------- */

static int cg_cmp(const void *pa, const void *pb)
{
	const struct tt_cgroup_ent *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

/* nftw() has no user pointer: the walk fills this one. */
static struct tt_cgroups *walking;
static size_t walk_root_len;

/* A cgroup's id: its file handle (8 bytes on cgroup2), as the kernel's
 * cgroup_id() and INET_DIAG_CGROUP_ID give it. */
static int cg_id(const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		unsigned char id[8];
	} h;
	int mnt;

	h.fh.handle_bytes = sizeof(h.id);
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mnt, 0) < 0 ||
	    h.fh.handle_bytes != sizeof(h.id))
		return -1;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

static int cg_visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct tt_cgroups *c = walking;
	struct tt_cgroup_ent *e;
	uint64_t id;

	(void)st;
	(void)ftw;
	if (flag != FTW_D || cg_id(path, &id))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct tt_cgroup_ent *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	e = &c->v[c->n];
	e->id = id;
	e->path = strdup(path[walk_root_len] ? path + walk_root_len : "/");
	if (!e->path)
		return -1;
	c->n++;
	return 0;
}

/* The cgroup2 mount point from /proc/self/mountinfo (field 5, type after " - "). */
static char *cgroup2_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], *found = NULL;

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), *p = line, *mp = NULL;
		int i;

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		for (i = 0; i < 4 && p; i++) {	/* to the fifth field */
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (p)
			mp = strndup(p, strcspn(p, " "));
		found = mp;
	}
	fclose(f);
	return found;
}

int tt_cgroups_scan(struct tt_cgroups *c, const char *root)
{
	char *mp = root ? strdup(root) : cgroup2_mount();
	int r;

	memset(c, 0, sizeof(*c));
	if (!mp)
		return -1;
	walking = c;
	walk_root_len = strlen(mp);
	while (walk_root_len > 1 && mp[walk_root_len - 1] == '/')
		walk_root_len--;
	r = nftw(mp, cg_visit, 32, FTW_PHYS | FTW_MOUNT);
	free(mp);
	walking = NULL;
	if (c->n)
		qsort(c->v, c->n, sizeof(c->v[0]), cg_cmp);
	return r < 0 || !c->n ? -1 : 0;
}

void tt_cgroups_free(struct tt_cgroups *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	for (i = 0; i < c->n_extra; i++)
		free(c->extra[i]);
	free(c->v);
	free(c->extra);
	memset(c, 0, sizeof(*c));
}

void tt_cgroups_attach(struct tt_cgroups *c, struct tt_socklist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct tt_sock *s = &l->v[i];
		struct tt_cgroup_ent key = { .id = s->v[TCPTUNE_SOCK_A_CGROUP_ID] }, *e;
		char buf[40], **x;

		s->cgroup = NULL;
		if (!tt_has(s, TCPTUNE_SOCK_A_CGROUP_ID))
			continue;
		e = c->n ? bsearch(&key, c->v, c->n, sizeof(c->v[0]), cg_cmp) : NULL;
		if (e) {
			s->cgroup = e->path;
			continue;
		}
		/* as ss says a cgroup it cannot find */
		x = realloc(c->extra, (c->n_extra + 1) * sizeof(*x));
		if (!x)
			continue;
		c->extra = x;
		snprintf(buf, sizeof(buf), "unreachable:%llx", (unsigned long long)key.id);
		x[c->n_extra] = strdup(buf);
		if (x[c->n_extra])
			s->cgroup = x[c->n_extra++];
	}
}
