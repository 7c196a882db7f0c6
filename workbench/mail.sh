#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The two mail sets of the series, as the lists receive them, made from patches/ (the source of
# truth, written by make export) and the cover letters of mail/:
#   port    patch 1 up to the one before the boundary: the Rust unshare(2), [PREFIX 00/K];
#   opt-in  the boundary up to the patch before the last: the opt-in uAPI, on top of the port.
# Debian's patch, the last of patches/, is for Debian's tree only and in neither set.
#
# mail/port.txt and mail/opt-in.txt keep the cover letters: a header (first line
# "Subject: <subject>", then "Prefix: <subject prefix>", extra "To: <address>"/"Cc: <address>"
# lines, one address each, "# comments"), an empty line, the body. The boundary is named in
# one place: the "First-patch:" line of mail/opt-in.txt, the subject of the opt-in's first
# patch. The opt-in's body may name the port's cover letter as @PORT_SUBJECT@ and
# @PORT_MESSAGE_ID@.
#
# git format-patch --cover-letter --thread --base=<base> gives the counts, the shortlog, the
# diffstat, base-commit (and the opt-in's prerequisite-patch-id lines); the recipients are
# scripts/get_maintainer.pl's for the patches of each set (maintainers To:, reviewers and lists
# Cc:, without git history), with the MAINTAINERS of the set's last patch, plus the To:/Cc:
# lines of the text. The same series gives the same files: the cover letter's Date: and From: are the
# set's last patch's, and the Message-IDs carry, instead of the time of the run, a token of
# the set, its prefix and its last patch's date (so change the prefix, e.g. "RESEND RFC PATCH",
# to post the same series again).
#
#   mail.sh [REPO]           write them to $B/mail/port and $B/mail/opt-in (make mail)
#   mail.sh --check [REPO]   write them to a temporary folder, check the cover letters and the
#                            split, and git am the port then the opt-in onto base: the tree must
#                            be that of the series without its last patch (make verify-series;
#                            passes at once while patches/ and mail/ are as they were)
# REPO: the git repository with the tag "base" (default $B/linux); a temporary worktree of it
# is made under /tmp and removed at the end (MAIL_KEEP=1 keeps the temporary folder). Nothing
# else of REPO is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
check=
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
B=${B:-$top/build}
PATCHES=${PATCHES:-$top/patches}
export PATCHES
repo=${1:-$B/linux}
texts="$top/mail"
# No user or system git configuration (format.*, am.*, diff.*): the same series gives the same
# files whoever runs it.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

git -C "$repo" rev-parse -q --verify 'base^{commit}' >/dev/null 2>&1 ||
	die "$repo is not a git repository with the tag base: run make tree first"
