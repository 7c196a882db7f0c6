// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(2) racing execve(), _exit() and other unshare() calls of tasks
 * that share fs, files and semundo with the caller, and in one test also the
 * address space and signal handlers (kernel.unshare_vm at 1, if it exists)
 * (Documentation/userspace-api/unshare.rst, section 8, item 4).
 *
 * Each round releases its tasks at once with FUTEX_WAKE on a word in a
 * SysV shm segment. UNSHARE_STRESS_ROUNDS sets the number of rounds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>

#include "unshare_harness.h"

#define DEFAULT_ROUNDS	50
#define NR_WORKERS	10
#define NR_CLONES	3
#define NR_THREADS	6
#define SHARE_FLAGS	(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM)
/* base timeout (s) for DEFAULT_ROUNDS, scaled up with more rounds */
#define STRESS_TIMEOUT	300

enum worker_error {
	WORKER_NO_GO = 90,	/* never released */
	WORKER_EXEC,		/* execve() returned */
	WORKER_MARKER,		/* lost a descriptor */
	WORKER_NS,		/* wrong namespaces changed */
	WORKER_UNSHARE,		/* + errno: unshare() failed */
};

struct stress_area {
	struct gate gate;
	int result[NR_THREADS];
};

struct stress_round {
	struct stress_area *area;
	int round;
	int marker;
	bool vm_copies;		/* unshare(CLONE_VM) copies a shared one */
};

static const unsigned long stress_flags[] = {
	CLONE_FILES,
	CLONE_FS,
	CLONE_SYSVSEM,
	SHARE_FLAGS,
	CLONE_NEWNS,
	CLONE_NEWUTS | CLONE_NEWIPC,
	CLONE_NEWNET | CLONE_FILES,
	CLONE_NEWPID | CLONE_NEWTIME,
	CLONE_NEWCGROUP | CLONE_FS,
	CLONE_NEWUSER,
	NS_FLAGS | SHARE_FLAGS,
	TASK_FLAGS | CLONE_FILES,
	UNSHARE_EMPTY_MNTNS,
	0,
};

static int stress_rounds(void)
{
	const char *env = getenv("UNSHARE_STRESS_ROUNDS");
	int rounds = env ? atoi(env) : DEFAULT_ROUNDS;

	return rounds > 0 ? rounds : DEFAULT_ROUNDS;
}

static unsigned long round_flags(int idx)
{
	unsigned long flags;

	flags = stress_flags[idx % ARRAY_SIZE(stress_flags)];
	if ((flags & UNSHARE_EMPTY_MNTNS) && !kernel_has_empty_mntns())
		flags = CLONE_NEWNS;
	return flags;
}

/* unshare(@flags), then check our descriptors and namespaces. */
static int unshare_and_check(unsigned long flags, int marker)
{
	struct ns_ids before, after;
	long ret;

	if (ns_ids_read(&before))
		return WORKER_NS;
	ret = sys_unshare(flags);
	if (ret)
		return WORKER_UNSHARE + (-ret & 0x1f);
	if (fcntl(marker, F_GETFD) < 0)
		return WORKER_MARKER;
	if (ns_ids_read(&after) ||
	    ns_ids_diff(&before, &after) != ns_expected_diff(flags))
		return WORKER_NS;
	return 0;
}

/* Worker 0 runs this program again, worker 1 another one; returns if not. */
static void exec_worker(int idx)
{
	/* (busybox picks the applet by argv[0]) */
	if (idx == 1 && !access("/bin/true", X_OK))
		exec_exit("/bin/true", "true");
	exec_exit("/proc/self/exe", "unshare_stress_test");
}

/* Worker 0 and 1 exec, 2 and 3 exit, the others unshare. */
static int worker(const struct stress_round *r, int idx)
{
	if (!gate_wait(&r->area->gate, false))
		return WORKER_NO_GO;
	switch (idx) {
	case 0:
	case 1:
		exec_worker(idx);
		return WORKER_EXEC;
	case 2:
	case 3:
		_exit(0);
	}
	return unshare_and_check(round_flags(idx + r->round), r->marker);
}

/* A fork-like child sharing fs, files and semundo with us. */
static pid_t start_sharing_child(const struct stress_round *r, int idx,
				 int (*fn)(const struct stress_round *r,
					   int idx))
{
	pid_t pid;

	fflush(NULL);
	pid = syscall(SYS_clone, SHARE_FLAGS | SIGCHLD, NULL, NULL, NULL,
		      NULL);
	if (!pid)
		_exit(fn(r, idx));
	return pid;
}

static void reap(struct __test_metadata *_metadata, pid_t *pids, int nr,
		 int round)
{
	int i;

	for (i = 0; i < nr; i++)
		EXPECT_EQ(0, wait_status(pids[i]))
			TH_LOG("round %d: task %d", round, i);
}

