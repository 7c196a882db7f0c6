#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the installed kselftest collection inside the test guest (busybox sh).
#
# Layout in the guest (made by tests/selftests/qemu.sh / mkinitramfs.sh):
#   /tests/run.sh          this script
#   /tests/kselftest/      build.sh's kselftest_install directory
#
# For every test in kselftest-list.txt it runs the binary from its target's
# directory with a per-test timeout, leaves the test's own (TAP) output in the
# console log, and then prints one machine-readable line:
#   @@@ RESULT <target>:<test> PASS|FAIL|SKIP|TIMEOUT # rc=<status> <seconds>s
# The result comes from the binary's exit status: 0 PASS, 4 SKIP (KSFT_SKIP),
# timeout TIMEOUT, anything else FAIL. A test listed in /tests/retries that
# fails runs again (each failed attempt announced by
#   @@@ RETRY <target>:<test> <attempt> FAIL # rc=<status> <seconds>s
# before the next one's "# ==== <target>:<test>" header); the result is the
# last attempt's. The tests run under ksft-timeout (built
# by build.sh into the collection), which also kills whatever a test leaves
# running; without it, under busybox timeout. A test listed in /tests/ungated
# (a base test that never calls unshare(2) and whose result depends on timing)
# runs a fixed number of times and reports each run as
#   @@@ INFO <target>:<test> <run> PASS|FAIL|SKIP|TIMEOUT # rc=<status> <seconds>s
# and then, instead of a RESULT line,
#   @@@ UNGATED <target>:<test> <failed runs> of <runs>
# information that compare.sh prints but does not judge. Tests listed in
# build-failures.txt are reported as FAIL with "# did not build".
#
# Kernel command line parameters (all optional):
#   ksft_timeout=SECS        per-test timeout (default 180; the file
#                            /tests/timeouts sets it for single tests)
#   ksft_timeout_scale=N     multiplies every per-test timeout (a debug
#                            kernel forks several times slower)
#   ksft_tests=GLOB[,GLOB]   run only tests whose "target:test" matches a glob
#                            (e.g. ksft_tests=core:*,pidfd:pidfd_test)
#   ksft_skip=GLOB[,GLOB]    leave out the tests whose "target:test" matches
#                            (e.g. ksft_skip=pidfd:pidfd_poll_test)
# (the environment variables KSFT_TIMEOUT, KSFT_TESTS and KSFT_SKIP set the
# defaults). Either filter makes the plan partial: "@@@ FILTER ..." says so, and
# compare.sh then judges only the tests of the plan.
#
# The exit status is 0 when the run completed (whatever the test results are;
# tests/selftests/compare.sh judges them), 1 when the collection is missing.

here=$(cd "$(dirname "$0")" && pwd)
KSFT=${KSFT:-$here/kselftest}
LIST=$KSFT/kselftest-list.txt
if [ ! -r "$LIST" ]; then
	echo "run.sh: $LIST is missing; build with tests/selftests/build.sh and put kselftest_install at /tests/kselftest" >&2
	exit 1
fi

timeout_s=${KSFT_TIMEOUT:-180}
timeout_scale=1
filter=$(echo "${KSFT_TESTS:-}" | tr "," " ")
skip=$(echo "${KSFT_SKIP:-}" | tr "," " ")
for arg in $(cat /proc/cmdline 2>/dev/null); do
	case "$arg" in
	ksft_timeout=*) timeout_s=${arg#ksft_timeout=} ;;
	ksft_timeout_scale=*) timeout_scale=${arg#ksft_timeout_scale=} ;;
	ksft_tests=*) filter=$(echo "${arg#ksft_tests=}" | tr ',' ' ') ;;
	ksft_skip=*) skip=$(echo "${arg#ksft_skip=}" | tr ',' ' ') ;;
	esac
done

skipped() { # target:test[/suffix]
	for g in $skip; do
		# shellcheck disable=SC2254 # $g is a glob on purpose
		case "$1" in $g) return 0 ;; esac
	done
	return 1
}

# A subset "<target>:<test>/<suffix>" is selected by the globs of ksft_tests= that select its
# test, and left out only by a ksft_skip= glob that matches its own name.
selected() { # target:test [name for ksft_skip=]
	skipped "${2:-$1}" && return 1
	[ -z "$filter" ] && return 0
	for g in $filter; do
		# shellcheck disable=SC2254 # $g is a glob on purpose
		case "$1" in $g) return 0 ;; esac
	done
	return 1
}

# Tests write into the current directory and /tmp; keep a scratch HOME.
export HOME=/tmp
mkdir -p /tmp/ksft-home && cd /tmp/ksft-home || exit 1