base=$(git -C "$repo" rev-parse 'base^{commit}')
# --check passes at once when nothing it reads has changed since it last passed.
stamp="$B/stamps/mail-check"
key=$({
	echo "$base"
	git --version
	series_patches | xargs -r cat
	cat "$texts"/port.txt "$texts"/opt-in.txt "$here/mail.sh" "$here/lib.sh" 2>/dev/null
} | sha256sum | cut -d' ' -f1)
if [ -n "$check" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
	echo "series: mail sets: as checked before (patches/ and mail/ unchanged)"
	exit 0
fi

# --- the cover letter texts ---------------------------------------------------------------
# read_text FILE: sets t_subject, t_prefix, t_first, t_to[], t_cc[], t_body.
read_text() {
	local f=$1 name=${1#"$top"/} line key val i=0 head=1
	t_subject='' t_prefix='' t_first='' t_body=''
	t_to=() t_cc=()
	[ -f "$f" ] || die "$name is missing"
	local -a lines
	mapfile -t lines <"$f"
	[[ ${lines[0]:-} == "Subject: "?* ]] ||
		die "$name: the first line must be 'Subject: <the subject of the cover letter>'"
	for line in "${lines[@]}"; do
		i=$((i + 1))
		if [ $head = 1 ]; then
			[ -n "$line" ] || { head=0; continue; }
			[[ $line == '#'* ]] && continue
			[[ $line == *': '?* ]] || die "$name:$i: not a header line 'Key: value' (the header ends at the first empty line)"
			key=${line%%: *} val=${line#*: }
			case $key in
			Subject) [ $i = 1 ] || die "$name:$i: Subject: is the first line only"
				t_subject=$val ;;
			Prefix) t_prefix=$val ;;
			First-patch) t_first=$val ;;
			To) t_to+=("$val") ;;
			Cc) t_cc+=("$val") ;;
			*) die "$name:$i: unknown header '$key' (Subject, Prefix, First-patch, To, Cc)" ;;
			esac
			continue
		fi
		t_body+=$line$'\n'
	done
	t_body=$(sed -e '/./,$!d' <<<"$t_body")
	[ -n "$t_body" ] || die "$name has no body (after the header and an empty line)"
	[ -n "$t_prefix" ] || die "$name has no 'Prefix: <subject prefix>' line (e.g. Prefix: RFC PATCH)"
	if LC_ALL=C grep -n '[^[:print:][:space:]]' "$f" >&2; then
		die "$name: the lines above are not ASCII (a cover letter of git format-patch has no MIME header)"
	fi
	if awk 'body && length > 75 { printf "%d: %s\n", NR, $0; bad = 1 } /^$/ { body = 1 } END { exit !bad }' "$f" >&2; then
		die "$name: the lines above of the body are longer than 75 characters"
	fi
}

read_text "$texts/port.txt"
[ -z "$t_first" ] || die "mail/port.txt has a First-patch: line: the boundary is named in mail/opt-in.txt only (the port starts at patch 1)"
port_subject=$t_subject port_prefix=$t_prefix port_body=$t_body
port_to=("${t_to[@]}") port_cc=("${t_cc[@]}")
read_text "$texts/opt-in.txt"
[ -n "$t_first" ] || die "mail/opt-in.txt has no 'First-patch: <subject>' line: the subject of the opt-in's first patch (the boundary)"
opt_subject=$t_subject opt_prefix=$t_prefix opt_body=$t_body opt_first=$t_first
opt_to=("${t_to[@]}") opt_cc=("${t_cc[@]}")

# --- the patches and the boundary ---------------------------------------------------------
mapfile -t patches < <(series_patches)
n=${#patches[@]}
[ "$n" -ge 3 ] || die "patches/ has $n patches: the port, the opt-in and Debian's need 3 at least"
subjects=()
for i in "${!patches[@]}"; do
	p=${patches[$i]}
	want=$(printf '%04d-' $((i + 1)))
	case $(basename "$p") in
	"$want"*) ;;
	*) die "patches/ is not numbered from 0001 without gaps: $(basename "$p") is patch $((i + 1)) (run make export)" ;;
	esac
	s=$(git mailinfo /dev/null /dev/null <"$p" | sed -n 's/^Subject: //p')
	[ -n "$s" ] || die "$(basename "$p") has no subject"
	subjects+=("$s")
done
last=$((n - 1))
[[ ${subjects[$last]} == *Debian* ]] ||
	die "the last patch, $(basename "${patches[$last]}"), is not Debian's (its subject does not name Debian): the series must end with Debian's patch, which no mail set carries"
for ((i = 0; i < last; i++)); do
	[[ ${subjects[$i]} != *Debian* ]] ||
		die "$(basename "${patches[$i]}") names Debian in its subject but is not the last patch: Debian's patch must be the last, and only it is left out of the mail sets"
done
first=
for ((i = 0; i < n; i++)); do
	if [ "${subjects[$i]}" = "$opt_first" ]; then
		[ -z "$first" ] || die "mail/opt-in.txt, First-patch: two patches have the subject '$opt_first': $(basename "${patches[$first]}") and $(basename "${patches[$i]}")"
		first=$i
	fi
