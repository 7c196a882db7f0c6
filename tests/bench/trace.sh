#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where the Rust implementation spends its instructions, against C: single-steps
# whole ksys_unshare() calls with gdb and counts the instructions per function.
#
#   tests/bench/trace.sh KERNEL OUTDIR [ROWS]
#
# KERNEL: a bzImage with CONFIG_UNSHARE_RUST=y whose vmlinux (with symbols) is
# KERNEL minus /arch/x86/boot/bzImage plus /vmlinux (or set VMLINUX). ROWS: rows
# of unshare_bench (default flags0,sysvsem,fs,files_3,newuts,newpid,newcgroup,newtime;
# rows of a million instructions, like newnet, take too long to step).
# Boots the kernel twice (unshare.impl=c, then rust) in plain TCG with QEMU's gdb
# stub; the guest runs unshare_bench -T -n $TRACE_N -w 0 -r ROWS; gdb (trace_gdb.py)
# steps each call of ksys_unshare between the -T markers. Writes
# OUTDIR/trace-{c,rust}.json and OUTDIR/trace.md: per row the instructions of
# each implementation and, per function, where they differ (the median call
# of the TRACE_N of each row, default 1: the counts hardly vary).
# Needs gdb. About 2 minutes for the default rows with TRACE_N=1 (~15 ms per
# stepped instruction on top of the boots).
set -euo pipefail

die() { echo "trace: error: $*" >&2; exit 1; }
[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 KERNEL OUTDIR [ROWS]"
KERNEL=$(realpath -- "$1")
OUT=$2
ROWS=${3:-flags0,sysvsem,fs,files_3,newuts,newpid,newcgroup,newtime}
HERE=$(cd "$(dirname "$0")" && pwd)
TRACE_N=${TRACE_N:-1}
[[ $TRACE_N =~ ^[1-9][0-9]*$ ]] || die "TRACE_N='$TRACE_N' must be a positive number"
VMLINUX=${VMLINUX:-${KERNEL%/arch/x86/boot/bzImage}/vmlinux}
[ -f "$KERNEL" ] || die "kernel '$1' not found"
[ -f "$VMLINUX" ] || die "no vmlinux at $VMLINUX; set VMLINUX"
command -v gdb >/dev/null || die "gdb is missing; apt-get install gdb"
mkdir -p "$OUT/payload"
OUT=$(cd "$OUT" && pwd)

gcc -static -O2 -Wall -o "$OUT/payload/unshare_bench" "$HERE/unshare_bench.c" -lm
cat >"$OUT/payload/run.sh" <<GUEST
#!/bin/sh
/tests/unshare_bench -T -q -n $TRACE_N -w 0 -r $ROWS
GUEST
chmod +x "$OUT/payload/run.sh"
"$HERE/../qemu/mkinitramfs.sh" "$OUT/initramfs.cpio.gz" "$OUT/payload" >/dev/null
nm -n -C "$VMLINUX" >"$OUT/vmlinux.syms"
addr=$(nm "$VMLINUX" | awk '$3 == "ksys_unshare" { print "0x" $1 }')
[ -n "$addr" ] || die "no ksys_unshare in $VMLINUX"

port=$(( 20000 + $$ % 20000 ))
for impl in c rust; do
	t0=$SECONDS
	QEMU_ARGS="-S -gdb tcp::$port" "$HERE/../qemu/boot.sh" "$KERNEL" "$OUT/initramfs.cpio.gz" \
		"$OUT/serial-$impl.log" 900 "unshare.impl=$impl" noapictimer >"$OUT/boot-$impl.out" 2>&1 &
	qpid=$!
	sleep 1
	TRACE_PORT=$port TRACE_SYMS=$OUT/vmlinux.syms TRACE_ADDR=$addr TRACE_OUT=$OUT/trace-$impl.json \
		gdb -q -batch -nx -x "$HERE/trace_gdb.py" >"$OUT/gdb-$impl.log" 2>&1 \
		|| { kill "$qpid" 2>/dev/null; die "gdb failed; see $OUT/gdb-$impl.log"; }
	wait "$qpid" || die "boot with unshare.impl=$impl failed; see $OUT/boot-$impl.out"
	echo "trace: unshare.impl=$impl: $(grep -c '^trace:' "$OUT/gdb-$impl.log") calls stepped in $((SECONDS - t0))s"
done

python3 - "$OUT" "$ROWS" <<'PY'
import json, sys
out, rows = sys.argv[1], sys.argv[2].split(",")
FLAGS = {"flags0": 0, "sysvsem": 0x40000, "fs": 0x200, "files_3": 0x400, "files_1000": 0x400,
         "newuts": 0x4000000, "newpid": 0x20000000, "newcgroup": 0x2000000, "newtime": 0x80,
         "newipc": 0x8000000, "newuser": 0x10000000, "newns_10": 0x20000}
runs = {impl: json.load(open(f"{out}/trace-{impl}.json")) for impl in ("c", "rust")}
md = ["# Instructions of one ksys_unshare() call, per function (gdb single-step)", ""]
summary = []
for row in rows:
    fl = FLAGS.get(row)
    pick = {}
    for impl, calls in runs.items():
        cs = sorted((c for c in calls if c["flags"] == fl), key=lambda c: c["insns"])
        if cs:
            pick[impl] = cs[len(cs) // 2]  # the median call
    if len(pick) < 2:
        continue
    c, r = pick["c"], pick["rust"]
    summary.append(f"{row:<10} C {c['insns']:>6}  Rust {r['insns']:>6}  Rust-C {r['insns'] - c['insns']:+5d}")
    md.append(f"## {row} (flags {fl:#x}): C {c['insns']}, Rust {r['insns']} instructions "
              f"({r['insns'] - c['insns']:+d})")
    md.append("")
    md.append("| function | C | Rust | Rust − C |")
    md.append("|---|---|---|---|")
    fns = set(c["per_function"]) | set(r["per_function"])
    diff = sorted(fns, key=lambda f: -abs(r["per_function"].get(f, 0) - c["per_function"].get(f, 0)))
    for f in diff:
        a, b = c["per_function"].get(f, 0), r["per_function"].get(f, 0)
        if a != b:
            md.append(f"| `{f[:110]}` | {a} | {b} | {b - a:+d} |")
    md.append("")
    md.append("Calls in order, Rust: " + " → ".join(f"`{s[:60]}`" for s in r["sequence"][:80]))
    md.append("")
    md.append("Calls in order, C: " + " → ".join(f"`{s[:60]}`" for s in c["sequence"][:80]))
    md.append("")
open(f"{out}/trace.md", "w").write("\n".join(md) + "\n")
print("\n".join(summary))
print(f"trace: per-function detail in {out}/trace.md")
PY
