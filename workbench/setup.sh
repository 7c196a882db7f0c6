#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs everything the workbench needs; safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/base.env"
B=${B:?B (the build folder) must be set}

[ "$(id -u)" = 0 ] || die "make setup installs Debian packages: run it as root"

packages=(rustc-web rust-web-src rustfmt-web rust-web-clippy gcc make flex bison bc
	cpio rsync libelf-dev libssl-dev busybox-static qemu-system-x86 ccache
	python3-venv git xz-utils kmod libcap-dev libmount-dev pkg-config perl
	curl ca-certificates python3-matplotlib gdb file)
# The packages of "$@" that are not installed, one a line.
missing_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p"
	done
}
mapfile -t missing < <(missing_packages "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt-get update -q >/dev/null || die "apt-get update failed: check the network access to Debian's mirrors"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed: see the apt output above"
fi

# The KASAN kernel's toolchain (make kernel-kasan; not used by make check): clang 22 from Debian
# 12's security suite, and a bindgen that works with libclang 22. A failure here is reported and
# left to the KASAN targets, which say again what is missing.
mapfile -t missing < <(missing_packages clang-22 lld-22 llvm-22 libclang-22-dev)
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]} (the KASAN kernel)"
	{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } ||
		echo "setup: warning: apt-get install ${missing[*]} failed (they come from bookworm-security); make kernel-kasan needs them, make check does not" >&2
fi
# ccache's compiler links (/usr/lib/ccache/clang-22, ...) for compilers installed after ccache.
[ ! -e /usr/bin/clang-22 ] || [ -e /usr/lib/ccache/clang-22 ] || update-ccache-symlinks ||
	echo "setup: warning: update-ccache-symlinks failed: the KASAN kernel builds without ccache" >&2

# bindgen, pinned, with cargo (from rustup or Debian).
bindgen="$HOME/.cargo/bin/bindgen"
if ! "$bindgen" --version 2>/dev/null | grep -qx "bindgen $BINDGEN_VERSION"; then
	command -v cargo >/dev/null || die "cargo is missing: install rustup or Debian's cargo, then run make setup again"
	echo "setup: building bindgen-cli $BINDGEN_VERSION with cargo"
	cargo install --locked --force bindgen-cli --version "$BINDGEN_VERSION" >/dev/null 2>&1 ||
		die "cargo install bindgen-cli $BINDGEN_VERSION failed: check access to crates.io"
fi

# The bindgen of the clang-22 build (make kernel-kasan), in its own root.
bindgen22_root="$HOME/.local/bindgen-$BINDGEN_LLVM22_VERSION"
if ! "$bindgen22_root/bin/bindgen" --version 2>/dev/null | grep -qx "bindgen $BINDGEN_LLVM22_VERSION"; then
	echo "setup: building bindgen-cli $BINDGEN_LLVM22_VERSION with cargo (for libclang 22)"
	cargo install --locked --force bindgen-cli --version "$BINDGEN_LLVM22_VERSION" \
		--root "$bindgen22_root" >/dev/null 2>&1 ||
		echo "setup: warning: cargo install bindgen-cli $BINDGEN_LLVM22_VERSION failed (crates.io?); make kernel-kasan needs it, make check does not" >&2
fi

# libclang >= 17 for bindgen (Debian 12 has 14-16): the PyPI wheel, in a venv.
venv="$B/venv"
if ! "$venv/bin/python" -c "import clang, importlib.metadata as m; assert m.version('libclang') == '$LIBCLANG_VERSION'" 2>/dev/null; then
	echo "setup: installing libclang $LIBCLANG_VERSION from PyPI into $venv"
	python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv"
	"$venv/bin/pip" install -q "libclang==$LIBCLANG_VERSION" || die "pip install libclang==$LIBCLANG_VERSION failed: check access to PyPI"
fi

"$here/fetch-base.sh"
# The cross compilers, emulators and guest sysroots of arm64 and riscv64, and the 32-bit
# libraries of x86_64's compat test (make check runs every architecture).
"$here/cross-setup.sh" arm64 riscv64 i386
echo "setup: done"
