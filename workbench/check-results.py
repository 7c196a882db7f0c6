#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The results of make check, as the runs wrote them: $B/results/check.md.

    workbench/check-results.py [--times FILE] [--out FILE] B

Reads $B/check.times (one line per part, written by workbench/check-parts.sh as each part ends:
"PART SECS s: P passed, F failed (YYYY-MM-DD HH:MM UTC, series HASH)"; lines without the part in
brackets come from before the date and the series were recorded) and each part's log
$B/check-PART.log, and writes a table part x passed x failed x minutes, with the verdicts the two
implementations agreed on, the KUnit suites of each boot (from the serial logs the part names,
when they are not newer than the part's log), the total line, the dates and the series hash.

The counts come from the part's log (its last "N passed, N failed" line, as check-parts.sh takes
them); the seconds and the series from check.times. A part whose check.times line and log
disagree on the counts gets no minutes (they are not of the same run).
"""
import argparse
import datetime
import os
import re
import sys

# The parts in the order make check runs them (workbench/check-parts.sh).
ORDER = ["figures", "x86_64", "arm64", "riscv64", "x86_64-nosysctl", "x86_64-vanilla", "kunit",
         "kunitconfig", "x86_64-debug", "reliability-small"]
WHAT = {
    "figures": "the figures of the prose found in docs/results (workbench/check-figures.py)",
    "x86_64": "x86_64 kernel: KUnit, in-tree selftests, ours 64-bit and ia32 compat, compile_fail",
    "arm64": "arm64 kernel (qemu -M virt, 2 CPUs): KUnit, in-tree selftests, ours",
    "riscv64": "riscv64 kernel (clang, OpenSBI, 2 CPUs): KUnit, in-tree selftests, ours",
    "x86_64-nosysctl": "x86_64 suites on debian-nosysctl, every patch but the last",
    "x86_64-vanilla": "x86_64 suites on upstream 7.3.4, every patch but the last",
    "kunit": "kunit.py run with kernel/unshare.kunitconfig",
    "kunitconfig": "kunit.py config with kernel/unshare.kunitconfig",
    "x86_64-debug": "x86_64 suites on the debug kernel (lockdep, KFENCE, kmemleak...)",
    "reliability-small": "debug kernel: fail-nth sweep, differential fuzzer, soak",
}
TIMES_RE = re.compile(r"^(\S+) (\d+) s: (\d+) passed, (\d+) failed(?: \((.*)\))?$")
COUNT_RE = re.compile(r"^(\d+) passed, (\d+) failed$")
KUNIT_SUITES = ("rust_unshare", "rust_doctests_kernel")
# A timestamp the console may put before a KTAP line.
TS = r"(?:\[ *[0-9.]+\] )?"


def read(path):
    with open(path, errors="replace") as f:
        return f.read().replace("\r", "")


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def kunit_totals(serial):
    """{suite: (passed, total)} for the KUnit suites of KUNIT_SUITES in a serial log."""
    out = {}
    suite = None
    for line in read(serial).splitlines():
        m = re.match(TS + r"\s*# Subtest: (\w+)$", line)
        if m:
            suite = m.group(1) if m.group(1) in KUNIT_SUITES else None
            continue
        m = re.match(TS + r"\s*# Totals: pass:(\d+) fail:(\d+) skip:(\d+) total:(\d+)", line)
        if m and suite:
            out[suite] = (int(m.group(1)), int(m.group(4)))
            suite = None
    return out


def part_details(log_path):
    """What a part's log says besides its count line."""
    text = read(log_path)
    d = {"counts": None, "verdicts": None, "kunit": {}, "compile_fail": (0, 0), "info": [], "notes": []}
    for line in text.splitlines():
        m = COUNT_RE.match(line)
        if m:
            d["counts"] = (int(m.group(1)), int(m.group(2)))
    m = re.findall(r"gave identical results \((\d+) verdicts\)", text)
    if m:
        d["verdicts"] = m[-1] + " identical"
    elif "gave different results" in text:
        d["verdicts"] = "differ"
    d["compile_fail"] = (len(re.findall(r"^compile-fail: ok .* fails with E\d+$", text, re.M)),
                         len(re.findall(r"^compile-fail: ok .* compiles$", text, re.M)))
    d["info"] = re.findall(r"^ *(\[[a-z]+\] info: .*)$", text, re.M)
    for pat in (r"^(series: overlay matches .*)$", r"^(kunit: kunit\.py config kept .*)$",
                r"^ *(injection points: .*)$", r"^(fail-nth: \d+ of \d+ seeded divergences caught).*$",
                r"^(fuzz \[[a-z]+\]: .*?) in \d+ s.*$", r"^(soak \[[a-z]+\]: .*)$",
                r"^(figures: .*)$"):
        d["notes"] += re.findall(pat, text, re.M)
    mtime = os.path.getmtime(log_path)
    kunit = {}
    for impl, serial in re.findall(r"booting with unshare\.impl=(\w+) \(serial log: (\S+)\)", text):
        # A serial log written after the part's log ended belongs to a later run.
        if os.path.exists(serial) and os.path.getmtime(serial) <= mtime + 5:
            for suite, pt in kunit_totals(serial).items():
                kunit.setdefault(suite, {})[impl] = pt
    d["kunit"] = kunit
    return d


