#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The config matrix: builds the series with each of USER_NS, SYSVIPC, PERF_EVENTS, NET_NS,
# PID_NS, TIME_NS and CGROUPS turned off, and with RUST off. Each kernel with Rust is booted
# under both implementations with the unshare selftests, whose verdicts must be identical:
# the C stubs for a missing feature must mean the same to both.
# Usage: matrix.sh KSRC [OPTION...]   (default: every option above, then RUST; ALL_OPTIONAL
# turns the seven off in one build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
ksrc=${1:?usage: matrix.sh KSRC [OPTION...]}
shift
B=${B:?B must be set}
read -r -a kmake <<<"${KMAKE:?KMAKE must be set}"
optional=(USER_NS SYSVIPC PERF_EVENTS NET_NS PID_NS TIME_NS CGROUPS)
options=("$@")
[ ${#options[@]} -gt 0 ] || options=("${optional[@]}" RUST)
ls "$B"/unshare-selftest/bin/*_test >/dev/null 2>&1 || die "the unshare selftest is not built: run make selftests"

payload="$B/matrix/payload"
rm -rf "$payload"
mkdir -p "$payload"
cp "$B"/unshare-selftest/bin/*_test "$payload/"
cat >"$payload/run.sh" <<'SCRIPT'
#!/bin/sh
dmesg | grep -o 'unshare: using the [A-Za-z]* implementation'
for t in /tests/*_test; do
	"$t"
	echo "@@@ RESULT unshare:$(basename "$t") rc=$?"
done
SCRIPT
chmod +x "$payload/run.sh"
"$top/tests/qemu/mkinitramfs.sh" "$B/matrix/initramfs.cpio.gz" "$payload"

passed=0 failed=0
for opt in "${options[@]}"; do
	obj="$B/obj-matrix-${opt,,}"
	frag="$B/matrix/$opt.config"
	if [ "$opt" = RUST ]; then
		grep -v -e '^CONFIG_RUST' -e '^CONFIG_KUNIT' "$top/configs/x86_64.config" >"$frag"
		echo "CONFIG_RUST=n" >>"$frag"
	elif [ "$opt" = ALL_OPTIONAL ]; then
		# Every optional feature off at once: each C stub in one build.
		{ grep -v -E "^CONFIG_($(echo "${optional[@]}" | tr ' ' '|'))=" "$top/configs/x86_64.config"
			cat "$top/configs/unshare-rust.config"
			printf 'CONFIG_%s=n\n' "${optional[@]}"; } >"$frag"
	else
		{ grep -v "^CONFIG_$opt=" "$top/configs/x86_64.config"; cat "$top/configs/unshare-rust.config"; } >"$frag"
		echo "CONFIG_$opt=n" >>"$frag"
	fi
	mkdir -p "$obj"
	"${kmake[@]}" -C "$ksrc" O="$obj" -s tinyconfig >/dev/null
	"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >/dev/null
	"${kmake[@]}" -C "$ksrc" O="$obj" -s olddefconfig >/dev/null
	still_on=$(sed -n 's/=n$/=y/p' "$frag" | grep -x -F -f - "$obj/.config" | tr '\n' ' ' || true)
	if [ -n "$still_on" ]; then
		# Selected by the architecture (x86 selects PERF_EVENTS): not a failure, not a pass.
		echo "matrix: $opt: cannot be turned off on $(uname -m), stays on: $still_on"
		[ "$opt" = ALL_OPTIONAL ] || continue
	fi
	start=$(date +%s)
	if ! "${kmake[@]}" -C "$ksrc" O="$obj" -j"$(nproc)" bzImage >"$obj/build.log" 2>&1; then
		echo "FAIL: matrix $opt=n does not build; see $obj/build.log"
		failed=$((failed + 1))
		continue
	fi
	echo "matrix: $opt=n built in $(($(date +%s) - start)) s"
	passed=$((passed + 1))
	impls="c rust"
	[ "$opt" = RUST ] && impls="c"
	for impl in $impls; do
		log="$obj/serial-$impl.log"
		if "$top/tests/qemu/boot.sh" "$obj/arch/x86/boot/bzImage" "$B/matrix/initramfs.cpio.gz" "$log" 900 \
			"unshare.impl=$impl" >/dev/null; then
			passed=$((passed + 1))
		else
			echo "FAIL: matrix $opt=n unshare.impl=$impl: the guest run failed; see $log"
			failed=$((failed + 1))
		fi
		tr -d '\r' <"$log" | sed -n -e 's/^@@@ RESULT \(.*\)/\1/p' \
			-e 's/^[ #]*\(\(not \)\{0,1\}ok [0-9]* [^#]*\).*$/\1/p' >"$obj/verdicts-$impl.txt"
	done
	if [ "$opt" != RUST ]; then
		if diff -q "$obj/verdicts-c.txt" "$obj/verdicts-rust.txt" >/dev/null; then
			echo "matrix: $opt=n: both implementations gave the same $(wc -l <"$obj/verdicts-c.txt") verdicts"
			passed=$((passed + 1))
		else
			echo "FAIL: matrix $opt=n: the implementations differ: diff $obj/verdicts-c.txt $obj/verdicts-rust.txt"
			failed=$((failed + 1))
		fi
	elif grep -q 'unshare: using' "$obj/serial-c.log"; then
		echo "FAIL: matrix RUST=n: the kernel mentions unshare.impl although it has no Rust"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
