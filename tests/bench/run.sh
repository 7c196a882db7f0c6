#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rust against C for every kind of unshare(2), measured side by side.
#
#   tests/bench/run.sh KERNEL OUTDIR
#
# KERNEL is a bzImage built with CONFIG_UNSHARE_RUST=y (both implementations;
# unshare.impl=c|rust picks one at boot), e.g. build/obj-dev/arch/x86/boot/bzImage.
# Builds tests/bench/unshare_bench.c (static) and an initramfs, then boots the
# same kernel alternately with unshare.impl=c and unshare.impl=rust:
#   - ROUNDS times each under QEMU -icount shift=$SHIFT,sleep=off: the guest
#     clock (and rdtsc) is the instruction counter, so the timings are
#     deterministic and, with SHIFT=0, 1 ns = 1 guest instruction;
#   - once each in plain TCG (wall clock) as a cross-check.
# Then tests/bench/report.py writes OUTDIR/report.md, OUTDIR/bench.png and
# OUTDIR/results.json, and prints the table; its last line (and so this
# script's) is the summary "bench: N rows, Rust/C ratio max ...".
#
# The serial logs are kept in OUTDIR/logs/<mode>-r<round>-<impl>.log.
# Needs root (the initramfs is built by tests/qemu/mkinitramfs.sh), gcc with
# the static glibc, qemu-system-x86, busybox-static, binutils, python3
# (python3-matplotlib for the plot; without it the plot is skipped).
#
# Environment:
#   ROUNDS     icount boots per implementation (default 8: the CLONE_NEWNET rows differ from boot to boot by about 0.3%, in C as in Rust)
#   SHIFT      -icount shift (default 0; 1 instruction = 2^SHIFT ns)
#   N_ICOUNT   samples per row under icount (default 51; expensive rows /2 or /4)
#   N_TCG      samples per row in the wall-clock run (default 101)
#   TCG_ROUNDS wall-clock boots per implementation (default 3; 0 skips them)
#   ROWS       comma-separated subset of rows (default: all)
#   OBJDIR     kernel build folder for the size comparison (default: derived
#              from KERNEL, i.e. KERNEL minus /arch/x86/boot/bzImage)
#   BASE_OBJDIR build folder of the kernel without the series (default:
#              OBJDIR/../obj-base if it has a vmlinux): marks the functions
#              that predate the series in the size comparison
#   TIMEOUT    limit per boot in seconds (default 900)
#   PYTHON     interpreter for report.py (default /usr/bin/python3, which has
#              Debian's python3-matplotlib)
set -euo pipefail

