#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/mutation.sh [options]: the harness's mutation score on a kernel
# tree. Mutants of the build's extracted io-pgtable-arm.c (never a
# committed file) are made by bench/mutate.c, built one at a time in one
# ASan+UBSan build directory where only that file recompiles, then
#   - fuzzed from the shipped corpus for S seconds on one core: a report
#     (a signature line "iopt: <check>/<op>/<fmt>") or a sanitizer crash
#     kills the mutant; a known upstream bug ("iopt: known:<id>") does not;
#   - given to the kernel's own selftests (iopt-selftest), the baseline: a
#     kill when they fail, crash or leave something behind.
# The next mutant builds (and runs its selftests) while this one fuzzes, so
# a mutant costs about S seconds. See docs/mutation.md.
#
# Measured, never asserted: exit status 0 when the run completed, 2 on bad
# usage, 1 when the unmutated tree fails (then no score means anything).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/trees.sh
. "$top/scripts/trees.sh"

usage()
{
	cat <<EOF
usage: bench/mutation.sh [options]
  --tree T      kernel tree: a short name (6.12, 7.3, ...) or a path
                (default $IOPT_DEFAULT_TREE)
  --time S      seconds of fuzzing per mutant (default 20)
  --max N       mutants, sampled by --seed when there are more sites
                (default 40)
  --seed K      the sampling seed (default 1)
  --out DIR     work directory (default build/mutation/<tree>)
  --build DIR   the configured build to reuse (default <out>/build;
                made, with ASan+UBSan, if it does not exist): its
                extracted io-pgtable-arm.c is mutated and put back
  --cc CC       compiler (default clang-14)
  --report      print the table of the last completed run in the work
                directory again (after bench/mutation-equivalents.txt
                changed), running nothing
EOF
}

die()
{
	echo "iopt: mutation: $*" >&2
	exit 2
}

tree=$IOPT_DEFAULT_TREE secs=20 max=40 seed=1 out="" bdir="" cc=clang-14 report=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help)
		usage
		exit 0 ;;
	--report)
		report=1
		shift ;;
	--tree|--time|--max|--seed|--out|--build|--cc)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--tree)	tree=$2 ;;
		--time)	secs=$2 ;;
		--max)	max=$2 ;;
		--seed)	seed=$2 ;;
		--out)	out=$2 ;;
		--build) bdir=$2 ;;
		--cc)	cc=$2 ;;
		esac
		shift 2 ;;
	*)
		die "unknown argument '$1' (see --help)" ;;
	esac
done
whole()
{
	case $2 in
	''|*[!0-9]*) die "--$1 '$2' is not a whole number" ;;
	esac
	[ "$2" -gt 0 ] || [ "$1" = seed ] || die "--$1 must be above 0"
}
whole time "$secs"
whole max "$max"
whole seed "$seed"
src=$(iopt_tree "$tree")
[ -e "${src%@*}" ] || die "no kernel tree '$tree' ($src)"
command -v "$cc" >/dev/null || die "no compiler '$cc'"
[ -n "$out" ] || out=$top/build/mutation/$(echo "$tree" | tr -c 'A-Za-z0-9.\n-' _)
mkdir -p "$out" || die "cannot make '$out'"
out=$(cd "$out" && pwd)
exec 9>"$out/.lock"
flock -n 9 || die "'$out' is in use by another run"

B=${bdir:-$out/build}
mkdir -p "$B" || die "cannot make '$B'"
B=$(cd "$B" && pwd)
exec 8>"$B/.mutation.lock"
flock -n 8 || die "'$B' is in use by another mutation run"
K=$B/ktree/drivers/iommu/io-pgtable-arm.c
orig=$out/io-pgtable-arm.c.orig
objs=(iopt_kernel_port_objs iopt_hyp_port_objs)
seeds=("$top/corpus/seeds" "$top/corpus/regressions")
dict=$top/corpus/iopt-fuzz.dict
log=$out/run.log
[ -n "$report" ] || : >"$log"

say()
{
	echo "$*" | tee -a "$log"
}

# ---- the table ------------------------------------------------------------------

