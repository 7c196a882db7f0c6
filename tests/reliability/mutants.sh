#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The mutation check of the fail-nth sweep and its comparison (make reliability-mutants): each
# tests/reliability/mutants/*.patch changes rust/kernel/unshare.rs in a way that the sweep must catch
# (a phase moved, an error path that leaves the task changed). For each, the debug kernel is
# built with the patch in its own build folder (only the kernel crate is compiled again; a copy
# of the folder would rebuild everything, as objtool's dependencies name the folder), its
# bzImage kept in OUTDIR/NAME, the tree's file restored; the fail-nth sweep of the combination
# the patch names ("Combo:") runs under both implementations (tests/reliability/run.sh,
# PARTS=failnth, the small size), and compare.py must fail with a line that matches the patch's
# "Expect:" (an extended regular expression naming the phase). At the end the debug kernel is
# built again from the restored file. Ends with 'N passed, N failed': a pass is a mutant caught.
#
#   tests/reliability/mutants.sh KSRC DEBUG_OBJ OUTDIR
#
# Environment: KMAKE (the kernel's make, from the top-level Makefile), JOBS, MUTANTS (patch
# files; default: every one of tests/reliability/mutants).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "mutants.sh: $*" >&2; exit 2; }
[ $# = 3 ] || die "usage: $0 KSRC DEBUG_OBJ OUTDIR"
KSRC=$(realpath "$1")
DOBJ=$(realpath "$2")
mkdir -p "$3"
OUT=$(realpath "$3")
: "${KMAKE:?KMAKE must be set: run make reliability-mutants}"
[ -f "$DOBJ/arch/x86/boot/bzImage" ] || die "no debug kernel in $DOBJ: run make kernel-debug"
target=$KSRC/rust/kernel/unshare.rs
[ -f "$target" ] || die "$target is missing: is the series applied to $KSRC?"
read -r -a mutants <<<"${MUTANTS:-$(echo "$here"/mutants/*.patch)}"
saved=$OUT/unshare.rs.orig
build() {
	$KMAKE -C "$KSRC" O="$DOBJ" -j"${JOBS:-$(nproc)}" bzImage >"$1" 2>&1
}

# The tree's file back, with a new mtime, so that the debug kernel's next build compiles it.
restore() {
	if [ -f "$saved" ]; then
		cp "$saved" "$target"
		rm -f "$saved"
		touch "$target"
	fi
}
trap restore EXIT INT TERM

passed=0 failed=0
# The verdicts, for make results (docs/results/), with the series under test.
: >"$OUT/summary.txt"
if [ -n "${PATCHES:-}" ]; then (. "$here/../../workbench/lib.sh" && series_sum) >"$OUT/series"; else rm -f "$OUT/series"; fi
for m in "${mutants[@]}"; do
	name=$(basename "$m" .patch)
	combo=$(sed -n 's/^Combo: //p' "$m")
	expect=$(sed -n 's/^Expect: //p' "$m")
	[ -n "$combo" ] && [ -n "$expect" ] || die "$m names no 'Combo:' or no 'Expect:'"
	dir=$OUT/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "mutants: $name: building the debug kernel with it (log: $dir/build.log)"
	cp -p "$target" "$saved"
	patch -s -d "$KSRC" -p1 --no-backup-if-mismatch <"$m" ||
		die "$m does not apply to $target: update the mutant to the series"
	if ! build "$dir/build.log"; then
		restore
		grep -m5 -E 'error' "$dir/build.log" >&2 || true
		die "the build with $name failed; see $dir/build.log"
	fi
	cp "$DOBJ/arch/x86/boot/bzImage" "$dir/bzImage"
	restore
	echo "mutants: $name: the fail-nth sweep of $combo under both implementations"
	set +e
	PARTS=failnth REPLAY=0 OBJ=$DOBJ CMDLINE="rel_combo=$combo ${CMDLINE:-}" \
		"$here/run.sh" "$dir/bzImage" "$dir" small >"$dir/run.log" 2>&1
	rc=$?
	set -e
	caught=$(grep -E "^FAIL: .*($expect)" "$dir/report.txt" 2>/dev/null | head -n1 || true)
	if [ "$rc" != 0 ] && [ -n "$caught" ]; then
		passed=$((passed + 1))
		echo "PASS: mutant $name caught: ${caught#FAIL: }" | tee -a "$OUT/summary.txt"
	else
		failed=$((failed + 1))
		echo "FAIL: mutant $name not caught (run.sh exit status $rc, no FAIL line matching '$expect'; see $dir/report.txt)" |
			tee -a "$OUT/summary.txt"
	fi
done
echo "mutants: building the debug kernel again without a mutant (log: $OUT/build.log)"
build "$OUT/build.log" || { echo "FAIL: the debug kernel's rebuild failed; see $OUT/build.log"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed" | tee -a "$OUT/summary.txt"
[ "$failed" = 0 ]
