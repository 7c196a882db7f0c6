#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel with a test initramfs in QEMU (TCG) and judge the result.
#
#   ARCH=x86_64|arm64|riscv64 tests/qemu/boot.sh KERNEL INITRD LOGFILE TIMEOUT_SECONDS [EXTRA_CMDLINE...]
#
# ARCH picks QEMU, the machine, the console and the qemu-exit device
# (tests/qemu/arch.sh): x86_64 boots a bzImage on the default PC machine with
# isa-debug-exit; arm64 an Image on -M virt -cpu max; riscv64 an Image on
# -M virt with QEMU's OpenSBI; the last two exit through semihosting
# (the semihosting branch of tests/qemu/qemu-exit.c), with the same QEMU statuses.
#
# The whole serial console goes to LOGFILE (and to stdout too with VERBOSE=1).
# EXTRA_CMDLINE words are appended to the kernel command line, e.g.
# run=/tests/other.sh or run_timeout=600 (read by tests/qemu/init).
# With run=shell the guest gives an interactive shell on this terminal
# (Ctrl-A x quits QEMU; 'exit' in the shell powers the guest off).
#
# Exit status 0 only if all of:
#   - QEMU exited with status 1, i.e. the guest's init called `qemu-exit 0`
#     (isa-debug-exit, or semihosting SYS_EXIT with status (0<<1)|1),
#   - LOGFILE has the line "@@@ EXIT 0" (the test script succeeded),
#   - LOGFILE has no kernel splat (panic, BUG, WARNING, Oops, lockdep, hung
#     task, RCU, kmemleak, UBSAN, KASAN, KFENCE, Rust panic), apart from the
#     text that SPLAT_EXCEPT matches (make kcsan: KCSAN's report headers).
# Otherwise it prints one line naming the cause and exits 1 (2 for bad usage).
#
# Environment: ARCH (default x86_64), SMP (default 1; 2 on arm64 and riscv64), MEM (default 1G),
# VERBOSE=1, SPLAT_EXCEPT (lines not to count as splats), QEMU (default per ARCH:
# qemu-system-x86_64, qemu-system-aarch64, qemu-system-riscv64), QEMU_CPU (arm64; default
# max,pauth-impdef=on), QEMU_ARGS (extra QEMU arguments).
set -euo pipefail

usage() { echo "boot.sh: $*" >&2; exit 2; }
fail() { echo "boot.sh: FAIL: $*" >&2; exit 1; }

[ $# -ge 4 ] || usage "usage: $0 KERNEL INITRD LOGFILE TIMEOUT_SECONDS [EXTRA_CMDLINE...] (got $# arguments)"
KERNEL=$1 INITRD=$2 LOG=$3 TIMEOUT=$4
shift 4
HERE=$(cd "$(dirname "$0")" && pwd)
B=${B:-$(cd "$HERE/../.." && pwd)/build}
# shellcheck source=tests/qemu/arch.sh
. "$HERE/arch.sh" || usage "bad ARCH"
[ -f "$KERNEL" ] && [ -r "$KERNEL" ] || usage "kernel '$KERNEL' not found; pass the $ARCH boot image (e.g. build/obj-$ARCH/$KIMAGE)"
[ -f "$INITRD" ] && [ -r "$INITRD" ] || usage "initrd '$INITRD' not found; build one with ARCH=$ARCH tests/qemu/mkinitramfs.sh"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || usage "TIMEOUT_SECONDS '$TIMEOUT' is not a positive number of seconds"
[ -d "$(dirname -- "$LOG")" ] || usage "directory of LOGFILE '$LOG' does not exist; create it first"
command -v "$QEMU" >/dev/null || usage "'$QEMU' not found; apt-get install $ARCH_PACKAGES"
SMP=${SMP:-$SMP_DEFAULT}
MEM=${MEM:-1G}

shell_mode=0
for w in "$@"; do [ "$w" = run=shell ] && shell_mode=1; done

cmdline="console=$CONSOLE ${CMDLINE_ARCH:+$CMDLINE_ARCH }panic=-1 oops=panic $*"
# shellcheck disable=SC2206,SC2054 # QEMU_ARGS is word-split; commas belong to -device
qemu=("$QEMU" "${QEMU_MACHINE[@]}" -accel tcg -m "$MEM" -smp "$SMP" -nographic -no-reboot
      -kernel "$KERNEL" -initrd "$INITRD" -append "$cmdline"
      "${QEMU_EXIT[@]}" ${QEMU_ARGS:-})

: >"$LOG"
start=$(date +%s)
set +e
if [ $shell_mode = 1 ]; then
	# Foreground: QEMU must own the terminal to read from it.
	timeout --foreground --kill-after=10 "$TIMEOUT" "${qemu[@]}" | tee "$LOG"
	qemu_rc=${PIPESTATUS[0]}
elif [ "${VERBOSE:-0}" = 1 ]; then
	timeout --kill-after=10 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 | tee "$LOG"
	qemu_rc=${PIPESTATUS[0]}
else
	timeout --kill-after=10 "$TIMEOUT" "${qemu[@]}" </dev/null >"$LOG" 2>&1
	qemu_rc=$?
fi
set -e
elapsed=$(( $(date +%s) - start ))
echo "boot.sh: QEMU exited with status $qemu_rc after ${elapsed}s; log in $LOG"

if [ $shell_mode = 1 ]; then
	case $qemu_rc in 124|137) fail "shell session ended by the ${TIMEOUT}s limit; pass a larger TIMEOUT_SECONDS" ;; esac
	[ "$qemu_rc" -eq 0 ] || [ "$qemu_rc" -eq 1 ] || fail "QEMU exited with status $qemu_rc; see $LOG"
	exit 0
