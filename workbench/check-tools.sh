#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Names the first missing build tool and how to get it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
B=${B:?B must be set}
for t in /usr/bin/rustc /usr/bin/rustdoc /usr/bin/rustfmt /usr/bin/clippy-driver gcc flex bison bc cpio \
	qemu-system-x86_64 busybox ccache "$HOME/.cargo/bin/bindgen"; do
	command -v "$t" >/dev/null || die "$t is missing: run make setup"
done
ls "$B"/venv/lib/python3*/site-packages/clang/native/libclang.so >/dev/null 2>&1 ||
	die "libclang (PyPI wheel) is missing from $B/venv: run make setup"
[ -d /usr/lib/rustlib/src/rust/library ] || die "the Rust standard library source is missing: run make setup (rust-web-src)"
