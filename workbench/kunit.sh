#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# KUnit the way KUnit users run a suite:
#   tools/testing/kunit/kunit.py run --arch=x86_64 --kunitconfig=kernel/unshare.kunitconfig
# in the tree TREE, building into BUILD_DIR, and counts the result for make check.
# With KUNIT_MODE=config it runs `kunit.py config` only: the kunitconfig on top of kunit.py's
# defaults, every option of it (CONFIG_KUNIT and CONFIG_UNSHARE_RUST among them, so the
# rust_unshare suite is built) still set after olddefconfig, which kunit.py checks. That is
# the part of make check: seconds instead of a kernel build from scratch (7 min), while the
# suite itself runs at boot in every other part.
#
# kunit.py asks QEMU for KVM first (-accel kvm -accel hvf -accel tcg). Where /dev/kvm exists but
# does not work (as on these machines) the guest hangs, so kunit.py runs in a private mount
# namespace with /dev/null mounted over /dev/kvm: QEMU then falls back to TCG.
#
#   [KUNIT_MODE=run|config] kunit.sh TREE BUILD_DIR
#   (KMAKE_VARS: the make variables of the Rust toolchain)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
tree=${1:?usage: kunit.sh TREE BUILD_DIR}
build=${2:?usage: kunit.sh TREE BUILD_DIR}
kunitconfig=kernel/unshare.kunitconfig
mode=${KUNIT_MODE:-run}
case $mode in run | config) ;; *) die "KUNIT_MODE must be run or config, not '$mode'" ;; esac
[ -f "$tree/$kunitconfig" ] || die "$tree has no $kunitconfig: apply the series (make tree)"
# config: a fresh folder, as kunit.py keeps an existing .config that already has every option.
[ "$mode" = run ] || rm -rf "$build"
mkdir -p "$build"
log="$build/kunit.log"
make_options=()
for v in ${KMAKE_VARS:-}; do
	make_options+=(--make_options "$v")
done
if [ "$mode" = config ]; then
	cmd=(./tools/testing/kunit/kunit.py config --arch=x86_64 --kunitconfig="$kunitconfig"
		--build_dir="$build" "${make_options[@]}")
	echo "kunit: ${cmd[*]} (log: $log)"
	set +e
	(cd "$tree" && "${cmd[@]}") >"$log" 2>&1
	rc=$?
	set -e
	passed=0 failed=0
	if [ "$rc" = 0 ]; then
		echo "kunit: kunit.py config kept every option of $kunitconfig (the rust_unshare suite is built)"
		passed=1
	else
		tail -n 20 "$log" | sed 's/^/  /'
		echo "FAIL: kunit.py config (exit status $rc) did not keep every option of $kunitconfig; see $log"
		failed=1
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi
command -v unshare >/dev/null || die "unshare(1) is missing: apt-get install util-linux"
[ "$(id -u)" = 0 ] || die "kunit.sh masks /dev/kvm in a private mount namespace, which needs root"
cmd=(./tools/testing/kunit/kunit.py run --arch=x86_64 --kunitconfig="$kunitconfig"
	--build_dir="$build" --jobs="${JOBS:-$(nproc)}" --timeout=900 "${make_options[@]}")
echo "kunit: ${cmd[*]} (log: $log)"
start=$(date +%s)
set +e
# shellcheck disable=SC2016 # expanded by the inner shell
(cd "$tree" && unshare --mount --propagation private -- sh -c '
	if [ -e /dev/kvm ]; then mount --bind /dev/null /dev/kvm || exit 90; fi
	exec "$@"' kunit "${cmd[@]}") >"$log" 2>&1
rc=$?
set -e
[ "$rc" != 90 ] || die "could not mask /dev/kvm in a private mount namespace (run as root)"
secs=$(($(date +%s) - start))
passed=0 failed=0
# kunit.py's summary: "Testing complete. Ran N tests: passed: P[, failed: F][, skipped: S]..."
summary=$(sed -n 's/.*\(Testing complete\. Ran [0-9]* tests: .*\)/\1/p' "$log" | tail -n1)
if [[ $summary =~ ^Testing\ complete\.\ Ran\ [0-9]+\ tests: ]]; then
	[[ ! $summary =~ passed:\ ([0-9]+) ]] || passed=${BASH_REMATCH[1]}
	for what in failed crashed errors; do
		if [[ $summary =~ $what:\ ([0-9]+) ]]; then
			failed=$((failed + BASH_REMATCH[1]))
			echo "FAIL: kunit.py: ${BASH_REMATCH[0]}"
		fi
	done
	echo "kunit: $summary ($secs s)"
else
	tail -n 20 "$log" | sed 's/^/  /'
	echo "FAIL: kunit.py run (exit status $rc) printed no test summary; see $log"
	failed=1
fi
# The suite of the series ran, with at least one test.
if grep -q '=* rust_unshare ([1-9][0-9]* subtests*) =*' "$log"; then
	passed=$((passed + 1))
else
	echo "FAIL: kunit.py did not run the rust_unshare suite; see $log"
	failed=$((failed + 1))
fi
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	echo "FAIL: kunit.py run exited with status $rc; see $log"
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
