// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a seeded differential fuzzer of unshare(2). Each case is a random
 * flags value (valid combinations, single bits, invalid bits, all 64 bits)
 * crossed with a random state of the calling task:
 *
 *   - privileges: root, root without CAP_SYS_ADMIN, uid/gid 65534;
 *   - inside a new user namespace (with a mapping of its own ids, or none);
 *   - chrooted;
 *   - extra threads;
 *   - a sibling made with clone() sharing any of CLONE_FS, CLONE_FILES,
 *     CLONE_SYSVSEM, CLONE_VM, CLONE_SIGHAND (+CLONE_VM);
 *   - a pending SEM_UNDO adjustment, more than 64 open descriptors;
 *   - /proc/sys/user/max_*_namespaces lowered to 0 (one or all);
 *   - kernel.unprivileged_userns_clone=0 (Debian).
 *
 * Each case runs in a fresh child; the parent observes it from outside
 * (it is root in the initial namespaces): the errno of the call, which
 * /proc/<pid>/ns links changed, kcmp(2) of the child and its sibling for
 * FILES, FS, SYSVSEM, SIGHAND and VM before and after, whether the
 * credentials in /proc/<pid>/status changed and the semaphore value. That
 * record is one line; its hash goes into a running hash. The output depends
 * on the seed only, so two boots (unshare.impl=c and unshare.impl=rust) must
 * print the same. Every 64 cases:
 *
 *   @@@ FUZZ blk=<first> d=<one byte of each case's hash, hex> h=<running hash>
 *
 * so a divergence names its case; --case I --verbose replays one case and
 * prints its line. The parent also checks all-or-nothing itself (a failed
 * call changed nothing; a successful one changed what its flags say) and
 * prints @@@ FUZZ-ANOMALY lines.
 *
 * With --global-untouched the cases leave the namespace limits and
 * unprivileged_userns_clone alone: they are global, and the soak runs the
 * fuzzer beside unshare_stress_test, whose own calls they would make fail.
 *
 * Usage: fuzz --seed S [--cases N] [--start K] [--case I] [--verbose]
 *             [--global-untouched]
 */
#include "common.h"

#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <time.h>

#define NOBODY		65534
#define WORKDIR		"/tmp/fuzz"
#define BLOCK		64

static const char *const limit_names[] = {
	"user", "mnt", "net", "ipc", "uts", "pid", "cgroup", "time",
};
#define NR_LIMITS ARRAY_SIZE(limit_names)

struct fcase {
	unsigned long flags;
	int priv;		/* 0 root, 1 root without CAP_SYS_ADMIN, 2 nobody */
	int userns;		/* 0 none, 1 mapped, 2 unmapped */
	int chroot;
	int threads;
	unsigned long sib;	/* clone flags of the sibling; 0: none */
	int has_sib;
	int undo;
	int manyfds;
	unsigned int limits;	/* bit i: max_<limit_names[i]>_namespaces = 0 */
	int userns_clone_off;
};

struct outcome {
	int setup;		/* 0 or the errno of the failed setup step + 1000 * step */
	int ret;
	unsigned int ns;	/* changed links */
	int k0[5], k1[5];	/* kcmp same before/after: 1 same, 0 different, -1 n/a */
	int cred;		/* status lines changed */
	int semval;
};

static int procfd = -1;
static int semid = -1;
static long saved_limits[NR_LIMITS];
static long saved_userns_clone = -1;

