#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-kernel-test.sh WORK: scripts/kunit-kernel.sh refuses wrong
# arguments with one line and exit status 2, before it writes anything
# or installs anything (a real kernel build takes minutes: its runs are
# in docs/reproducers.md, not here). WORK: a scratch directory, where a
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
echo "kunit-kernel-test: ok"
