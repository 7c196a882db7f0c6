#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kselftest collection in a QEMU guest and compare with the baseline.
#
#   tests/selftests/qemu.sh KERNEL LOGFILE [EXTRA_CMDLINE...]
#
# Steps: put run.sh and the collection built by build.sh ($SELFTESTS, default
# <repo>/build/selftests/kselftest_install) into a payload directory, make the
# initramfs ($INITRD, default <repo>/build/selftests/initramfs.cpio.gz) with
# tests/qemu/mkinitramfs.sh, boot KERNEL with tests/qemu/boot.sh (hard limit
# $TIMEOUT seconds, default 1200), then run compare.sh on LOGFILE against
# $EXPECTATIONS (default tests/selftests/expectations.txt).
# EXTRA_CMDLINE goes to the kernel command line, e.g. ksft_timeout=60 or
# ksft_tests=core:*,pidfd:* (see run.sh).
#
# Exit status: 0 when the guest ran cleanly and every result is as expected.
set -euo pipefail

die() { echo "qemu.sh: $*" >&2; exit 2; }

[ $# -ge 2 ] || die "usage: $0 KERNEL LOGFILE [EXTRA_CMDLINE...] (got $# arguments)"
KERNEL=$1 LOG=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SELFTESTS=${SELFTESTS:-$REPO/build/selftests/kselftest_install}
INITRD=${INITRD:-$REPO/build/selftests/initramfs.cpio.gz}
TIMEOUT=${TIMEOUT:-1200}
EXPECTATIONS=${EXPECTATIONS:-$HERE/expectations.txt}
[ -f "$KERNEL" ] || die "kernel '$KERNEL' not found; pass a bzImage"
[ -r "$SELFTESTS/kselftest-list.txt" ] \
	|| die "no kselftest collection in '$SELFTESTS'; run tests/selftests/build.sh KERNEL_SRC $REPO/build/selftests first"
mkdir -p "$(dirname "$INITRD")"

payload=$(dirname "$INITRD")/payload
rm -rf "$payload"
mkdir -p "$payload"
cp -p "$HERE/run.sh" "$HERE/subsets" "$HERE/timeouts" "$HERE/retries" "$HERE/ungated" "$payload/"
cp -a "$SELFTESTS" "$payload/kselftest"
"$REPO/tests/qemu/mkinitramfs.sh" "$INITRD" "$payload"

boot_rc=0
"$REPO/tests/qemu/boot.sh" "$KERNEL" "$INITRD" "$LOG" "$TIMEOUT" "$@" || boot_rc=$?
cmp_rc=0
"$HERE/compare.sh" "$LOG" "$EXPECTATIONS" || cmp_rc=$?
if [ $boot_rc -ne 0 ]; then exit $boot_rc; fi
exit $cmp_rc
