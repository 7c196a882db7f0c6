#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Checks that the overlay (new files at their in-tree paths) is what patches/ produces: the
# same set of files, with the same contents, as the series adds to the base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
tree=${1:?usage: verify-overlay.sh TREE}
top=$(cd "$here/.." && pwd)
added=$(git -C "$tree" diff --name-only --diff-filter=A base HEAD | sort)
overlay=$( (cd "$top" && git ls-files --others --cached --exclude-standard -- rust kernel include tools Documentation) | sort -u)
bad=0
if [ "$added" != "$overlay" ]; then
	diff <(echo "$added") <(echo "$overlay") | sed -n 's/^< /only in patches\/: /p; s/^> /only in the overlay: /p' >&2
	bad=1
fi
for f in $added; do
	[ -f "$top/$f" ] || continue
	if ! cmp -s "$tree/$f" "$top/$f"; then
		echo "differs from patches/: $f" >&2
		bad=1
	fi
done
[ $bad = 0 ] || die "the overlay and patches/ disagree: edit the tree, commit, and run make export"
echo "series: overlay matches patches/ ($(echo "$added" | wc -l) files)"