static void init_round(struct __test_metadata *_metadata,
		       struct stress_round *r)
{
	int semid = sem_create(0);

	memset(r->area, 0, sizeof(*r->area));
	r->marker = open(WORKDIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, r->marker);
	/* an undo list for the tasks to share and detach */
	ASSERT_LE(0, semid);
	ASSERT_EQ(0, sem_adjust(semid, 1, true));
}

static void tasks_round(struct __test_metadata *_metadata, const void *arg)
{
	struct stress_round r = *(const struct stress_round *)arg;
	pid_t pids[NR_WORKERS];
	int i;

	init_round(_metadata, &r);
	for (i = 0; i < NR_WORKERS; i++) {
		pids[i] = start_sharing_child(&r, i, worker);
		ASSERT_LT(0, pids[i]);
	}
	gate_open(_metadata, &r.area->gate, NR_WORKERS);
	/* we share with all of them too */
	EXPECT_EQ(0, unshare_and_check(SHARE_FLAGS, r.marker));
	reap(_metadata, pids, NR_WORKERS, r.round);
}

static struct stress_area *map_area(struct __test_metadata *_metadata)
{
	struct stress_area *a;
	int id;

	id = shmget(IPC_PRIVATE, sizeof(*a), IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	a = shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	/* gone once the last task detaches */
	ASSERT_EQ(0, shmctl(id, IPC_RMID, NULL));
	return a;
}

static void run_rounds(struct __test_metadata *_metadata,
		       void (*fn)(struct __test_metadata *_metadata,
				  const void *arg), bool vm_copies)
{
	struct stress_round r = {
		.area = map_area(_metadata),
		.vm_copies = vm_copies,
	};
	int rounds = stress_rounds();

	for (r.round = 0; r.round < rounds; r.round++)
		run_in_child(_metadata, fn, &r);
}

TEST_F_TIMEOUT(unshare, exec_exit_unshare_race, STRESS_TIMEOUT)
{
	run_rounds(_metadata, tasks_round, false);
}

/* Threads and clone children of one process race each other and exit. */
static const unsigned long thread_flags[NR_THREADS] = {
	SHARE_FLAGS, SHARE_FLAGS, CLONE_FILES, CLONE_FS | CLONE_NEWNS,
	CLONE_SYSVSEM | CLONE_NEWIPC, SHARE_FLAGS,
};

struct thread_arg {
	struct stress_round *r;
	int idx;
};

static void *racing_thread(void *arg)
{
	const struct thread_arg *t = arg;
	struct stress_round *r = t->r;
	int *res = &r->area->result[t->idx];

	if (!gate_wait(&r->area->gate, false)) {
		*res = WORKER_NO_GO;
		return NULL;
	}
	/* every third thread just leaves */
	if ((t->idx + r->round) % 3 == 0)
		return NULL;
	*res = unshare_and_check(thread_flags[t->idx], r->marker);
	return NULL;
}

static int racing_clone(const struct stress_round *r, int idx)
{
	if (!gate_wait(&r->area->gate, false))
		return WORKER_NO_GO;
	if ((idx + r->round) % 2)
		_exit(0);
	return unshare_and_check(SHARE_FLAGS, r->marker);
}

static void threads_round(struct __test_metadata *_metadata, const void *arg)
{
	struct stress_round r = *(const struct stress_round *)arg;
	struct thread_arg targs[NR_THREADS];
	pthread_t threads[NR_THREADS];
	pid_t pids[NR_CLONES];
	int i;

	init_round(_metadata, &r);
	/* clone children first: fork-like clones want one thread */
	for (i = 0; i < NR_CLONES; i++) {
		pids[i] = start_sharing_child(&r, i, racing_clone);
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < NR_THREADS; i++) {
		targs[i].r = &r;
		targs[i].idx = i;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, racing_thread,
					    &targs[i]));
	}
	gate_open(_metadata, &r.area->gate, NR_CLONES + NR_THREADS);
	EXPECT_EQ(0, unshare_and_check(SHARE_FLAGS, r.marker));
	for (i = 0; i < NR_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(threads[i], NULL));
		EXPECT_EQ(0, r.area->result[i])
			TH_LOG("round %d: thread %d", r.round, i);
	}
	reap(_metadata, pids, NR_CLONES, r.round);
}

TEST_F_TIMEOUT(unshare, threads_unshare_race, STRESS_TIMEOUT)
{
	run_rounds(_metadata, threads_round, false);
}

/*
 * Workers that share the address space and the signal handlers with each
 * other and with us (clone(CLONE_VM | CLONE_SIGHAND) without CLONE_THREAD).
 * With kernel.unshare_vm at 1, the Rust implementation gives a worker that
 * unshares them a copy; otherwise unshare() fails with EINVAL, as we share
 * the handlers with every worker until we reap it.
 */
