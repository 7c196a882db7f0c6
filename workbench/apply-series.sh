#!/usr/bin/env bash
# Puts the tree on branch "series": the base plus every patch of patches/ applied in order.
# Incremental: nothing happens when the series is already applied.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
B=${B:?B must be set}
PATCHES=${PATCHES:?PATCHES must be set}
tree="$B/linux"
stamp="$B/stamps/series"
mkdir -p "$B/stamps"
cd "$tree"
want=$(cat "$PATCHES"/*.patch | sha256sum | cut -d' ' -f1)
head=$(git rev-parse HEAD)
if [ -f "$stamp" ]; then
	read -r applied_sum applied_head <"$stamp"
	if [ "$applied_sum" = "$want" ] && [ "$applied_head" = "$head" ] && git diff --quiet HEAD; then
		exit 0
	fi
	if [ "$applied_head" != "$head" ] || ! git diff --quiet HEAD; then
		die "$tree has commits or changes that are not in patches/: run make export to keep them, or make reset-tree to drop them"
	fi
fi
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B series base
for p in "$PATCHES"/*.patch; do
	if ! git am -q --keep-cr "$p" >/dev/null 2>&1; then
		git am --abort >/dev/null 2>&1 || true
		die "patch $(basename "$p") does not apply to the base: rebase it in $tree and run make export"
	fi
done
echo "$want $(git rev-parse HEAD)" >"$stamp"
echo "tree: applied $(ls "$PATCHES"/*.patch | wc -l) patches onto base"
