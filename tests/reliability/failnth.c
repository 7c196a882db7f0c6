// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: systematic fault injection into unshare(2) through
 * /proc/thread-self/fail-nth (Documentation/fault-injection/fault-injection.rst,
 * "Systematic faults using fail-nth"), proving that a failed unshare leaves the
 * task exactly as it was.
 *
 * For each flag combination and n = 1, 2, ...: a fresh child C, which shares
 * its fs_struct, files_struct and SysV undo list (and, where the combination
 * allows it, its address space and signal handlers) with a sibling S and has a
 * SEM_UNDO adjustment pending, writes n to fail-nth and calls unshare(flags).
 * It reads fail-nth back (0: the n-th fault point was reached and failed,
 * n-k > 0: the call had only k points; after 3 such calls in a row the sweep of
 * this combination ends, as the number of points varies a little from run to run).
 * Some n are called more than once (probe=retry/bisect/gap/confirm, see
 * sweep_combo()), since which allocation the n-th point is depends a little on timing.
 * If the call failed, C checks that nothing changed: its /proc ns links, its
 * credentials, the undo adjustment (not applied, list still shared), the
 * fd table (a descriptor opened by S after the call is visible to C and the
 * other way round), the fs_struct (S follows C's chdir, umask and chroot) and
 * kcmp(2) of C and S for FILES, FS, SYSVSEM, SIGHAND, VM. If the call
 * succeeded (a fault that the kernel tolerates), C checks that the result is
 * the full effect of the flags. Output, one line per (combination, n):
 *
 *   @@@ FAILNTH <combo> n=<n> ret=<0|Exxx> unchanged=<yes|no|na> fired=<0|1>
 *       effect=<ok|bad:...|na> sem=<ok|bad> site=<frames|nowarn|->
 *       probe=<step|retry|bisect|gap|confirm>
 *
 * site is the chain of kernel functions (innermost first, allocator frames
 * left out, 4 at most, then '@' and the outermost frame below the unshare
 * implementation, e.g. copy_fs_struct or unshare_nsproxy_namespaces) from
 * the stack that the fault-injection code dumps (verbose=2), read back from
 * /dev/kmsg; "nowarn" means the failed allocation asked for __GFP_NOWARN, so
 * no stack was printed.
 *
 * The combinations named "...@copy" are the opt-in of CONFIG_UNSHARE_RUST_VM:
 * kernel.unshare_vm is 1 while they run and the sibling shares the address
 * space and the signal handlers, which the Rust implementation then copies;
 * C answers EINVAL (the FAILNTH-SUMMARY line says expect_final=EINVAL).
 * Those with "+robust", "+pi" or "+uffd" hold, across the call, a robust
 * futex, a PI futex that a child of C waits for, or a userfaultfd
 * registration: the Rust implementation refuses with EBUSY, so every call
 * fails, and C checks that what it holds is as it was (the lock word, the
 * waiter still blocked, the robust list, no userfaultfd event).
 *
 * After each combination, and at the end, it asks kmemleak for two scans,
 * prints what it reports (@@@ KMEMLEAK <combo> leaks=N) and clears it.
 *
 * Usage: failnth [--combo NAME] [--max N] [--reject-syms FILE] [--no-kmemleak]
 *                [--leak-scan-at-end] [--stride N] [--bulk-stride N]
 *   --leak-scan-at-end: one kmemleak report at the end instead of one per combination
 *   (each costs ~10 s: two scans 6 s apart); --stride N: step n by N (default 1);
 *   --bulk-stride N: step by N while the fault lands in a long run of alike points:
 *   the network stack's namespace setup (~450 points of the CLONE_NEWNET
 *   combinations), the copy of the mount tree (a few per mount) and of the address
 *   space's mappings (make check's small size: 40).
 *   Between two steps whose outcomes differ, the sweep bisects down to adjacent n
 *   (sweep_combo() below), so a stride never hides a class of outcome.
 *   --reject-syms FILE: "name size" lines, the .text functions of
 *   mm/kmemleak.o; their address range (from /proc/kallsyms) becomes the
 *   reject-start/reject-end stack filter of failslab and fail_page_alloc, so
 *   kmemleak's own metadata allocations are not fault points.
 *
 * Needs root, CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB, FAIL_PAGE_ALLOC and
 * debugfs on /sys/kernel/debug.
 */
#include "common.h"

#include <grp.h>
#include <linux/futex.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <time.h>

#define DBG		"/sys/kernel/debug"
#define NOBODY		65534
#define WORKDIR		"/tmp/failnth"
#define MISSES		3	/* the sweep ends after this many calls in a row without a fault */

#define CONTAINER	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | \
			 CLONE_NEWCGROUP)

/* What the caller holds across the call (the @copy combinations): Rust refuses with EBUSY. */
enum hold { HOLD_NONE, HOLD_ROBUST, HOLD_PI, HOLD_UFFD };

struct combo {
	const char *name;
	unsigned long flags;
	int nobody;	/* 1: every uid nobody; 2: the real uid only (euid 0) */
	int copy;	/* kernel.unshare_vm=1, VM and handlers shared: Rust copies them */
	enum hold hold;
};

