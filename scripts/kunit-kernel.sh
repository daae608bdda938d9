#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-kernel.sh [--arch arm64|um] TREE WORKDIR KUNIT_C...
# kunit-kernel.sh --judge WORKDIR
#
# Run KUnit reproducers (the kunit.c of iopt-replay --repro) in a real
# kernel, as a reviewer pasting them upstream would: the kernel's own
# tools/testing/kunit/kunit.py builds TREE with io-pgtable-arm and KUnit
# and boots it, arm64 under qemu (the default: it has the DMA API that a
# non-coherent walk's case needs) or UML (--arch um: coherent walks only).
#
# TREE is a kernel source directory, a linux-source-*.tar.xz or a short
# name of scripts/trees.sh (7.3, 6.12, ...). WORKDIR must not exist, or
# be empty: it gets a copy of the tree (src/, about 1.5 GB; the tree
# itself is never written), the build (build/) and kunit.py's output
# (kunit.log). Each case goes into src/drivers/iommu as iopt-repro-N.c,
# its suite named io-pgtable-arm-iopt-repro-N, built in by a Kbuild file
# of its own there that includes the directory's Makefile (no file of
# the tree is changed). The tree's own io-pgtable-arm KUnit suite runs
# too where it has one (v6.19 on).
#
# Then it judges each case by what the case says of itself: one written
# from a bug iopt-fuzz plants must pass (the bug is ours, the tree is
# not changed), one written from a known upstream bug must fail (so must
# a planted one whose program still meets a known bug, as its case
# says), and one written from anything else (a finding in the tree) is
# shown as it ran; every case must have a result, and the tree's own
# suites must pass. --judge does only
# this, again, on the kunit.log of an earlier run in WORKDIR and the
# copies of its cases there.
#
# What it needs (python3, make, gcc, flex, bison, bc; for arm64 the
# aarch64 cross compiler and qemu-system-aarch64) is installed from
# Debian's packages when missing. Building takes minutes (about 6 on 2
# cores, from nothing). Exit status: 0 every case ran as it says it
# must; 1 one did not (or the tree's own suite failed); 2 when the
# arguments are wrong or the kernel does not build or boot.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"

die() { echo "kunit-kernel: $*" >&2; exit 2; }

# What a case says it must do upstream: fail, pass, or "" (a finding).
expectation()
{
	local text

	text=$(tr -d '\n*' < "$1" | tr -s ' \t' '  ')
	if grep -q -e "This is the known upstream bug '" \
		-e "still meets the known upstream bug '" <<<"$text"; then
		echo fail
	elif grep -q "The bug is one iopt-fuzz plants" <<<"$text"; then
		echo pass
	fi
}

# judge LOG KUNIT_C...: each case's suite io-pgtable-arm-iopt-repro-N
# (N its place) against its expectation, and every other suite passed.
judge()
{
	local log=$1 n=0 bad=0 c want got suite
	shift
	for c in "$@"; do
		n=$((n + 1))
		suite=io-pgtable-arm-iopt-repro-$n
		want=$(expectation "$c")
		got=$(grep -E -o "\[(PASSED|FAILED|SKIPPED)\] $suite( |\$)" "$log" |
			head -n 1 | sed -E 's/^\[([A-Z]+)\].*/\1/' | tr 'A-Z' 'a-z')
		[ -n "$got" ] || got="no result"
		case "$want:$got" in
		*:"no result")
			echo "kunit-kernel: $suite has no result: the kernel stopped before it? ($c)"
			bad=1
			;;
		pass:passed) echo "kunit-kernel: $suite passed, as a planted bug's case must ($c)" ;;
		fail:failed) echo "kunit-kernel: $suite failed, as a known upstream bug's case must ($c)" ;;
		:*) echo "kunit-kernel: $suite $got ($c: a finding, no expectation)" ;;
		*)
			echo "kunit-kernel: $suite $got, where its case says it must ${want} ($c)"
			bad=1
			;;
		esac
	done
	while read -r suite; do
		echo "kunit-kernel: the tree's own suite $suite failed"
		bad=1
	done < <(grep -E -o "=+ \[FAILED\] [^ ]+" "$log" | sed -E 's/.*\] //' |
		grep -v -E '^io-pgtable-arm-iopt-repro-[0-9]+$' | sort -u)
	return $bad
}

