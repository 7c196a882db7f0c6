// SPDX-License-Identifier: GPL-2.0
/*
 * unshare_bench: times unshare(2) for every kind of unsharing, in the guest.
 *
 *   unshare_bench [-n SAMPLES] [-w WARMUP] [-r ROW,ROW...] [-i IMPL] [-m MODE]
 *                 [-f TSC_TICKS_PER_NS] [-q] [-T]
 *
 * Built static (gcc -static -O2) and run as root by tests/bench/run.sh in a
 * QEMU guest booted with unshare.impl=c or unshare.impl=rust.
 *
 * Every sample is one unshare(2) call made from a fresh state, timed with
 * rdtsc right around the raw `syscall` instruction (see measure()):
 *
 *   batch   the state is unchanged by the call (getppid, unshare(0),
 *           CLONE_SYSVSEM without an undo list): WARMUP + SAMPLES calls in a
 *           row in one worker process.
 *   shared  CLONE_FILES and CLONE_FS: before each call the worker clones a
 *           helper (CLONE_VM plus CLONE_FILES or CLONE_FS) that shares the
 *           table or fs_struct and waits until the helper sleeps in pause(2);
 *           so the count is 2 and unshare really copies. After the call the
 *           helper is killed (its exit frees the old copy, outside the timed
 *           window) and the worker is again in the same state (its own table
 *           with the same descriptors), ready for the next sample.
 *   vm      unshare(CLONE_VM) with kernel.unshare_vm at 1 (the Rust
 *           implementation only; skipped under C, which answers EINVAL):
 *           before each call the worker writes each of PARAM private pages
 *           and clones a helper with CLONE_VM | CLONE_SIGHAND, so that unshare
 *           copies the address space and the handlers; the helper is killed
 *           after the call (its exit frees the old address space outside the
 *           window), and the worker holds its copy: the same state again.
 *   fork_copy  fork() of the same worker (the same PARAM pages written
 *           first), timed in the parent; the child exits at once. The
 *           worker runs SCHED_FIFO in both kinds, so the child cannot run
 *           inside the window. vm_N / fork_N (report.py) is the cost of
 *           unsharing an address space against forking the same one.
 *   fork    namespaces: one child forked per sample; it makes the call and
 *           exits. The old namespaces stay shared with the worker, so no
 *           namespace is freed inside the timed window, as on a first
 *           unshare. After each sample the worker sleeps SETTLE microseconds
 *           so that deferred work of the previous child (net namespace
 *           cleanup, RCU callbacks, mount teardown) runs outside the window.
 *
 * The CLONE_NEWNS rows run in a worker with a private mount namespace holding
 * exactly the stated number of mounts: every inherited mount but "/" is
 * detached and tmpfs mounts are added. The CLONE_FILES rows run in a worker
 * whose table holds exactly the stated number of descriptors (0, 1, 2 and
 * dups of 0). The container row runs in the boot namespace (about a dozen
 * mounts) as root.
 *
 * Output (stdout), per row:
 *   @@@ BENCH <row> impl=<impl> mode=<mode> n=<N> median_ns=<x> lo=<l> hi=<h>
 *             min_ns=<m> param=<p> flags=<hex>
 *   @@@ RAW <row> impl=<impl> mode=<mode> <ns> <ns> ...
 * lo/hi are the 95% confidence interval of the median from order statistics
 * (normal approximation to the binomial). Times are in ns: rdtsc ticks
 * divided by the TSC rate given with -f, else calibrated at start against the
 * guest's CLOCK_MONOTONIC (both in the @@@ META line). Under QEMU -icount
 * shift=S the guest TSC is the virtual clock, 1 tick per ns, which advances
 * 2^S ns per instruction: run.sh passes -f 1. In plain TCG the guest TSC is
 * the host's; run.sh measures its rate on the host and passes it, because the
 * guest's own clock is not to be trusted there (on a loaded host the kernel's
 * TSC calibration fails or is wrong, and the clocksource may end up jiffies).
 *   @@@ ROWTIME <row> ms=<guest time the row took, set-up included>
 * Finally "@@@ BENCHDONE rows=<k> errors=<e>"; the exit status is 1 if any
 * row failed.
 *
 * -T (for tests/bench/trace.sh, which single-steps ksys_unshare with gdb):
 * brackets the run with unshare(TRACE_BEGIN) and unshare(TRACE_END), two
 * invalid flag words that fail at once with EINVAL, and allows -n 1 -w 0.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

enum kind { BATCH, SHARED_FILES, SHARED_FS, FORK, SHARED_VM, FORK_COPY };

struct row {
	const char *name;
	unsigned long flags;	/* unshare flags; ~0UL: getppid */
	enum kind kind;
	long param;		/* descriptors (FILES), mounts (NEWNS) or pages (VM, fork) */
	int divisor;		/* SAMPLES / divisor samples (expensive rows) */
	int settle_us;		/* FORK: sleep after each sample */
};

