#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
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
#   rel_failnth_rounds=K          failnth: the whole sweep K times, each after a line
#                                 @@@ FAILNTH-ROUND k (run.sh FAILNTH_ROUNDS=K, rounds.py)
#   rel_quick=1                   failnth: one kmemleak report at the end, every 40th fault
#                                 point inside the network setup and the mount tree copy
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
frounds=1
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
	rel_failnth_rounds=*) frounds=${arg#rel_failnth_rounds=} ;;
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
	[ "$quick" = 1 ] && set -- "$@" --leak-scan-at-end --bulk-stride 40
	# The fault-injection stack dumps (KERN_NOTICE and KERN_DEFAULT) go to the ring buffer,
	# where failnth reads them, not to the console, where they would interleave with the
	# @@@ lines: console level 5, default message level 7. Splats (KERN_WARNING and above)
	# still reach the console; their context is printed from dmesg at the end.
	printk_saved=$(cat /proc/sys/kernel/printk | tr -s '\t ' ' ')
	echo "5 7 1 7" >/proc/sys/kernel/printk
	k=1 rc=0
	while [ "$k" -le "$frounds" ]; do
		[ "$frounds" -gt 1 ] && echo "@@@ FAILNTH-ROUND $k"
		"$here/failnth" "$@" || rc=1
		k=$((k + 1))
	done
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
	# The fuzzer beside the stress test, on seeds of its own (seed+1, seed+2, ...), with the
	# global limits left alone. Its per-case lines stay in a file: only its all-or-nothing
	# anomalies and its counts are reported.
	(
		k=0
		while [ "$(date +%s)" -lt "$end" ]; do
			k=$((k + 1))
			"$here/fuzz" --seed $((seed + k)) --cases 200 --global-untouched
		done
	) >/tmp/soak-fuzz.log 2>&1 &
	fuzz_pid=$!
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		t=$(date +%s)
		# -T: not the round that sets kernel.unshare_vm to 1 while it runs, which would turn
		# some of the fuzzer's EINVAL cases into copies (the fuzzer compares with C)
		UNSHARE_STRESS_ROUNDS=$rounds "$here/unshare_stress_test" -T shared_vm_unshare_race \
			>/tmp/soak.log 2>&1
		rc=$?
		echo "@@@ SOAK run=$i rc=$rc rounds=$rounds seconds=$(( $(date +%s) - t ))"
		if [ $rc -ne 0 ]; then
			bad=$((bad + 1))
			sed 's/^/  soak| /' /tmp/soak.log | tail -n 40
		fi
	done
	wait $fuzz_pid
	fuzz_runs=$(grep -c '^@@@ FUZZ end ' /tmp/soak-fuzz.log)
	fuzz_cases=$(sed -n 's/^@@@ FUZZ end .* cases=\([0-9]*\) .*/\1/p' /tmp/soak-fuzz.log |
		awk '{ n += $1 } END { print n + 0 }')
	fuzz_anomalies=$(grep -c '^@@@ FUZZ-ANOMALY ' /tmp/soak-fuzz.log)
	fuzz_errors=$(grep -c '^fatal: ' /tmp/soak-fuzz.log)
	# Without their @@@: compare.py must not take them for the differential fuzzer's.
	grep -E '^@@@ FUZZ-ANOMALY |^fatal: ' /tmp/soak-fuzz.log | sed 's/^@@@ //; s/^/  soak-fuzz| /' |
		head -n 40
	echo "@@@ REL soak runs=$i failed=$bad fuzz_runs=$fuzz_runs fuzz_cases=$fuzz_cases" \
		"fuzz_anomalies=$fuzz_anomalies fuzz_errors=$fuzz_errors seconds=$(( $(date +%s) - start ))"
	;;
esac

echo "@@@ REL done"
exit 0
