#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KCSAN's reports of a make kcsan run, per implementation, and which touch unshare(2)'s paths.

    kcsan_report.py --obj OBJ --log c=SERIAL --log rust=SERIAL [--md OUT.md]

Reads each serial log's KCSAN reports (the blocks that begin "BUG: KCSAN: "), groups them by
title ("data-race in A / B"), and marks a report as touching the unshare paths when a frame of
either access is a function defined in one of the objects of PATH_OBJECTS (the C of fork.c,
fs_struct.c, file.c, nsproxy.c, cred.c and ipc/, and, in the kernel crate, the Rust of
rust/kernel/unshare.rs and of the abstractions only it uses), as listed by nm from OBJ. Prints a
table (markdown with --md) and a last line "kcsan: ...". Exit status 1 when a log is missing, has no KCSAN counters (the kernel was not the
KCSAN kernel, or the guest never reached its end), or its counters show no watchpoint set up.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

# The kernel crate's symbols (v0-mangled, as kallsyms prints them) of the unshare module and of
# the abstractions that only it uses: a path component is <length><name>.
RUST_UNSHARE = re.compile(r"_R.*(7unshare|14CurrentTaskMut|12TaskLockGuard|10NewSigHand|5NewMm"
                          r"|13NewCredential|15ReadyCredential|7nsproxy|9fs_struct|12files_struct"
                          r"|9namespace)")

# (object pattern, None for all its functions or a regular expression of the names to take).
PATH_OBJECTS = [
    ("kernel/fork.o", None),
    ("rust/kernel.o", RUST_UNSHARE),
    ("fs/fs_struct.o", None),
    ("fs/file.o", None),
    ("kernel/nsproxy.o", None),
    ("kernel/cred.o", None),
    ("ipc/*.o", None),
]

# printk's time stamp, with the caller id of CONFIG_PRINTK_CALLER if present.
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\](\[\s*[TC]\d+\])?\s?")
HEADER = re.compile(r"BUG: KCSAN: (.*)")
# "race at unknown origin" titles carry an offset: group them by function.
OFFSET = re.compile(r"\+0x[0-9a-f]+/0x[0-9a-f]+")
FRAME = re.compile(r"^\s*([A-Za-z0-9_.$]+)\+0x[0-9a-f]+/0x[0-9a-f]+")
ACCESS = re.compile(r"^(race at unknown origin, with )?(read|write|read-write|"
                    r"(?:assert no accesses|assert no writes)).* by (task \d+|interrupt) on cpu \d+:")


def functions_of(obj):
    """Function name -> the object (relative to OBJ) that defines it, for PATH_OBJECTS."""
    where = {}
    for pattern, names in PATH_OBJECTS:
        for path in sorted(glob.glob(os.path.join(obj, pattern))):
            if path.endswith(".mod.o"):
                continue
            out = subprocess.run(["nm", "--defined-only", path], capture_output=True,
                                 text=True, check=False).stdout
            for line in out.splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tTW" and (names is None or
                                                               names.match(parts[2])):
                    where.setdefault(parts[2], os.path.relpath(path, obj))
    return where


