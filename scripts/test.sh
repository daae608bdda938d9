#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test suite: set up, then build and run the CTest suite against each
# supported tree: 7.3, 6.12 and 6.1 under ASan+UBSan; 6.12 plain (with the
# campaign tests); 6.12 with an emulated 64K PAGE_SIZE, built at -O0; and
# 7.2, whose io-pgtable files are 7.3's, plain and without a fuzzing engine
# (the tree builds, its selftests, seeds and digests). Prints one closing
# "N passed, N failed" line; exits non-zero on any failure.
#
# A configuration that registers fewer tests than tests/test-counts says
# fails: a group of tests cannot vanish unnoticed (a higher count is fine;
# raise the file's number with the tests you add). So does one without
# seeds-digest, which is registered only where tests/digests has a digest
# of the tree's series and page shift recorded from the same io-pgtable
# files (a test tree in /tmp has none; a Debian point release that changed
# them has none until one is recorded: the message says how).
#
# The 6.12 and 7.2 configurations are review builds too, with 7.3 as the
# patched tree (docs/review.md): 6.12 against 7.3 shows only the contract
# changes between them; 7.2 against 7.3 (the same io-pgtable files) none.
#
# IOPT_TEST_CONFIGS overrides the list:
# "name:tree:sanitizers[:page_shift[:build_type[:engine[:patched]]]] ...",
# a tree being a path or a short name of scripts/trees.sh. The first
# configuration also builds the OSS-Fuzz way (ci/oss-fuzz/test-local.sh).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"
bash "$top/scripts/setup.sh" || exit 1

configs=${IOPT_TEST_CONFIGS:-"7.3-asan:7.3:address,undefined
6.12-asan:6.12:address,undefined
6.1-asan:6.1:address,undefined
6.12:6.12::12:RelWithDebInfo::7.3
6.12-64k-O0:6.12::16:Debug
7.2:7.2::12:RelWithDebInfo:none:7.3"}
jobs=$(nproc)
mkdir -p "$top/build"
pass=0
fail=0
oss_fuzz=ON

for cfg in $configs; do
	IFS=: read -r name tree san shift btype engine patched <<< "$cfg"
	tree=$(iopt_tree "$tree")
	[ -z "$patched" ] || patched=$(iopt_tree "$patched")
	bdir=$top/build/test-$name
	echo "=== $name: tree $tree${san:+, sanitizers $san}"
	oss=$oss_fuzz
	oss_fuzz=OFF
	if ! cmake -S "$top" -B "$bdir" -DCMAKE_C_COMPILER=clang-14 \
		-DIOPT_KERNEL_SRC="$tree" -DIOPT_SANITIZE="$san" \
		-DIOPT_PAGE_SHIFT="${shift:-12}" \
		-DCMAKE_BUILD_TYPE="${btype:-RelWithDebInfo}" \
		${engine:+-DIOPT_FUZZ_ENGINE=$engine} \
		-DIOPT_PATCHED_SRC="$patched" \
		-DIOPT_OSS_FUZZ_TEST=$oss >"$bdir.log" 2>&1 ||
	   ! cmake --build "$bdir" -j"$jobs" >>"$bdir.log" 2>&1; then
		tail -n 30 "$bdir.log"
		echo "=== $name: build FAILED (log: $bdir.log)"
		fail=$((fail + 1))
		continue
	fi
	registered=$(cd "$bdir" && ctest -N | sed -n 's/^Total Tests: //p')
	want=$(awk -v n="$name" '!/^#/ && $1 == n { print $2 }' "$top/tests/test-counts")
	if [ -z "$want" ] || [ "${registered:-0}" -lt "$want" ]; then
		echo "=== $name: $registered tests registered, tests/test-counts wants at least ${want:-a line for '$name'}"
		fail=$((fail + 1))
	fi
	# seeds-digest is registered only for a tree whose files have a digest
	# in tests/digests (tests/CMakeLists.txt): every configuration here must.
	# (the list read whole first: grep -q closing the pipe early would
	# fail ctest with SIGPIPE, and pipefail the test)
	digest=$(cd "$bdir" && ctest -N -R '^seeds-digest$')
	if ! grep -q ' seeds-digest$' <<<"$digest"; then
		tc=$bdir/generated/tree.cmake
		v=$(sed -n 's/^set(IOPT_TREE_VERSION "\(.*\)")$/\1/p' "$tc")
		id=$(sed -n 's/^set(IOPT_TREE_FILES_ID \(.*\))$/\1/p' "$tc")
		ps=$(sed -n 's/^IOPT_PAGE_SHIFT:STRING=//p' "$bdir/CMakeCache.txt")
		echo "=== $name: seeds-digest is not registered: tests/digests has no digest of $v's io-pgtable files ($id); once what they change is understood, record one: tests/digest-test.sh --update $bdir/iopt-replay $v-p$ps $id, then configure again"
		fail=$((fail + 1))
	fi
	out=$(cd "$bdir" && ctest --output-on-failure -j"$jobs" 2>&1)
	printf '%s\n' "$out" | grep -E '^ *[0-9]+/[0-9]+ Test|tests passed|FAILED|Failed|\*\*\*' 
	p=$(printf '%s\n' "$out" | grep -c -E '^ *[0-9]+/[0-9]+ Test .*Passed')
	t=$(printf '%s\n' "$out" | grep -c -E '^ *[0-9]+/[0-9]+ Test ')
	pass=$((pass + p))
	fail=$((fail + t - p))
	[ "$t" -gt 0 ] || fail=$((fail + 1))
	[ "$t" -eq "$p" ] || printf '%s\n' "$out" | tail -n 60
done

echo
echo "iopt tests: $pass passed, $fail failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
