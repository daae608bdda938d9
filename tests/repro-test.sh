#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# repro-test.sh case BUILD_DIR WORK PLANT INPUT SIG_REGEX [FIELD]
#   iopt-replay --repro of INPUT under IOPT_PLANT=PLANT ("" for none: a
#   known upstream bug of the tree) must:
#   - write input, original, trace.txt, kunit.c and README, the signature
#     matching SIG_REGEX, with fewer ops than INPUT and original == INPUT;
#   - give an input that replays to the same signature;
#   - give the same files when run again (deterministic);
#   - give a kunit.c that builds against the tree in our KUnit shim
#     (scripts/kunit-case.sh) and fails with the bug planted, and passes
#     without it (a planted bug; a known bug has no tree without it here);
#     FIELD given, each expectation that fails is on it (the text of the
#     io_pgtable_cfg member a config case compares, e.g. "vtcr.sl");
#   - where kunit.c gives a root device a DMA mask (a non-coherent walk on
#     a tree without kunit_device_register()), fail without that line.
#   Each --repro must end within $IOPT_REPRO_TIMEOUT seconds (60 unless
#   set): a minimizer that loops fails here, not at CTest's timeout.
#
# repro-test.sh known-too BUILD_DIR WORK PLANT INPUT SIG_REGEX KNOWN_ID
#   the same, for a planted bug whose program meets the known upstream
#   bug KNOWN_ID without the plant: kunit.c says so, and fails with the
#   plant and without it.
#
# repro-test.sh minimize BUILD_DIR WORK PLANT INPUT SIG_REGEX
#   the same but for the KUnit case: for an input whose minimization,
#   not its reproducer, is the point.
#
# repro-test.sh args BUILD_DIR WORK
#   --repro refuses, with one line and exit 2: a directory that is not
#   empty, a file it cannot read, an input that ends in no report, a
#   wrong number of arguments.
set -uo pipefail

fail() { echo "repro-test: $*"; exit 1; }

mode=$1
build=$2
work=$3
replay=$build/iopt-replay
limit=${IOPT_REPRO_TIMEOUT:-60}
kunit=$(dirname "$0")/../scripts/kunit-case.sh
seed=$(dirname "$0")/../corpus/seeds/real-streaming-dma-strict

# one line on stderr, exit 2, and nothing written
expect_refusal() {
	local what=$1 regex=$2
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc, wanted 2 ($out)"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$what: not one line: $out"
	printf '%s\n' "$out" | grep -E -q -- "$regex" || fail "$what: '$out' does not match /$regex/"
	echo "ok: $what: $out"
}

if [ "$mode" = args ]; then
	rm -rf "$work" && mkdir -p "$work/full" && touch "$work/full/x"
	expect_refusal "a directory that is not empty" "'$work/full' exists and is not empty" \
		"$replay" --repro "$work/full" "$seed"
	expect_refusal "a file it cannot read" "cannot read '$work/nothing'" \
		"$replay" --repro "$work/out" "$work/nothing"
	expect_refusal "a directory as the input" "cannot read '$work'" \
		"$replay" --repro "$work/out" "$work"
	# (a coherent map and unmap: clean on every tree, also where every
	# non-coherent program ends at a known bug)
	printf '\2\0\5\5\0\0\0\0\0\1\1\0\3\3\1\1\0\0\1' > "$work/clean"
	expect_refusal "an input that ends in no report" "ends in no report" \
		"$replay" --repro "$work/out" "$work/clean"
	expect_refusal "one argument" "usage: iopt-replay --repro DIR FILE" \
		"$replay" --repro "$work/out"
	[ ! -e "$work/out" ] || fail "a refused --repro created '$work/out'"
	exit 0
fi

plant=$4
input=$5
sig_re=$6
field=${7:-}
known_too=
if [ "$mode" = known-too ]; then
	known_too=$field
	field=
fi
rm -rf "$work"
mkdir -p "$work"
dir=$work/repro

out=$(IOPT_PLANT=$plant timeout "$limit" "$replay" --repro "$dir" "$input" 2>&1)
rc=$?
[ $rc -ne 124 ] || fail "--repro did not end in $limit s (does the minimizer loop?)"
[ $rc -eq 0 ] || fail "--repro failed: $out"
echo "$out"
printf '%s\n' "$out" | grep -E -q -- "--repro: ($sig_re): ([0-9]+) ops -> ([0-9]+) ops" ||
	fail "the signature does not match /$sig_re/"
before=$(printf '%s\n' "$out" | sed -E 's/.*: ([0-9]+) ops -> ([0-9]+) ops.*/\1/')
after=$(printf '%s\n' "$out" | sed -E 's/.*: ([0-9]+) ops -> ([0-9]+) ops.*/\2/')
[ "$after" -lt "$before" ] || [ "$before" -eq 0 ] ||
	fail "nothing was minimized ($before ops -> $after)"
