# SPDX-License-Identifier: GPL-2.0
# Sourced (bash) by workbench/check.sh and tests/reliability/run.sh:
#   each_impl PARALLEL FUNCTION IMPL...
# calls FUNCTION IMPL for each implementation, one after the other, or all at once when
# PARALLEL is 1 (each boot is a QEMU process of its own), and returns when all are done.
each_impl() {
	local parallel=$1 fn=$2 impl
	shift 2
	for impl in "$@"; do
		if [ "$parallel" = 1 ]; then
			"$fn" "$impl" &
		else
			"$fn" "$impl"
		fi
	done
	wait
}
