#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Downloads a base through a private apt source list (the machine's own sources stay untouched)
# and checks it against the sha256 in workbench/base.env.
#
#   fetch-base.sh            Debian's linux-source-7.3 package (make setup)
#   fetch-base.sh vanilla    upstream's linux_7.3.4.orig.tar.xz (BASE=vanilla)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/base.env"
B=${B:?B must be set}
dl="$B/dl"
mkdir -p "$dl"
case ${1:-debian} in
debian) file=$BASE_DEB sha=$BASE_SHA256 source=$BASE_APT_SOURCE what="$BASE_PKG $BASE_VERSION" ;;
vanilla) file=$VANILLA_TARBALL sha=$VANILLA_SHA256 source=$VANILLA_APT_SOURCE what="$VANILLA_TARBALL" ;;
*) die "usage: $0 [debian|vanilla]" ;;
esac
if [ -f "$dl/$file" ] && echo "$sha  $dl/$file" | sha256sum -c --quiet - 2>/dev/null; then
	exit 0
fi
apt="$B/apt-${1:-debian}"
mkdir -p "$apt/lists/partial"
echo "$source" >"$apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt/lists")
echo "setup: downloading $what"
apt-get "${opts[@]}" update -q >/dev/null 2>&1 ||
	die "apt-get update of '$source' failed: check access to deb.debian.org"
rm -f "$dl/$file"
if [ "${1:-debian}" = debian ]; then
	(cd "$dl" && apt-get "${opts[@]}" download "$BASE_PKG=$BASE_VERSION" >/dev/null 2>&1) ||
		die "downloading $BASE_PKG=$BASE_VERSION failed: is the version still in trixie-backports? (apt-cache policy $BASE_PKG with the options of $0)"
else
	log="$apt/download.log"
	(cd "$dl" && apt-get "${opts[@]}" source --download-only --tar-only "$VANILLA_SRC" >"$log" 2>&1) || {
		grep -m1 '^E: Failed to fetch' "$log" >&2 || tail -n3 "$log" >&2
		die "downloading $VANILLA_TARBALL (source package $VANILLA_SRC) failed: the mirror must serve Debian's source files (deb.debian.org/debian/pool/main/l/linux/); or put the file, sha256 $VANILLA_SHA256, into $dl yourself"
	}
	rm -f "$dl"/linux_*.debian.tar.xz
fi
echo "$sha  $dl/$file" | sha256sum -c --quiet - ||
	die "$dl/$file does not match the sha256 in workbench/base.env: delete it and run again"
