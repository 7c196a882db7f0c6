// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(2): which flags are accepted, which are refused for a task that
 * shares what they would unshare, and which flags imply others
 * (Documentation/userspace-api/unshare.rst, section 8, items 1 and 2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "unshare_harness.h"

#define ALL_NS_BUT_USER	(NS_FLAGS & ~(unsigned long)CLONE_NEWUSER)

TEST_F(unshare, flags_zero_is_noop)
{
	static const struct unshare_case cases[] = {
		{ .flags = 0 },
		{ .flags = 0, .unprivileged = true },
		{ .flags = 0, .threaded = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

static void invalid_bits_child(struct __test_metadata *_metadata,
			       const void *arg)
{
	unsigned long valid = valid_unshare_flags(), bit;
	struct task_snap before, after;
	int i;

	ASSERT_EQ(0, task_snap_read(&before));
	for (i = 0; i < FLAG_BITS; i++) {
		bit = 1UL << i;
		if (valid & bit)
			continue;
		EXPECT_EQ(-EINVAL, sys_unshare(bit))
			TH_LOG("bit %d alone", i);
		EXPECT_EQ(-EINVAL, sys_unshare(bit | valid))
			TH_LOG("bit %d with every valid flag", i);
	}
	ASSERT_EQ(0, task_snap_read(&after));
	EXPECT_EQ(0, ns_ids_diff(&before.ns, &after.ns));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(unshare, invalid_bits_einval)
{
	static const struct unshare_case cases[] = {
		{ .flags = ~0UL, .err = EINVAL },
		{ .flags = NS_FLAGS | CTX_FLAGS | TOP_FLAG_BIT, .err = EINVAL },
		{ .flags = CLONE_NEWNS | CLONE_FILES | CLONE_IO, .err = EINVAL },
		{ .flags = CLONE_NEWNS | CLONE_FS | CLONE_PTRACE,
		  .err = EINVAL },
	};

	if (!kernel_has_empty_mntns())
		TH_LOG("pre-7.3 kernel: bit 20 (UNSHARE_EMPTY_MNTNS) counts as invalid");
	run_in_child(_metadata, invalid_bits_child, NULL);
	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

/* Every accepted bit alone, in a single-threaded task, succeeds. */
TEST_F(unshare, valid_bits_accepted)
{
	unsigned long valid = valid_unshare_flags();
	struct unshare_case c = {};
	int i;

	for (i = 0; i < FLAG_BITS; i++) {
		c.flags = 1UL << i;
		if (valid & c.flags)
			run_in_child(_metadata, unshare_case_child, &c);
	}
}

/* Nothing to unshare: "pretend it works". */
TEST_F(unshare, task_flags_single_threaded_succeed)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_THREAD },
		{ .flags = CLONE_SIGHAND },
		{ .flags = CLONE_VM },
		{ .flags = TASK_FLAGS },
		{ .flags = TASK_FLAGS, .unprivileged = true },
		{ .flags = TASK_FLAGS | CTX_FLAGS },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_F(unshare, task_flags_multithreaded_einval)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_THREAD, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_SIGHAND, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_VM, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_NEWUSER, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_THREAD | CTX_FLAGS | CLONE_NEWNS,
		  .err = EINVAL, .threaded = true },
		{ .flags = CLONE_NEWUSER, .err = EINVAL, .threaded = true,
		  .unprivileged = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

/* Threads only block the flags that act on the whole thread group. */
TEST_F(unshare, other_flags_multithreaded_succeed)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_FS, .threaded = true },
		{ .flags = CLONE_FILES, .threaded = true },
		{ .flags = CLONE_SYSVSEM, .threaded = true },
		{ .flags = CLONE_NEWNS, .threaded = true },
		{ .flags = ALL_NS_BUT_USER | CTX_FLAGS, .threaded = true },
	};
	struct unshare_case empty = {
		.flags = UNSHARE_EMPTY_MNTNS, .threaded = true,
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
	if (kernel_has_empty_mntns())
		run_in_child(_metadata, unshare_case_child, &empty);
}

/* A task that shares our mm or handlers without being our thread. */
struct holder_case {
	unsigned long clone_flags;
	unsigned long flags;
	int err;
};

static void holder_case_child(struct __test_metadata *_metadata,
			      const void *arg)
{
	const struct holder_case *c = arg;
	struct ns_ids before, after;
	struct holder h;

	ASSERT_EQ(0, vm_clone_hold(&h, c->clone_flags));
	ASSERT_EQ(0, ns_ids_read(&before));
	EXPECT_EQ(-c->err, sys_unshare(c->flags))
		TH_LOG("unshare(%#lx) next to clone(%#lx)", c->flags,
		       c->clone_flags);
	ASSERT_EQ(0, ns_ids_read(&after));
	EXPECT_EQ(ns_expected_diff(c->err ? 0 : c->flags),
		  ns_ids_diff(&before, &after));
	EXPECT_EQ(0, holder_release(&h));
}

static void run_holder_cases(struct __test_metadata *_metadata,
			     const struct holder_case *cases, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		run_in_child(_metadata, holder_case_child, &cases[i]);
}

TEST_F(unshare, vm_shared_with_clone_vm_child)
{
	static const struct holder_case cases[] = {
		{ CLONE_VM, CLONE_VM, EINVAL },
		/* separate thread group, private handlers: nothing shared */
		{ CLONE_VM, CLONE_THREAD, 0 },
		{ CLONE_VM, CLONE_SIGHAND, 0 },
		/* NEWUSER implies THREAD and FS, but not VM */
		{ CLONE_VM, CLONE_NEWUSER, 0 },
		{ CLONE_VM, CLONE_VM | CLONE_NEWNS, EINVAL },
	};

	/* The C answers; at kernel.unshare_vm=1 Rust copies (unshare_vm_test) */
	if (unshare_vm_exists() &&
	    !sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL, 0))
		return;
	run_holder_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_F(unshare, sighand_shared_with_clone_sighand_child)
{
	static const struct holder_case cases[] = {
		{ CLONE_VM | CLONE_SIGHAND, CLONE_SIGHAND, EINVAL },
		{ CLONE_VM | CLONE_SIGHAND, CLONE_VM, EINVAL },
		{ CLONE_VM | CLONE_SIGHAND, CLONE_THREAD, 0 },
		{ CLONE_VM | CLONE_SIGHAND, CLONE_NEWUSER, 0 },
		{ CLONE_VM | CLONE_SIGHAND, CLONE_SIGHAND | CLONE_NEWUTS,
		  EINVAL },
	};

	/* The C answers; at kernel.unshare_vm=1 Rust copies (unshare_vm_test) */
	if (unshare_vm_exists() &&
	    !sysctl_set(_metadata, &self->sysctls, UNSHARE_VM_SYSCTL, 0))
		return;
	run_holder_cases(_metadata, cases, ARRAY_SIZE(cases));
}

/*
 * Implied flags: NEWNS and NEWUSER (and UNSHARE_EMPTY_MNTNS via NEWNS)
 * imply CLONE_FS; the sibling's chdir/umask are no longer seen. The
 * checker verifies the sharing both before (in the sibling set-up) and
 * after the call.
 */
TEST_F(unshare, implied_fs_by_newns)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWNS },
		{ .flags = CLONE_NEWNS | CLONE_FILES },
		{ .flags = CLONE_NEWNS, .threaded = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_F(unshare, implied_fs_by_newuser)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWUSER },
		{ .flags = CLONE_NEWUSER, .unprivileged = true },
		{ .flags = CLONE_NEWUSER | CLONE_SYSVSEM, .unprivileged = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_F(unshare, implied_fs_by_empty_mntns)
{
	static const struct unshare_case cases[] = {
		{ .flags = UNSHARE_EMPTY_MNTNS },
		{ .flags = UNSHARE_EMPTY_MNTNS | CLONE_NEWNS },
		{ .flags = UNSHARE_EMPTY_MNTNS | CLONE_NEWUSER,
		  .unprivileged = true },
	};

	if (!empty_mntns_or_skip(_metadata))
		return;
	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

/* No other namespace flag splits fs_struct, and nothing implies FILES. */
TEST_F(unshare, fs_and_files_not_implied_by_other_flags)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWUTS },
		{ .flags = CLONE_NEWIPC },
		{ .flags = CLONE_NEWNET },
		{ .flags = CLONE_NEWPID },
		{ .flags = CLONE_NEWTIME },
		{ .flags = CLONE_NEWCGROUP },
		{ .flags = CLONE_SYSVSEM },
		{ .flags = TASK_FLAGS },
		{ .flags = ALL_NS_BUT_USER & ~(unsigned long)CLONE_NEWNS },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

/*
 * CLONE_VM implies CLONE_SIGHAND implies CLONE_THREAD, and CLONE_NEWUSER
 * implies CLONE_THREAD: all are refused once there is a second thread.
 */
TEST_F(unshare, implied_thread_refused_multithreaded)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_VM, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_SIGHAND, .err = EINVAL, .threaded = true },
		{ .flags = CLONE_NEWUSER | CLONE_FS, .err = EINVAL,
		  .threaded = true },
		{ .flags = CLONE_NEWUSER | CLONE_NEWNET, .err = EINVAL,
		  .threaded = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_HARNESS_MAIN
