#!/usr/bin/env bash
# Downloads the base kernel package through a private apt source list (the machine's own
# sources stay untouched) and checks it against the committed sha256.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/base.env"
B=${B:?B must be set}
dl="$B/dl"
deb="$dl/$BASE_DEB"
mkdir -p "$dl"
if [ -f "$deb" ] && echo "$BASE_SHA256  $deb" | sha256sum -c --quiet - 2>/dev/null; then
	exit 0
fi
apt="$B/apt"
mkdir -p "$apt/lists/partial"
echo "$BASE_APT_SOURCE" >"$apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=- -o "Dir::State::Lists=$apt/lists")
echo "setup: downloading $BASE_PKG $BASE_VERSION"
apt-get "${opts[@]}" update -q >/dev/null 2>&1 ||
	die "apt-get update of trixie-backports failed: check access to deb.debian.org"
rm -f "$deb"
(cd "$dl" && apt-get "${opts[@]}" download "$BASE_PKG=$BASE_VERSION" >/dev/null 2>&1) ||
	die "downloading $BASE_PKG=$BASE_VERSION failed: is the version still in trixie-backports? (apt-cache policy $BASE_PKG with the options of $0)"
echo "$BASE_SHA256  $deb" | sha256sum -c --quiet - ||
	die "$deb does not match the sha256 in workbench/base.env: delete it and run make setup again"
