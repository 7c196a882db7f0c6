#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Reliability run of unshare(2): fault injection, a differential fuzzer and a soak, on the debug
# kernel (configs/debug.config), once per implementation, compared.
#
#   tests/reliability/run.sh KERNEL OUTDIR [SIZE]
#
# KERNEL  a bzImage built with configs/debug.config (KMEMLEAK, FAILSLAB, FAIL_PAGE_ALLOC,
#         FAULT_INJECTION_DEBUG_FS, FAULT_INJECTION_STACKTRACE_FILTER, lockdep...)
# OUTDIR  where the programs, the initramfs and the serial logs go
# SIZE    small (make check: ~4 minutes per implementation: every fail-nth point but every 40th
#         inside the bulk runs (failnth.c), one kmemleak report, 500 fuzz cases, a 30 s
#         soak), large (make reliability: the full sweep with a kmemleak report per
#         combination, 100,000 fuzz cases, a 30-minute soak: ~2-3 hours per implementation
#         under TCG), or a number of fuzz cases (full sweep, 5-minute soak)
#
# Steps: builds tests/reliability/{failnth,fuzz}.c static, takes unshare_stress_test from the
# conformance selftests (or builds it), lists the functions of mm/kmemleak.o for failnth's
# stack filter, makes the initramfs, boots KERNEL with unshare.impl=c and unshare.impl=rust
# (SMP=2) and runs in each: the fail-nth sweep, the fuzzer (same seed), unshare_stress_test in
# a loop with the fuzzer beside it (other seeds) for the soak time; the guest's init ends with a
# last kmemleak scan. Then compare.py judges each log and the two
# against each other, prints the table and 'N passed, N failed'. When fuzz cases diverge it
# boots once more per implementation to replay the first few verbosely.
#
# Environment: SEED (default 1; "random" draws one), FUZZ_CASES, SOAK_SECONDS, SOAK_ROUNDS
# (UNSHARE_STRESS_ROUNDS of each soak run, default 10), FAILNTH_ROUNDS (default 1: the fail-nth
# sweep K times per boot, every round judged against every other by rounds.py), PARTS (default
# failnth,fuzz,soak),
# IMPLS (default "c rust"), SMP (default 2), MEM (default 1G), TIMEOUT (per boot, seconds),
# OBJ (the kernel's build folder; default: derived from KERNEL), STRESS_TEST (path of
# unshare_stress_test), KERNEL_SRC (tree to build the selftest from), CMDLINE (more kernel
# arguments), KUNIT (default kunit.filter_glob=rust_unshare), SLAB_DEBUG (default
# slab_debug=A;-,kmemleak_object,debug_objects_cache), REPLAY (default 1), PARALLEL (1: boot
# the implementations at the same time, one guest each; for two host cores use SMP=1), KMEMLEAK
# (default 1; 0: the kernel has no kmemleak, so no final scan is expected).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

die() { echo "run.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 KERNEL OUTDIR [small|large|CASES]"
[ -r "$1" ] || die "kernel '$1' not found; build it with configs/debug.config"
KERNEL=$(realpath "$1")
mkdir -p "$2"
OUT=$(realpath "$2")
# The series under test (PATCHES comes from the Makefile), for make results (docs/results/).
if [ -n "${PATCHES:-}" ]; then (. "$top/workbench/lib.sh" && series_sum) >"$OUT/series"; else rm -f "$OUT/series"; fi
SIZE=${3:-small}

case $SIZE in
small)
	cases=${FUZZ_CASES:-500}
	soak=${SOAK_SECONDS:-30}
	quick=1
	;;
large)
	cases=${FUZZ_CASES:-100000}
	soak=${SOAK_SECONDS:-1800}
	;;
[0-9]*)
	cases=$SIZE
	soak=${SOAK_SECONDS:-300}
	;;
*) die "SIZE '$SIZE' is not small, large or a number of fuzz cases" ;;
esac
quick=${quick:-0}
SEED=${SEED:-1}
[ "$SEED" = random ] && SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
IMPLS=${IMPLS:-c rust}
PARTS=${PARTS:-failnth,fuzz,soak}
ROUNDS=${SOAK_ROUNDS:-10}
FROUNDS=${FAILNTH_ROUNDS:-1}
export SMP=${SMP:-2}
export MEM=${MEM:-1G}
OBJ=${OBJ:-${KERNEL%/arch/x86/boot/bzImage}}
# KUnit at boot: only the unshare suite; the kernel crate's doctests run in make check-debug.
KUNIT=${KUNIT:-kunit.filter_glob=rust_unshare}
# Every slab cache but kmemleak's and debugobjects' may fail (failnth turns on failslab's
# cache filter): their allocations come with other allocations or with timing, not with the
# code path under test.
SLAB_DEBUG=${SLAB_DEBUG-slab_debug=A;-,kmemleak_object,debug_objects_cache}
# Guest time under TCG: the full fail-nth sweep ~13 min (the small one ~3), the fuzzer 500 to
# 1,000 cases a minute (fewer with two vCPUs on a busy host).
TIMEOUT=${TIMEOUT:-$((1800 + soak + cases * 60 / 400 + 600 + (FROUNDS - 1) * 600))}

