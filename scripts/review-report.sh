#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# review-report.sh: the report.md of scripts/review.sh, on stdout, from what
# review.sh left in $out (and the variables it exports). Plain text with
# fixed-width tables, to paste into a mail: the verdict and the classes on
# the first screen, then the first class's KUnit case, what was run, and
# each class in detail.
set -uo pipefail

: "${out:?}" "${build:?}" "${top:?}"

tree_var()	# GENERATED_DIR NAME: a string of iopt_tree_config.h
{
	sed -n "s/^#define $2 \"\(.*\)\"$/\1/p" "$1/iopt_tree_config.h"
}

arm_sha()	# GENERATED_DIR: io-pgtable-arm.c's SHA-256, shortened
{
	grep -F '"drivers/iommu/io-pgtable-arm.c",' "$1/iopt_tree_config.h" |
		sed 's/.*", "\([0-9a-f]\{12\}\).*/\1/'
}

contract()	# GENERATED_DIR
{
	sed -n 's/^#define IOPT_CONTRACT_NAME "\(.*\)"$/\1/p' "$1/iopt_contract_config.h"
}

kind_of()	# VERDICT SIGNATURE: how the report files a class
{
	case $2 in
	known:contract-*)	echo "contract" ;;
	known:both-*)		echo "shared" ;;
	known:*)		echo "known bug" ;;
	*)			[ "$1" = crash ] && echo "crash" || echo "unexplained" ;;
	esac
}

gb=$build/generated gp=$build/patched/generated
vb=$(tree_var "$gb" IOPT_TREE_VERSION) vp=$(tree_var "$gp" IOPT_TREE_VERSION)
nclasses=$(wc -l <"$out/classes.tsv")
nunexp=$(awk -F'\t' '$2 != "known"' "$out/classes.tsv" | wc -l)
nchange=$(awk -F'\t' '$3 !~ /^known:both-/' "$out/classes.tsv" | wc -l)
# one tree passing its own selftests and the other not: a difference too
nunexp=$((nunexp + ${st_differ:-0}))
nchange=$((nchange + ${st_differ:-0}))

echo "iopt-fuzz review: $vb (base) against $vp (patched)"
echo
if [ "$nunexp" -gt 0 ]; then
	echo "VERDICT: the trees differ in $nunexp way(s) no contract explains ($nchange class(es) of difference in all)."
elif [ "$nchange" -gt 0 ]; then
	echo "VERDICT: the trees differ only as their contracts and known bugs explain ($nchange class(es))."
else
	echo "VERDICT: no behavioural difference found in what was run (below)."
fi
echo
printf '  %-8s %-10s %-12s %s\n' base "$vb" "$(arm_sha "$gb")" "$(tree_var "$gb" IOPT_TREE_SOURCE)"
printf '  %-8s %-10s %-12s %s\n' patched "$vp" "$(arm_sha "$gp")" "$(tree_var "$gp" IOPT_TREE_SOURCE)"
echo "  (version, io-pgtable-arm.c's SHA-256, source; contracts: base $(contract "$gb"), patched $(contract "$gp"))"
if [ -n "${IOPT_REVIEW_SUBJECTS:-}" ]; then
	echo "  patches applied to a copy of the base's files:"
	printf '%s\n' "$IOPT_REVIEW_SUBJECTS" | sed 's/^/    - /'
fi
[ -z "${notices:-}" ] || printf '%s\n' "$notices" | sed 's/^/  /'
if [ -n "${st_base:-}" ]; then
	echo "  each tree's own selftests (io-pgtable-arm's, in its kernel and hyp ports; selftests/):"
	echo "    base:    $st_base"
	echo "    patched: $st_patched"
	[ "${st_differ:-0}" = 0 ] ||
		echo "    (one tree passes them and the other does not: a difference, counted in the verdict)"
fi
echo

if [ "$nclasses" -gt 0 ]; then
	echo "Classes (one minimized reproducer each, in classes/NN/):"
	echo
	printf '  %-3s %5s  %-11s %-40s %-10s %s\n' "" count kind class reproducer formats
	printf '  %-3s %5s  %-11s %-40s %-10s %s\n' "" ----- ----------- \
		---------------------------------------- ---------- -------
	i=0
	while IFS=$'\t' read -r count verdict sig input formats; do
		i=$((i + 1))
		d=classes/$(printf '%02d' $i)
		ops=$(sed -n 's/^Minimized from .* to \([0-9]*\) ops.*/\1 ops/p' "$out/$d/README" 2>/dev/null)
		printf '  %02d  %5s  %-11s %-40s %-10s %s\n' $i "$count" \
			"$(kind_of "$verdict" "$sig")" "$sig" "${ops:-not minimized}" \
			"${formats:--}"
	done <"$out/classes.tsv"
	echo
	echo "  unexplained: a difference no contract predicts, or one tree breaking its"
	echo "  contract; contract: each tree keeps its own contract, which differ; known bug:"
	echo "  a known upstream bug of one tree; shared: both trees fail alike (docs/review.md)."
	echo
