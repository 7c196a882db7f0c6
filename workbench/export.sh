#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Writes the commits base..HEAD of the tree to patches/ (the source of truth) and copies every
# file the series adds to the overlay, at its in-tree path. The cover letters are not in
# patches/: make mail (workbench/mail.sh) writes the two mail sets from patches/ and mail/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
tree=${1:?usage: export.sh TREE}
PATCHES=${PATCHES:?PATCHES must be set}
top=$(dirname "$PATCHES")
git -C "$tree" diff --quiet HEAD || die "$tree has uncommitted changes: commit them into the series first"
n=$(git -C "$tree" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "$tree has no commits on top of base"
rm -f "$PATCHES"/*.patch
git -C "$tree" format-patch -q -n --zero-commit --no-signature -o "$PATCHES" base..HEAD
git -C "$top" ls-files -- rust kernel include tools Documentation | (cd "$top" && xargs -r rm -f)
git -C "$tree" diff --name-only --diff-filter=A base HEAD | while IFS= read -r f; do
	mkdir -p "$top/$(dirname "$f")"
	cp "$tree/$f" "$top/$f"
done
mapfile -t patches < <(series_patches)
sum=$(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)
mkdir -p "${B:?}/stamps"
echo "$sum $(git -C "$tree" rev-parse HEAD)" >"$B/stamps/series"
echo "export: $n patches in patches/, $(git -C "$tree" diff --name-only --diff-filter=A base HEAD | wc -l) new files in the overlay"
