#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# coverage.sh [--tree T] [--build DIR] [CORPUS_DIR...]: what of
# drivers/iommu/io-pgtable-arm.c a corpus reaches. Builds iopt-replay with
# clang source-based coverage (-DIOPT_COVERAGE=ON, no libFuzzer) into
# build/coverage, replays the corpora (default: corpus/seeds and
# corpus/regressions), merges the profiles with llvm-profdata-14, writes
# an HTML report into <build>/html and prints one summary line:
#
#   iopt: coverage of drivers/iommu/io-pgtable-arm.c: lines L% (a/b), branches B% (c/d), ...
#
# Exit status: 0 report written, 1 build or tool failure, 2 bad usage.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"

die()
{
	echo "iopt: coverage: $*" >&2
	exit 2
}

tree=${IOPT_KERNEL_SRC:-$IOPT_DEFAULT_TREE}
bdir=$top/build/coverage
dirs=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help)
		echo "usage: scripts/coverage.sh [--tree TREE] [--build DIR] [CORPUS_DIR...]"
		exit 0 ;;
	--tree|--build)
		[ $# -ge 2 ] || die "$1 needs a value"
		[ "$1" = --tree ] && tree=$2 || bdir=$2
		shift 2 ;;
	-*)
		die "unknown option '$1' (see --help)" ;;
	*)
		[ -d "$1" ] || die "no such corpus directory '$1'"
		dirs+=("$(cd "$1" && pwd)")
		shift ;;
	esac
done
tree=$(iopt_tree "$tree")
[ -e "$tree" ] || die "no such kernel tree '$tree'"
if [ ${#dirs[@]} -eq 0 ]; then
	for d in "$top/corpus/seeds" "$top/corpus/regressions"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] ||
		die "no corpus given, and the tree has no corpus/seeds or corpus/regressions: name one or more directories (e.g. build/campaigns/main/corpus)"
fi

bash "$top/scripts/setup.sh"
mkdir -p "$bdir"
bdir=$(cd "$bdir" && pwd)
echo "iopt: coverage build against $tree in $bdir"
# Configure (and take the files out of the tree) only when needed; the
# build re-runs CMake itself if the tree's files or ours changed.
cache=$bdir/CMakeCache.txt
# IOPT_KCONFIG (environment): Kconfig symbols' values, as review.sh
# --kconfig gives them for two trees, one of which may not test a symbol.
# IOPT_CONTRACT (environment): the oracle's contract, if not the tree
# version's (review.sh --patched-contract, for the patched tree).
if ! grep -q -x -F "IOPT_KERNEL_SRC:STRING=$tree" "$cache" 2>/dev/null ||
   ! grep -q -x -F 'IOPT_COVERAGE:BOOL=ON' "$cache" ||
   ! grep -q -x -F "IOPT_KCONFIG:STRING=${IOPT_KCONFIG:-}" "$cache" ||
   ! grep -q -x -F "IOPT_CONTRACT:STRING=${IOPT_CONTRACT:-}" "$cache"; then
	cmake -S "$top" -B "$bdir" -DCMAKE_C_COMPILER=clang-14 \
		-DIOPT_KERNEL_SRC="$tree" -DIOPT_SANITIZE= -DIOPT_COVERAGE=ON \
		-DIOPT_KCONFIG="${IOPT_KCONFIG:-}" -DIOPT_KCONFIG_UNCHECKED=ON \
		-DIOPT_CONTRACT="${IOPT_CONTRACT:-}" \
		>"$bdir.log" 2>&1 ||
		{ grep -E '^iopt:' "$bdir.log" || tail -n 20 "$bdir.log"; exit 1; }
fi
cmake --build "$bdir" --target iopt-replay -j"$(nproc)" >>"$bdir.log" 2>&1 ||
	{ tail -n 30 "$bdir.log"; exit 1; }

# Profiles of earlier runs are results, not inputs: start afresh.
raw=$bdir/profraw
rm -rf "$raw" "$bdir/html"
mkdir -p "$raw"
bad=0
for d in "${dirs[@]}"; do
	n=$(find "$d" -maxdepth 1 -type f ! -name '.*' | wc -l)
	echo "iopt: coverage: replaying $n inputs of $d"
	rc=0
	LLVM_PROFILE_FILE=$raw/%p.profraw "$bdir/iopt-replay" "$d" \
		>"$raw/replay.log" 2>&1 || rc=$?
	case $rc in
	0)	;;
	1)	# Divergent inputs count too; say which.
		grep -E '^iopt-replay: .*: iopt: ' "$raw/replay.log" | sed 's/^/  /'
		bad=1 ;;
	*)	# A crash loses that process's profile: replay one by one.
		echo "iopt: coverage: the replay of $d stopped (status $rc); replaying its inputs one by one"
		while IFS= read -r -d '' f; do
			LLVM_PROFILE_FILE=$raw/%p.profraw "$bdir/iopt-replay" "$f" \
				>/dev/null 2>&1 || { [ $? -eq 1 ] || echo "  crashed: $f"; }
		done < <(find "$d" -maxdepth 1 -type f ! -name '.*' -print0 | sort -z)
		bad=1 ;;
	esac