# results.tsv: the sampled site's columns, then state, fuzz verdict, seconds,
# signature, selftest verdict, why, and the equivalence reason if any.
table()
{
	local ids
	mapfile -t ids < <(cut -f1 "$out/mutants.tsv")

	equiv=$top/bench/mutation-equivalents.txt
	while IFS=$'\t' read -r id op line func key variant shown; do
		d=$out/m/$id
		st=$(cat "$d/state")
		f=$'-\t-\t-' s=$'-\t-' eq=""
		[ -f "$d/fuzz" ] && f=$(cat "$d/fuzz")
		[ -f "$d/selftest" ] && s=$(cat "$d/selftest")
		if [ -f "$equiv" ]; then
			eq=$(awk -F'\t' -v k="$key" '$1 == k { print $2; exit }' "$equiv")
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$op" "$line" "$func" "$key" \
			"$shown" "$st" "$f" "$s" "$eq"
	done <"$out/mutants.tsv" >"$out/results.tsv"

	{
		echo
		echo "==== mutation score: $version, ${#ids[@]} mutants, ${secs}s of fuzzing each ===="
		printf '%-6s %-6s %-5s %-7s %-8s %-4s %-50s %s\n' id op line fuzz selftest secs signature "mutated line"
		awk -F'\t' '{
			fz = $7 != "built" ? ($7 == "same" ? "same" : "no-cc") : ($13 != "" && $8 == "missed" ? "equiv" : $8)
			printf "m%-5s %-6s %-5s %-7s %-8s %-4s %-50s %s\n", $1, $2, $3, fz,
				$7 == "built" ? $11 : "-", $9, substr($10, 1, 50), $6
		}' "$out/results.tsv"
		echo
		awk -F'\t' -v sites="$out/sites.tsv" -v secs="$elapsed" '
		BEGIN {
			while ((getline l < sites) > 0) { split(l, f, "\t"); gen[f[2]]++ }
			nops = split("cmp bound stmt warn logic args mask", ops, " ")
		}
		{
			n[$2]++; N++
			if ($7 == "nocompile") { nc[$2]++; NC++; next }
			if ($7 == "same") { sm[$2]++; SM++; next }
			b[$2]++; B++
			if ($8 == "killed") { k[$2]++; K++ }
			else if ($13 != "") { e[$2]++; E++ }
			if ($11 == "killed") { s[$2]++; S++ }
			if ($8 == "killed" && $13 != "") bad = bad " m" $1
		}
		END {
			printf "%-6s %6s %7s %6s %6s %6s %6s %6s %8s %8s\n", "op", "sites", "mutants",
				"no-cc", "same", "built", "equiv", "fuzz", "selftest", "score"
			for (i = 1; i <= nops; i++) {
				o = ops[i]
				den = b[o] - e[o]
				printf "%-6s %6d %7d %6d %6d %6d %6d %6d %8d %8s\n", o, gen[o], n[o], nc[o],
					sm[o], b[o], e[o], k[o], s[o], (den > 0 ? sprintf("%.0f%%", 100 * k[o] / den) : "-")
			}
			den = B - E
			printf "%-6s %6s %7d %6d %6d %6d %6d %6d %8d %8s\n", "all", "", N, NC, SM, B, E, K, S,
				(den > 0 ? sprintf("%.0f%%", 100 * K / den) : "-")
			if (den > 0)
				printf "score: fuzzing %d/%d = %.1f%%, the kernel'"'"'s selftests alone %d/%d = %.1f%% (killed / (built - equivalent))\n",
					K, den, 100 * K / den, S, den, 100 * S / den
			printf "time: %ds for %d mutants, %.1fs each\n", secs, N, (N ? secs / N : 0)
			if (bad != "")
				printf "warning: marked equivalent but killed:%s (fix bench/mutation-equivalents.txt)\n", bad
		}' "$out/results.tsv"
	} | tee -a "$log"
}

if [ -n "$report" ]; then
	[ -f "$out/run.meta" ] || die "no completed run in '$out'"
	. "$out/run.meta"
	table
	exit 0
fi

# ---- the build, unmutated ----------------------------------------------------

if [ -f "$B/CMakeCache.txt" ]; then
	have=$(sed -n 's/^IOPT_KERNEL_SRC:[A-Z]*=//p' "$B/CMakeCache.txt")
	[ "$have" = "$src" ] || die "'$B' is configured for '$have', not '$src'"
	[ -f "$K" ] || die "'$B' has no extracted $K"
