// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(CLONE_VM) where the address space is shared with another process
 * (clone(CLONE_VM) without CLONE_THREAD, or vfork()), with the sysctl
 * kernel.unshare_vm of CONFIG_UNSHARE_RUST_VM at 1: the Rust implementation
 * (unshare.impl=rust, the default) gives the caller a copy of the address
 * space, as fork() gives a child, and the other process keeps the shared
 * one; the C implementation fails with EINVAL and changes nothing, as both
 * do with the sysctl at 0. Without the sysctl, every test is skipped.
 *
 * What the other process sees is read and written through /proc/<pid>/mem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "unshare_harness.h"

#define PATTERN		0x5a
#define HEAP_PAGES	16

/* In the data segment: private to each process after a copy. */
static int private_word;
static int vfork_word;
static char maps_before[64 * 1024], maps_after[64 * 1024];

/* The int at @addr in the address space of @pid, -1 if unreadable. */
static int peek_int(pid_t pid, int *addr)
{
	int val;

	return mem_access(pid, addr, &val, sizeof(val), false) ? -1 : val;
}

/* /proc/self/maps, without the line of the mapping at @skip, if any. */
static int read_maps(char *buf, size_t size, const void *skip)
{
	char prefix[32], *line, *end;
	int ret = proc_read("self/maps", buf, size);

	if (ret < 0)
		return ret;
	if (!skip)
		return 0;
	snprintf(prefix, sizeof(prefix), "%lx-", (unsigned long)skip);
	for (line = buf; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (!strncmp(line, prefix, strlen(prefix))) {
			memmove(line, end, strlen(end) + 1);
			return 0;
		}
	}
	return -ENOENT;
}

static void *map_page(int flags, int advice)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (advice >= 0 && madvise(p, page, advice)) {
		munmap(p, page);
		return NULL;
	}
	memset(p, PATTERN, page);
	return p;
}

static void *robust_list_head(void)
{
	void *head = NULL;
	size_t len;

	if (syscall(SYS_get_robust_list, 0, &head, &len))
		return (void *)-1;
	return head;
}

static void vm_case_child(struct __test_metadata *_metadata, const void *arg)
{
	const struct shared_vm_case *c = arg;
	bool copied = c->copies && c->sysctl && rust_implementation();
	bool shares_vm = c->clone_flags & CLONE_VM;
	int err = copied ? 0 : c->err;
	size_t page = sysconf(_SC_PAGESIZE);
	struct holder h = {}, thread = {};
	char *heap, *cow, *wipe, *dontfork;
	struct ns_ids before, after;
	int *shared;
	char on_stack[512];
	void *robust_before;
	unsigned char vec;
	int val = 3;

	memset(on_stack, PATTERN, sizeof(on_stack));
	heap = malloc(HEAP_PAGES * page);
	ASSERT_NE(NULL, heap);
	memset(heap, PATTERN, HEAP_PAGES * page);
	shared = map_page(MAP_SHARED, -1);
	cow = map_page(MAP_PRIVATE, -1);
	wipe = map_page(MAP_PRIVATE, MADV_WIPEONFORK);
	dontfork = map_page(MAP_PRIVATE, MADV_DONTFORK);
	ASSERT_TRUE(shared && cow && wipe && dontfork);
	STORE(*shared, 1);
	STORE(private_word, 1);

	if (c->clone_flags)
		ASSERT_EQ(0, vm_clone_hold(&h, c->clone_flags));
	if (c->threaded)
		ASSERT_EQ(0, thread_hold(&thread));
	if (shares_vm)
		ASSERT_EQ(1, peek_int(h.pid, &private_word));
	if (c->clone_flags & CLONE_SIGHAND)
		ASSERT_TRUE(handlers_shared_with(_metadata, h.pid));
	robust_before = robust_list_head();
	ASSERT_EQ(0, ns_ids_read(&before));
	ASSERT_EQ(0, read_maps(maps_before, sizeof(maps_before),
			       copied ? dontfork : NULL));

	EXPECT_EQ(-err, sys_unshare(c->flags))
		TH_LOG("unshare(%#lx), kernel.unshare_vm=%ld, holder clone(%#lx)%s",
		       c->flags, c->sysctl, c->clone_flags,
		       c->threaded ? ", threaded" : "");

	/* The same mappings, but for the MADV_DONTFORK one after a copy ... */
	ASSERT_EQ(0, read_maps(maps_after, sizeof(maps_after), NULL));
	EXPECT_STREQ(maps_before, maps_after);
	ASSERT_EQ(0, ns_ids_read(&after));
	EXPECT_EQ(ns_expected_diff(err ? 0 : c->flags),
		  ns_ids_diff(&before, &after));
	/* ... with the same contents, but for the MADV_WIPEONFORK one. */
	EXPECT_EQ(sizeof(on_stack),
		  count_bytes(on_stack, sizeof(on_stack), PATTERN));
	EXPECT_EQ(HEAP_PAGES * page,
		  count_bytes(heap, HEAP_PAGES * page, PATTERN));
	EXPECT_EQ(page, count_bytes(cow, page, PATTERN));
	EXPECT_EQ(page, count_bytes(wipe, page, copied ? 0 : PATTERN));
	if (copied) {
		EXPECT_EQ(-1, mincore(dontfork, page, &vec));
		EXPECT_EQ(ENOMEM, errno);
	} else {
		EXPECT_EQ(page, count_bytes(dontfork, page, PATTERN));
	}
	/* The robust futex list stays registered, in the copy too. */
	EXPECT_EQ(robust_before, robust_list_head());

	if (shares_vm) {
		/* MAP_SHARED memory stays shared ... */
		STORE(*shared, 2);
		EXPECT_EQ(2, peek_int(h.pid, shared));
		/* ... private memory is private after a copy, both ways. */
		STORE(private_word, 2);
		EXPECT_EQ(copied ? 1 : 2, peek_int(h.pid, &private_word));
		EXPECT_EQ(0, mem_access(h.pid, &private_word, &val,
					sizeof(val), true));
		EXPECT_EQ(copied ? 2 : 3, LOAD(private_word));
	}
	if (c->clone_flags & CLONE_SIGHAND)
		EXPECT_EQ(!copied, handlers_shared_with(_metadata, h.pid));
	/* Nothing is left to share. */
	if (copied)
		EXPECT_EQ(0, sys_unshare(CLONE_VM));

	if (c->threaded)
		EXPECT_EQ(0, holder_release(&thread));
	if (c->clone_flags)
		EXPECT_EQ(0, holder_release(&h));
}

