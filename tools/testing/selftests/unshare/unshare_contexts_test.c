// SPDX-License-Identifier: GPL-2.0
/*
 * unshare(2): the effect of each context alone and in combinations
 * (Documentation/userspace-api/unshare.rst, section 8, item 3).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/securebits.h>
#include <mqueue.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>

#include "unshare_harness.h"

/* older uapi headers lack the exec bits */
#ifndef SECBIT_EXEC_RESTRICT_FILE
#define SECBIT_EXEC_RESTRICT_FILE	(1 << 8)
#endif
#ifndef SECBIT_EXEC_RESTRICT_FILE_LOCKED
#define SECBIT_EXEC_RESTRICT_FILE_LOCKED (1 << 9)
#endif

#define TIME_OFFSET	1000

static void expect_ns_diff(struct __test_metadata *_metadata,
			   const struct ns_ids *before, unsigned int diff)
{
	struct ns_ids now;

	ASSERT_EQ(0, ns_ids_read(&now));
	EXPECT_EQ(diff, ns_ids_diff(before, &now));
}

/* unshare(@flags) must succeed and change exactly its namespace links. */
static void unshare_ok(struct __test_metadata *_metadata, unsigned long flags)
{
	struct ns_ids before;

	ASSERT_EQ(0, ns_ids_read(&before));
	ASSERT_EQ(0, sys_unshare(flags))
		TH_LOG("unshare(%#lx)", flags);
	expect_ns_diff(_metadata, &before, ns_expected_diff(flags));
}

static void fs_child(struct __test_metadata *_metadata, const void *arg)
{
	struct sibling sib;

	ASSERT_EQ(0, sibling_start(&sib, CLONE_FS));
	ASSERT_EQ(SHARED_BOTH, fs_sharing(&sib));
	ASSERT_EQ(SHARED_BOTH, umask_sharing(&sib));
	ASSERT_EQ(SHARED_BOTH, root_sharing(&sib));
	unshare_ok(_metadata, CLONE_FS);
	EXPECT_EQ(0, fs_sharing(&sib));
	EXPECT_EQ(0, umask_sharing(&sib));
	EXPECT_EQ(0, root_sharing(&sib));
	/* not shared any more: nothing to do */
	unshare_ok(_metadata, CLONE_FS);
	EXPECT_EQ(0, sibling_stop(&sib));
}

TEST_F(unshare, fs_cwd_root_umask_private)
{
	run_in_child(_metadata, fs_child, NULL);
}

static void files_child(struct __test_metadata *_metadata, const void *arg)
{
	struct stat st_plain, st_now;
	int plain, cloexec;
	struct sibling sib;

	plain = open(WORKDIR "/file", O_RDWR | O_CREAT, 0644);
	ASSERT_LE(0, plain);
	ASSERT_EQ(16, write(plain, "0123456789abcdef", 16));
	cloexec = dup3(plain, 100, O_CLOEXEC);
	ASSERT_EQ(100, cloexec);
	ASSERT_EQ(0, fstat(plain, &st_plain));
	ASSERT_EQ(0, sibling_start(&sib, CLONE_FILES));
	ASSERT_EQ(SHARED_BOTH, files_sharing(&sib));

	unshare_ok(_metadata, CLONE_FILES);
	EXPECT_EQ(0, files_sharing(&sib));
	/* our descriptors survive, with their close-on-exec flags */
	ASSERT_EQ(0, fstat(plain, &st_now));
	EXPECT_EQ(st_plain.st_ino, st_now.st_ino);
	EXPECT_EQ(0, fcntl(plain, F_GETFD));
	EXPECT_EQ(FD_CLOEXEC, fcntl(cloexec, F_GETFD));
	/* ... and still name the same open file (one shared offset) */
	EXPECT_EQ(5, sibling_call(&sib, SIB_LSEEK, plain, 5));
	EXPECT_EQ(5, lseek(plain, 0, SEEK_CUR));
	/* closing on one side leaves the other one alone */
	EXPECT_EQ(0, sibling_call(&sib, SIB_CLOSE, plain, 0));
	EXPECT_EQ(0, fcntl(plain, F_GETFD));
	EXPECT_EQ(0, close(cloexec));
	EXPECT_EQ((long)st_plain.st_ino,
		  sibling_call(&sib, SIB_FD_INO, cloexec, 0));
	/* not shared any more: no copy */
	unshare_ok(_metadata, CLONE_FILES);
	EXPECT_EQ(0, fcntl(plain, F_GETFD));
	EXPECT_EQ(0, sibling_stop(&sib));
}

