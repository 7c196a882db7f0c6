/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the unshare(2) selftests. Nothing in here knows about
 * the kselftest harness: functions return 0 or a negative errno.
 */
#ifndef __UNSHARE_UTIL_H
#define __UNSHARE_UTIL_H

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Not every libc knows the newer flags; the values are ABI. */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP		0x02000000
#endif
#ifndef CLONE_IO
#define CLONE_IO		0x80000000
#endif
#ifndef UNSHARE_EMPTY_MNTNS
#define UNSHARE_EMPTY_MNTNS	0x00100000
#endif
#ifndef NULL_FS_MAGIC
#define NULL_FS_MAGIC		0x4E554C4C
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define NOBODY_ID		65534

/* Memory that the kernel or another process changes behind our back. */
#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

/* unshare() takes an unsigned long: 64 bits, or 32 through a compat entry. */
#define FLAG_BITS	((int)(8 * sizeof(unsigned long)))
#define TOP_FLAG_BIT	(1UL << (FLAG_BITS - 1))

#define NS_FLAGS	((unsigned long)(CLONE_NEWNS | CLONE_NEWCGROUP | \
			 CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
			 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME))
/* Accepted but only "succeed" when there is nothing to unshare. */
#define TASK_FLAGS	((unsigned long)(CLONE_THREAD | CLONE_SIGHAND | \
			 CLONE_VM))
#define CTX_FLAGS	((unsigned long)(CLONE_FS | CLONE_FILES | \
			 CLONE_SYSVSEM))
/* check_unshare_flags() of Linux 7.3 */
#define VALID_FLAGS	(TASK_FLAGS | CTX_FLAGS | NS_FLAGS | \
			 (unsigned long)UNSHARE_EMPTY_MNTNS)
/* Flags after which the caller no longer shares its fs_struct. */
#define FS_SPLIT_FLAGS	((unsigned long)(CLONE_FS | CLONE_NEWNS | \
			 CLONE_NEWUSER | UNSHARE_EMPTY_MNTNS))
/* Flags after which the SEM_UNDO list of the caller is detached. */
#define SEM_SPLIT_FLAGS	((unsigned long)(CLONE_SYSVSEM | CLONE_NEWIPC))

long sys_unshare(unsigned long flags);
bool kernel_at_least(int major, int minor);
bool kernel_has_empty_mntns(void);
unsigned long valid_unshare_flags(void);

/* Namespace files in /proc/thread-self/ns, identified by inode number. */
enum ns_kind {
	NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_PID_CHILD,
	NS_TIME, NS_TIME_CHILD, NS_USER, NS_UTS, NR_NS
};

#define NS_BIT(kind)	(1U << (kind))

struct ns_ids {
	ino_t ino[NR_NS];
};

char *ns_mask_names(unsigned int mask, char *buf, size_t size);
int ns_ids_read(struct ns_ids *ids);
unsigned int ns_ids_diff(const struct ns_ids *a, const struct ns_ids *b);
unsigned int ns_expected_diff(unsigned long flags);

struct cred_snap {
	uid_t uid[3];
	gid_t gid[3];
	int ngroups;
	gid_t groups[64];
	int securebits;
	/* CapInh, CapPrm, CapEff, CapBnd, CapAmb */
	uint64_t caps[5];
};

struct fs_snap {
	dev_t root_dev, cwd_dev;
	ino_t root_ino, cwd_ino;
	unsigned int umask;
};

struct task_snap {
	struct ns_ids ns;
	struct cred_snap cred;
	struct fs_snap fs;
};

int task_snap_read(struct task_snap *snap);
uint64_t full_cap_mask(void);

/* /proc access through a descriptor opened early, so it survives chroot. */
int util_init(const char *workdir);
int proc_dirfd(void);
int proc_read(const char *rel, char *buf, size_t size);
int proc_write(const char *rel, const char *buf);
int status_field(const char *rel, const char *field, uint64_t *val, int base);
int sysctl_read(const char *name, long *val);
int sysctl_write(const char *name, long val);
int sysctl_read_str(const char *name, char *buf, size_t size);
int sysctl_write_str(const char *name, const char *val);
int mountinfo_lines(char *first, size_t size);

int write_file(const char *path, const char *buf);
int wait_status(pid_t pid);
int fork_error(void);
int drop_privileges(void);
int userns_map_root(uid_t outer_uid, gid_t outer_gid);

/*
 * A sibling task created with clone(@flags) that runs commands for us, so
 * we can see whether it still shares fs_struct/files_struct/semundo with us.
 */
struct sibling {
	pid_t pid;
	int sock[2];
};

enum sibling_op {
	SIB_EXIT, SIB_FCHDIR, SIB_FCHROOT, SIB_UMASK, SIB_CWD_INO,
	SIB_ROOT_INO, SIB_NEW_FD, SIB_FD_INO, SIB_CLOSE, SIB_SEMOP_UNDO,
	SIB_SEM_GETVAL, SIB_SHM_STAT, SIB_LSEEK,
};

int sibling_start(struct sibling *s, unsigned long flags);
long sibling_call(struct sibling *s, int op, long a, long b);
int sibling_stop(struct sibling *s);

/* Results of the sharing probes: who sees a change made by the other. */
#define SEEN_BY_US	1
#define SEEN_BY_SIB	2
#define SHARED_BOTH	(SEEN_BY_US | SEEN_BY_SIB)
int fs_sharing(struct sibling *s);
int umask_sharing(struct sibling *s);
int root_sharing(struct sibling *s);
int files_sharing(struct sibling *s);

/* A task that stays alive (blocked) until released. */
struct holder {
	pthread_t thread;
	pid_t pid;
	int pipe[2];
	void *stack;
};

int thread_hold(struct holder *h);
int vm_clone_hold(struct holder *h, unsigned long flags);
int holder_release(struct holder *h);

int sem_create(int value);
int sem_adjust(int semid, int delta, bool undo);
int sem_getval(int semid);

/* kernel.unshare_vm of CONFIG_UNSHARE_RUST_VM */
#define UNSHARE_VM_SYSCTL	"kernel/unshare_vm"
#define SIG_BIT(sig)		(1ULL << ((sig) - 1))

bool rust_implementation(void);
int set_action(int sig, void (*handler)(int));
uint64_t sig_mask(pid_t pid, const char *field);

int futex_wait(uint32_t *word, uint32_t val, int timeout_ms);
int futex_wake(uint32_t *word, int nr);

/* Tasks released at once: each waits in gate_wait(), gate_open() opens. */
struct gate {
	uint32_t go;
	uint32_t ready;
};

#define GATE_WAIT_MS		10000
bool gate_wait(struct gate *g, bool polling);

/* argv[1] that makes a test program exit 0 at once, for the exec racers */
#define EXEC_EXIT_ARG		"--unshare-exec-exit"
int exec_exit(const char *path, const char *argv0);

int mem_access(pid_t pid, void *addr, void *buf, size_t len, bool write);
size_t count_bytes(const void *p, size_t len, char byte);

#endif /* __UNSHARE_UTIL_H */