/* ---- random --------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(splitmix(s) % n);
}

static const unsigned long valid_list[] = {
	CLONE_THREAD, CLONE_FS, CLONE_SIGHAND, CLONE_VM, CLONE_FILES, CLONE_SYSVSEM,
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWCGROUP,
	CLONE_NEWTIME, CLONE_NEWUSER, UNSHARE_EMPTY_MNTNS,
};

static void gen_case(uint64_t seed, uint64_t idx, struct fcase *c)
{
	uint64_t s = seed ^ (idx * 0xd1342543de82ef95ULL);
	unsigned int r;

	splitmix(&s);
	memset(c, 0, sizeof(*c));
	r = rnd(&s, 16);
	if (r == 0) {
		c->flags = splitmix(&s);
	} else if (r == 1) {
		c->flags = 0;
	} else if (r <= 3) {
		c->flags = 1UL << rnd(&s, 64);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(valid_list); i++)
			if (!rnd(&s, 4))
				c->flags |= valid_list[i];
		if (!rnd(&s, 6)) {
			unsigned long bit;

			do
				bit = 1UL << rnd(&s, 64);
			while (bit & VALID_FLAGS);
			c->flags |= bit;
		}
	}
	r = rnd(&s, 10);
	c->priv = r < 5 ? 0 : r < 6 ? 1 : 2;
	r = rnd(&s, 20);
	c->userns = r < 13 ? 0 : r < 17 ? 1 : 2;
	c->chroot = rnd(&s, 7) == 0;
	r = rnd(&s, 20);
	c->threads = r < 15 ? 0 : r < 18 ? 1 : 2;
	if (rnd(&s, 10) >= 3) {
		static const unsigned long sf[] = { CLONE_FS, CLONE_FILES, CLONE_SYSVSEM, CLONE_VM,
						    CLONE_SIGHAND };

		c->has_sib = 1;
		for (size_t i = 0; i < ARRAY_SIZE(sf); i++)
			if (rnd(&s, 2))
				c->sib |= sf[i];
		if (c->sib & CLONE_SIGHAND)
			c->sib |= CLONE_VM;
	}
	c->undo = rnd(&s, 2);
	c->manyfds = rnd(&s, 10) == 0;
	r = rnd(&s, 20);
	if (r == 0)
		c->limits = (1U << NR_LIMITS) - 1;
	else if (r <= 4)
		c->limits = 1U << rnd(&s, NR_LIMITS);
	c->userns_clone_off = rnd(&s, 10) == 0;
}

static char *case_str(const struct fcase *c, char *buf, size_t size)
{
	char fl[256], sf[128];

	flags_str(c->flags, fl, sizeof(fl));
	flags_str(c->sib, sf, sizeof(sf));
	snprintf(buf, size, "flags=%s priv=%s userns=%s chroot=%d threads=%d sib=%s undo=%d manyfds=%d limits=%#x userns_clone=%d",
		 fl, c->priv == 0 ? "root" : c->priv == 1 ? "root-nocap" : "nobody",
		 c->userns == 0 ? "no" : c->userns == 1 ? "mapped" : "unmapped", c->chroot,
		 c->threads, c->has_sib ? sf : "none", c->undo, c->manyfds, c->limits,
		 !c->userns_clone_off);
	return buf;
}

/* ---- the child -------------------------------------------------------------------------- */

static void *thread_fn(void *arg)
{
	int fd = *(int *)arg;
	char b;

	while (read(fd, &b, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int write_map(const char *file, unsigned int id)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "0 %u 1", id);
	return write_str(file, buf);
}

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	d[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	d[CAP_SYS_ADMIN / 32].inheritable &= ~(1U << (CAP_SYS_ADMIN % 32));
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * Sets up the state, tells the parent the sibling's pid (or the failed step),
 * waits for "go", calls unshare, reports, and waits to be killed.
 */
static void child_main(const struct fcase *c, int to_parent, int from_parent)
{
	static int hold[2];
	long msg[3] = { 0, 0, 0 };	/* setup, sibling pid, ret */
	struct sibling sib;
	char go;
	int step = 0;
	long r;

#define FAIL_STEP(n) do { msg[0] = (n) * 1000 + errno; goto report; } while (0)
	if (pipe(hold))
		FAIL_STEP(1);
	if (c->manyfds) {
		int fd = open("/dev/null", O_RDONLY);

		for (int i = 0; fd >= 0 && i < 80; i++)
			dup2(fd, 100 + i);
	}
	step = 2;
	if (c->priv == 2) {
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			FAIL_STEP(2);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	} else if (c->priv == 1) {
		if (drop_cap_sys_admin())
			FAIL_STEP(3);
	}
	if (c->userns) {
		unsigned int uid = geteuid(), gid = getegid();

		if (syscall(SYS_unshare, CLONE_NEWUSER))
			FAIL_STEP(4);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		if (c->userns == 1) {
			if (write_str("/proc/self/setgroups", "deny") ||
			    write_map("/proc/self/gid_map", gid) ||
			    write_map("/proc/self/uid_map", uid))
				FAIL_STEP(5);
		}
	}
	if (c->chroot) {
		if (chroot(WORKDIR "/root"))
			FAIL_STEP(6);
		if (chdir("/"))
			FAIL_STEP(7);
	}
	if (c->undo) {
		struct sembuf up = { 0, 1, SEM_UNDO };

		if (semop(semid, &up, 1))
			FAIL_STEP(8);
	}
	for (int i = 0; i < c->threads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_fn, &hold[0])) {
			errno = EAGAIN;
			FAIL_STEP(9);
		}
	}
	if (c->has_sib) {
		int e = sibling_start(&sib, c->sib);

		if (e) {
			errno = -e;
			FAIL_STEP(10);
		}
		msg[1] = sib.pid;
	}
report:
	(void)step;
	if (write(to_parent, msg, sizeof(msg)) != sizeof(msg))
		_exit(1);
	if (msg[0])
		_exit(0);
	if (read(from_parent, &go, 1) != 1)
		_exit(1);
	r = syscall(SYS_unshare, c->flags);
	msg[2] = r ? errno : 0;
	if (write(to_parent, msg, sizeof(msg)) != sizeof(msg))
		_exit(1);
	for (;;)
		pause();
}