if [ "${1:-}" = --judge ]; then
	[ $# -eq 2 ] || die "usage: kunit-kernel.sh --judge WORKDIR"
	log=$2/kunit.log
	copies=$2/src/drivers/iommu
	[ -r "$log" ] || die "no kunit.log in '$2' to judge"
	grep -q 'Testing complete' "$log" || die "'$log' is not a finished kunit.py run"
	set --
	while [ -f "$copies/iopt-repro-$(($# + 1)).c" ]; do
		set -- "$@" "$copies/iopt-repro-$(($# + 1)).c"
	done
	[ $# -gt 0 ] || die "no case in '$copies' to judge"
	judge "$log" "$@"
	exit $?
fi

arch=arm64
if [ "${1:-}" = --arch ]; then
	arch=${2:-}
	shift 2 || true
fi
case $arch in
arm64|um) ;;
*) die "--arch: '$arch' is neither arm64 nor um" ;;
esac
[ $# -ge 3 ] || die "usage: kunit-kernel.sh [--arch arm64|um] TREE WORKDIR KUNIT_C..."
tree=$(iopt_tree "$1")
work=$2
shift 2

# ---- the arguments, all checked before anything is written ----------------

if [ -d "$tree" ]; then
	[ -f "$tree/drivers/iommu/io-pgtable-arm.c" ] &&
		[ -f "$tree/tools/testing/kunit/kunit.py" ] ||
		die "'$tree' is not a kernel source tree with KUnit"
elif [[ "$tree" == *.tar.xz ]]; then
	[ -r "$tree" ] || die "cannot read the kernel tree '$tree'"
else
	die "no such kernel tree '$tree' (a directory, a linux-source-*.tar.xz or a name of scripts/trees.sh)"
fi
if [ -e "$work" ]; then
	[ -d "$work" ] && [ -z "$(ls -A "$work")" ] ||
		die "'$work' exists and is not an empty directory: give a new WORKDIR"
fi
for c in "$@"; do
	[ -f "$c" ] && [ -r "$c" ] || die "cannot read '$c'"
	grep -q '^kunit_test_suite(io_pgtable_arm_repro);$' "$c" ||
		die "'$c' is not a KUnit reproducer of iopt-replay --repro"
	if [ $arch = um ] && grep -q 'coherent_walk	= false' "$c"; then
		die "'$c' walks non-coherently: UML has no DMA API to clean its tables (use --arch arm64)"
	fi
done

# ---- what kunit.py needs ---------------------------------------------------

need=(python3 make gcc flex bison bc)
pkgs=(python3 make gcc flex bison bc)
if [ $arch = arm64 ]; then
	need+=(aarch64-linux-gnu-gcc qemu-system-aarch64)
	pkgs+=(gcc-aarch64-linux-gnu qemu-system-arm)
fi
missing=()
for i in "${!need[@]}"; do
	command -v "${need[$i]}" >/dev/null || missing+=("${pkgs[$i]}")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "kunit-kernel: installing ${missing[*]}" >&2
	{ $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null; } 2>&1 |
		tail -n 3 >&2
	for n in "${need[@]}"; do
		command -v "$n" >/dev/null || die "cannot install what provides '$n'"
	done
fi

# ---- the tree, its cases, its configuration --------------------------------

mkdir -p "$work/src" || die "cannot create '$work'"
work=$(cd "$work" && pwd)
src=$work/src
if [ -d "$tree" ]; then
	tar -C "$tree" --exclude=.git -cf - . | tar -C "$src" -xf - ||
		die "cannot copy '$tree' into '$src'"
	# (a tree built in place: kunit.py builds out of tree, from a clean one)
	[ ! -e "$src/.config" ] || make -s -C "$src" mrproper >/dev/null ||
		die "cannot clean the copy of '$tree' (make mrproper)"
else
	tar -xJf "$tree" -C "$src" --strip-components=1 ||
		die "cannot extract '$tree' into '$src'"
	[ -f "$src/tools/testing/kunit/kunit.py" ] ||
		die "'$tree' is not a kernel source tarball with KUnit"
fi
iommu=$src/drivers/iommu
[ ! -e "$iommu/Kbuild" ] || die "'$tree' has a drivers/iommu/Kbuild of its own"
echo "include \$(srctree)/drivers/iommu/Makefile" > "$iommu/Kbuild"
n=0
for c in "$@"; do
	n=$((n + 1))
	sed "s/\"io-pgtable-arm-iopt-repro\"/\"io-pgtable-arm-iopt-repro-$n\"/" \
		"$c" > "$iommu/iopt-repro-$n.c"
	echo "obj-y += iopt-repro-$n.o" >> "$iommu/Kbuild"
	echo "kunit-kernel: $c is io-pgtable-arm-iopt-repro-$n"
done
{
	echo CONFIG_KUNIT=y
	echo CONFIG_IOMMU_SUPPORT=y
	echo CONFIG_IOMMU_IO_PGTABLE_LPAE=y
	[ $arch = arm64 ] || echo CONFIG_COMPILE_TEST=y
	! grep -q '^config IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST$' "$iommu/Kconfig" ||
		echo CONFIG_IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST=y
} > "$work/kunitconfig"

# ---- build and boot ----------------------------------------------------------

args=(run --kunitconfig="$work/kunitconfig" --build_dir="$work/build"
	--jobs="$(nproc)")
[ $arch = um ] || args+=(--arch=arm64 --cross_compile=aarch64-linux-gnu-)
(cd "$src" && python3 tools/testing/kunit/kunit.py "${args[@]}") 2>&1 |
	tee "$work/kunit.log"
rc=${PIPESTATUS[0]}
grep -q 'Testing complete' "$work/kunit.log" || {
	echo "kunit-kernel: the kernel did not build or boot (the log: $work/kunit.log)" >&2
	exit 2
}
echo "kunit-kernel: kunit.py exited $rc; each case by what it says of itself:"
judge "$work/kunit.log" "$@"
exit $?
