#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the kernel at every patch of the series, in order, in a separate worktree, so that
# each patch is known to build on its own (incremental builds, so only what a patch touches
# is rebuilt). Usage: build-each-patch.sh TREE (the tree of the base BASE, in BASE_DIR)
# FROM=N: start at the Nth patch (the patches before it were built before and have not changed;
# the worktree's build folder is reused as it is, and make rebuilds what differs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
tree=${1:?usage: build-each-patch.sh TREE}
B=${B:?B must be set}
read -r -a kmake <<<"${KMAKE:?KMAKE must be set}"
BASE_DIR=${BASE_DIR:-$B}
wt="$BASE_DIR/linux-each"
obj="$BASE_DIR/obj-each"
[ -d "$wt" ] || git -C "$tree" worktree add -q --detach "$wt" base
mkdir -p "$obj"
cat "$top/configs/x86_64.config" "$top/configs/unshare-rust.config" >"$obj/unshare.fragment"
passed=0 failed=0
from=${FROM:-1}
[[ $from =~ ^[1-9][0-9]*$ ]] || die "FROM=$from is not a patch number (1 is the first patch)"
n=0
for c in $(git -C "$tree" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	[ "$n" -ge "$from" ] || continue
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	# tinyconfig + the fragments at every patch: a symbol that a later patch adds
	# (CONFIG_UNSHARE_RUST) is dropped by the patches before it and set by the one that adds it.
	[ -f "$obj/.config" ] || "${kmake[@]}" -C "$wt" O="$obj" -s tinyconfig >/dev/null
	"$wt/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$obj/unshare.fragment" >/dev/null
	"${kmake[@]}" -C "$wt" O="$obj" -s olddefconfig >/dev/null
	# Warnings of rustc, clippy ("warning: ...") and the C compiler and objtool ("file: warning:
	# ..."), except objtool's on the base tree's own doctests of kernel::num::bounded ("falls
	# through to next function", with rustc 1.96; the base has them too).
	if "${kmake[@]}" -C "$wt" O="$obj" -j"${JOBS:-$(nproc)}" CLIPPY=1 bzImage >"$obj/build-$c.log" 2>&1 &&
		! grep -E '^warning|: warning:' "$obj/build-$c.log" |
		grep -q -v '^rust/doctests_kernel_generated\.o: warning: objtool: _R[A-Za-z0-9_]*6kernel3num7bounded'; then
		echo "builds: $subject"
		passed=$((passed + 1))
	else
		echo "FAIL: does not build cleanly: $subject (see $obj/build-$c.log)"
		failed=$((failed + 1))
	fi
done
# The last patch builds the Rust implementation, not only the C code around it.
if grep -qx CONFIG_UNSHARE_RUST=y "$obj/.config" &&
	nm --defined-only "$obj/rust/kernel.o" 2>/dev/null | grep -q ' T rust_ksys_unshare$'; then
	passed=$((passed + 1))
else
	echo "FAIL: the build of the whole series has no CONFIG_UNSHARE_RUST=y or no rust_ksys_unshare in rust/kernel.o"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
