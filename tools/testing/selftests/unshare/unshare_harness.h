/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture and the harness-aware checks shared by the unshare(2)
 * selftests. Every test runs in a task of its own (the harness forks one),
 * which first moves into private mount, IPC and UTS namespaces with a
 * tmpfs on /tmp, so that nothing a test does is seen by the host. Each
 * unshare() under test is made in a further child, so the state before
 * the call can be compared with the state after it.
 */
#ifndef __UNSHARE_HARNESS_H
#define __UNSHARE_HARNESS_H

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "unshare_util.h"

#define TEST_ROOT	"/tmp"
#define WORKDIR		TEST_ROOT "/unshare_test"
#define JAIL		WORKDIR "/jail"
#define MAX_SAVED	16

struct saved_sysctl {
	char name[64];
	long val;
	bool is_str;
	char str[128];	/* the value of a string sysctl (is_str) */
};

/* Original values of the sysctls a test changed. */
struct sysctl_store {
	int nr_saved;
	struct saved_sysctl saved[MAX_SAVED];
};

FIXTURE(unshare) {
	/* shared with the parent, which restores the sysctls */
	struct sysctl_store sysctls;
};

static inline void sysctls_restore(struct sysctl_store *store)
{
	while (store->nr_saved > 0) {
		struct saved_sysctl *s = &store->saved[--store->nr_saved];

		if (s->is_str ? sysctl_write_str(s->name, s->str) :
		    sysctl_write(s->name, s->val))
			fprintf(stderr, "# cannot restore sysctl %s\n", s->name);
	}
}

FIXTURE_SETUP(unshare)
{
	if (geteuid())
		SKIP(return, "unshare tests must run as root");
	ASSERT_EQ(0, unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	if (mkdir(TEST_ROOT, 01777))
		ASSERT_EQ(EEXIST, errno);
	ASSERT_EQ(0, mount("unshare_test", TEST_ROOT, "tmpfs", 0, "mode=0755"));
	ASSERT_EQ(0, util_init(WORKDIR));
}

FIXTURE_TEARDOWN_PARENT(unshare)
{
	sysctls_restore(&self->sysctls);
}

/*
 * Set /proc/sys/@name to @str if not NULL, else to @val, remembering the
 * first original value.
 */
static inline int __sysctl_try_set(struct sysctl_store *store,
				   const char *name, long val, const char *str)
{
	struct saved_sysctl old = { .is_str = !!str };
	int i, ret;

	if (store->nr_saved >= MAX_SAVED)
		return -ENOSPC;
	ret = str ? sysctl_read_str(name, old.str, sizeof(old.str)) :
		    sysctl_read(name, &old.val);
	if (!ret)
		ret = str ? sysctl_write_str(name, str) : sysctl_write(name, val);
	if (ret)
		return ret;
	for (i = 0; i < store->nr_saved; i++)
		if (!strcmp(store->saved[i].name, name))
			return 0;
	snprintf(old.name, sizeof(old.name), "%s", name);
	store->saved[store->nr_saved++] = old;
	return 0;
}

static inline int sysctl_try_set(struct sysctl_store *store, const char *name,
				 long val)
{
	return __sysctl_try_set(store, name, val, NULL);
}

static inline bool __sysctl_set(struct __test_metadata *_metadata,
				struct sysctl_store *store, const char *name,
				long val, const char *str)
{
	int ret = __sysctl_try_set(store, name, val, str);

	if (ret == -ENOENT)
		SKIP(return false, "no sysctl %s (CONFIG_PROC_SYSCTL?)", name);
	if (ret == -EACCES || ret == -EPERM)
		SKIP(return false, "cannot write sysctl %s: %s", name,
		     strerror(-ret));
	ASSERT_EQ(0, ret);
	return true;
}

/*
 * Set /proc/sys/@name to @val until sysctls_restore() or the end of the
 * test. Returns false (test skipped) when the sysctl cannot be changed.
 */
static inline bool sysctl_set(struct __test_metadata *_metadata,
			      struct sysctl_store *store,
			      const char *name, long val)
{
	return __sysctl_set(_metadata, store, name, val, NULL);
}

/* sysctl_set() of a string sysctl */
static inline bool sysctl_set_str(struct __test_metadata *_metadata,
				  struct sysctl_store *store,
				  const char *name, const char *str)
{
	return __sysctl_set(_metadata, store, name, 0, str);
}

/* Open @g once @nr tasks wait at it. */
static inline void gate_open(struct __test_metadata *_metadata,
			     struct gate *g, uint32_t nr)
{
	int ms;

	for (ms = 0; LOAD(g->ready) < nr; ms++) {
		ASSERT_GT(GATE_WAIT_MS, ms);
		usleep(1000);
	}
	STORE(g->go, 1);
	futex_wake(&g->go, INT_MAX);
}

/*
 * Run @fn in a child; a failing child fails the test, but the caller goes
 * on with its next case.
 */
static inline void run_in_child(struct __test_metadata *_metadata,
				void (*fn)(struct __test_metadata *_metadata,
					   const void *arg),
				const void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fn(_metadata, arg);
		_exit(0);
	}
	EXPECT_EQ(0, wait_status(pid));
}

