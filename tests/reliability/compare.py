#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judges the serial logs of tests/reliability/run.sh: one boot per implementation.

    compare.py --log c=LOG --log rust=LOG [--boot c=VERDICT ...] [--seed S]

Checks each log on its own (fail-nth: every failed call left the task unchanged,
every successful one had its full effect, no error, the final clean call succeeded,
no leak; the fuzzer's own all-or-nothing checks; the soak; the final kmemleak scan;
boot.sh's verdict: no splat) and the two logs against each other (the fail-nth
outcome sequence of each combination, the fuzzer's per-case digests and hash).
Prints a table and ends with 'N passed, N failed'. Exit status 0 when nothing failed.
"""
import argparse
import re
import sys
from collections import OrderedDict

FAILNTH = re.compile(
    r"@@@ FAILNTH (?P<combo>\S+) n=(?P<n>\d+) ret=(?P<ret>\S+) unchanged=(?P<unchanged>\S+) "
    r"fired=(?P<fired>\d) effect=(?P<effect>\S+) sem=(?P<sem>\S+)"
    r"(?: type=(?P<type>\S+))? site=(?P<site>\S+)(?: error=(?P<error>\S+))? probe=(?P<probe>\S+)\s*$")
SUMMARY = re.compile(r"@@@ FAILNTH-SUMMARY (?P<combo>\S+) (?P<rest>.*)")
KMEMLEAK = re.compile(r"@@@ KMEMLEAK (?P<tag>\S+) leaks=(?P<n>\d+)")
FUZZ_BLK = re.compile(r"@@@ FUZZ blk=(?P<blk>\d+) d=(?P<d>[0-9a-f]+) h=(?P<h>[0-9a-f]+)")
FUZZ_END = re.compile(r"@@@ FUZZ end seed=(?P<seed>\d+) cases=(?P<cases>\d+) hash=(?P<h>[0-9a-f]+) "
                      r"anomalies=(?P<anom>\d+) seconds=(?P<sec>\d+)")
FUZZ_CASE = re.compile(r"@@@ FUZZ case=(?P<i>\d+) (?P<line>.*)")
ANOMALY = re.compile(r"@@@ FUZZ-ANOMALY (?P<rest>.*)")
SOAK = re.compile(r"@@@ REL soak runs=(?P<runs>\d+) failed=(?P<failed>\d+) fuzz_runs=(?P<fuzz_runs>\d+) "
                  r"fuzz_cases=(?P<fuzz_cases>\d+) fuzz_anomalies=(?P<fuzz_anomalies>\d+) "
                  r"fuzz_errors=(?P<fuzz_errors>\d+) seconds=(?P<sec>\d+)")
REL_PARTS = re.compile(r"@@@ REL parts=(?P<parts>\S+) ")
REL = re.compile(r"@@@ REL (?P<part>failnth|fuzz) rc=(?P<rc>\d+) seconds=(?P<sec>\d+)")
IMPL = re.compile(r"unshare: using the (\S+) implementation")


class Tally:
    """check(ok, what): counts a pass or a failure (what); report() prints the failures and
    'N passed, N failed' and returns the exit status."""

    def __init__(self):
        self.passed = self.failed = 0
        self.problems = []

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.problems.append(what)
        return ok

    def report(self, most=None):
        shown = self.problems if most is None else self.problems[:most]
        for p in shown:
            print("FAIL: " + p)
        if len(shown) < len(self.problems):
            print(f"FAIL: ... and {len(self.problems) - len(shown)} more")
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


def kv(text):
    return dict(p.split("=", 1) for p in text.split() if "=" in p)


class Run:
    def __init__(self, name, path):
        self.name = name
        self.failnth = OrderedDict()   # combo -> list of dicts
        self.summary = {}
        self.kmemleak = {}
        self.fuzz_blocks = {}
        self.fuzz_end = None
        self.fuzz_cases = {}
        self.anomalies = []
        self.soak = None
        self.parts = {}
        self.requested = []
        self.impl = None
        self.done = False
        self.failnth_end = False
        self.garbled = []
        with open(path, "rb") as f:
            for raw in f:
                line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
                self.parse(line)

    def parse(self, line):
        if self.impl is None:
            m = IMPL.search(line)
            if m:
                self.impl = m.group(1)
        if "@@@" not in line:
            return
        line = line[line.index("@@@"):]
        m = FAILNTH.match(line)
        if m:
            rec = m.groupdict()
            # The serial console is shared: a kernel message (a page allocation failure's
            # warning, say) can land inside a record and cut it. A cut record is left out and
            # counted: it does not end with probe=, or its site is neither a chain with its
            # outermost frame (@) nor one of the words failnth writes without a stack.
            if is_cut(rec):
                self.garbled.append(line)
            else:
                self.failnth.setdefault(m["combo"], []).append(rec)
            return
        if line.startswith("@@@ FAILNTH "):
            self.garbled.append(line)
            return
        m = SUMMARY.match(line)
        if m:
            self.summary[m["combo"]] = kv(m["rest"])
            return
        m = KMEMLEAK.match(line)
        if m:
            # several rounds of the sweep (FAILNTH_ROUNDS) report under the same tag: summed
            tag = m["tag"]
            self.kmemleak[tag] = int(m["n"]) + (self.kmemleak.get(tag, 0) if tag != "final" else 0)
            return
        m = FUZZ_BLK.match(line)
        if m:
            self.fuzz_blocks[int(m["blk"])] = (m["d"], m["h"])
            return
        m = FUZZ_END.match(line)
        if m:
            self.fuzz_end = m.groupdict()
            return
        m = FUZZ_CASE.match(line)
        if m:
            self.fuzz_cases[int(m["i"])] = m["line"]
            return
        m = ANOMALY.match(line)
        if m:
            self.anomalies.append(m["rest"])
            return
        m = SOAK.match(line)
        if m:
            self.soak = m.groupdict()
            return
        m = REL.match(line)
        if m:
            self.parts[m["part"]] = m.groupdict()
            return
        m = REL_PARTS.match(line)
        if m:
            self.requested = m["parts"].split(",")
            return
        if line.startswith("@@@ REL done"):
            self.done = True
        if line.startswith("@@@ FAILNTH-END "):
            self.failnth_end = True


IMPL_FRAME = re.compile(r"^(unshare_fd|unshare_fs|ksys_unshare_c|unshare_userns|unshare_nsproxy_namespaces|"
                        r"create_new_namespaces)(\..*)?$")
# What failnth writes as the site of a call without a fault stack: no fault (-), a fault in an
# allocation with __GFP_NOWARN (no stack printed), a fault in the implementation's own frames.
NO_STACK = ("-", "nowarn", "impl")


def is_cut(rec):
    """A record that matched but whose site is neither a chain with its outermost frame (@) nor
    a NO_STACK word: a kernel message on the console cut it."""
    return "@" not in rec["site"] and rec["site"] not in NO_STACK


def frame(rec):
    """The outermost kernel function below the implementation (failnth stops at the frames of
    C's own helpers, so this is the constructor both implementations call), or a NO_STACK word."""
    return rec["site"].split("@", 1)[1] if "@" in rec["site"] else rec["site"]


def boundary(rec):
    """The phase of a call (copy_fs_struct, dup_fd, unshare_userns, unshare_nsproxy_namespaces,
    set_cred_ucounts, alloc_sighand, dup_current_mm); a NO_STACK word, or unknown:FRAME for an
    outermost frame that no phase names (a new constructor: a failure of the run)."""
    f = frame(rec)
    return PHASE_OF.get(f, f if f in NO_STACK else "unknown:" + f)


PHASES = ("copy_fs_struct", "dup_fd", "unshare_userns", "unshare_nsproxy_namespaces", "set_cred_ucounts",
          "alloc_sighand", "dup_current_mm")
# The outermost frame below the implementation, by phase. The Rust implementation calls the C
# constructors of unshare_userns() and create_new_namespaces() itself (those two are Rust), so
# its outermost frame is the constructor.
PHASE_OF = {p: p for p in PHASES} | {
    "prepare_creds": "unshare_userns",
    "create_user_ns": "unshare_userns",
    **{f: "unshare_nsproxy_namespaces" for f in (
        "create_nsproxy", "copy_mnt_ns", "copy_utsname", "copy_ipcs", "copy_pid_ns",
        "copy_cgroup_ns", "copy_net_ns", "copy_time_ns")},
}


def site(rec):
    """The call chain up to the constructor that both implementations call (copy_mnt_ns,
    create_user_ns...; C reaches it through create_new_namespaces() or unshare_userns(), Rust
    directly), without frames of one implementation (C's unshare_fd, unshare_fs helpers;
    failnth stops at the first frame of either implementation already)."""
    frames = rec["site"].split("@", 1)[0].split("<")
    keep = []
    for f in frames:
        if IMPL_FRAME.match(f):
            break
        keep.append(f)
        if f in PHASE_OF:
            break
    return "<".join(keep) or "impl"


def outcome(rec):
    return (rec["ret"], rec["unchanged"], rec["effect"], rec["sem"], site(rec), rec.get("error"))


def tolerated(rec):
    """A fault that the kernel absorbed (the call succeeded with its full effect). Some of those
    depend on timing, not on the code path: the refill of a SLUB per-CPU sheaf, of the
    debugobjects pool (__GFP_NOWARN, so no stack: site=nowarn). They are left out of the
    filtered comparison; a fault absorbed by one implementation and fatal to the other still
    shows, as the failing outcome appears in one sequence only."""
    return rec["ret"] == "0" and rec["effect"] == "ok" and rec["unchanged"] == "na" \
        and rec["sem"] == "ok" and not rec.get("error")


def check_copy(name, combo, recs, summary, check):
    """The combinations of the opt-in (kernel.unshare_vm=1, address space and handlers shared):
    C answers EINVAL before any allocation, so no call may reach a fault point; Rust copies,
    and the sweep must have failed the copy itself (alloc_sighand, and dup_current_mm when the
    address space is copied: the sweep reaches every class of outcome); per log,
    as there is nothing to compare. That each failed call left the task unchanged is the
    generic check of every record (unchanged/effect/sem)."""
    if summary.get("expect_final") == "EINVAL":
        stray = [x for x in recs if x["ret"] != "EINVAL" or x["fired"] != "0" or x["unchanged"] != "yes"]
        check(recs and not stray, f"[{name}] fail-nth {combo}: C must answer EINVAL with no fault point "
              f"and the task unchanged: {len(recs)} calls, {len(stray)} others"
              + (f", first: n={stray[0]['n']} ret={stray[0]['ret']} fired={stray[0]['fired']}" if stray else ""))
        return
    # A held robust futex refuses before the copy of the address space: no point in it.
    want = ["alloc_sighand"] + (["dup_current_mm"] if combo.startswith("VM") and "+robust" not in combo
                                else [])
    failed = [x for x in recs if not tolerated(x) and x["ret"] != "0"]
    seen = {boundary(x) for x in failed}
    check(all(p in seen for p in want),
          f"[{name}] fail-nth {combo}: the sweep failed the copy in {sorted(seen)}, wanted "
          f"{want} ({len(failed)} failed calls)")


# --- one combination, C against Rust ---------------------------------------------------------
# Each call of the sweep is a run of its own, and an allocation that depends on timing (a cache
# refill, an IDA node, the network stack's init) shifts the fault points after it in that call
# only: the outcome at a given n is not a function of the implementation. The sweep (failnth.c)
# calls again where a fault was absorbed, bisects down to adjacent n wherever the outcome class
# changes and calls once more at both ends of each boundary, so that every class is reached in
# both boots. The verdict rests on what the implementations control, over all calls: the set of
# failures (which phase failed: the outermost function below the implementation, copy_fs_struct,
# dup_fd, unshare_userns, unshare_nsproxy_namespaces, set_cred_ucounts; with which errno; whether
# the task stayed unchanged) and the order of the phases (by the median n of each, which a shift
# by one or two cannot reorder). The call chains that occur in one run only are counted and shown.

def errno_kept(x, net_timing):
    """Inside the network namespace's setup the errno depends on timing: whether alloc_ucounts()
    allocates (its failure is ENOSPC, an allocation's ENOMEM) depends on whether cleanup_net()'s
    work item has released the namespace of an earlier call yet, and a failed sysctl table gives
    ENOBUFS. It comes from the shared C code of copy_net_ns(), not from the implementations:
    compared without it there (failnth's class is E* there too)."""
    return not (net_timing and frame(x) == "copy_net_ns")


def phase_ns(recs):
    """{phase: sorted n of its failed calls}."""
    ns = {}
    for x in recs:
        if not tolerated(x) and x["ret"] != "0" and boundary(x) in PHASES:
            ns.setdefault(boundary(x), set()).add(int(x["n"]))
    return {p: sorted(v) for p, v in ns.items()}


def phases(recs):
    """The phases in the order of the median n of their failed calls (ties: the first n)."""
    ns = phase_ns(recs)

    def key(p):
        v = ns[p]
        return ((v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2, v[0])
    return sorted(ns, key=key)


def first_inversions(ra, rb, slack=2):
    """Pairs of phases whose first failures come in clearly opposite orders in the two logs (by
    more than a shift of slack): a phase moved into the first half of a longer one keeps the
    median order."""
    na, nb = phase_ns(ra), phase_ns(rb)
    common = sorted(set(na) & set(nb))
    return [(p, q) for p in common for q in common
            if na[p][0] + slack < na[q][0] and nb[q][0] + slack < nb[p][0]]


def failures(recs, net_timing):
    return {(boundary(x), x["ret"] if errno_kept(x, net_timing) else "E*", x["unchanged"], x["effect"],
             x["sem"], x.get("error"))
            for x in recs if not tolerated(x)}


def errnos(recs, net_timing):
    return {x["ret"] for x in recs if not tolerated(x) and not errno_kept(x, net_timing)}


def judge_pair(names, ra, rb, net_timing):
    """0 and '' when the two logs of a combination fail alike; else the number of differences
    and what they are, naming the phases."""
    pa, pb = phases(ra), phases(rb)
    fa, fb = failures(ra, net_timing), failures(rb, net_timing)
    inv = first_inversions(ra, rb)
    filt = len(fa - fb) + len(fb - fa) + (pa != pb) + len(inv)
    why = ""
    if pa != pb:
        i = next((k for k, (x, y) in enumerate(zip(pa, pb)) if x != y), min(len(pa), len(pb)))
        why += (f": phase order differs at step {i}: {names[0]} {'>'.join(pa[max(0, i - 2):i + 3])} "
                f"vs {names[1]} {'>'.join(pb[max(0, i - 2):i + 3])}")
    if inv:
        why += ": phases first fail in opposite orders: " + "; ".join(
            f"{names[0]} {p} before {q}, {names[1]} {q} before {p}" for p, q in inv[:3])
    if fa != fb:
        why += (f": only in {names[0]}: " + "; ".join("/".join(map(str, o)) for o in sorted(fa - fb, key=str)[:3])
                + f"; only in {names[1]}: " + "; ".join("/".join(map(str, o)) for o in sorted(fb - fa, key=str)[:3]))
    return filt, why


def judge_log(recs):
    """The failed calls of one log that left the task changed or had a bad effect."""
    return [x for x in recs if x["unchanged"] == "no" or x["effect"].startswith("bad")
            or x["sem"] != "ok" or x.get("error")]


def drift(recs):
    """What the sweep absorbed: n called more than once whose outcomes differed."""
    by_n = {}
    for x in recs:
        by_n.setdefault(x["n"], []).append(x)
    multi = {n: v for n, v in by_n.items() if len(v) > 1}
    moved = [n for n, v in multi.items()
             if len({(boundary(x), x["ret"]) if x["fired"] == "1" and not tolerated(x) else
                     ("tolerated" if x["fired"] == "1" else "end") for x in v}) > 1]
    absorbed = sum(1 for x in recs if x.get("probe") == "retry")
    if not moved and not absorbed:
        return ""
    return (f"{len(recs)} calls at {len(by_n)} n; {absorbed} calls again after an absorbed fault; "
            f"at {len(moved)} of the {len(multi)} n called more than once the outcome moved "
            f"(timing-dependent allocations)"
            + (f", e.g. n={','.join(sorted(moved, key=int)[:5])}" if moved else ""))


def power(combos, names):
    """Seeded divergences in the data of this very run, which the judges above must catch: for
    each combination with two phases or more in the second log, (1) its last two phases swapped
    (their calls renumbered, the later phase's before the earlier one's), (2) a phase moved to
    just after the first failure of the next, longer one (the median order stays; the order of
    first failures turns), where the two first fail more than a shift apart, and (3) a failed
    call of its first phase that left the task changed. Returns (caught, total, first miss)."""
    caught = total = 0
    miss = None

    def seed(ok, what):
        nonlocal caught, total, miss
        total += 1
        if ok:
            caught += 1
        elif miss is None:
            miss = what

    for combo, ra, rb, net_timing in combos:
        pb = phases(rb)
        if len(pb) < 2:
            continue
        p1, p2 = pb[-2], pb[-1]
        block = sorted((x for x in rb if not tolerated(x) and boundary(x) in (p1, p2)),
                       key=lambda x: int(x["n"]))
        lo = int(block[0]["n"])
        first = [x for x in block if boundary(x) == p2] + [x for x in block if boundary(x) == p1]
        renum = {id(x): str(lo + i) for i, x in enumerate(first)}
        filt, why = judge_pair(names, ra, [dict(x, n=renum.get(id(x), x["n"])) for x in rb], net_timing)
        seed(filt and f"{p2}>{p1}" in why, f"{combo}: {p1} and {p2} swapped in {names[1]} not caught{why}")
        na, nb = phase_ns(ra), phase_ns(rb)
        for p, q in zip(pb, pb[1:]):
            if p in na and q in na and na[p][0] + 2 < na[q][0] and nb[p][0] + 2 < nb[q][0] \
                    and len(nb[q]) >= 3:
                # every n times 10, the calls of p three points after q's first failure
                moved = [x for x in rb if not tolerated(x) and boundary(x) == p]
                renum = {id(x): str(10 * (nb[q][0] + 3) + i % 10) for i, x in enumerate(moved)}
                mut = [dict(x, n=renum.get(id(x), str(10 * int(x["n"])))) for x in rb]
                filt, why = judge_pair(names, ra, mut, net_timing)
                seed(filt and p in why,
                     f"{combo}: {p} moved after the first failure of {q} in {names[1]} not caught{why}")
                break
        victim = next((x for x in rb if not tolerated(x) and x["ret"] != "0" and boundary(x) == pb[0]), None)
        if victim is not None:
            bad = judge_log([dict(x, unchanged="no") if x is victim else x for x in rb])
            seed(bool(bad) and boundary(bad[0]) == pb[0],
                 f"{combo}: a call of {pb[0]} that left the task changed not caught")
    return caught, total, miss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", action="append", default=[], help="IMPL=LOGFILE")
    ap.add_argument("--boot", action="append", default=[], help="IMPL=boot.sh verdict line")
    ap.add_argument("--seed", default="?")
    ap.add_argument("--no-kmemleak", action="store_true",
                    help="the kernel has no kmemleak (the KCSAN kernel): no final scan to check")
    args = ap.parse_args()
    runs = OrderedDict()
    for spec in args.log:
        name, path = spec.split("=", 1)
        runs[name] = Run(name, path)
    boots = dict(s.split("=", 1) for s in args.boot)
    check = Tally()

    names = list(runs)
    # --- each implementation on its own ---------------------------------------------------
    for name, r in runs.items():
        verdict = boots.get(name, "")
        check("PASS" in verdict or not verdict, f"[{name}] boot: {verdict or 'no verdict'}")
        want = {"c": "C", "rust": "Rust"}.get(name)
        if want:
            check(r.impl == want, f"[{name}] the boot log says the {r.impl} implementation, not {want}")
        check(r.done, f"[{name}] the guest did not finish its run (no '@@@ REL done')")
        if r.failnth or "failnth" in r.parts:
            check(r.failnth_end, f"[{name}] failnth did not reach its end (no @@@ FAILNTH-END)")
            unknown = sorted({boundary(x) for recs in r.failnth.values() for x in recs
                              if boundary(x).startswith("unknown:")})
            check(not unknown, f"[{name}] fail-nth: failures in frames that name no phase: {unknown} "
                  "(a new constructor: add it to PHASE_OF)")
            for combo, recs in r.failnth.items():
                s = r.summary.get(combo, {})
                bad = judge_log(recs)
                detail = "; ".join(f"n={x['n']} phase={boundary(x)} ret={x['ret']} unchanged={x['unchanged']} "
                                   f"effect={x['effect']} sem={x['sem']} site={x['site']}"
                                   + (f" error={x['error']}" if x.get("error") else "")
                                   for x in bad[:3])
                expect = s.get("expect_final", "0")
                check(not bad and s.get("final_ret") == expect,
                      f"[{name}] fail-nth {combo}: {len(bad)} bad outcomes, final_ret="
                      f"{s.get('final_ret')} (expected {expect}): {detail}")
                if "@copy" in combo:
                    check_copy(name, combo, recs, s, check)
            leaks = sum(v for k, v in r.kmemleak.items() if k != "final")
            check(leaks == 0, f"[{name}] kmemleak during the fail-nth sweep: {leaks} objects")
            check("failnth" in r.parts, f"[{name}] failnth did not finish")
        if "fuzz" in r.parts or r.fuzz_end:
            check(r.fuzz_end is not None, f"[{name}] the fuzzer did not finish")
            check(not r.anomalies, f"[{name}] fuzzer all-or-nothing anomalies: {len(r.anomalies)}: "
                  + "; ".join(r.anomalies[:3]))
        if "soak" in r.requested or r.soak is not None:
            soak = r.soak or {}
            check(r.soak is not None, f"[{name}] the soak did not finish")
            check(soak.get("failed") == "0", f"[{name}] soak: {soak.get('failed')} of "
                  f"{soak.get('runs')} unshare_stress_test runs failed")
            check(soak.get("fuzz_anomalies") == "0" and soak.get("fuzz_errors") == "0"
                  and int(soak.get("fuzz_cases", 0)) > 0,
                  f"[{name}] soak: the fuzzer beside the stress test ran {soak.get('fuzz_cases')} "
                  f"cases with {soak.get('fuzz_anomalies')} all-or-nothing anomalies and "
                  f"{soak.get('fuzz_errors')} fatal errors")
        # The guest's init scans once more after the run (tests/qemu/init); a kernel without
        # kmemleak (--no-kmemleak) has no scan, which is checked instead of counted as a pass.
        if args.no_kmemleak:
            if "final" in r.kmemleak:
                check(False, f"[{name}] --no-kmemleak, but the log has a kmemleak scan")
            else:
                print(f"[{name}] kmemleak: not in this kernel, no final scan (not counted)")
        else:
            check(r.kmemleak.get("final") == 0,
                  f"[{name}] kmemleak at the end: {r.kmemleak.get('final', 'no scan (not a debug kernel?)')}"
                  " objects")

    # --- C against Rust --------------------------------------------------------------------
    table = []
    drift_notes, power_combos = [], []
    if len(names) == 2:
        a, b = runs[names[0]], runs[names[1]]
        combos = list(OrderedDict.fromkeys(list(a.failnth) + list(b.failnth)))
        if a.summary or b.summary:
            check(set(a.summary) == set(b.summary),
                  f"fail-nth: combinations in one log only: {names[0]} {sorted(set(a.summary) - set(b.summary))}, "
                  f"{names[1]} {sorted(set(b.summary) - set(a.summary))}")
        for combo in combos:
            ra, rb = a.failnth.get(combo, []), b.failnth.get(combo, [])
            if "@copy" in combo:
                # the opt-in: C refuses, Rust copies; judged per log (check_copy)
                table.append((combo, a.summary.get(combo, {}), b.summary.get(combo, {}), "per impl",
                              "-", a.kmemleak.get(combo, "-"), b.kmemleak.get(combo, "-")))
                continue
            by_n_a, by_n_b = ({x["n"]: outcome(x) for x in ra}, {y["n"]: outcome(y) for y in rb})
            raw = sum(1 for n in set(by_n_a) | set(by_n_b) if by_n_a.get(n) != by_n_b.get(n))
            flags = (a.summary.get(combo) or b.summary.get(combo) or {}).get("flags", combo)
            net_timing = "NEWNET" in flags.split("|")
            filt, why = judge_pair(names, ra, rb, net_timing)
            check(filt == 0, f"fail-nth {combo}: {names[0]} and {names[1]} fail differently{why}")
            for name, recs in ((names[0], ra), (names[1], rb)):
                d = drift(recs)
                if d:
                    drift_notes.append(f"fail-nth {combo} [{name}]: {d}")
            if len(phases(rb)) >= 2:
                power_combos.append((combo, ra, rb, net_timing))
            sa_, sb_ = ({outcome(x) for x in ra if not tolerated(x)},
                        {outcome(y) for y in rb if not tolerated(y)})
            only = len(sa_ - sb_) + len(sb_ - sa_)
            ea, eb = errnos(ra, net_timing), errnos(rb, net_timing)
            if ea != eb:
                print(f"fail-nth {combo}: errnos of failed namespace setups that occur in one run only "
                      f"(network namespace cleanup timing): {names[0]} {sorted(ea - eb)}, "
                      f"{names[1]} {sorted(eb - ea)}")
            if only:
                ex = sorted(sa_ ^ sb_)[:2]
                print(f"fail-nth {combo}: {only} call chains of failed calls occur in one run only "
                      f"({raw} of {max(len(ra), len(rb))} positions differ), within phases "
                      f"{sorted({boundary({'site': o[4]}) for o in (sa_ ^ sb_)})}; e.g. "
                      + "; ".join('/'.join(map(str, o)) for o in ex))
            raw = f"{raw}/{only}"
            sa, sb = a.summary.get(combo, {}), b.summary.get(combo, {})
            table.append((combo, sa, sb, raw, filt, a.kmemleak.get(combo, "-"), b.kmemleak.get(combo, "-")))
        for note in drift_notes:
            print(note)
        # The judges' power on this run's data: seeded divergences must be caught.
        if power_combos:
            caught, total, miss = power(power_combos, names)
            check(total > 0 and caught == total,
                  f"fail-nth: {caught} of {total} seeded divergences caught (phases swapped, a phase "
                  f"moved, a task left changed); first missed: {miss}")
            print(f"fail-nth: {caught} of {total} seeded divergences caught in this run's data "
                  f"({len(power_combos)} combinations with two phases or more: phases swapped, a phase "
                  f"moved, a task left changed)")
        # the fuzzer
        if a.fuzz_end or b.fuzz_end:
            ok = a.fuzz_end is not None and b.fuzz_end is not None and a.fuzz_end["h"] == b.fuzz_end["h"]
            div = []
            for blk in sorted(set(a.fuzz_blocks) | set(b.fuzz_blocks)):
                da = a.fuzz_blocks.get(blk, ("", ""))[0]
                db = b.fuzz_blocks.get(blk, ("", ""))[0]
                for j in range(max(len(da), len(db)) // 2):
                    if da[2 * j:2 * j + 2] != db[2 * j:2 * j + 2]:
                        div.append(blk + j)
            seed = (a.fuzz_end or b.fuzz_end or {}).get("seed", args.seed)
            for i in div[:20]:
                print(f"fuzz divergence: seed={seed} case={i} (replay: fuzz --seed {seed} --case {i})")
                for r in (a, b):
                    if i in r.fuzz_cases:
                        print(f"  {r.name}: {r.fuzz_cases[i]}")
            check(ok and not div, f"fuzzer: {len(div)} diverging cases between {names[0]} and "
                  f"{names[1]} (hash {a.fuzz_end and a.fuzz_end['h']} vs {b.fuzz_end and b.fuzz_end['h']})"
                  + (f", first: seed={seed} case={div[0]}" if div else ""))
            for r in (a, b):
                if r.fuzz_end:
                    print(f"fuzz [{r.name}]: seed={r.fuzz_end['seed']} cases={r.fuzz_end['cases']} "
                          f"hash={r.fuzz_end['h']} anomalies={r.fuzz_end['anom']} in {r.fuzz_end['sec']} s "
                          f"({int(r.fuzz_end['cases']) * 60 // max(1, int(r.fuzz_end['sec']))} cases/min)")

    if table:
        print()
        hdr = ("combination", "points", "ENOMEM&co", "tolerated", "unchanged=no", "effect bad",
               "differ n/chains", "leaks")
        rows = []
        for combo, sa, sb, raw, filt, la, lb in table:
            def pair(k):
                return f"{sa.get(k, '-')}/{sb.get(k, '-')}"
            rows.append((combo, pair("points"), pair("failed"), pair("tolerated"), pair("changed"),
                         pair("effect_bad"), f"{raw}/{filt}", f"{la}/{lb}"))
        widths = [max(len(str(x)) for x in col) for col in zip(hdr, *rows)]
        print(f"fail-nth ({names[0]}/{names[1]}):")
        for row in [hdr] + rows:
            print("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)))
        tot = [sum(int(s.get("points", 0)) for _, s, _, *_ in table),
               sum(int(s.get("points", 0)) for _, _, s, *_ in table)]
        print(f"  injection points: {tot[0]} ({names[0]}), {tot[1]} ({names[1]})")
    for name, r in runs.items():
        if r.garbled:
            print(f"fail-nth [{name}]: {len(r.garbled)} records cut by kernel messages on the console, "
                  f"left out; first: {r.garbled[0][:160]}")
        if r.soak:
            print(f"soak [{name}]: {r.soak['runs']} runs of unshare_stress_test in {r.soak['sec']} s, "
                  f"{r.soak['failed']} failed; beside them {r.soak['fuzz_cases']} fuzz cases "
                  f"({r.soak['fuzz_runs']} seeds), {r.soak['fuzz_anomalies']} anomalies")
        if "failnth" in r.parts:
            print(f"fail-nth [{name}]: {r.parts['failnth']['sec']} s")
    print()
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
