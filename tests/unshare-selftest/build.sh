#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the unshare(2) kselftests (tools/testing/selftests/unshare) as
# static binaries, entirely outside the kernel source tree.
#
#   ARCH=x86_64|arm64|riscv64 tests/unshare-selftest/build.sh KERNEL_SRC OUTDIR [SELFTEST_DIR]
#
# (build.sh for any ARCH: ARCH's UAPI headers and compiler from tests/qemu/arch.sh.)
#
# KERNEL_SRC    kernel source tree; only read. It provides the UAPI headers
#               (make headers_install with O=, so nothing is written there)
#               and tools/testing/selftests/{lib.mk,kselftest*.h,kselftest/}.
# OUTDIR        everything goes here:
#                 hdr/            kbuild output of headers_install
#                 usr/include/    the installed UAPI headers
#                 tree/           a minimal selftests tree with the overlay
#                 bin/            the static test programs
#                 logs/           build logs
# SELFTEST_DIR  the selftest sources (the overlay); default
#               <repo>/tools/testing/selftests/unshare
#
# Environment: JOBS (default 2), FORCE_HEADERS=1 to redo headers_install.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 KERNEL_SRC OUTDIR [SELFTEST_DIR] (got $# arguments)"
SRC=$(realpath -e -- "$1" 2>/dev/null) || die "kernel source '$1' does not exist"
[ -f "$SRC/tools/testing/selftests/lib.mk" ] || die "'$SRC' has no tools/testing/selftests/lib.mk; pass the top of a kernel tree"
TESTS=$(realpath -e -- "${3:-$REPO/tools/testing/selftests/unshare}" 2>/dev/null) \
	|| die "selftest directory '${3:-$REPO/tools/testing/selftests/unshare}' does not exist"
[ -f "$TESTS/Makefile" ] || die "'$TESTS' has no Makefile; pass the unshare selftest directory"
mkdir -p -- "$2" || die "cannot create '$2'"
OUT=$(realpath -e -- "$2")
case "$OUT/" in "$SRC"/*) die "OUTDIR '$OUT' is inside KERNEL_SRC; pick a directory outside" ;; esac
JOBS=${JOBS:-2}
B=${B:-$REPO/build}
# shellcheck source=tests/qemu/arch.sh
. "$HERE/../qemu/arch.sh" || die "bad ARCH"
TCC="${TARGET_CC[*]} -static ${TARGET_LIBFLAGS[*]}"
for tool in make "${TARGET_CC[0]}"; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed: apt-get install $ARCH_PACKAGES (make setup)"
done
mkdir -p "$OUT/logs"
# A static C library for ARCH (for i386: lib32gcc-12-dev and libc6-dev-i386).
printf 'int main(void) { return 0; }\n' >"$OUT/logs/probe.c"
$TCC -o "$OUT/logs/probe" "$OUT/logs/probe.c" >"$OUT/logs/probe.log" 2>&1 ||
	die "'$TCC' cannot link a static program (see $OUT/logs/probe.log): apt-get install $ARCH_PACKAGES (make setup)"

# 1. UAPI headers (O= keeps the source tree clean); redone when stale or of another ARCH.
if [ -n "${FORCE_HEADERS:-}" ] || [ ! -f "$OUT/usr/include/linux/sched.h" ] ||
   [ "$(cat "$OUT/usr/include/.arch" 2>/dev/null)" != "$KARCH" ] ||
   [ "$SRC/include/uapi/linux/sched.h" -nt "$OUT/usr/include/linux/sched.h" ]; then
	echo "== headers_install -> $OUT/usr/include"
	make -C "$SRC" O="$OUT/hdr" ARCH="$KARCH" INSTALL_HDR_PATH="$OUT/usr" -j"$JOBS" \
		headers_install >"$OUT/logs/headers.log" 2>&1 \
		|| die "headers_install failed; see $OUT/logs/headers.log"
	echo "$KARCH" >"$OUT/usr/include/.arch"
fi

# 2. A minimal selftests tree: the harness and lib.mk of KERNEL_SRC, plus
#    the overlay as unshare/ (it includes ../kselftest_harness.h).
ST=$OUT/tree/tools/testing/selftests
rm -rf "$OUT/tree"
mkdir -p "$ST"
cp -p "$SRC"/tools/testing/selftests/{lib.mk,kselftest.h,kselftest_harness.h} "$ST/"
cp -rp "$SRC/tools/testing/selftests/kselftest" "$ST/"
cp -rp "$TESTS" "$ST/unshare"

# 3. Build.
echo "== make -> $OUT/bin"
mkdir -p "$OUT/bin"
make -C "$ST/unshare" -j"$JOBS" OUTPUT="$OUT/bin" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="$TCC" \
	KHDR_INCLUDES="-isystem $OUT/usr/include" >"$OUT/logs/build.log" 2>&1 \
	|| { tail -n 30 "$OUT/logs/build.log" >&2; die "build failed; see $OUT/logs/build.log"; }
progs=$(make -s --no-print-directory -C "$ST/unshare" -f Makefile -f - \
	OUTPUT="$OUT/bin" print-progs <<'EOF'
print-progs:
	@echo $(TEST_GEN_PROGS)
EOF
)
for p in $progs; do
	[ -x "$p" ] || die "$p was not built; see $OUT/logs/build.log"
	file -L "$p" 2>/dev/null | grep -q 'statically linked' \
		|| die "$p is not statically linked"
	file -L "$p" 2>/dev/null | grep -q "$FILE_MACHINE" \
		|| die "$p is not a $ARCH ($FILE_MACHINE) program"
done
echo "== built:"
for p in $progs; do echo "  $p"; done
