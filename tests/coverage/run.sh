#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Coverage of both implementations of unshare(2): the suites run on the KCOV kernel
# (configs/coverage.config), once per implementation, with KCOV collected around every
# unshare(2) call, and report.py writes the report.
#
#   tests/coverage/run.sh KERNEL_SRC OBJ OUTDIR [REPORT]
#
# KERNEL_SRC  the tree with the series (its selftests are built from it)
# OBJ         the coverage kernel's build folder (vmlinux, bzImage, rust/kernel.o)
# OUTDIR      where the programs, the initramfs, the serial logs and the edges go
# REPORT      the report to write (default OUTDIR/coverage.md)
#
# Steps: builds the unshare selftests (tests/unshare-selftest/build.sh, then each program again
# with tests/coverage/kcov_wrap.c linked in) and tests/reliability/{failnth,fuzz}.c with it
# (--wrap=syscall, and --wrap=unshare for the selftests),
# lists the ranges of the functions the report covers (ranges.py), makes the initramfs, boots
# OBJ's bzImage with unshare.impl=c and unshare.impl=rust (side by side, one vCPU each), and
# hands the edges of both boots to report.py.
#
# Environment: FUZZ_CASES (default 2000), PARTS (default selftests,failnth,fuzz), TIMEOUT (per
# boot, default 5400 s), PARALLEL (default 1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "coverage: $*" >&2; exit 1; }

[ $# -ge 3 ] && [ $# -le 4 ] || die "usage: $0 KERNEL_SRC OBJ OUTDIR [REPORT] (got $# arguments)"
SRC=$1 OBJ=$2 OUT=$3 REPORT=${4:-$3/coverage.md}
KERNEL=$OBJ/arch/x86/boot/bzImage
[ -f "$KERNEL" ] && [ -f "$OBJ/vmlinux" ] || die "no $KERNEL or $OBJ/vmlinux: make kernel-coverage first"
grep -qx CONFIG_KCOV=y "$OBJ/.config" || die "$OBJ is not a KCOV kernel (configs/coverage.config)"
for tool in gcc nm llvm-symbolizer-19 python3; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed (make setup)"
done
CASES=${FUZZ_CASES:-2000}
PARTS=${PARTS:-selftests,failnth,fuzz}
TIMEOUT=${TIMEOUT:-5400}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

payload=$OUT/payload
rm -rf "$payload"
mkdir -p "$payload/selftests"
echo "coverage: building the unshare selftests from $SRC"
"$top/tests/unshare-selftest/build.sh" "$SRC" "$OUT/selftest" >"$OUT/selftest-build.log" 2>&1 ||
	die "building the unshare selftests failed; see $OUT/selftest-build.log"
st=$OUT/selftest/tree/tools/testing/selftests/unshare
progs=$(sed -n 's/^TEST_GEN_PROGS *+\?:\?= *//p' "$st/Makefile")
[ -n "$progs" ] || die "no TEST_GEN_PROGS in $st/Makefile"
for p in $progs; do
	gcc -static -O2 -g -Wall -pthread -isystem "$OUT/selftest/usr/include" -o "$payload/selftests/$p" \
		"$st/$p.c" "$st/unshare_util.c" -DKCOV_WRAP_UNSHARE "$here/kcov_wrap.c" \
		-Wl,--wrap=syscall -Wl,--wrap=unshare ||
		die "building $p with kcov_wrap.c failed"
done
echo "coverage: building failnth, fuzz and kcov_dump"
gcc -static -O2 -Wall -Wextra -o "$payload/failnth" \
	"$top/tests/reliability/failnth.c" "$here/kcov_wrap.c" -Wl,--wrap=syscall
gcc -static -O2 -Wall -Wextra -pthread -o "$payload/fuzz" \
	"$top/tests/reliability/fuzz.c" "$here/kcov_wrap.c" -Wl,--wrap=syscall
gcc -static -O2 -Wall -Wextra -o "$payload/kcov_dump" "$here/kcov_dump.c"
python3 "$here/ranges.py" "$OBJ" >"$payload/ranges.txt"
echo "coverage: $(wc -l <"$payload/ranges.txt") address ranges"
cp "$here/guest.sh" "$payload/run.sh"
chmod +x "$payload/run.sh"
"$top/tests/qemu/mkinitramfs.sh" "$OUT/initramfs.cpio.gz" "$payload"

export SMP=${SMP:-1}
boot_impl() {
	local impl=$1 log=$OUT/serial-$1.log start verdict
	start=$(date +%s)
	echo "coverage: booting unshare.impl=$impl (log: $log)"
	verdict=$("$top/tests/qemu/boot.sh" "$KERNEL" "$OUT/initramfs.cpio.gz" "$log" "$TIMEOUT" \
		"unshare.impl=$impl" "cov_parts=$PARTS" "cov_cases=$CASES" "run_timeout=$((TIMEOUT - 30))" \
		kunit.enable=0 "slab_debug=A" 2>&1) || true
	verdict=$(echo "$verdict" | tail -n1)
	echo "$verdict" >"$OUT/verdict-$impl"
	echo "coverage: unshare.impl=$impl: $verdict ($(($(date +%s) - start)) s)"
}
. "$top/tests/qemu/each-impl.sh"
each_impl "${PARALLEL:-1}" boot_impl c rust
for impl in c rust; do
	grep -aq '^@@@ COV done' "$OUT/serial-$impl.log" ||
		die "the unshare.impl=$impl boot did not finish (verdict: $(cat "$OUT/verdict-$impl")); see $OUT/serial-$impl.log"
	for tag in EDGE ERR; do
		grep -a "^@@@ KCOV-$tag " "$OUT/serial-$impl.log" | tr -d '\r' | cut -d' ' -f3- \
			>"$OUT/edges-$impl-$tag.txt"
		# Every edge the guest printed reached the host (no console line lost).
		want=$(tr -d '\r' <"$OUT/serial-$impl.log" | sed -n "s/^@@@ KCOV-${tag}S \([0-9]*\)$/\1/p")
		[ "$want" = "$(wc -l <"$OUT/edges-$impl-$tag.txt")" ] ||
			die "unshare.impl=$impl: the guest printed ${want:-no count of} KCOV-$tag edges, the log holds $(wc -l <"$OUT/edges-$impl-$tag.txt")"
	done
done
python3 "$here/report.py" --src "$SRC" --obj "$OBJ" --edges "$OUT" --log-c "$OUT/serial-c.log" --log-rust "$OUT/serial-rust.log" \
	--out "$REPORT"
