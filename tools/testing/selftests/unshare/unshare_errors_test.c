// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(2): errors, their precedence, and that a failed call changes
 * nothing (namespaces, credentials, fs/files/semundo sharing). The order
 * of the checks in ksys_unshare() of Linux 7.3 is:
 *
 *   kernel.unprivileged_userns_clone (Debian) for CLONE_NEWUSER  -> EPERM
 *   check_unshare_flags(): unknown bits, threads, shared mm/handlers
 *                                                              -> EINVAL
 *   unshare_fs(), unshare_fd() (dup_fd)                        -> EMFILE
 *   unshare_userns(): depth/ucount, chroot, unmapped owner -> ENOSPC/EPERM
 *   unshare_nsproxy_namespaces(): CAP_SYS_ADMIN                -> EPERM
 *     then mnt, uts, ipc, pid (EINVAL if pid_for_children differs from
 *     the active pid ns), cgroup, net, time                -> ENOSPC...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include "unshare_harness.h"

#define BAD_BIT		TOP_FLAG_BIT
#define HIGH_FD		1000
/* below ALIGN(HIGH_FD + 1, BITS_PER_LONG): the copy cannot be made */
#define LOW_NR_OPEN	512
#define MAX_PID_NS_LEVEL 32
/* create_user_ns() refuses a parent deeper than this */
#define MAX_USER_NS_PARENT_LEVEL 32

TEST_F(unshare, eperm_each_namespace_unprivileged)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWNS, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWCGROUP, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWUTS, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWIPC, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWPID, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWNET, .err = EPERM, .unprivileged = true },
		{ .flags = CLONE_NEWTIME, .err = EPERM, .unprivileged = true },
		{ .flags = NS_FLAGS & ~(unsigned long)CLONE_NEWUSER,
		  .err = EPERM, .unprivileged = true },
		/* the fs/files copies and the semundo detach are dropped */
		{ .flags = CLONE_NEWNET | CTX_FLAGS, .err = EPERM,
		  .unprivileged = true },
		{ .flags = CLONE_NEWIPC | CLONE_SYSVSEM, .err = EPERM,
		  .unprivileged = true },
		{ .flags = CLONE_NEWUTS | TASK_FLAGS, .err = EPERM,
		  .unprivileged = true },
	};
	struct unshare_case empty = {
		.flags = UNSHARE_EMPTY_MNTNS, .err = EPERM,
		.unprivileged = true,
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
	if (kernel_has_empty_mntns())
		run_in_child(_metadata, unshare_case_child, &empty);
}

TEST_F(unshare, einval_before_eperm)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWNET | BAD_BIT, .err = EINVAL,
		  .unprivileged = true },
		{ .flags = CLONE_NEWNET | CLONE_IO, .err = EINVAL,
		  .unprivileged = true },
		{ .flags = CLONE_NEWNET | CLONE_THREAD, .err = EINVAL,
		  .unprivileged = true, .threaded = true },
		{ .flags = CLONE_NEWNET | CLONE_SIGHAND, .err = EINVAL,
		  .unprivileged = true, .threaded = true },
		{ .flags = CLONE_NEWNET | CLONE_VM, .err = EINVAL,
		  .unprivileged = true, .threaded = true },
		/* the implied CLONE_THREAD of NEWUSER counts too */
		{ .flags = CLONE_NEWUSER | CLONE_NEWNET, .err = EINVAL,
		  .unprivileged = true, .threaded = true },
		/* without a refused flag, threads don't matter */
		{ .flags = CLONE_NEWNET, .err = EPERM,
		  .unprivileged = true, .threaded = true },
		{ .flags = CLONE_NEWNET | CLONE_FILES, .err = EPERM,
		  .unprivileged = true, .threaded = true },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

TEST_F(unshare, eperm_newuser_in_chroot)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_NEWUSER, .err = EPERM,
		  .chroot = JAIL },
		{ .flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET,
		  .err = EPERM, .chroot = JAIL },
		{ .flags = CLONE_NEWUSER, .err = EPERM, .unprivileged = true,
		  .chroot = JAIL },
		/* only the user namespace cares about the root */
		{ .flags = CLONE_NEWNS | CLONE_NEWUTS, .chroot = JAIL },
		/* the root of the namespace is not a chroot */
		{ .flags = CLONE_NEWUSER, .chroot = "/" },
		{ .flags = CLONE_NEWUSER, .unprivileged = true, .chroot = "/" },
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
}

