#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes the tree of the base BASE (see the Makefile) once: a git repository in
# $BASE_DIR/linux whose commit tagged "base" is the base.
#   debian           extracted from Debian's linux-source-7.3 package
#   vanilla          extracted from upstream's linux_7.3.4.orig.tar.xz (fetched on first use)
#   debian-nosysctl  a clone of the debian tree plus workbench/debian-userns-sysctl.revert.patch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/base.env"
B=${B:?B must be set}
BASE=${BASE:-debian}
BASE_DIR=${BASE_DIR:-$B}
tree="$BASE_DIR/linux"
if git -C "$tree" rev-parse -q --verify refs/tags/base >/dev/null 2>&1; then
	exit 0
fi
rm -rf "$tree"
mkdir -p "$BASE_DIR"

# Commits what is in the index as the base: commit MESSAGE, tagged "base".
commit_base() {
	GIT_COMMITTER_DATE="2026-11-15T22:30:00Z" GIT_AUTHOR_DATE="2026-11-15T22:30:00Z" \
		git -c user.name="unshare-rs workbench" -c user.email="workbench@invalid" commit -q -m "$1"
	git tag -f base >/dev/null
}

# A new repository holding the tree of the tarball $1 (whose top folder is $2) as the base.
import_tarball() { # tarball top-folder message
	local work="$BASE_DIR/extract"
	rm -rf "$work"
	mkdir -p "$work"
	tar -C "$work" -xf "$1"
	mv "$work/$2" "$tree"
	rm -rf "$work"
	cd "$tree"
	git init -q -b pristine
	git config advice.addIgnoredFile false
	# Debian's .gitignore ignores every top-level entry: add everything explicitly.
	git add -f -A .
	commit_base "$3"
}

case $BASE in
debian)
	deb="$B/dl/$BASE_DEB"
	[ -f "$deb" ] || die "$deb is missing: run make setup"
	echo "tree: extracting $BASE_DEB"
	rm -rf "$B/extract-deb"
	dpkg-deb -x "$deb" "$B/extract-deb"
	tarball=$(ls "$B"/extract-deb/usr/src/linux-source-*.tar.xz)
	import_tarball "$tarball" "$(basename "$tarball" .tar.xz)" "Linux $BASE_VERSION (Debian $BASE_PKG)"
	rm -rf "$B/extract-deb"
	;;
vanilla)
	"$here/fetch-base.sh" vanilla
	echo "tree: extracting $VANILLA_TARBALL"
	import_tarball "$B/dl/$VANILLA_TARBALL" "linux-$VANILLA_VERSION" "Linux $VANILLA_VERSION"
	;;
debian-nosysctl)
	BASE=debian BASE_DIR=$B "$0"
	echo "tree: cloning the Debian base without its unprivileged_userns_clone patch"
	git clone -q --shared --no-checkout "$B/linux" "$tree"
	cd "$tree"
	git remote remove origin
	git checkout -q -b pristine base
	git apply --index "$here/debian-userns-sysctl.revert.patch" ||
		die "workbench/debian-userns-sysctl.revert.patch does not apply to the Debian base"
	commit_base "Revert Debian's \"add sysctl to disallow unprivileged CLONE_NEWUSER by default\""
	;;
*) die "BASE=$BASE is not a base: debian, vanilla or debian-nosysctl" ;;
esac
cd "$tree"
# Commits made in the tree (the series) carry the placeholder identity of the submitter: a
# human replaces it before posting (make mail, mail/).
git config user.name "Your Name"
git config user.email "your.name@example.invalid"
echo "tree: $tree at base $(git rev-parse --short base) ($BASE)"
