#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ci/oss-fuzz/test-local.sh [DIR]: what OSS-Fuzz does with build.sh, without
# Docker. For each variant, runs build.sh with OSS-Fuzz's variables set by
# hand, then runs the target briefly on the seed corpus the way ClusterFuzz
# would (the .options flags, the dictionary) and checks that it executed
# inputs, saw kernel coverage, and reported nothing; for AFL++ also that
# persistent mode is stable (>= 99 %). Also checks that build.sh wrote
# nothing into the source tree and that the target needs no library the
# OSS-Fuzz runner lacks.
#
# Variants (IOPT_OSS_FUZZ_VARIANTS, default "libfuzzer-address afl-address"):
#   libfuzzer-address  clang-14, ASan+UBSan, -fsanitize=fuzzer
#   afl-address        afl-clang-fast, ASan+UBSan, libAFLDriver.a
#   libfuzzer-memory   clang-14, MSan (docs/campaigns.md: why it is not
#                      in project.yaml)
# IOPT_KERNEL_SRC is passed on to build.sh; IOPT_OSS_FUZZ_SECONDS (10) is
# how long each target runs. Work goes into a fresh directory under DIR
# (default /tmp), removed when everything passed, kept (with any crash)
# otherwise. Exit 0 when every variant passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:-/tmp}
secs=${IOPT_OSS_FUZZ_SECONDS:-10}
variants=${IOPT_OSS_FUZZ_VARIANTS:-"libfuzzer-address afl-address"}
mkdir -p "$base" || { echo "iopt: test-local: cannot create '$base'" >&2; exit 2; }
run=$(mktemp -d "$base/oss-fuzz-local.XXXXXX") ||
	{ echo "iopt: test-local: cannot create a directory in '$base'" >&2; exit 2; }
failed=0

fail()
{
	echo "iopt: test-local: $variant: $*"
	failed=$((failed + 1))
}

# Files of the checkout outside build/ and .git, to see build.sh add none.
src_files()
{
	(cd "$top" && find . -path ./build -prune -o -path ./.git -prune -o \
		-path './build-*' -prune -o -print | LC_ALL=C sort)
}

# A tiny program for an empty seed corpus: arm64-s1, 4K, ias/oas 48,
# non-coherent; map 4 pages, unmap them (docs/input-format.md).
write_seed()
{
	printf '\x02\x00\x05\x05\x00\x01\x00\x00\x00\x01\x01\x00\x03\x03\x01\x01\x00\x03\x00' >"$1"
}

# The [libfuzzer] section of an .options file as -key=value flags.
options_flags()
{
	awk -F' *= *' '/^\[/ { sec = $0; next }
		sec == "[libfuzzer]" && /^[a-z_]+ *=/ { printf "-%s=%s\n", $1, $2 }' "$1"
}

sanflags="-fsanitize=address -fsanitize-address-use-after-scope -fsanitize=undefined -fno-sanitize-recover=undefined"
common="-O1 -fno-omit-frame-pointer -gline-tables-only"

