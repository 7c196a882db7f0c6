#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Report of tests/bench/run.sh: unshare(2) in Rust against C.

    report.py [--primary MODE] [--shift S] [--objdir KBUILD_OBJ] [--boot N]
              OUTDIR LOG...

Reads the "@@@ META/BENCH/RAW" lines that tests/bench/unshare_bench.c printed
on the serial console of each boot (LOG files), pools the samples of all boots
of one implementation and mode, and writes:

  OUTDIR/report.md     the tables below and the size comparison
  OUTDIR/bench.png     cost against descriptors and mounts, and the ratios
                       (needs matplotlib: Debian's python3-matplotlib)
  OUTDIR/results.json  every number of the tables

Per row: the median of each implementation with the 95% interval of the median
(order statistics, exact binomial, over the pooled samples), the difference
Rust - C and the ratio Rust / C with 95% intervals from a two-stage bootstrap
(BOOT resamples: the boots of each implementation are drawn with replacement,
then the samples within each drawn boot). The primary mode
(-icount) decides the summary, printed last:

  bench: N rows, Rust/C ratio max X (row), all <= 1.00 within interval: yes|no

Before it, when the Rust boots have the vm_N and fork_N rows (the opt-in of
CONFIG_UNSHARE_RUST_VM: unshare(CLONE_VM) of a shared address space, which C
refuses, against fork() of the same address space), the ratio unshare/fork per
N, with the same bootstrap, and its own summary:

  bench: unshare(CLONE_VM)/fork() ratio max X (vm_N), all <= 1.00 within interval: yes|no

"all <= 1.00 within interval" is yes when for every row the lower end of the
ratio's 95% interval is at most 1.00 (no row is measurably slower in Rust).

With --objdir (a kernel build folder with vmlinux, rust/kernel.o and
kernel/fork.o) it also compares the machine code of the two implementations;
see sizes() for what is counted. Only the standard library is needed, plus
binutils (nm, objdump, size) for the sizes and matplotlib for the plot.
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
from collections import defaultdict

ROWS = [  # name, label, x for the plots
    ("getppid", "getppid() (floor: a system call)", None),
    ("flags0", "unshare(0)", None),
    ("files_3", "CLONE_FILES, shared table of 3 fds", 3),
    ("files_1000", "CLONE_FILES, 1,000 fds", 1000),
    ("files_10000", "CLONE_FILES, 10,000 fds (extra point)", 10000),
    ("files_100000", "CLONE_FILES, 100,000 fds", 100000),
    ("fs", "CLONE_FS (shared fs_struct)", None),
    ("newns_10", "CLONE_NEWNS, 10 mounts", 10),
    ("newns_100", "CLONE_NEWNS, 100 mounts (extra point)", 100),
    ("newns_1000", "CLONE_NEWNS, 1,000 mounts", 1000),
    ("newuts", "CLONE_NEWUTS", None),
    ("newipc", "CLONE_NEWIPC", None),
    ("newnet", "CLONE_NEWNET", None),
    ("newpid", "CLONE_NEWPID", None),
    ("newcgroup", "CLONE_NEWCGROUP", None),
    ("newtime", "CLONE_NEWTIME", None),
    ("newuser", "CLONE_NEWUSER", None),
    ("sysvsem", "CLONE_SYSVSEM (no undo list)", None),
    ("container", "container: NEWNS|UTS|IPC|NET|PID|CGROUP", None),
    ("fork_1", "fork(), 1 page written (+ the worker's own)", 1),
    ("fork_100", "fork(), 100 pages", 100),
    ("fork_10000", "fork(), 10,000 pages", 10000),
    ("vm_1", "CLONE_VM, shared address space, 1 page (Rust, kernel.unshare_vm=1)", 1),
    ("vm_100", "CLONE_VM, 100 pages", 100),
    ("vm_10000", "CLONE_VM, 10,000 pages", 10000),
]
# unshare(CLONE_VM) of a shared address space against fork() of the same one, within the Rust
# implementation (C has no copy): (unshare row, fork row).
VM_VS_FORK = [("vm_1", "fork_1"), ("vm_100", "fork_100"), ("vm_10000", "fork_10000")]
LABEL = {r[0]: r[1] for r in ROWS}
ORDER = {r[0]: i for i, r in enumerate(ROWS)}
IMPLS = ("C", "Rust")


# ---------------------------------------------------------------- parsing --

def parse_logs(paths):
    """data[mode][impl][row] = list of (log, [samples]) one per boot."""
    data = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    meta = []
    for path in paths:
        impl = mode = None
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace").replace("\r", "")
        for line in text.splitlines():
            if not line.startswith("@@@ "):
                continue
            words = line.split()
            kv = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            if words[1] == "META":
                impl, mode = kv["impl"], kv["mode"]
                meta.append(dict(kv, log=os.path.basename(path)))
            elif words[1] == "RAW":
                row = words[2]
                samples = [float(w) for w in words[2:] if "=" not in w and w != row]
                data[kv["mode"]][kv["impl"]][row].append((os.path.basename(path), samples))
        if impl is None:
            print(f"report.py: warning: {path} has no @@@ META line (boot failed?)", file=sys.stderr)
    return data, meta


# ------------------------------------------------------------- statistics --

def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def median_ci(xs, level=0.95):
    """Distribution-free interval of the median: order statistics x(l), x(u)
    with P(l <= Bin(n, 1/2) < u) >= level."""
    s = sorted(xs)
    n = len(s)
    cdf, acc = [], 0.0
    for k in range(n + 1):
        acc += math.comb(n, k) / 2.0 ** n
        cdf.append(acc)
    alpha = (1 - level) / 2
    # 1-based rank l: the largest with P(B <= l - 1) <= alpha; x(l), x(n + 1 - l).
    rank = 1
    while rank < n and cdf[rank] <= alpha:
        rank += 1
    return s[rank - 1], s[n - rank]


def boot_ci(groups_c, groups_r, fn, boots, rng):
    """Percentile bootstrap of fn(median C, median Rust), two-stage: the boots
    of each implementation are resampled, then the samples within each drawn
    boot, so that differences between boots widen the interval."""
    def draw(groups):
        return [x for g in rng.choices(groups, k=len(groups)) for x in rng.choices(g, k=len(g))]

    vals = sorted(fn(median(draw(groups_c)), median(draw(groups_r))) for _ in range(boots))
    return vals[int(0.025 * boots)], vals[min(int(0.975 * boots), boots - 1)]


def analyse(data, boots, seed):
    rng = random.Random(seed)
    res = {}
    for mode in sorted(data):
        rows = sorted(set(data[mode]["C"]) & set(data[mode]["Rust"]), key=lambda r: ORDER.get(r, 99))
        for row in rows:
            gc = [s for _, s in data[mode]["C"][row]]
            gr = [s for _, s in data[mode]["Rust"][row]]
            pc = [x for g in gc for x in g]
            pr = [x for g in gr for x in g]
            mc, mr = median(pc), median(pr)
            ratio_lo, ratio_hi = boot_ci(gc, gr, lambda c, r: r / c, boots, rng)
            diff_lo, diff_hi = boot_ci(gc, gr, lambda c, r: r - c, boots, rng)
            res[(mode, row)] = {
                "mode": mode, "row": row, "label": LABEL.get(row, row),
                "n_c": len(pc), "n_rust": len(pr), "boots_c": len(gc), "boots_rust": len(gr),
                "median_c": mc, "ci_c": median_ci(pc), "median_rust": mr, "ci_rust": median_ci(pr),
                "round_medians_c": [median(g) for g in gc],
                "round_medians_rust": [median(g) for g in gr],
                "ratio": mr / mc, "ratio_ci": (ratio_lo, ratio_hi),
                "diff": mr - mc, "diff_ci": (diff_lo, diff_hi),
            }
    return res


def analyse_vm(data, boots, seed):
    """unshare(CLONE_VM) / fork() of the same address space, per mode, in the Rust boots: the
    ratio of the medians with the same two-stage bootstrap (the two rows' boots drawn apart)."""
    rng = random.Random(seed + 1)
    res = {}
    for mode in sorted(data):
        rust = data[mode].get("Rust", {})
        for vm, fork in VM_VS_FORK:
            if vm not in rust or fork not in rust:
                continue
            gv = [s for _, s in rust[vm]]
            gf = [s for _, s in rust[fork]]
            mv = median([x for g in gv for x in g])
            mf = median([x for g in gf for x in g])
            lo, hi = boot_ci(gf, gv, lambda f, v: v / f, boots, rng)
            res[(mode, vm)] = {"mode": mode, "row": vm, "fork_row": fork, "label": LABEL.get(vm, vm),
                               "median_vm": mv, "median_fork": mf, "ratio": mv / mf,
                               "ratio_ci": (lo, hi), "boots": len(gv)}
    return res


# ------------------------------------------------------------------ sizes --

def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def symbols(path):
    """[(addr, size, type, mangled, demangled)] of the defined sized symbols."""
    raw = run("nm", "-S", "-n", "--defined-only", path).splitlines()
    dem = run("nm", "-S", "-n", "--defined-only", "-C", path).splitlines()
    out = []
    for a, b in zip(raw, dem):
        p, q = a.split(None, 3), b.split(None, 3)
        if len(p) == 4:
            out.append((int(p[0], 16), int(p[1], 16), p[2], p[3], q[3]))
    return out


def short(name):
    """A readable name: Rust paths without hashes and crate prefixes."""
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)
    name = name.replace("kernel::", "").replace("core::ops::drop::", "")
    return name if len(name) <= 90 else name[:87] + "..."


