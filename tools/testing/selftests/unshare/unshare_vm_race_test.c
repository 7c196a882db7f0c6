// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(CLONE_VM) of a task A while something happens to a process S that
 * shares A's address space and signal handlers (clone(CLONE_VM |
 * CLONE_SIGHAND) without CLONE_THREAD): S dumps core, is poked by a tracer,
 * or calls execve(), or another process reads A's memory. With the sysctl
 * kernel.unshare_vm at 1, the Rust implementation (unshare.impl=rust, the
 * default) gives A a copy whatever S does meanwhile; the C implementation
 * fails with EINVAL while S shares the handlers. Without the sysctl, every
 * test is skipped.
 *
 * In each round, the test process P forks A, A clones S, and P releases
 * them together. UNSHARE_RACE_ROUNDS sets the number of rounds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "unshare_harness.h"

#define DEFAULT_ROUNDS	12
#define PATTERN		0x5a
#define HEAP_BYTES	(64 * 1024)
#define STACK_BYTES	1024
#define TARGET_BYTES	(16 * 1024)
#define SIB_STACK_SIZE	(64 * 1024)
#define DATA_VALUE	0x2a2a2a2aL
#define CORE_PATTERN	"kernel/core_pattern"
/* What A stores into traced_word after its unshare() and the race */
#define A_VALUE		0x5a5aL
/* What the tracer pokes into S during the race: RACE_VALUE + i */
#define RACE_VALUE	0x10000L

/* Shared by P, A and S (MAP_SHARED: it stays shared after a copy). */
struct race_area {
	struct gate gate;
	uint32_t step;		/* P and A take turns */
	uint32_t done;		/* A's unshare() returned */
	pid_t sib;
	void *heap;		/* A's heap buffer, for the reader */
	long fault_addr;	/* 0, where S faults */
};

struct race_round {
	struct race_area *area;
	int round;
	bool copies;		/* Rust, with kernel.unshare_vm at 1 */
	const char *core_dir;	/* NULL: no core dumps (CONFIG_COREDUMP=n) */
	bool vm_readv;		/* process_vm_readv() (CROSS_MEMORY_ATTACH) */
};

/* In the data segment of A, and of S until A has a copy */
static long data_word = DATA_VALUE;
static long traced_word;
/* Filled by P, read by the reader in A */
static char target[TARGET_BYTES];

static int race_rounds(void)
{
	const char *env = getenv("UNSHARE_RACE_ROUNDS");
	int rounds = env ? atoi(env) : DEFAULT_ROUNDS;

	return rounds > 0 ? rounds : DEFAULT_ROUNDS;
}

/* Let A or S start a little later, a different one and delay each round. */
static void stagger(int round, bool sib)
{
	int i;

	if ((round / 4) % 2 != sib)
		return;
	for (i = 0; i < round % 4; i++)
		sched_yield();
}

static void step_set(struct race_area *a, uint32_t step)
{
	STORE(a->step, step);
	futex_wake(&a->step, INT_MAX);
}

static bool step_wait(struct race_area *a, uint32_t step)
{
	uint32_t cur;

	while ((cur = LOAD(a->step)) < step)
		if (futex_wait(&a->step, cur, GATE_WAIT_MS) == -ETIMEDOUT)
			return false;
	return true;
}

/* The answer of unshare(CLONE_VM) while S shares the handlers */
static long expected_ret(const struct race_round *r)
{
	return r->copies ? 0 : -EINVAL;
}

struct a_memory {
	char *heap;
	char *stack;
};

static void fill_memory(struct __test_metadata *_metadata,
			struct a_memory *m, char *stack)
{
	m->heap = malloc(HEAP_BYTES);
	ASSERT_TRUE(m->heap);
	memset(m->heap, PATTERN, HEAP_BYTES);
	m->stack = stack;
	memset(m->stack, PATTERN, STACK_BYTES);
	STORE(data_word, DATA_VALUE);
}

