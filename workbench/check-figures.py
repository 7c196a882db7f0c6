#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The figures of the documentation come from the runs: the part figures of make check.

    workbench/check-figures.py [--root DIR] [--verbose]

docs/results/ holds what the runs wrote (make results copies it from build/). Everything else
is prose, and a figure typed into prose goes stale at the next run. So:

- README.md, docs/*.md (not docs/results/) and tests/**/*.md quote no run figure at all: they
  link to docs/results/ instead;
- mail/*.txt (the cover letters, which go to the lists as text and cannot link) may quote a
  figure only when docs/results/ holds the same number.

A run figure is what the patterns of FIGURES match: counts of results ("N passed", "N failed",
"N/N", "N of N", "N tests", "N verdicts", "N injection points", "N cases", ...), ratios with
three decimals ("0.804"), percentages, durations ("N s", "N min", "N minutes") and signed or
grouped instruction counts ("+9", "38,472"). ALLOWED lists the phrases of that shape that are
settings or facts of the code, not results of a run, each with its reason. A setting can also be
written as its option (`SOAK_SECONDS=30`) or in words.

Prints each offending figure as FILE:LINE: "figure" (the rule), and at the end
"N passed, N failed" as one check (1 passed, 0 failed when every file is clean).
"""
import argparse
import glob
import os
import re
import sys

INT = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
NUM = INT + r"(?:\.\d+)?"
# Nouns that make a number a count of results (one word may stand between: "500 fuzz cases").
NOUNS = (r"tests?|sub-tests?|checks?|rows?|verdicts?|results?|runs?|boots?|cases?|points?|positions?"
         r"|comparisons?|calls?|divergences?|anomalies|leaks?|splats?|reports?|watchpoints?|races?"
         r"|instructions?|bytes|functions?|examples?|doctests?|patches|failures?|attempts?|seeds?"
         r"|combinations?|rounds?|kinds?|mutants?|files|passes|samples?|suites?|builds?")
# Words that do not belong to a count ("0 at boot" is no count of boots).
LINKS = r"(?:at|of|in|per|on|the|to|for|from|by|with|and|or|a|an)"
FIGURES = [
    ("a count of results", re.compile(rf"(?<![\w.,])({NUM}\s+(?:passed|failed))\b", re.I)),
    ("a fraction of counts", re.compile(rf"(?<![\w/.,\-])({INT}\s?/\s?{INT})(?![\w/]|,\d)")),
    ("N of N", re.compile(rf"(?<![\w.,])({INT}\s+of\s+(?:the\s+)?{INT})\b")),
    ("a count", re.compile(rf"(?<![\w.,\-])({NUM}\s+(?:(?!{LINKS}\s)[a-z][\w-]*\s+)?(?:{NOUNS}))\b(?![=/])", re.I)),
    ("a ratio", re.compile(r"(?<![\w.])([01]\.\d{3})(?![\d.])")),
    ("a percentage", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s?%)")),
    ("a duration", re.compile(
        rf"(?<![\w.,\-])({NUM}\s?(?:s|sec|seconds?|min|minutes?|h|hours?|ms|µs|us)\b)")),
    ("a signed count", re.compile(rf"(?<![\w.])([+−]{INT})\b")),
    ("a grouped number", re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+)(?![\d,])")),
]
# Phrases of a figure's shape that are no run figure: (regular expression, reason).
ALLOWED = [
    (r"\b95 ?%", "the confidence level of the bench's intervals (tests/bench/report.py)"),
    (r"\b90 minutes\b", "the time limit of CI (.ci/run), not a measurement"),
    (r"\b2800 s\b", "CI's own measurement of a fresh clone (make setup + make check), which no run here writes"),
    (r"\b1 ns\b", "under -icount shift=0 the guest clock counts one instruction per nanosecond"),
    (r"(?<![\w.])[\d,/]+ (?:fds|descriptors|mounts|(?:written )?pages)\b",
     "the workload of a bench row (tests/bench/unshare_bench.c), a setting"),
]
ALLOWED_RE = [(re.compile(p), why) for p, why in ALLOWED]


def figures(line):
    """The (rule, text, column) of each figure in a line that no ALLOWED phrase covers."""
    allowed_spans = []
    for rx, _ in ALLOWED_RE:
        allowed_spans += [m.span() for m in rx.finditer(line)]
    found = []
    taken = []
    for rule, rx in FIGURES:
        for m in rx.finditer(line):
            s, e = m.span(1)
            if any(a <= s and e <= b for a, b in allowed_spans):
                continue
            if any(not (e <= a or b <= s) for a, b in taken):
                continue
            # A version, a date or a dotted path is no figure: 7.3.4, 2026-12-07, 1:22.1.8.
            if re.match(r"[.:]\d", line[e:e + 2]) or (s > 0 and line[s - 1] in ".:"):
                continue
            taken.append((s, e))
            found.append((rule, m.group(1), s))
    return sorted(found, key=lambda f: f[2])


def numbers(text):
    """Every number of a text, without thousands separators: the figures docs/results holds."""
    return {n.replace(",", "").lstrip("+−") for n in re.findall(r"[+−]?\d[\d,]*(?:\.\d+)?", text)}


def value(fig):
    m = re.findall(r"\d[\d,]*(?:\.\d+)?", fig)
    return [n.replace(",", "") for n in m]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--verbose", action="store_true", help="also list the files checked")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    os.chdir(root)

    results = sorted(glob.glob("docs/results/*.md"))
    if not results:
        print("FAIL: figures: docs/results/ has no results: run the runs (make check...) and make results")
        print("0 passed, 1 failed")
        return 1
    held = set()
    for r in results:
        with open(r, errors="replace") as f:
            held |= numbers(f.read())

    prose = ["README.md"] + sorted(glob.glob("docs/*.md")) + sorted(glob.glob("tests/**/*.md", recursive=True))
    mail = sorted(glob.glob("mail/*.txt"))
    bad = []
    for path in prose + mail:
        if not os.path.isfile(path):
            continue
        is_mail = path in mail
        with open(path, errors="replace") as f:
            for no, line in enumerate(f, 1):
                for rule, fig, _ in figures(line.rstrip("\n")):
                    if is_mail:
                        missing = [v for v in value(fig) if v not in held]
                        if missing:
                            bad.append(f"{path}:{no}: \"{fig}\" ({rule}): docs/results/ holds no {', '.join(missing)}")
                    else:
                        bad.append(f"{path}:{no}: \"{fig}\" ({rule}): prose quotes no run figure; "
                                   "link the docs/results/ file that holds it")
        if a.verbose:
            print(f"figures: checked {path}")
    # The results the prose links to exist.
    for path in prose:
        if not os.path.isfile(path):
            continue
        with open(path, errors="replace") as f:
            text = f.read()
        for link in set(re.findall(r"\((?:\.\./)*(docs/results/[\w.-]+|results/[\w.-]+)\)", text)):
            target = link if link.startswith("docs/") else os.path.join(os.path.dirname(path), link)
            if not os.path.exists(target):
                bad.append(f"{path}: links {link}, which does not exist: run the run and make results")

    checked = len([p for p in prose + mail if os.path.isfile(p)])
    if bad:
        for b in bad:
            print(f"FAIL: figures: {b}")
        print(f"FAIL: figures: {len(bad)} figures of {checked} files are not in docs/results/ "
              "(a setting that is no run figure: write it as its option or in words, or add it to "
              "ALLOWED in workbench/check-figures.py with its reason)")
        print("0 passed, 1 failed")
        return 1
    print(f"figures: the prose of {checked} files quotes no run figure, the cover letters only figures of "
          f"docs/results/ ({len(results)} files)")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
