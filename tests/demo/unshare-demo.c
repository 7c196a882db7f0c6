// SPDX-License-Identifier: GPL-2.0
/*
 * Shows unshare(2) at work: the namespace ids of the calling process before and
 * after unsharing every namespace type at once, and the first child's pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const char *const links[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
	"time", "time_for_children", "user", "uts",
};

static void show(const char *when)
{
	char path[64], target[64];
	size_t i;

	printf("%s:\n", when);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", links[i]);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("  %-18s %s\n", links[i], n < 0 ? strerror(errno) : target);
	}
}

int main(void)
{
	const unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS |
		CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP |
		CLONE_NEWTIME | CLONE_FILES | CLONE_FS | CLONE_SYSVSEM;
	pid_t child;
	int status;

	show("before unshare");
	if (syscall(SYS_unshare, flags)) {
		printf("unshare(all namespaces) failed: %s\n", strerror(errno));
		return 1;
	}
	printf("unshare(CLONE_NEWUSER|NEWNS|NEWUTS|NEWIPC|NEWNET|NEWPID|NEWCGROUP|NEWTIME|FILES|FS|SYSVSEM) = 0\n");
	show("after unshare");
	child = fork();
	if (child == 0) {
		printf("first child after unshare: pid %d in the new pid namespace\n", getpid());
		_exit(0);
	}
	waitpid(child, &status, 0);
	return 0;
}
