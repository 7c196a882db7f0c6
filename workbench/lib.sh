# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared by the workbench scripts: one-line fatal errors.
die() {
	echo "error: $*" >&2
	exit 1
}

# The patches of the series in order, one path a line.
series_patches() {
	local p
	for p in "${PATCHES:?PATCHES must be set}"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$p" ] || continue
		echo "$p"
	done
}

# The series' hash: the sha256 of its patches in order (the stamp of workbench/export.sh and
# apply-series.sh, and the series of the results of make check); "none" without patches.
series_sum() {
	local -a p
	mapfile -t p < <(series_patches)
	if [ ${#p[@]} = 0 ]; then
		echo none
		return
	fi
	cat "${p[@]}" | sha256sum | cut -d' ' -f1
}