#define VM_STACK_SIZE	(64 * 1024)
#define VM_CLONE_FLAGS	(CLONE_VM | CLONE_SIGHAND | SHARE_FLAGS)

static const unsigned long vm_flags[] = {
	CLONE_VM,
	CLONE_VM | SHARE_FLAGS,
	CLONE_SIGHAND,
	CLONE_VM | CLONE_NEWUTS | CLONE_FILES,
	CLONE_SIGHAND | CLONE_FS,
	CLONE_VM | CLONE_SIGHAND | CLONE_NEWIPC | CLONE_SYSVSEM,
};

/* Set by a worker in its copy of the address space: never seen by us. */
static int vm_probe[NR_WORKERS];

struct vm_worker {
	const struct stress_round *r;
	int idx;
	struct ns_ids before;
};

/*
 * Until it has a copy, a worker shares errno with the others and with us:
 * it reads its namespaces before the round, waits without a futex, and
 * checks nothing more after a refusal.
 */
static int vm_worker(void *arg)
{
	struct vm_worker *w = arg;
	const struct stress_round *r = w->r;
	unsigned long flags;
	struct ns_ids after;
	long ret;

	flags = vm_flags[(w->idx + r->round) % ARRAY_SIZE(vm_flags)];
	if (ns_ids_read(&w->before))
		return WORKER_NS;
	if (!gate_wait(&r->area->gate, true))
		return WORKER_NO_GO;
	switch (w->idx) {
	case 0:
	case 1:
		exec_worker(w->idx);
		return WORKER_EXEC;
	case 2:
	case 3:
		_exit(0);
	}
	ret = sys_unshare(flags);
	if (ret != (r->vm_copies ? 0 : -EINVAL))
		return WORKER_UNSHARE + (-ret & 0x1f);
	if (ret)
		return 0;
	if (fcntl(r->marker, F_GETFD) < 0)
		return WORKER_MARKER;
	/* CLONE_SIGHAND alone: the address space stays shared */
	if (!(flags & CLONE_VM))
		return 0;
	STORE(vm_probe[w->idx], 1);
	if (ns_ids_read(&after) ||
	    ns_ids_diff(&w->before, &after) != ns_expected_diff(flags))
		return WORKER_NS;
	return 0;
}

static void vm_round(struct __test_metadata *_metadata, const void *arg)
{
	struct stress_round r = *(const struct stress_round *)arg;
	struct vm_worker workers[NR_WORKERS];
	pid_t pids[NR_WORKERS];
	char *stacks;
	int i;

	init_round(_metadata, &r);
	stacks = mmap(NULL, NR_WORKERS * VM_STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	ASSERT_TRUE(stacks != MAP_FAILED);
	for (i = 0; i < NR_WORKERS; i++) {
		workers[i].r = &r;
		workers[i].idx = i;
		pids[i] = clone(vm_worker, stacks + (i + 1) * VM_STACK_SIZE,
				VM_CLONE_FLAGS | SIGCHLD, &workers[i]);
		ASSERT_LT(0, pids[i]);
	}
	gate_open(_metadata, &r.area->gate, NR_WORKERS);
	EXPECT_EQ(0, unshare_and_check(SHARE_FLAGS, r.marker));
	reap(_metadata, pids, NR_WORKERS, r.round);
	for (i = 0; i < NR_WORKERS; i++)
		EXPECT_EQ(0, LOAD(vm_probe[i]))
			TH_LOG("round %d: worker %d wrote into our memory",
			       r.round, i);
	munmap(stacks, NR_WORKERS * VM_STACK_SIZE);
}

TEST_F_TIMEOUT(unshare, shared_vm_unshare_race, STRESS_TIMEOUT)
{
	bool exists = unshare_vm_exists();

	/* with the C implementation too, which refuses all the same */
	if (exists && !sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				  1))
		return;
	TH_LOG("unshare(CLONE_VM) of a worker %s",
	       exists && rust_implementation() ? "copies" : "fails");
	run_rounds(_metadata, vm_round, exists && rust_implementation());
}

int main(int argc, char **argv)
{
	int rounds = stress_rounds();

	/* what the exec workers run */
	if (argc > 1 && !strcmp(argv[1], EXEC_EXIT_ARG))
		return 0;
	if (rounds > DEFAULT_ROUNDS) {
		int timeout = STRESS_TIMEOUT * (rounds / DEFAULT_ROUNDS + 1);

		_unshare_exec_exit_unshare_race_object->timeout = timeout;
		_unshare_threads_unshare_race_object->timeout = timeout;
		_unshare_shared_vm_unshare_race_object->timeout = timeout;
	}
	return test_harness_run(argc, argv);
}
