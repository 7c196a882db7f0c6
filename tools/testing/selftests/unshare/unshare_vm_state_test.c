// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(CLONE_VM) of an address space shared with another process, with
 * kernel.unshare_vm at 1, while the caller holds state tied to it: locks,
 * a userfaultfd registration, a pending uretprobe. The caller goes on
 * running its program, so it must neither hand a lock it holds to another
 * process nor lose one of these. The Rust implementation refuses with
 * EBUSY (held robust futex, owned PI state, userfaultfd registration) or
 * carries the state into the copy (the robust list, the uretprobe
 * trampoline); the C implementation, and both with the sysctl at 0, fail
 * with EINVAL and change nothing.
 *
 * The caller is a child of the test, which shares a MAP_SHARED page with
 * it, and a holder made by clone(CLONE_VM) shares its address space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "unshare_harness.h"

#define WAIT_MS		10000

/* A robust lock as glibc keeps one: the list entry, then the futex word. */
struct robust_lock {
	struct robust_list list;
	uint32_t word;
};

/* In MAP_SHARED memory: seen by the test, the caller, its copy and children. */
struct shared_state {
	struct robust_list_head head;
	struct robust_lock lock;
	uint32_t pi_word;
	pid_t caller;
};

/* What the caller of a case gets from the test. */
struct state_case {
	long sysctl;
	struct shared_state *st;
};

static struct shared_state *map_state(struct __test_metadata *_metadata)
{
	struct shared_state *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	EXPECT_NE(MAP_FAILED, st);
	return st == MAP_FAILED ? NULL : st;
}

/* Whether the Rust implementation copies here (else EINVAL, untouched). */
static bool copies(const struct state_case *c)
{
	return c->sysctl && rust_implementation();
}

static long robust_set(struct robust_list_head *head)
{
	return syscall(SYS_set_robust_list, head, sizeof(*head));
}

static void *robust_get(void)
{
	void *head = NULL;
	size_t len;

	if (syscall(SYS_get_robust_list, 0, &head, &len))
		return (void *)-1;
	return head;
}

/* glibc's protocol for a robust mutex, by hand. */
static void robust_init(struct shared_state *st)
{
	st->head.list.next = &st->head.list;
	st->head.futex_offset = offsetof(struct robust_lock, word);
	st->head.list_op_pending = NULL;
	st->lock.word = 0;
}

