#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/demo/run.sh for any ARCH (x86_64, arm64, riscv64): boots KERNEL (the ARCH boot image)
# under QEMU into the demonstration of unshare(2), once per implementation.
#   ARCH=arm64 B=build tests/demo/run.sh build/obj-arm64/arch/arm64/boot/Image
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: run.sh KERNEL_IMAGE}
B=${B:?B must be set}
export B
# shellcheck source=tests/qemu/arch.sh
. "$here/../qemu/arch.sh"
export ARCH
out="$B/demo-$ARCH"
mkdir -p "$out/payload"
"${TARGET_CC[@]}" -static -O2 -Wall -o "$out/payload/unshare-demo" "$here/unshare-demo.c"
cat >"$out/payload/run.sh" <<'SCRIPT'
#!/bin/sh
dmesg | grep -o 'unshare: using the [A-Za-z]* implementation' || echo 'unshare: the base C implementation (no unshare.impl= support)'
/tests/unshare-demo
SCRIPT
chmod +x "$out/payload/run.sh"
"$here/../qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/payload"
for impl in ${IMPLS:-rust c}; do
	echo "=== $ARCH unshare.impl=$impl ==="
	"$here/../qemu/boot.sh" "$kernel" "$out/initramfs.cpio.gz" "$out/serial-$impl.log" "${TIMEOUT:-600}" \
		"unshare.impl=$impl" || { echo "error: the demonstration failed; see $out/serial-$impl.log"; exit 1; }
	sed -n '/^unshare: using/p; /^before unshare/,/^first child/p' "$out/serial-$impl.log" | tr -d '\r'
done
