// SPDX-License-Identifier: GPL-2.0
/*
 * KCOV around every unshare(2) call of a test program, linked in by tests/coverage/run.sh: with
 * -Wl,--wrap=sys_unshare,--wrap=unshare into the selftests (their sys_unshare() and libc's
 * unshare()), and built with -DKCOV_WRAP_SYSCALL and linked with -Wl,--wrap=syscall into the
 * programs of tests/reliability (their syscall(SYS_unshare, ...)). Nothing else of the programs
 * changes.
 *
 * KCOV is per task and not inherited, so each call enables it for the calling task: on the
 * descriptor opened at start-up (a fork child or a CLONE_VM sibling inherits it, and KCOV binds
 * it to one task at a time), or, when another task has it enabled (EBUSY), on one opened for the
 * call. The PCs of the call that fall into the ranges of $UNSHARE_KCOV_RANGES (the functions the
 * report covers, tests/coverage/ranges.py) become edges (previous PC, PC), 0 being the entry of
 * the call and 1 its return; each edge is appended once per process to $UNSHARE_KCOV_OUT when
 * the call succeeded, to $UNSHARE_KCOV_OUT.err when it failed (report.py tells the error branches
 * by the edges that only failed calls took). The hash set of edges is lock-free, since CLONE_VM
 * siblings without a TLS of their own share it.
 *
 * Counters in a shared mapping (inherited by every fork) count the calls, the calls measured, and
 * the calls that could not be (no KCOV descriptor could be enabled, e.g. in a chroot after the
 * start-up one was taken, or the trace buffer overflowed); the process that started prints them
 * at exit as "kcov-wrap: calls=N measured=M missed=K truncated=T".
 *
 * Without $UNSHARE_KCOV_OUT every call goes straight through.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KCOV_INIT_TRACE	_IOR('c', 1, unsigned long)
#define KCOV_ENABLE	_IO('c', 100)
#define KCOV_DISABLE	_IO('c', 101)
#define KCOV_TRACE_PC	0

#define COVER_WORDS	(1UL << 20)		/* PCs one call can record */
#define SET_BITS	20			/* edges one process remembers */
#define MAX_RANGES	65536

struct counters {
	unsigned long calls, measured, missed, truncated;
};

static int out_fd = -1, err_fd = -1;
static int kcov_fd = -1;
static uint64_t *cover;
static struct counters *cnt;
static pid_t starter;
static uint64_t range_lo[MAX_RANGES], range_hi[MAX_RANGES];
static size_t nranges;
static uint64_t edge_set[1UL << SET_BITS];