static const struct combo combos[] = {
	{ "FS", CLONE_FS, 0, 0, HOLD_NONE },
	{ "FILES", CLONE_FILES, 0, 0, HOLD_NONE },
	{ "SYSVSEM", CLONE_SYSVSEM, 0, 0, HOLD_NONE },
	{ "THREAD", CLONE_THREAD, 0, 0, HOLD_NONE },
	{ "SIGHAND", CLONE_SIGHAND, 0, 0, HOLD_NONE },
	{ "VM", CLONE_VM, 0, 0, HOLD_NONE },
	{ "NEWNS", CLONE_NEWNS, 0, 0, HOLD_NONE },
	{ "NEWUTS", CLONE_NEWUTS, 0, 0, HOLD_NONE },
	{ "NEWIPC", CLONE_NEWIPC, 0, 0, HOLD_NONE },
	{ "NEWNET", CLONE_NEWNET, 0, 0, HOLD_NONE },
	{ "NEWPID", CLONE_NEWPID, 0, 0, HOLD_NONE },
	{ "NEWCGROUP", CLONE_NEWCGROUP, 0, 0, HOLD_NONE },
	{ "NEWTIME", CLONE_NEWTIME, 0, 0, HOLD_NONE },
	{ "NEWUSER", CLONE_NEWUSER, 0, 0, HOLD_NONE },
	{ "EMPTY_MNTNS", UNSHARE_EMPTY_MNTNS, 0, 0, HOLD_NONE },
	{ "FILES|FS|SYSVSEM", CLONE_FILES | CLONE_FS | CLONE_SYSVSEM, 0, 0, HOLD_NONE },
	{ "CONTAINER", CONTAINER, 0, 0, HOLD_NONE },
	{ "NEWUSER|NEWNS", CLONE_NEWUSER | CLONE_NEWNS, 0, 0, HOLD_NONE },
	{ "NEWUSER|CONTAINER", CLONE_NEWUSER | CONTAINER | CLONE_NEWTIME, 0, 0, HOLD_NONE },
	{ "NEWUSER|NEWNS|NEWNET@nobody", CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET, 1, 0, HOLD_NONE },
	/*
	 * uid != euid: the new namespaces charge the euid's ucounts, set_cred_ucounts()
	 * looks up the uid's, so it allocates (a fault point after the new nsproxy)
	 */
	{ "NEWUSER|NEWUTS@ruid", CLONE_NEWUSER | CLONE_NEWUTS, 2, 0, HOLD_NONE },
	{ "ALL", VALID_FLAGS, 0, 0, HOLD_NONE },
	/*
	 * The opt-in of CONFIG_UNSHARE_RUST_VM: the sibling shares the address
	 * space and the handlers, the sysctl is at 1. The Rust implementation
	 * copies them (dup_current_mm(), alloc_sighand(): every allocation of
	 * the copy is a fault point); C answers EINVAL without a fault point.
	 * compare.py judges these per implementation, not against each other.
	 */
	{ "SIGHAND@copy", CLONE_SIGHAND, 0, 1, HOLD_NONE },
	{ "VM@copy", CLONE_VM, 0, 1, HOLD_NONE },
	{ "VM|FILES|FS|SYSVSEM@copy", CLONE_VM | CLONE_FILES | CLONE_FS | CLONE_SYSVSEM, 0, 1, HOLD_NONE },
	/* a failed copy drops the new namespaces too (NewNsProxy) */
	{ "VM|NEWUTS|NEWTIME@copy", CLONE_VM | CLONE_NEWUTS | CLONE_NEWTIME, 0, 1, HOLD_NONE },
	/* EBUSY before the copy, after it (the PI state), and inside it (dup_mmap()) */
	{ "VM@copy+robust", CLONE_VM, 0, 1, HOLD_ROBUST },
	{ "VM@copy+pi", CLONE_VM, 0, 1, HOLD_PI },
	{ "VM@copy+uffd", CLONE_VM, 0, 1, HOLD_UFFD },
};

#define UNSHARE_VM_SYSCTL	"/proc/sys/kernel/unshare_vm"

/* unshare.impl= of the command line, the last one; Rust without it. */
static int rust_implementation(void)
{
	char cmdline[4096] = "", *p, *last = NULL;
	const char *key = "unshare.impl=";
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, cmdline, sizeof(cmdline) - 1) < 0)
			cmdline[0] = 0;
		close(fd);
	}
	for (p = cmdline; (p = strstr(p, key)); p++)
		last = p;
	if (!last)
		return 1;
	last += strlen(key);
	return !(last[0] == 'c' && (last[1] == ' ' || last[1] == '\n' || !last[1]));
}

/* What the child reports, in memory shared with the parent. */
struct result {
	int done;
	int fired;
	int ret;
	int unchanged;		/* 1 yes, 0 no, -1 not applicable */
	int effect;		/* 1 ok, 0 bad, -1 not applicable */
	char why[256];
};

static int procfd = -1;
static int no_inject;	/* --no-inject: one clean call per combination (tests the checks) */
static int kmsgfd = -1;
static int semid = -1;
static ino_t ino_a, ino_b, ino_work;

static void why_add(struct result *r, const char *fmt, ...)
{
	size_t len = strlen(r->why);
	va_list ap;

	if (len >= sizeof(r->why) - 2)
		return;
	if (len)
		r->why[len++] = ',';
	va_start(ap, fmt);
	vsnprintf(r->why + len, sizeof(r->why) - len, fmt, ap);
	va_end(ap);
}

static ino_t path_ino(const char *p)
{
	struct stat st;

	return stat(p, &st) ? 0 : st.st_ino;
}

static int sem_value(void)
{
	return semctl(semid, 0, GETVAL);
}

/* kcmp of us and the sibling for each context: 1 same, 0 different, -1 error. */
struct kcmp_snap {
	int same[5];
};
static const int kcmp_types[5] = { KCMP_FILES_, KCMP_FS_, KCMP_SYSVSEM_, KCMP_SIGHAND_, KCMP_VM_ };
static const char *const kcmp_names[5] = { "files", "fs", "sysvsem", "sighand", "vm" };

static void kcmp_read(struct sibling *s, struct kcmp_snap *k)
{
	for (int i = 0; i < 5; i++) {
		long r = sibling_call(s, SIB_KCMP, kcmp_types[i]).r;

		k->same[i] = r < 0 ? -1 : r == 0;
	}
}

/* Functional probes of sharing with the sibling: 1 shared, 0 private, -1 inconsistent/error. */
static int probe_files(struct sibling *s)
{
	struct sib_resp p = sibling_call(s, SIB_PIPE, 0);
	struct stat st;
	int we_see, they_see, fds[2];
	long ino;

	if (p.r < 0)
		return -1;
	we_see = !fstat((int)p.r, &st) && (long)st.st_ino == p.x;
	if (pipe(fds))
		return -1;
	ino = fstat(fds[0], &st) ? -2 : (long)st.st_ino;
	they_see = sibling_call(s, SIB_FSTAT, fds[0]).r == ino;
	close(fds[0]);
	close(fds[1]);
	if (we_see)
		close((int)p.r);
	else
		sibling_call(s, SIB_CLOSE, p.r);
	if (we_see && they_see)
		return 1;
	return !we_see && !they_see ? 0 : -1;
}

static int probe_cwd(struct sibling *s, int cwdfd)
{
	int a, b;

	if (chdir(WORKDIR "/a"))
		return -1;
	a = sibling_call(s, SIB_CWD, 0).r == (long)ino_a;
	if (chdir(WORKDIR "/b"))
		return -1;
	b = sibling_call(s, SIB_CWD, 0).r == (long)ino_b;
	if (fchdir(cwdfd))
		return -1;
	return a && b ? 1 : (!a && !b ? 0 : -1);
}

