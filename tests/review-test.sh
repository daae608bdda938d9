#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# review-test.sh CASE WORK TREE_6_12 TREE_7_3: scripts/review.sh as a
# reviewer meets it. CASE is one of
#
#   planted-7.3   a table allocation of another size, a prot bit dropped,
#                 and a mailbox of two patches: a CMO one entry short, a
#                 missing TLB invalidation
#   planted-6.12  a leaked table, a missing TLB invalidation, split-on-unmap
#                 removed (which also fails the tree's own selftests)
#   same          base = patched (6.12): exit 0, a report saying what was
#                 covered
#   contract      6.12 against 7.3: only the contract changes between them
#   bad-input     a missing tree, a patch that does not apply, --time 0...:
#                 one line, exit 2, nothing written outside --out
#
# review-test.sh patch WORK TREE NAME writes the planted patch NAME
# (cmo-short, alloc-size, ...) against TREE to WORK/patch/NAME.diff.
#
# The planted patches are made here, at test time, from the base's own
# extracted io-pgtable-arm.c (a substitution on a copy, then diff -u), so
# no kernel text is kept in the repository. Each must be found in its
# class, with a reproducer of a few ops whose KUnit case fails on the
# patched copy and passes on the base. The runs share one review build
# per base tree and sanitizer setting (WORK/build-<6.12|6.12-asan|7.3>,
# build_of(): a new patched tree recompiles only its own files), so the
# cases of one build must not run at once (CTest: a lock per build);
# a short --time, as what the planted bugs need is found by the shipped
# corpus or in the first seconds. Each case writes under WORK/<case>.
set -uo pipefail

case=${1:?usage: review-test.sh CASE WORK TREE_6_12 TREE_7_3}
work=${2:?}
t612=${3:?}
t73=${4:?}
top=$(cd "$(dirname "$0")/.." && pwd)
review=$top/scripts/review.sh
secs=${IOPT_REVIEW_TEST_TIME:-8}
max_ops=4
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
builds=$work
work=$work/$case
mkdir -p "$work"

# ---- planted patches ------------------------------------------------------------

# base_file TREE: the base's io-pgtable-arm.c, extracted once per tree
base_file()
{
	local d=$work/base-$(basename "$1" | tr -c 'A-Za-z0-9.\n' _)
	if [ ! -f "$d/ktree/drivers/iommu/io-pgtable-arm.c" ]; then
		rm -rf "$d"
		bash "$top/cmake/probe-tree.sh" "$1" "$d" >"$d.log" 2>&1 ||
			{ echo "cannot extract $1 (see $d.log)" >&2; return 1; }
	fi
	echo "$d/ktree/drivers/iommu/io-pgtable-arm.c"
}

# plant FROM TO PERL_SUBSTITUTION: TO is FROM with the substitution made
# once; fails if it changed nothing (the site moved: mend the expression)
plant()
{
	perl -0pe "$3" "$1" >"$2"
	! cmp -s "$1" "$2"
}

# make_diff OLD NEW [OUT]: a unified diff of io-pgtable-arm.c as git would
# name it, to OUT or (none) to stdout
make_diff()
{
	if [ $# -gt 2 ]; then
		make_diff "$1" "$2" >"$3"
		return
	fi
	diff -u --label a/drivers/iommu/io-pgtable-arm.c \
		--label b/drivers/iommu/io-pgtable-arm.c "$1" "$2"
	[ $? -eq 1 ]
}

# The substitutions, by name. Each holds across 6.12 and 7.3 unless noted.
subst_of()
{
	case $1 in
	cmo-short)	echo 's/sizeof\(\*ptep\) \* num_entries, DMA_TO_DEVICE/sizeof(*ptep) * (num_entries - 1), DMA_TO_DEVICE/' ;;
	alloc-size)	echo 's/cptep = __arm_lpae_alloc_pages\(tblsz, /cptep = __arm_lpae_alloc_pages(tblsz * 2, /' ;;
	prot-bit)	echo 's/(pte \|= ARM_LPAE_PTE_)AF;/${1}AF \& 0;/' ;;
	leaked-table)	echo 's/(io_pgtable_tlb_flush_walk\(iop, iova \+ i \* size, size,\s*ARM_LPAE_GRANULE\(data\)\);\s*)__arm_lpae_free_pgtable\(data, lvl \+ 1, iopte_deref\(pte, data\)\);/${1};/' ;;
	missing-tlb)	echo 's/(for \(int j = 0; j < i; j\+\+\)\s*)io_pgtable_tlb_add_page\(iop, gather, iova \+ j \* size, size\);/${1};/' ;;
	no-split)	echo 's/return arm_lpae_split_blk_unmap\(data, gather, iova, size, pte,\s*lvl \+ 1, ptep, pgcount\);/return 0;/' ;;
	esac
}

