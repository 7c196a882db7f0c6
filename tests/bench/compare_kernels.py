#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The bench of several kernels side by side: C, Rust and Rust/C per row, per kernel.

    compare_kernels.py LABEL=OUTDIR... [--md OUT.md]

Each OUTDIR holds the results.json of one tests/bench/run.sh run (report.py). Prints the
instruction counts of the icount mode (deterministic) per row and kernel, then the text sizes;
the last line names, per kernel, the largest Rust/C ratio.
"""
import argparse
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", metavar="LABEL=OUTDIR")
    parser.add_argument("--md", help="also write the table here")
    args = parser.parse_args()

    kernels = []
    for spec in args.runs:
        label, _, outdir = spec.partition("=")
        path = os.path.join(outdir, "results.json")
        if not os.path.exists(path):
            sys.exit(f"compare_kernels.py: {path} is missing: run tests/bench/run.sh for {label}")
        with open(path) as f:
            data = json.load(f)
        # The deterministic mode: icount<shift> (tests/bench/run.sh, bench_mode=icount$SHIFT).
        modes = sorted({r["mode"] for r in data["rows"] if r["mode"].startswith("icount")})
        if len(modes) != 1:
            sys.exit(f"compare_kernels.py: {path} has icount modes {modes}, not exactly one")
        rows = {r["row"]: r for r in data["rows"] if r["mode"] == modes[0]}
        kernels.append((label, rows, data.get("sizes") or {}, modes[0]))
    if len({k[3] for k in kernels}) != 1:
        sys.exit("compare_kernels.py: the runs used different icount shifts: "
                 + ", ".join(f"{k[0]} {k[3]}" for k in kernels))
    kernels = [k[:3] for k in kernels]

    order = list(kernels[0][1])
    header = ["row"]
    for label, _, _ in kernels:
        header += [f"{label} C", f"{label} Rust", f"{label} Rust/C"]
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    for row in order:
        cells = [row]
        for _, rows, _ in kernels:
            r = rows.get(row)
            cells += ([f"{r['median_c']:,.0f}", f"{r['median_rust']:,.0f}", f"{r['ratio']:.3f}"]
                      if r else ["-", "-", "-"])
        lines.append("| " + " | ".join(cells) + " |")
    sizes = "; ".join(f"{label}: C {sz.get('c_total', '?')} bytes, Rust {sz.get('rust_total', '?')}"
                      f" bytes in {len(sz.get('rust', []))} functions"
                      for label, _, sz in kernels)
    worst = "; ".join(
        "{}: max Rust/C {:.3f} ({})".format(label, *max(((r["ratio"], n) for n, r in rows.items())))
        for label, rows, _ in kernels)
    text = "\n".join(lines) + f"\n\nText: {sizes}.\n"
    print(text)
    print(f"bench-kernels: {worst}")
    if args.md:
        with open(args.md, "w") as f:
            f.write(text + f"\n{worst}\n")


if __name__ == "__main__":
    main()
