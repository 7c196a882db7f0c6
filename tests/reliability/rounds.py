#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judges repeated fail-nth sweeps: the serial logs of run.sh with FAILNTH_ROUNDS=K, in which
each boot ran the whole sweep K times (@@@ FAILNTH-ROUND k before each).

    rounds.py --log c=LOG --log rust=LOG

Every round of one boot against every round of the other, and every two rounds of one boot
against each other (C against C, Rust against Rust), with compare.py's judge of a combination
(the set of failures and the order of the phases); each round on its own with the per-log checks
(a failed call left the task unchanged, the last call succeeded). A difference between two rounds
of one implementation can only come from timing: it is the false difference the judge must
never report. Prints what the sweeps absorbed and ends with 'N passed, N failed'.
"""
import argparse
import itertools
import os
import re
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

ROUND = re.compile(r"@@@ FAILNTH-ROUND (\d+)")


def rounds_of(path):
    """{round: {combo: [records]}}, {round: {combo: summary}}."""
    recs, sums = OrderedDict(), OrderedDict()
    k = None
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
            if "@@@" not in line:
                continue
            line = line[line.index("@@@"):]
            m = ROUND.match(line)
            if m:
                k = int(m.group(1))
                recs[k], sums[k] = OrderedDict(), {}
                continue
            if k is None:
                continue
            m = compare.FAILNTH.match(line)
            if m:
                rec = m.groupdict()
                if compare.is_cut(rec):
                    continue  # cut by a kernel message on the console (compare.py counts them)
                recs[k].setdefault(rec["combo"], []).append(rec)
                continue
            m = compare.SUMMARY.match(line)
            if m:
                sums[k][m["combo"]] = compare.kv(m["rest"])
            if line.startswith("@@@ FAILNTH-END "):
                sums[k]["@end"] = True
    return recs, sums


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", action="append", default=[], help="IMPL=LOGFILE")
    args = ap.parse_args()
    logs = OrderedDict(s.split("=", 1) for s in args.log)
    data = {name: rounds_of(path) for name, path in logs.items()}
    check = compare.Tally()
    names = list(logs)
    # every round on its own
    for name in names:
        recs, sums = data[name]
        check(len(recs) > 1, f"[{name}] {len(recs)} rounds of the sweep in the log (FAILNTH_ROUNDS > 1?)")
        for k, combos in recs.items():
            check(sums[k].get("@end"), f"[{name}] round {k}: failnth did not reach its end")
            check(set(sums[k]) == set(sums[1]), f"[{name}] round {k}: other combinations than round 1")
            for combo, rs in combos.items():
                s = sums[k].get(combo, {})
                bad = compare.judge_log(rs)
                check(not bad and s.get("final_ret") == s.get("expect_final", "0"),
                      f"[{name}] round {k} {combo}: {len(bad)} bad outcomes, final_ret {s.get('final_ret')}")
    # every pair of rounds, within and across the implementations
    pairs = [((a, i), (b, j)) for a, b in itertools.combinations_with_replacement(names, 2)
             for i in data[a][0] for j in data[b][0] if (a, i) < (b, j)]
    false_diff = {}
    moved = absorbed = calls = 0
    for name in names:
        for combos in data[name][0].values():
            for rs in combos.values():
                calls += len(rs)
                absorbed += sum(1 for x in rs if x.get("probe") == "retry")
                by_n = {}
                for x in rs:
                    by_n.setdefault(x["n"], set()).add((compare.boundary(x), x["ret"], x["fired"]))
                moved += sum(1 for v in by_n.values() if len(v) > 1)
    for (a, i), (b, j) in pairs:
        ca, cb = data[a][0][i], data[b][0][j]
        for combo in OrderedDict.fromkeys(list(ca) + list(cb)):
            if combo.endswith("@copy") and a != b:
                continue  # the opt-in: C refuses, Rust copies (compare.py judges each log)
            ra, rb = ca.get(combo, []), cb.get(combo, [])
            flags = (data[a][1][i].get(combo) or data[b][1][j].get(combo) or {}).get("flags", combo)
            filt, why = compare.judge_pair((f"{a}#{i}", f"{b}#{j}"), ra, rb, "NEWNET" in flags.split("|"))
            kind = "same" if a == b else "across"
            false_diff.setdefault(kind, [0, 0])
            false_diff[kind][0] += 1
            if filt:
                false_diff[kind][1] += 1
            check(filt == 0, f"fail-nth {combo}: {a} round {i} and {b} round {j} fail differently{why}")
    for kind, (n, bad) in sorted(false_diff.items()):
        what = "one implementation's rounds against each other" if kind == "same" else "C rounds against Rust rounds"
        print(f"rounds: {what}: {n} comparisons of a combination, {bad} differences")
    print(f"rounds: {calls} calls in all; {absorbed} calls again after an absorbed fault; "
          f"{moved} (combination, n) whose outcome moved between calls (timing-dependent allocations)")
    print()
    return check.report(most=40)


if __name__ == "__main__":
    sys.exit(main())