/* Row flags of the fork_* rows: the timed call is fork(), not unshare(). */
#define FORK_CALL (~1UL)
#define UNSHARE_VM_SYSCTL "/proc/sys/kernel/unshare_vm"

#define CONTAINER (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		   CLONE_NEWPID | CLONE_NEWCGROUP)

static const struct row rows[] = {
	{ "getppid",        ~0UL,            BATCH,        0,      1, 0 },
	{ "flags0",         0,               BATCH,        0,      1, 0 },
	{ "files_3",        CLONE_FILES,     SHARED_FILES, 3,      1, 0 },
	{ "files_1000",     CLONE_FILES,     SHARED_FILES, 1000,   1, 0 },
	{ "files_10000",    CLONE_FILES,     SHARED_FILES, 10000,  2, 0 },
	{ "files_100000",   CLONE_FILES,     SHARED_FILES, 100000, 4, 0 },
	{ "fs",             CLONE_FS,        SHARED_FS,    0,      1, 0 },
	{ "newns_10",       CLONE_NEWNS,     FORK,         10,     1, 10000 },
	{ "newns_100",      CLONE_NEWNS,     FORK,         100,    2, 10000 },
	{ "newns_1000",     CLONE_NEWNS,     FORK,         1000,   4, 30000 },
	{ "newuts",         CLONE_NEWUTS,    FORK,         0,      1, 10000 },
	{ "newipc",         CLONE_NEWIPC,    FORK,         0,      1, 10000 },
	{ "newnet",         CLONE_NEWNET,    FORK,         0,      2, 30000 },
	{ "newpid",         CLONE_NEWPID,    FORK,         0,      1, 10000 },
	{ "newcgroup",      CLONE_NEWCGROUP, FORK,         0,      1, 10000 },
	{ "newtime",        CLONE_NEWTIME,   FORK,         0,      1, 10000 },
	{ "newuser",        CLONE_NEWUSER,   FORK,         0,      1, 10000 },
	{ "sysvsem",        CLONE_SYSVSEM,   BATCH,        0,      1, 0 },
	{ "container",      CONTAINER,       FORK,         0,      2, 30000 },
	{ "vm_1",           CLONE_VM,        SHARED_VM,    1,      1, 0 },
	{ "vm_100",         CLONE_VM,        SHARED_VM,    100,    1, 0 },
	{ "vm_10000",       CLONE_VM,        SHARED_VM,    10000,  2, 0 },
	{ "fork_1",         FORK_CALL,       FORK_COPY,    1,      1, 0 },
	{ "fork_100",       FORK_CALL,       FORK_COPY,    100,    1, 0 },
	{ "fork_10000",     FORK_CALL,       FORK_COPY,    10000,  2, 0 },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

#define TRACE_BEGIN 0xfffffffffff0000fUL
#define TRACE_END   0xfffffffffff000efUL

static const char *impl = "unknown", *mode = "unknown";
static double tsc_per_ns = 1.0;
static int quiet;

/* Samples, shared with the per-sample children. */
static int64_t *res;
static long *rets;
static size_t res_cap;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	/* lfence: no early start on real hardware; a no-op under TCG. */
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline long raw_syscall1(long nr, long a1)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * One timed system call: only the two rdtsc and the syscall are inside the
 * window. noinline, so a warm-up call maps its code and stack pages first.
 */
static __attribute__((noinline)) int64_t measure(long nr, long arg, long *ret)
{
	uint64_t t0, t1;
	long r;

	t0 = rdtsc();
	r = raw_syscall1(nr, arg);
	t1 = rdtsc();
	*ret = r;
	return (int64_t)(t1 - t0);
}

static long call_of(const struct row *row, long *nr)
{
	if (row->flags == ~0UL) {
		*nr = SYS_getppid;
		return 0;
	}
	if (row->flags == FORK_CALL) {
		*nr = SYS_fork;
		return 0;
	}
	*nr = SYS_unshare;
	return (long)row->flags;
}

static void die(const char *what)
{
	printf("@@@ BENCHERR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(2);
}

static void calibrate(void)
{
	struct timespec a, b;
	uint64_t ta, tb;
	double ns;
	volatile unsigned long spin = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	ta = rdtsc();
	do {
		for (int i = 0; i < 10000; i++)
			spin++;
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	} while (ns < 100e6);
	tb = rdtsc();
	tsc_per_ns = (double)(tb - ta) / ns;
	if (tsc_per_ns <= 0)
		tsc_per_ns = 1.0;
}

/* ---- helpers that share the table or fs_struct ------------------------ */

static volatile int helper_ready;
static char helper_stack[64 * 1024] __attribute__((aligned(16)));

static int helper_fn(void *arg)
{
	(void)arg;
	helper_ready = 1;	/* CLONE_VM: seen by the worker */
	for (;;)
		raw_syscall1(SYS_pause, 0);
	return 0;
}

static pid_t start_helper(unsigned long share)
{
	pid_t pid;

	helper_ready = 0;
	pid = clone(helper_fn, helper_stack + sizeof(helper_stack),
		    CLONE_VM | share | SIGCHLD, NULL);
	if (pid < 0)
		die("clone helper");
	/* Let it run until it sleeps, so it cannot preempt the timed call. */
	while (!helper_ready)
		sched_yield();
	sched_yield();
	return pid;
}

static void stop_helper(pid_t pid)
{
	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid helper");
}

/* ---- set-ups ---------------------------------------------------------- */

static int write_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* Exactly n descriptors: 0, 1, 2 and dups of 0 at 3..n-1. */
static void setup_files(long n)
{
	struct rlimit rl = { n + 64, n + 64 };
	long fd;
	int max = (int)sysconf(_SC_OPEN_MAX);

	if (fcntl(0, F_GETFD) < 0 && open("/dev/null", O_RDWR) != 0)
		die("open /dev/null as 0");
	for (fd = 3; fd < max && fd < 65536; fd++)
		close(fd);
	if (n + 64 > 1048576) {
		char val[32];

		snprintf(val, sizeof(val), "%ld\n", n + 64);
		if (write_sysctl("/proc/sys/fs/nr_open", val))
			die("raise fs.nr_open");
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit RLIMIT_NOFILE");
	for (fd = 3; fd < n; fd++)
		if (dup2(0, (int)fd) != fd)
			die("dup2");
}

static int mounts_in_ns(void)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/*
 * A private mount namespace with exactly n mounts: "/" and n - 1 tmpfs.
 * Returns the count found by mounting proc for a moment, or -1.
 */
static int setup_mounts(long n)
{
	char line[4096], path[64];
	char *mps[256];
	int nmp = 0, i, count;

	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS) for the set-up");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make / rprivate");
	FILE *f = fopen("/proc/self/mountinfo", "r");

	if (!f)
		die("open /proc/self/mountinfo");
	while (fgets(line, sizeof(line), f) && nmp < 256) {
		char mp[4096];

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && strcmp(mp, "/"))
			mps[nmp++] = strdup(mp);
	}
	fclose(f);
	/* Deepest first. */
	for (i = 0; i < nmp; i++)
		for (int j = i + 1; j < nmp; j++)
			if (strlen(mps[j]) > strlen(mps[i])) {
				char *t = mps[i];

				mps[i] = mps[j];
				mps[j] = t;
			}
	for (i = 0; i < nmp; i++)
		umount2(mps[i], MNT_DETACH);
	mkdir("/bench-mnt", 0755);
	for (i = 0; i < n - 1; i++) {
		snprintf(path, sizeof(path), "/bench-mnt/%d", i);
		mkdir(path, 0755);
		if (mount("tmpfs", path, "tmpfs", 0, "size=64k"))
			die("mount tmpfs");
	}
	/* Check the count through a temporary proc mount. */
	mkdir("/bench-proc", 0755);
	if (mount("proc", "/bench-proc", "proc", 0, NULL))
		die("mount proc");
	f = fopen("/bench-proc/self/mountinfo", "r");
	count = 0;
	while (f && fgets(line, sizeof(line), f))
		count++;
	if (f)
		fclose(f);
	if (umount2("/bench-proc", 0))
		die("umount proc");
	return count - 1;	/* without the temporary proc */
}