done
[ -n "$first" ] || die "mail/opt-in.txt, First-patch: no patch of patches/ has the subject '$opt_first' (set it to the subject of the opt-in's first patch, without its [PATCH n/m] prefix; git mailinfo /dev/null /dev/null <patches/NNNN-*.patch prints it)"
[ "$first" -gt 0 ] || die "mail/opt-in.txt, First-patch: names patch 1, but the port starts at patch 1 and cannot be empty"
[ "$first" -lt "$last" ] || die "mail/opt-in.txt, First-patch: names Debian's last patch, which is in neither set: the opt-in would be empty"
k=$first              # the port: patches 1..k
m=$((last - first))   # the opt-in: patches k+1..k+m

# --- the tree: patches/ but the last applied onto base, in a temporary worktree -----------
# A sparse worktree: only the files the patches touch, MAINTAINERS, .mailmap, the
# .gitattributes and scripts/get_maintainer.pl are checked out (the whole tree takes long to
# write and delete).
# The sparse checkout is set for this worktree alone: its own info/sparse-checkout, and
# core.sparseCheckout on the command line of each git call in it (wgit), not in REPO's config.
tmp=$(mktemp -d /tmp/unshare-mail.XXXXXX)
wt="$tmp/wt"
cleanup() {
	if [ -d "$wt" ]; then
		git -C "$repo" worktree remove --force "$wt" >/dev/null 2>&1 || true
	fi
	[ -n "${MAIL_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
wgit() {
	git -C "$wt" -c core.sparseCheckout=true -c core.sparseCheckoutCone=false "$@"
}
git -C "$repo" worktree add -q --no-checkout --detach "$wt" "$base"
gitdir=$(git -C "$wt" rev-parse --absolute-git-dir)
mkdir -p "$gitdir/info"
{
	printf '/%s\n' MAINTAINERS .mailmap scripts/get_maintainer.pl
	# and the .gitattributes, for the hunk headers of diff=rust and others
	git -C "$wt" ls-tree -r --name-only "$base" | grep '\(^\|/\)\.gitattributes$' | sed 's|^|/|'
	sed -n 's|^diff --git a/\(.*\) b/\(.*\)$|/\1\n/\2|p' "${patches[@]}" | sed 's/[][*?!#\\]/\\&/g'
} | sort -u >"$gitdir/info/sparse-checkout"
wgit read-tree -mu HEAD
# The author of the last patch stands for the sender (From: of the cover letters, the domain of
# the Message-IDs) and commits the patches in the worktree, at their author dates, so that the
# same patches give the same commits.
ident=$(git mailinfo /dev/null /dev/null <"${patches[$last]}")
export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
GIT_COMMITTER_NAME=$(sed -n 's/^Author: //p' <<<"$ident")
GIT_COMMITTER_EMAIL=$(sed -n 's/^Email: //p' <<<"$ident")
if [ -z "$GIT_COMMITTER_NAME" ] || [ -z "$GIT_COMMITTER_EMAIL" ]; then
	die "$(basename "${patches[$last]}") has no author"
fi
am() { # am PATCH...: git am onto the worktree's HEAD in one go, naming the patch that fails
	local before applied
	[ $# -gt 0 ] || return 0
	before=$(wgit rev-list --count HEAD)
	if ! wgit am -q --keep-cr --no-verify --committer-date-is-author-date "$@" >"$tmp/am.log" 2>&1; then
		applied=$(($(wgit rev-list --count HEAD) - before))
		wgit am --abort >/dev/null 2>&1 || true
		sed 's/^/  /' "$tmp/am.log" >&2
		die "$(basename "${@:$((applied + 1)):1}") does not apply onto base and the patches before it"
	fi
}
am "${patches[@]:0:k}"
port_tip=$(wgit rev-parse HEAD)
am "${patches[@]:k:m}"
opt_tip=$(wgit rev-parse HEAD)
want_tree=$(wgit rev-parse "HEAD^{tree}")

# recipients SET TIP FILE...: scripts/get_maintainer.pl --no-git --no-rolestats on the patches
# FILE..., with the MAINTAINERS of the tree at TIP (the set's last patch), without git history
# or a user's ~/.get_maintainer.conf, with Perl's hash order fixed (it orders some of the output):
# every recipient into $tmp/SET.all, the maintainers alone (--nor --nol) into $tmp/SET.m.
recipients() {
	local set=$1 tip=$2 kind
	shift 2
	wgit show "$tip:MAINTAINERS" >"$tmp/$set.MAINTAINERS"
	for kind in all m; do
		# shellcheck disable=SC2046 # no flags or --nor --nol
		(cd "$wt" && HOME=$tmp PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 ./scripts/get_maintainer.pl --no-tree --mpath "$tmp/$set.MAINTAINERS" \
			--no-git --no-git-fallback --no-rolestats $([ $kind = m ] && echo --nor --nol) "$@" \
			>"$tmp/$set.$kind" 2>"$tmp/$set.$kind.err") &
	done
}
recipients port "$port_tip" "${patches[@]:0:k}"
recipients opt-in "$opt_tip" "${patches[@]:k:m}"
for i in 1 2 3 4; do
	wait -n || { cat "$tmp"/*.err >&2; die "scripts/get_maintainer.pl failed"; }
done

# --- the two sets -----------------------------------------------------------------------------
out="$tmp/out"
# make_set SET RANGE PREFIX SUBJECT BODY: git format-patch into $out/SET, with the recipients of
# the text ($tmp/SET.to, SET.cc) and of get_maintainer.pl ($tmp/SET.m, SET.all).
make_set() {
	local set=$1 range=$2 prefix=$3 subject=$4 body=$5 kind a
	local -a args=(--no-to --no-cc)
	while IFS=$'\t' read -r kind a; do
		args+=("--$kind=$a")
	done < <(python3 - "$tmp/$set.to" "$tmp/$set.cc" "$tmp/$set.m" "$tmp/$set.all" <<'PY'
import email.header, re, sys
# To: the text's To: lines and the maintainers; Cc: the text's Cc: lines and every other
# recipient (reviewers, lists). Each address once (case-insensitive), in the first place it
# comes; none at a placeholder .invalid address (MAINTAINERS of the series names the submitter
# so until they set their own). Non-ASCII names are RFC 2047-encoded: no MIME header covers
# the headers.
def lines(f):
    return [l.strip() for l in open(f, encoding="utf-8")]
to = lines(sys.argv[1]) + lines(sys.argv[3])
cc = lines(sys.argv[2]) + lines(sys.argv[4])
seen = set()
for kind, lst in (("to", to), ("cc", cc)):
    for who in lst:
        m = re.match(r"^(.*?)\s*<([^<>]+)>$", who)
        name, addr = (m.group(1).strip('"'), m.group(2)) if m else ("", who)
        key = addr.strip().lower()
        if not who or "@" not in key or key.endswith(".invalid") or key in seen:
            continue
        seen.add(key)
        if name and not name.isascii():
            name = email.header.Header(name, "utf-8").encode()
        elif name and re.search(r'[()<>\[\]:;@\\,."]', name):
            name = '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
        print(f"{kind}\t{name} <{addr}>" if name else f"{kind}\t{addr}")
PY
	)
	wgit format-patch -q -o "$out/$set" --cover-letter --thread --base="$base" -n \
		--zero-commit --no-signature --no-signoff --no-notes --subject-prefix="$prefix" \
		"${args[@]}" "$range"
	SUBJECT=$subject BODY=$body SET=$set PREFIX=$prefix \
		DATE=$(wgit log -1 --format=%aD "${range#*..}") \
		python3 - "$out/$set" <<'PY'
import email.header, glob, hashlib, os, re, sys
d = sys.argv[1]
env = os.environ
name = env["GIT_COMMITTER_NAME"]
if not name.isascii():
    name = email.header.Header(name, "utf-8").encode()
elif re.search(r'[()<>\[\]:;@\\,."]', name):
    name = '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
sender = f"{name} <{env['GIT_COMMITTER_EMAIL']}>"
# The time of the run in the Message-IDs (<commit.TIME.git.email>, <cover.TIME.git.email>)
# becomes a token of the set, its prefix and its last patch's date.
token = hashlib.sha1(f"{env['SET']}\n{env['PREFIX']}\n{env['DATE']}".encode()).hexdigest()[:12]
for p in sorted(glob.glob(os.path.join(d, "*.patch"))):
    s = open(p, encoding="utf-8").read()
    head, sep, rest = s.partition("\n\n")
    head = re.sub(r"(<[^<>\s]+)\.[0-9]+(\.git\.[^<>\s]+>)", r"\g<1>." + token + r"\g<2>", head)
    if p.endswith("/0000-cover-letter.patch"):
        # The date and author of the last patch rather than the time and identity of the run.
        head = re.sub(r"^Date: .*$", lambda _: "Date: " + env["DATE"], head, count=1, flags=re.M)
        head = re.sub(r"^From: .*$", lambda _: "From: " + sender, head, count=1, flags=re.M)
        for mark, key in (("*** SUBJECT HERE ***", "SUBJECT"), ("*** BLURB HERE ***", "BODY")):
            if (head + rest).count(mark) != 1:
                sys.exit(f"error: git format-patch's cover letter has no '{mark}'")
            head = head.replace(mark, env[key])
            rest = rest.replace(mark, env[key])
    open(p, "w", encoding="utf-8").write(head + sep + rest)
PY
}
header() { # header FILE NAME: the value of the header NAME of FILE (unfolded)
	sed -e '/^$/q' "$1" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n[ \t]\+/ /g' | sed -n "s/^$2: //p" | head -n1
}
printf '%s\n' "${port_to[@]}" >"$tmp/port.to"
printf '%s\n' "${port_cc[@]}" >"$tmp/port.cc"
printf '%s\n' "${opt_to[@]}" >"$tmp/opt-in.to"
printf '%s\n' "${opt_cc[@]}" >"$tmp/opt-in.cc"
make_set port "$base..$port_tip" "$port_prefix" "$port_subject" "$port_body"
port_cover="$out/port/0000-cover-letter.patch"
port_full_subject=$(header "$port_cover" Subject)
port_msgid=$(header "$port_cover" Message-ID)
opt_body=${opt_body//@PORT_SUBJECT@/$port_full_subject}
opt_body=${opt_body//@PORT_MESSAGE_ID@/$port_msgid}
make_set opt-in "$port_tip..$opt_tip" "$opt_prefix" "$opt_subject" "$opt_body"
opt_cover="$out/opt-in/0000-cover-letter.patch"

# --- checks -----------------------------------------------------------------------------------
# check_set SET PREFIX SUBJECT COUNT FROM: the cover letter and the patches of a set.
check_set() {
	local set=$1 prefix=$2 subject=$3 count=$4 from=$5 d="$out/$1" f i s want msgid
	local -a files
	mapfile -t files < <(find "$d" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
	[ ${#files[@]} = "$count" ] || die "the $set set has ${#files[@]} patches, not $count"
	s=$(header "$d/0000-cover-letter.patch" Subject)
	want="[$prefix $(printf "%0${#count}d" 0)/$count] $subject"
	[ "$s" = "$want" ] || die "the $set cover letter's subject is '$s', not '$want'"
	[ ${#s} -le 75 ] || die "the $set cover letter's subject, '$s', is longer than 75 characters: shorten Subject: or Prefix: in mail/$set.txt"
	msgid=$(header "$d/0000-cover-letter.patch" Message-ID)
	[ -n "$msgid" ] || die "the $set cover letter has no Message-ID"
	[ -n "$(header "$d/0000-cover-letter.patch" To)" ] || die "the $set cover letter has no To:"
	if grep -n -e '\*\*\* SUBJECT HERE \*\*\*' -e '\*\*\* BLURB HERE \*\*\*' -e '@[A-Z_]*@' "$d/0000-cover-letter.patch" >&2; then
		die "the $set cover letter keeps a placeholder (above)"
	fi
	grep -qx "base-commit: $base" "$d/0000-cover-letter.patch" ||
		die "the $set cover letter has no 'base-commit: $base' line"
	for i in "${!files[@]}"; do
		f=${files[$i]}
		s=$(header "$f" Subject)
		want="[$prefix $(printf "%0${#count}d" $((i + 1)))/$count] ${subjects[$((from + i))]}"
		[ "$s" = "$want" ] || die "$set/$(basename "$f"): the subject is '$s', not '$want' ($(basename "${patches[$((from + i))]}"))"
		[ "$(header "$f" In-Reply-To)" = "$msgid" ] || die "$set/$(basename "$f") does not answer the $set cover letter"
	done
}
check_mails() {
	check_set port "$port_prefix" "$port_subject" "$k" 0
	check_set opt-in "$opt_prefix" "$opt_subject" "$m" "$k"
	# The opt-in's first patch is the boundary; the port's first is patch 1 (checked above), the
	# opt-in's last the patch before Debian's.
	[ "${subjects[$k]}" = "$opt_first" ] || die "the opt-in does not start at First-patch"
	# The opt-in names the port as its prerequisite: one patch-id per port patch.
	local f got want
	got=$(sed -n 's/^prerequisite-patch-id: //p' "$opt_cover" | sort)
	want=$(for f in "$out"/port/[0-9][0-9][0-9][0-9]-*.patch; do
		case $f in */0000-cover-letter.patch) continue ;; esac
		wgit patch-id --stable <"$f" | cut -d' ' -f1
	done | sort)
	[ "$got" = "$want" ] || die "the opt-in cover letter's prerequisite-patch-id lines are not the port's patches"
	! grep -q '^prerequisite-patch-id: ' "$port_cover" || die "the port cover letter names prerequisite patches: the port starts at base"
	# git am of the port, then of the opt-in, onto base: the series without Debian's patch.
	wgit checkout -q --detach "$base"
	local set
	local -a mails
	for set in port opt-in; do
		mapfile -t mails < <(find "$out/$set" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
		am "${mails[@]}"
	done
	got=$(wgit rev-parse "HEAD^{tree}")
	[ "$got" = "$want_tree" ] ||
		die "git am of the two mail sets onto base gives the tree $got, not $want_tree, that of patches/ but the last"
	[ "$(wgit rev-list --count "$base..HEAD")" = $((n - 1)) ] ||
		die "git am of the two mail sets onto base does not give $((n - 1)) commits"
}

if [ -n "$check" ]; then
	check_mails
	mkdir -p "$B/stamps"
	echo "$key" >"$stamp"
	echo "series: mail sets: port '$port_full_subject' (patches 1-$k), opt-in '$(header "$opt_cover" Subject)' (patches $((k + 1))-$((k + m))), Debian's patch $n in neither; git am of both onto base gives the series without its last patch"
	exit 0
fi
check_mails
dest="$B/mail"
mkdir -p "$dest"
rm -rf "$dest/port" "$dest/opt-in"
cp -r "$out/port" "$out/opt-in" "$dest/"
for set in port opt-in; do
	c="$dest/$set/0000-cover-letter.patch"
	echo "mail: ${dest#"$top"/}/$set: $(header "$c" Subject)"
	echo "      To: $(header "$c" To | tr ',' '\n' | grep -c .) addresses, Cc: $(header "$c" Cc | tr ',' '\n' | grep -c .)"
done
echo "mail: send with git send-email --no-thread (format-patch threaded them): port first, then the opt-in"