static int probe_umask(struct sibling *s)
{
	mode_t old = umask(027);
	int seen = sibling_call(s, SIB_UMASK, 0).r == 027;

	umask(old);
	return seen;
}

static int probe_root(struct sibling *s, int rootfd, int cwdfd)
{
	int seen;

	if (chroot(WORKDIR "/a"))
		return -1;
	seen = sibling_call(s, SIB_ROOT, 0).r == (long)ino_a;
	if (fchdir(rootfd) || chroot(".") || fchdir(cwdfd))
		return -1;
	return seen;
}

/* The state held across the call, in memory that C's copy shares. */
struct held {
	struct robust_list_head head;
	struct robust_list entry;
	uint32_t word;
	pid_t waiter;
	int uffd;
};

#define HELD_WAIT_MS	5000

static long futex_pi_op(uint32_t *word, int op)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 60;
	return syscall(SYS_futex, word, op, 0, op == FUTEX_LOCK_PI ? &ts : NULL, NULL, 0);
}

/* Take what @c holds; 0, or -1 with a reason in @res. */
static int hold_take(const struct combo *c, struct held *h, struct result *res)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	switch (c->hold) {
	case HOLD_NONE:
		return 0;
	case HOLD_ROBUST:
		/* glibc's protocol, by hand: the entry on the list, the word with our TID */
		h->head.list.next = &h->entry;
		h->entry.next = &h->head.list;
		h->head.futex_offset = (long)((char *)&h->word - (char *)&h->entry);
		h->head.list_op_pending = NULL;
		h->word = tid;
		if (syscall(SYS_set_robust_list, &h->head, sizeof(h->head))) {
			why_add(res, "setup:set_robust_list:%d", errno);
			return -1;
		}
		return 0;
	case HOLD_PI:
		h->word = tid;
		h->waiter = fork();
		if (h->waiter < 0) {
			why_add(res, "setup:fork:%d", errno);
			return -1;
		}
		if (!h->waiter)
			_exit(futex_pi_op(&h->word, FUTEX_LOCK_PI) ? 1 :
			      futex_pi_op(&h->word, FUTEX_UNLOCK_PI) ? 2 : 0);
		for (int ms = 0; !(__atomic_load_n(&h->word, __ATOMIC_SEQ_CST) & FUTEX_WAITERS); ms++) {
			if (ms >= HELD_WAIT_MS) {
				why_add(res, "setup:pi-waiter");
				return -1;
			}
			usleep(1000);
		}
		return 0;
	case HOLD_UFFD: {
		struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_EVENT_FORK };
		struct uffdio_register reg = {
			.range = { .start = (unsigned long)h, .len = sysconf(_SC_PAGESIZE) },
			.mode = UFFDIO_REGISTER_MODE_MISSING,
		};

		h->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
		if (h->uffd < 0 || ioctl(h->uffd, UFFDIO_API, &api) ||
		    ioctl(h->uffd, UFFDIO_REGISTER, &reg)) {
			why_add(res, "setup:userfaultfd:%d", errno);
			return -1;
		}
		return 0;
	}
	}
	return 0;
}

/* Whether what @c holds is as hold_take() left it (1), or not (0, reason in @res). */
static int hold_intact(const struct combo *c, struct held *h, struct result *res)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	struct pollfd pfd = { .events = POLLIN };
	void *head = NULL;
	size_t len;

	switch (c->hold) {
	case HOLD_NONE:
		return 1;
	case HOLD_ROBUST:
		if (h->word != (uint32_t)tid) {
			why_add(res, "robust-word:%#x", h->word);
			return 0;
		}
		if (syscall(SYS_get_robust_list, 0, &head, &len) || head != &h->head) {
			why_add(res, "robust-list");
			return 0;
		}
		return 1;
	case HOLD_PI:
		if (h->word != ((uint32_t)tid | FUTEX_WAITERS)) {
			why_add(res, "pi-word:%#x", h->word);
			return 0;
		}
		if (waitpid(h->waiter, NULL, WNOHANG) != 0) {
			why_add(res, "pi-waiter-gone");
			h->waiter = 0;
			return 0;
		}
		return 1;
	case HOLD_UFFD:
		pfd.fd = h->uffd;
		if (poll(&pfd, 1, 0) != 0) {
			why_add(res, "uffd-event");
			return 0;
		}
		return 1;
	}
	return 1;
}

/* Let go of what hold_take() took. */
static void hold_release(const struct combo *c, struct held *h)
{
	if (c->hold == HOLD_PI && h->waiter > 0) {
		futex_pi_op(&h->word, FUTEX_UNLOCK_PI);
		waitpid(h->waiter, NULL, 0);
	}
	if (c->hold == HOLD_UFFD && h->uffd >= 0)
		close(h->uffd);
}

