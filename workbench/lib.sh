# shellcheck shell=bash
# Shared by the workbench scripts: one-line fatal errors.
die() {
	echo "error: $*" >&2
	exit 1
}

# The patches of the series in order, one path a line (the cover letter is not one).
series_patches() {
	local p
	for p in "${PATCHES:?PATCHES must be set}"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$p" ] || continue
		case $p in */0000-cover-letter.patch) continue ;; esac
		echo "$p"
	done
}
