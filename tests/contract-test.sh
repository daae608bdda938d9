#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# contract-test.sh PATCH SRC BUILD CC SANITIZE PAGE_SHIFT SEED
# contract-test.sh explicit SRC BUILD CC NAME
# contract-test.sh proposal SRC BUILD CC NAME SEED
# contract-test.sh review-proposal SRC BUILD CC NAME SEED
#
# PATCH: the oracle keeps the contract of the tree's version when the
# tree's text says otherwise (a patch under review): copy this build's
# extracted tree (BUILD/ktree) into BUILD/contract-PATCH, change one
# behaviour of the copy of io-pgtable-arm.c, configure and build
# iopt-replay against it, and require
#   (a) one configure notice, naming that behaviour, and
#   (b) iopt-replay SEED to report a divergence (exit 1), where this
#       build's iopt-replay replays SEED without a report (exit 0; a
#       known upstream bug, such as split-tlb-ttl where blocks split, is
#       no report).
# The kernel text is changed only in the copy, in the build directory.
#
#   refuse  partial unmap of a block WARNs and returns 0, instead of
#           splitting (for trees whose contract splits);
#   enoent  an unmap meeting an empty entry returns -ENOENT, not 0 (for
#           trees whose contract returns 0).
#
# explicit: configuring this build's tree with IOPT_CONTRACT=NAME (another
# generation) says so, prints a notice for the text's differences, and
# gives the oracle NAME (generated/iopt_contract_config.h).
#
# proposal: a proposal (a contract a patch declares, here one this tree
# does not implement) reaches the oracle: configuring this build's tree
# with IOPT_CONTRACT=NAME gives a notice for the behaviour the text lacks,
# and iopt-replay SEED, which this build replays clean, reports the
# configuration the tree writes back against the one NAME predicts
# (iopt: alloc/alloc/..., exit 1).
#
# review-proposal: in a review build (this build's base and patched trees)
# whose patched tree is judged by the proposal NAME (IOPT_PATCHED_CONTRACT),
# the page sizes the two contracts keep are explained at the creation as a
# contract change, and the patched tree, which does not implement NAME, is
# reported by its own oracle (iopt: review-oracle-alloc/alloc/...).
set -uo pipefail

fail() { echo "contract-test: $*"; exit 1; }

# plain WORK SRC BUILD CC CMAKE_ARG...: configure a plain build of BUILD's
# tree in WORK (its log WORK.log), with the arguments given.
plain()
{
	local work=$1 src=$2 build=$3 cc=$4
	shift 4
	cmake -S "$src" -B "$work" -DCMAKE_C_COMPILER="$cc" -DIOPT_KERNEL_SRC="$build/ktree" \
		-DIOPT_FUZZ_ENGINE=none "$@" > "$work.log" 2>&1 ||
		{ tail -n 20 "$work.log"; fail "configure failed"; }
}

# build_target WORK TARGET: build TARGET in WORK, appending to WORK.log.
build_target()
{
	cmake --build "$1" --target "$2" -j2 >> "$1.log" 2>&1 ||
		{ tail -n 20 "$1.log"; fail "$2 does not build"; }
}