static int child_main(const struct combo *c, unsigned int n, struct result *res)
{
	unsigned long norm = normalize_flags(c->flags);
	unsigned long sibflags = CLONE_FS | CLONE_FILES | CLONE_SYSVSEM;
	struct ns_snap ns0, ns1;
	struct cred_snap cr0, cr1;
	struct kcmp_snap k0, k1;
	struct sibling sib;
	struct sembuf up = { 0, 1, SEM_UNDO };
	char buf[32];
	int fnfd, rootfd, cwdfd, sem0, r, e;
	int privileged = c->nobody != 1;
	/* its own page: HOLD_UFFD registers it */
	struct held *held = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	res->unchanged = res->effect = -1;
	if (held == MAP_FAILED) {
		why_add(res, "setup:mmap");
		return 1;
	}
	held->uffd = -1;
	fnfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fnfd < 0 && !no_inject) {
		why_add(res, "setup:fail-nth:%d", errno);
		return 1;
	}
	if (chdir(WORKDIR)) {
		why_add(res, "setup:chdir");
		return 1;
	}
	if (c->nobody == 2 && setresuid(NOBODY, 0, 0)) {
		why_add(res, "setup:setresuid:%d", errno);
		return 1;
	}
	if (c->nobody == 1) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY)) {
			why_add(res, "setup:setuid:%d", errno);
			return 1;
		}
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
	if (semop(semid, &up, 1)) {
		why_add(res, "setup:semop:%d", errno);
		return 1;
	}
	/*
	 * A sibling sharing our signal handlers or memory makes SIGHAND and VM
	 * invalid, unless the combination is about copying them.
	 */
	if (c->copy || !(norm & (CLONE_SIGHAND | CLONE_VM)))
		sibflags |= CLONE_VM | CLONE_SIGHAND;
	r = sibling_start(&sib, sibflags);
	if (r) {
		why_add(res, "setup:sibling:%d", -r);
		return 1;
	}
	rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cwdfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* The sharing must be real before the call, or the checks prove nothing. */
	if (probe_files(&sib) != 1 || probe_cwd(&sib, cwdfd) != 1 || probe_umask(&sib) != 1 ||
	    (privileged && probe_root(&sib, rootfd, cwdfd) != 1)) {
		why_add(res, "setup:not-shared");
		sibling_stop(&sib);
		return 1;
	}
	ns_read(procfd, "thread-self", &ns0);
	cred_read(procfd, "thread-self", &cr0);
	kcmp_read(&sib, &k0);
	sem0 = sem_value();
	if (hold_take(c, held, res)) {
		hold_release(c, held);
		sibling_stop(&sib);
		return 1;
	}

	/* The measured call: nothing between the write and unshare allocates. */
	snprintf(buf, sizeof(buf), "%u", n);
	if (!no_inject && write(fnfd, buf, strlen(buf)) < 0) {
		why_add(res, "setup:write-fail-nth:%d", errno);
		sibling_stop(&sib);
		return 1;
	}
	r = (int)syscall(SYS_unshare, c->flags);
	e = errno;
	memset(buf, 0, sizeof(buf));
	if (no_inject)
		buf[0] = '1';
	else if (pread(fnfd, buf, sizeof(buf) - 1, 0) < 0)
		why_add(res, "read-fail-nth:%d", errno);
	if (!no_inject && write(fnfd, "0", 1) < 0)
		why_add(res, "reset-fail-nth:%d", errno);
	res->fired = n > 0 && atoi(buf) == 0;
	res->ret = r ? e : 0;
	/* New credentials make the mm undumpable, which kcmp(2) of the sibling needs. */
	if (!r && (c->flags & CLONE_NEWUSER))
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);

	ns_read(procfd, "thread-self", &ns1);
	cred_read(procfd, "thread-self", &cr1);
	kcmp_read(&sib, &k1);
	if (r) {
		unsigned int d = ns_diff(&ns0, &ns1);
		char m[128];

		res->unchanged = 1;
		if (d) {
			res->unchanged = 0;
			why_add(res, "ns:%s", ns_mask_str(d, m, sizeof(m)));
		}
		if (strcmp(cr0.status, cr1.status)) {
			res->unchanged = 0;
			why_add(res, "cred");
		}
		if (sem_value() != sem0) {
			res->unchanged = 0;
			why_add(res, "sem:%d->%d", sem0, sem_value());
		}
		for (int i = 0; i < 5; i++) {
			if (k0.same[i] != k1.same[i]) {
				res->unchanged = 0;
				why_add(res, "kcmp-%s:%d->%d", kcmp_names[i], k0.same[i], k1.same[i]);
			}
		}
		if (probe_files(&sib) != 1) {
			res->unchanged = 0;
			why_add(res, "files-not-shared");
		}
		if (probe_cwd(&sib, cwdfd) != 1) {
			res->unchanged = 0;
			why_add(res, "cwd-not-shared");
		}
		if (probe_umask(&sib) != 1) {
			res->unchanged = 0;
			why_add(res, "umask-not-shared");
		}
		if (privileged && probe_root(&sib, rootfd, cwdfd) != 1) {
			res->unchanged = 0;
			why_add(res, "root-not-shared");
		}
		if (!hold_intact(c, held, res))
			res->unchanged = 0;
	} else {
		/* Success, with or without a tolerated fault: the full effect, nothing else. */
		unsigned int d = ns_diff(&ns0, &ns1), want = ns_expected(c->flags);
		int files_split = !!(norm & CLONE_FILES);
		int fs_split = !!(norm & CLONE_FS);
		int sem_split = !!(norm & (CLONE_SYSVSEM | CLONE_NEWIPC));
		int sighand_split = c->copy && (norm & CLONE_SIGHAND);
		int vm_split = c->copy && (norm & CLONE_VM);
		char m1[128], m2[128];

		res->effect = 1;
		if (d != want) {
			res->effect = 0;
			why_add(res, "ns:%s!=%s", ns_mask_str(d, m1, sizeof(m1)),
				ns_mask_str(want, m2, sizeof(m2)));
		}
		if (k1.same[0] != !files_split || k1.same[1] != !fs_split ||
		    k1.same[2] != !sem_split ||
		    k1.same[3] != (sighand_split ? 0 : k0.same[3]) ||
		    k1.same[4] != (vm_split ? 0 : k0.same[4])) {
			res->effect = 0;
			why_add(res, "kcmp:%d%d%d%d%d", k1.same[0], k1.same[1], k1.same[2],
				k1.same[3], k1.same[4]);
		}
		if (!strcmp(cr0.status, cr1.status) != !(norm & CLONE_NEWUSER)) {
			res->effect = 0;
			why_add(res, "cred");
		}
		/* What the caller holds must have made the copy fail. */
		if (c->hold != HOLD_NONE && c->copy) {
			res->effect = 0;
			why_add(res, "held-but-copied");
		}
	}
	hold_release(c, held);
	sibling_stop(&sib);
	return 0;
}

/* ---- the stack of the injected fault, from /dev/kmsg --------------------------------- */

static int frame_is_allocator(const char *f)
{
	static const char *const skip[] = {
		"dump_stack", "fail_dump", "should_fail", "__should_fail", "prepare_alloc_pages",
		"__alloc_pages", "alloc_pages", "__alloc_frozen_pages", "alloc_frozen_pages",
		"__folio_alloc", "folio_alloc", "kmem_cache_alloc", "__kmem_cache_alloc",
		"kmem_cache_zalloc", "__kmalloc", "kmalloc", "__kvmalloc", "kvmalloc", "kzalloc",
		"kcalloc", "krealloc", "__do_krealloc", "slab_pre_alloc_hook", "slab_alloc",
		"__slab_alloc", "___slab_alloc", "new_slab", "allocate_slab", "alloc_slab_page",
		"kmemdup", "kstrdup", "kvasprintf", "kasprintf", "pcpu_alloc", "__alloc_percpu",
		"alloc_percpu", "__get_free_pages", "get_zeroed_page", "__vmalloc", "vmalloc",
		"vzalloc", "alloc_pages_mpol", "alloc_pages_bulk", "mempool_alloc", "_kzalloc",
		"_kmalloc", "_kcalloc", "_kvmalloc", "__alloc_empty_sheaf", "alloc_empty_sheaf",
		"__pcs_", "alloc_from_pcs", "refill_sheaf", "barn_",
	};

	for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
		if (!strncmp(f, skip[i], strlen(skip[i])))
			return 1;
	return 0;
}