CALL = re.compile(r"\s(call|jmp)\s+([0-9a-f]+) <([^>+]+)>$")


def callees(vmlinux, addr, size):
    """Direct calls and tail jumps to the start of other functions."""
    out = run("objdump", "-d", "--no-show-raw-insn", f"--start-address={addr:#x}",
              f"--stop-address={addr + size:#x}", vmlinux)
    found = []
    for line in out.splitlines():
        m = CALL.search(line)
        if m and m.group(3) not in found:
            found.append(m.group(3))
    return found


def closure(vmlinux, funcs, root, follow, skip=()):
    """Functions reached from root through callees that follow(name) accepts;
    returns (inside, boundary) name lists."""
    inside, boundary, todo = [], [], [root]
    while todo:
        f = todo.pop(0)
        if f in inside or f not in funcs:
            continue
        inside.append(f)
        for c in callees(vmlinux, funcs[f][0], funcs[f][1]):
            if c in skip or c == f:
                continue
            if follow(c):
                todo.append(c)
            elif c not in boundary:
                boundary.append(c)
    return inside, boundary


def sizes(objdir, base_objdir=None):
    """Machine code of the two implementations, as linked into vmlinux.

    Rust: every function reached from rust_ksys_unshare through calls to Rust
    code (symbols _R..., i.e. unshare.rs and the kernel-crate abstractions it
    uses) or to the C helpers of rust/helpers (rust_helper_*); the closure stops
    at C kernel functions, which both implementations share.
    C: ksys_unshare, into which GCC inlined ksys_unshare_c, check_unshare_flags
    and unshare_fs (and the few bytes of the unshare.impl= dispatch), plus the
    static fork.c functions it calls (unshare_fd.constprop.0, which
    unshare_files() shares).
    Functions marked * exist in the kernel without the series too (the base
    build, when given): generic code that other Rust users share.
    """
    vmlinux = os.path.join(objdir, "vmlinux")
    funcs = {}
    names = {}
    for addr, size, typ, mangled, dem in symbols(vmlinux):
        if typ in "tTwW" and size:
            funcs[mangled] = (addr, size)
            names[mangled] = dem
    fork_local = {m for _, s, t, m, _ in symbols(os.path.join(objdir, "kernel/fork.o")) if t == "t" and s}
    rust_in, rust_bd = closure(vmlinux, funcs, "rust_ksys_unshare",
                               lambda n: n.startswith("_R") or n.startswith("rust_helper_"))
    c_in, c_bd = closure(vmlinux, funcs, "ksys_unshare", lambda n: n in fork_local,
                         skip=("rust_ksys_unshare",))
    # The module `kernel::unshare` of the kernel crate: the system call body and its KUnit tests.
    ko = os.path.join(objdir, "rust/kernel.o")
    uo_syms = [(s, m, d) for _, s, t, m, d in symbols(ko)
               if t in "tTwW" and s and (m == "rust_ksys_unshare" or "6kernel7unshare" in m)]
    text_uo = sum(s for s, _, _ in uo_syms)
    tests = [(s, d) for s, m, d in uo_syms if "tests" in d or "kunit" in d]
    body = [(s, d) for s, m, d in uo_syms if not ("tests" in d or "kunit" in d)]

    def group(name):
        if name == "rust_ksys_unshare" or "6kernel7unshare" in name:
            return "unshare.rs"
        if name.startswith("rust_helper_"):
            return "rust/helpers (C)"
        return "kernel crate"

    base = set()
    if base_objdir and os.path.exists(os.path.join(base_objdir, "vmlinux")):
        base = {m for _, s, t, m, _ in symbols(os.path.join(base_objdir, "vmlinux")) if s}
    rust = [(funcs[n][1], names[n] + ("*" if n in base else ""), group(n)) for n in rust_in]
    c = [(funcs[n][1], names[n], "fork.c") for n in c_in]
    return {
        "rust": rust, "c": c,
        "rust_total": sum(s for s, _, _ in rust), "c_total": sum(s for s, _, _ in c),
        "rust_new": sum(s for s, n, _ in rust if not n.endswith("*")), "have_base": bool(base),
        "rust_boundary": [names.get(n, n) for n in rust_bd],
        "c_boundary": [names.get(n, n) for n in c_bd],
        "unshare_o_text": text_uo, "unshare_o_body": body, "unshare_o_tests": tests,
    }