#define SHARED_SIGHAND	(CLONE_VM | CLONE_SIGHAND)

/* The copy: the Rust implementation with the sysctl at 1. */
TEST_F(unshare, vm_copied_when_enabled)
{
	static const struct shared_vm_case cases[] = {
		{ 1, CLONE_VM, false, CLONE_VM, EINVAL, true },
		/* the handlers are copied too (CLONE_VM implies them) */
		{ 1, SHARED_SIGHAND, false, CLONE_VM, EINVAL, true },
		/* with other flags: all of it or nothing */
		{ 1, CLONE_VM, false, CLONE_VM | CLONE_NEWUTS | CLONE_FILES,
		  EINVAL, true },
		{ 1, SHARED_SIGHAND, false, CLONE_VM | CLONE_FS | CLONE_NEWIPC,
		  EINVAL, true },
	};

	TH_LOG("%s implementation", rust_implementation() ? "Rust" : "C");
	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), vm_case_child);
}

/* What stays refused with the sysctl at 1, and everything at 0. */
TEST_F(unshare, vm_refusals_stand)
{
	static const struct shared_vm_case cases[] = {
		/* the sysctl at 0: EINVAL, as ever */
		{ 0, CLONE_VM, false, CLONE_VM, EINVAL, true },
		{ 0, SHARED_SIGHAND, false, CLONE_VM | CLONE_NEWUTS, EINVAL,
		  true },
		/* a thread of ours shares the address space with us */
		{ 1, CLONE_VM, true, CLONE_VM, EINVAL, false },
		{ 1, 0, true, CLONE_VM, EINVAL, false },
		/* an unknown bit wins */
		{ 1, CLONE_VM, false, CLONE_VM | TOP_FLAG_BIT, EINVAL, false },
		/* private handlers, a shared address space: it stays shared */
		{ 1, CLONE_VM, false, CLONE_SIGHAND, 0, false },
	};

	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), vm_case_child);
}

/* Nothing shared: success, nothing to do, with the sysctl at 0 or 1. */
TEST_F(unshare, vm_private_succeeds)
{
	static const struct shared_vm_case cases[] = {
		{ 0, 0, false, CLONE_VM, 0, false },
		{ 1, 0, false, CLONE_VM, 0, false },
		/* a holder that shares the file table, not the address space */
		{ 1, CLONE_FILES, false, CLONE_VM, 0, false },
	};

	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), vm_case_child);
}

enum { VFORK_EINVAL = 10, VFORK_ERROR, VFORK_NOT_RELEASED };

/*
 * A vfork() child that unshares its address space releases its parent, as
 * execve() would, and goes on in its copy.
 */
static void vfork_case_child(struct __test_metadata *_metadata,
			     const void *arg)
{
	bool copied = *(const long *)arg && rust_implementation();
	int pipefd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	STORE(vfork_word, 0);
	pid = vfork();
	if (!pid) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		char ch;

		if (syscall(SYS_unshare, CLONE_VM))
			_exit(errno == EINVAL ? VFORK_EINVAL : VFORK_ERROR);
		/* Our own copy now, where the parent does not see this. */
		STORE(vfork_word, 1);
		if (poll(&pfd, 1, 10000) != 1 || read(pipefd[0], &ch, 1) != 1)
			_exit(VFORK_NOT_RELEASED);
		_exit(LOAD(vfork_word) == 1 ? 0 : VFORK_ERROR);
	}
	ASSERT_LT(0, pid);
	if (!copied) {
		/* Refused: the child's exit released us. */
		EXPECT_EQ(VFORK_EINVAL, wait_status(pid));
		return;
	}
	/* Released while the child still runs, which waits for us. */
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	EXPECT_EQ(0, LOAD(vfork_word));
	EXPECT_EQ(1, write(pipefd[1], "x", 1));
	EXPECT_EQ(0, wait_status(pid));
}

TEST_F(unshare, vm_vfork_child_releases_parent)
{
	static const long sysctls[] = { 1, 0 };
	size_t i;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	for (i = 0; i < ARRAY_SIZE(sysctls); i++) {
		if (!sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL,
				sysctls[i]))
			return;
		run_in_child(_metadata, vfork_case_child, &sysctls[i]);
	}
}

TEST_HARNESS_MAIN