TEST_F(unshare, files_table_private)
{
	run_in_child(_metadata, files_child, NULL);
}

static void sysvsem_private_child(struct __test_metadata *_metadata,
				  const void *arg)
{
	int a = sem_create(0), b = sem_create(5);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, sem_adjust(a, 1, true));
	ASSERT_EQ(0, sem_adjust(b, -2, true));
	ASSERT_EQ(0, sem_adjust(b, 4, false));
	/* the undo list is ours alone: applied right at the unshare */
	unshare_ok(_metadata, CLONE_SYSVSEM);
	EXPECT_EQ(0, sem_getval(a));
	EXPECT_EQ(9, sem_getval(b));
	/* a new list starts with the next SEM_UNDO operation */
	ASSERT_EQ(0, sem_adjust(a, 3, true));
	unshare_ok(_metadata, CLONE_SYSVSEM);
	EXPECT_EQ(0, sem_getval(a));
	/* nothing left to undo */
	unshare_ok(_metadata, CLONE_SYSVSEM);
	EXPECT_EQ(9, sem_getval(b));
}

TEST_F(unshare, sysvsem_undo_applied)
{
	run_in_child(_metadata, sysvsem_private_child, NULL);
}

static void sysvsem_shared_child(struct __test_metadata *_metadata,
				 const void *arg)
{
	int semid = sem_create(0);
	struct sibling sib;

	ASSERT_LE(0, semid);
	ASSERT_EQ(0, sem_adjust(semid, 1, true));
	/* the sibling shares our undo list: its adjustments join ours */
	ASSERT_EQ(0, sibling_start(&sib, CLONE_SYSVSEM));
	ASSERT_EQ(0, sibling_call(&sib, SIB_SEMOP_UNDO, semid, 1));
	ASSERT_EQ(2, sem_getval(semid));
	/* we only drop our reference: nothing is undone yet */
	unshare_ok(_metadata, CLONE_SYSVSEM);
	EXPECT_EQ(2, sem_getval(semid));
	/* from now on our adjustments are kept apart */
	ASSERT_EQ(0, sem_adjust(semid, 1, true));
	EXPECT_EQ(3, sem_getval(semid));
	/* the last user of the shared list applies both of its entries */
	EXPECT_EQ(0, sibling_stop(&sib));
	EXPECT_EQ(1, sem_getval(semid));
	unshare_ok(_metadata, CLONE_SYSVSEM);
	EXPECT_EQ(0, sem_getval(semid));
}

TEST_F(unshare, sysvsem_shared_undo_list)
{
	run_in_child(_metadata, sysvsem_shared_child, NULL);
}

/* Is there a mount on @path in the mount table of task @pid? */
static bool has_mount(pid_t pid, const char *path)
{
	char rel[64], needle[PATH_MAX], *buf;
	bool found;
	int ret;

	buf = malloc(1 << 20);
	if (!buf)
		return false;
	snprintf(rel, sizeof(rel), "%d/mountinfo", pid);
	snprintf(needle, sizeof(needle), " %s ", path);
	ret = proc_read(rel, buf, 1 << 20);
	found = ret > 0 && strstr(buf, needle);
	free(buf);
	return found;
}

static void make_mount(struct __test_metadata *_metadata, const char *path,
		       unsigned long propagation)
{
	if (mkdir(path, 0755))
		ASSERT_EQ(EEXIST, errno);
	ASSERT_EQ(0, mount("unshare_test", path, "tmpfs", 0, NULL));
	if (propagation)
		ASSERT_EQ(0, mount(NULL, path, NULL, propagation, NULL));
}

