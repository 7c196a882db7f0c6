#!/usr/bin/env bash
# Boots KERNEL under QEMU into a short demonstration of unshare(2): the namespace ids before
# and after unsharing every namespace type, under each implementation.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: run.sh BZIMAGE}
B=${B:?B must be set}
out="$B/demo"
mkdir -p "$out/payload"
gcc -static -O2 -Wall -o "$out/payload/unshare-demo" "$here/unshare-demo.c"
cat >"$out/payload/run.sh" <<'SCRIPT'
#!/bin/sh
dmesg | grep -o 'unshare: using the [A-Za-z]* implementation' || echo 'unshare: the base C implementation (no unshare.impl= support)'
/tests/unshare-demo
SCRIPT
chmod +x "$out/payload/run.sh"
"$here/../qemu/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/payload"
for impl in rust c; do
	echo "=== unshare.impl=$impl ==="
	"$here/../qemu/boot.sh" "$kernel" "$out/initramfs.cpio.gz" "$out/serial-$impl.log" 300 \
		"unshare.impl=$impl" || { echo "error: the demonstration failed; see $out/serial-$impl.log"; exit 1; }
	sed -n '/^unshare: using/p; /^before unshare/,/^first child/p' "$out/serial-$impl.log" | tr -d '\r'
done