payload=$OUT/payload
rm -rf "$payload"
mkdir -p "$payload"
echo "run.sh: building failnth and fuzz"
gcc -static -O2 -Wall -Wextra -o "$payload/failnth" "$here/failnth.c"
gcc -static -O2 -Wall -Wextra -pthread -o "$payload/fuzz" "$here/fuzz.c"

stress=${STRESS_TEST:-}
if [ -z "$stress" ]; then
	for d in "${B:-$top/build}/unshare-selftest/bin" "$top/build/unshare-selftest-out/bin" \
		"$top/build/unshare-selftest/bin"; do
		if [ -x "$d/unshare_stress_test" ]; then
			stress=$d/unshare_stress_test
			break
		fi
	done
fi
if [ -z "$stress" ]; then
	src=${KERNEL_SRC:-$top/build/linux}
	echo "run.sh: building the unshare selftests from $src"
	"$top/tests/unshare-selftest/build.sh" "$src" "$OUT/selftest" >"$OUT/selftest-build.log" 2>&1 ||
		die "building the unshare selftests failed; see $OUT/selftest-build.log"
	stress=$OUT/selftest/bin/unshare_stress_test
fi
cp "$stress" "$payload/unshare_stress_test"

# failnth's stack filter: the .text functions of mm/kmemleak.o ("name size"), so that kmemleak's
# own metadata allocation after each traced allocation is not a fault point of its own.
if [ -f "$OBJ/mm/kmemleak.o" ]; then
	objdump -t "$OBJ/mm/kmemleak.o" | grep -E ' F \.text\s' | awk '{print $NF, $(NF-1)}' \
		>"$payload/kmemleak.syms"
	echo "run.sh: $(wc -l <"$payload/kmemleak.syms") kmemleak functions for the stack filter"
else
	echo "run.sh: no $OBJ/mm/kmemleak.o: kmemleak's allocations count as fault points (set OBJ=)"
fi
cp "$here/guest.sh" "$payload/run.sh"
chmod +x "$payload/run.sh"
"$top/tests/qemu/mkinitramfs.sh" "$OUT/initramfs.cpio.gz" "$payload"

echo "run.sh: seed=$SEED fuzz cases=$cases soak=${soak}s parts=$PARTS SMP=$SMP timeout=${TIMEOUT}s per boot"
rm -f "$OUT"/verdict-*
cmp_args=(--seed "$SEED")
[ "${KMEMLEAK:-1}" = 0 ] && cmp_args+=(--no-kmemleak)
boot_impl() {
	local impl=$1 log=$OUT/serial-$1.log start verdict
	start=$(date +%s)
	echo "run.sh: booting unshare.impl=$impl (log: $log)"
	# shellcheck disable=SC2086 # CMDLINE holds several words
	verdict=$("$top/tests/qemu/boot.sh" "$KERNEL" "$OUT/initramfs.cpio.gz" "$log" "$TIMEOUT" \
		"unshare.impl=$impl" "rel_parts=$PARTS" "rel_seed=$SEED" "rel_cases=$cases" \
		"rel_soak=$soak" "rel_rounds=$ROUNDS" "rel_failnth_rounds=$FROUNDS" "rel_quick=$quick" "run_timeout=$((TIMEOUT - 30))" $KUNIT "$SLAB_DEBUG" ${CMDLINE:-} 2>&1) || true
	verdict=$(echo "$verdict" | tail -n1)
	echo "$verdict" >"$OUT/verdict-$impl"
	echo "run.sh: unshare.impl=$impl: $verdict ($(($(date +%s) - start)) s)"
}
. "$top/tests/qemu/each-impl.sh"
# shellcheck disable=SC2086 # IMPLS holds several words
each_impl "${PARALLEL:-0}" boot_impl $IMPLS
for impl in $IMPLS; do
	cmp_args+=(--log "$impl=$OUT/serial-$impl.log" --boot "$impl=$(cat "$OUT/verdict-$impl")")
done

set +e
python3 "$here/compare.py" "${cmp_args[@]}" | tee "$OUT/report.txt"
rc=${PIPESTATUS[0]}
if [ "$FROUNDS" -gt 1 ]; then
	rargs=()
	for impl in $IMPLS; do
		rargs+=(--log "$impl=$OUT/serial-$impl.log")
	done
	echo "run.sh: the $FROUNDS rounds of the fail-nth sweep, each against every other"
	python3 "$here/rounds.py" "${rargs[@]}" | tee "$OUT/rounds.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi
set -e

# Replay diverging fuzz cases verbosely, so that the report shows both records.
if [ "${REPLAY:-1}" = 1 ] && grep -q '^fuzz divergence:' "$OUT/report.txt"; then
	for i in $(sed -n 's/^fuzz divergence: seed=[0-9]* case=\([0-9]*\).*/\1/p' "$OUT/report.txt" | head -n3); do
		for impl in $IMPLS; do
			"$top/tests/qemu/boot.sh" "$KERNEL" "$OUT/initramfs.cpio.gz" "$OUT/replay-$impl-$i.log" 600 \
				"unshare.impl=$impl" rel_parts=fuzz "rel_seed=$SEED" "rel_case=$i" rel_soak=0 \
				>/dev/null 2>&1 || true
			echo "replay seed=$SEED case=$i [$impl]: $(grep -a -o 'FUZZ case=.*' "$OUT/replay-$impl-$i.log" | tr -d '\r')"
		done
	done | tee -a "$OUT/report.txt"
fi
exit "$rc"