def read_reports(path):
    """The KCSAN reports of a serial log, its KCSAN counters, and the number of report headers.

    A header counts wherever it is in a line (two CPUs' output may interleave); main() checks
    that every header became a report with a stack, so a report the parser misses fails the run.
    """
    reports = []
    headers = 0
    stats = {}
    current = None
    access = None
    with open(path, errors="replace") as log:
        for raw in log:
            line = TIMESTAMP.sub("", raw.rstrip("\r\n"))
            if line.startswith("kcsan-stat: "):
                key, _, value = line[len("kcsan-stat: "):].partition(":")
                stats[key.strip()] = value.strip()
                continue
            if line.startswith("dmesg| "):
                continue  # tests/qemu/init's copy of dmesg after the run
            header = HEADER.search(line)
            if header:
                headers += 1
                current = {"title": OFFSET.sub("", header.group(1)).strip(), "accesses": [],
                           "value": ""}
                reports.append(current)
                access = None
                continue
            if current is None:
                continue
            if line.startswith("=" * 20) or line.startswith("Reported by Kernel Concurrency"):
                current = None
                continue
            match = ACCESS.match(line)
            if match:
                access = (line.rstrip(":"), [])
                current["accesses"].append(access)
                continue
            match = FRAME.match(line)
            if match and access is not None:
                access[1].append(match.group(1))
                continue
            if line.startswith("value changed:"):
                current["value"] = line
    return reports, stats, headers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--obj", required=True, help="the KCSAN kernel's build folder")
    parser.add_argument("--log", action="append", required=True, metavar="IMPL=SERIAL")
    parser.add_argument("--md", help="also write the table as markdown here")
    args = parser.parse_args()

    where = functions_of(args.obj)
    if not where:
        sys.exit(f"kcsan_report.py: no object of {PATH_OBJECTS} under {args.obj}")
    impls = []
    by_title = collections.OrderedDict()
    failed = []
    counters = {}
    for spec in args.log:
        impl, _, path = spec.partition("=")
        impls.append(impl)
        if not os.path.exists(path):
            failed.append(f"{impl}: no log {path}")
            continue
        reports, stats, headers = read_reports(path)
        counters[impl] = stats
        unparsed = [r["title"] for r in reports
                    if not r["accesses"] or not any(stack for _, stack in r["accesses"])]
        if headers != len(reports) or unparsed:
            failed.append(f"{impl}: {headers} KCSAN report headers, {len(reports)} reports, "
                          f"{len(unparsed)} without a stack ({'; '.join(unparsed[:3])}): "
                          f"read them in {path}")
        if not stats:
            failed.append(f"{impl}: no KCSAN counters in {path} (not the KCSAN kernel, or the "
                          "guest did not reach its end)")
        elif int(stats.get("setup_watchpoints", "0")) == 0:
            failed.append(f"{impl}: KCSAN set up no watchpoint")
        for report in reports:
            entry = by_title.setdefault(report["title"], {"count": collections.Counter(),
                                                          "example": report, "files": set()})
            entry["count"][impl] += 1
            # Every report of a title is matched: the same pair of functions can be reached
            # through different callers.
            entry["files"].update(where[f] for _, stack in report["accesses"] for f in stack
                                  if f in where)

    rows = []
    touching = 0
    for title, entry in by_title.items():
        files = sorted(entry["files"])
        touching += bool(files)
        stacks = " || ".join(
            " < ".join(stack[:6]) for _, stack in entry["example"]["accesses"])
        rows.append((title, [entry["count"][i] for i in impls], files, stacks))

    header = ["report", *impls, "unshare paths", "stacks (innermost first)"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for title, counts, files, stacks in rows:
        lines.append("| " + " | ".join([title.replace("|", "\\|"), *map(str, counts),
                                        ", ".join(files) or "-",
                                        stacks.replace("|", "\\|")]) + " |")
    stat_line = "; ".join(
        f"{impl}: " + ", ".join(f"{k} {v}" for k, v in counters.get(impl, {}).items()
                                if k in ("setup_watchpoints", "data_races",
                                         "races_unknown_origin", "skipped_accesses_due_to_delay"))
        for impl in impls)
    table = "\n".join(lines)
    print(table)
    print(f"KCSAN counters: {stat_line}")
    if args.md:
        with open(args.md, "w") as out:
            out.write(table + "\n\nKCSAN counters: " + stat_line + "\n")
    for problem in failed:
        print(f"kcsan: FAIL: {problem}")
    totals = ", ".join(f"{impl} {sum(e['count'][impl] for e in by_title.values())}"
                       for impl in impls)
    print(f"kcsan: {len(by_title)} distinct reports ({totals} in all), {touching} touching the "
          f"unshare paths; {'FAILED' if failed else 'the runs watched'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