struct ns_limit {
	const char *sysctl;
	unsigned long flags;
};

static const struct ns_limit ns_limits[] = {
	{ "user/max_user_namespaces", CLONE_NEWUSER },
	{ "user/max_mnt_namespaces", CLONE_NEWNS },
	{ "user/max_uts_namespaces", CLONE_NEWUTS },
	{ "user/max_ipc_namespaces", CLONE_NEWIPC },
	{ "user/max_pid_namespaces", CLONE_NEWPID },
	{ "user/max_net_namespaces", CLONE_NEWNET },
	{ "user/max_cgroup_namespaces", CLONE_NEWCGROUP },
	{ "user/max_time_namespaces", CLONE_NEWTIME },
};

/* Run @c with one namespace limit at 0, then put it back. */
static bool run_with_limit(struct __test_metadata *_metadata,
			   struct sysctl_store *store, const char *sysctl,
			   const struct unshare_case *c)
{
	if (!sysctl_set(_metadata, store, sysctl, 0))
		return false;
	run_in_child(_metadata, unshare_case_child, c);
	sysctls_restore(store);
	return true;
}

TEST_F(unshare, enospc_namespace_limits)
{
	struct unshare_case c = { .err = ENOSPC };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ns_limits); i++) {
		c.flags = ns_limits[i].flags | CTX_FLAGS;
		c.unprivileged = false;
		if (!run_with_limit(_metadata, &self->sysctls, ns_limits[i].sysctl, &c))
			return;
		/* the new user namespace is dropped with the rest */
		c.flags |= CLONE_NEWUSER;
		c.unprivileged = true;
		run_with_limit(_metadata, &self->sysctls, ns_limits[i].sysctl, &c);
	}
	if (kernel_has_empty_mntns()) {
		c.flags = UNSHARE_EMPTY_MNTNS;
		c.unprivileged = false;
		run_with_limit(_metadata, &self->sysctls, "user/max_mnt_namespaces", &c);
	}
}

/*
 * The same inside a user namespace of our own (no global change): the
 * case set-up maps root, lowers @limit of that namespace and unshares
 * @then. Set before each case.
 */
static const char *limit;
static unsigned long then;

static void own_limit_setup(struct __test_metadata *_metadata,
			    const struct unshare_case *c)
{
	ASSERT_EQ(0, userns_map_root(0, 0));
	ASSERT_EQ(0, sysctl_write(limit, 0));
	if (then)
		ASSERT_EQ(0, sys_unshare(then));
}

static void run_with_own_limit(struct __test_metadata *_metadata,
			       const char *sysctl, unsigned long first,
			       unsigned long flags, int err)
{
	struct unshare_case c = {
		.pre = CLONE_NEWUSER, .setup = own_limit_setup,
		.flags = flags, .err = err,
	};

	limit = sysctl;
	then = first;
	run_in_child(_metadata, unshare_case_child, &c);
}

/* The limits of every user namespace up the chain apply. */
TEST_F(unshare, enospc_limits_of_own_user_namespace)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ns_limits); i++)
		run_with_own_limit(_metadata, ns_limits[i].sysctl, 0,
				   ns_limits[i].flags | CLONE_FILES, ENOSPC);
}

/*
 * create_new_namespaces() makes mnt, uts, ipc, pid, cgroup, net, time in
 * this order. After a first unshare(CLONE_NEWPID), a second one fails
 * with EINVAL, so which error wins shows where pid is in the order.
 */
