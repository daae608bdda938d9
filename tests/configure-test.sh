#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# configure-test.sh CASE SOURCE_DIR BUILD_DIR: configure iopt-fuzz against
# a tree made at test time from this build's extracted kernel files
# (BUILD_DIR/ktree), in BUILD_DIR/configure-tests/CASE. No kernel text is
# stored in the repository; the copies live in the build directory.
#
#   git-rev   the files as a git repository: DIR@REV configures with the
#             files of REV, not of the work tree; a wrong REV, and a
#             directory that is not a repository, get one 'iopt:' line
#   lacks     io-pgtable-arm.c calls a function the shim lacks, once not
#             declared (the trial compile fails) and once declared (the
#             trial link fails): configure fails with one line naming the
#             function and the file
#   kconfig   a CONFIG_ symbol the files test that iopt-fuzz does not set
#             by itself is built as the tree's Kconfig defaults it, or as
#             IOPT_KCONFIG says, with a notice; IOPT_KCONFIG naming a symbol
#             no file tests gets one 'iopt:' line
#   point     the same files under the next point release's version get
#             the same seeds digest as this build (or none, as this build);
#             with io-pgtable-arm.c changed by a comment, none
set -uo pipefail

[ $# -eq 3 ] || { echo "usage: configure-test.sh CASE SOURCE_DIR BUILD_DIR" >&2; exit 2; }
case=$1
top=$2
build=$3
work=$build/configure-tests/$case
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
shift_=$(sed -n 's/^IOPT_PAGE_SHIFT:[A-Z]*=//p' "$build/CMakeCache.txt")

fail() { echo "configure-test $case: $*"; exit 1; }

# configure TREE [ARG...]: configure a fresh build of TREE; its output in $out.
configure()
{
	local tree=$1

	shift
	rm -rf "$work/b"
	out=$(cmake -S "$top" -B "$work/b" -DCMAKE_C_COMPILER="$cc" \
		-DIOPT_KERNEL_SRC="$tree" -DIOPT_PAGE_SHIFT="${shift_:-12}" "$@" 2>&1)
}

# expect_line REGEX: the configure failed with exactly one 'iopt:' line
# matching REGEX (besides the notices a tree whose text differs from its
# version's contract gets on every configure, failed or not: a pKVM
# series tree).
expect_line()
{
	local lines

	lines=$(printf '%s\n' "$out" | grep '^iopt: ' | grep -c -v '^iopt: notice: ' || true)
	printf '%s\n' "$out" | grep -E -q -- "$1" && [ "$lines" -eq 1 ] || {
		printf '%s\n' "$out" | tail -n 20
		fail "expected one line matching /$1/"
	}
	printf '%s\n' "$out" | grep -E -m 1 -- "$1"
}

version=$(sed -n 's/^#define IOPT_TREE_VERSION "\(.*\)"$/\1/p' \
	"$build/generated/iopt_tree_config.h")
rm -rf "$work"
mkdir -p "$work/tree"
cp -r "$build/ktree/." "$work/tree/" && rm -f "$work/tree/.source" ||
	fail "cannot copy $build/ktree"

case $case in
git-rev)
	git() { command git -C "$work/tree" -c user.name=iopt \
		-c user.email=iopt@localhost "$@"; }
	git init -q && git add -A && git commit -q -m files ||
		fail "cannot make a git repository"
	sed -i 's/^EXTRAVERSION *=.*/EXTRAVERSION = -iopt-rev2/' "$work/tree/Makefile"
	git commit -q -a -m rev2 || fail "cannot commit"
	sed -i 's/^EXTRAVERSION *=.*/EXTRAVERSION = -iopt-worktree/' "$work/tree/Makefile"

	configure "$work/tree@HEAD~1"
	printf '%s\n' "$out" | grep -F -q "iopt: kernel tree $version from " &&
	printf '%s\n' "$out" | grep -E "^-- iopt: kernel tree .* from .*@HEAD~1 \([0-9a-f]{40}\)" ||
		{ printf '%s\n' "$out" | tail -n 20; fail "HEAD~1 did not configure with its own files"; }
	configure "$work/tree@HEAD"
	printf '%s\n' "$out" | grep -E "^-- iopt: kernel tree [0-9.]+-iopt-rev2 from " ||
		{ printf '%s\n' "$out" | tail -n 20; fail "HEAD did not configure with its own files"; }

	configure "$work/tree@no-such-rev"
	expect_line "^iopt: 'no-such-rev' is not a revision of the git repository '$work/tree'$"
	# (and no repository around it: the build directory may be in one)
	rm -rf "$work/tree/.git"
	GIT_CEILING_DIRECTORIES=$work configure "$work/tree@HEAD"
	expect_line "^iopt: '$work/tree' is not a git repository, so '$work/tree@HEAD' names no revision$"
	;;