# ----------------------------------------------------------------- output --

def fmt_ns(x):
    if x >= 1e6:
        return f"{x / 1e6:.3f} ms"
    if x >= 1e4:
        return f"{x / 1e3:.1f} µs"
    return f"{x:.0f} ns"


def table(res, mode, other=None):
    rows = sorted((k[1] for k in res if k[0] == mode), key=lambda r: ORDER.get(r, 99))
    head = ("| row | C median [95% CI] | Rust median [95% CI] | Rust − C [95% CI] | Rust/C [95% CI] |"
            + (f" Rust/C {other} [95% CI] |" if other else ""))
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        r = res[(mode, row)]
        line = (f"| {r['label'].replace('|', chr(92) + '|')} | {fmt_ns(r['median_c'])} [{fmt_ns(r['ci_c'][0])}, {fmt_ns(r['ci_c'][1])}]"
                f" | {fmt_ns(r['median_rust'])} [{fmt_ns(r['ci_rust'][0])}, {fmt_ns(r['ci_rust'][1])}]"
                f" | {r['diff']:+.0f} ns [{r['diff_ci'][0]:+.0f}, {r['diff_ci'][1]:+.0f}]"
                f" | **{r['ratio']:.3f}** [{r['ratio_ci'][0]:.3f}, {r['ratio_ci'][1]:.3f}] |")
        if other:
            o = res.get((other, row))
            line += (f" {o['ratio']:.3f} [{o['ratio_ci'][0]:.3f}, {o['ratio_ci'][1]:.3f}] |"
                     if o else " – |")
        lines.append(line)
    return lines