/*
 * The first frame that belongs to the implementation: C's ksys_unshare_c and its
 * helpers (unshare_userns() and create_new_namespaces() are C's own way to the
 * constructors that the Rust code calls directly: the outermost frame below either
 * implementation is then the same constructor), or Rust code.
 */
static int frame_is_impl(const char *f)
{
	static const char *const stop[] = {
		"ksys_unshare_c", "ksys_unshare", "__do_sys_unshare", "__x64_sys_unshare",
		"__se_sys_unshare", "x64_sys_call", "do_syscall_64", "entry_SYSCALL_64",
		"rust_ksys_unshare", "unshare_fd", "unshare_fs", "unshare_userns",
		"unshare_nsproxy_namespaces", "create_new_namespaces",
	};

	if (!strncmp(f, "_R", 2) || !strncmp(f, "rust_helper_", 12) || strstr(f, "::"))
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(stop); i++) {
		size_t len = strlen(stop[i]);

		/* unshare_fd.constprop.0 and the like are C's own helpers */
		if (!strncmp(f, stop[i], len) && (!f[len] || f[len] == '.'))
			return 1;
	}
	return 0;
}

/*
 * Reads the new /dev/kmsg records and returns the site of the first fault
 * dump of task @pid: up to 4 frames joined by '<', "nowarn" if none. *@bulk
 * says whether the failed allocation was made in one of the long runs of
 * alike fault points where --bulk-stride applies: BULK_NET, the network stack's
 * namespace setup (a frame copy_net_ns or setup_net); BULK_TREE, the copy of the
 * mount tree (copy_tree, one clone_mnt() per mount); BULK_MM, the copy of the
 * address space's mappings (dup_mmap, the opt-in's @copy combinations).
 */
#define BULK_NET	1
#define BULK_TREE	2
#define BULK_MM		4
static void kmsg_site(pid_t pid, char *site, size_t size, char *type, size_t tsize, int *bulk)
{
	char rec[2048], boundary[128] = "";
	int state = 0;	/* 0 looking, 1 got "forcing a failure", 2 our pid, 3 in trace, 4 done */
	int nframes = 0;
	size_t len = 0;

	*bulk = 0;
	snprintf(site, size, "nowarn");
	snprintf(type, tsize, "-");
	for (;;) {
		ssize_t k = read(kmsgfd, rec, sizeof(rec) - 1);
		char *text, *nl, fn[128];

		if (k < 0 && errno == EPIPE)
			continue;	/* overwritten records: read on */
		if (k <= 0)
			break;
		rec[k] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = 0;
		if (state == 4)
			continue;
		if (strstr(text, "FAULT_INJECTION: forcing a failure")) {
			char *nm = strstr(text, "name ");

			state = 1;
			if (nm && sscanf(nm, "name %31[^,]", type) != 1)
				snprintf(type, tsize, "?");
			continue;
		}
		if (state == 1 && !strncmp(text, "name ", 5)) {
			if (sscanf(text, "name %31[^,]", type) != 1)
				snprintf(type, tsize, "?");
			continue;
		}
		if (state == 1 && strstr(text, "CPU: ") && strstr(text, "PID: ")) {
			int p = atoi(strstr(text, "PID: ") + 5);

			state = p == pid ? 2 : 0;
			continue;
		}
		if (state == 2 && strstr(text, "<TASK>")) {
			state = 3;
			len = 0;
			site[0] = 0;
			continue;
		}
		if (state == 3) {
			const char *t = text;

			if (strstr(t, "</TASK>")) {
				state = 4;
				continue;
			}
			while (*t == ' ')
				t++;
			if (*t == '?')
				continue;	/* unreliable frame */
			if (sscanf(t, "%127[^+ ]", fn) != 1)
				continue;
			if (frame_is_allocator(fn) && !len)
				continue;
			if (frame_is_impl(fn)) {
				state = 4;
				continue;
			}
			if (!strncmp(fn, "copy_net_ns", 11) || !strncmp(fn, "setup_net", 9))
				*bulk |= BULK_NET;
			if (!strncmp(fn, "copy_tree", 9))
				*bulk |= BULK_TREE;
			if (!strncmp(fn, "dup_mmap", 8))
				*bulk |= BULK_MM;
			/* the innermost 4 frames, and the outermost before the implementation */
			snprintf(boundary, sizeof(boundary), "%s", fn);
			if (nframes < 4)
				len += snprintf(site + len, size - len, "%s%s", len ? "<" : "", fn);
			nframes++;
		}
	}
	if (state >= 3 && !site[0])
		snprintf(site, size, "impl");
	else if (boundary[0] && len < size)
		snprintf(site + len, size - len, "@%s", boundary);
}

/* ---- setup ----------------------------------------------------------------------------- */

/* [start, end) of the text symbol @name (end: the next text symbol), from /proc/kallsyms. */
static int sym_range(const char *name, unsigned long *start, unsigned long *end)
{
	FILE *ks = fopen("/proc/kallsyms", "r");
	char kname[256], type;
	unsigned long addr, best = ~0UL;

	*start = 0;
	if (!ks)
		return -1;
	while (fscanf(ks, "%lx %c %255s%*[^\n]", &addr, &type, kname) == 3)
		if ((type == 't' || type == 'T') && !strcmp(kname, name))
			*start = addr;
	if (!*start) {
		fclose(ks);
		return -1;
	}
	rewind(ks);
	while (fscanf(ks, "%lx %c %255s%*[^\n]", &addr, &type, kname) == 3)
		if ((type == 't' || type == 'T') && addr > *start && addr < best)
			best = addr;
	fclose(ks);
	*end = best;
	return best == ~0UL ? -1 : 0;
}

/*
 * With the boot parameter slab_debug=A;-,kmemleak_object,debug_objects_cache
 * every slab cache but kmemleak's and debugobjects' own is marked SLAB_FAILSLAB,
 * so failslab/cache-filter leaves their allocations (one per traced object, and
 * the pool refills, which depend on timing) out of the fault points.
 */
static int cache_filter_ready(void)
{
	return read_long("/sys/kernel/slab/kmemleak_object/failslab", -1) == 0 &&
	       read_long("/sys/kernel/slab/kmalloc-64/failslab", -1) == 1;
}