static bool robust_lock(struct shared_state *st, pid_t tid)
{
	uint32_t zero = 0;

	STORE(st->head.list_op_pending, &st->lock.list);
	if (!__atomic_compare_exchange_n(&st->lock.word, &zero, tid, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return false;
	st->lock.list.next = st->head.list.next;
	STORE(st->head.list.next, &st->lock.list);
	STORE(st->head.list_op_pending, NULL);
	return true;
}

static void robust_unlock(struct shared_state *st)
{
	STORE(st->head.list_op_pending, &st->lock.list);
	STORE(st->head.list.next, st->lock.list.next);
	STORE(st->lock.word, 0);
	STORE(st->head.list_op_pending, NULL);
}

static long futex_pi(uint32_t *word, int op, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	/* no FUTEX_PRIVATE_FLAG: the word is in MAP_SHARED memory */
	return syscall(SYS_futex, word, op, 0, op == FUTEX_LOCK_PI ? &ts : NULL,
		       NULL, 0) ? -errno : 0;
}

/* A child (its own address space) that blocks in FUTEX_LOCK_PI on @word. */
static pid_t pi_waiter(uint32_t *word)
{
	pid_t pid = fork();

	if (!pid) {
		if (futex_pi(word, FUTEX_LOCK_PI, WAIT_MS))
			_exit(1);
		_exit(futex_pi(word, FUTEX_UNLOCK_PI, 0) ? 2 : 0);
	}
	return pid;
}

/* The state letter of @pid in /proc/<pid>/stat, or 0. */
static char task_state(pid_t pid)
{
	char rel[32], buf[512], *p;

	snprintf(rel, sizeof(rel), "%d/stat", pid);
	if (proc_read(rel, buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait until @waiter sleeps in FUTEX_LOCK_PI on @word: FUTEX_WAITERS is set
 * before the PI state is attached to the owner, the sleep comes after.
 */
static bool pi_contended(uint32_t *word, pid_t waiter)
{
	int ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		if ((LOAD(*word) & FUTEX_WAITERS) && task_state(waiter) == 'S')
			return true;
		usleep(1000);
	}
	return false;
}

/* Whether @pid has exited (reaped) or is still running. */
static bool still_running(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG | __WALL) == 0;
}

static void robust_case(struct __test_metadata *_metadata, const void *arg)
{
	const struct state_case *c = arg;
	struct shared_state *st = c->st;
	int busy = copies(c) ? -EBUSY : -EINVAL;
	pid_t tid = gettid();
	struct holder h;

	robust_init(st);
	st->caller = tid;
	ASSERT_EQ(0, robust_set(&st->head));
	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM));

	/* Held: refused, the lock stays ours and the list registered. */
	ASSERT_TRUE(robust_lock(st, tid));
	EXPECT_EQ(busy, sys_unshare(CLONE_VM));
	EXPECT_EQ(tid, LOAD(st->lock.word));
	EXPECT_EQ(&st->head, robust_get());

	/* Being taken (list_op_pending, not yet on the list): held too. */
	robust_unlock(st);
	STORE(st->head.list_op_pending, &st->lock.list);
	STORE(st->lock.word, tid);
	EXPECT_EQ(busy, sys_unshare(CLONE_VM));
	EXPECT_EQ(tid, LOAD(st->lock.word));
	STORE(st->lock.word, 0);
	STORE(st->head.list_op_pending, NULL);

	/* Another task's lock on our list is not ours. */
	ASSERT_TRUE(robust_lock(st, tid));
	STORE(st->lock.word, tid + 1);
	EXPECT_EQ(copies(c) ? 0 : -EINVAL, sys_unshare(CLONE_VM));
	EXPECT_EQ(tid + 1, LOAD(st->lock.word));
	EXPECT_EQ(&st->head, robust_get());
	STORE(st->lock.word, tid);
	robust_unlock(st);

	/* Taken again after the call: our exit releases it (the test sees). */
	EXPECT_TRUE(robust_lock(st, tid));
	EXPECT_EQ(0, holder_release(&h));
}

/*
 * A robust futex held across the call: refused, and the lock stays held;
 * the robust list stays registered, so that the caller's exit from its copy
 * still releases what it holds then.
 */
TEST_F(unshare, vm_robust_futex_held)
{
	struct state_case c = {};
	long sysctl;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	c.st = map_state(_metadata);
	ASSERT_NE(NULL, c.st);
	for (sysctl = 1; sysctl >= 0; sysctl--) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctl))
			return;
		c.sysctl = sysctl;
		run_in_child(_metadata, robust_case, &c);
		/* handle_futex_death(): the owner cleared, OWNER_DIED set */
		EXPECT_EQ(FUTEX_OWNER_DIED, LOAD(c.st->lock.word))
			TH_LOG("kernel.unshare_vm=%ld, caller %d", sysctl,
			       c.st->caller);
	}
	munmap(c.st, sizeof(*c.st));
}

static void pi_case(struct __test_metadata *_metadata, const void *arg)
{
	const struct state_case *c = arg;
	uint32_t *word = &c->st->pi_word;
	uint32_t zero = 0;
	pid_t tid = gettid(), waiter;
	struct holder h;

	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM));

	/* Held without a waiter: nothing in the kernel knows; it stays ours. */
	STORE(*word, 0);
	ASSERT_TRUE(__atomic_compare_exchange_n(word, &zero, tid, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST));
	waiter = pi_waiter(word);
	ASSERT_LT(0, waiter);
	ASSERT_TRUE(pi_contended(word, waiter));

	/* A waiter made PI state that we own: refused, it keeps waiting. */
	EXPECT_EQ(copies(c) ? -EBUSY : -EINVAL, sys_unshare(CLONE_VM));
	EXPECT_EQ(tid | FUTEX_WAITERS, LOAD(*word));
	EXPECT_TRUE(still_running(waiter));
	EXPECT_EQ(0, futex_pi(word, FUTEX_UNLOCK_PI, 0));
	EXPECT_EQ(0, wait_status(waiter));

	/* Held, uncontended: the call goes through and the lock stays ours. */
	zero = 0;
	ASSERT_TRUE(__atomic_compare_exchange_n(word, &zero, tid, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST));
	EXPECT_EQ(copies(c) ? 0 : -EINVAL, sys_unshare(CLONE_VM));
	EXPECT_EQ(tid, LOAD(*word));
	/* ... and a waiter attaches to us in our copy, and gets it from us. */
	waiter = pi_waiter(word);
	ASSERT_LT(0, waiter);
	EXPECT_TRUE(pi_contended(word, waiter));
	EXPECT_EQ(0, futex_pi(word, FUTEX_UNLOCK_PI, 0));
	EXPECT_EQ(0, wait_status(waiter));
	EXPECT_EQ(0, holder_release(&h));
}