else
	say "configuring $B (ASan+UBSan, $src)"
	cmake -S "$top" -B "$B" -DCMAKE_C_COMPILER="$cc" -DIOPT_KERNEL_SRC="$src" \
		-DIOPT_SANITIZE=address,undefined >"$out/configure.log" 2>&1 ||
		{ tail -5 "$out/configure.log" >&2; exit 1; }
fi
# The unmutated file: kept once; a run that was stopped is undone here.
[ -f "$orig" ] || cp "$K" "$orig"
cmp -s "$K" "$orig" || cp "$orig" "$K"

build()		# build the two programs a mutant needs, with J jobs
{
	cmake --build "$B" --target iopt-fuzz iopt-selftest -j"$1"
}

# The code of the two port objects, without debug information (a mutant
# that moves a column changes only that).
code_of()
{
	local o
	for o in "${objs[@]}"; do
		objcopy --strip-debug "$B/CMakeFiles/$o.dir/ktree/drivers/iommu/io-pgtable-arm.c.o" \
			"$1.$o.o"
	done
}

pid=""
restore()
{
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
	if [ -f "$orig" ] && ! cmp -s "$K" "$orig"; then
		cp "$orig" "$K"
		build 2 >/dev/null 2>&1 || true
	fi
}
trap 'restore' EXIT
trap 'echo "iopt: mutation: interrupted" >&2; exit 130' INT TERM

"$cc" -O2 -Wall -o "$out/iopt-mutate" "$top/bench/mutate.c"
say "building the unmutated tree"
build 2 >"$out/build.log" 2>&1 || { tail -5 "$out/build.log" >&2; exit 1; }
mkdir -p "$out/pristine"
code_of "$out/pristine/code"
version=$("$B/iopt-selftest" --version | sed -n 's/^kernel tree: \([^ ]*\).*/\1/p')

# ---- one mutant: prepare (build, selftests), then fuzz -----------------------

# Runs in the background while the previous mutant fuzzes: writes $d/state
# (built, nocompile, same) and $d/selftest (killed/missed and why).
prepare()
{
	local id=$1 d=$out/m/$1 o st=built why=""
	rm -rf "$d"
	mkdir -p "$d"
	"$out/iopt-mutate" --apply "$id" "$orig" "$d/mutant.c"
	cp "$d/mutant.c" "$K"
	if ! build 1 >"$d/build.log" 2>&1; then
		echo nocompile >"$d/state"
		return
	fi
	cmp -s "$K" "$d/mutant.c" || { echo "iopt: mutation: $K changed under the build" >&2; exit 1; }
	code_of "$d/code"
	st=same
	for o in "${objs[@]}"; do
		cmp -s "$d/code.$o.o" "$out/pristine/code.$o.o" || st=built
	done
	rm -f "$d"/code.*.o
	echo "$st" >"$d/state"
	[ "$st" = built ] || return 0
	cp "$B/iopt-fuzz" "$B/iopt-selftest" "$d/"
	# (the braces take the shell's own line about a crashed child)
	if { timeout -s KILL 120 "$d/iopt-selftest" >"$d/selftest.log" 2>&1; } 2>/dev/null &&
	   grep -q '^result: PASS' "$d/selftest.log"; then
		echo "missed	-" >"$d/selftest"
	else
		why=$(grep -m1 -oE 'ERROR: [A-Za-z]+Sanitizer: [a-z-]+|iopt\[[a-z]+\]: fatal: [a-z-]+|FAIL \(returned -?[0-9]+\)|[1-9][0-9]* WARNs|[1-9][0-9]* failed|[1-9][0-9]* detections|[1-9][0-9]* live [a-z ]+' \
			"$d/selftest.log" | head -1 || true)
		echo "killed	${why:-crash}" >"$d/selftest"
	fi
}

