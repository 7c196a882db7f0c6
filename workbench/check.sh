#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots KERNEL once per implementation (unshare.impl=c, unshare.impl=rust), runs every suite in
# each boot (KUnit at boot, the in-tree selftests, our unshare selftest), checks each run
# against the expectations and the two runs against each other, and prints the summary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
kernel=${1:?usage: check.sh BZIMAGE}
B=${B:?B must be set}
IMPLS=${IMPLS:-c rust}
# Seconds per boot: a boot takes 150-200 s on an idle 2-core host and about 350 s on a busy one;
# a guest that hangs must not eat the CI budget.
TIMEOUT=${TIMEOUT:-1200}
PARALLEL_BOOTS=${PARALLEL_BOOTS:-$(ARCH=${ARCH:-x86_64} bash -c '. "$1/tests/qemu/arch.sh" && echo "$PARALLEL_BOOTS"' _ "$top")}
out=${CHECK_OUT:-$B/check}
# The kernel's configuration, for the expectations that depend on it (below).
config=${kernel%/arch/*}/.config
[ -r "$config" ] || die "$config not found: check.sh takes a boot image from a kernel build folder"
payload="$out/payload"

[ -r "$B/selftests/kselftest_install/kselftest-list.txt" ] || die "the in-tree selftests are not built: run make selftests"
ls "$B"/unshare-selftest/bin/*_test >/dev/null 2>&1 || die "the unshare selftest is not built: run make selftests"

# The guest payload: the kselftest collection plus our selftest as one more target.
rm -rf "$payload"
mkdir -p "$payload"
# The series under test (PATCHES comes from the Makefile), for make results (docs/results/).
if [ -n "${PATCHES:-}" ]; then series_sum >"$out/series"; else rm -f "$out/series"; fi
rm -f "$out/result.txt"
cp -a "$B/selftests/kselftest_install" "$payload/kselftest"
mkdir -p "$payload/kselftest/unshare"
for t in "$B"/unshare-selftest/bin/*_test; do
	cp "$t" "$payload/kselftest/unshare/"
	echo "unshare:$(basename "$t")" >>"$payload/kselftest/kselftest-list.txt"
done
# On x86_64, the same selftest built for i386 enters through the compat syscall entry.
if [ "${ARCH:-x86_64}" = x86_64 ]; then
	ls "$B"/unshare-selftest-ia32/bin/*_test >/dev/null 2>&1 ||
		die "the 32-bit unshare selftest is not built: run make selftests (needs lib32gcc-12-dev, libc6-dev-i386: make setup)"
	mkdir -p "$payload/kselftest/unshare-ia32"
	for t in "$B"/unshare-selftest-ia32/bin/*_test; do
		cp "$t" "$payload/kselftest/unshare-ia32/"
		echo "unshare-ia32:$(basename "$t")" >>"$payload/kselftest/kselftest-list.txt"
	done
fi
cp "$top/tests/selftests/run.sh" "$top/tests/selftests/subsets" "$top/tests/selftests/timeouts" \
	"$top/tests/selftests/retries" "$top/tests/selftests/ungated" "$payload/"
"$top/tests/qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$payload"

# The expectations: the common ones plus those of ARCH (x86-only tests that skip elsewhere),
# without those marked "[unless CONFIG_X]" when the kernel has CONFIG_X=y (the debug kernel has
# KALLSYMS, say).
expectations="$out/expectations.txt"
lists=("$top/tests/selftests/expectations.txt")
arch_list="$top/tests/selftests/expectations-${ARCH:-x86_64}.txt"
[ ! -f "$arch_list" ] || lists+=("$arch_list")
cat "${lists[@]}" |
	awk -v config="$config" '
		BEGIN { while ((getline l < config) > 0) if (l ~ /^CONFIG_[A-Za-z0-9_]+=y$/) on[substr(l, 1, length(l) - 2)] = 1 }
		match($0, /\[unless CONFIG_[A-Za-z0-9_]+\]/) && substr($0, RSTART + 8, RLENGTH - 9) in on { next }
		{ print }' >"$expectations"

passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# KUnit suites report "ok N name" / "not ok N name" at the top level of the KTAP output.
kunit_results() {
	tr -d '\r' <"$1" | sed -n 's/^\(\[ *[0-9.]*\] \)\{0,1\}\(not ok\|ok\) [0-9]* \([a-z0-9_]*\)\( #.*\)\{0,1\}$/\3 \2/p'
}

# Every verdict line of a run, for comparing the implementations: the per-test results and
# every TAP line (sub-results of the selftests, KUnit cases) as "ok N" / "not ok N", in order.
# Names are left out: the console may print a kernel message into the middle of a test's
# output line, which must not count as a difference (the RESULT line after a test's sub-results
# says whose they are). Sub-tests listed in tests/selftests/racy are left out, and so are the
# sub-results of a failed attempt of a test that ran again (tests/selftests/retries): each
# attempt starts with a "# ==== <test>" header and a failed one ends with "@@@ RETRY". The runs
# of an ungated test (tests/selftests/ungated) are information, not verdicts: each ends with
# "@@@ INFO" and is left out too.
racy=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$top/tests/selftests/racy")
verdicts() {
	tr -d '\r' <"$1" | sed -n -e 's/^@@@ RESULT \([^ ]*\) \([A-Z]*\).*/RESULT \1 \2/p' \
		-e 's/^# ==== .*/ATTEMPT/p' -e 's/^@@@ \(RETRY\|INFO\) .*/RETRY/p' \
		-e 's/^\(\[ *[0-9.]*\] \)\{0,1\}[ #]*\(\(not \)\{0,1\}ok [0-9]* [^#]*\).*$/\2/p' |
		awk -v racy="$racy" 'BEGIN { n = split(racy, r, "\n") }
			$0 == "ATTEMPT" { attempt = ""; in_test = 1; next }
			$0 == "RETRY" { attempt = ""; next }
			/^(not )?ok [0-9]+ / {
				for (i = 1; i <= n; i++) if (index($0, " " r[i])) next
				match($0, /^(not )?ok [0-9]+/)
				$0 = substr($0, 1, RLENGTH)
			}
			/^RESULT / { printf "%s", attempt; attempt = ""; in_test = 0; print; next }
			in_test { attempt = attempt $0 "\n"; next }
			{ print }'
}