for f in input original trace.txt kunit.c README; do
	[ -s "$dir/$f" ] || fail "$dir/$f is missing or empty"
done
cmp -s "$input" "$dir/original" || fail "original is not a copy of $input"
sig=$(printf '%s\n' "$out" | sed -E 's/.*--repro: (.*): [0-9]+ ops -> .*/\1/')
grep -q -F -- "$sig" "$dir/README" || fail "README does not name $sig"
grep -q -F -- "$sig" "$dir/trace.txt" || fail "trace.txt does not end in $sig"

# the minimized input gives the same report
rout=$(IOPT_PLANT=$plant "$replay" "$dir/input" 2>&1)
grep -q -F -- "$dir/input: $sig" <<<"$rout" ||
	fail "the minimized input does not replay to '$sig': $rout"

# deterministic: the same files again
IOPT_PLANT=$plant timeout "$limit" "$replay" --repro "$work/again" "$input" >/dev/null 2>&1 ||
	fail "--repro failed the second time"
for f in input original kunit.c; do
	cmp -s "$dir/$f" "$work/again/$f" || fail "$f differs from one run to the next"
done
for f in trace.txt README; do
	diff -q <(sed "s|$work/again|$work/repro|g" "$work/again/$f") "$dir/$f" >/dev/null ||
		fail "$f differs from one run to the next"
done
if [ "$mode" = minimize ]; then
	echo "repro-test: $sig: $before ops -> $after, the same again"
	exit 0
fi

# the KUnit case, built against the tree in our shim
kout=$(IOPT_PLANT=$plant bash "$kunit" "$build" "$dir/kunit.c" 2>&1)
rc=$?
printf '%s\n' "$kout" | sed 's/^/    /'
[ $rc -eq 1 ] || fail "kunit.c ${plant:+with $plant planted }exited $rc, wanted 1 (a failed case)"
grep -q "^    not ok 1 iopt_repro_" <<<"$kout" ||
	fail "kunit.c: its case did not fail"
if [ -n "$field" ]; then
	expected=$(printf '%s\n' "$kout" | grep -E "^ +Expected ")
	[ -n "$expected" ] || fail "kunit.c: no expectation failed (wanted one on $field)"
	if printf '%s\n' "$expected" | grep -v -q -F -- "$field"; then
		fail "kunit.c: an expectation not on $field failed: $expected"
	fi
fi
# Without the plant: it passes, or (known-too) fails on the known upstream
# bug it says it still meets.
if [ -n "$plant" ]; then
	still="the program still meets the known upstream bug '$known_too"
	said=0
	tr -d '\n*' < "$dir/kunit.c" | tr -s ' ' | grep -q -F -- "$still" && said=1
	want=0
	[ -z "$known_too" ] || want=1
	[ $said -eq $want ] || fail "kunit.c saying \"$still...\": $said, wanted $want"
	kout=$(IOPT_PLANT= bash "$kunit" "$build" "$dir/kunit.c" 2>&1)
	rc=$?
	printf '%s\n' "$kout" | sed 's/^/    /'
	[ $rc -eq $want ] || fail "kunit.c without $plant exited $rc, wanted $want"
fi
# A case that gives its root device (a tree without kunit_device_register)
# no DMA mask cannot map a non-coherent table, upstream (a WARN, and
# alloc_io_pgtable_ops() returns NULL) as in our shim: without the mask
# it fails, with nothing planted.
mask='dev->dma_mask = &dev->coherent_dma_mask;'
if [ -n "$plant" ] && grep -q -F -- "$mask" "$dir/kunit.c"; then
	grep -v -F -- "$mask" "$dir/kunit.c" > "$work/no-mask.c"
	kout=$(IOPT_PLANT= bash "$kunit" "$build" "$work/no-mask.c" 2>&1)
	rc=$?
	printf '%s\n' "$kout" | sed 's/^/    /'
	[ $rc -eq 1 ] || fail "kunit.c without its device's DMA mask exited $rc, wanted 1"
	grep -q "Expected ops not to be NULL" <<<"$kout" ||
		fail "kunit.c without its device's DMA mask: ops was not NULL"
	echo "repro-test: without its device's DMA mask, kunit.c fails as upstream"
fi
if [ -n "$known_too" ]; then
	echo "repro-test: $sig: $before ops -> $after; kunit.c fails with $plant planted and without ($known_too), and says so"
	exit 0
fi
echo "repro-test: $sig: $before ops -> $after; kunit.c fails${plant:+ with $plant planted and passes without}"