def kunit_cell(kunit):
    cells = []
    for suite in KUNIT_SUITES:
        per = kunit.get(suite)
        if not per:
            continue
        vals = set(per.values())
        if len(vals) == 1:
            p, t = vals.pop()
            cells.append(f"{suite} {p}/{t}")
        else:
            cells.append(suite + " " + ", ".join(f"{i} {p}/{t}" for i, (p, t) in sorted(per.items())))
    return "; ".join(cells) if cells else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("B", help="the build folder of make check")
    ap.add_argument("--times", help="the seconds of each part (default: B/check.times)")
    ap.add_argument("--out", help="default: B/results/check.md")
    a = ap.parse_args()
    times_path = a.times or os.path.join(a.B, "check.times")
    out = a.out or os.path.join(a.B, "results", "check.md")
    if not os.path.exists(times_path):
        sys.exit(f"error: {times_path} is missing: it is written by make check (workbench/check-parts.sh)")

    times = {}
    for line in read(times_path).splitlines():
        m = TIMES_RE.match(line.strip())
        if not m:
            continue
        part, secs, p, f, extra = m.groups()
        date = series = None
        if extra:
            for field in extra.split(", "):
                if field.startswith("series "):
                    series = field[len("series "):]
                elif re.match(r"\d{4}-\d\d-\d\d", field):
                    date = field
        times[part] = {"secs": int(secs), "counts": (int(p), int(f)), "date": date, "series": series}

    parts = [p for p in ORDER if p in times] + sorted(p for p in times if p not in ORDER)
    if not parts:
        sys.exit(f"error: {times_path} has no part: run make check")
    rows, details, series_seen, dates = [], [], [], []
    tot_p = tot_f = tot_s = 0
    minutes_known = True
    for part in parts:
        t = times[part]
        log = os.path.join(a.B, f"check-{part}.log")
        if os.path.exists(log):
            d = part_details(log)
            date = t["date"] or utc(os.path.getmtime(log))
        else:
            d = {"counts": None, "verdicts": None, "kunit": {}, "compile_fail": (0, 0), "info": [], "notes": []}
            date = t["date"] or "-"
        counts = d["counts"] or t["counts"]
        p, f = counts
        secs = t["secs"]
        if d["counts"] and d["counts"] != t["counts"]:
            # The log is of another run than the seconds.
            secs = None
            minutes_known = False
        tot_p += p
        tot_f += f
        if secs is not None:
            tot_s += secs
        dates.append(date)
        series = t["series"] or "not recorded"
        if series not in series_seen:
            series_seen.append(series)
        minutes = f"{secs / 60:.1f}" if secs is not None else "?"
        rows.append(f"| {part} | {p} | {f} | {minutes} | {d['verdicts'] or '-'} | {kunit_cell(d['kunit'])} | "
                    f"{date} | {series[:12]} |")
        notes = list(d["notes"])
        if d["compile_fail"] != (0, 0):
            notes.append("compile-fail: %d examples fail with the error they state, %d control example compiles"
                         % d["compile_fail"])
        notes += d["info"]
        if notes:
            details.append(f"- `{part}` ({WHAT.get(part, part)}):")
            details += [f"  - {n}" for n in notes]
        elif part in WHAT:
            details.append(f"- `{part}`: {WHAT[part]}")

    lines = [
        "# make check: the latest result of each part",
        "",
        "Written by `make check` (`workbench/check-parts.sh`, `workbench/check-results.py`) from",
        "`build/check-PART.log` and `build/check.times`, and copied here by `make results`: do not",
        "edit it, run the parts again. Each row is the latest run of that part; the series is the",
        "sha256 of `patches/` (the patches of `workbench/lib.sh` `series_patches`, as",
        "`workbench/export.sh` stamps it) when the part ended.",
        "",
        "| part | passed | failed | minutes | verdicts, C against Rust | KUnit suites at boot (each boot) | ended | series |",
        "| --- | ---: | ---: | ---: | --- | --- | --- | --- |",
        *rows,
        f"| **total** | **{tot_p}** | **{tot_f}** | **{tot_s / 60:.1f}**{'' if minutes_known else ' (some unknown)'} | | | | |",
        "",
        f"`{tot_p} passed, {tot_f} failed`",
        "",
    ]
    dates = sorted(x for x in dates if x != "-")
    if dates:
        lines.append(f"Dates: the parts ended from {dates[0]} to {dates[-1]}." if dates[0] != dates[-1]
                     else f"Date: {dates[0]}.")
        lines.append("")
    if len(series_seen) == 1:
        lines.append(f"Series: `{series_seen[0]}`.")
    else:
        lines.append("The parts ran on different series: " + ", ".join(f"`{s}`" for s in series_seen) + ".")
    lines += ["", "## What each part reported", "", *details, ""]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out)
    print(f"check: results in {out} ({tot_p} passed, {tot_f} failed)")


if __name__ == "__main__":
    main()