die() { echo "bench: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 KERNEL OUTDIR (got $# arguments)"
KERNEL=$(realpath -- "$1")
OUT=$2
[ -f "$KERNEL" ] || die "kernel '$1' not found; pass a bzImage built with CONFIG_UNSHARE_RUST=y"
HERE=$(cd "$(dirname "$0")" && pwd)
QEMU_DIR=$HERE/../qemu
ROUNDS=${ROUNDS:-8}
SHIFT=${SHIFT:-0}
N_ICOUNT=${N_ICOUNT:-51}
N_TCG=${N_TCG:-101}
TCG_ROUNDS=${TCG_ROUNDS:-3}
TIMEOUT=${TIMEOUT:-900}
ROWS=${ROWS:-}
OBJDIR=${OBJDIR:-${KERNEL%/arch/x86/boot/bzImage}}
BASE_OBJDIR=${BASE_OBJDIR:-$(dirname -- "$OBJDIR")/obj-base}
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
	if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then PYTHON=/usr/bin/python3
	else PYTHON=python3; fi
fi
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS='$ROUNDS' must be a positive number"
[[ $TCG_ROUNDS =~ ^[0-9]+$ ]] || die "TCG_ROUNDS='$TCG_ROUNDS' must be a number"
[[ $SHIFT =~ ^[0-9]$ ]] || die "SHIFT='$SHIFT' must be 0..9"
command -v gcc >/dev/null || die "gcc is missing; apt-get install gcc libc6-dev"

mkdir -p "$OUT/payload" "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
# The series under test (PATCHES comes from the Makefile), for make results (docs/results/).
if [ -n "${PATCHES:-}" ]; then (. "$HERE/../../workbench/lib.sh" && series_sum) >"$OUT/series"; else rm -f "$OUT/series"; fi
start=$(date +%s)

# The guest program and its script.
gcc -static -O2 -Wall -Wextra -o "$OUT/payload/unshare_bench" "$HERE/unshare_bench.c" -lm \
	|| die "compiling unshare_bench.c failed (needs the static glibc: libc6-dev)"
cat >"$OUT/payload/run.sh" <<'GUEST'
#!/bin/sh
# Guest side of tests/bench/run.sh: reads bench_* from the kernel command line.
impl=$(dmesg | grep -o 'unshare: using the [A-Za-z]* implementation' | head -1 | cut -d' ' -f4)
[ -n "$impl" ] || { echo "@@@ BENCHERR no 'unshare: using the ... implementation' line in dmesg"; exit 1; }
n=51 mode=unknown rows= rate=
for a in $(cat /proc/cmdline); do
	case $a in
	bench_n=*) n=${a#bench_n=} ;;
	bench_tsc_per_ns=*) rate=${a#bench_tsc_per_ns=} ;;
	bench_mode=*) mode=${a#bench_mode=} ;;
	bench_rows=*) rows=${a#bench_rows=} ;;
	esac
done
echo "@@@ CLOCKSOURCE $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
/tests/unshare_bench -n "$n" -i "$impl" -m "$mode" ${rows:+-r "$rows"} ${rate:+-f "$rate"}
GUEST
chmod +x "$OUT/payload/run.sh"
"$QEMU_DIR/mkinitramfs.sh" "$OUT/initramfs.cpio.gz" "$OUT/payload" >/dev/null

# The unit of the guest's rdtsc. Under -icount the guest TSC is QEMU's virtual
# clock: 1 tick per ns. In plain TCG it is the host's TSC, whose rate is
# measured here (the guest cannot: on a loaded host its TSC calibration fails
# or goes wrong, and its clocksource may fall back to jiffies).
cat >"$OUT/host-tsc-rate.c" <<'HOSTC'
#include <stdint.h>
#include <stdio.h>
#include <time.h>
static uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC_RAW, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
int main(void)
{
	double best = 0;
	for (int i = 0; i < 5; i++) {	/* shortest-window estimate: least disturbed */
		double a = now(); uint64_t ta = rdtsc();
		struct timespec d = { 0, 100000000 }; nanosleep(&d, NULL);
		uint64_t tb = rdtsc(); double b = now();
		double r = (tb - ta) / (b - a);
		if (!best || r < best) best = r;
	}
	printf("%.6f\n", best);
	return 0;
}
HOSTC
gcc -O2 -o "$OUT/host-tsc-rate" "$OUT/host-tsc-rate.c" || die "compiling host-tsc-rate.c failed"
HOST_TSC=$("$OUT/host-tsc-rate")
echo "bench: host TSC $HOST_TSC ticks/ns (the guest's rdtsc unit in plain TCG)"

# One boot. noapictimer: under -icount the local APIC timer calibration spins
# on `pause` for 0.1 s of guest time, ~20 s of real time; in plain TCG the
# kernel disables that timer anyway ("verification failure").
boot() { # mode round impl n tsc_per_ns qemu_args
	local mode=$1 round=$2 impl=$3 n=$4 rate=$5 qargs=$6
	local log=$OUT/logs/$mode-r$round-$impl.log t0=$SECONDS
	QEMU_ARGS=$qargs "$QEMU_DIR/boot.sh" "$KERNEL" "$OUT/initramfs.cpio.gz" "$log" "$TIMEOUT" \
		"unshare.impl=$impl" "bench_n=$n" "bench_mode=$mode" "bench_tsc_per_ns=$rate" noapictimer \
		${ROWS:+"bench_rows=$ROWS"} >"$log.boot" 2>&1 \
		|| die "boot ($mode round $round, unshare.impl=$impl) failed: $(tail -1 "$log.boot")"
	grep -aq "unshare: using the $( [ "$impl" = c ] && echo C || echo Rust) implementation" "$log" \
		|| die "$log: the kernel did not report the $impl implementation (no unshare.impl= support?)"
	grep -aq '^@@@ BENCHDONE .* errors=0' "$log" || die "$log: the benchmark did not finish cleanly"
	echo "bench: $mode round $round unshare.impl=$impl: $((SECONDS - t0))s"
}

rm -f "$OUT"/logs/*.log "$OUT"/logs/*.boot
# Alternate the implementations; the order flips every round (c rust, rust c, ...).
for ((r = 1; r <= ROUNDS; r++)); do
	if ((r % 2)); then order="c rust"; else order="rust c"; fi
	for impl in $order; do
		boot "icount$SHIFT" "$r" "$impl" "$N_ICOUNT" 1 "-icount shift=$SHIFT,sleep=off"
	done
done
for ((r = 1; r <= TCG_ROUNDS; r++)); do
	if ((r % 2)); then order="c rust"; else order="rust c"; fi
	for impl in $order; do
		boot tcg "$r" "$impl" "$N_TCG" "$HOST_TSC" ""
	done
done
echo "bench: $((2 * (ROUNDS + TCG_ROUNDS))) boots in $(( $(date +%s) - start ))s"

size_args=()
if [ -f "$OBJDIR/vmlinux" ] && [ -f "$OBJDIR/rust/kernel.o" ]; then
	size_args=(--objdir "$OBJDIR")
	[ -f "$BASE_OBJDIR/vmlinux" ] && size_args+=(--base-objdir "$BASE_OBJDIR")
else
	echo "bench: no $OBJDIR/vmlinux or rust/kernel.o: size comparison skipped (set OBJDIR)"
fi
exec "$PYTHON" "$HERE/report.py" --primary "icount$SHIFT" --shift "$SHIFT" "${size_args[@]}" \
	"$OUT" "$OUT"/logs/*.log
