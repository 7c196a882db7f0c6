// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the unshare(2) selftests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unshare_util.h"

#define HOLDER_STACK_SIZE	(256 * 1024)

static int proc_fd = -1;
static int probe_fd[3] = { -1, -1, -1 };
static int root_fd = -1;
static char workdir[PATH_MAX];

static const char * const ns_names[NR_NS] = {
	[NS_CGROUP]	= "cgroup",
	[NS_IPC]	= "ipc",
	[NS_MNT]	= "mnt",
	[NS_NET]	= "net",
	[NS_PID]	= "pid",
	[NS_PID_CHILD]	= "pid_for_children",
	[NS_TIME]	= "time",
	[NS_TIME_CHILD]	= "time_for_children",
	[NS_USER]	= "user",
	[NS_UTS]	= "uts",
};

long sys_unshare(unsigned long flags)
{
	/* The raw syscall, so that every bit of the long reaches the kernel. */
	return syscall(SYS_unshare, flags) ? -errno : 0;
}

bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* UNSHARE_EMPTY_MNTNS is pinned as the 7.3 reference implements it. */
bool kernel_has_empty_mntns(void)
{
	return kernel_at_least(7, 3);
}

unsigned long valid_unshare_flags(void)
{
	if (kernel_has_empty_mntns())
		return VALID_FLAGS;
	return VALID_FLAGS & ~(unsigned long)UNSHARE_EMPTY_MNTNS;
}

/* "mnt,uts" for a mask of NS_BIT()s */
char *ns_mask_names(unsigned int mask, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NR_NS; i++)
		if ((mask & NS_BIT(i)) && len < size)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", ns_names[i]);
	return buf;
}

int ns_ids_read(struct ns_ids *ids)
{
	char path[64];
	struct stat st;
	int i;

	for (i = 0; i < NR_NS; i++) {
		snprintf(path, sizeof(path), "thread-self/ns/%s", ns_names[i]);
		if (fstatat(proc_dirfd(), path, &st, 0)) {
			if (errno != ENOENT)
				return -errno;
			/* kernel without this namespace type */
			st.st_ino = 0;
		}
		ids->ino[i] = st.st_ino;
	}
	return 0;
}

unsigned int ns_ids_diff(const struct ns_ids *a, const struct ns_ids *b)
{
	unsigned int diff = 0;
	int i;

	for (i = 0; i < NR_NS; i++)
		if (a->ino[i] != b->ino[i])
			diff |= NS_BIT(i);
	return diff;
}

/* Which /proc/self/ns links a successful unshare(@flags) changes. */
unsigned int ns_expected_diff(unsigned long flags)
{
	static const struct {
		unsigned long flag;
		unsigned int bit;
	} map[] = {
		{ CLONE_NEWNS,		NS_BIT(NS_MNT) },
		{ UNSHARE_EMPTY_MNTNS,	NS_BIT(NS_MNT) },
		{ CLONE_NEWCGROUP,	NS_BIT(NS_CGROUP) },
		{ CLONE_NEWUTS,		NS_BIT(NS_UTS) },
		{ CLONE_NEWIPC,		NS_BIT(NS_IPC) },
		{ CLONE_NEWUSER,	NS_BIT(NS_USER) },
		/* the caller stays; only its future children move */
		{ CLONE_NEWPID,		NS_BIT(NS_PID_CHILD) },
		{ CLONE_NEWNET,		NS_BIT(NS_NET) },
		{ CLONE_NEWTIME,	NS_BIT(NS_TIME_CHILD) },
	};
	unsigned int diff = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (flags & map[i].flag)
			diff |= map[i].bit;
	return diff;
}

int status_field(const char *rel, const char *field, uint64_t *val, int base)
{
	char buf[4096], key[64], *p;
	int ret;

	ret = proc_read(rel, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	snprintf(key, sizeof(key), "\n%s:", field);
	p = strstr(buf, key);
	if (!p)
		return -ENOENT;
	*val = strtoull(p + strlen(key), NULL, base);
	return 0;
}

static int cred_snap_read(struct cred_snap *c)
{
	static const char * const cap_fields[] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	};
	int i, ret;

	if (getresuid(&c->uid[0], &c->uid[1], &c->uid[2]) ||
	    getresgid(&c->gid[0], &c->gid[1], &c->gid[2]))
		return -errno;
	c->ngroups = getgroups(ARRAY_SIZE(c->groups), c->groups);
	if (c->ngroups < 0)
		return -errno;
	c->securebits = prctl(PR_GET_SECUREBITS);
	for (i = 0; i < 5; i++) {
		ret = status_field("thread-self/status", cap_fields[i],
				   &c->caps[i], 16);
		if (ret)
			return ret;
	}
	return 0;
}

