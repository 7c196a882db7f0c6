#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compare the kselftest results in a serial log with the expectations.
#
#   tests/selftests/compare.sh LOGFILE [EXPECTATIONS]
#
# LOGFILE is the console log of a guest that ran tests/selftests/run.sh
# (lines "@@@ PLAN <target>:<test>" and "@@@ RESULT <target>:<test> <RESULT>").
# EXPECTATIONS (default tests/selftests/expectations.txt) has one line per
# test that does not pass on the unmodified base kernel:
#   <target>:<test> <FAIL|SKIP|TIMEOUT> # reason
# Every other test must PASS. Blank lines and lines starting with # are ignored.
#
# Prints each departure:
#   unexpected: <test> got <RESULT>, expected <RESULT>
#   missing: <test> has no result in the log, expected <RESULT>
# and, for each ungated test (tests/selftests/ungated: run.sh reports it with
# "@@@ UNGATED <test> <failed> of <runs>" instead of a RESULT line), one line
#   info: <test> failed <failed> of <runs> runs (ungated)
# that counts neither way; it ends with "N passed, N failed" (passed = results
# as expected, failed = departures). Exit status: 0 no departure, 1 departures, 2 bad input.
set -euo pipefail

die() { echo "compare.sh: $*" >&2; exit 2; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 LOGFILE [EXPECTATIONS] (got $# arguments)"
LOG=$1
EXP=${2:-$(cd "$(dirname "$0")" && pwd)/expectations.txt}
[ -r "$LOG" ] || die "log '$LOG' not found; pass the LOGFILE given to tests/qemu/boot.sh"
[ -r "$EXP" ] || die "expectations '$EXP' not found; pass tests/selftests/expectations.txt"

# Check the expectations' format first, to name a bad line precisely.
bad=$(awk '
	{ sub(/\r$/, "") }
	/^[[:space:]]*(#|$)/ { next }
	!/^[^[:space:]:]+:[^[:space:]]+[[:space:]]+(FAIL|SKIP|TIMEOUT)[[:space:]]*(#.*)?$/ {
		print FILENAME ":" FNR ": " $0; exit
	}' "$EXP")
[ -z "$bad" ] || die "bad expectation line $bad; use '<target>:<test> FAIL|SKIP|TIMEOUT # reason'"
dups=$(awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$EXP" | sort | uniq -d | head -1)
[ -z "$dups" ] || die "'$dups' is listed twice in $EXP; keep one line per test"

grep -a -q -E '^@@@ (RESULT|PLAN) ' "$LOG" \
	|| die "no '@@@ RESULT' lines in '$LOG': the guest did not run tests/selftests/run.sh; check the log for why"

awk -v explist="$EXP" '
BEGIN {
	while ((getline line < explist) > 0) {
		sub(/\r$/, "", line)
		if (line ~ /^[[:space:]]*(#|$)/) continue
		split(line, f, /[[:space:]]+/)
		expect[f[1]] = f[2]
	}
}
{ sub(/\r$/, "") }
$1 == "@@@" && $2 == "PLAN" { plan[$3] = 1; order[++n] = $3; next }
$1 == "@@@" && $2 == "UNGATED" {
	if (!($3 in plan) && !($3 in ungated)) order[++n] = $3
	ungated[$3] = $4 " of " $6
	next
}
$1 == "@@@" && $2 == "RESULT" {
	if (!($3 in plan) && !($3 in got)) order[++n] = $3
	got[$3] = $4
	next
}
END {
	passed = failed = 0
	for (i = 1; i <= n; i++) {
		t = order[i]
		if (t in seen) continue
		seen[t] = 1
		want = (t in expect) ? expect[t] : "PASS"
		if ((t in ungated) && !(t in got)) {
			print "info: " t " failed " ungated[t] " runs (ungated)"
		} else if (!(t in got)) {
			print "missing: " t " has no result in the log, expected " want
			failed++
		} else if (got[t] != want) {
			print "unexpected: " t " got " got[t] ", expected " want
			failed++
		} else
			passed++
	}
	# Expected non-passes that this run neither planned nor ran.
	for (t in expect)
		if (!(t in seen)) {
			if (n_plan_only_known)
				continue
			print "missing: " t " has no result in the log, expected " expect[t]
			failed++
		}
	print passed " passed, " failed " failed"
	exit failed ? 1 : 0
}' n_plan_only_known="$(grep -a -q -E '^@@@ FILTER' "$LOG" && echo 1 || echo 0)" "$LOG"
