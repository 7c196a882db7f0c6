#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the gzip'ed newc initramfs the test guest boots from, for ARCH.
#
#   ARCH=x86_64|arm64|riscv64 tests/qemu/mkinitramfs.sh OUT.cpio.gz PAYLOAD_DIR
#
# Contents: busybox-static of ARCH (/bin/busybox plus a symlink per applet),
# /init (tests/qemu/init), /bin/qemu-exit (tests/qemu/qemu-exit.c, compiled static with ARCH's compiler into
# $CACHE_DIR/ARCH), a minimal /etc, /dev/console and /dev/null, and
# PAYLOAD_DIR's contents as /tests (the guest's init runs /tests/run.sh unless
# told otherwise with run= on the kernel command line).
#
# OUT is rebuilt only when one of the inputs changed (set FORCE=1 to always
# rebuild). Needs root (for mknod and root-owned files; no fakeroot).
#
# When the host cannot run ARCH's busybox (to ask it for its applets), the
# links are made in the guest instead: /init is then a two-line wrapper that
# runs `busybox --install -s /bin` and execs tests/qemu/init (as /init.test).
#
# Environment: ARCH (default x86_64; tests/qemu/arch.sh has the settings),
# CACHE_DIR (default <repo>/build/qemu-cache), BUSYBOX (default per ARCH:
# /bin/busybox on x86_64, $B/cross/ARCH/busybox from
# workbench/cross-debs.sh elsewhere; must be statically linked), FORCE.
set -euo pipefail

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: [ARCH=...] $0 OUT.cpio.gz PAYLOAD_DIR (got $# arguments); pass the output file and the directory to put at /tests"
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
B=${B:-$REPO/build}
# shellcheck source=tests/qemu/arch.sh
. "$HERE/arch.sh" || die "bad ARCH"
CACHE_DIR=${CACHE_DIR:-$REPO/build/qemu-cache}
[ "$ARCH" = x86_64 ] || CACHE_DIR=$CACHE_DIR/$ARCH
[ -x "$BUSYBOX" ] || die "busybox '$BUSYBOX' not found; x86_64: apt-get install busybox-static; others: workbench/cross-debs.sh $ARCH $B/cross/$ARCH"
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' \
	|| die "'$BUSYBOX' is not statically linked; apt-get install busybox-static"
file -L "$BUSYBOX" 2>/dev/null | grep -q "$FILE_MACHINE" \
	|| die "'$BUSYBOX' is not a $ARCH ($FILE_MACHINE) program"
for tool in "${TARGET_CC[0]}" cpio gzip sha256sum file; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed; apt-get install $ARCH_PACKAGES cpio gzip file"
done
[ -r "$HERE/init" ] && [ -r "$QEMU_EXIT_SRC" ] || die "$HERE/init or $QEMU_EXIT_SRC is missing; restore tests/qemu"

# qemu-exit, rebuilt when its source changes.
mkdir -p "$CACHE_DIR"
QEXIT=$CACHE_DIR/qemu-exit
if [ ! -x "$QEXIT" ] || [ "$QEMU_EXIT_SRC" -nt "$QEXIT" ]; then
	"${TARGET_CC[@]}" -static -O2 -Wall -o "$QEXIT.tmp" "$QEMU_EXIT_SRC" \
		|| die "compiling $QEMU_EXIT_SRC failed; needs ${TARGET_CC[0]} and its static glibc ($ARCH_PACKAGES)"
	mv "$QEXIT.tmp" "$QEXIT"
fi

# The applets, from the busybox itself when the host can run it.
applets=$("$BUSYBOX" --list 2>/dev/null) || applets=

# Skip the rebuild when nothing changed: the stamp covers this script, init,
# qemu-exit, busybox and the names, sizes, modes and mtimes of the payload.
stamp=$( {
	sha256sum "$HERE/mkinitramfs.sh" "$HERE/arch.sh" "$HERE/init" "$QEXIT" "$BUSYBOX"
	echo "$ARCH ${applets:+applets}"
	(cd "$PAYLOAD" && find . -printf '%p %s %m %T@ %l\n' | LC_ALL=C sort)
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
install -m 755 "$QEXIT" bin/qemu-exit
if [ -n "$applets" ]; then
	for applet in $applets; do
		[ "$applet" = busybox ] || [ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
	done
	install -m 755 "$HERE/init" init
else
	ln -s busybox bin/sh
	install -m 755 "$HERE/init" init.test
	printf '%s\n' '#!/bin/busybox sh' \
		'# The applet links (the host could not run this busybox to list them).' \
		'/bin/busybox --install -s /bin' 'exec /init.test "$@"' >init
	chmod 755 init
fi
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