def plot(res, mode, other, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (apt-get install python3-matplotlib): no plot"
    fig = plt.figure(figsize=(17, 9))
    grid = fig.add_gridspec(2, 3)
    cost_axes = [fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])]
    diff_axes = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])]
    colors = {"C": "tab:blue", "Rust": "tab:orange"}
    unit = "instructions" if mode.startswith("icount") else "ns"
    for ax, dax, prefix, xlabel, title in (
            (cost_axes[0], diff_axes[0], "files_", "descriptors in the shared table",
             "unshare(CLONE_FILES)"),
            (cost_axes[1], diff_axes[1], "newns_", "mounts in the namespace",
             "unshare(CLONE_NEWNS)")):
        for impl, key in (("C", "c"), ("Rust", "rust")):
            pts = sorted((int(row.split("_")[1]), r) for (m, row), r in res.items()
                         if m == mode and row.startswith(prefix))
            if not pts:
                continue
            xs = [x for x, _ in pts]
            ys = [r[f"median_{key}"] / 1e3 for _, r in pts]
            err = [[max(r[f"median_{key}"] - r[f"ci_{key}"][0], 0) / 1e3 for _, r in pts],
                   [max(r[f"ci_{key}"][1] - r[f"median_{key}"], 0) / 1e3 for _, r in pts]]
            ax.errorbar(xs, ys, yerr=err, marker="o" if impl == "C" else "x", capsize=3,
                        color=colors[impl], label=f"{impl} ({mode})",
                        linestyle="-" if impl == "C" else "--")
            if other:
                opts = sorted((int(row.split("_")[1]), r) for (m, row), r in res.items()
                              if m == other and row.startswith(prefix))
                ax.plot([x for x, _ in opts], [r[f"median_{key}"] / 1e3 for _, r in opts],
                        marker=".", linestyle=":", color=colors[impl], alpha=0.5,
                        label=f"{impl} ({other}, wall clock)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("median time of the call, µs (guest clock)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        pts = sorted((int(row.split("_")[1]), r) for (m, row), r in res.items()
                     if m == mode and row.startswith(prefix))
        if pts:
            dax.errorbar([x for x, _ in pts], [r["diff"] for _, r in pts],
                         yerr=[[r["diff"] - r["diff_ci"][0] for _, r in pts],
                               [r["diff_ci"][1] - r["diff"] for _, r in pts]],
                         marker="o", capsize=3, color="tab:red", label=f"Rust − C ({mode})")
        dax.axhline(0, color="black", linewidth=0.8)
        dax.set_xscale("log")
        dax.set_yscale("symlog", linthresh=200)
        dax.set_xlabel(xlabel)
        dax.set_ylabel(f"Rust − C, {'ns = ' + unit if unit != 'ns' else 'ns'} (median)")
        dax.set_title(f"{title}: extra cost of Rust, 95% interval")
        dax.grid(True, which="both", alpha=0.3)
        if dax.get_legend_handles_labels()[0]:
            dax.legend(fontsize=8)
    ax = fig.add_subplot(grid[:, 2])
    rows = sorted((k[1] for k in res if k[0] == mode), key=lambda r: ORDER.get(r, 99))
    for i, (m, off, col) in enumerate(((mode, -0.17, "tab:red"), (other, 0.17, "tab:gray"))):
        if not m:
            continue
        ys, lo, hi, ok = [], [], [], []
        for j, row in enumerate(rows):
            r = res.get((m, row))
            if not r:
                continue
            ys.append(r["ratio"])
            lo.append(r["ratio"] - r["ratio_ci"][0])
            hi.append(r["ratio_ci"][1] - r["ratio"])
            ok.append(j)
        ax.errorbar([y for y in ys], [j + off for j in ok], xerr=[lo, hi], fmt="o", color=col,
                    capsize=2, markersize=4, label=f"{m}" + ("" if m == mode else " (wall clock)"))
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Rust / C (median), 95% bootstrap interval")
    ax.set_title("ratio per row")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize=8)
    fig.suptitle("unshare(2): Rust against C, same kernel, unshare.impl=c|rust")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--primary", default="icount0", help="mode that decides the summary")
    ap.add_argument("--shift", type=int, default=0, help="the -icount shift of the primary mode")
    ap.add_argument("--objdir", help="kernel build folder for the size comparison")
    ap.add_argument("--base-objdir", help="build folder of the kernel without the series (marks *)")
    ap.add_argument("--boot", type=int, default=2000, help="bootstrap resamples")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    data, meta = parse_logs(args.logs)
    if not data:
        sys.exit("report.py: no @@@ RAW lines in the logs")
    res = analyse(data, args.boot, args.seed)
    vm = analyse_vm(data, args.boot, args.seed)
    modes = sorted({m for m, _ in res})
    primary = args.primary if args.primary in modes else modes[0]
    others = [m for m in modes if m != primary]
    other = others[0] if others else None

    md = ["# unshare(2): Rust against C", ""]
    md.append(f"Kernel booted {len(meta)} times, alternately with `unshare.impl=c` and "
              f"`unshare.impl=rust`: " + ", ".join(f"{m['log']} ({m['impl']}, "
                                                     f"{m['samples']} samples)" for m in meta) + ".")
    md.append("")
    if primary.startswith("icount"):
        md.append(f"Primary mode `{primary}`: QEMU `-icount shift={args.shift},sleep=off`. The guest "
                  f"clock and rdtsc count guest instructions, 1 instruction = {2 ** args.shift} ns, "
                  "so the times below are instruction counts (interrupts that land in the window "
                  "included) and are reproducible from boot to boot; the medians' intervals are "
                  "often a single value. They say nothing about caches, branch prediction or "
                  "pipelines.")
    if other:
        md.append(f"Cross-check `{other}`: plain TCG, host wall clock: includes the "
                  "emulator's costs (translation, soft-TLB refills after each context switch), "
                  "and the load of the host, so it is noisy; ratios only.")
    md.append("")
    md.append("Each sample is one call from a fresh state (see tests/bench/unshare_bench.c); the "
              "samples of all boots of one implementation are pooled. Medians with the 95% "
              "order-statistics interval; Rust − C and Rust/C with a 95% bootstrap interval "
              f"({args.boot} resamples, two-stage: boots, then samples within a boot, so that "
              "differences between boots count).")
    md.append("")
    md += table(res, primary, other)
    md.append("")
    # Reproducibility: per-boot medians.
    md.append(f"Medians of each boot ({primary}):")
    md.append("")
    md.append("| row | C per boot | Rust per boot |")
    md.append("|---|---|---|")
    for (m, row), r in sorted(res.items(), key=lambda kv: ORDER.get(kv[0][1], 99)):
        if m == primary:
            md.append(f"| {row} | {', '.join(f'{x:.0f}' for x in r['round_medians_c'])} | "
                      f"{', '.join(f'{x:.0f}' for x in r['round_medians_rust'])} |")
    md.append("")

    vm_prim = [v for (m, _), v in sorted(vm.items(), key=lambda kv: ORDER.get(kv[0][1], 99))
               if m == primary]
    vm_summary = None
    if vm_prim:
        md.append("## unshare(CLONE_VM) against fork()")
        md.append("")
        md.append("With `CONFIG_UNSHARE_RUST_VM` and `kernel.unshare_vm=1`, the Rust implementation gives "
                  "a task that shares its address space and handlers with another process (a sibling "
                  "made by `clone(CLONE_VM | CLONE_SIGHAND)`) a copy of them, as `fork()` gives a child; "
                  "C answers EINVAL (the rows are skipped in its boots). Below, that call against "
                  "`fork()` of the same worker (its own pages plus N private pages written before each "
                  f"sample), both in the Rust boots ({primary}); ratio with a 95% bootstrap interval.")
        md.append("")
        md.append("| pages | fork() median | unshare(CLONE_VM) median | unshare/fork [95% CI] |")
        md.append("|---|---|---|---|")
        for v in vm_prim:
            md.append(f"| {v['row'].split('_')[1]} | {fmt_ns(v['median_fork'])} | {fmt_ns(v['median_vm'])} | "
                      f"**{v['ratio']:.3f}** [{v['ratio_ci'][0]:.3f}, {v['ratio_ci'][1]:.3f}] |")
        md.append("")
        worst_vm = max(vm_prim, key=lambda v: v["ratio"])
        vm_summary = (f"bench: unshare(CLONE_VM)/fork() ratio max {worst_vm['ratio']:.3f} ({worst_vm['row']}), "
                      f"all <= 1.00 within interval: "
                      f"{'yes' if all(v['ratio_ci'][0] <= 1.0 for v in vm_prim) else 'no'}")
        md.append(f"**{vm_summary}**")
        md.append("")

    note = plot(res, primary, other, os.path.join(args.outdir, "bench.png"))
    md.append("![cost against descriptors and mounts](bench.png)" if not note else f"_{note}_")
    md.append("")

    sz = None
    if args.objdir:
        try:
            sz = sizes(args.objdir, args.base_objdir)
        except (OSError, subprocess.CalledProcessError, KeyError) as e:
            md.append(f"_size comparison failed: {e}_")
    if sz:
        md.append("## Machine code")
        md.append("")
        md.append(sizes.__doc__.strip().replace("\n    ", "\n"))
        md.append("")
        md.append(f"| implementation | bytes of text | functions |")
        md.append("|---|---|---|")
        md.append(f"| C | {sz['c_total']} | " + ", ".join(f"{short(n)} ({s})" for s, n, _ in sz["c"]) + " |")
        for grp in ("unshare.rs", "kernel crate", "rust/helpers (C)"):
            part = [(s, n) for s, n, g in sz["rust"] if g == grp]
            md.append(f"| Rust: {grp} | {sum(s for s, _ in part)} | "
                      + ", ".join(f"{short(n)} ({s})" for s, n in sorted(part, reverse=True)) + " |")
        md.append(f"| Rust, total | {sz['rust_total']} | {len(sz['rust'])} functions |")
        if sz["have_base"]:
            md.append(f"| Rust, without the functions marked * | {sz['rust_new']} | added by the series |")
        md.append("")
        md.append(f"kernel::unshare (rust/kernel/unshare.rs): .text {sz['unshare_o_text']} bytes, of which KUnit tests "
                  f"{sum(s for s, _ in sz['unshare_o_tests'])} (CONFIG_KUNIT=y) and "
                  + ", ".join(f"{short(n)} {s}" for s, n in sz["unshare_o_body"]) + ".")
        md.append("")
        md.append("C kernel functions called (shared by both, not counted): Rust: "
                  + ", ".join(sorted(sz["rust_boundary"])) + "; C: "
                  + ", ".join(sorted(sz["c_boundary"])) + ".")
        md.append("")

    prim = [r for (m, _), r in res.items() if m == primary]
    worst = max(prim, key=lambda r: r["ratio"])
    all_ok = all(r["ratio_ci"][0] <= 1.0 for r in prim)
    summary = (f"bench: {len(prim)} rows, Rust/C ratio max {worst['ratio']:.3f} ({worst['row']}), "
               f"all <= 1.00 within interval: {'yes' if all_ok else 'no'}")
    md.append(f"**{summary}**")
    with open(os.path.join(args.outdir, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.outdir, "results.json"), "w") as f:
        json.dump({"rows": [dict(r, ci_c=list(r["ci_c"]), ci_rust=list(r["ci_rust"]),
                                 ratio_ci=list(r["ratio_ci"]), diff_ci=list(r["diff_ci"]))
                            for r in res.values()],
                   "vm_vs_fork": [dict(v, ratio_ci=list(v["ratio_ci"])) for v in vm.values()],
                   "meta": meta, "sizes": sz}, f, indent=1)

    # Terminal: the primary table, compact.
    print(f"{'row':<14} {'C median':>12} {'Rust median':>12} {'Rust-C':>9}  {'Rust/C [95% CI]':<24}"
          + (f" {other + ' Rust/C':<24}" if other else ""))
    for r in sorted(prim, key=lambda r: ORDER.get(r["row"], 99)):
        o = res.get((other, r["row"])) if other else None
        print(f"{r['row']:<14} {r['median_c']:>12.0f} {r['median_rust']:>12.0f} {r['diff']:>+9.0f}  "
              f"{r['ratio']:.3f} [{r['ratio_ci'][0]:.3f}, {r['ratio_ci'][1]:.3f}]      "
              + (f" {o['ratio']:.3f} [{o['ratio_ci'][0]:.3f}, {o['ratio_ci'][1]:.3f}]" if o else ""))
    if sz:
        print(f"text: C {sz['c_total']} bytes ({', '.join(short(n) for _, n, _ in sz['c'])}); "
              f"Rust {sz['rust_total']} bytes in {len(sz['rust'])} functions "
              f"(rust_ksys_unshare {next(s for s, n, _ in sz['rust'] if n == 'rust_ksys_unshare')}"
              + (f"; {sz['rust_new']} without generic code that predates the series" if sz["have_base"] else "")
              + ")")
    if note:
        print(f"report.py: {note}")
    for v in vm_prim:
        print(f"{v['row']:<14} fork {v['median_fork']:>10.0f}  unshare(CLONE_VM) {v['median_vm']:>10.0f}  "
              f"unshare/fork {v['ratio']:.3f} [{v['ratio_ci'][0]:.3f}, {v['ratio_ci'][1]:.3f}]")
    print(f"report: {os.path.join(args.outdir, 'report.md')}, plot: {os.path.join(args.outdir, 'bench.png')}")
    if vm_summary:
        print(vm_summary)
    print(summary)


if __name__ == "__main__":
    main()