static int fs_snap_read(struct fs_snap *f)
{
	struct stat root, cwd;
	uint64_t mask;
	int ret;

	if (stat("/", &root) || stat(".", &cwd))
		return -errno;
	ret = status_field("thread-self/status", "Umask", &mask, 8);
	if (ret)
		return ret;
	f->root_dev = root.st_dev;
	f->root_ino = root.st_ino;
	f->cwd_dev = cwd.st_dev;
	f->cwd_ino = cwd.st_ino;
	f->umask = mask;
	return 0;
}

int task_snap_read(struct task_snap *snap)
{
	int ret;

	memset(snap, 0, sizeof(*snap));
	ret = ns_ids_read(&snap->ns);
	if (!ret)
		ret = cred_snap_read(&snap->cred);
	if (!ret)
		ret = fs_snap_read(&snap->fs);
	return ret;
}

uint64_t full_cap_mask(void)
{
	int last = 0;

	/* PR_CAPBSET_READ fails only past CAP_LAST_CAP */
	while (prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0)
		last++;
	return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

static int make_probe_dir(int idx)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/probe%d", workdir, idx);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	probe_fd[idx] = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return probe_fd[idx] < 0 ? -errno : 0;
}

int util_init(const char *dir)
{
	int ret, i;

	snprintf(workdir, sizeof(workdir), "%s", dir);
	if (mkdir(workdir, 0755) && errno != EEXIST)
		return -errno;
	proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0 || root_fd < 0)
		return -errno;
	for (ret = 0, i = 0; !ret && i < 3; i++)
		ret = make_probe_dir(i);
	return ret;
}

int proc_dirfd(void)
{
	/* the harness parent (sysctl restore) never ran util_init() */
	if (proc_fd < 0)
		proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return proc_fd;
}

int proc_read(const char *rel, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd;

	fd = openat(proc_dirfd(), rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			total = -errno;
			break;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	if (total >= 0)
		buf[total] = '\0';
	return total;
}

static int write_fd(int fd, const char *buf)
{
	size_t len = strlen(buf);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int proc_write(const char *rel, const char *buf)
{
	return write_fd(openat(proc_dirfd(), rel, O_WRONLY | O_CLOEXEC), buf);
}

int write_file(const char *path, const char *buf)
{
	return write_fd(open(path, O_WRONLY | O_CLOEXEC), buf);
}

int sysctl_read(const char *name, long *val)
{
	char path[128], buf[64];
	int ret;

	snprintf(path, sizeof(path), "sys/%s", name);
	ret = proc_read(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	*val = strtol(buf, NULL, 10);
	return 0;
}

int sysctl_write(const char *name, long val)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "sys/%s", name);
	snprintf(buf, sizeof(buf), "%ld\n", val);
	return proc_write(path, buf);
}

/* A string sysctl, without its newline. */
int sysctl_read_str(const char *name, char *buf, size_t size)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), "sys/%s", name);
	ret = proc_read(path, buf, size);
	if (ret < 0)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int sysctl_write_str(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "sys/%s", name);
	return proc_write(path, val);
}

/* Number of mounts the caller sees; @first gets the first line. */
int mountinfo_lines(char *first, size_t size)
{
	size_t len = 0;
	char *line = NULL;
	int fd, count = 0;
	FILE *f;

	fd = openat(proc_dirfd(), "thread-self/mountinfo",
		    O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	while (getline(&line, &len, f) > 0) {
		if (!count && first)
			snprintf(first, size, "%s", line);
		count++;
	}
	free(line);
	fclose(f);
	return count;
}

/* 0 for a clean exit, the exit code, 128 + signal, or -errno. */
int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* -errno of a failing fork(), 0 if it worked (the child exits at once). */
int fork_error(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid)
		_exit(0);
	if (pid < 0)
		return -errno;
	wait_status(pid);
	return 0;
}

int drop_privileges(void)
{
	if (setgroups(0, NULL) ||
	    setresgid(NOBODY_ID, NOBODY_ID, NOBODY_ID) ||
	    setresuid(NOBODY_ID, NOBODY_ID, NOBODY_ID))
		return -errno;
	/* keep /proc/self owned by us so uid_map stays writable */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -errno;
	return 0;
}