/*
 * The VM and fork rows: @pages private anonymous pages, each written before
 * every sample (outside the timed window), so that every call copies the same
 * address space: the worker's own (a static binary: a few dozen pages) plus
 * these, all present, writable and not shared with another mm.
 */
static char *vm_area;

static void setup_pages(long pages)
{
	/* 2 MiB aligned: as many page tables in every boot, whatever the layout */
	size_t len = pages * 4096, align = 2UL << 20;
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		die("mmap the pages of a VM/fork row");
	a = ((uintptr_t)p + align - 1) & ~(align - 1);
	if (a > (uintptr_t)p && munmap(p, a - (uintptr_t)p))
		die("munmap head");
	if (munmap((char *)a + len, (uintptr_t)p + align - a))
		die("munmap tail");
	vm_area = (char *)a;
}

static void touch_pages(long pages, long round)
{
	for (long p = 0; p < pages; p++)
		vm_area[p * 4096] = (char)(p + round);
}

/*
 * SCHED_FIFO for the VM and fork rows: the child of fork() (which inherits
 * it) cannot preempt the worker before the second rdtsc, and a helper runs
 * only when the worker yields or sleeps.
 */
static void fifo(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		die("sched_setscheduler SCHED_FIFO");
}

/* ---- statistics --------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void report(const struct row *row, int64_t *ticks, long n)
{
	double *ns = malloc(n * sizeof(*ns));
	long i, lo, hi;
	double med;

	qsort(ticks, n, sizeof(*ticks), cmp_i64);
	for (i = 0; i < n; i++)
		ns[i] = ticks[i] / tsc_per_ns;
	med = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
	/* Ranks of the 95% interval of the median (binomial(n, 1/2)). */
	lo = (long)floor(n / 2.0 - 1.96 * sqrt(n) / 2.0);
	hi = (long)ceil(n / 2.0 + 1.96 * sqrt(n) / 2.0);
	if (lo < 0)
		lo = 0;
	if (hi > n - 1)
		hi = n - 1;
	printf("@@@ BENCH %s impl=%s mode=%s n=%ld median_ns=%.1f lo=%.1f hi=%.1f min_ns=%.1f param=%ld flags=%#lx\n",
	       row->name, impl, mode, n, med, ns[lo], ns[hi], ns[0], row->param,
	       row->flags == ~0UL || row->flags == FORK_CALL ? 0UL : row->flags);
	if (!quiet) {
		/* Raw samples in the order taken would be nicer; sorted is enough
		 * for the bootstrap and keeps the lines short enough. */
		printf("@@@ RAW %s impl=%s mode=%s", row->name, impl, mode);
		for (i = 0; i < n; i++)
			printf(" %.0f", ns[i]);
		printf("\n");
	}
	fflush(stdout);
	free(ns);
}