/*
 * One unshare() call and its expected outcome. On success the effect must
 * be exactly what the flags ask for; on failure nothing may change.
 */
struct unshare_case {
	unsigned long flags;
	int err;
	bool unprivileged;	/* as uid/gid 65534 without capabilities */
	bool threaded;		/* with a second thread in the process */
	const char *chroot;	/* chroot() here first */
	unsigned long pre;	/* unshare() these first */
	/* more set-up, as root, right before dropping privileges */
	void (*setup)(struct __test_metadata *_metadata,
		      const struct unshare_case *c);
};

static inline void check_creds(struct __test_metadata *_metadata,
			       const struct cred_snap *before,
			       const struct cred_snap *after,
			       unsigned long done)
{
	uint64_t full = full_cap_mask();
	int i;

	if (!(done & CLONE_NEWUSER)) {
		EXPECT_EQ(0, memcmp(before, after, sizeof(*before)));
		return;
	}
	/* nothing is mapped yet: we are the overflow ids, with all caps */
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(NOBODY_ID, after->uid[i]);
		EXPECT_EQ(NOBODY_ID, after->gid[i]);
	}
	EXPECT_EQ(0, after->caps[0]);
	EXPECT_EQ(full, after->caps[1]);
	EXPECT_EQ(full, after->caps[2]);
	EXPECT_EQ(full, after->caps[3]);
	EXPECT_EQ(0, after->caps[4]);
}

static inline void check_root_cwd(struct __test_metadata *_metadata,
				  const struct fs_snap *before,
				  const struct fs_snap *after,
				  unsigned long done)
{
	struct statfs sfs;

	EXPECT_EQ(before->umask, after->umask);
	if (!(done & UNSHARE_EMPTY_MNTNS)) {
		EXPECT_EQ(before->root_dev, after->root_dev);
		EXPECT_EQ(before->root_ino, after->root_ino);
		EXPECT_EQ(before->cwd_dev, after->cwd_dev);
		EXPECT_EQ(before->cwd_ino, after->cwd_ino);
		return;
	}
	/* root and cwd both reset to the one mount: a copy of the ns root */
	EXPECT_EQ(after->root_dev, after->cwd_dev);
	EXPECT_EQ(after->root_ino, after->cwd_ino);
	EXPECT_NE(before->root_dev, after->root_dev);
	ASSERT_EQ(0, statfs("/", &sfs));
	EXPECT_EQ(NULL_FS_MAGIC, sfs.f_type);
	EXPECT_EQ(1, mountinfo_lines(NULL, 0));
}

/* Compare a snapshot and the sharing with @sib against what @done does. */
static inline void check_effects(struct __test_metadata *_metadata,
				 const struct task_snap *before,
				 const struct task_snap *after,
				 unsigned long done, struct sibling *sib,
				 int semid)
{
	unsigned int want = ns_expected_diff(done);
	unsigned int diff = ns_ids_diff(&before->ns, &after->ns);
	int fs_shared = done & FS_SPLIT_FLAGS ? 0 : SHARED_BOTH;
	int files_shared = done & CLONE_FILES ? 0 : SHARED_BOTH;
	char a[128], b[128];

	EXPECT_EQ(want, diff)
		TH_LOG("new namespaces: {%s}, expected {%s}",
		       ns_mask_names(diff, a, sizeof(a)),
		       ns_mask_names(want, b, sizeof(b)));
	check_creds(_metadata, &before->cred, &after->cred, done);
	check_root_cwd(_metadata, &before->fs, &after->fs, done);
	EXPECT_EQ(fs_shared, fs_sharing(sib));
	EXPECT_EQ(fs_shared, umask_sharing(sib));
	EXPECT_EQ(files_shared, files_sharing(sib));
	/* the undo adjustment is applied exactly when the list is detached */
	EXPECT_EQ(done & SEM_SPLIT_FLAGS ? 0 : 1,
		  sibling_call(sib, SIB_SEM_GETVAL, semid, 0));
}

