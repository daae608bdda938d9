#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
#
# OSS-Fuzz / ClusterFuzzLite build of iopt-fuzz: the libFuzzer entry point
# (fuzz/libfuzzer.c) linked with the engine OSS-Fuzz chose, built against
# the io-pgtable files of a distribution kernel-source package.
#
# OSS-Fuzz sets: CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE OUT, and WORK
# (the build directory goes there; without WORK, a fresh one under /tmp).
# IOPT_KERNEL_SRC: the tree (default Debian's linux-source-7.3 tarball,
# which the Dockerfile installs; 6.12 and the others build as well).
# IOPT_SRC: the checkout (default: the one holding this script, else $PWD,
# which is the Dockerfile's WORKDIR when OSS-Fuzz runs $SRC/build.sh).
#
# Writes only into $WORK/iopt-fuzz-build and $OUT, never the source tree.
# Produces $OUT/iopt-fuzz, iopt-fuzz.options, and when the checkout has
# them iopt-fuzz.dict (corpus/iopt-fuzz.dict) and iopt-fuzz_seed_corpus.zip
# (corpus/seeds/).

die()
{
	echo "iopt: oss-fuzz build: $*" >&2
	exit 1
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${IOPT_SRC:-}" ]; then
	if [ -f "$here/../../fuzz/libfuzzer.c" ]; then
		IOPT_SRC=$(cd "$here/../.." && pwd)
	else
		IOPT_SRC=$PWD
	fi
fi
src=$IOPT_SRC
[ -f "$src/fuzz/libfuzzer.c" ] && [ -f "$src/CMakeLists.txt" ] ||
	die "'$src' is not an iopt-fuzz checkout (set IOPT_SRC)"
for v in CC CXX OUT LIB_FUZZING_ENGINE; do
	[ -n "${!v:-}" ] || die "$v is not set (OSS-Fuzz sets it; see ci/oss-fuzz/test-local.sh)"
done
[ -d "$OUT" ] || die "OUT '$OUT' is not a directory"
tree=${IOPT_KERNEL_SRC:-/usr/src/linux-source-7.3.tar.xz}
[ -e "$tree" ] ||
	die "no kernel tree at '$tree' (install linux-source-7.3 from trixie-backports, or set IOPT_KERNEL_SRC)"

# The runner image has no libxxhash: link it statically, and compile
# XXH3 from the header (XXH_INLINE_ALL) so that it carries the build's
# instrumentation (MSan needs every byte written by instrumented code).
xxlib=${IOPT_XXHASH_LIB:-}
if [ -z "$xxlib" ]; then
	for d in /usr/local/lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib; do
		[ -f "$d/libxxhash.a" ] && xxlib=$d/libxxhash.a && break
	done
fi
[ -n "$xxlib" ] || die "no libxxhash.a (install libxxhash-dev, or set IOPT_XXHASH_LIB)"

if [ -n "${WORK:-}" ]; then
	bdir=$WORK/iopt-fuzz-build
	rm -rf "$bdir"		# ours alone; a stale cache may hold another CC
else
	bdir=$(mktemp -d /tmp/iopt-fuzz-build.XXXXXX)
fi
case "$bdir/" in
"$src"/*) die "build directory '$bdir' is inside the source tree" ;;
esac

cmake -S "$src" -B "$bdir" \
	-DCMAKE_BUILD_TYPE=None \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
	-DCMAKE_C_FLAGS="${CFLAGS:-} -DXXH_INLINE_ALL" \
	-DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
	-DIOPT_KERNEL_SRC="$tree" \
	-DIOPT_FUZZ_ENGINE=external \
	-DIOPT_FUZZ_ENGINE_LIB="$LIB_FUZZING_ENGINE" \
	-DXXHASH_LIB="$xxlib"
cmake --build "$bdir" --target iopt-fuzz -j"$(nproc)"

cp "$bdir/iopt-fuzz" "$OUT/iopt-fuzz"
for f in corpus/iopt-fuzz.dict corpus/seeds; do
	[ -e "$src/$f" ] || { echo "iopt: oss-fuzz build: $src/$f is missing" >&2; exit 1; }
done
cp "$src/corpus/iopt-fuzz.dict" "$OUT/iopt-fuzz.dict"
cp "$src/ci/oss-fuzz/iopt-fuzz.options" "$OUT/iopt-fuzz.options"
mapfile -t seeds < <(find "$src/corpus/seeds" -type f | LC_ALL=C sort)
[ ${#seeds[@]} -gt 0 ] || { echo "iopt: oss-fuzz build: corpus/seeds/ is empty" >&2; exit 1; }
rm -f "$bdir/seeds.zip"
zip -q -j -X "$bdir/seeds.zip" "${seeds[@]}"
mv "$bdir/seeds.zip" "$OUT/iopt-fuzz_seed_corpus.zip"
echo "iopt: oss-fuzz build: ${#seeds[@]} seeds in iopt-fuzz_seed_corpus.zip"
