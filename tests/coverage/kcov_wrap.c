// SPDX-License-Identifier: GPL-2.0
/*
 * KCOV around every unshare(2) call of a test program (x86_64), linked in by
 * tests/coverage/run.sh with -Wl,--wrap=syscall: syscall(SYS_unshare, ...) goes through here;
 * built with -DKCOV_WRAP_UNSHARE and linked with -Wl,--wrap=unshare too, libc's unshare().
 * (The selftests' sys_unshare() calls syscall().) Nothing else of the programs changes.
 *
 * KCOV is per task and not inherited, so each call enables it for the calling task, on one of
 * the descriptors opened at start-up: a fork child or a CLONE_VM sibling inherits them, and KCOV
 * binds each to one task at a time, so concurrent calls take the next free one. A call made while
 * other tasks have every one enabled is not measured (counted as missed): opening a descriptor
 * then would allocate inside the fail-nth window of tests/reliability/failnth.c and add a
 * descriptor to the table the call may copy.
 *
 * The PCs of the call that fall into the ranges of $UNSHARE_KCOV_RANGES (tests/coverage/ranges.py)
 * become edges (previous PC, PC), 0 being the entry of the call and 1 its return (left out when
 * the trace buffer overflowed), kept apart for calls that succeeded and calls that failed
 * (report.py tells error branches by the edges that only failed calls took). They go into a
 * store that every process of the program shares and that no access can fault on: the memory
 * of a second KCOV descriptor, never enabled (MAP_SHARED pages inserted by the kernel, whose page
 * tables fork copies). So after the call the wrapper allocates nothing and writes no file: the
 * fault points left in a fail-nth count stay where the program puts them. The process that
 * started writes the store at exit: the edges of successful calls to $UNSHARE_KCOV_OUT, of failed
 * ones to $UNSHARE_KCOV_OUT.err, and "kcov-wrap: calls=N measured=M missed=K truncated=T
 * overflow=O" to stderr.
 *
 * The wrapper's own system calls are raw (no errno), as a CLONE_VM sibling without a TLS of its
 * own shares its parent's errno. Without $UNSHARE_KCOV_OUT every call goes straight through.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KCOV_INIT_TRACE	_IOR('c', 1, unsigned long)
#define KCOV_ENABLE	_IO('c', 100)
#define KCOV_DISABLE	_IO('c', 101)
#define KCOV_TRACE_PC	0

/*
 * Small buffers: unshare(CLONE_VM) copies the address space, these mappings included, and
 * every page they hold adds PCs to that call's trace.
 */
#define COVER_WORDS	(1UL << 20)	/* PCs one call can record, on the first descriptor */
#define SPARE_WORDS	(1UL << 18)	/* on the others, for concurrent calls */
#define POOL		4		/* calls measured at the same time */
#define SET_WORDS	(1UL << 18)	/* the hash set of edges */
#define LOG_EDGES	(1UL << 17)	/* the edges of the whole program */
#define MAX_RANGES	65536

/* The store: counters, the hash set, the log of (from, to, failed). */
/* NR_COUNTERS words = one page: KCOV maps whole buffers only, of whole pages */
enum { C_CALLS, C_MEASURED, C_MISSED, C_TRUNCATED, C_OVERFLOW, C_LOG, NR_COUNTERS = 512 };
#define STORE_WORDS	(NR_COUNTERS + SET_WORDS + 3 * LOG_EDGES)

static int kcov_fd[POOL];
static uint64_t *cover[POOL], *store;
static unsigned long cover_words[POOL];
static pid_t starter;
static const char *out_path;
static uint64_t range_lo[MAX_RANGES], range_hi[MAX_RANGES];
static size_t nranges;

static long raw3(long nr, long a, long b, long c)
{
	long ret;

	asm volatile ("syscall" : "=a" (ret) : "a" (nr), "D" (a), "S" (b), "d" (c)
		      : "rcx", "r11", "memory");
	return ret;
}

/* A KCOV descriptor with a buffer of @words, mapped; exits on failure (start-up only). */
static int kcov_open(unsigned long words, uint64_t **area)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, words)) {
		fprintf(stderr, "kcov-wrap: cannot set up /sys/kernel/debug/kcov: %m (a KCOV kernel?)\n");
		exit(2);
	}
	p = mmap(NULL, words * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "kcov-wrap: cannot map the KCOV buffer: %m\n");
		exit(2);
	}
	*area = p;
	return fd;
}

static void load_ranges(const char *path)
{
	unsigned long long lo, hi;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "kcov-wrap: cannot read the ranges '%s': %m\n", path);
		exit(2);
	}
	while (nranges < MAX_RANGES && fscanf(f, "%llx %llx", &lo, &hi) == 2) {
		if (nranges && lo < range_lo[nranges - 1]) {
			fprintf(stderr, "kcov-wrap: '%s' is not sorted\n", path);
			exit(2);
		}
		range_lo[nranges] = lo;
		range_hi[nranges++] = hi;
	}
	fclose(f);
	if (!nranges) {
		fprintf(stderr, "kcov-wrap: no ranges in '%s'\n", path);
		exit(2);
	}
}

static int in_ranges(uint64_t pc)
{
	size_t lo = 0, hi = nranges;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pc < range_lo[mid])
			hi = mid;
		else if (pc >= range_hi[mid])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Adds (from, to, failed) to the store unless it is there; lock-free across processes. */
