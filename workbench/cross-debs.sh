#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetches the target-architecture Debian packages that the guest of a foreign ARCH needs and
# that no cross package of the host provides:
#   OUTDIR/busybox   the static busybox of busybox-static (the guest's userland)
#   OUTDIR/sysroot   libcap-dev unpacked (sys/capability.h, libcap.a), for the selftests that
#                    link -lcap: add -isystem OUTDIR/sysroot/usr/include -L OUTDIR/sysroot/usr/lib/<triplet>
# It downloads the architecture's own .debs with apt-get from deb.debian.org through a private
# apt state in OUTDIR/apt: the machine's apt configuration (foreign architectures, sources,
# lists) is left alone. Idempotent: does nothing when both are there.
#
#   workbench/cross-debs.sh ARCH OUTDIR      (ARCH: arm64 | riscv64)
#
# The suites are tried in order: bookworm has no riscv64, so riscv64 comes from trixie (Debian 13,
# where riscv64 is a release architecture) or, when the mirror's trixie index is out of step,
# from sid. busybox is static, so the suite's libc does not matter; libcap.a of a newer suite
# may need glibc symbols the bookworm cross glibc lacks (see tests/selftests/build.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

arch=${1:?usage: cross-debs.sh ARCH OUTDIR}
out=${2:?usage: cross-debs.sh ARCH OUTDIR}
case $arch in
arm64) suites="bookworm trixie sid" machine=aarch64 ;;
riscv64) suites="trixie sid" machine=RISC-V ;;
*) die "cross-debs.sh: no package source for ARCH=$arch (arm64 or riscv64)" ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
bb=$out/busybox
check() { file -L "$1" 2>/dev/null | grep -q "statically linked" && file -L "$1" | grep -q "$machine"; }
if [ -x "$bb" ] && check "$bb" && [ -f "$out/sysroot/usr/include/sys/capability.h" ]; then
	echo "cross-debs: $bb and $out/sysroot are there ($(cat "$out/debs.source" 2>/dev/null))"
	exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get and dpkg-deb are needed (Debian)"

st=$out/apt
for suite in $suites; do
	rm -rf "$st"
	mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/etc/parts" "$st/deb"
	: >"$st/status"
	echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
		>"$st/etc/sources.list"
	opts=(-q -o "Dir::State=$st" -o "Dir::State::Lists=$st/lists" -o "Dir::State::status=$st/status"
		-o "Dir::Cache=$st/cache" -o "Dir::Etc::SourceList=$st/etc/sources.list"
		-o "Dir::Etc::SourceParts=$st/etc/parts" -o "APT::Architecture=$arch"
		-o "APT::Architectures::=$arch" -o Acquire::Languages=none -o Debug::NoLocking=1
		-o APT::Sandbox::User=root)
	if ! apt-get "${opts[@]}" update >"$st/update.log" 2>&1 || grep -q '^E:' "$st/update.log"; then
		echo "cross-debs: apt-get update for $suite/$arch failed ($(grep -m1 '^E:' "$st/update.log" || tail -n1 "$st/update.log")); trying the next suite" >&2
		continue
	fi
	if ! (cd "$st/deb" && apt-get "${opts[@]}" download busybox-static libcap-dev >"$st/download.log" 2>&1); then
		echo "cross-debs: busybox-static or libcap-dev missing in $suite/$arch ($(tail -n1 "$st/download.log")); trying the next suite" >&2
		continue
	fi
	rm -rf "$st/x" "$out/sysroot.tmp"
	dpkg-deb -x "$st"/deb/busybox-static_*.deb "$st/x"
	src=$st/x/bin/busybox
	[ -f "$src" ] || src=$st/x/usr/bin/busybox
	check "$src" || die "busybox-static of $suite/$arch does not hold a static $machine busybox"
	dpkg-deb -x "$st"/deb/libcap-dev_*.deb "$out/sysroot.tmp"
	[ -f "$out/sysroot.tmp/usr/include/sys/capability.h" ] || die "libcap-dev of $suite/$arch has no sys/capability.h"
	install -m 755 "$src" "$bb.tmp"
	mv "$bb.tmp" "$bb"
	rm -rf "$out/sysroot"
	mv "$out/sysroot.tmp" "$out/sysroot"
	(cd "$st/deb" && ls ./*.deb | sed 's|^\./||') | tr '\n' ' ' >"$out/debs.source"
	echo "($suite)" >>"$out/debs.source"
	rm -rf "$st/x" "$st/lists" "$st/cache"
	echo "cross-debs: $bb and $out/sysroot from $(cat "$out/debs.source")"
	exit 0
done
die "could not get busybox-static and libcap-dev for $arch from any of: $suites (see $st/*.log)"