/* A's memory has its contents after the call, and takes writes. */
static void check_memory(struct __test_metadata *_metadata,
			 struct a_memory *m)
{
	EXPECT_EQ(DATA_VALUE, LOAD(data_word));
	EXPECT_EQ(HEAP_BYTES, count_bytes(m->heap, HEAP_BYTES, PATTERN));
	EXPECT_EQ(STACK_BYTES, count_bytes(m->stack, STACK_BYTES, PATTERN));
	STORE(data_word, ~DATA_VALUE);
	memset(m->heap, ~PATTERN, HEAP_BYTES);
	memset(m->stack, ~PATTERN, STACK_BYTES);
	EXPECT_EQ(~DATA_VALUE, LOAD(data_word));
	EXPECT_EQ(HEAP_BYTES, count_bytes(m->heap, HEAP_BYTES, ~PATTERN));
	EXPECT_EQ(STACK_BYTES, count_bytes(m->stack, STACK_BYTES, ~PATTERN));
	free(m->heap);
}

/* S on a stack of its own, sharing A's address space and handlers. */
static pid_t start_sib(int (*fn)(void *), struct race_round *r)
{
	char *stack = mmap(NULL, SIB_STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (stack == MAP_FAILED)
		return -errno;
	return clone(fn, stack + SIB_STACK_SIZE,
		     CLONE_VM | CLONE_SIGHAND | SIGCHLD, r);
}

/*
 * A, then P: fork A, release it (and S) once @nr_waiters wait at the gate,
 * do @racer meanwhile, and see A end well.
 */
static void run_round(struct __test_metadata *_metadata,
		      struct race_round *r,
		      void (*a_fn)(struct __test_metadata *_metadata,
				   struct race_round *r),
		      void (*racer)(struct __test_metadata *_metadata,
				    struct race_round *r, pid_t a))
{
	pid_t a;

	memset(r->area, 0, sizeof(*r->area));
	fflush(NULL);
	a = fork();
	ASSERT_LE(0, a);
	if (!a) {
		a_fn(_metadata, r);
		_exit(0);
	}
	racer(_metadata, r, a);
	EXPECT_EQ(0, wait_status(a)) TH_LOG("round %d", r->round);
}

static void run_rounds(struct __test_metadata *_metadata,
		       struct race_round r,
		       void (*round_fn)(struct __test_metadata *_metadata,
					const void *arg))
{
	r.copies = rust_implementation();

	r.area = mmap(NULL, sizeof(*r.area), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(r.area != MAP_FAILED);
	TH_LOG("%s implementation", r.copies ? "Rust" : "C");
	for (r.round = 0; r.round < race_rounds(); r.round++)
		run_in_child(_metadata, round_fn, &r);
	munmap(r.area, sizeof(*r.area));
}

/* kernel.unshare_vm at 1 for the test; false if skipped. */
static bool enable(struct __test_metadata *_metadata,
		   struct sysctl_store *store)
{
	return unshare_vm_sysctl_or_skip(_metadata) &&
	       sysctl_set(_metadata, store, UNSHARE_VM_SYSCTL, 1);
}

/* The racer of the cases where P only opens the gate. */
static void open_gate(struct __test_metadata *_metadata, struct race_round *r,
		      pid_t a)
{
	gate_open(_metadata, &r->area->gate, 2);
}

/*
 * S: until A has a copy, errno and the rest of the C library's thread data
 * are A's, so S makes no call that could fail, but for its last.
 */
static int sib_dump_core(void *arg)
{
	struct race_round *r = arg;

	if (!gate_wait(&r->area->gate, true))
		return 1;
	stagger(r->round, true);
	if (r->round % 2)
		STORE(*(int *)r->area->fault_addr, 1);
	/* as abort() does, without the locks of A's C library */
	syscall(SYS_kill, syscall(SYS_getpid), SIGABRT);
	return 2;
}

static void dumps_core_a(struct __test_metadata *_metadata,
			 struct race_round *r)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	char stack[STACK_BYTES], core[PATH_MAX];
	int sig = r->round % 2 ? SIGSEGV : SIGABRT;
	struct a_memory m;
	struct stat st;
	int status;
	long ret;
	pid_t s;

	fill_memory(_metadata, &m, stack);
	/* S has its own limits, copied from ours */
	ASSERT_EQ(0, setrlimit(RLIMIT_CORE, &unlimited));
	s = start_sib(sib_dump_core, r);
	ASSERT_LT(0, s);
	ASSERT_TRUE(gate_wait(&r->area->gate, false));
	stagger(r->round, false);
	ret = sys_unshare(CLONE_VM);
	/* S holds the handlers until we reap it: C refuses all along */
	EXPECT_EQ(expected_ret(r), ret) TH_LOG("round %d", r->round);
	check_memory(_metadata, &m);

	ASSERT_EQ(s, waitpid(s, &status, __WALL));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(sig, WTERMSIG(status));
	if (!r->core_dir)
		return;
	EXPECT_TRUE(WCOREDUMP(status)) TH_LOG("round %d: no core", r->round);
	snprintf(core, sizeof(core), "%s/core.%d", r->core_dir, s);
	ASSERT_EQ(0, stat(core, &st)) TH_LOG("%s: %s", core, strerror(errno));
	EXPECT_LT(0, st.st_size);
	EXPECT_EQ(0, unlink(core));
}

static void dumps_core_round(struct __test_metadata *_metadata,
			     const void *arg)
{
	struct race_round r = *(const struct race_round *)arg;

	run_round(_metadata, &r, dumps_core_a, open_gate);
}

/*
 * Since Linux 5.16 a core dump waits only for its own thread group, not for
 * every user of the address space: S may dump core while A copies it.
 */
TEST_F(unshare, sibling_dumps_core)
{
	char dir[] = WORKDIR "/coreXXXXXX", pattern[PATH_MAX], old[PATH_MAX];
	struct race_round r = { .core_dir = dir };

	if (!enable(_metadata, &self->sysctls))
		return;
	ASSERT_TRUE(mkdtemp(dir));
	snprintf(pattern, sizeof(pattern), "%s/core.%%p", dir);
	if (sysctl_read_str(CORE_PATTERN, old, sizeof(old)) == -ENOENT) {
		TH_LOG("no core dumps (CONFIG_COREDUMP=n): S only dies");
		r.core_dir = NULL;
	} else if (!sysctl_set_str(_metadata, &self->sysctls, CORE_PATTERN,
				   pattern)) {
		/* (restored by the harness whatever happens) */
		return;
	}
	run_rounds(_metadata, r, dumps_core_round);
}

/* A word of S, through the tracer */
static long peek(pid_t s)
{
	errno = 0;
	return ptrace(PTRACE_PEEKDATA, s, &traced_word, NULL);
}

static int poke(pid_t s, long val)
{
	return ptrace(PTRACE_POKEDATA, s, &traced_word, (void *)val);
}

static void ptraced_a(struct __test_metadata *_metadata, struct race_round *r)
{
	char stack[STACK_BYTES];
	struct a_memory m;
	struct holder h;
	long ret;

	fill_memory(_metadata, &m, stack);
	STORE(traced_word, 1);
	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM | CLONE_SIGHAND));
	STORE(r->area->sib, h.pid);
	step_set(r->area, 1);

	/* Shared: the tracer's poke into S is ours, our store is S's. */
	ASSERT_TRUE(step_wait(r->area, 2));
	EXPECT_EQ(2, LOAD(traced_word));
	STORE(traced_word, 3);
	step_set(r->area, 3);

	ASSERT_TRUE(gate_wait(&r->area->gate, false));
	ret = sys_unshare(CLONE_VM);
	STORE(r->area->done, 1);
	EXPECT_EQ(expected_ret(r), ret) TH_LOG("round %d", r->round);

	/* After a copy, our store is no longer S's, its poke not ours. */
	ASSERT_TRUE(step_wait(r->area, 4));
	STORE(traced_word, A_VALUE);
	step_set(r->area, 5);
	ASSERT_TRUE(step_wait(r->area, 6));
	EXPECT_EQ(r->copies ? A_VALUE : 4, LOAD(traced_word));
	check_memory(_metadata, &m);
	step_set(r->area, 7);
	/* detached: its exit is ours to see */
	ASSERT_TRUE(step_wait(r->area, 8));
	EXPECT_EQ(0, holder_release(&h));
}

