#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: runs each part in turn, each with its own make (so that a part that does not
# build still lets the others run), and adds up their "N passed, N failed" lines.
#
#   workbench/check-parts.sh PART...
#
# A part is figures (the figures quoted by the prose are in docs/results: make check-figures,
# seconds, no kernel), coverage (docs/results/coverage.md describes the tree's sources: make
# check-coverage, seconds; make coverage regenerates it), an architecture (x86_64, arm64, riscv64: make check-arch ARCH=<part>),
# x86_64-nosysctl or x86_64-vanilla (the x86_64 suites on another base, with every patch but the
# Debian-only last one: make check-arch BASE=debian-nosysctl or BASE=vanilla), kunit
# (kunit.py run with the series' kunitconfig: make kunit), kunitconfig (kunit.py config only: make
# kunitconfig), x86_64-debug (the same suites on the
# debug kernel: make check-debug) or reliability-small (the debug kernel's fault-injection
# sweep, fuzzer and soak). Each part's
# output goes to the terminal and to $B/check-<part>.log; the seconds each took, its counts, the
# time it ended and the series (sha256 of patches/) to its line of $B/check.times (the lines of
# the parts not run stay: each line is the latest run of its part). A part that ends without a
# count line counts as one failure. At the end, workbench/check-results.py writes
# $B/results/check.md from check.times and the logs (make results copies it to docs/results/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
B=${B:?B must be set}
[ $# -ge 1 ] || die "usage: $0 PART... (figures, coverage, x86_64, arm64, riscv64, x86_64-nosysctl, x86_64-vanilla, kunit, kunitconfig, x86_64-debug, reliability-small)"
MAKE=${MAKE:-make}

passed=0 failed=0
summary=()
check_start=$(date +%s)
touch "$B/check.times"
for part in "$@"; do
	case $part in
	figures) cmd=("$MAKE" --no-print-directory check-figures) ;;
	coverage) cmd=("$MAKE" --no-print-directory check-coverage) ;;
	x86_64 | arm64 | riscv64) cmd=("$MAKE" --no-print-directory check-arch ARCH="$part") ;;
	x86_64-nosysctl) cmd=("$MAKE" --no-print-directory check-arch ARCH=x86_64 BASE=debian-nosysctl) ;;
	x86_64-vanilla) cmd=("$MAKE" --no-print-directory check-arch ARCH=x86_64 BASE=vanilla) ;;
	kunit) cmd=("$MAKE" --no-print-directory kunit ARCH=x86_64) ;;
	kunitconfig) cmd=("$MAKE" --no-print-directory kunitconfig ARCH=x86_64) ;;
	x86_64-debug) cmd=("$MAKE" --no-print-directory check-debug ARCH=x86_64) ;;
	reliability-small) cmd=("$MAKE" --no-print-directory reliability-small ARCH=x86_64) ;;
	*) die "unknown part '$part' of make check: pass figures, coverage, x86_64, arm64, riscv64, x86_64-nosysctl, x86_64-vanilla, kunit, kunitconfig, x86_64-debug or reliability-small" ;;
	esac
	log=$B/check-$part.log
	echo "check: ---- $part (${cmd[*]}; log: $log)"
	start=$(date +%s)
	set +e
	"${cmd[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	secs=$(($(date +%s) - start))
	counts=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1 || true)
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
		# A part whose make failed after its count line still fails.
		[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	else
		p=0 f=1
		echo "FAIL: make check: $part ended (exit status $rc) without a 'N passed, N failed' line; see $log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	summary+=("$(printf '%-18s %4d passed, %d failed  %d min %02d s' "$part" "$p" "$f" $((secs / 60)) $((secs % 60)))")
	# The ungated tests' runs (tests/selftests/ungated): information, not counted.
	while read -r line; do
		summary+=("  $line")
	done < <(tr -d '\r' <"$log" | sed -n 's/^ *\(\[[a-z]*\] info: .*\)/\1/p')
	# This part's line replaces its previous one; the other parts' lines stay.
	line="$part $secs s: $p passed, $f failed ($(date -u '+%Y-%m-%d %H:%M UTC'), series $(series_sum))"
	{ grep -v "^$part " "$B/check.times" || true; echo "$line"; } >"$B/check.times.new"
	mv "$B/check.times.new" "$B/check.times"
	# On the terminal too, so that a run stopped later still shows where its time went.
	echo "check: $part took $secs s ($p passed, $f failed); $(($(date +%s) - check_start)) s since make check began"
done

echo "check: summary"
printf '  %s\n' "${summary[@]}"
# The table of the latest result of each part, for docs/results/ (make results); a failure to
# write it is reported and changes no count.
python3 "$here/check-results.py" "$B" ||
	echo "check: warning: $B/results/check.md was not written (workbench/check-results.py failed)" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