static void fault_setup(const char *reject_syms)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	unsigned long lo = 0, hi = 0;

	write_str(DBG "/failslab/ignore-gfp-wait", "N");
	write_str(DBG "/fail_page_alloc/ignore-gfp-wait", "N");
	write_str(DBG "/fail_page_alloc/min-order", "0");
	/* Page faults of user memory (__GFP_HIGHMEM) are no part of unshare. */
	write_str(DBG "/fail_page_alloc/ignore-gfp-highmem", "Y");
	unsigned long pg_lo = 0, pg_hi = 0, a, b;
	int filter = cache_filter_ready();

	/* Slab-internal page allocations (a new slab, whose need depends on the cache's state)
	 * are no fault points: fail_page_alloc rejects stacks through new_slab. */
	if (!sym_range("new_slab", &a, &b))
		pg_lo = a, pg_hi = b;
	if (filter) {
		/* kmemleak and debugobjects caches are out already; the stack filter of failslab
		 * takes the allocation of an empty per-CPU sheaf (a timing-dependent refill). */
		write_str(DBG "/failslab/cache-filter", "Y");
		if (!sym_range("__alloc_empty_sheaf", &a, &b)) {
			unsigned long c, d;

			lo = a, hi = b;
			if (!sym_range("alloc_empty_sheaf", &c, &d) && c == b)
				hi = d;
		}
		reject_syms = NULL;
	}
	if (reject_syms) {
		FILE *syms = fopen(reject_syms, "r");
		FILE *ks = fopen("/proc/kallsyms", "r");
		char name[256], kname[256], type;
		unsigned long size, addr, anchor = 0;


		if (!syms || !ks)
			die("cannot read %s or /proc/kallsyms", reject_syms);
		/*
		 * Only names that occur once among the text symbols: static helpers
		 * such as rcu_read_unlock have copies in many objects. The exported
		 * hooks (kmemleak_alloc...) are __ref, in .ref.text; the metadata
		 * allocation is made under __create_object and __alloc_object, in .text.
		 */
		while (fscanf(ks, "%lx %c %255s%*[^\n]", &addr, &type, kname) == 3)
			if (!strcmp(kname, "__create_object"))
				anchor = addr;
		if (!anchor)
			die("no __create_object in /proc/kallsyms");
		while (fscanf(syms, "%255s %lx", name, &size) == 2) {
			unsigned long found = 0;
			int count = 0;

			rewind(ks);
			while (fscanf(ks, "%lx %c %255s%*[^\n]", &addr, &type, kname) == 3) {
				if ((type != 't' && type != 'T') || strcmp(kname, name))
					continue;
				found = addr;
				count++;
			}
			if (count != 1)
				continue;
			if (!lo || found < lo)
				lo = found;
			if (found + size > hi)
				hi = found + size;
		}
		fclose(syms);
		fclose(ks);
		if (!lo || hi - lo > 0x40000 || anchor < lo || anchor >= hi)
			die("bad kmemleak range %lx-%lx (anchor %lx)", lo, hi, anchor);
	}
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
		char path[128], val[32];
		unsigned long rlo = i ? pg_lo : lo, rhi = i ? pg_hi : hi;

		snprintf(path, sizeof(path), DBG "/%s/verbose", attrs[i]);
		if (write_str(path, "2"))
			die("cannot configure %s (is debugfs mounted, FAULT_INJECTION_DEBUG_FS on?)", path);
		snprintf(path, sizeof(path), DBG "/%s/verbose_ratelimit_interval_ms", attrs[i]);
		write_str(path, "0");
		snprintf(path, sizeof(path), DBG "/%s/reject-start", attrs[i]);
		snprintf(val, sizeof(val), "0x%lx", rlo);
		if (rlo && write_str(path, val))
			die("cannot write %s (FAULT_INJECTION_STACKTRACE_FILTER off?)", path);
		snprintf(path, sizeof(path), DBG "/%s/reject-end", attrs[i]);
		snprintf(val, sizeof(val), "0x%lx", rhi);
		if (rlo && write_str(path, val))
			die("cannot write %s", path);
	}
	printf("@@@ FAILNTH-SETUP cache-filter=%d failslab-reject=%#lx-%#lx (%s) page-reject=%#lx-%#lx (new_slab)\n",
	       filter, lo, hi, filter ? "empty sheaves" : "kmemleak metadata", pg_lo, pg_hi);
}

static void fault_teardown(void)
{
	write_str(DBG "/failslab/verbose", "0");
	write_str(DBG "/fail_page_alloc/verbose", "0");
}

static int kmemleak(const char *cmd)
{
	return write_str(DBG "/kmemleak", cmd);
}

/*
 * Scans twice (an object is reported once it is 5 s old and was unreferenced in
 * a scan, with the same checksum as in the scan before), prints what kmemleak
 * reports and clears it, so that the next report holds only new objects.
 */