for variant in $variants; do
	v=$run/$variant
	mkdir -p "$v/work" "$v/out" "$v/seeds"
	export WORK=$v/work OUT=$v/out
	case $variant in
	libfuzzer-address|libfuzzer-memory)
		export CC=clang-14 CXX=clang++-14
		export LIB_FUZZING_ENGINE=-fsanitize=fuzzer FUZZING_ENGINE=libfuzzer
		san=$sanflags
		[ "$variant" = libfuzzer-memory ] &&
			san="-fsanitize=memory -fsanitize-memory-track-origins"
		export SANITIZER=${variant#*-}
		export CFLAGS="$common $san -fsanitize=fuzzer-no-link"
		;;
	afl-address)
		command -v afl-clang-fast >/dev/null || {
			fail "afl-clang-fast not found (scripts/setup.sh installs afl++)"
			continue
		}
		export CC=afl-clang-fast CXX=afl-clang-fast++
		export LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
		export FUZZING_ENGINE=afl SANITIZER=address
		export CFLAGS="$common $sanflags"
		;;
	*)
		fail "unknown variant (libfuzzer-address, afl-address, libfuzzer-memory)"
		continue
		;;
	esac
	export CXXFLAGS=$CFLAGS

	echo "=== $variant: build.sh (CC=$CC, LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE)"
	before=$(src_files)
	t0=$(date +%s)
	if ! AFL_QUIET=1 bash "$top/ci/oss-fuzz/build.sh" >"$v/build.log" 2>&1; then
		tail -n 20 "$v/build.log"
		fail "build.sh failed (log: $v/build.log)"
		continue
	fi
	echo "    built in $(( $(date +%s) - t0 )) s; $(grep -E '^iopt: oss-fuzz build: ' "$v/build.log" | sed 's/^iopt: oss-fuzz build: //' | paste -sd';' -)"
	added=$(comm -13 <(printf '%s\n' "$before") <(src_files))
	[ -z "$added" ] || fail "build.sh wrote into the source tree: $(echo $added)"
	bin=$OUT/iopt-fuzz
	[ -x "$bin" ] || { fail "no \$OUT/iopt-fuzz"; continue; }
	[ -f "$OUT/iopt-fuzz.options" ] || fail "no \$OUT/iopt-fuzz.options"
	needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		 grep -v -E '^(libc|libm|libpthread|libdl|librt|libgcc_s|libstdc\+\+|ld-linux.*)\.so' || true)
	[ -z "$needed" ] || fail "needs libraries OSS-Fuzz's runner lacks: $(echo $needed)"

	if [ -f "$OUT/iopt-fuzz_seed_corpus.zip" ]; then
		unzip -q "$OUT/iopt-fuzz_seed_corpus.zip" -d "$v/seeds"
	else
		write_seed "$v/seeds/minimal"
	fi
	nseeds=$(ls "$v/seeds" | wc -l)

	case $variant in
	libfuzzer-*)
		mapfile -t flags < <(options_flags "$OUT/iopt-fuzz.options")
		mkdir -p "$v/corpus" "$v/artifacts"
		(cd "$OUT" && "$bin" "${flags[@]}" -seed=1 \
			-max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix="$v/artifacts/" "$v/corpus" "$v/seeds") \
			>"$v/fuzz.log" 2>&1
		rc=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$v/fuzz.log")
		cov=$(grep -E '^#[0-9]+' "$v/fuzz.log" | tail -n 1 |
		      sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		echo "    libFuzzer ${secs}s on $nseeds seeds, flags ${flags[*]:-none}: rc $rc, ${runs:-0} runs, cov ${cov:-0}"
		[ $rc -eq 0 ] || fail "libFuzzer exited $rc (log: $v/fuzz.log)"
		[ "${runs:-0}" -gt 0 ] || fail "no input was executed"
		[ "${cov:-0}" -gt 0 ] || fail "no kernel coverage reported (are the kernel files instrumented?)"
		if grep -q -E '^iopt: [a-z_-]+/[a-z_]+/|ERROR: |runtime error: |WARNING: MemorySanitizer' "$v/fuzz.log"; then
			grep -m 5 -E '^iopt: [a-z_-]+/[a-z_]+/|ERROR: |runtime error: |WARNING: MemorySanitizer' "$v/fuzz.log"
			fail "the target reported a problem (log: $v/fuzz.log)"
		fi
		;;
	afl-*)
		AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
			afl-fuzz -V "$secs" -i "$v/seeds" -o "$v/afl" -- "$bin" \
			>"$v/fuzz.log" 2>&1
		rc=$?
		stats=$v/afl/default/fuzzer_stats
		afl_stat() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | tr -d '%'; }
		execs=$(afl_stat execs_done)
		edges=$(afl_stat edges_found)
		crashes=$(afl_stat saved_crashes)
		stab=$(afl_stat stability)
		echo "    afl-fuzz -V $secs on $nseeds seeds: rc $rc, ${execs:-0} execs ($(afl_stat execs_per_sec)/s), ${edges:-0} edges, stability ${stab:-?} %, ${crashes:-?} crashes, $(afl_stat saved_hangs) hangs"
		[ $rc -eq 0 ] || { tail -n 15 "$v/fuzz.log"; fail "afl-fuzz exited $rc (log: $v/fuzz.log)"; }
		[ "${execs:-0}" -gt 0 ] || fail "no input was executed"
		[ "${edges:-0}" -gt 0 ] || fail "no kernel coverage reported (are the kernel files instrumented?)"
		[ "${crashes:-1}" -eq 0 ] || fail "crashes in $v/afl/default/crashes"
		awk -v s="${stab:-0}" 'BEGIN { exit !(s >= 99) }' ||
			fail "persistent mode is unstable (${stab:-?} %): state leaks between inputs"
		;;
	esac
done

if [ $failed -eq 0 ]; then
	rm -rf "$run"
	echo "iopt: test-local: all passed ($variants)"
	exit 0
fi
echo "iopt: test-local: $failed failure(s); kept $run"
exit 1