# The class each planted bug must show (the signature without its format)
class_of()
{
	case $1 in
	cmo-short)	echo 'iopt: review-cmo/map' ;;
	alloc-size)	echo 'iopt: review-alloc/map' ;;
	prot-bit)	echo 'iopt: review-oracle-tables/map' ;;	# a leaf the contract does not allow
	leaked-table)	echo 'iopt: review-alloc/unmap' ;;
	missing-tlb)	echo 'iopt: review-tlb/unmap' ;;
	no-split)	echo 'iopt: review-result/unmap' ;;
	esac
}

# a_patch TREE NAME OUT: the planted patch NAME against TREE's file
a_patch()
{
	local f
	f=$(base_file "$1") || return 1
	plant "$f" "$work/$2.c" "$(subst_of "$2")" ||
		{ echo "the site of '$2' is not in $f: mend subst_of" >&2; return 1; }
	make_diff "$f" "$work/$2.c" "$3"
}

# mailbox TREE OUT NAME...: a git format-patch mailbox, one patch per NAME,
# each on top of the one before
mailbox()
{
	local tree=$1 out=$2 prev cur n=0 total
	shift 2
	total=$#
	prev=$(base_file "$tree") || return 1
	: >"$out"
	for name in "$@"; do
		n=$((n + 1))
		cur=$work/mbox-$n.c
		plant "$prev" "$cur" "$(subst_of "$name")" || return 1
		{
			echo "From $(printf '%040d' $n) Mon Sep 17 00:00:00 2001"
			echo "From: iopt-fuzz tests <tests@iopt-fuzz.invalid>"
			echo "Subject: [PATCH $n/$total] iommu/io-pgtable-arm: plant $name"
			echo
			echo "A planted bug for tests/review-test.sh."
			echo "---"
			make_diff "$prev" "$cur"
			echo "-- "
			echo "2.39.5"
			echo
		} >>"$out"
		prev=$cur
	done
}

# ---- what a run must show ----------------------------------------------------------

# class_dir OUT CLASS: classes/NN of CLASS in OUT/classes.tsv (empty if none)
class_dir()
{
	local n
	n=$(awk -F'\t' -v c="$2" '$3 == c { print NR; exit }' "$1/classes.tsv")
	[ -n "$n" ] && printf '%s/classes/%02d\n' "$1" "$n"
}

# check_found OUT CLASS WHAT: the class found, minimized, its KUnit case
# failing on the patched tree and passing on the base
check_found()
{
	local out=$1 class=$2 what=$3 d ops
	d=$(class_dir "$out" "$class")
	if [ -z "$d" ]; then
		fail "$what: no class '$class' in $out/classes.tsv:"
		sed 's/^/    /' "$out/classes.tsv"
		return
	fi
	ok "$what: found as '$class' ($(cut -f1 <<<"$(grep -F "	$class	" "$out/classes.tsv")") inputs)"
	ops=$(sed -n 's/^Minimized from .* to \([0-9]*\) ops.*/\1/p' "$d/README" 2>/dev/null)
	if [ -z "$ops" ] || [ "$ops" -gt $max_ops ]; then
		fail "$what: the reproducer has ${ops:-an unknown number of} ops, want at most $max_ops ($d/README)"
	fi
	if [ "$(cat "$d/kunit-result" 2>/dev/null | tr '\n' ' ')" != "base pass patched fail " ]; then
		fail "$what: its KUnit case should pass on base and fail on patched: $(cat "$d/kunit-result" 2>/dev/null | tr '\n' ' ')"
	fi
	grep -q "^VERDICT: the trees differ in" "$out/report.md" ||
		fail "$what: report.md's verdict: $(grep -m1 '^VERDICT' "$out/report.md")"
}

# run_review OUT WANT_STATUS ARGS...: scripts/review.sh, its exit status
# checked. Plain review builds, for time, but for 6.12's planted patches,
# which keep the default (ASan and UBSan) tested.
run_review()
{
	local out=$1 want=$2 rc san=none
	shift 2
	[ "$case" != planted-6.12 ] || san=address,undefined
	rm -rf "$out"
	bash "$review" "$@" --out "$out" --time "$secs" --workers 1 --no-coverage \
		--sanitize "$san" >"$out.log" 2>&1
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "review.sh $* exited $rc, want $want:"
		tail -n 15 "$out.log" | sed 's/^/    /'
		return 1
	fi
	[ -f "$out/report.md" ] || { fail "no $out/report.md"; return 1; }
}

# build_of TREE: the review build of base TREE, shared by the cases that
# build it the same way (6.12's planted patches: under ASan and UBSan, a
# build of its own, so that no case rebuilds another's from scratch)
build_of()
{
	if [ "$1" = "$t73" ]; then
		echo "$builds/build-7.3"
	elif [ "$case" = planted-6.12 ]; then
		echo "$builds/build-6.12-asan"
	else
		echo "$builds/build-6.12"
	fi
}

