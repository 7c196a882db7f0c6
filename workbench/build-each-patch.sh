#!/usr/bin/env bash
# Builds the kernel at every patch of the series, in order, in a separate worktree, so that
# each patch is known to build on its own (incremental builds, so only what a patch touches
# is rebuilt). Usage: build-each-patch.sh TREE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
tree=${1:?usage: build-each-patch.sh TREE}
B=${B:?B must be set}
read -r -a kmake <<<"${KMAKE:?KMAKE must be set}"
wt="$B/linux-each"
obj="$B/obj-each"
[ -d "$wt" ] || git -C "$tree" worktree add -q --detach "$wt" base
passed=0 failed=0
for c in $(git -C "$tree" rev-list --reverse base..HEAD); do
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	[ -f "$obj/.config" ] || "$here/kconfig.sh" "$wt" "$obj" "$top/configs/x86_64.config" "$top/configs/unshare-rust.config"
	"${kmake[@]}" -C "$wt" O="$obj" -s olddefconfig >/dev/null
	if "${kmake[@]}" -C "$wt" O="$obj" -j"$(nproc)" CLIPPY=1 bzImage >"$obj/build-$c.log" 2>&1 &&
		! grep -q '^warning' "$obj/build-$c.log"; then
		echo "builds: $subject"
		passed=$((passed + 1))
	else
		echo "FAIL: does not build cleanly: $subject (see $obj/build-$c.log)"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
