#!/usr/bin/env bash
# The cover letter of the series, patches/0000-cover-letter.patch: git format-patch
# --cover-letter (the shortlog and the diffstat of base..HEAD) with the subject and the text of
# the README's section "The cover letter" (the indented block between its markers: the first
# line is the subject). The README is the one place the text is kept.
#
#   cover-letter.sh TREE           write it (make export)
#   cover-letter.sh --check TREE   fail when patches/0000-cover-letter.patch is not what the
#                                  README and the tree give (make check, verify-series)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
check=
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
tree=${1:?usage: cover-letter.sh [--check] TREE}
PATCHES=${PATCHES:?PATCHES must be set}
readme="$top/README.md"
out="$PATCHES/0000-cover-letter.patch"

block=$(sed -n '/^<!-- cover-letter:start -->$/,/^<!-- cover-letter:end -->$/p' "$readme" | sed -e '1d' -e '$d')
if grep -qv -e '^    ' -e '^$' <<<"$block"; then
	die "README.md's cover letter block has a line that is neither indented by 4 spaces nor empty"
fi
text=$(sed -e 's/^    //' <<<"$block")
[ -n "$text" ] || die "README.md has no cover letter (an indented block between <!-- cover-letter:start --> and <!-- cover-letter:end -->)"
subject=$(head -n1 <<<"$text")
body=$(tail -n +2 <<<"$text" | sed '/./,$!d')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$tree" format-patch -q -n --zero-commit --no-signature --cover-letter -o "$tmp" base..HEAD
SUBJECT=$subject BODY=$body DATE=$(git -C "$tree" log -1 --format=%aD HEAD) \
	FROM=$(git -C "$tree" log -1 --format='%an <%ae>' HEAD) \
	python3 - "$tmp/0000-cover-letter.patch" <<'PY'
import os, re, sys
p = sys.argv[1]
s = open(p).read()
# The date and author of the last patch rather than the time and identity of the export: the
# same series gives the same file.
s = re.sub(r"^Date: .*$", "Date: " + os.environ["DATE"], s, count=1, flags=re.M)
# From the author of the patches, whatever the identity of the tree that exports them.
s = re.sub(r"^From: .*$", "From: " + os.environ["FROM"], s, count=1, flags=re.M)
for mark, val in (("*** SUBJECT HERE ***", os.environ["SUBJECT"]), ("*** BLURB HERE ***", os.environ["BODY"])):
    if s.count(mark) != 1:
        sys.exit(f"error: git format-patch's cover letter has no '{mark}'")
    s = s.replace(mark, val)
open(p, "w").write(s)
PY
if [ -z "$check" ]; then
	cp "$tmp/0000-cover-letter.patch" "$out"
	exit 0
fi
[ -f "$out" ] || die "$out is missing: run make export"
if ! diff -u "$out" "$tmp/0000-cover-letter.patch" >"$tmp/diff"; then
	head -20 "$tmp/diff" >&2
	die "patches/0000-cover-letter.patch is not what README.md (section \"The cover letter\") and the series give: run make export"
fi
echo "series: the cover letter matches README.md and the series"