static void tracer(struct __test_metadata *_metadata, struct race_round *r,
		   pid_t a)
{
	struct race_area *area = r->area;
	int status, errors = 0;
	long i, val;
	pid_t s;

	ASSERT_TRUE(step_wait(area, 1));
	s = LOAD(area->sib);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, s, NULL, NULL));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, s, NULL, NULL));
	ASSERT_EQ(s, waitpid(s, &status, __WALL));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(PTRACE_EVENT_STOP, status >> 16);

	ASSERT_EQ(0, poke(s, 2));
	step_set(area, 2);
	ASSERT_TRUE(step_wait(area, 3));
	EXPECT_EQ(3, peek(s));

	gate_open(_metadata, &area->gate, 1);
	for (i = 0; !LOAD(area->done); i++) {
		if (poke(s, RACE_VALUE + i))
			errors++;
		val = peek(s);
		if (errno || val != RACE_VALUE + i)
			errors++;
	}
	EXPECT_EQ(0, errors) TH_LOG("round %d: %ld accesses", r->round, i);

	/* S keeps the address space: A's store after a copy is not S's */
	step_set(area, 4);
	ASSERT_TRUE(step_wait(area, 5));
	val = peek(s);
	EXPECT_EQ(0, errno);
	EXPECT_EQ(!r->copies, val == A_VALUE) TH_LOG("S has %#lx", val);
	EXPECT_EQ(0, poke(s, 4));
	step_set(area, 6);
	ASSERT_TRUE(step_wait(area, 7));
	EXPECT_EQ(0, ptrace(PTRACE_DETACH, s, NULL, NULL));
	step_set(area, 8);
}

