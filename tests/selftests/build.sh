#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the in-tree kselftest targets named in tests/selftests/list as static
# binaries and install them as one kselftest collection.
#
#   ARCH=x86_64|arm64|riscv64 tests/selftests/build.sh KERNEL_SRC OUTDIR
#
# (build.sh for any ARCH: the UAPI headers of ARCH and ARCH's compiler from
# tests/qemu/arch.sh, e.g. CC="aarch64-linux-gnu-gcc -static" plus the libcap
# of $B/cross/ARCH/sysroot.)
#
# KERNEL_SRC is a kernel source tree (it is only read: every output goes to
# OUTDIR, and when KERNEL_SRC is a git checkout the script checks afterwards
# that `git status --ignored` of its tools/ shows nothing new).
#
# OUTDIR afterwards holds:
#   hdr/                 kbuild output of `make headers_install`
#   usr/include/         the exported UAPI headers (KHDR_INCLUDES)
#   kselftest/<target>/  object/binary output of each target
#   kselftest_install/   the installed collection: run_kselftest.sh,
#                        kselftest-list.txt, kselftest/runner.sh, <target>/...
#                        ksft-timeout (the per-test runner, ksft-timeout.c),
#                        plus build-failures.txt (see below); this directory is
#                        what the guest gets as /tests/kselftest
#   logs/<target>.log    build log of each target
#
# A target or single test that does not build is not fatal: everything that
# builds is installed, and each test that did not build is written to
# kselftest_install/build-failures.txt as "<target>:<test>" (run.sh reports
# these as FAIL so that they show up against the expectations). The exit
# status is non-zero only for bad arguments or an environment problem.
#
# Environment: JOBS (default 2) parallel make jobs per target.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 KERNEL_SRC OUTDIR (got $# arguments); pass the kernel source tree and an output directory"
SRC=$(realpath -e -- "$1" 2>/dev/null) || die "kernel source '$1' does not exist; pass the path of a kernel source tree"
ST=$SRC/tools/testing/selftests
[ -f "$ST/lib.mk" ] || die "'$SRC' has no tools/testing/selftests/lib.mk; pass the top of a kernel source tree"
OUT=$(realpath -m -- "$2")
case "$OUT/" in "$SRC"/*) die "OUTDIR '$OUT' is inside KERNEL_SRC; pick a directory outside the source tree" ;; esac
mkdir -p -- "$OUT" || die "cannot create output directory '$OUT'; pass a writable path"

HERE=$(cd "$(dirname "$0")" && pwd)
LIST=$HERE/list
[ -r "$LIST" ] || die "target list '$LIST' is missing; restore tests/selftests/list"
JOBS=${JOBS:-2}
B=${B:-$(cd "$HERE/../.." && pwd)/build}
# shellcheck source=tests/qemu/arch.sh
. "$HERE/../qemu/arch.sh" || die "bad ARCH"
TCC="${TARGET_CC[*]} -static ${TARGET_LIBFLAGS[*]}"
for tool in make "${TARGET_CC[0]}" rsync; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed; apt-get install $tool"
done

# Targets: first word of each non-comment line.
mapfile -t TARGETS < <(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]].*//' "$LIST" | grep -v '^$')
[ ${#TARGETS[@]} -gt 0 ] || die "'$LIST' names no targets; add at least one selftest target"
for t in "${TARGETS[@]}"; do
	[ -f "$ST/$t/Makefile" ] || die "target '$t' from $LIST has no $ST/$t/Makefile; fix the list"
done

# `git status` of KERNEL_SRC (empty when it is no git checkout), to check
# at the end that the build added nothing to the source tree. Others may be
# changing the tree meanwhile, so only paths under tools/ count.
src_status() {
	git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 || return 0
	git -C "$SRC" status --short --ignored -- tools 2>/dev/null
}
SRC_STATUS_BEFORE=$(src_status)

INSTALL=$OUT/kselftest_install
LOGS=$OUT/logs
mkdir -p "$LOGS"
rm -rf "$INSTALL"
mkdir -p "$INSTALL"
FAILS=$INSTALL/build-failures.txt
: >"$FAILS"
: >"$OUT/kselftest-list.txt.new"

# 1. UAPI headers, built out of tree (kbuild O=) so the source stays clean.
echo "== headers_install -> $OUT/usr/include"
make -C "$SRC" O="$OUT/hdr" ARCH="$KARCH" INSTALL_HDR_PATH="$OUT/usr" -j"$JOBS" headers_install \
	>"$LOGS/headers.log" 2>&1 || die "headers_install failed; see $LOGS/headers.log"

# Common make arguments. O= makes the selftests Makefile put every object
# under $OUT/kselftest/<target> (BUILD=$O/kselftest, OUTPUT=$BUILD/<target>).
MK=(make -C "$ST" O="$OUT" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="$TCC" KHDR_INCLUDES="-isystem $OUT/usr/include"
    KSFT_INSTALL_PATH="$INSTALL")

# Print a variable of a target's Makefile (as lib.mk expands it).
target_var() { # target var
	local t=$1 var=$2
	make -s --no-print-directory -C "$ST/$t" -f Makefile -f - \
		OUTPUT="$OUT/kselftest/$t" O="$OUT" ARCH="$KARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="$TCC" \
		KHDR_INCLUDES="-isystem $OUT/usr/include" print-var <<EOF
print-var:
	@echo \$($var)
EOF
}

declare -A STATUS
for t in "${TARGETS[@]}"; do
	log=$LOGS/${t//\//_}.log
	echo "== $t"
	mkdir -p "$OUT/kselftest/$t"
	if "${MK[@]}" -j"$JOBS" TARGETS="$t" FORCE_TARGETS=1 install >"$log" 2>&1; then
		STATUS[$t]=ok
	else
		# Build what builds (-k), then install only the programs that exist.
		"${MK[@]}" -k -j"$JOBS" TARGETS="$t" all >>"$log" 2>&1 || true
		gen=() ext=() missing=()
		for p in $(target_var "$t" TEST_GEN_PROGS); do
			if [ -x "$p" ]; then gen+=("$p"); else missing+=("$(basename "$p")"); fi
		done
		for p in $(target_var "$t" TEST_GEN_PROGS_EXTENDED); do
			[ -x "$p" ] && ext+=("$p")
		done
		if [ ${#gen[@]} -eq 0 ] && [ -z "$(target_var "$t" TEST_PROGS)" ]; then
			STATUS[$t]="FAILED (nothing built)"
		else
			# Overriding the lists on the command line keeps make from
			# trying (and failing) to build the missing ones again.
			"${MK[@]}" TARGETS="$t" TEST_GEN_PROGS="${gen[*]}" \
				TEST_GEN_PROGS_EXTENDED="${ext[*]}" install >>"$log" 2>&1 \
				|| { STATUS[$t]="FAILED (install)"; }
			: "${STATUS[$t]:=partial: ${#missing[@]} test(s) did not build}"
		fi
		for m in "${missing[@]}"; do echo "$t:$m" >>"$FAILS"; done
		if [[ ${STATUS[$t]} == FAILED* ]]; then
			for p in $(target_var "$t" TEST_GEN_PROGS); do
				grep -qx "$t:$(basename "$p")" "$FAILS" || echo "$t:$(basename "$p")" >>"$FAILS"
			done
		fi
	fi
	# `install` rewrites kselftest-list.txt for the targets of this run only.
	[ -f "$INSTALL/kselftest-list.txt" ] && cat "$INSTALL/kselftest-list.txt" >>"$OUT/kselftest-list.txt.new"
	rm -f "$INSTALL/kselftest-list.txt"
done
# The runner run.sh uses in the guest (see ksft-timeout.c).
$TCC -O2 -Wall -o "$INSTALL/ksft-timeout" "$HERE/ksft-timeout.c" >"$LOGS/ksft-timeout.log" 2>&1 \
	|| die "compiling $HERE/ksft-timeout.c failed; see $LOGS/ksft-timeout.log"
# Tests that failed to build must not be in the run list.
grep -vxF -f "$FAILS" "$OUT/kselftest-list.txt.new" >"$INSTALL/kselftest-list.txt" || true
rm -f "$OUT/kselftest-list.txt.new"
cp "$LIST" "$INSTALL/targets.list"

echo
echo "== summary"
for t in "${TARGETS[@]}"; do printf '  %-26s %s\n' "$t" "${STATUS[$t]}"; done
echo "  $(wc -l <"$INSTALL/kselftest-list.txt") tests installed in $INSTALL"
if [ -s "$FAILS" ]; then
	echo "  did not build (listed in $FAILS):"
	sed 's/^/    /' "$FAILS"
fi

new_files=$(comm -13 <(echo "$SRC_STATUS_BEFORE" | sort) <(src_status | sort))
if [ -n "$new_files" ]; then
	echo "build.sh: the build wrote into $SRC:" >&2
	echo "$new_files" | head -20 >&2
	die "the selftest build left files in the source tree; fix build.sh (OUTPUT/O handling) and clean $SRC"
fi
exit 0