/*
 * A PI futex in MAP_SHARED memory: refused while another process waits for
 * it (the kernel's PI state is ours); held without a waiter, it stays held
 * across the call, and the PI protocol works from the copy.
 */
TEST_F(unshare, vm_pi_futex_held)
{
	struct state_case c = {};
	long sysctl;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	c.st = map_state(_metadata);
	ASSERT_NE(NULL, c.st);
	for (sysctl = 1; sysctl >= 0; sysctl--) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctl))
			return;
		c.sysctl = sysctl;
		run_in_child(_metadata, pi_case, &c);
	}
	munmap(c.st, sizeof(*c.st));
}

/* A userfaultfd with @features, a page of ours registered MISSING; -errno. */
static int uffd_register(void *page, long size, uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)page, .len = size },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int uffd_unregister(int fd, void *page, long size)
{
	struct uffdio_range range = { .start = (unsigned long)page, .len = size };

	return ioctl(fd, UFFDIO_UNREGISTER, &range) ? -errno : 0;
}

static void uffd_case(struct __test_metadata *_metadata, const void *arg)
{
	const struct state_case *c = arg;
	int busy = copies(c) ? -EBUSY : -EINVAL;
	long page = sysconf(_SC_PAGESIZE);
	struct pollfd pfd = { .events = POLLIN };
	int fork_fd, plain_fd;
	struct holder h;
	char *area;

	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	fork_fd = uffd_register(area, page, UFFD_FEATURE_EVENT_FORK);
	if (fork_fd == -ENOSYS)
		SKIP(return, "no userfaultfd (CONFIG_USERFAULTFD=n)");
	ASSERT_LE(0, fork_fd);
	plain_fd = uffd_register(area + page, page, 0);
	ASSERT_LE(0, plain_fd);
	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM));

	/* The monitor is us: a fork event would never be read. */
	alarm(WAIT_MS / 1000);
	EXPECT_EQ(busy, sys_unshare(CLONE_VM));
	pfd.fd = fork_fd;
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	/* Without EVENT_FORK, fork would drop the registration: refused too. */
	EXPECT_EQ(0, uffd_unregister(fork_fd, area, page));
	EXPECT_EQ(busy, sys_unshare(CLONE_VM));

	/* Nothing registered: the copy goes through. */
	EXPECT_EQ(0, uffd_unregister(plain_fd, area + page, page));
	EXPECT_EQ(copies(c) ? 0 : -EINVAL, sys_unshare(CLONE_VM));
	alarm(0);
	pfd.fd = fork_fd;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	close(fork_fd);
	close(plain_fd);
	EXPECT_EQ(0, holder_release(&h));
}

/*
 * A userfaultfd registration in the address space: refused, with or
 * without UFFD_FEATURE_EVENT_FORK, and no fork event is sent: the caller,
 * its own monitor, would wait for itself to read one, or lose its
 * registration.
 */
TEST_F(unshare, vm_uffd_registered)
{
	struct state_case c = {};
	long sysctl;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	for (sysctl = 1; sysctl >= 0; sysctl--) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctl))
			return;
		c.sysctl = sysctl;
		run_in_child(_metadata, uffd_case, &c);
	}
}

#define TRACEFS		"/sys/kernel/tracing"
#define UPROBE_EVENT	"unshare_vm/uret"

/* The function the uretprobe is on: it unshares and returns through it. */
static __attribute__((noinline)) int probed(void)
{
	int ret = sys_unshare(CLONE_VM);

	asm volatile("" ::: "memory");
	return ret;
}