static int kmemleak_report(const char *tag)
{
	static char buf[1 << 16];
	int fd, leaks = 0;
	ssize_t k;
	size_t len = 0;

	sleep(2);	/* let the RCU and workqueue frees of the last namespaces run */
	if (kmemleak("scan")) {
		printf("@@@ KMEMLEAK %s unavailable (errno %d)\n", tag, errno);
		return 0;
	}
	sleep(6);
	kmemleak("scan");
	fd = open(DBG "/kmemleak", O_RDONLY);
	if (fd < 0)
		return 0;
	while ((k = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += k;
	close(fd);
	buf[len] = 0;
	for (char *p = buf; (p = strstr(p, "unreferenced object")); p++)
		leaks++;
	printf("@@@ KMEMLEAK %s leaks=%d\n", tag, leaks);
	if (leaks)
		fputs(buf, stdout);
	kmemleak("clear");
	return leaks;
}

/* ---- the sweep ------------------------------------------------------------------------ */

#define RETRIES		2	/* calls at one n while the fault lands on an absorbed allocation */

/*
 * Which allocation is the n-th fault point of a call depends a little on timing:
 * an allocation that only some calls make (a cache refill, an IDA node) shifts
 * the points after it by one in that call, and a fault it absorbs makes the call
 * succeed. A fixed sample of n could then step over a phase of one point
 * (set_cred_ucounts) in one boot and not in the other. The sweep therefore:
 *  - calls again at the same n (RETRIES calls at most) while the fault lands on an
 *    allocation whose failure the kernel absorbs: in most calls the point that it
 *    displaced is at n;
 *  - steps by --stride (1), and by --bulk-stride inside a bulk run (kmsg_site());
 *  - bisects every gap between two sampled n whose outcomes differ in class
 *    (sweep_class()) down to adjacent n, so that every class between them is reached;
 *  - calls once more at both ends of each such boundary, so that one shifted call
 *    cannot hide a class of one point.
 * Every call is printed (probe= says why it was made); compare.py judges the set
 * of outcomes and the order of the phases, never the outcome at a given n.
 */
struct sweep {
	const struct combo *c;
	struct result *res;
	unsigned char *seen;	/* per n: 1 probed, 2 fired */
	unsigned int maxn;
	unsigned int calls, positions, failed, tolerated, changed, effect_bad, sem_bad, setup_bad;
	unsigned int retried, bisected, confirmed, shifted;
	int last_ret;
	int last_bulk;	/* the last failed call's bulk run */
};

struct probe {
	unsigned int n;
	int fired, ret, tolerated, error, nowarn, bulk;
	char cls[160];
};

/*
 * The class of an outcome, as compare.py judges it: where the fault was (the
 * outermost frame below the implementation), the errno (not inside the network
 * setup, where ENOMEM or ENOSPC depends on timing), whether the task stayed
 * unchanged, the undo list. An absorbed fault has no class of its own.
 */
static void sweep_class(struct probe *p, const char *site, const struct result *res, int sem_ok)
{
	const char *at = strchr(site, '@');

	if (p->error)
		snprintf(p->cls, sizeof(p->cls), "error");
	else if (!p->fired)
		snprintf(p->cls, sizeof(p->cls), "end:%s", errname(p->ret));
	else if (p->tolerated)
		snprintf(p->cls, sizeof(p->cls), "tolerated");
	else
		snprintf(p->cls, sizeof(p->cls), "%s/%s/%d/%d", at ? at + 1 : site,
			 p->bulk & BULK_NET ? "E*" : errname(p->ret), res->unchanged, sem_ok);
}

/* One measured call: a fresh child with fail-nth at @n; prints its record. */
static void sweep_call(struct sweep *sw, unsigned int n, const char *why, struct probe *p)
{
	const struct combo *c = sw->c;
	struct result *res = sw->res;
	char site[512], type[32];
	int status, semv, sem_ok;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	p->n = n;
	memset(res, 0, sizeof(*res));
	lseek(kmsgfd, 0, SEEK_END);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		int r = child_main(c, n, res);

		res->done = 1;
		_exit(r);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	sw->calls++;
	/* Both gone: the undo adjustment is applied once, by the last user of the list. */
	semv = sem_value();
	sem_ok = semv == 0;
	if (!sem_ok)
		semctl(semid, 0, SETVAL, 0);
	kmsg_site(pid, site, sizeof(site), type, sizeof(type), &p->bulk);
	p->nowarn = !strcmp(site, "nowarn");
	p->fired = res->fired;
	p->ret = res->ret;
	if (!res->done || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("@@@ FAILNTH %s n=%u ret=%s unchanged=no fired=%d effect=na sem=%s site=%s error=child:%s:status=%#x probe=%s\n",
		       c->name, n, errname(res->ret), res->fired, sem_ok ? "ok" : "bad",
		       site, res->why[0] ? res->why : "crashed", status, why);
		sw->setup_bad++;
		p->error = 1;
		sweep_class(p, site, res, sem_ok);
		return;
	}
	printf("@@@ FAILNTH %s n=%u ret=%s unchanged=%s fired=%d effect=%s%s%s sem=%s type=%s site=%s probe=%s\n",
	       c->name, n, errname(res->ret),
	       res->unchanged < 0 ? "na" : res->unchanged ? "yes" : "no", res->fired,
	       res->effect < 0 ? "na" : res->effect ? "ok" : "bad",
	       res->why[0] ? ":" : "", res->why, sem_ok ? "ok" : "bad", type,
	       res->fired ? site : "-", why);
	if (!sem_ok)
		sw->sem_bad++;
	if (res->unchanged == 0)
		sw->changed++;
	if (res->effect == 0)
		sw->effect_bad++;
	if (!res->fired) {
		sw->last_ret = res->ret;
	} else {
		if (n <= sw->maxn && !(sw->seen[n] & 2))
			sw->positions++;
		p->tolerated = !res->ret;
		if (res->ret)
			sw->failed++;
		else
			sw->tolerated++;
	}
	if (n <= sw->maxn)
		sw->seen[n] |= 1 | (res->fired ? 2 : 0);
	sweep_class(p, site, res, sem_ok);
}

/*
 * The outcome at @n: called again while the fault lands on an absorbed allocation,
 * but for one inside a bulk run (or one without a stack right after a call that
 * failed inside one): the point it displaced has the run's class, known already.
 */
static void sweep_at(struct sweep *sw, unsigned int n, const char *why, struct probe *p)
{
	sweep_call(sw, n, why, p);
	for (int i = 1; i < RETRIES && p->tolerated && !p->error; i++) {
		if (p->bulk || (p->nowarn && sw->last_bulk))
			break;
		sw->retried++;
		sweep_call(sw, n, "retry", p);
	}
	if (!p->error && !p->tolerated && p->fired)
		sw->last_bulk = p->bulk;
}

static int class_differs(const struct probe *a, const struct probe *b)
{
	return strcmp(a->cls, b->cls) != 0;
}

/* Both ends of a boundary between adjacent n, once more each. */
static void sweep_confirm(struct sweep *sw, const struct probe *lo, const struct probe *hi)
{
	const struct probe *ends[2] = { lo, hi };

	sw->confirmed++;
	for (int i = 0; i < 2; i++) {
		struct probe p;

		sweep_at(sw, ends[i]->n, "confirm", &p);
		if (!p.error && !p.tolerated && class_differs(&p, ends[i]))
			sw->shifted++;
	}
}

/* Every class between @lo and @hi (classes differ, lo->n < hi->n), by bisection. */
static void sweep_refine(struct sweep *sw, const struct probe *lo, const struct probe *hi)
{
	unsigned int m = lo->n + (hi->n - lo->n) / 2, k;
	struct probe mid = { 0 };

	if (hi->n - lo->n <= 1) {
		sweep_confirm(sw, lo, hi);
		return;
	}
	sw->bisected++;
	/* the first n from the middle up, then down, whose fault was not absorbed */
	for (k = m; k < hi->n; k++) {
		sweep_at(sw, k, k == m ? "bisect" : "gap", &mid);
		if (mid.error)
			return;
		if (!mid.tolerated)
			break;
	}
	for (k = m - 1; mid.tolerated && k > lo->n; k--) {
		sweep_at(sw, k, "gap", &mid);
		if (mid.error)
			return;
	}
	if (mid.tolerated)
		return;	/* every n between them absorbed the fault */
	if (class_differs(lo, &mid))
		sweep_refine(sw, lo, &mid);
	if (class_differs(&mid, hi))
		sweep_refine(sw, &mid, hi);
}

static void sweep_combo(struct sweep *sw, unsigned int maxn, unsigned int stride,
			unsigned int bulk_stride)
{
	struct probe prev = { 0 }, p;
	int have_prev = 0, misses = 0;

	sw->maxn = maxn;
	sw->seen = calloc(maxn + 1, 1);
	if (!sw->seen)
		die("calloc");
	for (unsigned int n = 1; n <= maxn;) {
		sweep_at(sw, n, "step", &p);
		if (p.error) {
			if (n > 3)
				break;
			n++;
			continue;
		}
		if (!p.tolerated) {
			if (have_prev && class_differs(&prev, &p))
				sweep_refine(sw, &prev, &p);
			prev = p;
			have_prev = 1;
		}
		if (!p.fired) {
			/*
			 * The call has fewer than n fault points. Their number varies by one
			 * or two from run to run, so a miss ends the sweep only after MISSES
			 * in a row.
			 */
			if (++misses >= MISSES)
				break;
		} else {
			misses = 0;
		}
		n += p.bulk && bulk_stride > 1 ? bulk_stride : stride > 1 ? stride : 1;
	}
	free(sw->seen);
}

int main(int argc, char **argv)
{
	const char *only = NULL, *reject_syms = NULL;
	unsigned int maxn = 3000, bulk_stride = 1, all_stride = 1;
	int use_kmemleak = 1, leak_per_combo = 1, bad = 0;
	struct result *res;
	time_t t0 = time(NULL);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--combo") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			maxn = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reject-syms") && i + 1 < argc)
			reject_syms = argv[++i];
		else if (!strcmp(argv[i], "--no-kmemleak"))
			use_kmemleak = 0;
		else if (!strcmp(argv[i], "--leak-scan-at-end"))
			leak_per_combo = 0;
		else if (!strcmp(argv[i], "--bulk-stride") && i + 1 < argc)
			bulk_stride = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--stride") && i + 1 < argc)
			all_stride = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-inject"))
			no_inject = 1, use_kmemleak = 0;
		else {
			fprintf(stderr, "usage: %s [--combo NAME] [--max N] [--reject-syms FILE] [--no-kmemleak]\n\t[--leak-scan-at-end] [--stride N] [--bulk-stride N] [--no-inject]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid())
		die("must run as root");
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		die("open /proc");
	mkdir(WORKDIR, 0777);
	mkdir(WORKDIR "/a", 0777);
	mkdir(WORKDIR "/b", 0777);
	chmod(WORKDIR, 0777);
	chmod(WORKDIR "/a", 0777);
	chmod(WORKDIR "/b", 0777);
	ino_work = path_ino(WORKDIR);
	ino_a = path_ino(WORKDIR "/a");
	ino_b = path_ino(WORKDIR "/b");
	semid = semget(IPC_PRIVATE, 1, 0666 | IPC_CREAT);
	if (semid < 0)
		die("semget");
	write_str("/proc/sys/kernel/unprivileged_userns_clone", "1");
	if (use_kmemleak) {
		/* Forget what was suspect before the test (boot-time objects, 5 s old at least). */
		kmemleak("scan");
		sleep(5);
		kmemleak("scan");
		kmemleak("clear");
	}
	if (!no_inject)
		fault_setup(reject_syms);
	kmsgfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsgfd < 0 && !no_inject)
		die("open /dev/kmsg");
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		die("mmap");

	for (size_t ci = 0; ci < ARRAY_SIZE(combos); ci++) {
		const struct combo *c = &combos[ci];
		struct sweep sw = { .c = c, .res = res, .last_ret = -1 };
		time_t c0 = time(NULL);
		char fl[256];
		int leaks;

		/*
		 * C answers EINVAL to the @copy combinations, with no fault point; Rust EBUSY to
		 * those that hold a lock or a registration.
		 */
		int expect = c->copy && !rust_implementation() ? EINVAL : c->hold ? EBUSY : 0;

		if (only && strcmp(only, c->name))
			continue;
		if (c->copy && write_str(UNSHARE_VM_SYSCTL, "1")) {
			printf("@@@ FAILNTH-SUMMARY %s flags=%s points=0 failed=0 tolerated=0 changed=0 effect_bad=0 sem_bad=0 errors=1 final_ret=none expect_final=%s leaks=0 stride=0 seconds=0 error=no-%s(CONFIG_UNSHARE_RUST_VM=n?)\n",
			       c->name, flags_str(c->flags, fl, sizeof(fl)), errname(expect),
			       UNSHARE_VM_SYSCTL);
			bad++;
			continue;
		}
		sweep_combo(&sw, maxn, all_stride, bulk_stride);
		if (c->copy && write_str(UNSHARE_VM_SYSCTL, "0"))
			sw.setup_bad++;
		leaks = use_kmemleak && leak_per_combo ? kmemleak_report(c->name) : 0;
		printf("@@@ FAILNTH-SUMMARY %s flags=%s points=%u failed=%u tolerated=%u changed=%u effect_bad=%u sem_bad=%u errors=%u final_ret=%s",
		       c->name, flags_str(c->flags, fl, sizeof(fl)), sw.positions, sw.failed,
		       sw.tolerated, sw.changed, sw.effect_bad, sw.sem_bad, sw.setup_bad,
		       sw.last_ret < 0 ? "none" : errname(sw.last_ret));
		printf(" expect_final=%s leaks=%d stride=%u bulk_stride=%u calls=%u retried=%u bisected=%u confirmed=%u shifted=%u seconds=%ld\n",
		       errname(expect), leaks, all_stride, bulk_stride, sw.calls, sw.retried,
		       sw.bisected, sw.confirmed, sw.shifted, (long)(time(NULL) - c0));
		bad += sw.changed + sw.effect_bad + sw.sem_bad + sw.setup_bad +
		       (sw.last_ret != expect) + leaks;
	}
	if (!no_inject)
		fault_teardown();
	if (use_kmemleak && kmemleak_report("failnth-end") > 0)
		bad++;
	printf("@@@ FAILNTH-END bad=%d seconds=%ld\n", bad, (long)(time(NULL) - t0));
	return bad ? 1 : 0;
}