static void ptraced_round(struct __test_metadata *_metadata, const void *arg)
{
	struct race_round r = *(const struct race_round *)arg;

	run_round(_metadata, &r, ptraced_a, tracer);
}

/* A tracer accesses the address space that A copies, through S. */
TEST_F(unshare, sibling_ptraced)
{
	if (!enable(_metadata, &self->sysctls))
		return;
	run_rounds(_metadata, (struct race_round){}, ptraced_round);
}

static void read_a(struct __test_metadata *_metadata, struct race_round *r)
{
	char stack[STACK_BYTES];
	struct a_memory m;
	struct holder h;
	long ret;

	fill_memory(_metadata, &m, stack);
	STORE(r->area->heap, m.heap);
	ASSERT_EQ(0, vm_clone_hold(&h, CLONE_VM | CLONE_SIGHAND));
	step_set(r->area, 1);
	ASSERT_TRUE(gate_wait(&r->area->gate, false));
	ret = sys_unshare(CLONE_VM);
	STORE(r->area->done, 1);
	EXPECT_EQ(expected_ret(r), ret) TH_LOG("round %d", r->round);
	ASSERT_TRUE(step_wait(r->area, 2));
	EXPECT_EQ(TARGET_BYTES, count_bytes(target, TARGET_BYTES, PATTERN));
	check_memory(_metadata, &m);
	EXPECT_EQ(0, holder_release(&h));
}

/*
 * Read A's memory, each time another way: /proc/A/mem opened anew and
 * process_vm_readv() find A's address space under task_lock() each time,
 * the old descriptor keeps the address space it was opened on.
 */
