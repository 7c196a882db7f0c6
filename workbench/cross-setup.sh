#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what ARCH... need beyond workbench/setup.sh (safe to run again): the Debian packages
# of their line in workbench/cross-packages.txt and, for arm64 and riscv64, the guest's busybox
# and libcap-dev sysroot (workbench/cross-debs.sh into $B/cross/ARCH).
#   B=build workbench/cross-setup.sh arm64 riscv64 [i386]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
B=${B:?B (the build folder) must be set}
[ $# -gt 0 ] || die "usage: cross-setup.sh ARCH... (arm64, riscv64, i386)"
[ "$(id -u)" = 0 ] || die "cross-setup.sh installs Debian packages: run it as root"

missing=()
for arch in "$@"; do
	line=$(grep -E "^$arch:" "$here/cross-packages.txt") || die "no line '$arch:' in $here/cross-packages.txt"
	for p in ${line#*:}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "cross-setup: installing ${missing[*]}"
	apt-get update -q >/dev/null || die "apt-get update failed: check the network access to Debian's mirrors"
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
	# ccache's links for the new compilers (clang-22, <triplet>-gcc).
	command -v update-ccache-symlinks >/dev/null && update-ccache-symlinks
fi
for arch in "$@"; do
	case $arch in arm64 | riscv64) "$here/cross-debs.sh" "$arch" "$B/cross/$arch" ;; esac
done
echo "cross-setup: done"
