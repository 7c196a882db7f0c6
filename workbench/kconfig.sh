#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes OBJ/.config: tinyconfig plus the fragments, then checks every requested option landed
# (the last fragment that sets an option wins, as in merge_config.sh).
# Usage: kconfig.sh KSRC OBJ FRAGMENT...   (KMAKE: the kernel's make command, without O= or target)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ksrc=$1 obj=$2
shift 2
read -r -a kmake <<<"${KMAKE:?KMAKE must be set}"
mkdir -p "$obj"
"${kmake[@]}" -C "$ksrc" O="$obj" -s tinyconfig >/dev/null
cat "$@" >"$obj/fragment.config"
"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$obj/fragment.config" >/dev/null
"${kmake[@]}" -C "$ksrc" O="$obj" -s olddefconfig >/dev/null
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n)
		sym=${line%=n}
		if grep -q "^$sym=" "$obj/.config"; then
			echo "config: $sym is set, the fragment wants it off" >&2
			bad=1
		fi
		;;
	CONFIG_*=*)
		if ! grep -qx "$line" "$obj/.config"; then
			echo "config: $line did not stick (a missing dependency?)" >&2
			bad=1
		fi
		;;
	esac
done < <(awk -F= '/^CONFIG_/ { last[$1] = $0 } END { for (s in last) print last[s] }' "$obj/fragment.config")
[ $bad = 0 ] || die "the kernel config in $obj lacks options of $*: fix the fragment"