/* ---- the parent --------------------------------------------------------------------------- */

static void limits_apply(const struct fcase *c)
{
	char path[96];

	for (size_t i = 0; i < NR_LIMITS; i++) {
		if (!(c->limits & (1U << i)))
			continue;
		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces", limit_names[i]);
		write_long(path, 0);
	}
	if (c->userns_clone_off && saved_userns_clone >= 0)
		write_str("/proc/sys/kernel/unprivileged_userns_clone", "0");
}

static void limits_restore(const struct fcase *c)
{
	char path[96];

	for (size_t i = 0; i < NR_LIMITS; i++) {
		if (!(c->limits & (1U << i)))
			continue;
		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces", limit_names[i]);
		write_long(path, saved_limits[i]);
	}
	if (c->userns_clone_off && saved_userns_clone >= 0)
		write_long("/proc/sys/kernel/unprivileged_userns_clone", saved_userns_clone);
}

static void kcmp_all(pid_t a, pid_t b, int *k)
{
	static const int types[5] = { KCMP_FILES_, KCMP_FS_, KCMP_SYSVSEM_, KCMP_SIGHAND_, KCMP_VM_ };

	for (int i = 0; i < 5; i++) {
		long r = b > 0 ? kcmp(a, b, types[i]) : -2;

		k[i] = r == -2 ? -1 : r < 0 ? -(errno + 10) : r == 0;
	}
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
}

static int run_case(const struct fcase *c, struct outcome *o)
{
	int to_parent[2], from_parent[2];
	long msg[3];
	char dir[32];
	struct ns_snap ns0, ns1;
	struct cred_snap cr0, cr1;
	pid_t pid, sib;

	memset(o, 0, sizeof(*o));
	if (pipe2(to_parent, O_CLOEXEC) || pipe2(from_parent, O_CLOEXEC))
		die("pipe");
	semctl(semid, 0, SETVAL, 0);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(to_parent[0]);
		close(from_parent[1]);
		child_main(c, to_parent[1], from_parent[0]);
		_exit(0);
	}
	close(to_parent[1]);
	close(from_parent[0]);
	if (read(to_parent[0], msg, sizeof(msg)) != sizeof(msg)) {
		o->setup = -1;
		goto out;
	}
	o->setup = (int)msg[0];
	if (o->setup)
		goto out;
	sib = (pid_t)msg[1];
	snprintf(dir, sizeof(dir), "%d", pid);
	limits_apply(c);
	ns_read(procfd, dir, &ns0);
	cred_read(procfd, dir, &cr0);
	kcmp_all(pid, sib, o->k0);
	if (write(from_parent[1], "g", 1) != 1 ||
	    read(to_parent[0], msg, sizeof(msg)) != sizeof(msg)) {
		o->setup = -2;
		limits_restore(c);
		goto out;
	}
	o->ret = (int)msg[2];
	ns_read(procfd, dir, &ns1);
	cred_read(procfd, dir, &cr1);
	kcmp_all(pid, sib, o->k1);
	o->ns = ns_diff(&ns0, &ns1);
	o->cred = strcmp(cr0.status, cr1.status) != 0;
	o->semval = semctl(semid, 0, GETVAL);
	limits_restore(c);
	if (sib > 0)
		kill(sib, SIGKILL);
out:
	kill(pid, SIGKILL);
	close(to_parent[0]);
	close(from_parent[1]);
	reap_all();
	return 0;
}

static char *outcome_str(const struct outcome *o, char *buf, size_t size)
{
	char m[128];

	if (o->setup) {
		snprintf(buf, size, "setup=%d", o->setup);
		return buf;
	}
	snprintf(buf, size, "ret=%s ns=%s files=%d>%d fs=%d>%d sysvsem=%d>%d sighand=%d>%d vm=%d>%d cred=%d sem=%d",
		 errname(o->ret), ns_mask_str(o->ns, m, sizeof(m)), o->k0[0], o->k1[0], o->k0[1],
		 o->k1[1], o->k0[2], o->k1[2], o->k0[3], o->k1[3], o->k0[4], o->k1[4], o->cred,
		 o->semval);
	return buf;
}