static void newns_child(struct __test_metadata *_metadata, const void *arg)
{
	pid_t parent = getppid();

	make_mount(_metadata, WORKDIR "/shared", MS_SHARED);
	make_mount(_metadata, WORKDIR "/private", MS_PRIVATE);
	ASSERT_EQ(0, mkdir(WORKDIR "/shared/sub", 0755));
	ASSERT_EQ(0, mkdir(WORKDIR "/private/sub", 0755));
	unshare_ok(_metadata, CLONE_NEWNS);
	/* the mount table is a copy, propagation settings included */
	EXPECT_TRUE(has_mount(getpid(), WORKDIR "/shared"));
	make_mount(_metadata, WORKDIR "/private/sub", 0);
	make_mount(_metadata, WORKDIR "/shared/sub", 0);
	EXPECT_TRUE(has_mount(getpid(), WORKDIR "/private/sub"));
	EXPECT_FALSE(has_mount(parent, WORKDIR "/private/sub"));
	/* a peer of a shared mount still propagates back */
	EXPECT_TRUE(has_mount(parent, WORKDIR "/shared/sub"));
	/* and a second unshare gives yet another copy */
	unshare_ok(_metadata, CLONE_NEWNS);
	EXPECT_TRUE(has_mount(getpid(), WORKDIR "/private/sub"));
}

TEST_F(unshare, newns_mounts_private)
{
	run_in_child(_metadata, newns_child, NULL);
}

static void newuts_child(struct __test_metadata *_metadata, const void *arg)
{
	const char *name = arg;
	struct utsname before, after;

	ASSERT_EQ(0, uname(&before));
	unshare_ok(_metadata, CLONE_NEWUTS);
	/* the new namespace starts as a copy */
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);
	EXPECT_STREQ(before.domainname, after.domainname);
	ASSERT_EQ(0, sethostname(name, strlen(name)));
	ASSERT_EQ(0, setdomainname(name, strlen(name)));
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(name, after.nodename);
	EXPECT_STREQ(name, after.domainname);
}

TEST_F(unshare, newuts_hostname_private)
{
	static const char name[] = "unshare-child";
	struct utsname before, after;

	ASSERT_EQ(0, sethostname("unshare-parent", 14));
	ASSERT_EQ(0, uname(&before));
	run_in_child(_metadata, newuts_child, name);
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);
	EXPECT_STREQ(before.domainname, after.domainname);
}

#define IPC_KEY		0x756e7368
#define MQ_NAME		"/unshare_test"

struct ipc_objs {
	int shm_attached, shm_free, sem, msg;
	char *map;
};

static void ipc_objs_create(struct __test_metadata *_metadata,
			    struct ipc_objs *o)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	mqd_t mq;

	o->shm_attached = shmget(IPC_KEY, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, o->shm_attached);
	o->map = shmat(o->shm_attached, NULL, 0);
	ASSERT_NE((void *)-1, o->map);
	o->map[0] = 'x';
	o->shm_free = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, o->shm_free);
	o->sem = sem_create(0);
	ASSERT_LE(0, o->sem);
	ASSERT_EQ(0, sem_adjust(o->sem, 1, true));
	o->msg = msgget(IPC_KEY, IPC_CREAT | 0600);
	ASSERT_LE(0, o->msg);
	mq = mq_open(MQ_NAME, O_CREAT | O_RDWR, 0600, &attr);
	ASSERT_LE(0, mq);
	ASSERT_EQ(0, mq_close(mq));
}