/* After unshare(CLONE_NEWUSER): map root inside to our ids outside. */
int userns_map_root(uid_t outer_uid, gid_t outer_gid)
{
	char map[64];
	int ret;

	snprintf(map, sizeof(map), "0 %u 1\n", outer_uid);
	ret = proc_write("self/uid_map", map);
	if (!ret)
		ret = proc_write("self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "0 %u 1\n", outer_gid);
	if (!ret)
		ret = proc_write("self/gid_map", map);
	return ret;
}

struct sib_msg {
	int op;
	long a, b;
};

static long sibling_do(const struct sib_msg *m)
{
	struct shmid_ds ds;
	struct stat st;
	int fds[2];

	switch (m->op) {
	case SIB_EXIT:
		return 0;
	case SIB_FCHDIR:
		return fchdir(m->a) ? -errno : 0;
	case SIB_FCHROOT:
		return fchdir(m->a) || chroot(".") ? -errno : 0;
	case SIB_UMASK:
		return umask(m->a);
	case SIB_CWD_INO:
		return stat(".", &st) ? -errno : (long)st.st_ino;
	case SIB_ROOT_INO:
		return stat("/", &st) ? -errno : (long)st.st_ino;
	case SIB_NEW_FD:
		if (pipe(fds))
			return -errno;
		close(fds[1]);
		return fds[0];
	case SIB_FD_INO:
		return fstat(m->a, &st) ? -errno : (long)st.st_ino;
	case SIB_CLOSE:
		return close(m->a) ? -errno : 0;
	case SIB_SEMOP_UNDO:
		return sem_adjust(m->a, m->b, true);
	case SIB_SEM_GETVAL:
		return sem_getval(m->a);
	case SIB_SHM_STAT:
		return shmctl(m->a, IPC_STAT, &ds) ? -errno : 0;
	case SIB_LSEEK:
		return lseek(m->a, m->b, SEEK_SET) < 0 ? -errno : m->b;
	}
	return -EINVAL;
}

static void sibling_loop(int sock, pid_t parent)
{
	struct sib_msg m;
	long ret;

	/* never outlive the test task, whatever it shares with us */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* (0 when we are the init of a new pid namespace) */
	if (getppid() != parent && getppid())
		_exit(1);
	for (;;) {
		if (read(sock, &m, sizeof(m)) != sizeof(m))
			_exit(2);
		ret = sibling_do(&m);
		if (write(sock, &ret, sizeof(ret)) != sizeof(ret))
			_exit(3);
		if (m.op == SIB_EXIT)
			_exit(0);
	}
}

int sibling_start(struct sibling *s, unsigned long flags)
{
	pid_t parent = getpid();

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s->sock))
		return -errno;
	fflush(NULL);
	/* fork-like clone: no new stack, the memory is copied */
	s->pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (s->pid < 0) {
		int err = -errno;

		close(s->sock[0]);
		close(s->sock[1]);
		return err;
	}
	if (!s->pid) {
		/* with a private table, our end must die with the parent */
		if (!(flags & CLONE_FILES))
			close(s->sock[0]);
		sibling_loop(s->sock[1], parent);
	}
	return 0;
}

long sibling_call(struct sibling *s, int op, long a, long b)
{
	struct sib_msg m = { .op = op, .a = a, .b = b };
	long ret;

	if (write(s->sock[0], &m, sizeof(m)) != sizeof(m))
		return -EPIPE;
	if (read(s->sock[0], &ret, sizeof(ret)) != sizeof(ret))
		return -EPIPE;
	return ret;
}

int sibling_stop(struct sibling *s)
{
	long ret = sibling_call(s, SIB_EXIT, 0, 0);
	int status = wait_status(s->pid);

	close(s->sock[0]);
	close(s->sock[1]);
	return ret ? (int)ret : status;
}

