#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make results: copies the latest results that the runs wrote under $B into docs/results/, the
# one place the documentation takes its figures from (workbench/check-figures.py holds the prose
# to it). Each file is copied as the run wrote it, under a line that says which run wrote it,
# when, and on which series (the sha256 of patches/ that the run recorded in OUTDIR/series; "not
# recorded" for a run made outside make or before the runs recorded it). What a run has not
# written is left as it is in docs/results/.
#
#   workbench/results.sh
#
#   $B/results/check.md                  make check (workbench/check-parts.sh)  -> check.md
#   $B/bench/report.md, bench.png        make bench                             -> bench.md, bench.png
#   $B/bench-kernels.md                  make bench-clang                       -> bench-kernels.md
#   $B/reliability-small/report.txt      make reliability-small                 -> reliability-small.md
#   $B/reliability/report.txt            make reliability                       -> reliability.md
#   $B/reliability-rounds/*.txt          make reliability-rounds                -> reliability-rounds.md
#   $B/reliability-mutants/summary.txt   make reliability-mutants               -> reliability-mutants.md
#   $B/reliability-kasan-small/report.txt  make reliability-kasan-small         -> reliability-kasan-small.md
#   $B/kcsan/kcsan.md                    make kcsan                             -> kcsan.md
#   $B/check-kasan/result.txt            make check-kasan                       -> check-kasan.md
#   $B/check-clang/result.txt            make check-clang                       -> check-clang.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
B=${B:?B must be set: run make results}
dest=$top/docs/results
mkdir -p "$dest"
copied=()

# when FILE: the time the run wrote FILE.
when() { date -u -r "$1" '+%Y-%m-%d %H:%M UTC'; }
# series DIR: the series the run of DIR recorded.
series() {
	if [ -s "$1/series" ]; then
		echo "series \`$(head -c 12 "$1/series")\`"
	else
		echo "series not recorded"
	fi
}
# header TITLE SOURCE TARGET DIR: the first lines of a copied result.
header() {
	printf '# %s\n\n' "$1"
	printf 'Copied by `make results` from `%s`, written by `%s` on %s (%s). Do not edit: run it again.\n\n' \
		"${2#"$top"/}" "$3" "$(when "$2")" "$(series "$4")"
}
# text TITLE TARGET OUT FILE...: the reports of a run, as text.
text() {
	local title=$1 target=$2 out=$3 f
	shift 3
	{
		header "$title" "$1" "$target" "$(dirname "$1")"
		for f in "$@"; do
			printf '`%s`:\n\n```text\n' "$(basename "$f")"
			tr -d '\r' <"$f"
			printf '```\n\n'
		done
	} >"$dest/$out.tmp"
	mv "$dest/$out.tmp" "$dest/$out"
	copied+=("$out")
}

if [ -f "$B/results/check.md" ]; then
	cp "$B/results/check.md" "$dest/check.md"
	copied+=(check.md)
fi
# markdown TARGET SOURCE DIR OUT: a Markdown report of a run, under the header, its own title
# one level down.
markdown() {
	{
		header "$1" "$2" "$1" "$3"
		sed '1s/^# /## /' "$2"
	} >"$dest/$4.tmp"
	mv "$dest/$4.tmp" "$dest/$4"
	copied+=("$4")
}

if [ -f "$B/bench/report.md" ]; then
	markdown "make bench" "$B/bench/report.md" "$B/bench" bench.md
	if [ -f "$B/bench/bench.png" ]; then
		cp "$B/bench/bench.png" "$dest/bench.png"
		copied+=(bench.png)
	fi
fi
if [ -f "$B/bench-kernels.md" ]; then
	markdown "make bench-clang" "$B/bench-kernels.md" "$B/bench-clang" bench-kernels.md
fi
for run in reliability-small reliability reliability-kasan-small; do
	[ -f "$B/$run/report.txt" ] || continue
	text "make $run: compare.py's report" "make $run" "$run.md" "$B/$run/report.txt"
done
if [ -f "$B/reliability-rounds/rounds.txt" ]; then
	text "make reliability-rounds: every round against every other" "make reliability-rounds" \
		reliability-rounds.md "$B/reliability-rounds/rounds.txt" "$B/reliability-rounds/report.txt"
fi
if [ -f "$B/reliability-mutants/summary.txt" ]; then
	text "make reliability-mutants: the seeded divergences" "make reliability-mutants" \
		reliability-mutants.md "$B/reliability-mutants/summary.txt"
fi
if [ -f "$B/kcsan/kcsan.md" ]; then
	{
		header "make kcsan" "$B/kcsan/kcsan.md" "make kcsan" "$B/kcsan"
		sed '1s/^# /## /' "$B/kcsan/kcsan.md"
	} >"$dest/kcsan.md.tmp"
	mv "$dest/kcsan.md.tmp" "$dest/kcsan.md"
	copied+=(kcsan.md)
fi
for run in check-kasan check-clang; do
	[ -f "$B/$run/result.txt" ] || continue
	text "make $run" "make $run" "$run.md" "$B/$run/result.txt"
done

if [ ${#copied[@]} = 0 ]; then
	die "no results under $B: run make check (or make bench, make reliability...) first"
fi
echo "results: docs/results/ now has, from $B: ${copied[*]}"
echo "results: commit docs/results/ with the change it measures"