/* The file offset of @fn in the program, from /proc/self/maps. */
static long file_offset(const void *fn, char *path, size_t size)
{
	unsigned long start, end, pgoff, addr = (unsigned long)fn;
	char line[512];
	FILE *maps = fopen("/proc/self/maps", "r");
	long off = -ENOENT;

	if (!maps)
		return -errno;
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %511s", &start, &end,
			   &pgoff, path) != 4 || addr < start || addr >= end)
			continue;
		off = addr - start + pgoff;
		break;
	}
	fclose(maps);
	return off;
}

static int tracefs_write(const char *file, const char *buf, int flags)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, strlen(buf)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Whether the trace has a hit of the uretprobe by @pid. */
static bool uret_hit_by(pid_t pid)
{
	char line[512], comm_pid[32];
	FILE *trace = fopen(TRACEFS "/trace", "r");
	bool hit = false;

	if (!trace)
		return false;
	snprintf(comm_pid, sizeof(comm_pid), "-%d ", pid);
	while (fgets(line, sizeof(line), trace))
		if (strstr(line, comm_pid) && strstr(line, " uret:"))
			hit = true;
	fclose(trace);
	return hit;
}

static void uret_case(struct __test_metadata *_metadata, const void *arg)
{
	const struct state_case *c = arg;
	struct holder h;

	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM));
	/* A return into an unmapped trampoline would be a SIGSEGV. */
	EXPECT_EQ(copies(c) ? 0 : -EINVAL, probed());
	EXPECT_TRUE(uret_hit_by(getpid()));
	EXPECT_EQ(0, holder_release(&h));
}

/*
 * A uretprobe pending on the caller's stack across the call: the function
 * returns through the trampoline, which the copy has at the same address,
 * and the probe fires.
 */
TEST_F(unshare, vm_uretprobe_pending)
{
	struct state_case c = {};
	char path[512], probe[640];
	long sysctl, off;
	int ret;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	if (access(TRACEFS "/uprobe_events", F_OK) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL) &&
	    errno != EBUSY)
		SKIP(return, "no tracefs: %s", strerror(errno));
	if (access(TRACEFS "/uprobe_events", F_OK))
		SKIP(return, "no uprobe_events (CONFIG_UPROBE_EVENTS=n)");
	off = file_offset(probed, path, sizeof(path));
	ASSERT_LT(0, off);
	snprintf(probe, sizeof(probe), "r:" UPROBE_EVENT " %s:0x%lx\n", path,
		 off);
	/* A probe left by an interrupted run would make the append fail. */
	tracefs_write("events/" UPROBE_EVENT "/enable", "0", 0);
	tracefs_write("uprobe_events", "-:" UPROBE_EVENT "\n", O_APPEND);
	/* O_APPEND: truncating uprobe_events would remove every probe. */
	ret = tracefs_write("uprobe_events", probe, O_APPEND);
	if (ret == -EINVAL || ret == -ENOENT)
		SKIP(return, "cannot probe %s: %s", path, strerror(-ret));
	ASSERT_EQ(0, ret);
	ret = tracefs_write("events/" UPROBE_EVENT "/enable", "1", 0);
	EXPECT_EQ(0, ret);
	TH_LOG("%s implementation", rust_implementation() ? "Rust" : "C");
	for (sysctl = 1; !ret && sysctl >= 0; sysctl--) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctl))
			break;
		c.sysctl = sysctl;
		ret = tracefs_write("trace", "", O_TRUNC);
		EXPECT_EQ(0, ret);
		if (!ret)
			run_in_child(_metadata, uret_case, &c);
	}
	EXPECT_EQ(0, tracefs_write("events/" UPROBE_EVENT "/enable", "0", 0));
	EXPECT_EQ(0, tracefs_write("uprobe_events", "-:" UPROBE_EVENT "\n",
				   O_APPEND));
}

/*
 * Turn on the user shadow stack with a raw system call: a libc call would
 * return through a frame that the new shadow stack does not have. The
 * caller must never return either. 0, or -errno.
 */
