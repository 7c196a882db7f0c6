#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configures and builds the kernel for ARCH (x86_64, arm64, riscv64) out of tree, and prints the
# path of the boot image. The config is tinyconfig + FRAGMENTS (default configs/ARCH.config
# configs/unshare-rust.config; workbench/kconfig.sh); the cross tools come from tests/qemu/arch.sh.
#
#   ARCH=arm64 KMAKE="<make command as in the Makefile, without ARCH=>" workbench/kernel-arch.sh [--config] KSRC OBJ
#
# --config: only (re)make OBJ/.config, when it is missing or older than a fragment.
# KMAKE may hold an ARCH=: the one of tests/qemu/arch.sh is appended and wins. JOBS (default
# nproc) parallel jobs; the build log is OBJ/build.log, the time it took OBJ/build.time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
config_only=
if [ "${1:-}" = --config ]; then
	config_only=1
	shift
fi
ksrc=$(realpath -e "${1:?usage: kernel-arch.sh [--config] KSRC OBJ}")
mkdir -p "${2:?usage: kernel-arch.sh KSRC OBJ}"
obj=$(realpath -e "$2")
B=${B:-$top/build}
# shellcheck source=tests/qemu/arch.sh
. "$top/tests/qemu/arch.sh" || die "bad ARCH"
for t in "${TARGET_CC[0]}" "$QEMU"; do
	command -v "$t" >/dev/null || die "$t is missing: apt-get install $ARCH_PACKAGES"
done
kmake="${KMAKE:?KMAKE must be set} ARCH=$KARCH ${KMAKE_ARCH[*]}"

# FRAGMENTS: the fragments in order, paths relative to the top of the workbench (the Makefile
# passes its FRAGMENTS, which may add configs/no-doctests.config).
read -r -a frags <<<"${FRAGMENTS:-configs/$ARCH.config configs/unshare-rust.config}"
frags=("${frags[@]/#/$top/}")
if [ ! -f "$obj/.config" ] || [ -n "$(find "${frags[@]}" -newer "$obj/.config")" ] ||
	[ "$(cat "$obj/fragments.list" 2>/dev/null)" != "${frags[*]}" ]; then
	KMAKE="$kmake" "$here/kconfig.sh" "$ksrc" "$obj" "${frags[@]}"
	echo "${frags[*]}" >"$obj/fragments.list"
fi
[ -z "$config_only" ] || exit 0
grep -qx CONFIG_RUST=y "$obj/.config" || die "CONFIG_RUST is off in $obj/.config: run make -C $ksrc O=$obj ARCH=$KARCH ${KMAKE_ARCH[*]} rustavailable"

start=$(date +%s)
read -r -a km <<<"$kmake"
if ! "${km[@]}" -C "$ksrc" O="$obj" -j"${JOBS:-$(nproc)}" "$KIMAGE_TARGET" >"$obj/build.log" 2>&1; then
	grep -m5 -E 'error|Error' "$obj/build.log" >&2 || true
	die "the $ARCH kernel build failed; see $obj/build.log"
fi
echo "$(( $(date +%s) - start ))" >"$obj/build.time"
echo "kernel-arch: $ARCH built in $(cat "$obj/build.time") s" >&2
echo "$obj/$KIMAGE"