/* ---- the worker of one row ------------------------------------------------ */

static int run_row(const struct row *row, long n, long warm)
{
	long nr, arg = call_of(row, &nr), i, total = n + warm;
	long r;

	if ((size_t)total > res_cap)
		return 1;
	if (row->kind == SHARED_FILES)
		setup_files(row->param);
	if (row->kind == SHARED_VM || row->kind == FORK_COPY) {
		setup_pages(row->param);
		fifo();
	}
	if (row->kind == FORK && (row->flags & CLONE_NEWNS) && row->param) {
		int got = setup_mounts(row->param);

		if (got != row->param) {
			printf("@@@ BENCHERR %s: %d mounts in the namespace, wanted %ld\n",
			       row->name, got, row->param);
			return 1;
		}
	}

	for (i = 0; i < total; i++) {
		pid_t pid, hp;
		int status;

		switch (row->kind) {
		case BATCH:
			measure(SYS_getppid, 0, &r);
			res[i] = measure(nr, arg, &rets[i]);
			break;
		case SHARED_FILES:
		case SHARED_FS:
			hp = start_helper(row->kind == SHARED_FILES ? CLONE_FILES : CLONE_FS);
			measure(SYS_getppid, 0, &r);
			res[i] = measure(nr, arg, &rets[i]);
			stop_helper(hp);
			break;
		case SHARED_VM:
			/* a sibling sharing memory and handlers: unshare copies both */
			touch_pages(row->param, i);
			hp = start_helper(CLONE_SIGHAND);
			measure(SYS_getppid, 0, &r);
			res[i] = measure(nr, arg, &rets[i]);
			stop_helper(hp);	/* frees the old address space */
			break;
		case FORK_COPY:
			touch_pages(row->param, i);
			measure(SYS_getppid, 0, &r);
			res[i] = measure(nr, arg, &r);
			if (r == 0)	/* the child: gone at once, outside the window */
				raw_syscall1(SYS_exit_group, 0);
			rets[i] = r < 0 ? r : 0;
			if (r > 0 && (waitpid((pid_t)r, &status, 0) != r || status))
				die("waitpid fork child");
			break;
		case FORK:
			pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				long rr;

				measure(SYS_getppid, 0, &rr);	/* map code, stack */
				res[i] = measure(nr, arg, &rr);
				rets[i] = rr;
				_exit(0);
			}
			if (waitpid(pid, &status, 0) != pid || status)
				die("waitpid sample child");
			if (row->settle_us)
				usleep(row->settle_us);
			break;
		}
		if (rets[i] < 0 && row->flags != ~0UL) {
			printf("@@@ BENCHERR %s: unshare(%#lx) = %s\n", row->name,
			       row->flags, strerror((int)-rets[i]));
			return 1;
		}
	}
	report(row, res + warm, n);
	return 0;
}