static int read_once(const struct race_round *r, pid_t a, int old_fd, int i,
		     void *addr, char *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { addr, len };
	ssize_t n;

	memset(buf, 0, len);
	switch (i % 3) {
	case 0:
		return mem_access(a, addr, buf, len, false);
	case 1:
		if (!r->vm_readv)
			return mem_access(a, addr, buf, len, false);
		n = process_vm_readv(a, &local, 1, &remote, 1, 0);
		break;
	default:
		n = pread64(old_fd, buf, len, (off64_t)(uintptr_t)addr);
		break;
	}
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

static void reader(struct __test_metadata *_metadata, struct race_round *r,
		   pid_t a)
{
	static char buf[TARGET_BYTES];
	int old_fd, i, ret, first = 0, errors = 0;
	char rel[64];
	void *heap;

	ASSERT_TRUE(step_wait(r->area, 1));
	heap = LOAD(r->area->heap);
	snprintf(rel, sizeof(rel), "%d/mem", a);
	old_fd = openat(proc_dirfd(), rel, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, old_fd);
	gate_open(_metadata, &r->area->gate, 1);
	/* a few reads after the call too */
	for (i = 0; !LOAD(r->area->done) || i < 6; i++) {
		/* the data segment, then the heap, three ways each */
		void *addr = i / 3 % 2 ? heap : target;

		ret = read_once(r, a, old_fd, i, addr, buf, sizeof(buf));
		if (!ret && count_bytes(buf, sizeof(buf), PATTERN) != sizeof(buf))
			ret = -EBADMSG;
		if (ret && !errors++)
			first = ret;
	}
	EXPECT_EQ(0, errors)
		TH_LOG("round %d: %d of %d reads failed, first with %s",
		       r->round, errors, i, strerror(-first));
	close(old_fd);
	step_set(r->area, 2);
}

static void read_round(struct __test_metadata *_metadata, const void *arg)
{
	struct race_round r = *(const struct race_round *)arg;

	run_round(_metadata, &r, read_a, reader);
}

/* Another process reads A's memory while A switches to its copy. */
TEST_F(unshare, task_read_during_unshare)
{
	struct race_round r = { .vm_readv = true };
	struct iovec iov = { target, 1 };

	if (!enable(_metadata, &self->sysctls))
		return;
	memset(target, PATTERN, sizeof(target));
	/* (reading our own memory fails only without the syscall) */
	if (process_vm_readv(getpid(), &iov, 1, &iov, 1, 0) != 1) {
		TH_LOG("no process_vm_readv() (CONFIG_CROSS_MEMORY_ATTACH=n)");
		r.vm_readv = false;
	}
	run_rounds(_metadata, r, read_round);
}

static int sib_exec(void *arg)
{
	struct race_round *r = arg;

	if (!gate_wait(&r->area->gate, true))
		return 1;
	stagger(r->round, true);
	exec_exit("/proc/self/exe", "unshare_vm_race_test");
	return 2;
}

static void execs_a(struct __test_metadata *_metadata, struct race_round *r)
{
	char stack[STACK_BYTES];
	struct a_memory m;
	long ret;
	pid_t s;

	fill_memory(_metadata, &m, stack);
	s = start_sib(sib_exec, r);
	ASSERT_LT(0, s);
	ASSERT_TRUE(gate_wait(&r->area->gate, false));
	stagger(r->round, false);
	ret = sys_unshare(CLONE_VM);
	/* C: refused until S's exec has left both behind */
	if (r->copies || ret)
		EXPECT_EQ(expected_ret(r), ret) TH_LOG("round %d", r->round);
	check_memory(_metadata, &m);
	EXPECT_EQ(0, wait_status(s));
}

static void execs_round(struct __test_metadata *_metadata, const void *arg)
{
	struct race_round r = *(const struct race_round *)arg;

	run_round(_metadata, &r, execs_a, open_gate);
}

/* S leaves the address space and the handlers by execve() meanwhile. */
TEST_F(unshare, sibling_execs)
{
	if (!enable(_metadata, &self->sysctls))
		return;
	run_rounds(_metadata, (struct race_round){}, execs_round);
}

int main(int argc, char **argv)
{
	/* what S runs */
	if (argc > 1 && !strcmp(argv[1], EXEC_EXIT_ARG))
		return 0;
	return test_harness_run(argc, argv);
}