/* All-or-nothing, judged from outside. Returns a reason or NULL. */
static const char *anomaly(const struct fcase *c, const struct outcome *o)
{
	unsigned long norm = normalize_flags(c->flags);

	if (o->setup)
		return NULL;
	if (o->ret) {
		if (o->ns)
			return "failed-call-changed-namespaces";
		if (o->cred)
			return "failed-call-changed-credentials";
		for (int i = 0; i < 5; i++)
			if (o->k0[i] != o->k1[i])
				return "failed-call-changed-sharing";
		return NULL;
	}
	if (o->ns != ns_expected(c->flags))
		return "namespaces-differ-from-flags";
	/* (a new user namespace shows in the user link; /proc/<pid>/status need not change) */
	if (o->cred && !(norm & CLONE_NEWUSER))
		return "credentials-changed-without-NEWUSER";
	if (c->has_sib) {
		if ((norm & CLONE_FILES) ? o->k1[0] == 1 : o->k1[0] != o->k0[0])
			return "files-sharing-differs-from-flags";
		if ((norm & CLONE_FS) ? o->k1[1] == 1 : o->k1[1] != o->k0[1])
			return "fs-sharing-differs-from-flags";
		if (o->k1[3] != o->k0[3] || o->k1[4] != o->k0[4])
			return "sighand-or-vm-changed";
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, start = 0, ncases = 1000, hash = FNV_INIT;
	int verbose = 0, single = 0, anomalies = 0, global_untouched = 0;
	unsigned char digest[BLOCK];
	time_t t0 = time(NULL);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			ncases = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--start") && i + 1 < argc)
			start = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--case") && i + 1 < argc)
			start = strtoull(argv[++i], NULL, 0), ncases = 1, single = 1;
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--global-untouched"))
			global_untouched = 1;
		else {
			fprintf(stderr, "usage: %s --seed S [--cases N] [--start K] [--case I] [--verbose]"
				" [--global-untouched]\n", argv[0]);
			return 2;
		}
	}
	if (single)
		verbose = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid())
		die("must run as root");
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		die("open /proc");
	mkdir(WORKDIR, 0755);
	mkdir(WORKDIR "/root", 0755);
	semid = semget(IPC_PRIVATE, 1, 0666 | IPC_CREAT);
	if (semid < 0)
		die("semget");
	for (size_t i = 0; i < NR_LIMITS; i++) {
		char path[96];

		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces", limit_names[i]);
		saved_limits[i] = read_long(path, -1);
	}
	saved_userns_clone = read_long("/proc/sys/kernel/unprivileged_userns_clone", -1);
	if (saved_userns_clone >= 0)
		write_str("/proc/sys/kernel/unprivileged_userns_clone", "1");
	saved_userns_clone = 1;

	printf("@@@ FUZZ begin seed=%llu start=%llu cases=%llu\n", (unsigned long long)seed,
	       (unsigned long long)start, (unsigned long long)ncases);
	for (uint64_t i = start; i < start + ncases; i++) {
		struct fcase c;
		struct outcome o;
		char cs[512], os[256], line[800];
		const char *why;
		uint64_t h;

		gen_case(seed, i, &c);
		if (global_untouched) {
			c.limits = 0;
			c.userns_clone_off = 0;
		}
		run_case(&c, &o);
		case_str(&c, cs, sizeof(cs));
		outcome_str(&o, os, sizeof(os));
		snprintf(line, sizeof(line), "%s %s", cs, os);
		h = fnv1a(FNV_INIT, line, strlen(line));
		hash = fnv1a(hash, line, strlen(line));
		digest[(i - start) % BLOCK] = (unsigned char)(h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24));
		if (verbose)
			printf("@@@ FUZZ case=%llu %s\n", (unsigned long long)i, line);
		why = anomaly(&c, &o);
		if (why) {
			anomalies++;
			printf("@@@ FUZZ-ANOMALY seed=%llu case=%llu %s: %s\n", (unsigned long long)seed,
			       (unsigned long long)i, why, line);
		}
		if ((i - start) % BLOCK == BLOCK - 1 || i == start + ncases - 1) {
			char hex[2 * BLOCK + 1];
			unsigned int k = (unsigned int)((i - start) % BLOCK) + 1;

			for (unsigned int j = 0; j < k; j++)
				sprintf(hex + 2 * j, "%02x", digest[j]);
			printf("@@@ FUZZ blk=%llu d=%s h=%016llx t=%ld\n",
			       (unsigned long long)(i + 1 - k), hex, (unsigned long long)hash,
			       (long)(time(NULL) - t0));
		}
	}
	printf("@@@ FUZZ end seed=%llu cases=%llu hash=%016llx anomalies=%d seconds=%ld\n",
	       (unsigned long long)seed, (unsigned long long)ncases, (unsigned long long)hash,
	       anomalies, (long)(time(NULL) - t0));
	return anomalies ? 1 : 0;
}
