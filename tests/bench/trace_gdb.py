# SPDX-License-Identifier: GPL-2.0
"""gdb script of tests/bench/trace.sh: counts the instructions that each
ksys_unshare() call executes, per function, by single-stepping it.

Run as: gdb -q -batch -x trace_gdb.py, with the environment
  TRACE_PORT    QEMU's gdb port (QEMU started with -S -gdb tcp::PORT)
  TRACE_SYMS    output of `nm -n -C vmlinux` (function names)
  TRACE_ADDR    address of ksys_unshare
  TRACE_OUT     where to write the JSON result

Only the calls between the marker calls unshare(TRACE_BEGIN) and
unshare(TRACE_END) of unshare_bench -T are traced. QEMU's gdb stub steps with
interrupts masked, so the counts are the call's own instructions.
"""
import bisect
import json
import os

import gdb

BEGIN = 0xfffffffffff0000f
END = 0xfffffffffff000ef
MASK = (1 << 64) - 1

addrs, names = [], []
with open(os.environ["TRACE_SYMS"]) as f:
    for line in f:
        p = line.rstrip("\n").split(" ", 2)
        if len(p) == 3 and p[1] in "tTwW":
            addrs.append(int(p[0], 16))
            names.append(p[2])


def sym(pc):
    i = bisect.bisect_right(addrs, pc) - 1
    return names[i] if i >= 0 else hex(pc)


def reg(name):
    return int(gdb.parse_and_eval(f"(unsigned long)${name}")) & MASK


gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute(f"target remote :{os.environ['TRACE_PORT']}")
gdb.execute(f"break *{os.environ['TRACE_ADDR']}")
calls, armed = [], False
while True:
    try:
        gdb.execute("continue", to_string=True)
    except gdb.error:
        break
    flags = reg("rdi")
    if flags == BEGIN:
        armed = True
        continue
    if flags == END:
        break
    if not armed:
        continue
    sp0 = reg("sp")
    ret = int(gdb.parse_and_eval("*(unsigned long *)$sp")) & MASK
    counts, seq, last, n = {}, [], None, 0
    while True:
        pc = reg("pc")
        if pc == ret and reg("sp") > sp0:
            break
        f = sym(pc)
        counts[f] = counts.get(f, 0) + 1
        if f != last:
            seq.append(f)
            last = f
        gdb.execute("stepi", to_string=True)
        n += 1
    calls.append({"flags": flags, "insns": n, "per_function": counts, "sequence": seq})
    print(f"trace: flags={flags:#x} {n} instructions")
with open(os.environ["TRACE_OUT"], "w") as f:
    json.dump(calls, f, indent=1)
gdb.execute("delete")
try:
    gdb.execute("detach")
except gdb.error:
    pass