# base_dir TREE: the base's files, extracted once: reviewing against them
# spares each run decompressing the tarball (the other cases take it)
base_dir()
{
	local f
	f=$(base_file "$1") || return 1
	echo "${f%/drivers/iommu/io-pgtable-arm.c}"
}

planted()	# TREE NAME...
{
	local tree=$1 name build base
	build=$(build_of "$1")
	base=$(base_dir "$tree") || { fail "cannot extract $tree"; return; }
	shift
	for name in "$@"; do
		a_patch "$tree" "$name" "$work/$name.diff" || { fail "$name: no patch"; continue; }
		run_review "$work/$name" 1 --base "$base" --patch "$work/$name.diff" \
			--build "$build" || continue
		check_found "$work/$name" "$(class_of "$name")" "$name"
	done
}

# ---- the cases -------------------------------------------------------------------------

case_planted_73()
{
	planted "$t73" alloc-size prot-bit
	# a mailbox of two patches applies both, in order
	# (two bugs that do not hide each other: a program ends at its first
	# difference, and a CMO short at every map would hide a bad leaf)
	mailbox "$t73" "$work/two.mbox" cmo-short missing-tlb || { fail "mailbox: no patches"; return; }
	run_review "$work/mbox" 1 --base "$(base_dir "$t73")" --patch "$work/two.mbox" \
		--build "$(build_of "$t73")" || return
	for s in "plant cmo-short" "plant missing-tlb"; do
		grep -q -- "- iommu/io-pgtable-arm: $s\$" "$work/mbox/report.md" ||
			fail "mailbox: report.md does not list the patch '$s'"
	done
	check_found "$work/mbox" "$(class_of cmo-short)" "mailbox, patch 1"
	check_found "$work/mbox" "$(class_of missing-tlb)" "mailbox, patch 2"
}

case_planted_612()
{
	planted "$t612" leaked-table missing-tlb no-split
	# the tree's own selftests split a block: without the split they fail
	# on the patched tree alone, which the report counts as a difference
	local r=$work/no-split/report.md
	grep -q '^    base:    PASS$' "$r" &&
		grep -q '^    patched: FAIL: kernel port: FAIL, 0 configurations passed' "$r" &&
		grep -q '^    (one tree passes them and the other does not' "$r" ||
		fail "no-split: the report does not say the patched tree fails its selftests: $(grep -A2 'own selftests' "$r")"
	# a patch that leaves them passing leaves the line silent
	grep -q '^    patched: PASS$' "$work/missing-tlb/report.md" ||
		fail "missing-tlb: the patched tree's selftests: $(grep -A2 'own selftests' "$work/missing-tlb/report.md")"
}

case_same()
{
	run_review "$work/same" 0 --base "$t612" --patched "$t612" \
		--build "$(build_of "$t612")" || return
	local r=$work/same/report.md
	grep -q '^VERDICT: no behavioural difference found' "$r" ||
		fail "same: verdict: $(grep -m1 '^VERDICT' "$r")"
	grep -q '^    base:    PASS$' "$r" && grep -q '^    patched: PASS$' "$r" ||
		fail "same: the trees' own selftests: $(grep -A2 'own selftests' "$r")"
	grep -q '^  shipped corpus: [1-9][0-9]* inputs' "$r" ||
		fail "same: the report does not say which corpus ran"
	grep -q '^  campaign: .* [1-9][0-9]* programs run' "$r" ||
		fail "same: the report does not say how many programs ran"
	grep -q '^  programs kept: .*by format: ' "$r" ||
		fail "same: the report does not say which formats were covered"
	# one program per file of the campaign's corpus and the seeds (od
	# once read a batch of files as one stream and counted batches)
	local kept want
	kept=$(sed -n 's/^  programs kept: *\([0-9]*\);.*/\1/p' "$r")
	want=$(find "$work/same/campaign/corpus" "$top/corpus/seeds" -type f | wc -l)
	[ "$kept" = "$want" ] ||
		fail "same: the report counts ${kept:-no} programs kept, the corpus and seeds hold $want"
	[ "$fails" -gt 0 ] || ok "same: exit 0, and the report says what was covered"
}

