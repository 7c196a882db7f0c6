#!/bin/sh
# The guest side of tests/reliability/run.sh (busybox sh), installed as /tests/run.sh.
#
# Kernel command line parameters (all optional):
#   rel_parts=failnth,fuzz,soak   what to run, in this order
#   rel_seed=S                    fuzzer seed (default 1)
#   rel_cases=N                   fuzzer cases (default 2000)
#   rel_soak=SECONDS              soak time of unshare_stress_test (default 60)
#   rel_rounds=N                  UNSHARE_STRESS_ROUNDS of each soak run (default 10)
#   rel_combo=NAME                failnth: one combination only
#   rel_case=I                    fuzz: replay case I only, verbosely
#   rel_quick=1                   failnth: one kmemleak report at the end, every 3rd fault
#                                 point, every 40th of the CLONE_NEWNET combinations
#
# Prints @@@ lines that run.sh/compare.py read; exits 0 when every part ran (the
# verdicts are the host's), 1 when a program is missing.
here=$(cd "$(dirname "$0")" && pwd)
parts=failnth,fuzz,soak
seed=1
cases=2000
soak=60
rounds=10
combo=
case=
quick=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	rel_parts=*) parts=${arg#rel_parts=} ;;
	rel_seed=*) seed=${arg#rel_seed=} ;;
	rel_cases=*) cases=${arg#rel_cases=} ;;
	rel_soak=*) soak=${arg#rel_soak=} ;;
	rel_rounds=*) rounds=${arg#rel_rounds=} ;;
	rel_combo=*) combo=${arg#rel_combo=} ;;
	rel_case=*) case=${arg#rel_case=} ;;
	rel_quick=*) quick=${arg#rel_quick=} ;;
	esac
done

echo "@@@ REL impl: $(dmesg | grep -o 'unshare: using the [A-Za-z]* implementation' | head -n1)"
echo "@@@ REL parts=$parts seed=$seed cases=$cases soak=$soak rounds=$rounds quick=$quick cpus=$(grep -c ^processor /proc/cpuinfo)"
for p in failnth fuzz unshare_stress_test; do
	[ -x "$here/$p" ] || { echo "@@@ REL missing $here/$p"; exit 1; }
done
[ -r /sys/kernel/debug/kmemleak ] || echo "@@@ REL no /sys/kernel/debug/kmemleak (not a debug kernel?)"

case ",$parts," in *,failnth,*)
	start=$(date +%s)
	set -- --reject-syms "$here/kmemleak.syms"
	[ -r "$here/kmemleak.syms" ] || set --
	[ -n "$combo" ] && set -- "$@" --combo "$combo"
	[ "$quick" = 1 ] && set -- "$@" --leak-scan-at-end --stride 3 --net-stride 40
	# The fault-injection stack dumps (KERN_NOTICE and KERN_DEFAULT) go to the ring buffer,
	# where failnth reads them, not to the console, where they would interleave with the
	# @@@ lines: console level 5, default message level 7. Splats (KERN_WARNING and above)
	# still reach the console; their context is printed from dmesg at the end.
	printk_saved=$(cat /proc/sys/kernel/printk | tr -s '\t ' ' ')
	echo "5 7 1 7" >/proc/sys/kernel/printk
	"$here/failnth" "$@"
	rc=$?
	echo "$printk_saved" >/proc/sys/kernel/printk
	echo "@@@ REL failnth rc=$rc seconds=$(( $(date +%s) - start ))"
	;;
esac

case ",$parts," in *,fuzz,*)
	start=$(date +%s)
	if [ -n "$case" ]; then
		"$here/fuzz" --seed "$seed" --case "$case"
	else
		"$here/fuzz" --seed "$seed" --cases "$cases"
	fi
	echo "@@@ REL fuzz rc=$? seconds=$(( $(date +%s) - start ))"
	;;
esac

case ",$parts," in *,soak,*)
	start=$(date +%s)
	end=$((start + soak))
	i=0 bad=0
	cd /tmp || exit 1
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		t=$(date +%s)
		UNSHARE_STRESS_ROUNDS=$rounds "$here/unshare_stress_test" >/tmp/soak.log 2>&1
		rc=$?
		echo "@@@ SOAK run=$i rc=$rc rounds=$rounds seconds=$(( $(date +%s) - t ))"
		if [ $rc -ne 0 ]; then
			bad=$((bad + 1))
			sed 's/^/  soak| /' /tmp/soak.log | tail -n 40
		fi
	done
	echo "@@@ REL soak runs=$i failed=$bad seconds=$(( $(date +%s) - start ))"
	;;
esac

# The last word of kmemleak, after everything (two scans: a new object is reported once it is
# 5 s old and was unreferenced in a scan whose checksum matched the previous one).
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 2
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	n=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
	echo "@@@ KMEMLEAK final leaks=$n"
	[ "$n" = 0 ] || cat /sys/kernel/debug/kmemleak
fi
# The full context of any splat (its backtrace may have stayed off the console).
if dmesg | grep -q -E 'WARNING:|BUG:|Oops|circular locking|inconsistent lock|KFENCE|UBSAN|ODEBUG|RCU usage'; then
	dmesg | grep -E -B 5 -A 60 'WARNING:|BUG:|Oops|circular locking|inconsistent lock|KFENCE|UBSAN|ODEBUG|RCU usage' |
		sed 's/^/dmesg| /' | head -n 400
fi
echo "@@@ REL done"
exit 0
