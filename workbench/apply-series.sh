#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Puts the tree of BASE on branch "series": the base plus the patches of patches/ applied in
# order; on every base but Debian's, without the last patch (Debian-only: it reads Debian's
# kernel.unprivileged_userns_clone sysctl). Incremental: nothing happens when the series is
# already applied.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
B=${B:?B must be set}
PATCHES=${PATCHES:?PATCHES must be set}
BASE=${BASE:-debian}
BASE_DIR=${BASE_DIR:-$B}
tree="$BASE_DIR/linux"
stamp="$BASE_DIR/stamps/series"
mkdir -p "$BASE_DIR/stamps"
mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "no patches in $PATCHES"
if [ "$BASE" != debian ]; then
	last=${patches[-1]}
	grep -q '^Subject: .*Debian' "$last" ||
		die "the last patch $(basename "$last") is not the Debian-only one (its subject names Debian): the series must end with it"
	unset 'patches[-1]'
fi
cd "$tree"
want=$(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)
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
for p in "${patches[@]}"; do
	if ! git am -q --keep-cr "$p" >/dev/null 2>&1; then
		git am --abort >/dev/null 2>&1 || true
		die "patch $(basename "$p") does not apply to the $BASE base: rebase it in $tree and run make export"
	fi
done
echo "$want $(git rev-parse HEAD)" >"$stamp"
echo "tree: applied ${#patches[@]} patches onto the $BASE base"
