#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-kernel-test.sh WORK: scripts/kunit-kernel.sh (and
# scripts/kunit-nightly.sh) refuse wrong arguments with one line and exit
# status 2, before they write anything or install anything (a real kernel build takes minutes: its runs are
# in docs/reproducers.md, not here); and its judge (--judge, on a
# kunit.log written here) holds each case to what it says of itself: a
# planted bug's case that fails, a known bug's case that passes, a case
# with no result and a failed suite of the tree are each caught, and a
# run where all is as said (a finding's case as it ran) is not. WORK: a scratch directory, where a
# tree of two empty files stands for a kernel tree (nothing reads it).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kk=$here/../scripts/kunit-kernel.sh
work=$1
tree=$work/tree
fail() { echo "kunit-kernel-test: $*"; exit 1; }

rm -rf "$work" && mkdir -p "$work/full" "$tree/drivers/iommu" \
	"$tree/tools/testing/kunit" || fail "cannot make '$work'"
touch "$tree/drivers/iommu/io-pgtable-arm.c" "$tree/tools/testing/kunit/kunit.py"
echo keep > "$work/full/file"
case_c=$work/case.c
printf '%s\n' 'static struct io_pgtable_cfg cfg = {' '	.coherent_walk	= false,' '};' \
	'kunit_test_suite(io_pgtable_arm_repro);' > "$case_c"
echo 'not a case' > "$work/other.c"

# refused WANT ARGS...: exit 2, one line on stderr matching WANT, no WORKDIR
refused()
{
	local want=$1 err rc
	shift
	err=$(bash "$kk" "$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || fail "'$*' exited $rc, wanted 2"
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$err" | grep -E -q -- "$want" ||
		fail "'$*' said '$err', wanted one line matching /$want/"
	[ ! -e "$work/new" ] || fail "'$*' created its WORKDIR"
	echo "refused: $err"
}

refused "^kunit-kernel: --arch: 'x86' is neither arm64 nor um$" --arch x86 "$tree" "$work/new" "$case_c"
refused "^kunit-kernel: usage: " "$tree" "$work/new"
refused "^kunit-kernel: no such kernel tree '$work/no-tree'" "$work/no-tree" "$work/new" "$case_c"
refused "^kunit-kernel: '$work/full' exists and is not an empty directory" "$tree" "$work/full" "$case_c"
[ "$(cat "$work/full/file")" = keep ] && [ "$(ls -A "$work/full")" = file ] ||
	fail "a WORKDIR that was not empty was changed"
refused "^kunit-kernel: cannot read '$work/no-case.c'$" "$tree" "$work/new" "$work/no-case.c"
refused "^kunit-kernel: '$work/other.c' is not a KUnit reproducer" "$tree" "$work/new" "$work/other.c"
refused "^kunit-kernel: '$case_c' walks non-coherently: UML has no DMA API" --arch um "$tree" "$work/new" "$case_c"
refused "^kunit-kernel: no kunit.log in '$work/full' to judge$" --judge "$work/full"
refused "^kunit-kernel: usage: kunit-kernel.sh --judge WORKDIR$" --judge "$work/full" "$case_c"
# scripts/kunit-nightly.sh, before it sets anything up
kk=$here/../scripts/kunit-nightly.sh
refused "^kunit-nightly: usage: kunit-nightly.sh TREE WORKDIR$" 7.3
refused "^kunit-nightly: '$work/full' exists and is not an empty directory" 7.3 "$work/full"
kk=$here/../scripts/kunit-kernel.sh

# ---- the judge ---------------------------------------------------------------

# A run's three cases (their copies in the tree), as iopt-replay --repro
# words them (a phrase may be wrapped).
cases=$work/run/src/drivers/iommu
mkdir -p "$cases"
printf '%s\n' '/*' ' * ... The bug is one iopt-fuzz' ' * plants (IOPT_PLANT=x@kernel): ...' \
	' */' > "$cases/iopt-repro-1.c"
printf '%s\n' '/*' " * This is the known upstream bug 'y': ..." ' */' > "$cases/iopt-repro-2.c"
printf '%s\n' '/*' ' * map_pages leaves ...' ' */' > "$cases/iopt-repro-3.c"
# log P K F OWN: the suites' results, in kunit.py's words
log()
{
	{
		echo "[05:00:00] =========== [$1] io-pgtable-arm-iopt-repro-1 ==========="
		echo "[05:00:00] =========== [$2] io-pgtable-arm-iopt-repro-2 ==========="
		[ "$3" = none ] ||
			echo "[05:00:00] =========== [$3] io-pgtable-arm-iopt-repro-3 ==========="
		echo "[05:00:00] =============== [$4] io-pgtable-arm-test ==============="
		echo "[05:00:00] Testing complete. Ran 4 tests: passed: 2, failed: 2"
	} > "$work/run/kunit.log"
}
# judged WANT_RC REGEX: --judge of the three cases
judged()
{
	local want=$1 re=$2 out rc
	out=$(bash "$kk" --judge "$work/run" 2>&1)
	rc=$?
	[ $rc -eq "$want" ] || fail "--judge exited $rc, wanted $want: $out"
	grep -E -q -- "$re" <<<"$out" || fail "--judge said '$out', nothing matching /$re/"
	echo "judged ($rc): $(grep -E -- "$re" <<<"$out" | head -n 1)"
}
log PASSED FAILED FAILED PASSED
judged 0 "repro-1 passed, as a planted bug's case must"
judged 0 "repro-2 failed, as a known upstream bug's case must"
judged 0 "repro-3 failed \\($cases/iopt-repro-3.c: a finding, no expectation\\)"
log FAILED FAILED PASSED PASSED
judged 1 "repro-1 failed, where its case says it must pass"
log PASSED PASSED PASSED PASSED
judged 1 "repro-2 passed, where its case says it must fail"
log PASSED FAILED PASSED FAILED
judged 1 "the tree's own suite io-pgtable-arm-test failed"
log PASSED FAILED none PASSED
judged 1 "repro-3 has no result"
echo "[05:00:00] Building KUnit Kernel ..." > "$work/run/kunit.log"
refused "^kunit-kernel: '$work/run/kunit.log' is not a finished kunit.py run$" \
	--judge "$work/run"
echo "kunit-kernel-test: ok"