# The boots: one after the other, or both at once (PARALLEL_BOOTS=1, from tests/qemu/arch.sh
# for guests with one CPU, so that each has a host core). boot.sh's verdict goes to boot-IMPL.
boot_impl() { # impl
	local log="$out/serial-$1.log" start rc=0
	echo "check: booting with unshare.impl=$1 (serial log: $log)"
	start=$(date +%s)
	# shellcheck disable=SC2086 # CMDLINE holds several words
	"$top/tests/qemu/boot.sh" "$kernel" "$out/initramfs.cpio.gz" "$log" "$TIMEOUT" \
		"unshare.impl=$1" ${CMDLINE:-} >"$out/boot-$1.txt" 2>&1 || rc=$?
	echo "$rc $(($(date +%s) - start))" >"$out/boot-$1.rc"
}
rm -f "$out"/boot-*.rc
. "$top/tests/qemu/each-impl.sh"
# shellcheck disable=SC2086 # IMPLS holds several words
each_impl "$PARALLEL_BOOTS" boot_impl $IMPLS

for impl in $IMPLS; do
	log="$out/serial-$impl.log"
	read -r rc secs <"$out/boot-$impl.rc"
	if [ "$rc" = 0 ]; then
		pass
	else
		sed "s/^/  [$impl] /" "$out/boot-$impl.txt"
		fail "the guest run with unshare.impl=$impl did not end cleanly (see $log)"
	fi
	echo "check: unshare.impl=$impl ran in $secs s"
	retried=$(tr -d '\r' <"$log" | sed -n 's/^@@@ RETRY \([^ ]*\) .*/\1/p' | sort | uniq -c |
		awk '{ printf " %s (%d)", $2, $1 }')
	[ -z "$retried" ] || echo "check: unshare.impl=$impl: failed attempts run again (tests/selftests/retries):$retried"
	want=
	case $impl in
	c) want=C ;;
	rust) want=Rust ;;
	esac
	if [ -z "$want" ]; then
		: # the base kernel has one implementation and says nothing
	elif grep -q "unshare: using the $want implementation" "$log"; then
		pass
	else
		fail "the boot log of unshare.impl=$impl does not say 'unshare: using the $want implementation'"
	fi

	# The selftests against the committed expectations.
	set +e
	cmp_out=$("$top/tests/selftests/compare.sh" "$log" "$expectations" 2>&1)
	set -e
	echo "$cmp_out" | grep -v ' passed, ' | sed "s/^/  [$impl] /" || true
	counts=$(echo "$cmp_out" | tail -n1)
	if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		if [ "${BASH_REMATCH[2]}" != 0 ]; then
			failed=$((failed + BASH_REMATCH[2]))
			echo "FAIL: ${BASH_REMATCH[2]} selftest results of unshare.impl=$impl depart from the expectations ($expectations)"
		fi
	else
		fail "could not compare the selftest results of unshare.impl=$impl: $counts"
	fi

	# KUnit: every suite passes, and ours ran.
	kunit_results "$log" >"$out/kunit-$impl.txt"
	while read -r suite verdict; do
		if [ "$verdict" = ok ]; then pass; else fail "KUnit suite $suite failed under unshare.impl=$impl"; fi
	done <"$out/kunit-$impl.txt"
	suites=
	# The kernel crate's doctests, where the kernel builds them (make DOCTESTS=).
	! grep -qx 'CONFIG_RUST_KERNEL_DOCTESTS=y' "$config" || suites="rust_doctests_kernel"
	[ -n "$want" ] && suites="rust_unshare $suites"
	for suite in $suites; do
		grep -q "^$suite " "$out/kunit-$impl.txt" || fail "KUnit suite $suite did not run under unshare.impl=$impl"
	done
	verdicts "$log" >"$out/verdicts-$impl.txt"