case_contract()
{
	run_review "$work/contract" 1 --base "$t612" --patched "$t73" \
		--build "$(build_of "$t612")" || return
	local c=$work/contract/classes.tsv want
	if awk -F'\t' '$2 != "known"' "$c" | grep -q .; then
		fail "contract: unexplained classes between 6.12 and 7.3:"
		awk -F'\t' '$2 != "known"' "$c" | sed 's/^/    /'
	fi
	# split vs refuse, the top table's 64 bytes, iommu-pages' DMA API use
	for want in 'known:contract-result/unmap' 'known:contract-alloc/' \
		    'known:contract-cmo/'; do
		grep -qF "	$want" "$c" ||
			fail "contract: no '$want' class (classes.tsv: $(cut -f3 "$c" | tr '\n' ' '))"
	done
	grep -q '^VERDICT: the trees differ only as their contracts' \
		"$work/contract/report.md" ||
		fail "contract: verdict: $(grep -m1 '^VERDICT' "$work/contract/report.md")"
	[ "$fails" -gt 0 ] || ok "contract: 6.12 against 7.3 differ only by contract"
}

# bad TEST WANT_LINE ARGS...: one line matching WANT_LINE on stderr, exit
# 2, and nothing written but --out (when it is given and valid)
bad()
{
	local what=$1 want=$2 dir=$work/bad/$1 rc
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	touch "$work/bad/stamp"
	(cd "$dir" && bash "$review" "$@" >"$work/bad/$what.out" 2>"$work/bad/$what.err")
	rc=$?
	local lines newer
	lines=$(grep -c . "$work/bad/$what.err")
	# (build and .git pruned, not walked and filtered: a walk of the
	# build's trees took a second and a half per case; $dir, under the
	# build, is looked at whole but for out: until 2026-12-02 the filter
	# of the build's paths skipped it too)
	newer=$(find "$top" "$dir" \( -path "$top/build" -o -path "$top/.git" \
		-o -path "$dir/out" \) -prune -o -newer "$work/bad/stamp" \
		-not -path "$dir" -print | head -3)
	if [ $rc -ne 2 ]; then
		fail "bad input, $what: exit $rc, want 2"
	elif [ "$lines" -ne 1 ] || ! grep -q -E "^iopt: review: .*$want" "$work/bad/$what.err"; then
		fail "bad input, $what: want one line matching '$want', got:"
		sed 's/^/    /' "$work/bad/$what.err"
	elif [ -n "$newer" ]; then
		fail "bad input, $what: wrote outside --out: $newer"
	else
		ok "bad input, $what: $(cat "$work/bad/$what.err")"
	fi
}

case_bad_input()
{
	local p=$work/bad-patch.diff f
	f=$(base_file "$t612") || { fail "no base"; return; }
	# a patch whose context is not in the tree
	cp "$f" "$work/bad-ctx.c"
	printf '/* a line no tree has */\n' >>"$work/bad-ctx.c"
	make_diff "$f" "$work/bad-ctx.c" "$p"
	sed -i 's/^ \(.*\)$/ X\1/' "$p"
	bad missing-tree "no such kernel tree" --base /nonexistent/linux --patch "$p" --out out
	bad no-patch "is required" --base "$t612" --out out
	bad unreadable-patch "cannot read the patch" --base "$t612" --patch /nonexistent.diff --out out
	bad not-a-diff "holds no unified diff" --base "$t612" --patch "$f" --out out
	bad time-0 "--time wants a positive" --base "$t612" --patch "$p" --time 0 --out out
	bad workers "--workers wants a positive" --base "$t612" --patch "$p" --workers x --out out
	bad sanitize "--sanitize wants" --base "$t612" --patch "$p" --sanitize memory --out out
	bad kconfig "--kconfig wants SYM=y or SYM=n" --base "$t612" --patch "$p" --kconfig X=m --out out
	bad patched-contract "--patched-contract wants a contract's name" --base "$t612" \
		--patch "$p" --patched-contract 'a b' --out out
	# (an unknown name: the trees' configure says which names exist)
	bad patched-contract-unknown "--patched-contract no-such: no such contract generation \\(known: 6\\.1 .*7\\.2\\+cont-hint\\)" \
		--base "$t612" --patched "$t612" --patched-contract no-such --out out
	bad unknown-arg "unknown argument" --base "$t612" --patch "$p" --frobnicate
	bad does-not-apply "does not apply" --base "$t612" --patch "$p" --out out
	mkdir -p "$work/bad/full" && touch "$work/bad/full/x"
	bad out-not-empty "is not empty" --base "$t612" --patch "$p" --out "$work/bad/full"
}

case $case in
patch)		# review-test.sh patch WORK TREE NAME: write WORK/NAME.diff (docs/review.md)
		a_patch "$t612" "$t73" "$work/$t73.diff" && echo "$work/$t73.diff"
		exit ;;
planted-7.3)	case_planted_73 ;;
planted-6.12)	case_planted_612 ;;
same)		case_same ;;
contract)	case_contract ;;
bad-input)	case_bad_input ;;
*)		echo "review-test.sh: no case '$case'" >&2; exit 2 ;;
esac
echo "review-test $case: $fails failure(s)"
[ "$fails" -eq 0 ]
