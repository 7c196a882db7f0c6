/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by tests/reliability/failnth.c and fuzz.c: flag names, a
 * sibling task that shares contexts with the caller (with or without
 * CLONE_VM), namespace and credential snapshots, kcmp(2).
 *
 * Everything is static: each program is one translation unit, linked static.
 */
#ifndef RELIABILITY_COMMON_H
#define RELIABILITY_COMMON_H

#pragma GCC diagnostic ignored "-Wunused-function"

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080UL
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP		0x02000000UL
#endif
#ifndef UNSHARE_EMPTY_MNTNS
#define UNSHARE_EMPTY_MNTNS	0x00100000UL
#endif
#define KCMP_FILE_		0
#define KCMP_VM_		1
#define KCMP_FILES_		2
#define KCMP_FS_		3
#define KCMP_SIGHAND_		4
#define KCMP_IO_		5
#define KCMP_SYSVSEM_		6

#define NS_FLAGS	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
			 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)
#define VALID_FLAGS	((unsigned long)(CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | \
			 CLONE_FILES | CLONE_SYSVSEM | NS_FLAGS | UNSHARE_EMPTY_MNTNS))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	unsigned long flag;
	const char *name;
} flag_names[] = {
	{ CLONE_THREAD, "THREAD" }, { CLONE_FS, "FS" }, { CLONE_SIGHAND, "SIGHAND" },
	{ CLONE_VM, "VM" }, { CLONE_FILES, "FILES" }, { CLONE_SYSVSEM, "SYSVSEM" },
	{ CLONE_NEWNS, "NEWNS" }, { CLONE_NEWUTS, "NEWUTS" }, { CLONE_NEWIPC, "NEWIPC" },
	{ CLONE_NEWNET, "NEWNET" }, { CLONE_NEWPID, "NEWPID" },
	{ CLONE_NEWCGROUP, "NEWCGROUP" }, { CLONE_NEWTIME, "NEWTIME" },
	{ CLONE_NEWUSER, "NEWUSER" }, { UNSHARE_EMPTY_MNTNS, "EMPTY_MNTNS" },
};

static char *flags_str(unsigned long flags, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!(flags & flag_names[i].flag))
			continue;
		len += snprintf(buf + len, size - len, "%s%s", len ? "|" : "", flag_names[i].name);
		flags &= ~flag_names[i].flag;
	}
	if (flags)
		len += snprintf(buf + len, size - len, "%s0x%lx", len ? "|" : "", flags);
	if (!len)
		snprintf(buf, size, "0");
	return buf;
}

/* unshare's own normalisation of the flags (ksys_unshare_c). */
static unsigned long normalize_flags(unsigned long f)
{
	if (f & CLONE_NEWUSER)
		f |= CLONE_THREAD | CLONE_FS;
	if (f & CLONE_VM)
		f |= CLONE_SIGHAND;
	if (f & CLONE_SIGHAND)
		f |= CLONE_THREAD;
	if (f & UNSHARE_EMPTY_MNTNS)
		f |= CLONE_NEWNS;
	if (f & CLONE_NEWNS)
		f |= CLONE_FS;
	return f;
}

static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case EUSERS: return "EUSERS";
	case EAGAIN: return "EAGAIN";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
	}
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fatal: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(2);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return (int)n;
}

static long read_long(const char *path, long dflt)
{
	char buf[64];

	return read_str(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 0) : dflt;
}

static int write_long(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return write_str(path, buf);
}

static long kcmp(pid_t a, pid_t b, int type)
{
	return syscall(SYS_kcmp, a, b, type, 0, 0);
}

/* ---- namespaces ---------------------------------------------------------- */

static const char *const ns_names[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
	"time", "time_for_children", "user", "uts",
};
#define NR_NS ARRAY_SIZE(ns_names)

struct ns_snap {
	char link[NR_NS][48];
};

/* dir: "thread-self" or a pid, relative to procfd (so it works after chroot or an empty mntns). */
static void ns_read(int procfd, const char *dir, struct ns_snap *s)
{
	char path[64];

	for (size_t i = 0; i < NR_NS; i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/ns/%s", dir, ns_names[i]);
		n = readlinkat(procfd, path, s->link[i], sizeof(s->link[i]) - 1);
		if (n < 0)
			snprintf(s->link[i], sizeof(s->link[i]), "err%d", errno);
		else
			s->link[i][n] = 0;
	}
}

static unsigned int ns_diff(const struct ns_snap *a, const struct ns_snap *b)
{
	unsigned int m = 0;

	for (size_t i = 0; i < NR_NS; i++)
		if (strcmp(a->link[i], b->link[i]))
			m |= 1U << i;
	return m;
}

/* The links that a successful unshare(flags) changes. */
static unsigned int ns_expected(unsigned long f)
{
	unsigned int m = 0;

	f = normalize_flags(f);
	if (f & CLONE_NEWCGROUP) m |= 1U << 0;
	if (f & CLONE_NEWIPC) m |= 1U << 1;
	if (f & CLONE_NEWNS) m |= 1U << 2;
	if (f & CLONE_NEWNET) m |= 1U << 3;
	if (f & CLONE_NEWPID) m |= 1U << 5;
	if (f & CLONE_NEWTIME) m |= 1U << 7;
	if (f & CLONE_NEWUSER) m |= 1U << 8;
	if (f & CLONE_NEWUTS) m |= 1U << 9;
	return m;
}

static char *ns_mask_str(unsigned int m, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < NR_NS; i++)
		if (m & (1U << i))
			len += snprintf(buf + len, size - len, "%s%s", len ? "," : "", ns_names[i]);
	if (!len)
		snprintf(buf, size, "-");
	return buf;
}