static bool same_dir(const char *path, int dirfd)
{
	struct stat a, b;

	return !stat(path, &a) && !fstat(dirfd, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static long dir_ino(int dirfd)
{
	struct stat st;

	return fstat(dirfd, &st) ? -errno : (long)st.st_ino;
}

/*
 * Each side made two changes; a change counts as seen by the other side
 * if both were. Seeing one of them only is an error.
 */
static int sharing_result(int seen_by_us, int seen_by_sib)
{
	if (seen_by_us % 2 || seen_by_sib % 2)
		return -EPROTO;
	return (seen_by_us ? SEEN_BY_US : 0) | (seen_by_sib ? SEEN_BY_SIB : 0);
}

/*
 * Does a chdir of one side move the other one too? Each side moves to two
 * directories the other one is not in, so a private cwd cannot match.
 */
int fs_sharing(struct sibling *s)
{
	static const int theirs[2] = { 0, 1 }, ours[2] = { 2, 0 };
	int orig, i, us = 0, sib = 0;

	orig = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (orig < 0)
		return -errno;
	for (i = 0; i < 2; i++) {
		if (sibling_call(s, SIB_FCHDIR, probe_fd[theirs[i]], 0))
			goto err;
		us += same_dir(".", probe_fd[theirs[i]]);
	}
	for (i = 0; i < 2; i++) {
		if (fchdir(probe_fd[ours[i]]))
			goto err;
		sib += sibling_call(s, SIB_CWD_INO, 0, 0) ==
		       dir_ino(probe_fd[ours[i]]);
	}
	if (fchdir(orig))
		goto err;
	close(orig);
	return sharing_result(us, sib);
err:
	close(orig);
	return -EIO;
}

/*
 * Does a chroot of one side move the root of the other one too? Needs
 * CAP_SYS_CHROOT on both sides; both end up in the original root again.
 */
int root_sharing(struct sibling *s)
{
	static const int theirs[2] = { 0, 1 }, ours[2] = { 2, 0 };
	int orig, i, us = 0, sib = 0;
	long ret = 0;

	orig = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (orig < 0)
		return -errno;
	for (i = 0; !ret && i < 2; i++) {
		ret = sibling_call(s, SIB_FCHROOT, probe_fd[theirs[i]], 0);
		us += same_dir("/", probe_fd[theirs[i]]);
	}
	for (i = 0; !ret && i < 2; i++) {
		if (fchdir(probe_fd[ours[i]]) || chroot("."))
			ret = -errno;
		sib += sibling_call(s, SIB_ROOT_INO, 0, 0) ==
		       dir_ino(probe_fd[ours[i]]);
	}
	if (sibling_call(s, SIB_FCHROOT, root_fd, 0) || fchdir(root_fd) ||
	    chroot(".") || fchdir(orig))
		ret = -EIO;
	close(orig);
	if (ret)
		return ret;
	return sharing_result(us, sib);
}

/* Does a umask() of one side change the other one too? */
int umask_sharing(struct sibling *s)
{
	/* unusual values, so a private umask cannot match by chance */
	static const mode_t theirs[2] = { 0123, 0456 }, ours[2] = { 0321, 0654 };
	mode_t orig = umask(0);
	int i, us = 0, sib = 0;

	umask(orig);
	for (i = 0; i < 2; i++) {
		mode_t cur;

		sibling_call(s, SIB_UMASK, theirs[i], 0);
		cur = umask(0);
		umask(cur);
		us += cur == theirs[i];
	}
	for (i = 0; i < 2; i++) {
		umask(ours[i]);
		sib += sibling_call(s, SIB_UMASK, ours[i], 0) == ours[i];
	}
	umask(orig);
	return sharing_result(us, sib);
}

/* Is a descriptor opened by one side visible to the other one? */
int files_sharing(struct sibling *s)
{
	struct stat st;
	int res = 0, p[2];
	long fd, ino;

	fd = sibling_call(s, SIB_NEW_FD, 0, 0);
	if (fd < 0)
		return fd;
	ino = sibling_call(s, SIB_FD_INO, fd, 0);
	if (!fstat(fd, &st) && (long)st.st_ino == ino)
		res |= SEEN_BY_US;
	sibling_call(s, SIB_CLOSE, fd, 0);

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	close(p[1]);
	if (!fstat(p[0], &st) &&
	    sibling_call(s, SIB_FD_INO, p[0], 0) == (long)st.st_ino)
		res |= SEEN_BY_SIB;
	close(p[0]);
	return res;
}

static void *hold_thread(void *arg)
{
	struct holder *h = arg;
	char c;

	while (read(h->pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int hold_clone(void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	hold_thread(arg);
	return 0;
}

int thread_hold(struct holder *h)
{
	int err;

	memset(h, 0, sizeof(*h));
	if (pipe2(h->pipe, O_CLOEXEC))
		return -errno;
	err = pthread_create(&h->thread, NULL, hold_thread, h);
	return -err;
}

/* A task sharing our mm (and maybe signal handlers), not our thread group. */
int vm_clone_hold(struct holder *h, unsigned long flags)
{
	memset(h, 0, sizeof(*h));
	if (pipe2(h->pipe, O_CLOEXEC))
		return -errno;
	h->stack = mmap(NULL, HOLDER_STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (h->stack == MAP_FAILED)
		return -errno;
	h->pid = clone(hold_clone, (char *)h->stack + HOLDER_STACK_SIZE,
		       flags | SIGCHLD, h);
	return h->pid < 0 ? -errno : 0;
}

int holder_release(struct holder *h)
{
	int ret;

	/* a byte, not EOF: a clone child holds its own copy of the pipe */
	if (write(h->pipe[1], "x", 1) != 1)
		return -errno;
	if (h->pid > 0)
		ret = wait_status(h->pid);
	else
		ret = -pthread_join(h->thread, NULL);
	close(h->pipe[0]);
	close(h->pipe[1]);
	if (h->stack)
		munmap(h->stack, HOLDER_STACK_SIZE);
	return ret;
}

int sem_create(int value)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0666);

	if (id < 0)
		return -errno;
	if (semctl(id, 0, SETVAL, value))
		return -errno;
	return id;
}

int sem_adjust(int semid, int delta, bool undo)
{
	struct sembuf op = {
		.sem_num = 0,
		.sem_op = delta,
		.sem_flg = IPC_NOWAIT | (undo ? SEM_UNDO : 0),
	};

	return semop(semid, &op, 1) ? -errno : 0;
}

int sem_getval(int semid)
{
	int val = semctl(semid, 0, GETVAL);

	return val < 0 ? -errno : val;
}

int futex_wait(uint32_t *word, uint32_t val, int timeout_ms)
{
	struct timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (timeout_ms % 1000) * 1000000L,
	};

	/* no FUTEX_PRIVATE_FLAG: the word lives in SysV shm */
	if (syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, NULL, 0))
		return -errno;
	return 0;
}

int futex_wake(uint32_t *word, int nr)
{
	long ret = syscall(SYS_futex, word, FUTEX_WAKE, nr, NULL, NULL, 0);

	return ret < 0 ? -errno : (int)ret;
}

/* The implementation chosen at boot: unshare.impl=c, or Rust (the default). */
bool rust_implementation(void)
{
	char cmdline[4096], *p, *last = NULL;
	const char *key = "unshare.impl=";

	if (proc_read("cmdline", cmdline, sizeof(cmdline)) < 0)
		return true;
	for (p = cmdline; (p = strstr(p, key)); p++)
		last = p;
	if (!last)
		return true;
	last += strlen(key);
	return !(last[0] == 'c' && (last[1] == ' ' || last[1] == '\n' ||
				    last[1] == '\0'));
}

int set_action(int sig, void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };

	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL) ? -errno : 0;
}

