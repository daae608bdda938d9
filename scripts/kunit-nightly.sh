#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-nightly.sh TREE WORKDIR
#
# The standard KUnit reproducers of TREE, run in a real arm64 kernel: what
# the nightly job does for each supported tree, and what to run after a
# change to the case generator (fuzz/kunit_*.c) or to a shim the cases
# rest on. It builds iopt-replay for TREE (WORKDIR/build), writes with
# iopt-replay --repro one case per planted bug below that a KUnit case can
# show and per known upstream bug (WORKDIR/cases/NAME), then runs them all
# with scripts/kunit-kernel.sh (WORKDIR/kernel), whose judge holds each
# case to what it says of itself: a planted bug's case passes, a known
# bug's fails.
#
# A program that ends in no report on TREE gives no case, and says so on
# one line: a known bug the tree does not have (split-tlb-ttl since 6.13),
# or a plant the tree's API cannot meet (walk-zero-l3 before
# ops->pgtable_walk). TREE as scripts/kunit-kernel.sh takes it (a short
# name of scripts/trees.sh, a directory, a linux-source-*.tar.xz).
# WORKDIR must not exist, or be empty. Exit status: scripts/kunit-kernel.sh's
# (0 every case as it says, 1 one not); 2 for wrong arguments (one line,
# nothing written), a build that fails or a --repro that fails otherwise.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"

die() { echo "kunit-nightly: $*" >&2; exit 2; }

# PLANT|NAME|INPUT (of the repository): PLANT empty for a known bug.
cases=(
	"skip-add-page@kernel|tlb-stale|corpus/seeds/real-streaming-dma-strict"
	"add-page-granule@kernel|tlb-granule|corpus/seeds/real-huge-partial-arm64-s1"
	"flush-walk-granule@kernel|free-order|corpus/seeds/quirk-arm64-s1-ns"
	"cfg-t0sz@kernel|config|corpus/seeds/cfg-arm64-s1-all-coherent"
	"warn-iova-to-phys@kernel|warn|corpus/seeds/cfg-arm64-s1-all-coherent"
	"sleep-alloc@kernel:2|runtime|tests/inputs/atomic-maps-s1"
	"leak-slab@kernel|teardown|corpus/seeds/cfg-arm64-s1-all-noncoherent"
	"lookup-cmo@kernel|lookup|corpus/seeds/real-streaming-dma-strict"
	"walk-zero-l3@kernel|walk|corpus/seeds/v3-walk-arm64-s1-hd"
	"short-cmo@kernel:3|stale|corpus/seeds/real-streaming-dma-strict"
	"late-clean@kernel:2|publish|corpus/seeds/real-streaming-dma-strict"
	"|known-s2-start-level|corpus/seeds/sizes-arm64-s2-ias5-oas1"
	"|known-mali-transtab|corpus/seeds/alloc-custom-mali-ias32"
	"|known-small-pgd|corpus/seeds/alloc-custom-arm64-s1-ias32"
	"|known-split-tlb-s1|corpus/seeds/real-huge-partial-arm64-s1"
	"|known-split-tlb-s2|corpus/seeds/real-huge-partial-arm64-s2"
)

[ $# -eq 2 ] || die "usage: kunit-nightly.sh TREE WORKDIR"
name=$1
work=$2
if [ -e "$work" ]; then
	[ -d "$work" ] && [ -z "$(ls -A "$work")" ] ||
		die "'$work' exists and is not an empty directory: give a new WORKDIR"
fi
# (scripts/setup.sh fetches the named trees; a path must be there already)
bash "$top/scripts/setup.sh" || die "cannot set up (scripts/setup.sh)"
tree=$(iopt_tree "$name")
[ -e "$tree" ] || die "no such kernel tree '$tree'"

mkdir -p "$work/cases" || die "cannot create '$work'"
work=$(cd "$work" && pwd)
echo "kunit-nightly: building iopt-replay for $tree in $work/build"
{ cmake -S "$top" -B "$work/build" -DCMAKE_C_COMPILER=clang-14 \
	-DIOPT_KERNEL_SRC="$tree" &&
	cmake --build "$work/build" -j"$(nproc)" --target iopt-replay; } \
	>"$work/build.log" 2>&1 ||
	die "iopt-replay does not build for '$tree' (the log: $work/build.log)"

made=()
for c in "${cases[@]}"; do
	IFS='|' read -r plant cname input <<<"$c"
	out=$(cd "$top" && IOPT_PLANT=$plant "$work/build/iopt-replay" \
		--repro "$work/cases/$cname" "$input" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		made+=("$work/cases/$cname/kunit.c")
		echo "kunit-nightly: $cname: ${out##*--repro: }"
	elif grep -q "ends in no report" <<<"$out"; then
		echo "kunit-nightly: $cname: no case on this tree: $input ends in no report${plant:+ with $plant}"
	else
		die "iopt-replay --repro of $cname failed ($rc): $out"
	fi
done
[ ${#made[@]} -gt 0 ] || die "no case for '$tree'"
bash "$top/scripts/kunit-kernel.sh" "$tree" "$work/kernel" "${made[@]}"