TEST_F(unshare, namespace_creation_order)
{
	static const struct {
		const char *sysctl;
		unsigned long flags;
		int err;
	} order[] = {
		{ "user/max_mnt_namespaces", CLONE_NEWNS, ENOSPC },
		{ "user/max_uts_namespaces", CLONE_NEWUTS, ENOSPC },
		{ "user/max_ipc_namespaces", CLONE_NEWIPC, ENOSPC },
		{ "user/max_cgroup_namespaces", CLONE_NEWCGROUP, EINVAL },
		{ "user/max_net_namespaces", CLONE_NEWNET, EINVAL },
		{ "user/max_time_namespaces", CLONE_NEWTIME, EINVAL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		run_with_own_limit(_metadata, order[i].sysctl, CLONE_NEWPID,
				   CLONE_NEWPID | order[i].flags, order[i].err);
}

static bool in_initial_userns(void)
{
	char map[128];

	return proc_read("thread-self/uid_map", map, sizeof(map)) > 0 &&
	       strtoul(map, NULL, 10) == 0 &&
	       strstr(map, "4294967295");
}

static void userns_nesting_child(struct __test_metadata *_metadata,
				 const void *arg)
{
	struct ns_ids before, after;
	int level;

	for (level = 0; level <= MAX_USER_NS_PARENT_LEVEL; level++) {
		ASSERT_EQ(0, sys_unshare(CLONE_NEWUSER))
			TH_LOG("creating level %d", level + 1);
		/* the next owner must be mapped here */
		ASSERT_EQ(0, userns_map_root(0, 0));
	}
	ASSERT_EQ(0, ns_ids_read(&before));
	EXPECT_EQ(-ENOSPC, sys_unshare(CLONE_NEWUSER | CLONE_NEWUTS));
	ASSERT_EQ(0, ns_ids_read(&after));
	EXPECT_EQ(0, ns_ids_diff(&before, &after));
	/* other namespaces can still be made at that depth */
	EXPECT_EQ(0, sys_unshare(CLONE_NEWUTS));
}

TEST_F(unshare, enospc_user_namespace_depth)
{
	if (!in_initial_userns())
		SKIP(return, "depth counted from the initial user namespace");
	run_in_child(_metadata, userns_nesting_child, NULL);
}

static int pidns_level(void)
{
	char buf[4096], *p;
	int level = -1;

	if (proc_read("thread-self/status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nNSpid:");
	if (!p)
		return -1;
	/* one pid per level, on one line */
	for (p += 7; *p && *p != '\n'; p++)
		if (*p == '\t')
			level++;
	return level;
}

static void pidns_nesting_child(struct __test_metadata *_metadata,
				const void *arg)
{
	int level = pidns_level();

	ASSERT_LE(0, level);
	if (level == MAX_PID_NS_LEVEL) {
		EXPECT_EQ(-ENOSPC, sys_unshare(CLONE_NEWPID));
		return;
	}
	ASSERT_EQ(0, sys_unshare(CLONE_NEWPID))
		TH_LOG("creating pid namespace level %d", level + 1);
	run_in_child(_metadata, pidns_nesting_child, NULL);
}

TEST_F(unshare, enospc_pid_namespace_depth)
{
	run_in_child(_metadata, pidns_nesting_child, NULL);
}

/* Set by the test, so that the case set-up can lower fs.nr_open. */
static struct sysctl_store *test_sysctls;

/* A descriptor the lowered fs.nr_open leaves no room to copy. */
static void high_fd_setup(struct __test_metadata *_metadata,
			  const struct unshare_case *c)
{
	struct rlimit rl = { HIGH_FD + 1, HIGH_FD + 1 };

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(HIGH_FD, dup2(proc_dirfd(), HIGH_FD));
	ASSERT_TRUE(sysctl_set(_metadata, test_sysctls, "fs/nr_open",
			       LOW_NR_OPEN));
	rl.rlim_cur = LOW_NR_OPEN;
	rl.rlim_max = LOW_NR_OPEN;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
}

/* Without anyone sharing the table there is nothing to copy. */
static void unshared_high_fd_child(struct __test_metadata *_metadata,
				   const void *arg)
{
	high_fd_setup(_metadata, arg);
	EXPECT_EQ(0, sys_unshare(CLONE_FILES));
	EXPECT_EQ(0, fcntl(HIGH_FD, F_GETFD));
	/* but fork() has to copy it */
	EXPECT_EQ(-EMFILE, fork_error());
}

TEST_F(unshare, emfile_fd_table_copy)
{
	static const struct unshare_case cases[] = {
		{ .flags = CLONE_FILES, .err = EMFILE,
		  .setup = high_fd_setup },
		{ .flags = CTX_FLAGS | CLONE_NEWNS | CLONE_NEWUTS,
		  .err = EMFILE, .setup = high_fd_setup },
		/* the flag checks come first */
		{ .flags = CLONE_FILES | CLONE_THREAD, .err = EINVAL,
		  .threaded = true, .setup = high_fd_setup },
		/* the copy comes before the capability check ... */
		{ .flags = CLONE_FILES | CLONE_NEWNET, .err = EMFILE,
		  .unprivileged = true, .setup = high_fd_setup },
		/* ... and before the user namespace is made */
		{ .flags = CLONE_FILES | CLONE_NEWUSER, .err = EMFILE,
		  .chroot = JAIL, .setup = high_fd_setup },
	};

	long nr_open;
	size_t i;

	/* can we change fs.nr_open at all? */
	if (sysctl_read("fs/nr_open", &nr_open))
		SKIP(return, "no sysctl fs/nr_open (CONFIG_PROC_SYSCTL?)");
	if (!sysctl_set(_metadata, &self->sysctls, "fs/nr_open", nr_open))
		return;
	test_sysctls = &self->sysctls;
	/* restored after each case: the next one needs the old limit */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		run_in_child(_metadata, unshare_case_child, &cases[i]);
		sysctls_restore(&self->sysctls);
	}
	run_in_child(_metadata, unshared_high_fd_child, NULL);
	sysctls_restore(&self->sysctls);
}

static void map_root_setup(struct __test_metadata *_metadata,
			   const struct unshare_case *c)
{
	ASSERT_EQ(0, userns_map_root(0, 0));
}

/* Debian: kernel.unprivileged_userns_clone = 0 wants CAP_SYS_ADMIN. */
TEST_F(unshare, unprivileged_userns_clone_sysctl)
{
	static const struct unshare_case disabled[] = {
		{ .flags = CLONE_NEWUSER, .err = EPERM, .unprivileged = true },
		/* checked before check_unshare_flags() */
		{ .flags = CLONE_NEWUSER | BAD_BIT, .err = EPERM,
		  .unprivileged = true },
		{ .flags = CLONE_NEWUSER, .err = EPERM, .unprivileged = true,
		  .threaded = true },
		{ .flags = CLONE_NEWUSER | CLONE_NEWNET, .err = EPERM,
		  .unprivileged = true },
		/* flags without CLONE_NEWUSER are not affected */
		{ .flags = CLONE_NEWNET | BAD_BIT, .err = EINVAL,
		  .unprivileged = true },
		{ .flags = CLONE_NEWNET, .err = EPERM, .unprivileged = true },
		/* CAP_SYS_ADMIN in the initial namespace is still enough */
		{ .flags = CLONE_NEWUSER },
		{ .flags = CLONE_NEWUSER | CLONE_NEWNET },
		{ .flags = CLONE_NEWUSER | BAD_BIT, .err = EINVAL },
		{ .flags = CLONE_NEWUSER, .err = EINVAL, .threaded = true },
		/* capabilities in a user namespace are not */
		{ .pre = CLONE_NEWUSER, .setup = map_root_setup,
		  .flags = CLONE_NEWUSER, .err = EPERM },
	};
	static const struct unshare_case enabled[] = {
		{ .flags = CLONE_NEWUSER, .unprivileged = true },
		{ .pre = CLONE_NEWUSER, .setup = map_root_setup,
		  .flags = CLONE_NEWUSER },
	};
	long val;

	if (sysctl_read("kernel/unprivileged_userns_clone", &val) == -ENOENT)
		SKIP(return, "no kernel.unprivileged_userns_clone (Debian only)");
	if (!sysctl_set(_metadata, &self->sysctls,
			"kernel/unprivileged_userns_clone", 0))
		return;
	run_cases(_metadata, disabled, ARRAY_SIZE(disabled));
	ASSERT_EQ(0, sysctl_write("kernel/unprivileged_userns_clone", 1));
	run_cases(_metadata, enabled, ARRAY_SIZE(enabled));
	sysctls_restore(&self->sysctls);
}

TEST_HARNESS_MAIN
