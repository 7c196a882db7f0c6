#!/bin/bash
# Build the gzip'ed newc initramfs the test guest boots from.
#
#   tests/qemu/mkinitramfs.sh OUT.cpio.gz PAYLOAD_DIR
#
# Contents: busybox-static (/bin/busybox plus a symlink per applet), /init
# (tests/qemu/init), /bin/qemu-exit (tests/qemu/qemu-exit.c, compiled static
# into $CACHE_DIR), a minimal /etc, /dev/console and /dev/null, and
# PAYLOAD_DIR's contents as /tests (the guest's init runs /tests/run.sh unless
# told otherwise with run= on the kernel command line).
#
# OUT is rebuilt only when one of the inputs changed (set FORCE=1 to always
# rebuild). Needs root (for mknod and root-owned files; no fakeroot).
#
# Environment: CACHE_DIR (default <repo>/build/qemu-cache), BUSYBOX
# (default /bin/busybox, must be statically linked), FORCE.
set -euo pipefail

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 OUT.cpio.gz PAYLOAD_DIR (got $# arguments); pass the output file and the directory to put at /tests"
OUT=$1
PAYLOAD=$2
[ -d "$PAYLOAD" ] || die "payload directory '$PAYLOAD' does not exist; pass a directory (it becomes /tests in the guest)"
OUTDIR=$(dirname -- "$OUT")
[ -d "$OUTDIR" ] || die "directory of the output '$OUTDIR' does not exist; create it first"
OUT=$(cd "$OUTDIR" && pwd)/$(basename -- "$OUT")
PAYLOAD=$(cd "$PAYLOAD" && pwd)
[ "$(id -u)" = 0 ] || die "must run as root (for mknod and root-owned files); rerun with sudo"

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE_DIR=${CACHE_DIR:-$REPO/build/qemu-cache}
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "busybox '$BUSYBOX' not found; apt-get install busybox-static"
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' \
	|| die "'$BUSYBOX' is not statically linked; apt-get install busybox-static"
for tool in gcc cpio gzip sha256sum; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed; apt-get install $tool"
done
[ -r "$HERE/init" ] && [ -r "$HERE/qemu-exit.c" ] || die "$HERE/init or qemu-exit.c is missing; restore tests/qemu"

# qemu-exit, rebuilt when its source changes.
mkdir -p "$CACHE_DIR"
QEXIT=$CACHE_DIR/qemu-exit
if [ ! -x "$QEXIT" ] || [ "$HERE/qemu-exit.c" -nt "$QEXIT" ]; then
	gcc -static -O2 -Wall -o "$QEXIT.tmp" "$HERE/qemu-exit.c" \
		|| die "compiling $HERE/qemu-exit.c failed; needs gcc and the static glibc (libc6-dev)"
	mv "$QEXIT.tmp" "$QEXIT"
fi

# Skip the rebuild when nothing changed: the stamp covers this script, init,
# qemu-exit, busybox and the names, sizes, modes and mtimes of the payload's
# files (not of its directories, which a fresh copy of the payload changes).
stamp=$( {
	sha256sum "$HERE/mkinitramfs.sh" "$HERE/init" "$QEXIT" "$BUSYBOX"
	(cd "$PAYLOAD" && find . \( -type d -printf '%p %m dir\n' \) -o -printf '%p %s %m %T@ %l\n' | LC_ALL=C sort)
} | sha256sum | cut -d' ' -f1 )
if [ -z "${FORCE:-}" ] && [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "mkinitramfs.sh: $OUT is up to date"
	exit 0
fi

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

cd "$STAGE"
mkdir -p bin dev etc proc sys tmp run root mnt usr tests
ln -s bin sbin
ln -s ../bin usr/bin
ln -s ../bin usr/sbin
cp "$BUSYBOX" bin/busybox
for applet in $("$BUSYBOX" --list); do
	[ "$applet" = busybox ] || [ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done
install -m 755 "$QEXIT" bin/qemu-exit
install -m 755 "$HERE/init" init
mknod -m 600 dev/console c 5 1
mknod -m 666 dev/null c 1 3
chmod 1777 tmp
chmod 700 root
cat >etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >etc/group <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
echo qemu-test >etc/hostname
: >etc/fstab
cp -a "$PAYLOAD/." tests/

# Write to a temporary file first so that an interrupted run leaves no
# truncated OUT behind that a later run would boot.
find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort \
	| cpio --quiet -o -H newc -R 0:0 --reproducible \
	| gzip -6 >"$OUT.tmp" \
	|| die "cpio/gzip failed writing $OUT; check free space in $OUTDIR"
mv "$OUT.tmp" "$OUT"
echo "$stamp" >"$OUT.stamp"
echo "mkinitramfs.sh: wrote $OUT ($(du -h "$OUT" | cut -f1))"