fi

# The first class with a KUnit case, in full: what a reviewer pastes.
first=""
for d in "$out"/classes/*/; do
	[ -f "$d/kunit-result" ] || continue
	first=${d%/}
	break
done
# (a case expects what the contract of the tree whose oracle reported
# says, the patched tree's first: where the contracts differ, the other
# tree may fail it for that alone)
differ_note=""
[ "$(contract "$gb")" = "$(contract "$gp")" ] ||
	differ_note=" (it expects what the contract of the tree whose oracle reported says, the patched tree's first; the contracts differ: base $(contract "$gb"), patched $(contract "$gp"))"
if [ -n "$first" ]; then
	verb() { [ "$1" = pass ] && echo passes || echo fails; }
	echo "KUnit case of class $(basename "$first") ($(cat "$first/signature")): in iopt-fuzz's KUnit shim (scripts/kunit-case.sh) it $(verb "$(sed -n 's/^patched //p' "$first/kunit-result")") on patched and $(verb "$(sed -n 's/^base //p' "$first/kunit-result")") on base${differ_note}:"
	echo
	echo '```c'
	cat "$first/kunit.c"
	echo '```'
	echo
fi

echo "What was run:"
echo
nseed=$(wc -l <"$out/corpus.tsv")
execs=$(sed -n 's/^executions: *\([0-9]*\).*/\1/p' "$out/campaign.log" | tail -n 1)
echo "  shipped corpus: $nseed inputs (corpus/seeds, corpus/regressions)"
echo "  campaign:       ${secs}s, $workers worker(s), ${execs:-?} programs run (campaign/, campaign.log)"
if [ -d "$out/campaign/corpus" ]; then
	# the header of each program: format (byte 0), coherent walk (byte 5)
	find "$out/campaign/corpus" "$top/corpus/seeds" -type f -print0 |
	# (one od per file: od reads several files as one stream; a file
	# shorter than the header reads as zeros past its end, as the
	# decoder reads it)
	xargs -0 -r sh -c 'for f; do { head -c 8 "$f"; printf "\0\0\0\0\0\0\0\0"; } |
		od -An -tu1 -N8 -v -w8; done' sh 2>/dev/null | awk '
		NF >= 6 { n++; f[$1 % 5]++; nc += $6 % 2; ca += $7 % 2 }
		END {
			split("arm32-s1 arm32-s2 arm64-s1 arm64-s2 mali", name, " ")
			printf "  programs kept:  %d; by format:", n
			for (i = 0; i < 5; i++) printf " %s %d", name[i + 1], f[i]
			printf "; non-coherent walk %d, cfg->alloc %d\n", nc, ca
		}'
fi
echo "  coverage of drivers/iommu/io-pgtable-arm.c by the corpus (selftests excluded):"
echo "    base:    ${cov_base:-?}"
echo "    patched: ${cov_patched:-?}"
echo "  took $(( $(date +%s) - ${t_start:-$(date +%s)} ))s: ${cmdline:-scripts/review.sh}"
echo

[ "$nclasses" -gt 0 ] || exit 0
echo "Classes in detail:"
i=0
while IFS=$'\t' read -r count verdict sig input formats; do
	i=$((i + 1))
	d=$out/classes/$(printf '%02d' $i)
	echo
	echo "--- $(printf '%02d' $i): $sig ($count input(s), $(kind_of "$verdict" "$sig"); formats: ${formats:--}) ---"
	if [ ! -f "$d/input" ]; then
		echo "  not minimized (the first input: $input)"
		continue
	fi
	sed -n 's/^\(Minimized from.*\)/  \1/p' "$d/README"
	echo "  reproducer: classes/$(basename "$d")/input; replay: ${build#"$out"/}/iopt-review -v classes/$(basename "$d")/input"
	echo
	sed -n '/^ops (/p; /^  #[0-9]/p; /^what differs/p; /^base.s oracle/p; /^patched.s oracle/p; /^iopt-review: known/p; /^before it/p' \
		"$d/trace.txt" | sed 's/^/  /'
	if [ -f "$d/kunit-result" ]; then
		echo "  KUnit case: classes/$(basename "$d")/kunit.c (in the shim: $(sed 's/ /: /' "$d/kunit-result" | paste -sd, - | sed 's/,/, /'))"
	else
		echo "  KUnit case: none (both trees keep their contracts: see classes/$(basename "$d")/kunit.c)"
	fi
done <"$out/classes.tsv"