lacks)
	# (a function added at the end of the file calls it: every tree
	# has an end, not every tree the same calls)
	arm=$work/tree/drivers/iommu/io-pgtable-arm.c
	want="^iopt: ${version//./\\.}: the shim lacks iopt_test_lacked_fn \\(used by drivers/iommu/io-pgtable-arm.c\\)$"
	cp "$arm" "$work/arm.c"
	printf '%s\n' "void iopt_test_caller(void *p) { iopt_test_lacked_fn(p); }" >> "$arm"
	configure "$work/tree"
	expect_line "$want"
	{ cat "$work/arm.c"
	  printf '%s\n' "void iopt_test_lacked_fn(void *);" \
		"void iopt_test_caller(void *p) { iopt_test_lacked_fn(p); }"
	} > "$arm"
	configure "$work/tree"
	expect_line "$want"
	;;
point)
	# digest_cmd: seeds-digest's command line in build $1, if registered
	digest_cmd() { (cd "$1" && ctest -N -V -R '^seeds-digest$') |
		sed -n 's/^.*Test command: //p'; }
	mine=$(digest_cmd "$build")
	awk '/^SUBLEVEL *=/ { $NF = $NF + 1 } 1' "$build/ktree/Makefile" \
		> "$work/tree/Makefile"
	configure "$work/tree" || fail "the point release did not configure: $(printf '%s\n' "$out" | grep '^iopt: ' | head -n 1)"
	theirs=$(digest_cmd "$work/b")
	printf '%s\n' "$out" | grep -E "^-- iopt: kernel tree " | grep -v -F " $version " ||
		fail "the tree's version did not change"
	[ "${theirs//$work\/b/B}" = "${mine//$build/B}" ] ||
		fail "this build's seeds-digest is '$mine'; the point release's '$theirs'"
	echo "/* iopt: a point release's change */" >> "$work/tree/drivers/iommu/io-pgtable-arm.c"
	configure "$work/tree" || fail "the changed tree did not configure"
	[ -z "$(digest_cmd "$work/b")" ] ||
		fail "seeds-digest is registered for changed files: $(digest_cmd "$work/b")"
	echo "seeds-digest: ${mine:-none} on both versions; none once io-pgtable-arm.c changed"
	;;
kconfig)
	# A Kconfig symbol the files test that iopt-fuzz does not set by
	# itself, as a patch adding an option brings: built as the tree's
	# drivers/iommu/Kconfig defaults it (here y, so the #error it guards
	# stops the configure-time compile), or as IOPT_KCONFIG says, with a
	# notice naming it either way.
	arm=$work/tree/drivers/iommu/io-pgtable-arm.c
	kc=$work/tree/drivers/iommu/Kconfig
	printf '%s\n' '#ifdef CONFIG_IOPT_TEST_HINT' \
		'#error "iopt-test: CONFIG_IOPT_TEST_HINT is on"' '#endif' >> "$arm"
	printf '%s\n' 'config IOPT_TEST_HINT' '	bool "An option a patch adds"' \
		'	depends on IOMMU_IO_PGTABLE_LPAE' '	default y' '	help' \
		'	  Say Y.' '' >> "$kc"
	notice="^iopt: notice: files test CONFIG_IOPT_TEST_HINT, which iopt-fuzz does not set by itself: built"
	configure "$work/tree" && fail "configured with CONFIG_IOPT_TEST_HINT, which its #error forbids"
	printf '%s\n' "$out" | grep -E -q "$notice on, =y \(its default in drivers/iommu/Kconfig\)" ||
		{ printf '%s\n' "$out" | tail -n 20; fail "no notice of CONFIG_IOPT_TEST_HINT built on"; }
	printf '%s\n' "$out" | grep -q "iopt-test: CONFIG_IOPT_TEST_HINT is on" ||
		{ printf '%s\n' "$out" | tail -n 20; fail "the failed configure does not show the #error"; }
	configure "$work/tree" -DIOPT_KCONFIG=IOPT_TEST_HINT=n ||
		fail "IOPT_KCONFIG=IOPT_TEST_HINT=n did not configure: $(printf '%s\n' "$out" | grep '^iopt: ' | head -n 1)"
	printf '%s\n' "$out" | grep -E "$notice off, =n \(IOPT_KCONFIG\)" ||
		fail "no notice of CONFIG_IOPT_TEST_HINT built off by IOPT_KCONFIG"
	sed -i 's/^\tdefault y$/\tdefault n/' "$kc"
	configure "$work/tree" || fail "a default n did not configure"
	printf '%s\n' "$out" | grep -E "$notice off, =n \(its default in drivers/iommu/Kconfig is not an unconditional y\)" ||
		fail "no notice of CONFIG_IOPT_TEST_HINT off by its default"
	configure "$work/tree" -DIOPT_KCONFIG=IOPT_NO_SUCH=y
	expect_line "^iopt: IOPT_KCONFIG: no compiled file of the tree tests CONFIG_IOPT_NO_SUCH$"
	;;
*)
	echo "configure-test.sh: unknown case '$case'" >&2
	exit 2 ;;
esac
echo "configure-test $case: ok"
