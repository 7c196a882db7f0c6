#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The misuses that the series' abstractions must refuse at compile time: every
# ```ignore,compile_fail,EXXXX``` example in the Rust files that the series adds or changes is
# type-checked as a module of the kernel crate (most of what it uses is crate-private: only
# `kernel::unshare` uses it) and must fail with exactly that error. The kernel's KUnit doctests
# run only the examples that compile, as an external crate (a compile_fail example would break
# their generator, hence "ignore", as rust/kernel/types/for_lt.rs does); these are the rest.
#
#   workbench/compile-fail.sh OBJ KSRC
#
# OBJ is a kernel build folder (with rust/.kernel.o.cmd), KSRC its source tree. One line per
# example, "compile-fail: ok|FAIL FILE:LINE ...", then "N passed, N failed".
set -euo pipefail
obj=$(cd "${1:?usage: compile-fail.sh OBJ KSRC}" && pwd)
ksrc=$(cd "${2:?usage: compile-fail.sh OBJ KSRC}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ -r "$obj/rust/.kernel.o.cmd" ] || die "$obj/rust/.kernel.o.cmd is missing: build the kernel with CONFIG_RUST first (make kernel)"
cmd=$(sed -n 's/^savedcmd_rust\/kernel.o := *//p' "$obj/rust/.kernel.o.cmd")
[ -n "$cmd" ] || die "no rustc command line in $obj/rust/.kernel.o.cmd"
root="$ksrc/rust/kernel/lib.rs"
[[ $cmd == *" $root "* ]] || die "the rustc command line in $obj/rust/.kernel.o.cmd does not build $root"
# The kernel crate's own rustc invocation (without the objtool run that follows), turned into a
# type check of a copy of the crate with one more module, the example.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rustc_cmd=$(sed 's/ --emit=[^ ]*//g' <<<"${cmd%%;*}")
rustc_cmd="${rustc_cmd/" $root "/" $work/kernel/lib.rs "} --emit=metadata=$work/out.rmeta"
cp -r "$ksrc/rust/kernel" "$work/kernel"
printf '\n#[allow(unused, missing_docs, unreachable_pub, clippy::all)]\nmod compile_fail_example;\n' >>"$work/kernel/lib.rs"

files=(rust/kernel/task.rs rust/kernel/cred.rs rust/kernel/nsproxy.rs rust/kernel/namespace.rs rust/kernel/mm.rs
	rust/kernel/fs/fs_struct.rs rust/kernel/fs/files_struct.rs)
passed=0 failed=0
check() { # name code source
	local name=$1 code=$2 src=$3 out
	cp "$src" "$work/kernel/compile_fail_example.rs"
	out=$(cd "$obj" && RUSTC_BOOTSTRAP=1 eval "$rustc_cmd" 2>&1) && rc=0 || rc=$?
	if [ "$code" = none ]; then
		if [ "$rc" = 0 ]; then
			passed=$((passed + 1))
			echo "compile-fail: ok $name compiles"
		else
			failed=$((failed + 1))
			echo "compile-fail: FAIL $name does not compile, so no example can be judged:"
			echo "$out" | head -20
		fi
	elif [ "$rc" != 0 ] && grep -q "^error\[$code\]" <<<"$out" && grep -q compile_fail_example.rs <<<"$out"; then
		passed=$((passed + 1))
		echo "compile-fail: ok $name fails with $code"
	else
		failed=$((failed + 1))
		echo "FAIL: compile-fail: $name should fail with $code, in the example (rustc exit status $rc):"
		echo "$out" | grep -E -A3 '^error' | head -12
	fi
}
wrap() { # body-file > source, as rustdoc wraps a doctest, as a module of the crate
	printf 'use kernel::prelude::*;\n'
	if grep -v '^[[:space:]]*$' "$1" | tail -n1 | grep -q '^Ok::<'; then
		printf 'fn example() -> core::result::Result<(), impl core::fmt::Debug> {\n'
	else
		printf 'fn example() {\n'
	fi
	cat "$1"
	printf '}\n'
}

# The harness itself: an empty example must compile.
: >"$work/empty"
wrap "$work/empty" >"$work/control.rs"
check "control (empty example)" none "$work/control.rs"

n=0
for f in "${files[@]}"; do
	[ -r "$ksrc/$f" ] || continue
	# Each example: "LINE CODE" on a line of its own, then its lines (doc comment marker and
	# one space removed; rustdoc's "# " hidden lines kept), then "@@@ END".
	awk '
		/^ *\/\/\/ ```(ignore,)?compile_fail/ {
			code = $0; sub(/.*compile_fail,?/, "", code); if (code == "") code = "any"
			print "@@@ " FNR " " code; inside = 1; next
		}
		inside && /^ *\/\/\/ ```/ { print "@@@ END"; inside = 0; next }
		inside { l = $0; sub(/^ *\/\/\/ ?/, "", l); sub(/^# /, "", l); sub(/^#$/, "", l); print l }
	' "$ksrc/$f" >"$work/examples"
	while IFS= read -r line; do
		case $line in
		"@@@ END")
			wrap "$work/body" >"$work/example.rs"
			[ "$code" != any ] || die "$f:$lineno: give the expected error code (\`\`\`ignore,compile_fail,E0599)"
			check "$f:$lineno" "$code" "$work/example.rs"
			n=$((n + 1))
			;;
		"@@@ "*)
			read -r _ lineno code <<<"$line"
			: >"$work/body"
			;;
		*) printf '%s\n' "$line" >>"$work/body" ;;
		esac
	done <"$work/examples"
done
[ "$n" -gt 0 ] || { failed=$((failed + 1)); echo "FAIL: compile-fail: no compile_fail example found in ${files[*]}"; }
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
