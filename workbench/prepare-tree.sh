#!/usr/bin/env bash
# Extracts the base once into a git repository whose first commit (tag "base") is the base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/base.env"
B=${B:?B must be set}
tree="$B/linux"
if git -C "$tree" rev-parse -q --verify refs/tags/base >/dev/null 2>&1; then
	exit 0
fi
deb="$B/dl/$BASE_DEB"
[ -f "$deb" ] || die "$deb is missing: run make setup"
rm -rf "$tree" "$B/extract"
mkdir -p "$B/extract"
echo "tree: extracting $BASE_DEB"
dpkg-deb -x "$deb" "$B/extract"
tarball=$(ls "$B"/extract/usr/src/linux-source-*.tar.xz)
tar -C "$B" -xf "$tarball"
mv "$B/$(basename "$tarball" .tar.xz)" "$tree"
rm -rf "$B/extract"
cd "$tree"
git init -q -b pristine
git config user.name "unshare-rs workbench"
git config user.email "workbench@invalid"
git config advice.addIgnoredFile false
# Debian's .gitignore ignores every top-level entry: add everything explicitly.
git add -f -A .
GIT_COMMITTER_DATE="2026-11-15T22:30:00Z" GIT_AUTHOR_DATE="2026-11-15T22:30:00Z" \
	git commit -q -m "Linux $BASE_VERSION (Debian $BASE_PKG)"
git tag base
echo "tree: $tree at base $(git rev-parse --short base)"