static int kcov_open(uint64_t **area)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return -1;
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_WORDS))
		goto fail;
	p = mmap(NULL, COVER_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	*area = p;
	return fd;
fail:
	close(fd);
	return -1;
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

/* Whether this process has not written (from, to) of a call that @failed yet; marks it. */
static int edge_new(uint64_t from, uint64_t to, int failed)
{
	uint64_t h = (from * 0x9e3779b97f4a7c15ULL) ^ (to + 0x632be59bd9b4e019ULL + (from >> 7));

	h = h * 31 + (uint64_t)failed;
	size_t mask = (1UL << SET_BITS) - 1, i;

	h ^= h >> 29;
	h |= 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		uint64_t cur = __atomic_load_n(&edge_set[i], __ATOMIC_RELAXED);

		if (cur == h)
			return 0;
		if (cur)
			continue;
		if (__atomic_compare_exchange_n(&edge_set[i], &cur, h, 0, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return 1;
		if (cur == h)
			return 0;
	}
}

static void record(uint64_t *area, unsigned long n, int failed)
{
	int fd = failed ? err_fd : out_fd;
	uint64_t buf[128], prev = 0;
	size_t len = 0;
	unsigned long i;

	for (i = 0; i <= n; i++) {
		uint64_t pc = i < n ? area[i + 1] : 1;

		if (i < n && !in_ranges(pc))
			continue;
		if (edge_new(prev, pc, failed)) {
			buf[len++] = prev;
			buf[len++] = pc;
			if (len == sizeof(buf) / sizeof(buf[0])) {
				if (write(fd, buf, len * sizeof(buf[0])) < 0)
					break;
				len = 0;
			}
		}
		prev = pc;
	}
	if (len && write(fd, buf, len * sizeof(buf[0])) < 0)
		len = 0;
}

/* Run @call(@arg) with KCOV on for the calling task. */
static long measure(long (*call)(unsigned long), unsigned long arg)
{
	uint64_t *area = cover;
	int fd = kcov_fd, own = 0, saved;
	unsigned long n;
	long ret;

	if (out_fd < 0)
		return call(arg);
	__atomic_fetch_add(&cnt->calls, 1, __ATOMIC_RELAXED);
	if (fd < 0 || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		fd = kcov_open(&area);
		if (fd < 0 || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
			if (fd >= 0) {
				munmap(area, COVER_WORDS * sizeof(uint64_t));
				close(fd);
			}
			__atomic_fetch_add(&cnt->missed, 1, __ATOMIC_RELAXED);
			return call(arg);
		}
		own = 1;
	}
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	ret = call(arg);
	saved = errno;
	n = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	if (n >= COVER_WORDS - 1) {
		__atomic_fetch_add(&cnt->truncated, 1, __ATOMIC_RELAXED);
		n = COVER_WORDS - 1;
	}
	record(area, n, ret < 0);
	ioctl(fd, KCOV_DISABLE, 0);
	if (own) {
		munmap(area, COVER_WORDS * sizeof(uint64_t));
		close(fd);
	}
	__atomic_fetch_add(&cnt->measured, 1, __ATOMIC_RELAXED);
	errno = saved;
	return ret;
}

#ifdef KCOV_WRAP_SYSCALL
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
#else
long __real_sys_unshare(unsigned long flags);
int __real_unshare(int flags);

static long call_sys_unshare(unsigned long flags)
{
	return __real_sys_unshare(flags);
}

static long call_unshare(unsigned long flags)
{
	return __real_unshare((int)flags);
}

long __wrap_sys_unshare(unsigned long flags)
{
	return measure(call_sys_unshare, flags);
}

int __wrap_unshare(int flags)
{
	return (int)measure(call_unshare, (unsigned int)flags);
}
#endif

static void report(void)
{
	if (out_fd < 0 || getpid() != starter)
		return;
	fprintf(stderr, "kcov-wrap: calls=%lu measured=%lu missed=%lu truncated=%lu\n",
		cnt->calls, cnt->measured, cnt->missed, cnt->truncated);
}

__attribute__((constructor)) static void kcov_wrap_init(void)
{
	const char *out = getenv("UNSHARE_KCOV_OUT");
	const char *ranges = getenv("UNSHARE_KCOV_RANGES");
	char err[4096];
	int fd;

	if (!out || !*out)
		return;
	if (!ranges) {
		fprintf(stderr, "kcov-wrap: UNSHARE_KCOV_OUT without UNSHARE_KCOV_RANGES\n");
		exit(2);
	}
	load_ranges(ranges);
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED) {
		fprintf(stderr, "kcov-wrap: mmap: %m\n");
		exit(2);
	}
	kcov_fd = kcov_open(&cover);
	if (kcov_fd < 0) {
		fprintf(stderr, "kcov-wrap: cannot set up /sys/kernel/debug/kcov: %m (a KCOV kernel?)\n");
		exit(2);
	}
	fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "kcov-wrap: cannot open '%s': %m\n", out);
		exit(2);
	}
	out_fd = fd;
	snprintf(err, sizeof(err), "%s.err", out);
	fd = open(err, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "kcov-wrap: cannot open '%s': %m\n", err);
		exit(2);
	}
	err_fd = fd;
	starter = getpid();
	atexit(report);
}
