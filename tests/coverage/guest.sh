#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest side of tests/coverage/run.sh (busybox sh), installed as /tests/run.sh: every
# program runs with KCOV collected around each unshare(2) call (tests/coverage/kcov_wrap.c),
# then the edges go to the console for the host (tests/coverage/report.py).
#
# Kernel command line parameters (optional): cov_cases=N fuzz cases (default 2000),
# cov_parts=selftests,failnth,fuzz (default all three).
#
# Prints "@@@ COV <program> rc=<status> seconds=<s>" per program, the programs' own output,
# the wrapper's counters ("kcov-wrap: calls=..."), and the edges of the calls that succeeded
# ("@@@ KCOV-EDGE") and of those that failed ("@@@ KCOV-ERR", kcov_dump.c);
# exits 0 when every program ran and the edges were written (the programs' verdicts are
# reported, not judged here: make check judges them on the regular kernels).
here=$(cd "$(dirname "$0")" && pwd)
cases=2000
parts=selftests,failnth,fuzz
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	cov_cases=*) cases=${arg#cov_cases=} ;;
	cov_parts=*) parts=${arg#cov_parts=} ;;
	esac
done
echo "@@@ COV impl: $(dmesg | grep -o 'unshare: using the [A-Za-z]* implementation' | head -n1)"
[ -e /sys/kernel/debug/kcov ] || { echo "@@@ COV no /sys/kernel/debug/kcov: not a KCOV kernel"; exit 1; }
mkdir -p /tmp/kcov
export UNSHARE_KCOV_OUT=/tmp/kcov/edges.bin UNSHARE_KCOV_RANGES=$here/ranges.txt
cd /tmp || exit 1

run() { # name command...
	name=$1
	shift
	t=$(date +%s)
	"$@" 2>&1
	echo "@@@ COV $name rc=$? seconds=$(( $(date +%s) - t ))"
}

case ",$parts," in *,selftests,*)
	for p in "$here"/selftests/*; do
		run "$(basename "$p")" "$p"
	done
	;;
esac
case ",$parts," in *,failnth,*)
	# The fault-injection stack dumps stay in the ring buffer, where failnth reads them.
	echo "5 7 1 7" >/proc/sys/kernel/printk
	run failnth "$here/failnth" --no-kmemleak --bulk-stride 40
	;;
esac
case ",$parts," in *,fuzz,*)
	run fuzz "$here/fuzz" --seed 1 --cases "$cases"
	;;
esac
unset UNSHARE_KCOV_OUT
"$here/kcov_dump" /tmp/kcov/edges.bin KCOV-EDGE || exit 1
"$here/kcov_dump" /tmp/kcov/edges.bin.err KCOV-ERR || exit 1
echo "@@@ COV done"