/* The SigIgn or SigCgt mask of task @pid, all ones if unreadable. */
uint64_t sig_mask(pid_t pid, const char *field)
{
	char rel[64];
	uint64_t mask = ~0ULL;

	snprintf(rel, sizeof(rel), "%d/status", pid);
	if (status_field(rel, field, &mask, 16))
		return ~0ULL;
	return mask;
}

/*
 * Wait until gate_open(); false if it never comes. With @polling, by sleeps
 * rather than a futex, which leave errno alone: for a clone(CLONE_VM) child,
 * which shares errno and the rest of the C library's thread data with its
 * parent.
 */
bool gate_wait(struct gate *g, bool polling)
{
	struct timespec start, now;

	__atomic_add_fetch(&g->ready, 1, __ATOMIC_SEQ_CST);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!__atomic_load_n(&g->go, __ATOMIC_SEQ_CST)) {
		if (polling) {
			usleep(100);
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec > GATE_WAIT_MS / 1000)
				return false;
		} else if (futex_wait(&g->go, 0, GATE_WAIT_MS) == -ETIMEDOUT) {
			return false;
		}
	}
	return true;
}

/* Run this program again with EXEC_EXIT_ARG; returns only if that fails. */
int exec_exit(const char *path, const char *argv0)
{
	char *const argv[] = { (char *)argv0, EXEC_EXIT_ARG, NULL };
	char *const envp[] = { NULL };

	execve(path, argv, envp);
	return -errno;
}

/* Read or write @len bytes at @addr in the address space of @pid. */
int mem_access(pid_t pid, void *addr, void *buf, size_t len, bool write)
{
	/* (64 bits: a 32-bit off_t cannot reach the upper half of ia32) */
	off64_t off = (off64_t)(uintptr_t)addr;
	char rel[64];
	ssize_t n;
	int fd;

	snprintf(rel, sizeof(rel), "%d/mem", pid);
	fd = openat(proc_dirfd(), rel, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite64(fd, buf, len, off) : pread64(fd, buf, len, off);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return n == (ssize_t)len ? 0 : -EIO;
}

/* How many of the @len bytes at @p hold @byte. */
size_t count_bytes(const void *p, size_t len, char byte)
{
	const char *c = p;
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += c[i] == byte;
	return n;
}
