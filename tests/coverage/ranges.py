#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The address ranges whose PCs tests/coverage/kcov_wrap.c keeps: the Rust functions of the
kernel crate (rust/kernel.o: the Rust implementation, its abstractions, the generic code
instantiated for them; v0-mangled names and the exported rust_* entry points), the C helpers the
Rust code calls (rust_helper_* of rust/helpers/helpers.o), and the functions of the C
implementation (report.py C_FUNCTIONS) that the compiler kept out of line.

    ranges.py OBJ > ranges.txt     (OBJ: the kernel build folder, with vmlinux)

One "start end" line (hex, end exclusive) per range, sorted, overlaps merged."""
import subprocess
import sys



def nm(path, sizes=False):
    args = ["nm", "--defined-only"] + (["-S"] if sizes else []) + [path]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if sizes and len(f) == 4 and f[2] in "tTwW":
            yield f[3], int(f[0], 16), int(f[1], 16)
        elif not sizes and len(f) == 3 and f[1] in "tTwW":
            yield f[2]


def address_ranges(obj, c_functions):
    """[(start, end)] of the functions kept, sorted, overlaps merged."""
    # Names, not addresses: rust/kernel.o's v0-mangled and exported ones, the helpers' own; not
    # the static inline functions of C headers that helpers.o keeps a copy of (their names are
    # those of copies elsewhere in vmlinux).
    wanted = {n for n in nm(f"{obj}/rust/kernel.o") if n.startswith("_R") or n.startswith("rust_")}
    wanted |= {n for n in nm(f"{obj}/rust/helpers/helpers.o") if n.startswith("rust_helper_")}
    # The C functions under their own names or a clone's (GCC's name.constprop.0, .isra.0,
    # .part.0, .cold); inlined into their caller they have none.
    ranges = sorted((a, a + s) for name, a, s in nm(f"{obj}/vmlinux", sizes=True)
                    if s and (name in wanted or name.split(".")[0] in c_functions))
    if not ranges:
        sys.exit(f"ranges.py: no function of the kernel crate in {obj}/vmlinux")
    merged = [list(ranges[0])]
    for lo, hi in ranges[1:]:
        if lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [tuple(r) for r in merged]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ranges.py OBJ  (the kernel build folder)")
    from report import C_FUNCTIONS  # here: report.py imports this module
    for lo, hi in address_ranges(sys.argv[1], C_FUNCTIONS):
        print(f"{lo:x} {hi:x}")


if __name__ == "__main__":
    main()