static inline __attribute__((always_inline)) long shadow_stack_enable(void)
{
#if defined(__x86_64__)
	long ret = 158 /* arch_prctl */;

	asm volatile("syscall" : "+a"(ret)
		     : "D"(0x5001L /* ARCH_SHSTK_ENABLE */),
		       "S"(1L /* ARCH_SHSTK_SHSTK */)
		     : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 asm("x8") = 167 /* prctl */;
	register long x0 asm("x0") = 75 /* PR_SET_SHADOW_STACK_STATUS */;
	register long x1 asm("x1") = 1 /* PR_SHADOW_STACK_ENABLE */;

	asm volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	return x0;
#elif defined(__riscv) && __riscv_xlen == 64
	register long a7 asm("a7") = 167 /* prctl */;
	register long a0 asm("a0") = 75 /* PR_SET_SHADOW_STACK_STATUS */;
	register long a1 asm("a1") = 1 /* PR_SHADOW_STACK_ENABLE */;

	asm volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1) : "memory");
	return a0;
#else
	return -EOPNOTSUPP;
#endif
}

/* The number of shadow stack mappings ("ss" in VmFlags) of the caller. */
static int shadow_stacks(void)
{
	FILE *smaps = fopen("/proc/self/smaps", "r");
	char line[512];
	int nr = 0;

	if (!smaps)
		return -errno;
	while (fgets(line, sizeof(line), smaps))
		if (!strncmp(line, "VmFlags:", 8) && strstr(line, " ss"))
			nr++;
	fclose(smaps);
	return nr;
}

#define SS_NONE		42	/* exit status: no user shadow stack */

struct ss_shared {
	int ret;
	uint32_t go;
	uint32_t done;
	uint32_t release;
};

/* Wait up to WAIT_MS for @word to become non-zero. */
static bool ss_wait(uint32_t *word)
{
	int ms;

	for (ms = 0; !LOAD(*word); ms += 100) {
		if (ms >= WAIT_MS)
			return false;
		futex_wait(word, 0, 100);
	}
	return true;
}

static void ss_set(uint32_t *word)
{
	STORE(*word, 1);
	futex_wake(word, 1);
}

static int ss_child(void *arg)
{
	struct ss_shared *sh = arg;

	if (!ss_wait(&sh->go))
		_exit(1);
	sh->ret = sys_unshare(CLONE_VM);
	/* sh is MAP_SHARED: the parent sees these after a copy too */
	ss_set(&sh->done);
	_exit(ss_wait(&sh->release) ? 0 : 1);
}

/*
 * The process of the test with its shadow stack on: clone(CLONE_VM) gives
 * the child a shadow stack in the shared address space, and the child's
 * unshare(CLONE_VM) must take it out of there. Exit status: 0 as expected,
 * SS_NONE, else the failed step. Never returns (see shadow_stack_enable()).
 */
static __attribute__((noreturn)) void ss_case(bool copies)
{
	struct ss_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	size_t size = 256 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	int before, with_child, after;
	pid_t pid;

	if (sh == MAP_FAILED || stack == MAP_FAILED)
		_exit(1);
	if (shadow_stack_enable())
		_exit(SS_NONE);
	before = shadow_stacks();
	pid = clone(ss_child, stack + size, CLONE_VM | SIGCHLD, sh);
	if (pid < 0)
		_exit(2);
	/* the kernel gave the child a shadow stack in our address space */
	with_child = shadow_stacks();
	ss_set(&sh->go);
	if (!ss_wait(&sh->done))
		_exit(3);
	after = shadow_stacks();
	ss_set(&sh->release);
	if (wait_status(pid))
		_exit(4);
	if (before < 1 || with_child != before + 1)
		_exit(5);
	if (sh->ret != (copies ? 0 : -EINVAL))
		_exit(6);
	/* the child's is gone from our address space after its copy */
	_exit(after == (copies ? before : with_child) ? 0 : 7);
}

/*
 * The shadow stack that clone(CLONE_VM) made for the caller leaves the
 * shared address space (the caller runs on its copy). Skipped where the
 * CPU has none (QEMU TCG: no CET, GCS or Zicfiss) or the kernel lacks it.
 */
TEST_F(unshare, vm_shadow_stack_left)
{
	long sysctl;
	pid_t pid;
	int status;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	for (sysctl = 1; sysctl >= 0; sysctl--) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctl))
			return;
		fflush(NULL);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			ss_case(sysctl && rust_implementation());
		status = wait_status(pid);
		if (status == SS_NONE)
			SKIP(return, "no user shadow stack (CPU without CET, GCS or Zicfiss, or kernel config)");
		EXPECT_EQ(0, status) TH_LOG("kernel.unshare_vm=%ld", sysctl);
	}
}

TEST_HARNESS_MAIN