static void edge_add(uint64_t from, uint64_t to, uint64_t failed)
{
	uint64_t *set = store + NR_COUNTERS, *log = set + SET_WORDS;
	uint64_t h = mix(mix(from) ^ to ^ (failed << 63)), i, idx, probes;

	if (!h)
		h = 1;
	for (i = h % SET_WORDS, probes = 0;; i = (i + 1) % SET_WORDS) {
		uint64_t cur = __atomic_load_n(&set[i], __ATOMIC_RELAXED);

		if (++probes > SET_WORDS / 2) {	/* the set is full */
			__atomic_fetch_add(&store[C_OVERFLOW], 1, __ATOMIC_RELAXED);
			return;
		}

		if (cur == h)
			return;
		if (cur)
			continue;
		if (__atomic_compare_exchange_n(&set[i], &cur, h, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			break;
		if (cur == h)
			return;
	}
	idx = __atomic_fetch_add(&store[C_LOG], 1, __ATOMIC_RELAXED);
	if (idx >= LOG_EDGES) {
		__atomic_fetch_add(&store[C_OVERFLOW], 1, __ATOMIC_RELAXED);
		return;
	}
	log[3 * idx] = from;
	log[3 * idx + 1] = to;
	__atomic_store_n(&log[3 * idx + 2], failed + 1, __ATOMIC_RELEASE);
}

static void record(const uint64_t *area, unsigned long n, int failed, int truncated)
{
	uint64_t prev = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		uint64_t pc = area[i + 1];

		if (!in_ranges(pc))
			continue;
		edge_add(prev, pc, failed);
		prev = pc;
	}
	if (!truncated)
		edge_add(prev, 1, failed);
}

static long measure(long (*call)(unsigned long), unsigned long arg)
{
	unsigned long n;
	uint64_t *area;
	int truncated, k;
	long ret;

	if (!store)
		return call(arg);
	__atomic_fetch_add(&store[C_CALLS], 1, __ATOMIC_RELAXED);
	for (k = 0; k < POOL; k++)
		if (!raw3(SYS_ioctl, kcov_fd[k], KCOV_ENABLE, KCOV_TRACE_PC))
			break;
	if (k == POOL) {
		__atomic_fetch_add(&store[C_MISSED], 1, __ATOMIC_RELAXED);
		return call(arg);
	}
	area = cover[k];
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	ret = call(arg);
	n = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	truncated = n >= cover_words[k] - 1;
	if (truncated) {
		__atomic_fetch_add(&store[C_TRUNCATED], 1, __ATOMIC_RELAXED);
		n = cover_words[k] - 1;
	}
	record(area, n, ret < 0, truncated);
	raw3(SYS_ioctl, kcov_fd[k], KCOV_DISABLE, 0);
	__atomic_fetch_add(&store[C_MEASURED], 1, __ATOMIC_RELAXED);
	return ret;
}

long __real_syscall(long nr, ...);

static long call_syscall_unshare(unsigned long flags)
{
	return __real_syscall(SYS_unshare, flags);
}

long __wrap_syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_unshare)
		return measure(call_syscall_unshare, a[0]);
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

#ifdef KCOV_WRAP_UNSHARE
int __real_unshare(int flags);

static long call_unshare(unsigned long flags)
{
	return __real_unshare((int)flags);
}

int __wrap_unshare(int flags)
{
	return (int)measure(call_unshare, (unsigned int)flags);
}
#endif

/* At the exit of the process that started: the store to the two files, the counters. */
static void dump(void)
{
	uint64_t *log = store + NR_COUNTERS + SET_WORDS, i, n;
	FILE *ok, *err;
	char path[4096];

	if (getpid() != starter)
		return;
	snprintf(path, sizeof(path), "%s.err", out_path);
	ok = fopen(out_path, "ae");
	err = fopen(path, "ae");
	if (!ok || !err) {
		fprintf(stderr, "kcov-wrap: cannot write the edges to %s: %m\n", out_path);
		exit(2);
	}
	n = __atomic_load_n(&store[C_LOG], __ATOMIC_RELAXED);
	if (n > LOG_EDGES)
		n = LOG_EDGES;
	for (i = 0; i < n; i++) {
		/* 0: a writer inside edge_add(), or killed there (the edge is lost) */
		uint64_t failed = __atomic_load_n(&log[3 * i + 2], __ATOMIC_ACQUIRE);
		uint64_t e[2] = { log[3 * i], log[3 * i + 1] };

		if (failed)
			fwrite(e, sizeof(e), 1, failed == 2 ? err : ok);
	}
	if (fclose(ok) || fclose(err)) {
		fprintf(stderr, "kcov-wrap: cannot write the edges to %s: %m\n", out_path);
		exit(2);
	}
	fprintf(stderr, "kcov-wrap: calls=%llu measured=%llu missed=%llu truncated=%llu overflow=%llu\n",
		(unsigned long long)store[C_CALLS], (unsigned long long)store[C_MEASURED],
		(unsigned long long)store[C_MISSED], (unsigned long long)store[C_TRUNCATED],
		(unsigned long long)store[C_OVERFLOW]);
}

__attribute__((constructor)) static void kcov_wrap_init(void)
{
	const char *ranges = getenv("UNSHARE_KCOV_RANGES");
	uint64_t *s;
	int k;

	out_path = getenv("UNSHARE_KCOV_OUT");
	if (!out_path || !*out_path)
		return;
	if (!ranges) {
		fprintf(stderr, "kcov-wrap: UNSHARE_KCOV_OUT without UNSHARE_KCOV_RANGES\n");
		exit(2);
	}
	load_ranges(ranges);
	for (k = 0; k < POOL; k++) {
		cover_words[k] = k ? SPARE_WORDS : COVER_WORDS;
		kcov_fd[k] = kcov_open(cover_words[k], &cover[k]);
	}
	kcov_open(STORE_WORDS, &s);	/* never enabled: its memory is the store */
	starter = getpid();
	atexit(dump);
	store = s;
}