/* None of the objects of the old namespace can be reached by id or key. */
static void ipc_objs_unreachable(struct __test_metadata *_metadata,
				 const struct ipc_objs *o)
{
	struct shmid_ds shm;
	struct msqid_ds msq;

	EXPECT_EQ(-1, shmctl(o->shm_attached, IPC_STAT, &shm));
	EXPECT_EQ(-1, shmctl(o->shm_free, IPC_STAT, &shm));
	EXPECT_EQ(-1, shmget(IPC_KEY, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-EINVAL, sem_getval(o->sem));
	EXPECT_EQ(-1, msgctl(o->msg, IPC_STAT, &msq));
	EXPECT_EQ(-1, msgget(IPC_KEY, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ((mqd_t)-1, mq_open(MQ_NAME, O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
}

static void newipc_child(struct __test_metadata *_metadata, const void *arg)
{
	bool rmid_forced = !sysctl_write("kernel/shm_rmid_forced", 1);
	struct ipc_objs o;
	struct sibling sib;
	int sem;

	ipc_objs_create(_metadata, &o);
	/* stays in the old namespace to look at it afterwards */
	ASSERT_EQ(0, sibling_start(&sib, 0));
	unshare_ok(_metadata, CLONE_NEWIPC);
	ipc_objs_unreachable(_metadata, &o);
	/* an attached segment stays mapped */
	EXPECT_EQ('x', o.map[0]);
	o.map[1] = 'y';
	/* the undo list was detached: the adjustment was applied */
	EXPECT_EQ(0, sibling_call(&sib, SIB_SEM_GETVAL, o.sem, 0));
	/* our segments were orphaned; forced removal destroyed the idle one */
	EXPECT_EQ(0, sibling_call(&sib, SIB_SHM_STAT, o.shm_attached, 0));
	if (rmid_forced) {
		EXPECT_EQ(-EINVAL, sibling_call(&sib, SIB_SHM_STAT,
						o.shm_free, 0));
	} else {
		TH_LOG("no kernel.shm_rmid_forced: orphan removal not checked");
	}
	/* objects created now are invisible to the old namespace */
	sem = sem_create(7);
	ASSERT_LE(0, sem);
	EXPECT_NE(7, sibling_call(&sib, SIB_SEM_GETVAL, sem, 0));
	EXPECT_EQ(0, sibling_stop(&sib));
}

TEST_F(unshare, newipc_objects_unreachable)
{
	run_in_child(_metadata, newipc_child, NULL);
}

/* SIOCGIFFLAGS or SIOCSIFFLAGS on lo; returns the flags or -errno. */
static int lo_ioctl(unsigned long cmd, short flags)
{
	struct ifreq ifr = { .ifr_name = "lo", .ifr_flags = flags };
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, &ifr) ? -errno : ifr.ifr_flags;
	close(fd);
	return ret;
}

static int bind_abstract(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(sun.sun_path + 1, name, strlen(name));
	if (bind(fd, (struct sockaddr *)&sun,
		 offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Per-netns fallback tunnels, made unless fb_tunnels_only_for_init_net. */
static bool fallback_tunnel(const char *name)
{
	static const char * const names[] = {
		"tunl0", "gre0", "gretap0", "erspan0", "ip_vti0", "sit0",
		"ip6tnl0", "ip6gre0", "ip6gretap0", "ip6erspan0", "ip6_vti0",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* Names of the devices in /proc/net/dev other than lo, or -1. */
static int other_netdevs(bool tunnels_ok)
{
	char buf[4096], *line, *save, *colon;
	int others = 0;

	if (proc_read("thread-self/net/dev", buf, sizeof(buf)) < 0)
		return -1;
	/* two lines of header */
	line = strtok_r(buf, "\n", &save);
	line = line ? strtok_r(NULL, "\n", &save) : NULL;
	while (line && (line = strtok_r(NULL, "\n", &save))) {
		colon = strchr(line, ':');
		if (!colon)
			return -1;
		*colon = '\0';
		line += strspn(line, " ");
		if (strcmp(line, "lo") && !(tunnels_ok && fallback_tunnel(line)))
			others++;
	}
	return others;
}

static void newnet_child(struct __test_metadata *_metadata, const void *arg)
{
	const bool *tunnels_ok = arg;
	struct if_nameindex *ifs;
	int old, i;

	/* an outer namespace of our own, with lo up and a bound socket */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_LE(0, lo_ioctl(SIOCSIFFLAGS, IFF_UP));
	old = bind_abstract("unshare_test");
	ASSERT_LE(0, old);
	ASSERT_EQ(-EADDRINUSE, bind_abstract("unshare_test"));

	unshare_ok(_metadata, CLONE_NEWNET);
	ifs = if_nameindex();
	ASSERT_NE(NULL, ifs);
	EXPECT_STREQ("lo", ifs[0].if_name);
	EXPECT_EQ(1, ifs[0].if_index);
	for (i = 1; ifs[i].if_index; i++)
		EXPECT_TRUE(*tunnels_ok && fallback_tunnel(ifs[i].if_name))
			TH_LOG("unexpected device %s", ifs[i].if_name);
	if_freenameindex(ifs);
	EXPECT_EQ(0, other_netdevs(*tunnels_ok));
	EXPECT_EQ(0, lo_ioctl(SIOCGIFFLAGS, 0) & IFF_UP);
	/* abstract socket names are per namespace */
	EXPECT_LE(0, bind_abstract("unshare_test"));
}

TEST_F(unshare, newnet_only_loopback)
{
	/* no fallback tunnel devices, so that lo must be alone */
	bool tunnels_ok = sysctl_try_set(&self->sysctls,
			"net/core/fb_tunnels_only_for_init_net", 1) != 0;

	if (tunnels_ok)
		TH_LOG("fallback tunnels (sit0...) may exist besides lo");
	run_in_child(_metadata, newnet_child, &tunnels_ok);
	sysctls_restore(&self->sysctls);
}

static void pid1_child(struct __test_metadata *_metadata, const void *arg)
{
	const struct ns_ids *parent = arg;
	struct ns_ids me;

	EXPECT_EQ(1, getpid());
	EXPECT_EQ(0, getppid());
	ASSERT_EQ(0, ns_ids_read(&me));
	/* pre-7.3 kernels hide pid_for_children until its init exists */
	if (parent->ino[NS_PID_CHILD])
		EXPECT_EQ(parent->ino[NS_PID_CHILD], me.ino[NS_PID]);
	EXPECT_EQ(me.ino[NS_PID], me.ino[NS_PID_CHILD]);
	EXPECT_EQ(0, ns_ids_diff(parent, &me) &
		  ~(NS_BIT(NS_PID) | NS_BIT(NS_PID_CHILD)));
}

static void newpid_child(struct __test_metadata *_metadata, const void *arg)
{
	pid_t me = getpid();
	struct ns_ids after;

	unshare_ok(_metadata, CLONE_NEWPID);
	EXPECT_EQ(me, getpid());
	ASSERT_EQ(0, ns_ids_read(&after));
	if (kernel_at_least(7, 3))
		EXPECT_NE(0, after.ino[NS_PID_CHILD]);
	/* pid_for_children is no longer our active namespace */
	EXPECT_EQ(-EINVAL, sys_unshare(CLONE_NEWPID));
	EXPECT_EQ(-EINVAL, sys_unshare(CLONE_NEWPID | CLONE_NEWUTS));
	expect_ns_diff(_metadata, &after, 0);
	run_in_child(_metadata, pid1_child, &after);
	/* the namespace died with its init: no more children in it */
	EXPECT_EQ(-ENOMEM, fork_error());
	EXPECT_EQ(-EINVAL, sys_unshare(CLONE_NEWPID));
}

TEST_F(unshare, newpid_first_child_is_init)
{
	run_in_child(_metadata, newpid_child, NULL);
}

static double clock_sec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct clocks {
	struct ns_ids ns;
	double mono, boot, real;
};

static void timens_child(struct __test_metadata *_metadata, const void *arg)
{
	const struct clocks *parent = arg;
	struct ns_ids me;

	ASSERT_EQ(0, ns_ids_read(&me));
	EXPECT_EQ(parent->ns.ino[NS_TIME_CHILD], me.ino[NS_TIME]);
	EXPECT_EQ(me.ino[NS_TIME], me.ino[NS_TIME_CHILD]);
	/* a few seconds of slack for a slow (emulated) machine */
	EXPECT_LT(TIME_OFFSET - 1, clock_sec(CLOCK_MONOTONIC) - parent->mono);
	EXPECT_GT(TIME_OFFSET + 10, clock_sec(CLOCK_MONOTONIC) - parent->mono);
	EXPECT_LT(2 * TIME_OFFSET - 1,
		  clock_sec(CLOCK_BOOTTIME) - parent->boot);
	EXPECT_GT(2 * TIME_OFFSET + 10,
		  clock_sec(CLOCK_BOOTTIME) - parent->boot);
	EXPECT_GT(10, clock_sec(CLOCK_REALTIME) - parent->real);
}

static void newtime_child(struct __test_metadata *_metadata, const void *arg)
{
	char offsets[64];
	struct clocks c;
	struct ns_ids first;

	snprintf(offsets, sizeof(offsets), "monotonic %d 0\nboottime %d 0\n",
		 TIME_OFFSET, 2 * TIME_OFFSET);
	unshare_ok(_metadata, CLONE_NEWTIME);
	ASSERT_EQ(0, ns_ids_read(&first));
	/* may be repeated until a child enters: each call is a new ns */
	unshare_ok(_metadata, CLONE_NEWTIME);
	ASSERT_EQ(0, ns_ids_read(&c.ns));
	EXPECT_NE(first.ino[NS_TIME_CHILD], c.ns.ino[NS_TIME_CHILD]);
	ASSERT_EQ(0, proc_write("self/timens_offsets", offsets));
	c.mono = clock_sec(CLOCK_MONOTONIC);
	c.boot = clock_sec(CLOCK_BOOTTIME);
	c.real = clock_sec(CLOCK_REALTIME);
	run_in_child(_metadata, timens_child, &c);
	/* our own clocks never moved */
	EXPECT_GT(10, clock_sec(CLOCK_MONOTONIC) - c.mono);
	/* offsets are frozen once a task lives in the namespace */
	EXPECT_EQ(-EACCES, proc_write("self/timens_offsets", offsets));
}

TEST_F(unshare, newtime_offsets_for_children)
{
	run_in_child(_metadata, newtime_child, NULL);
}

static bool cgroup_line_is(const char *path)
{
	char buf[4096], needle[PATH_MAX];

	snprintf(needle, sizeof(needle), "0::%s\n", path);
	return proc_read("thread-self/cgroup", buf, sizeof(buf)) > 0 &&
	       strstr(buf, needle);
}

static void newcgroup_child(struct __test_metadata *_metadata,
			    const void *arg)
{
	const char *cgroup = arg;
	char path[PATH_MAX], pid[16];

	if (cgroup) {
		snprintf(path, sizeof(path), WORKDIR "/cg%s/cgroup.procs",
			 cgroup);
		snprintf(pid, sizeof(pid), "%d", getpid());
		ASSERT_EQ(0, write_file(path, pid));
		ASSERT_TRUE(cgroup_line_is(cgroup));
	}
	unshare_ok(_metadata, CLONE_NEWCGROUP);
	/* our cgroup is the root of the new namespace */
	EXPECT_TRUE(cgroup_line_is("/"));
}

TEST_F(unshare, newcgroup_root_is_own_cgroup)
{
	char cgroup[64], path[PATH_MAX];
	bool own;

	snprintf(cgroup, sizeof(cgroup), "/unshare_test.%d", getpid());
	snprintf(path, sizeof(path), WORKDIR "/cg%s", cgroup);
	ASSERT_EQ(0, mkdir(WORKDIR "/cg", 0755));
	own = !mount("cgroup2", WORKDIR "/cg", "cgroup2", 0, NULL) &&
	      !mkdir(path, 0755);
	if (!own)
		TH_LOG("no cgroup2: only the namespace link is checked");
	run_in_child(_metadata, newcgroup_child, own ? cgroup : NULL);
	if (own)
		EXPECT_EQ(0, rmdir(path));
}

static void newuser_child(struct __test_metadata *_metadata, const void *arg)
{
	const unsigned long rest = NS_FLAGS & ~(unsigned long)CLONE_NEWUSER;
	uint64_t eff;

	ASSERT_EQ(0, drop_privileges());
	unshare_ok(_metadata, CLONE_NEWUSER);
	ASSERT_EQ(0, status_field("thread-self/status", "CapEff", &eff, 16));
	EXPECT_EQ(full_cap_mask(), eff);
	EXPECT_EQ(NOBODY_ID, getuid());
	ASSERT_EQ(0, userns_map_root(NOBODY_ID, NOBODY_ID));
	EXPECT_EQ(0, getuid());
	EXPECT_EQ(0, getgid());
	/* owning a user namespace is enough for all the others */
	unshare_ok(_metadata, rest);
	ASSERT_EQ(0, sethostname("userns", 6));
	ASSERT_EQ(0, mount("unshare_test", WORKDIR "/probe0", "tmpfs", 0,
			   NULL));
	/* mounts that came from the more privileged namespace are locked */
	EXPECT_EQ(-1, umount2(TEST_ROOT, MNT_DETACH));
	EXPECT_EQ(EINVAL, errno);
	/* and user namespaces nest */
	unshare_ok(_metadata, CLONE_NEWUSER);
}

TEST_F(unshare, newuser_unprivileged_full_caps)
{
	run_in_child(_metadata, newuser_child, NULL);
}

static void securebits_child(struct __test_metadata *_metadata,
			     const void *arg)
{
	/* the exec restrictions grant nothing: 7.3 keeps them, and locks */
	int kept = SECBIT_EXEC_RESTRICT_FILE | SECBIT_EXEC_RESTRICT_FILE_LOCKED;
	int bits = kept | SECBIT_KEEP_CAPS | SECBIT_NOROOT;

	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0))
		SKIP(return, "cannot set securebits %#x", bits);
	unshare_ok(_metadata, CLONE_NEWUSER);
	EXPECT_EQ(kernel_at_least(7, 3) ? kept : 0,
		  prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
}

TEST_F(unshare, newuser_securebits)
{
	run_in_child(_metadata, securebits_child, NULL);
}

static void empty_mntns_child(struct __test_metadata *_metadata,
			      const void *arg)
{
	char line[4096], cwd[PATH_MAX], *sep;
	struct dirent *de;
	struct sibling sib;
	long root_ino;
	int entries = 0;
	DIR *dir;

	ASSERT_EQ(0, sibling_start(&sib, CLONE_FS));
	root_ino = sibling_call(&sib, SIB_ROOT_INO, 0, 0);
	ASSERT_EQ(0, chdir(WORKDIR));
	unshare_ok(_metadata, UNSHARE_EMPTY_MNTNS);
	/* one mount, a copy of the namespace root: an empty nullfs */
	ASSERT_EQ(1, mountinfo_lines(line, sizeof(line)));
	sep = strstr(line, " - ");
	ASSERT_NE(NULL, sep);
	EXPECT_EQ(0, strncmp(sep, " - nullfs ", 10))
		TH_LOG("mountinfo: %s", line);
	EXPECT_NE(NULL, strstr(line, " / / "));
	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	EXPECT_STREQ("/", cwd);
	dir = opendir("/");
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)))
		entries++;
	closedir(dir);
	EXPECT_EQ(2, entries);
	EXPECT_EQ(-1, access("/proc", F_OK));
	EXPECT_EQ(-1, access(WORKDIR, F_OK));
	EXPECT_EQ(-1, mkdir("/dir", 0755));
	/* the sibling keeps its root and cwd */
	EXPECT_EQ(root_ino, sibling_call(&sib, SIB_ROOT_INO, 0, 0));
	EXPECT_EQ(0, fs_sharing(&sib));
	EXPECT_EQ(0, sibling_stop(&sib));
}

TEST_F(unshare, empty_mntns_single_mount)
{
	if (!empty_mntns_or_skip(_metadata))
		return;
	run_in_child(_metadata, empty_mntns_child, NULL);
}

TEST_F(unshare, all_namespaces_at_once)
{
	static const struct unshare_case cases[] = {
		{ .flags = NS_FLAGS },
		{ .flags = NS_FLAGS, .unprivileged = true },
		{ .flags = NS_FLAGS | CTX_FLAGS | TASK_FLAGS },
		{ .flags = NS_FLAGS | CTX_FLAGS, .unprivileged = true },
	};
	struct unshare_case empty = {
		.flags = NS_FLAGS | UNSHARE_EMPTY_MNTNS | CTX_FLAGS,
	};

	run_cases(_metadata, cases, ARRAY_SIZE(cases));
	if (kernel_has_empty_mntns())
		run_in_child(_metadata, unshare_case_child, &empty);
}

/*
 * Every combination of the non-namespace contexts, with no namespace,
 * each namespace alone and all of them, with and without the task flags.
 */
TEST_F_TIMEOUT(unshare, context_combinations, 300)
{
	unsigned long ns[NR_NS + 2] = { 0 }, bit;
	struct unshare_case c = {};
	int nr_ns = 1, ctx, i, task;

	for (bit = 1; bit; bit <<= 1)
		if (bit & (NS_FLAGS | UNSHARE_EMPTY_MNTNS) &
		    valid_unshare_flags())
			ns[nr_ns++] = bit;
	ns[nr_ns++] = NS_FLAGS;
	for (ctx = 0; ctx < 8; ctx++) {
		for (i = 0; i < nr_ns; i++) {
			for (task = 0; task < 2; task++) {
				c.flags = ns[i] | (task ? TASK_FLAGS : 0);
				c.flags |= ctx & 1 ? CLONE_FS : 0;
				c.flags |= ctx & 2 ? CLONE_FILES : 0;
				c.flags |= ctx & 4 ? CLONE_SYSVSEM : 0;
				run_in_child(_metadata, unshare_case_child, &c);
			}
		}
	}
}

TEST_HARNESS_MAIN
