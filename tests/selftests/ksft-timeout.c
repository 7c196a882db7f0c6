// SPDX-License-Identifier: GPL-2.0
/*
 * ksft-timeout SECS PROG [ARGS...] - run one selftest binary with a timeout
 * and leave no process of it behind.
 *
 * Used by run.sh in the guest instead of busybox timeout, whose watcher
 * process outlives the test by up to a second: a process that exits while
 * the next test walks /proc makes proc/read fail (readdir gives DT_UNKNOWN
 * for an entry whose task just went away).
 *
 * - PROG runs in a new session (so a test that signals its process group
 *   cannot hit the runner), with stdin/stdout/stderr inherited.
 * - This process is a child subreaper: everything PROG leaves running is
 *   reparented here. Once PROG ends (or after SECS seconds, when PROG's
 *   process group gets SIGTERM and 5 s later SIGKILL) every remaining
 *   descendant is killed and reaped before ksft-timeout exits.
 * - Exit status: PROG's exit status, 128+N if it died by signal N, 124 if
 *   it timed out (like coreutils timeout), 125 on a usage/runner error.
 *
 * Build: gcc -static -O2 -o ksft-timeout ksft-timeout.c
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILL_GRACE 5 /* seconds between SIGTERM and SIGKILL on timeout */

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* SIGKILL every process whose parent is us; returns how many. */
static int kill_children(void)
{
	pid_t self = getpid();
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[300], buf[512], *p;
		int ppid;
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		/* "pid (comm) state ppid ...": comm may contain spaces or ')' */
		if (!p || !(p = strrchr(buf, ')')) || sscanf(p + 1, " %*c %d", &ppid) != 1)
			continue;
		if (ppid == self) {
			kill(atoi(de->d_name), SIGKILL);
			n++;
		}
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int status = 0, ret = -1, timed_out = 0, secs;
	char *end;
	pid_t child, pid;

	if (argc < 3) {
		fprintf(stderr, "usage: ksft-timeout SECS PROG [ARGS...]\n");
		return 125;
	}
	secs = strtol(argv[1], &end, 10);
	if (*end || secs <= 0) {
		fprintf(stderr, "ksft-timeout: bad SECS '%s'; pass a positive number of seconds\n", argv[1]);
		return 125;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		perror("ksft-timeout: PR_SET_CHILD_SUBREAPER (stray processes may survive)");

	child = fork();
	if (child < 0) {
		perror("ksft-timeout: fork");
		return 125;
	}
	if (child == 0) {
		setsid();
		execv(argv[2], argv + 2);
		fprintf(stderr, "ksft-timeout: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(126);
	}

	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: waitpid gets EINTR */
	alarm(secs);
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid == child) {
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (pid < 0 && errno == EINTR && alarmed) {
			alarmed = 0;
			if (!timed_out) {
				fprintf(stderr, "ksft-timeout: %s still running after %d s; sending SIGTERM\n",
					argv[2], secs);
				timed_out = 1;
				kill(-child, SIGTERM);
				kill(child, SIGTERM);
				alarm(KILL_GRACE);
			} else {
				kill(-child, SIGKILL);
				kill(child, SIGKILL);
			}
		} else if (pid < 0 && errno == ECHILD) {
			break; /* cannot happen: child is ours */
		}
		/* pid > 0: a reparented orphan of the test; reaped, go on */
	}
	alarm(0);

	/* Kill and reap what the test left behind (reparented to us). */
	kill(-child, SIGKILL);
	for (int rounds = 0;;) {
		pid = waitpid(-1, NULL, WNOHANG);
		if (pid > 0)
			continue;
		if (pid < 0)
			break; /* ECHILD: nothing left */
		if (rounds == 0)
			fprintf(stderr, "ksft-timeout: killing processes left behind by %s\n", argv[2]);
		if (++rounds > 100) {
			fprintf(stderr, "ksft-timeout: processes left behind by %s do not die\n", argv[2]);
			break;
		}
		kill_children();
		usleep(50 * 1000);
	}
	return timed_out ? 124 : ret;
}