/* ---- credentials --------------------------------------------------------- */

struct cred_snap {
	char status[512];	/* Uid, Gid, Groups, Cap* lines of /proc/<dir>/status */
};

static void cred_read(int procfd, const char *dir, struct cred_snap *c)
{
	char path[64], buf[4096];
	int fd;
	ssize_t n;
	size_t len = 0;

	c->status[0] = 0;
	snprintf(path, sizeof(path), "%s/status", dir);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(c->status, sizeof(c->status), "err%d", errno);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(c->status, sizeof(c->status), "err%d", errno);
		return;
	}
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "Uid:", 4) && strncmp(line, "Gid:", 4) &&
		    strncmp(line, "Groups:", 7) && strncmp(line, "Cap", 3) &&
		    strncmp(line, "NoNewPrivs:", 11))
			continue;
		len += snprintf(c->status + len, sizeof(c->status) - len, "%s;", line);
		if (len >= sizeof(c->status))
			break;
	}
}

/* ---- the sibling ------------------------------------------------------------ */

enum sib_op { SIB_EXIT = 1, SIB_PIPE, SIB_FSTAT, SIB_CLOSE, SIB_CWD, SIB_ROOT, SIB_UMASK, SIB_PING, SIB_KCMP };

struct sib_req {
	long op, a;
};

struct sib_resp {
	long r, x;
};

struct sibling {
	pid_t pid;
	int sock[2];	/* [0] ours, [1] the sibling's */
	void *stack;
	size_t stack_size;
	unsigned long flags;
};

/*
 * The sibling's loop. With CLONE_VM it runs on our memory and TLS, so it
 * makes raw system calls only and never returns into libc state that we
 * use; we never run at the same time (request, then response).
 */
static int sibling_fn(void *arg)
{
	struct sibling *s = arg;
	int fd = s->sock[1];

	for (;;) {
		struct sib_req q;
		struct sib_resp p = { 0, 0 };
		struct stat st;
		int pfd[2];

		if (syscall(SYS_read, fd, &q, sizeof(q)) != sizeof(q))
			syscall(SYS_exit, 0);
		switch (q.op) {
		case SIB_EXIT:
			syscall(SYS_write, fd, &p, sizeof(p));
			syscall(SYS_exit, 0);
			break;
		case SIB_PIPE:
			if (syscall(SYS_pipe2, pfd, 0)) {
				p.r = -1;
				break;
			}
			syscall(SYS_close, pfd[1]);
			p.r = pfd[0];
			p.x = syscall(SYS_fstat, pfd[0], &st) ? -1 : (long)st.st_ino;
			break;
		case SIB_FSTAT:
			p.r = syscall(SYS_fstat, (int)q.a, &st) ? -1 : (long)st.st_ino;
			break;
		case SIB_CLOSE:
			p.r = syscall(SYS_close, (int)q.a);
			break;
		case SIB_CWD:
			p.r = syscall(SYS_newfstatat, AT_FDCWD, ".", &st, 0) ? -1 : (long)st.st_ino;
			break;
		case SIB_ROOT:
			p.r = syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0) ? -1 : (long)st.st_ino;
			break;
		case SIB_UMASK:
			p.r = syscall(SYS_umask, 0);
			syscall(SYS_umask, p.r);
			break;
		case SIB_PING:
			p.r = syscall(SYS_getpid);
			break;
		case SIB_KCMP:
			/*
			 * kcmp(2) of our parent and us, from our side: after a new user
			 * namespace the parent may no longer inspect us (commoncap wants
			 * the same user namespace), but we, its owner's credentials,
			 * still may inspect it.
			 */
			p.r = syscall(SYS_kcmp, syscall(SYS_getppid), syscall(SYS_getpid),
				      (int)q.a, 0, 0);
			break;
		}
		syscall(SYS_write, fd, &p, sizeof(p));
	}
	return 0;
}

/* flags: any of CLONE_FS, CLONE_FILES, CLONE_SYSVSEM, CLONE_VM, CLONE_SIGHAND (needs CLONE_VM). */
static int sibling_start(struct sibling *s, unsigned long flags)
{
	s->flags = flags;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s->sock))
		return -errno;
	s->stack_size = 64 * 1024;
	s->stack = mmap(NULL, s->stack_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (s->stack == MAP_FAILED)
		return -errno;
	s->pid = clone(sibling_fn, (char *)s->stack + s->stack_size, (int)flags | SIGCHLD, s);
	if (s->pid < 0) {
		int e = -errno;

		munmap(s->stack, s->stack_size);
		close(s->sock[0]);
		close(s->sock[1]);
		return e;
	}
	return 0;
}

static struct sib_resp sibling_call(struct sibling *s, long op, long a)
{
	struct sib_req q = { op, a };
	struct sib_resp p = { -1, -1 };

	if (write(s->sock[0], &q, sizeof(q)) != sizeof(q) ||
	    read(s->sock[0], &p, sizeof(p)) != sizeof(p))
		p.r = p.x = -1;
	return p;
}

static int sibling_stop(struct sibling *s)
{
	int status = 0;

	sibling_call(s, SIB_EXIT, 0);
	if (waitpid(s->pid, &status, __WALL) < 0)
		status = -1;
	close(s->sock[0]);
	close(s->sock[1]);
	if (!(s->flags & CLONE_VM))
		munmap(s->stack, s->stack_size);
	/* with CLONE_VM the stack stays mapped: the sibling may still be on it while exiting */
	return status;
}

/* ---- hashing ------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

#endif /* RELIABILITY_COMMON_H */
