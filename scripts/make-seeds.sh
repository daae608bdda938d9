#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/make-seeds.sh BUILD_DIR: regenerate corpus/seeds/ from
# fuzz/seedgen.c, minimised with libFuzzer's merge (a seed that adds no
# coverage of the kernel files is left out), keeping the generator's names.
# The seeds named in corpus/seeds.keep are kept whatever the merge says:
# they reach a value at a boundary (an ias that gives exactly 16 level-0
# entries, a page size above the top level) along branches others cover,
# which coverage cannot tell apart, and mutants there survive without them.
# The new set is built in a fresh directory and swapped in only when it is
# complete; the old one is kept as corpus/seeds.old-<time>.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:?usage: scripts/make-seeds.sh BUILD_DIR}
for t in iopt-seedgen iopt-fuzz iopt-replay; do
	[ -x "$bdir/$t" ] || { echo "iopt: no $t in '$bdir'" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bdir/iopt-seedgen" "$work/all" >/dev/null
mkdir "$work/merged" "$work/new"
"$bdir/iopt-fuzz" -merge=1 "$work/merged" "$work/all" >"$work/merge.log" 2>&1 ||
	{ tail -n 20 "$work/merge.log"; exit 1; }
declare -A name_of
for f in "$work/all"/*; do
	name_of[$(sha1sum < "$f" | cut -d' ' -f1)]=$(basename "$f")
done
for f in "$work/merged"/*; do
	cp "$f" "$work/new/${name_of[$(basename "$f")]}"
done
while read -r keep _; do
	case $keep in ''|'#'*) continue ;; esac
	[ -f "$work/all/$keep" ] ||
		{ echo "iopt: corpus/seeds.keep names '$keep', which fuzz/seedgen.c no longer makes" >&2; exit 1; }
	cp "$work/all/$keep" "$work/new/$keep"
done < <(cat "$top/corpus/seeds.keep" 2>/dev/null || true)
"$bdir/iopt-replay" "$work/new" >/dev/null ||
	{ echo "iopt: the new seeds do not replay clean" >&2; exit 1; }
mkdir -p "$top/corpus"
if [ -d "$top/corpus/seeds" ]; then
	old="$top/corpus/seeds.old-$(date +%Y%m%d-%H%M%S)"
	mv "$top/corpus/seeds" "$old"
	echo "iopt: the previous seeds are in $old"
fi
cp -r "$work/new" "$top/corpus/seeds"
echo "iopt: $(ls "$top/corpus/seeds" | wc -l) of $(ls "$work/all" | wc -l) seeds kept in corpus/seeds"
