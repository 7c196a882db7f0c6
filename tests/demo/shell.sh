#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots KERNEL into an interactive busybox shell (leave it with `exit`). CMDLINE is passed on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: shell.sh BZIMAGE}
B=${B:?B must be set}
out="$B/shell"
mkdir -p "$out/payload"
gcc -static -O2 -Wall -o "$out/payload/unshare-demo" "$here/unshare-demo.c"
[ -d "$B/unshare-selftest" ] && cp -r "$B/unshare-selftest/." "$out/payload/" 2>/dev/null || true
"$here/../qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/payload"
# shellcheck disable=SC2086 # CMDLINE holds several words
exec "$here/../qemu/boot.sh" "$kernel" "$out/initramfs.cpio.gz" "$out/serial.log" 86400 run=shell ${CMDLINE:-}