# The signature of what killed a mutant, from its fuzzer's log.
signature()
{
	local f=$1 s
	s=$(grep -m1 -E '^iopt: [a-z_-]+/[a-z_-]+/[a-z0-9-]+$' "$f") && { echo "$s"; return; }
	s=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer): [a-z-]+' "$f") &&
		{ echo "asan: ${s##*: }"; return; }
	s=$(grep -m1 -oE 'runtime error: .*' "$f") && { echo "ubsan: ${s:15:60}"; return; }
	s=$(grep -m1 -oE 'iopt\[[a-z]+\]: fatal: [a-z-]+' "$f") && { echo "$s"; return; }
	s=$(grep -m1 -oE 'ERROR: libFuzzer: [a-z -]+' "$f") && { echo "libFuzzer: ${s#*: }"; return; }
	echo "exit $2"
}

fuzz()
{
	local id=$1 d=$out/m/$1 t0 t1 rc=0
	mkdir -p "$d/corpus"
	t0=$(date +%s%N)
	timeout -s KILL $((secs + 90)) "$d/iopt-fuzz" -max_total_time="$secs" -seed=1 \
		-timeout=10 -print_final_stats=1 -dict="$dict" -artifact_prefix="$d/" \
		"$d/corpus" "${seeds[@]}" >"$d/fuzz.log" 2>&1 || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -ne 0 ]; then
		printf 'killed\t%d\t%s\n' $(((t1 - t0 + 500000000) / 1000000000)) \
			"$(signature "$d/fuzz.log" "$rc")" >"$d/fuzz"
	else
		printf 'missed\t-\t%s\n' "$(grep -m1 -oE '^iopt: known:[a-z0-9-]+' "$d/fuzz.log" |
			sed 's/^iopt: /(/;s/$/, not a kill)/' || true)" >"$d/fuzz"
	fi
	rm -rf "$d/corpus" "$d/iopt-fuzz" "$d/iopt-selftest"
}

# ---- the unmutated tree must be clean ---------------------------------------

say "baseline: $version, the unmutated tree: selftests, then ${secs}s of fuzzing"
if ! "$B/iopt-selftest" >"$out/baseline-selftest.log" 2>&1; then
	echo "iopt: mutation: the unmutated tree fails its selftests ($out/baseline-selftest.log)" >&2
	exit 1
fi
rm -rf "$out/m/base"
mkdir -p "$out/m/base"
cp "$B/iopt-fuzz" "$out/m/base/"
fuzz base
if [ "$(cut -f1 "$out/m/base/fuzz")" != missed ]; then
	echo "iopt: mutation: the unmutated tree reports: $(cut -f3 "$out/m/base/fuzz") ($out/m/base/fuzz.log)" >&2
	exit 1
fi
say "baseline: clean$(cut -f3 "$out/m/base/fuzz" | sed 's/^./ &/'), $(sed -n 's/^stat::number_of_executed_units: *//p' "$out/m/base/fuzz.log") execs"

# ---- the mutants ----------------------------------------------------------------

"$out/iopt-mutate" --list "$orig" >"$out/sites.tsv"
"$out/iopt-mutate" --sample "$max" --seed "$seed" "$orig" >"$out/mutants.tsv"
mapfile -t ids < <(cut -f1 "$out/mutants.tsv")
say "sites: $(wc -l <"$out/sites.tsv") ($(cut -f2 "$out/sites.tsv" | sort | uniq -c |
	awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')); mutants: ${#ids[@]} (seed $seed)"

start=$(date +%s)
prepare "${ids[0]}"
for ((i = 0; i < ${#ids[@]}; i++)); do
	id=${ids[i]}
	pid=""
	if ((i + 1 < ${#ids[@]})); then
		prepare "${ids[i + 1]}" &
		pid=$!
	fi
	if [ "$(cat "$out/m/$id/state")" = built ]; then
		fuzz "$id"
	fi
	[ -z "$pid" ] || wait "$pid"
	printf '  [%d/%d] %s %s %s\n' $((i + 1)) ${#ids[@]} "$id" "$(cat "$out/m/$id/state")" \
		"$(cut -f1,3 "$out/m/$id/fuzz" 2>/dev/null | tr '\t' ' ')" | tee -a "$log"
done
elapsed=$(($(date +%s) - start))

# $out/run.meta: what the table needs, for --report
printf 'version=%q\nsecs=%q\nseed=%q\nelapsed=%q\n' "$version" "$secs" "$seed" "$elapsed" \
	>"$out/run.meta"
table
echo "results: $out/results.tsv; logs: $out/m/<id>/"