done

prof=$bdir/iopt.profdata
llvm-profdata-14 merge -sparse -o "$prof" "$raw"/*.profraw
kfile=$bdir/ktree/drivers/iommu/io-pgtable-arm.c
llvm-cov-14 show "$bdir/iopt-replay" -instr-profile="$prof" \
	-format=html -show-branches=count -output-dir="$bdir/html" \
	>/dev/null
# Filename Regions Missed Cover Functions Missed Executed Lines Missed
# Cover Branches Missed Cover: the line naming the kernel file.
line=$(llvm-cov-14 report "$bdir/iopt-replay" -instr-profile="$prof" "$kfile" |
	awk -v f="$kfile" '$1 == f')
[ -n "$line" ] || { echo "iopt: coverage: no coverage data for $kfile" >&2; exit 1; }
read -r _ regions rmiss _ funcs fmiss _ lines lmiss _ branches bmiss _ <<<"$line"
pct()
{
	awk -v h="$1" -v t="$2" 'BEGIN { printf "%.1f%% (%d/%d)", t ? 100 * h / t : 0, h, t }'
}
echo "iopt: coverage of drivers/iommu/io-pgtable-arm.c: lines $(pct $((lines - lmiss)) "$lines"), branches $(pct $((branches - bmiss)) "$branches"), functions $(pct $((funcs - fmiss)) "$funcs"), regions $(pct $((regions - rmiss)) "$regions")"

# Up to 6.18 the file ends with the kernel's own selftests, under
# CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST (built in: iopt-selftest runs
# them); no replay reaches them. The same numbers without them: minus the
# functions defined after that #ifdef, from the per-function report.
st=$(grep -n -m 1 '^#ifdef CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST' "$kfile" | cut -d: -f1 || true)
if [ -n "$st" ]; then
	names=$(awk -v from="$st" 'NR > from && /^[a-z].*[a-z0-9_]+\(/ && !/;[[:space:]]*$/ {
			sub(/\(.*/, ""); print $NF }' "$kfile" | tr -d '*')
	read -r nf lines lmiss branches bmiss < <(llvm-cov-14 report "$bdir/iopt-replay" \
		-instr-profile="$prof" -show-functions "$kfile" |
		awk -v names="$names" '
			BEGIN { n = split(names, a, "\n"); for (i = 1; i <= n; i++) st[a[i]] = 1 }
			$1 ~ /^io-pgtable-arm\.c:/ {
				f = $1; sub(/^[^:]*:/, "", f)
				if (f in st) next
				nf++; l += $5; lm += $6; b += $8; bm += $9
			}
			END { print nf + 0, l + 0, lm + 0, b + 0, bm + 0 }')
	echo "iopt: coverage without the built-in selftests ($nf functions): lines $(pct $((lines - lmiss)) "$lines"), branches $(pct $((branches - bmiss)) "$branches")"
fi
echo "iopt: coverage: HTML report in $bdir/html/index.html"
[ "$bad" -eq 0 ] || echo "iopt: coverage: some inputs diverged or crashed (above): a divergent input counts, a crashed one does not"