npass=0 nfail=0 nskip=0 ntimeout=0
report() { # name result trailer
	echo "@@@ RESULT $1 $2 # $3"
	case "$2" in
	PASS) npass=$((npass + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	TIMEOUT) ntimeout=$((ntimeout + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
}

echo "run.sh: kselftest collection $KSFT, per-test timeout ${timeout_s}s (x$timeout_scale)${filter:+, only: $filter}${skip:+, left out: $skip}"
run_start=$(date +%s)

# Subsets (optional file /tests/subsets, from tests/selftests/subsets): lines
#   <target>:<test> <suffix> <harness args...>  # reason
# run the binary once more with kselftest_harness filters (e.g. -T name to
# exclude a known-bad sub-test), reported as "<target>:<test>/<suffix>".
SUBSETS=${SUBSETS:-$here/subsets}
subsets() { # print "name/suffix args..." for each selected subset
	[ -r "$SUBSETS" ] || return 0
	sed -e 's/#.*//' "$SUBSETS" | while read -r name suffix args; do
		[ -n "$name" ] && [ -n "$suffix" ] || continue
		selected "$name" "$name/$suffix" && echo "$name/$suffix $args"
	done
}

# The plan lets compare.sh notice tests that never report (guest died).
[ -n "$filter" ] && echo "@@@ FILTER $filter"
[ -n "$skip" ] && echo "@@@ FILTER not $skip"
for f in "$KSFT/build-failures.txt" "$LIST"; do
	[ -r "$f" ] || continue
	while read -r name; do
		case "$name" in ''|'#'*) continue ;; esac
		selected "$name" && echo "@@@ PLAN $name"
	done <"$f"
done
subsets | while read -r name args; do echo "@@@ PLAN $name"; done

if [ -r "$KSFT/build-failures.txt" ]; then
	while read -r name; do
		[ -n "$name" ] || continue
		selected "$name" && report "$name" FAIL "did not build"
	done <"$KSFT/build-failures.txt"
fi

# Per-test timeouts (optional file /tests/timeouts, from
# tests/selftests/timeouts): lines "<target>:<test> SECS".
TIMEOUTS=${TIMEOUTS:-$here/timeouts}
test_timeout() { # target:test
	t=
	[ -r "$TIMEOUTS" ] && t=$(sed -e 's/#.*//' "$TIMEOUTS" | awk -v n="$1" '$1 == n { print $2; exit }')
	echo $(( ${t:-$timeout_s} * timeout_scale ))
}

# Attempts (optional file /tests/retries, from tests/selftests/retries): lines
# "<target>:<test> N": a test that fails runs again, up to N times in all.
RETRIES=${RETRIES:-$here/retries}
test_attempts() { # target:test
	n=
	[ -r "$RETRIES" ] && n=$(sed -e 's/#.*//' "$RETRIES" | awk -v n="$1" '$1 == n { print $2; exit }')
	echo "${n:-1}"
}

# Ungated tests (optional file /tests/ungated, from tests/selftests/ungated):
# lines "<target>:<test> N": the test runs N times, its results are information.
UNGATED=${UNGATED:-$here/ungated}
test_ungated_runs() { # target:test
	n=
	[ -r "$UNGATED" ] && n=$(sed -e 's/#.*//' "$UNGATED" | awk -v n="$1" '$1 == n { print $2; exit }')
	echo "${n:-0}"
}

run_one() { # name target test [args...]
	name=$1 target=$2 test=$3
	shift 3
	limit=$(test_timeout "$target:$test")
	attempts=$(test_attempts "$target:$test")
	runs=$(test_ungated_runs "$name")
	if [ ! -x "$KSFT/$target/$test" ]; then
		echo "# ==== $name${*:+ (args: $*)}"
		echo "run.sh: $KSFT/$target/$test is not an executable" >&2
		report "$name" FAIL "rc=126 missing binary"
		return
	fi
	if [ "$runs" -gt 0 ]; then
		run=1 failed_runs=0
		while [ "$run" -le "$runs" ]; do
			run_attempt "$@"
			echo "@@@ INFO $name $run $result # rc=$rc ${elapsed}s"
			[ "$result" = PASS ] || [ "$result" = SKIP ] || failed_runs=$((failed_runs + 1))
			run=$((run + 1))
		done
		echo "@@@ UNGATED $name $failed_runs of $runs"
		return
	fi
	attempt=1
	while :; do
		run_attempt "$@"
		[ "$result" = FAIL ] && [ "$attempt" -lt "$attempts" ] || break
		echo "@@@ RETRY $name $attempt $result # rc=$rc ${elapsed}s"
		attempt=$((attempt + 1))
	done
	trailer="rc=$rc ${elapsed}s"
	[ "$attempts" -gt 1 ] && trailer="$trailer attempt $attempt of $attempts"
	report "$name" $result "$trailer"
}

run_attempt() { # args... (name target test limit from run_one): sets result rc elapsed
	echo "# ==== $name${*:+ (args: $*)}"
	start=$(date +%s)
	if [ -x "$KSFT/ksft-timeout" ]; then
		# New session, timeout, and no process of the test left behind.
		(cd "$KSFT/$target" && exec "$KSFT/ksft-timeout" "$limit" "./$test" "$@") </dev/null 2>&1
	else
		# setsid: a test that signals its process group must not hit us.
		(cd "$KSFT/$target" && exec setsid timeout -k 5 "$limit" "./$test" "$@") </dev/null 2>&1
	fi
	rc=$?
	elapsed=$(( $(date +%s) - start ))
	# ksft-timeout says 124; busybox timeout gives 143 (TERM) or 137 (KILL).
	if { [ $rc -eq 124 ] || [ $rc -eq 143 ] || [ $rc -eq 137 ]; } && [ $elapsed -ge "$limit" ]; then
		result=TIMEOUT
	elif [ $rc -eq 0 ]; then
		result=PASS
	elif [ $rc -eq 4 ]; then
		result=SKIP
	else
		result=FAIL
	fi
}

# Read the lists on fd 3 so that tests cannot eat them from stdin.
while read -r name <&3; do
	case "$name" in ''|'#'*) continue ;; esac
	selected "$name" || continue
	run_one "$name" "${name%%:*}" "${name#*:}"
done 3<"$LIST"

subsets >/tmp/ksft-subsets.$$
while read -r name args <&3; do
	base=${name%/*}
	# shellcheck disable=SC2086 # args are separate words on purpose
	run_one "$name" "${base%%:*}" "${base#*:}" $args
done 3</tmp/ksft-subsets.$$
rm -f /tmp/ksft-subsets.$$

echo "run.sh: $npass pass, $nfail fail, $nskip skip, $ntimeout timeout in $(( $(date +%s) - run_start ))s"
exit 0