int main(int argc, char **argv)
{
	long n = 101, warm = 5;
	double given_rate = 0;
	const char *only = NULL;
	int opt, errors = 0, done = 0, trace = 0;
	double guest_rate;
	size_t k;

	while ((opt = getopt(argc, argv, "n:w:r:i:m:f:qT")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'w': warm = atol(optarg); break;
		case 'r': only = optarg; break;
		case 'i': impl = optarg; break;
		case 'm': mode = optarg; break;
		case 'q': quiet = 1; break;
		case 'T': trace = 1; break;
		case 'f': given_rate = atof(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n SAMPLES] [-w WARMUP] [-r ROW,...] [-i IMPL] [-m MODE] [-f TSC_PER_NS] [-q] [-T]\n",
				argv[0]);
			return 2;
		}
	}
	if (n < (trace ? 1 : 5) || warm < 0) {
		fprintf(stderr, "unshare_bench: -n must be >= 5 (1 with -T) and -w >= 0\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	res_cap = n + warm;
	res = mmap(NULL, res_cap * (sizeof(*res) + sizeof(*rets)), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (res == MAP_FAILED)
		die("mmap");
	rets = (long *)(res + res_cap);

	calibrate();
	guest_rate = tsc_per_ns;
	if (given_rate > 0)
		tsc_per_ns = given_rate;
	if (trace)
		syscall(SYS_unshare, TRACE_BEGIN);
	printf("@@@ META impl=%s mode=%s tsc_per_ns=%.6f guest_tsc_per_ns=%.6f samples=%ld warmup=%ld mounts_at_start=%d\n",
	       impl, mode, tsc_per_ns, guest_rate, n, warm, mounts_in_ns());

	for (k = 0; k < NROWS; k++) {
		const struct row *row = &rows[k];
		long rn = n / row->divisor;
		struct timespec t0, t1;
		pid_t pid;
		int status;

		if (only) {
			/* Comma-separated list of exact row names. */
			const char *p = only;
			size_t len = strlen(row->name);
			int found = 0;

			while (*p) {
				if (!strncmp(p, row->name, len) && (p[len] == ',' || !p[len]))
					found = 1;
				p = strchr(p, ',');
				if (!p)
					break;
				p++;
			}
			if (!found)
				continue;
		}
		if (row->kind == SHARED_VM) {
			/* Only the Rust implementation copies (CONFIG_UNSHARE_RUST_VM). */
			if (strcmp(impl, "Rust")) {
				printf("@@@ SKIPROW %s impl=%s reason=only the Rust implementation copies a shared address space\n",
				       row->name, impl);
				continue;
			}
			if (write_sysctl(UNSHARE_VM_SYSCTL, "1")) {
				printf("@@@ BENCHERR %s: cannot set %s to 1 (a kernel without CONFIG_UNSHARE_RUST_VM?): %s\n",
				       row->name, UNSHARE_VM_SYSCTL, strerror(errno));
				errors++;
				continue;
			}
		}
		if (rn < (trace ? 1 : 5))
			rn = trace ? 1 : 5;
		fflush(stdout);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* Each row in its own worker: set-ups do not leak into the next. */
		pid = fork();
		if (pid < 0)
			die("fork worker");
		if (pid == 0)
			_exit(run_row(row, rn, warm));
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid worker");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (row->kind == SHARED_VM && write_sysctl(UNSHARE_VM_SYSCTL, "0")) {
			printf("@@@ BENCHERR %s: cannot reset %s to 0\n", row->name, UNSHARE_VM_SYSCTL);
			errors++;
		}
		printf("@@@ ROWTIME %s ms=%.1f\n", row->name,
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
		done++;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("@@@ BENCHERR %s: worker failed (status %#x)\n", row->name, status);
			errors++;
		}
		usleep(50000);	/* let the worker's teardown finish */
	}
	if (trace)
		syscall(SYS_unshare, TRACE_END);
	printf("@@@ BENCHDONE rows=%d errors=%d\n", done, errors);
	return errors ? 1 : 0;
}