static inline void unshare_case_child(struct __test_metadata *_metadata,
				      const void *arg)
{
	const struct unshare_case *c = arg;
	unsigned long done = c->err ? 0 : c->flags;
	struct task_snap before, after;
	int was = _metadata->exit_code;
	struct sibling sib;
	struct holder th;
	int semid;
	long ret;

	/* to tell whether this case failed; put back at the end */
	_metadata->exit_code = KSFT_PASS;

	if (c->chroot) {
		if (mkdir(c->chroot, 0755))
			ASSERT_EQ(EEXIST, errno);
		ASSERT_EQ(0, chdir(c->chroot) || chroot("."));
	}
	if (c->pre)
		ASSERT_EQ(0, sys_unshare(c->pre));
	semid = sem_create(0);
	ASSERT_LE(0, semid);
	ASSERT_EQ(0, sem_adjust(semid, 1, true));
	/* shares fs and files, but not the undo list, with us */
	ASSERT_EQ(0, sibling_start(&sib, CLONE_FS | CLONE_FILES));
	if (c->setup)
		c->setup(_metadata, c);
	if (c->unprivileged)
		ASSERT_EQ(0, drop_privileges());
	if (c->threaded)
		ASSERT_EQ(0, thread_hold(&th));
	ASSERT_EQ(0, task_snap_read(&before));
	ret = sys_unshare(c->flags);
	ASSERT_EQ(0, task_snap_read(&after));
	if (c->threaded)
		ASSERT_EQ(0, holder_release(&th));
	EXPECT_EQ(-c->err, ret);
	check_effects(_metadata, &before, &after, done, &sib, semid);
	EXPECT_EQ(0, sibling_stop(&sib));
	if (_metadata->exit_code != KSFT_PASS)
		TH_LOG("failed: unshare(%#lx) expecting %s%s%s%s%s", c->flags,
		       c->err ? strerror(c->err) : "success",
		       c->unprivileged ? ", unprivileged" : "",
		       c->threaded ? ", multithreaded" : "",
		       c->chroot ? ", chrooted" : "",
		       c->pre ? ", after a first unshare" : "");
	else
		_metadata->exit_code = was;
}

static inline void run_cases(struct __test_metadata *_metadata,
			     const struct unshare_case *cases, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		run_in_child(_metadata, unshare_case_child, &cases[i]);
}

/* UNSHARE_EMPTY_MNTNS cases are pinned for 7.3+; skip them before. */
static inline bool empty_mntns_or_skip(struct __test_metadata *_metadata)
{
	if (!kernel_has_empty_mntns())
		SKIP(return false, "UNSHARE_EMPTY_MNTNS is pinned for 7.3+");
	return true;
}

/* Whether there is kernel.unshare_vm (CONFIG_UNSHARE_RUST_VM=y). */
static inline bool unshare_vm_exists(void)
{
	long val;

	return sysctl_read(UNSHARE_VM_SYSCTL, &val) != -ENOENT;
}

/* kernel.unshare_vm exists, or the test is skipped. */
static inline bool unshare_vm_sysctl_or_skip(struct __test_metadata *_metadata)
{
	if (!unshare_vm_exists())
		SKIP(return false, "no kernel.unshare_vm (CONFIG_UNSHARE_RUST_VM=n)");
	return true;
}

/*
 * A case of unshare_vm_test and unshare_sighand_test: unshare(@flags) next to
 * a holder made by clone(@clone_flags), with kernel.unshare_vm at @sysctl.
 */
struct shared_vm_case {
	long sysctl;			/* kernel.unshare_vm */
	unsigned long clone_flags;	/* of the holder; 0: none */
	bool threaded;			/* a thread of ours too */
	unsigned long flags;		/* unshare()d */
	int err;			/* the C answer, and at sysctl 0 */
	bool copies;			/* Rust at sysctl 1: 0, a copy */
};

/* Run @fn for each case in a child, with the case's kernel.unshare_vm. */
static inline void run_shared_vm_cases(struct __test_metadata *_metadata,
				       struct sysctl_store *store,
				       const struct shared_vm_case *cases,
				       size_t nr,
				       void (*fn)(struct __test_metadata *_metadata,
						  const void *arg))
{
	size_t i;

	if (!unshare_vm_sysctl_or_skip(_metadata))
		return;
	for (i = 0; i < nr; i++) {
		if (!sysctl_set(_metadata, store, UNSHARE_VM_SYSCTL,
				cases[i].sysctl))
			return;
		run_in_child(_metadata, fn, &cases[i]);
	}
}

/* Whether a change of our signal handlers is seen by @pid (shared table). */
static inline bool handlers_shared_with(struct __test_metadata *_metadata,
					pid_t pid)
{
	uint64_t before = sig_mask(pid, "SigIgn");
	bool shared;

	EXPECT_EQ(0, before & SIG_BIT(SIGURG));
	EXPECT_EQ(0, set_action(SIGURG, SIG_IGN));
	EXPECT_NE(0, sig_mask(getpid(), "SigIgn") & SIG_BIT(SIGURG));
	shared = sig_mask(pid, "SigIgn") & SIG_BIT(SIGURG);
	EXPECT_EQ(0, set_action(SIGURG, SIG_DFL));
	return shared;
}

#endif /* __UNSHARE_HARNESS_H */
