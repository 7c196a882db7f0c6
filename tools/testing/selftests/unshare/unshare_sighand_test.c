// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(CLONE_SIGHAND) where the signal handlers are shared with another
 * process (clone(CLONE_VM | CLONE_SIGHAND) without CLONE_THREAD), with the
 * sysctl kernel.unshare_vm of CONFIG_UNSHARE_RUST_VM at 1: the Rust
 * implementation (unshare.impl=rust, the default) gives the caller a copy
 * of the handlers of its own, and the other process keeps the shared ones;
 * the C implementation fails with EINVAL and changes nothing, as both do
 * with the sysctl at 0. Without the sysctl, every test is skipped.
 *
 * Which process sees a change of the handlers is read from the SigIgn and
 * SigCgt masks of /proc/<pid>/status, which come from the handler table of
 * that process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

#include "unshare_harness.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

static void sighand_case_child(struct __test_metadata *_metadata,
			       const void *arg)
{
	const struct shared_vm_case *c = arg;
	bool copied = c->copies && c->sysctl && rust_implementation();
	int err = copied ? 0 : c->err;
	struct ns_ids before, after;
	struct holder h = {}, thread = {};

	ASSERT_EQ(0, set_action(SIGUSR1, on_signal));
	if (c->clone_flags)
		ASSERT_EQ(0, vm_clone_hold(&h, c->clone_flags));
	if (c->threaded)
		ASSERT_EQ(0, thread_hold(&thread));
	if (c->clone_flags & CLONE_SIGHAND)
		ASSERT_TRUE(handlers_shared_with(_metadata, h.pid));
	ASSERT_EQ(0, ns_ids_read(&before));

	EXPECT_EQ(-err, sys_unshare(c->flags))
		TH_LOG("unshare(%#lx), kernel.unshare_vm=%ld, holder clone(%#lx)%s",
		       c->flags, c->sysctl, c->clone_flags,
		       c->threaded ? ", threaded" : "");

	ASSERT_EQ(0, ns_ids_read(&after));
	EXPECT_EQ(ns_expected_diff(err ? 0 : c->flags),
		  ns_ids_diff(&before, &after));
	/* The actions are those of the moment of the call ... */
	EXPECT_NE(0, sig_mask(getpid(), "SigCgt") & SIG_BIT(SIGUSR1));
	/* ... and still work. */
	caught = 0;
	EXPECT_EQ(0, raise(SIGUSR1));
	EXPECT_EQ(SIGUSR1, caught);
	if (c->clone_flags & CLONE_SIGHAND) {
		/* A private table: the holder no longer sees our changes. */
		EXPECT_EQ(!copied, handlers_shared_with(_metadata, h.pid));
		EXPECT_NE(0, sig_mask(h.pid, "SigCgt") & SIG_BIT(SIGUSR1));
		/* Its handlers are its own to change now: ours stay. */
		EXPECT_EQ(0, set_action(SIGUSR1, SIG_DFL));
		EXPECT_EQ(copied,
			  !!(sig_mask(h.pid, "SigCgt") & SIG_BIT(SIGUSR1)));
	}
	if (c->threaded)
		EXPECT_EQ(0, holder_release(&thread));
	if (c->clone_flags)
		EXPECT_EQ(0, holder_release(&h));
}

#define SHARED_SIGHAND	(CLONE_VM | CLONE_SIGHAND)

/* The copy: the Rust implementation with the sysctl at 1. */
TEST_F(unshare, sighand_copied_when_enabled)
{
	static const struct shared_vm_case cases[] = {
		{ 1, SHARED_SIGHAND, false, CLONE_SIGHAND, EINVAL, true },
		/* with other flags: all of it or nothing */
		{ 1, SHARED_SIGHAND, false, CLONE_SIGHAND | CLONE_NEWUTS,
		  EINVAL, true },
		{ 1, SHARED_SIGHAND, false, CLONE_SIGHAND | CLONE_FS |
		  CLONE_FILES | CLONE_NEWIPC, EINVAL, true },
		/* CLONE_THREAD alone does not touch the handlers */
		{ 1, SHARED_SIGHAND, false, CLONE_THREAD, 0, false },
	};

	TH_LOG("%s implementation", rust_implementation() ? "Rust" : "C");
	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), sighand_case_child);
}

/* What stays refused with the sysctl at 1, and everything at 0. */
TEST_F(unshare, sighand_refusals_stand)
{
	static const struct shared_vm_case cases[] = {
		/* the sysctl at 0: EINVAL, as ever */
		{ 0, SHARED_SIGHAND, false, CLONE_SIGHAND, EINVAL, true },
		{ 0, SHARED_SIGHAND, false, CLONE_SIGHAND | CLONE_NEWUTS,
		  EINVAL, true },
		/* a thread of ours shares the table with us */
		{ 1, SHARED_SIGHAND, true, CLONE_SIGHAND, EINVAL, false },
		{ 1, 0, true, CLONE_SIGHAND, EINVAL, false },
		/* (a shared address space: unshare_vm_test) */
	};

	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), sighand_case_child);
}

/* Nothing shared: success, nothing to do, with the sysctl at 0 or 1. */
TEST_F(unshare, sighand_private_succeeds)
{
	static const struct shared_vm_case cases[] = {
		{ 0, 0, false, CLONE_SIGHAND, 0, false },
		{ 1, 0, false, CLONE_SIGHAND, 0, false },
		{ 1, 0, false, CLONE_VM, 0, false },
		/* a CLONE_VM holder shares the mm, not the handlers */
		{ 1, CLONE_VM, false, CLONE_SIGHAND, 0, false },
	};

	run_shared_vm_cases(_metadata, &self->sysctls, cases,
			    ARRAY_SIZE(cases), sighand_case_child);
}

TEST_HARNESS_MAIN