done

# The misuses that the series' abstractions must refuse at compile time (their
# ```ignore,compile_fail``` examples), against this build's kernel crate; once, on x86_64.
if [ -n "${KSRC:-}" ] && [ "${ARCH:-x86_64}" = x86_64 ] && [[ " $IMPLS " == *" rust "* ]]; then
	set +e
	cf_out=$("$top/workbench/compile-fail.sh" "${kernel%/arch/*}" "$KSRC" 2>&1)
	set -e
	echo "$cf_out" | grep -v ' passed, '
	if [[ $(tail -n1 <<<"$cf_out") =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		fail "could not run the compile_fail examples: $(tail -n1 <<<"$cf_out")"
	fi
fi

# Both implementations must give the same answers, test by test and case by case.
set -- $IMPLS
if [ $# -ge 2 ]; then
	if diff -u "$out/verdicts-$1.txt" "$out/verdicts-$2.txt" >"$out/verdicts.diff"; then
		pass
		verdict_line="check: unshare.impl=$1 and unshare.impl=$2 gave identical results ($(wc -l <"$out/verdicts-$1.txt") verdicts)"
		echo "$verdict_line"
	else
		verdict_line="check: unshare.impl=$1 and unshare.impl=$2 gave different results"
		fail "unshare.impl=$1 and unshare.impl=$2 gave different results: see $out/verdicts.diff"
		head -20 "$out/verdicts.diff"
	fi
fi

# The verdicts and the counts, for make results (docs/results/).
{
	[ -z "${verdict_line:-}" ] || echo "$verdict_line"
	echo "$passed passed, $failed failed"
} >"$out/result.txt"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
