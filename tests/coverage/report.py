#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The coverage report of unshare(2): which lines of the Rust implementation and of the C path
that only unshare.impl=c runs the suites reached, and which error edges they took.

    report.py --src KSRC --obj OBJ --edges DIR --log-c F --log-rust F --out FILE
    report.py --src KSRC --check FILE     the report still describes KSRC (its sources' hash)

KSRC is the tree with the series (a git tree, the series on top), OBJ the coverage kernel's build
folder, DIR holds edges-{c,rust}-{EDGE,ERR}.txt (the edges of the calls that succeeded and of
those that failed, tests/coverage/run.sh), the logs are the boots' serial logs.

Lines: a line is instrumented when a KCOV call site (a call of __sanitizer_cov_trace_pc() in
vmlinux, at the start of a basic block) maps to it, the inlined frames included (llvm-symbolizer
--inlines), and reached when such a call site ran in a task inside unshare(2) (the edges of
kcov_wrap.c). The lines counted: on the Rust side every line the series adds to the files of
RUST_FILES but the KUnit suite's (it runs at boot, outside the measured calls); on the C side the
bodies of C_FUNCTIONS, the functions that only the C implementation runs (the constructors both
share, copy_fs_struct(), dup_fd(), create_new_namespaces(), ..., are not counted).

Error edges: on the Rust side each `?` and each line that returns an `Err` by itself
(`return Err(...)`, `Err(...)` as the value of a branch); on the C side each `goto` to an error
label and each early `return` of an error. Such a line is taken when a block of it ran in
failed calls only. A `?` (or such a line without a block of its own) is taken when a failed call went from the
statements that lead to it (since the previous error edge or the start of the function, and
the functions they call out of line) to code outside them, by an edge that no successful call
took; a `goto` when such an edge goes to the label's first lines.

Every unreached line and every edge not taken needs a reason in tests/coverage/unreachable.txt:
"FILE:LINE: TEXT | REASON" (TEXT: the stripped source line, which must still be that line's);
a REASON starts with "unreachable" (the line does not count as reachable), with "test:" (it
names the test that takes an edge the edges cannot show: a branch the compiler turned into a
select) or with "merged: FILE:LINE " (an edge without blocks of its own, in a function inlined
whole, is the branch of the error edge at FILE:LINE, and counts as taken only if that one is)."""
import argparse
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
from collections import defaultdict

from ranges import address_ranges

HERE = os.path.dirname(os.path.abspath(__file__))

# The C implementation: functions that only unshare.impl=c runs, and their files.
C_FUNCTIONS = {
    "ksys_unshare_c": "kernel/fork.c",
    "check_unshare_flags": "kernel/fork.c",
    "unshare_fs": "kernel/fork.c",
    "unshare_fd": "kernel/fork.c",
    "unshare_userns": "kernel/user_namespace.c",
    "unshare_nsproxy_namespaces": "kernel/nsproxy.c",
}

# Error edges of the C path that no pattern finds: unshare_userns() tests its results in place
# (prepare_creds() failing skips the block; create_user_ns() failing puts the credentials).
C_EXTRA_EDGES = {
    "kernel/user_namespace.c": {"if (cred) {": "?", "put_cred(cred);": "return"},
}

# The Rust implementation: the files the series adds or changes (its lines only).
RUST_FILES = [
    "rust/kernel/unshare.rs",
    "rust/kernel/nsproxy.rs",
    "rust/kernel/namespace.rs",
    "rust/kernel/cred.rs",
    "rust/kernel/task.rs",
    "rust/kernel/mm.rs",
    "rust/kernel/fs/fs_struct.rs",
    "rust/kernel/fs/files_struct.rs",
    "rust/kernel/pid_namespace.rs",
    "rust/kernel/error.rs",
    "rust/kernel/types.rs",
    "rust/helpers/namespace.c",
    "rust/helpers/ipc.c",
    "rust/helpers/cred.c",
    "rust/helpers/task.c",
    "rust/helpers/perf_event.c",
]


# The error paths that one implementation has and the other lacks, and why.
ONE_SIDED = """Every error edge of the C path has its counterpart in Rust, in the same order:
check_unshare_flags() and check_flags() (EINVAL); unshare_fs() and
OwnedFsStruct::copy_from_current(), unshare_fd() and FilesStruct::dup_fd() (ENOMEM, EMFILE);
unshare_userns() and NewCredential::unshare_userns() (ENOMEM, EPERM, ENOSPC, ...);
unshare_nsproxy_namespaces() and NewNsProxy::unshare() (EPERM, then whatever the namespace
constructors return); set_cred_ucounts() and NewCredential::set_ucounts() (EAGAIN).

The Rust side has more:
- the opt-in (CONFIG_UNSHARE_RUST_VM, kernel.unshare_vm=1): NewSigHand::new() and
  NewMm::dup_current() (ENOMEM, EBUSY for a held robust or PI futex or a userfaultfd
  registration) at rust/kernel/unshare.rs, where C has answered EINVAL in
  check_unshare_flags() before any allocation;
- NewNsProxy::create() allocates the nsproxy itself (EmptyNsProxy::new(), ENOMEM), where C's
  create_new_namespaces() does, a constructor both share and this report does not count;
- two checks of invariants that C relies on unchecked, so that the safe constructors stay sound
  for any caller: a mount namespace in the task's nsproxy (nsproxy.rs) and an fs_struct with
  CLONE_NEWNS (namespace.rs); unreachable through unshare(2), listed above with their reasons."""


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def git(src, *args):
    return run(["git", "-C", src] + list(args))


def base_commit(src):
    """The commit below the series: HEAD minus as many commits as patches/ has patches."""
    n = len([f for f in os.listdir(os.path.join(HERE, "..", "..", "patches")) if f.endswith(".patch")])
    try:
        return git(src, "rev-parse", "--verify", f"HEAD~{n}").strip()
    except subprocess.CalledProcessError:
        sys.exit(f"report.py: {src} is not a git tree with the {n} patches of patches/ on top "
                 "of its base (make tree)")


def added_lines(src, base, path):
    """Line numbers (in HEAD) that the series adds to path."""
    out = git(src, "diff", "--unified=0", base, "HEAD", "--", path)
    lines = set()
    for m in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", out, re.M):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


def kunit_lines(text):
    """Lines of #[kunit_tests] modules (1-based)."""
    lines = text.split("\n")
    out = set()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("#[kunit_tests("):
            depth, j, opened = 0, i, False
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                opened = opened or "{" in lines[j]
                out.add(j + 1)
                if opened and depth <= 0:
                    break
                j += 1
            i = j
        i += 1
    return out


def c_function_lines(text, name):
    """Lines of the body of C function name (definition to the closing brace in column 0)."""
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if re.match(rf"^(?:static\s+)?(?:noinline\s+)?[a-z].*\b{name}\(", l) and not l.rstrip().endswith(";"):
            j = i
            while j < len(lines) and lines[j] != "}":
                j += 1
            return set(range(i + 1, j + 2))
    sys.exit(f"report.py: no definition of {name}() found")


def interest(src):
    """{path: {line}} for the Rust side and the C side, and the sources' hash."""
    base = base_commit(src)
    h = hashlib.sha256()
    rust, c = {}, {}
    for path in RUST_FILES:
        text = open(os.path.join(src, path)).read()
        rust[path] = added_lines(src, base, path) - kunit_lines(text)
        h.update(path.encode() + b"\0" + text.encode())
    for name, path in C_FUNCTIONS.items():
        text = open(os.path.join(src, path)).read()
        lines = c_function_lines(text, name)
        c.setdefault(path, set()).update(lines)
        body = "\n".join(text.split("\n")[min(lines) - 1:max(lines)])
        h.update(name.encode() + b"\0" + body.encode())
    # What the measurement is a function of besides: the tools, the kernel configuration, the
    # tests (the selftests of the tree, the fail-nth sweep and the fuzzer).
    top = os.path.join(HERE, "..", "..")
    inputs = [os.path.join(HERE, f) for f in sorted(os.listdir(HERE))]
    inputs += [os.path.join(top, "configs", f) for f in ("x86_64.config", "unshare-rust.config",
                                                          "no-doctests.config", "coverage.config")]
    inputs += [os.path.join(top, "tests", "reliability", f) for f in ("failnth.c", "fuzz.c", "common.h")]
    st = os.path.join(src, "tools", "testing", "selftests", "unshare")
    inputs += [os.path.join(st, f) for f in sorted(os.listdir(st))]
    inputs += [os.path.join(top, "tests", "unshare-selftest", "build.sh")]
    inputs += [os.path.join(top, "tests", "qemu", f) for f in sorted(os.listdir(os.path.join(top, "tests", "qemu")))]
    # Every change of the series (the C code only the Rust side runs included).
    h.update(git(src, "diff", base, "HEAD").encode())
    for f in inputs:
        if os.path.isfile(f) and not f.endswith(".pyc"):
            h.update(os.path.basename(f).encode() + b"\0" + open(f, "rb").read())
    return rust, c, h.hexdigest()[:16]


def elf_exec_sections(path):
    """[(addr, size, file offset)] of the executable sections of an ELF64 file."""
    with open(path, "rb") as f:
        data = f.read(64)
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
        f.seek(shoff)
        sh = f.read(shentsize * shnum)
    out = []
    for i in range(shnum):
        _, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", sh, i * shentsize)
        if typ == 1 and flags & 0x4:
            out.append((addr, size, off))
    return out


def call_sites(obj, ranges):
    """Return addresses (what KCOV records) of the calls of __sanitizer_cov_trace_pc() in ranges."""
    vmlinux = os.path.join(obj, "vmlinux")
    target = None
    for line in run(["nm", vmlinux]).splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == "__sanitizer_cov_trace_pc":
            target = int(f[0], 16)
    if target is None:
        sys.exit("report.py: vmlinux has no __sanitizer_cov_trace_pc (not a KCOV kernel)")
    sections = elf_exec_sections(vmlinux)
    sites = []
    with open(vmlinux, "rb") as f:
        for lo, hi in ranges:
            for addr, size, off in sections:
                if addr <= lo < addr + size:
                    f.seek(off + lo - addr)
                    code = f.read(hi - lo)
                    break
            else:
                continue
            i = code.find(b"\xe8")
            while i >= 0 and i + 5 <= len(code):
                rel, = struct.unpack_from("<i", code, i + 1)
                if lo + i + 5 + rel == target:
                    sites.append(lo + i + 5)
                i = code.find(b"\xe8", i + 1)
    return sites


def symbolize(obj, pcs, src):
    """{pc: [(function, path, line)] innermost first} for the call instruction before each pc."""
    inp = "".join(f"0x{pc - 5:x}\n" for pc in pcs)
    out = run(["llvm-symbolizer-19", "--output-style=JSON", "--inlines", "--demangle",
               f"--obj={os.path.join(obj, 'vmlinux')}"], input=inp)
    res = {}
    prefixes = [os.path.realpath(src) + "/", os.path.realpath(obj) + "/"]
    for pc, line in zip(pcs, out.splitlines()):
        frames = []
        for s in json.loads(line).get("Symbol", []):
            path = os.path.normpath(s.get("FileName", ""))
            for p in prefixes:
                if path.startswith(p):
                    path = path[len(p):]
            frames.append((s.get("FunctionName", ""), path, s.get("Line", 0)))
        res[pc] = frames
    return res


def read_edges(path):
    edges = set()
    for line in open(path):
        a, b = line.split()
        edges.add((int(a, 16), int(b, 16)))
    return edges


def short_fn(name):
    """A function's name without the crate prefix and the generic arguments of its path."""
    name = re.sub(r"::h[0-9a-f]{16}$", "", name).replace("kernel::", "")
    out, i = "", 0
    while i < len(name):
        if name.startswith("::<", i):  # generic arguments: skip to the matching '>'
            depth, i = 0, i + 2
            while i < len(name):
                depth += {"<": 1, ">": -1}.get(name[i], 0)
                i += 1
                if depth == 0:
                    break
            continue
        out += name[i]
        i += 1
    return re.sub(r"\{closure#\d+\}", "{closure}", out)


def code_of(text):
    """The code of a source line without comments and string literals."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return re.sub(r"//.*|/\*.*?\*/", "", text).strip()


def error_lines(path, lines, wanted):
    """{line: kind} of the lines of path (its source lines; within wanted) that are error edges."""
    out = {}
    for n in sorted(wanted):
        if n > len(lines):
            continue
        code = code_of(lines[n - 1])
        if path.endswith(".rs"):
            if code == ")?" or re.search(r"\$\(|\$\w+:\w+", code):
                continue  # a macro_rules! matcher or repetition `$(...)?`: it returns nothing
            if returns_option(lines, n):
                continue  # `?` on an Option in a function that returns one: no error
            if re.search(r"\?(?:\s*[;,)}.]|\s*$)", code):
                out[n] = "?"
            elif re.search(r"\breturn Err\(|^Err\(.*\)\s*,?$|=> Err\(", code):
                out[n] = "Err"
            elif re.search(r"\.ok_or\(E[A-Z]+\)\s*$", code):
                out[n] = "Err"  # the tail value of the function: an Err when None
        else:
            if code in C_EXTRA_EDGES.get(path, {}):
                out[n] = C_EXTRA_EDGES[path][code]
            elif re.match(r"goto (bad|out|fail|err)\w*;", code):
                out[n] = "goto"
            elif re.match(r"return -E[A-Z]+;|return ERR_PTR\(|return PTR_ERR\(", code):
                out[n] = "return"
    return out


RUST_FN = r"^\s*(pub(\([\w: ]+\))?\s+)?(const\s+)?(unsafe\s+)?(extern\s+\"C\"\s+)?fn\s"
# A Rust function, or a C function definition (its type and name in column 0).
FN_START = RUST_FN + r"|^[a-z].*\w\(.*[^;]$"


def returns_option(text_lines, line):
    """Whether the Rust function around line returns an Option (its `?` is no error edge)."""
    for n in range(line - 1, 0, -1):
        if re.match(RUST_FN, text_lines[n - 1]):
            sig = " ".join(text_lines[n - 1:line])
            return bool(re.search(r"->\s*Option<", sig.split("{")[0]))
    return False


def region_of(path, text_lines, prev, line):
    """The statements that lead to the error edge at line: since the previous error edge of
    path or the start of the function, whichever is later. Returns ({(path, n)}, {callee})."""
    start = prev + 1
    for n in range(line, prev, -1):
        if re.match(FN_START, text_lines[n - 1]):
            start = n
            break
    callees = set()
    for n in range(start, line + 1):
        code = code_of(text_lines[n - 1])
        if n == start and start != prev + 1:
            continue  # the function's own signature
        callees.update(re.findall(r"(\w+)\s*\(", code))
        # a function passed by path: `.map(NewCredential::set_ucounts)`
        callees.update(re.findall(r"::(\w+)\)", code))
    keywords = {"if", "while", "for", "match", "return", "Some", "Ok", "Err", "pub", "crate",
                "unsafe", "sizeof", "fn"}
    return {(path, n) for n in range(start, line + 1)}, callees - keywords


def label_lines(path, text_lines, goto_line):
    """{(path, line)} of the first lines of the label that the goto at goto_line jumps to."""
    m = re.search(r"goto (\w+);", text_lines[goto_line - 1])
    for i in range(goto_line, len(text_lines)):
        if text_lines[i].startswith(m.group(1) + ":"):
            return {(path, n) for n in range(i + 1, i + 5)}
    sys.exit(f"report.py: no label {m.group(1)} for the goto at line {goto_line}")


def load_reasons():
    reasons = []
    for line in open(os.path.join(HERE, "unreachable.txt")):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        where, _, reason = line.partition(" | ")
        m = re.match(r"^(\S+?):(\d+): (.*)$", where.strip())
        if not m or not re.match(r"(unreachable|test:|merged: \S+:\d+ )", reason.strip()):
            sys.exit(f"report.py: unreachable.txt: '{line}' is not 'FILE:LINE: TEXT | REASON' "
                     "with a REASON that begins with 'unreachable', 'test:' or 'merged: FILE:LINE '")
        reasons.append((m.group(1), int(m.group(2)), m.group(3).strip(), reason.strip()))
    return reasons


def counters(log):
    tot = defaultdict(int)
    for m in re.finditer(r"kcov-wrap: calls=(\d+) measured=(\d+) missed=(\d+) truncated=(\d+) "
                         r"overflow=(\d+)", open(log, errors="replace").read()):
        for k, v in zip(("calls", "measured", "missed", "truncated", "overflow"), m.groups()):
            tot[k] += int(v)
    return tot


def results(log):
    out = []
    for m in re.finditer(r"^@@@ COV (\S+) rc=(\d+) seconds=(\d+)", open(log, errors="replace").read(), re.M):
        out.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--obj")
    ap.add_argument("--edges", help="the folder with edges-IMPL-EDGE.txt and edges-IMPL-ERR.txt")
    ap.add_argument("--log-c")
    ap.add_argument("--log-rust")
    ap.add_argument("--out")
    ap.add_argument("--check")
    a = ap.parse_args()

    rust_int, c_int, digest = interest(a.src)
    if a.check:
        text = open(a.check).read()
        m = re.search(r"^Sources: ([0-9a-f]{16})$", text, re.M)
        if not m:
            sys.exit(f"coverage: {a.check} has no 'Sources:' line; regenerate it with make coverage")
        if m.group(1) != digest:
            sys.exit(f"coverage: {a.check} describes sources {m.group(1)}, the tree has {digest}: "
                     "the series or the coverage tools changed; run make coverage and commit the report")
        print(f"coverage: {a.check} matches the sources ({digest})")
        return

    ranges = address_ranges(a.obj, C_FUNCTIONS)
    sites = call_sites(a.obj, ranges)
    frames = symbolize(a.obj, sites, a.src)
    # Code instantiated for the KUnit suite (generic functions with its fake types) runs at
    # boot only: its call sites are not counted.
    frames = {pc: fr for pc, fr in frames.items()
              if not any("::tests::" in fn or "kunit_rust_wrapper" in fn for fn, _, _ in fr)}
    reached, fail_only, err_only = {}, {}, {}
    for impl in ("c", "rust"):
        ok = read_edges(os.path.join(a.edges, f"edges-{impl}-EDGE.txt"))
        err = read_edges(os.path.join(a.edges, f"edges-{impl}-ERR.txt"))
        pcs = set()
        for x, y in ok | err:
            pcs.update((x, y))
        reached[impl] = pcs - {0, 1}
        fail_only[impl] = err - ok
        ok_pcs = {p for e in ok for p in e}
        err_only[impl] = reached[impl] - ok_pcs

    sides = {"rust": rust_int, "c": c_int}
    texts = {}
    # per side: {(path, line): {"pcs": set, "fn": name}}
    lines = {"rust": {}, "c": {}}
    pc_lines = defaultdict(set)
    for pc, fr in frames.items():
        for fn, path, line in fr:
            pc_lines[pc].add((path, line))
            for side, wanted in sides.items():
                if line in wanted.get(path, ()):
                    d = lines[side].setdefault((path, line), {"pcs": set(), "fn": short_fn(fn)})
                    d["pcs"].add(pc)
    for side in sides:
        for path in sides[side]:
            texts[path] = open(os.path.join(a.src, path)).read().split("\n")

    # Each C function of the C path is measured: a name the ranges miss (a clone's suffix, a
    # rename) would silently drop it.
    for name, path in C_FUNCTIONS.items():
        body = c_function_lines("\n".join(texts[path]), name)
        if not any((path, n) in lines["c"] for n in body):
            sys.exit(f"report.py: no call site maps to {name}() ({path}): is it in ranges.py's "
                     "ranges under another name?")

    reasons = load_reasons()
    used_reasons = set()

    def reason_for(path, line):
        t = texts[path][line - 1].strip()
        for i, (p, n, txt, why) in enumerate(reasons):
            if p == path and n == line and txt == t:
                used_reasons.add(i)
                return why
        return None

    out = []
    head = {}
    per_file = {}
    per_fn = {}
    unreached = {}
    edges = {}
    gaps, by_test, unreachable, edges_unreachable = {}, {}, {}, {}
    for side in ("rust", "c"):
        got = reached[side]
        files = defaultdict(lambda: [0, 0])
        fns = defaultdict(lambda: [0, 0])
        miss = []
        for (path, line), d in sorted(lines[side].items()):
            hit = bool(d["pcs"] & got)
            files[path][1] += 1
            fns[(path, d["fn"])][1] += 1
            if hit:
                files[path][0] += 1
                fns[(path, d["fn"])][0] += 1
            else:
                miss.append((path, line, d["fn"]))
        per_file[side], per_fn[side], unreached[side] = files, fns, miss
        el = []
        fo = fail_only[side]
        for path in sorted(sides[side]):
            prev = 0
            for line, kind in sorted(error_lines(path, texts[path], sides[side][path]).items()):
                region, callees = region_of(path, texts[path], prev, line)
                prev = line

                def inside(pc):
                    # A block of the statements, or of a function they call out of line.
                    return bool(pc_lines[pc] & region) or (
                        pc in frames and frames[pc] and
                        short_fn(frames[pc][-1][0]).split("::")[-1].split("<")[0].split(".")[0]
                        .removeprefix("rust_helper_") in callees)  # GCC's name.constprop.0

                d = lines[side].get((path, line))
                # A block of the line that only failed calls ran: its error branch.
                taken = d is not None and kind != "?" and bool(d["pcs"] & err_only[side])
                if not taken and kind == "goto":
                    # A failed call went from the statements before it to the goto's own block
                    # or to the label, by an edge no successful call took.
                    target = label_lines(path, texts[path], line) | {(path, line)}
                    taken = any(inside(x) and pc_lines[y] & target for x, y in fo)
                elif not taken:
                    # The error branch of a `?` (or of a line without an error-only block): a
                    # failed call went from the statements that lead to it to code outside
                    # them by an edge that no successful call took.
                    taken = any(inside(x) and not inside(y) for x, y in fo)
                el.append((path, line, kind, taken))
        edges[side] = el
        r = sum(v[0] for v in files.values())
        t = sum(v[1] for v in files.values())
        e_t = sum(1 for x in el if x[3])
        e_n = len(el)
        head[side] = (r, t, e_t, e_n)
        # The gaps: an unreached line or an edge not taken without a reason, and the edges that
        # only a test shows.
        gaps[side] = [x for x in miss if not reason_for(x[0], x[1])]
        gaps[side] += [x for x in el if not x[3] and not reason_for(x[0], x[1])]
        # An edge without blocks of its own (a function inlined whole) is the branch of another
        # error edge ("merged: FILE:LINE"), taken when that one is.
        taken_at = {(x[0], x[1]): x[3] for x in el}
        for x in el:
            why = reason_for(x[0], x[1]) or ""
            m = re.match(r"merged: (\S+):(\d+) ", why)
            if not x[3] and m and not taken_at.get((m.group(1), int(m.group(2)))):
                gaps[side].append(x)  # the edge it names is not taken (or is no edge)
        by_test[side] = [x for x in el if not x[3] and x not in gaps[side] and
                         re.match(r"test:|merged: ", reason_for(x[0], x[1]) or "")]
        # The lines that can be reached: the instrumented ones but those a reason calls
        # unreachable.
        unreachable[side] = [x for x in miss
                             if (reason_for(x[0], x[1]) or "").startswith("unreachable")]
        edges_unreachable[side] = [x for x in el if not x[3] and
                                   (reason_for(x[0], x[1]) or "").startswith("unreachable")]

    def pct(r, t):
        return f"{100.0 * r / t:.1f} %" if t else "-"

    out.append("# Coverage of unshare(2): the Rust implementation and the C path")
    out.append("")
    out.append("Written by `make coverage` (tests/coverage/run.sh, report.py); `make check` checks that")
    out.append("the sources it describes are the tree's (`make check-coverage`). How it is measured:")
    out.append("[docs/coverage.md](../coverage.md).")
    out.append("")
    out.append(f"Sources: {digest}")
    out.append("")
    rr, rt, re_, rn = head["rust"]
    cr, ct, ce, cn = head["c"]
    out.append("| implementation | lines reached | of the reachable lines | error edges taken | "
               "of the reachable edges | taken, shown by a test or a merged edge | without a reason |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    for side, name, (r, t, et, en) in (("rust", "Rust (unshare.impl=rust)", head["rust"]),
                                       ("c", "C (unshare.impl=c)", head["c"])):
        u, eu = len(unreachable[side]), len(edges_unreachable[side])
        out.append(f"| {name} | {r} of {t} ({pct(r, t)}) | {r} of {t - u} ({pct(r, t - u)}) | "
                   f"{et} of {en} | {et} of {en - eu} | {len(by_test[side])} | {len(gaps[side])} |")
    out.append("")
    out.append("Every line not reached and every edge not taken is listed below with the reason it")
    out.append("cannot be reached (tests/coverage/unreachable.txt), the test that takes it where the")
    out.append("edges cannot show it, or the taken edge whose branch it is (a function inlined whole);")
    out.append("\"without a reason\" counts those that have none, or whose merged edge is not taken.")
    out.append("")
    out.append("## The runs")
    out.append("")
    out.append("| implementation | program | exit status | seconds |")
    out.append("| --- | --- | --- | --- |")
    for impl, log in (("rust", a.log_rust), ("c", a.log_c)):
        for name, rc, sec in results(log):
            out.append(f"| {impl} | {name} | {rc} | {sec} |")
    out.append("")
    for impl, log in (("rust", a.log_rust), ("c", a.log_c)):
        c = counters(log)
        out.append(f"- {impl}: {c['calls']} unshare(2) calls, {c['measured']} measured, "
                   f"{c['missed']} not measured (other tasks held every KCOV descriptor of the pool), "
                   f"{c['truncated']} with a full trace buffer, {c['overflow']} edges beyond the "
                   "store.")
    out.append("")
    for side, title in (("rust", "Rust side (the lines the series adds)"),
                        ("c", "C side (the functions only unshare.impl=c runs)")):
        out.append(f"## {title}: per file")
        out.append("")
        out.append("| file | lines reached | error edges taken |")
        out.append("| --- | --- | --- |")
        for path, (r, t) in sorted(per_file[side].items()):
            ee = [x for x in edges[side] if x[0] == path]
            out.append(f"| {path} | {r} of {t} | {sum(1 for x in ee if x[3])} of {len(ee)} |")
        out.append("")
        out.append("<details><summary>per function</summary>")
        out.append("")
        out.append("| file | function | lines reached |")
        out.append("| --- | --- | --- |")
        for (path, fn), (r, t) in sorted(per_fn[side].items()):
            out.append(f"| {path} | `{fn}` | {r} of {t} |")
        out.append("")
        out.append("</details>")
        out.append("")
    for side in ("rust", "c"):
        out.append(f"## Unreached lines ({'Rust' if side == 'rust' else 'C'})")
        out.append("")
        if not unreached[side]:
            out.append("None.")
        for path, line, fn in unreached[side]:
            why = reason_for(path, line) or "NO REASON YET"
            out.append(f"- {path}:{line} `{texts[path][line - 1].strip()}` ({fn}): {why}")
        out.append("")
        out.append(f"## Error edges ({'Rust' if side == 'rust' else 'C'})")
        out.append("")
        out.append("| line | kind | taken |")
        out.append("| --- | --- | --- |")
        for path, line, kind, taken in edges[side]:
            state = "yes" if taken else f"no: {reason_for(path, line) or 'NO REASON YET'}"
            out.append(f"| {path}:{line} `{texts[path][line - 1].strip()}` | {kind} | {state} |")
        out.append("")
    out.append("## Error paths of one implementation only")
    out.append("")
    out.append(ONE_SIDED)
    out.append("")
    stale = [reasons[i] for i in range(len(reasons)) if i not in used_reasons]
    if stale:
        out.append("## Reasons in unreachable.txt that match no unreached line")
        out.append("")
        for p, n, t, _ in stale:
            out.append(f"- {p}:{n}: `{t}`")
        out.append("")
    open(a.out, "w").write("\n".join(out))
    print(f"coverage: Rust {rr} of {rt} lines, error edges {re_} of {rn}; "
          f"C {cr} of {ct} lines, error edges {ce} of {cn}; without a reason: "
          f"Rust {len(gaps['rust'])}, C {len(gaps['c'])}; report in {a.out}")


if __name__ == "__main__":
    main()