fi

# Kernel splats. Extended regexps, matched anywhere in a line.
splats=(
	'Kernel panic'
	'BUG:'
	'WARNING:'
	'Oops'
	'general protection fault'
	'Unable to handle kernel'
	'Internal error:'
	'possible circular locking'
	'inconsistent lock state'
	'INFO: task .* blocked'
	'suspicious RCU usage'
	'kmemleak: .*(suspected memory leak|unreferenced object)'
	'unreferenced object 0x'
	'UBSAN:'
	'KASAN:'
	'KFENCE:'
	'rust_panic'
	'panicked at'
)
pattern=$(IFS='|'; echo "${splats[*]}")
# SPLAT_EXCEPT: an extended regexp of lines that are not splats for this run (make kcsan: KCSAN's
# reports, which tests/reliability/kcsan_report.py collects and judges).
# The excepted text is cut out of each line, not the line dropped: another splat on the same line
# (two CPUs' output interleaved) still counts.
splat_lines() {
	if [ -n "${SPLAT_EXCEPT:-}" ]; then
		grep -a -E -- "$pattern" "$LOG" | awk -v re="$SPLAT_EXCEPT" '{ gsub(re, "") } 1' |
			grep -a -E -- "$pattern"
	else
		grep -a -E -- "$pattern" "$LOG"
	fi
}
splat=$(splat_lines | head -n1 | tr -d '\r' || true)
case $qemu_rc in
124|137) timed_out=1 ;;  # timeout(1): TERM, or KILL after --kill-after
*) timed_out=0 ;;
esac

if [ -n "$splat" ]; then
	[ $timed_out = 1 ] && fail "kernel splat: '$splat' (then the guest hung: no result after $TIMEOUT s); see $LOG"
	fail "kernel splat: '$splat'; see $LOG"
fi
[ $timed_out = 1 ] && fail "guest hung: no result after $TIMEOUT s; see $LOG"

exit_line=$(grep -a -m1 -E '^@@@ EXIT [0-9]+' "$LOG" | tr -d '\r' || true)
grep -a -q 'Linux version' "$LOG" \
	|| fail "the kernel never started (QEMU status $qemu_rc): QEMU error or not a bootable KERNEL; see $LOG"
[ -n "$exit_line" ] || fail "guest stopped without an '@@@ EXIT' line (QEMU status $qemu_rc): it crashed or never reached /init; see $LOG"
status=${exit_line#@@@ EXIT }
[ "$status" = 0 ] || fail "test script failed: '$exit_line'; see $LOG"
[ "$qemu_rc" -eq 1 ] || fail "QEMU exited with status $qemu_rc instead of 1: qemu-exit did not work (guest rebooted, or the device / semihosting is missing); see $LOG"
echo "boot.sh: PASS"