if [ "${1:-}" = explicit ]; then
	[ $# -eq 5 ] || fail "usage: contract-test.sh explicit SRC BUILD CC NAME"
	work=$3/contract-explicit
	plain "$work" "$2" "$3" "$4" -DIOPT_CONTRACT="$5"
	grep -E "iopt: (contract|notice)" "$work.log"
	grep -q -E "iopt: contract $5, chosen by IOPT_CONTRACT \(.*'s own is " "$work.log" ||
		fail "configure does not say that IOPT_CONTRACT chose $5"
	grep -q -E "^iopt: notice: .*'s text .* but contract $5 \(IOPT_CONTRACT\) " "$work.log" ||
		fail "configure printed no notice"
	grep -q -F "#define IOPT_CONTRACT_NAME \"$5\"" "$work/generated/iopt_contract_config.h" ||
		fail "the oracle's contract is not $5"
	echo "contract-test: explicit: contract $5 taken, differences noticed"
	exit 0
fi

if [ "${1:-}" = proposal ]; then
	[ $# -eq 6 ] || fail "usage: contract-test.sh proposal SRC BUILD CC NAME SEED"
	work=$3/contract-proposal
	"$3/iopt-replay" "$6" > /dev/null 2>&1 || fail "this build's iopt-replay reports on $6"
	plain "$work" "$2" "$3" "$4" -DIOPT_CONTRACT="$5"
	grep -E "iopt: (contract|notice)" "$work.log"
	grep -q -F "but contract $5 (IOPT_CONTRACT) " "$work.log" &&
		grep -q -E "^iopt: notice: .*'s text lacks " "$work.log" ||
		fail "configure printed no notice for what the tree lacks"
	build_target "$work" iopt-replay
	out=$("$work/iopt-replay" "$6" 2>&1)
	rc=$?
	echo "$out" | tail -n 3
	[ $rc -eq 1 ] || fail "iopt-replay $6 under $5 exits $rc, not 1"
	echo "$out" | grep -q -E '^iopt: alloc/alloc/' || fail "no report of the configuration under $5"
	echo "contract-test: proposal: $5 reaches the oracle; the tree's configuration is reported against it"
	exit 0
fi

if [ "${1:-}" = review-proposal ]; then
	[ $# -eq 6 ] || fail "usage: contract-test.sh review-proposal SRC BUILD CC NAME SEED"
	work=$3/contract-review-proposal
	plain "$work" "$2" "$3" "$4" -DIOPT_PATCHED_SRC="$3/patched/ktree" \
		-DIOPT_PATCHED_CONTRACT="$5"
	build_target "$work" iopt-review
	re=${5//./\\.}
	re=${re//+/\\+}
	out=$("$work/iopt-review" -v "$6" 2>&1)
	rc=$?
	echo "$out" | grep -E '^iopt-review: known:|^iopt: |oracle:' | cut -c1-300
	[ $rc -eq 1 ] || fail "iopt-review $6 exits $rc, not 1"
	echo "$out" | grep -q -E "^iopt-review: known:contract-[a-z]+/alloc/.*explained: contract [0-9.]+ keeps page sizes 0x[0-9a-f]+, ias [0-9]+, oas [0-9]+, $re 0x" ||
		fail "the page sizes kept are not explained as a contract change"
	echo "$out" | grep -q -E '^iopt: review-oracle-alloc/alloc/' ||
		fail "the patched tree is not reported by its oracle"
	echo "contract-test: review-proposal: page sizes explained, the patched tree judged by $5"
	exit 0
fi

[ $# -eq 7 ] || fail "usage: contract-test.sh PATCH SRC BUILD CC SANITIZE PAGE_SHIFT SEED"
patch=$1 src=$2 build=$3 cc=$4 san=$5 shift=$6 seed=$7
work=$build/contract-$patch
arm=drivers/iommu/io-pgtable-arm.c

case $patch in
refuse)
	notice="text lacks __arm_lpae_unmap\(\) returning arm_lpae_split_blk_unmap\(\) but contract [0-9.]+ splits a block on partial unmap"
	signature="iopt: (result|warn)/unmap/" ;;
enoent)
	notice="text has return -ENOENT in __arm_lpae_unmap\(\) but contract [0-9.]+ returns 0 from an unmap that meets a hole"
	signature="iopt: result/unmap/" ;;
*)
	fail "unknown patch '$patch'" ;;
esac

# The clean build replays the seed without a report (exit 0; known bugs
# allowed): the divergence below is the patch's.
"$build/iopt-replay" "$seed" > /dev/null 2>&1 ||
	fail "this build's iopt-replay reports on $seed"

rm -rf "$work/tree"
mkdir -p "$work" && cp -r "$build/ktree" "$work/tree" || fail "cannot copy $build/ktree"
f=$work/tree/$arm
case $patch in
refuse)
	# The leaf branch of __arm_lpae_unmap() WARNs and returns 0; the split
	# function stays referenced.
	sed -i 's/return arm_lpae_split_blk_unmap(/return WARN_ON(1) ? 0 : arm_lpae_split_blk_unmap(/' "$f" ;;
enoent)
	# In __arm_lpae_unmap(), the return after the first empty-entry check.
	awk '
		/^static size_t __arm_lpae_unmap\(/ { fn = 1 }
		fn && !inb && /\);[[:space:]]*$/ { fn = 0 }
		fn && /^\{/ { inb = 1 }
		inb && !done && /!pte\)/ { seen = 1 }
		inb && seen && !done && sub(/return 0;/, "return -ENOENT;") { done = 1 }
		inb && /^\}/ { fn = inb = 0 }
		{ print }
	' "$f" > "$f.new" && mv "$f.new" "$f" ;;
esac
cmp -s "$build/ktree/$arm" "$f" && fail "patch '$patch' does not apply to $build/ktree/$arm"
diff -u "$build/ktree/$arm" "$f" | grep '^[-+][^-+]'

# (a) configure: the notice, the contract unchanged. A tree whose own
# text already differs from its version's contract (a patched tree, e.g.
# a pKVM series tree) has notices of its own: configured unpatched first,
# the patched copy must print exactly those and the patch's one.
configure()
{
	cmake -S "$src" -B "$work/$1" -DCMAKE_C_COMPILER="$cc" \
		-DIOPT_KERNEL_SRC="$2" -DIOPT_SANITIZE="$san" \
		-DIOPT_PAGE_SHIFT="$shift" -DIOPT_FUZZ_ENGINE=none -DIOPT_CONTRACT= \
		> "$work/$1.log" 2>&1 || { tail -n 20 "$work/$1.log"; fail "configure of $2 failed"; }
	grep -E "^iopt: notice: " "$work/$1.log" | sed "s|$2|TREE|g" | sort > "$work/$1.notices"
}
rm -rf "$work/base"
cp -r "$build/ktree" "$work/base" || fail "cannot copy $build/ktree"
configure base-build "$work/base"
configure build "$work/tree"
mv "$work/build.log" "$work/configure.log"
cat "$work/build.notices"
grep -E -q "^iopt: notice: .*$notice" "$work/build.notices" ||
	fail "configure printed no notice matching /$notice/"
[ "$(comm -13 "$work/base-build.notices" "$work/build.notices" | wc -l)" -eq 1 ] &&
[ "$(comm -23 "$work/base-build.notices" "$work/build.notices" | wc -l)" -eq 0 ] ||
	fail "configure printed other notices than the unpatched tree's and the patched behaviour's"

# (b) the executor reports the patch's behaviour as a divergence
build_target "$work/build" iopt-replay
out=$("$work/build/iopt-replay" "$seed" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E "^what differs|$signature" | head -n 3
[ $rc -eq 1 ] || { printf '%s\n' "$out" | tail -n 20; fail "iopt-replay exited $rc, not 1"; }
printf '%s\n' "$out" | grep -E -q "$signature" ||
	fail "iopt-replay's report does not match /$signature/"
echo "contract-test: $patch: noticed at configure, reported by iopt-replay"
