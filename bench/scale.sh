#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/scale.sh BUILD [SECONDS]: how a campaign's executions per second
# grow with its workers. For each way of running N workers, the total
# exec/s of 1 worker and of 2, each run SECONDS (default 30) from the
# shipped seeds and dictionary, with its wall-clock time:
#
#   raw     N libFuzzer processes and nothing else: what the machine gives
#   fork    libFuzzer -fork=N -ignore_crashes=1 (the runner before)
#   jobs    libFuzzer -jobs=N -workers=N, one shared corpus directory
#   runner  scripts/campaign.sh --workers N (independent processes)
#   afl     afl-fuzz -M main -S ..., N instances, when IOPT_AFL_BUILD
#           names an AFL++ build (IOPT_FUZZ_ENGINE=afl) of iopt-fuzz
#
# "2/1" is the 2-worker rate over the 1-worker rate: 2 is perfect scaling.
# IOPT_BENCH_WAYS="raw runner" runs only those. IOPT_BENCH_REPS=R runs each
# cell R times (the runs alternate 1 and 2 workers) and shows the median
# rate, each run's rate listed below the table: a campaign's rate depends
# on what its corpus happens to explore, so one run of each says little.
# Speed is measured here, never asserted in a test; on a machine shared
# with other jobs the numbers say little. IOPT_FORMAT benches one format.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:?usage: bench/scale.sh BUILD [SECONDS]}
secs=${2:-30}
bench_tools "$bdir" iopt-fuzz
bench_positive SECONDS "$secs"
bdir=$(cd "$bdir" && pwd)
afl=${IOPT_AFL_BUILD:-}
if [ -n "$afl" ]; then
	[ -x "$afl/iopt-fuzz" ] ||
		{ echo "bench: no iopt-fuzz in IOPT_AFL_BUILD '$afl'" >&2; exit 2; }
	afl=$(cd "$afl" && pwd)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=("$top/corpus/seeds" "$top/corpus/regressions")
lf=(-print_final_stats=1 -artifact_prefix=reports/ -dict="$top/corpus/iopt-fuzz.dict")

fresh()
{
	rm -rf "$work/run"
	mkdir -p "$work/run/corpus" "$work/run/reports"
	cd "$work/run"
	t0=$(date +%s.%N)
}

# Seconds since fresh.
wall()
{
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# The sum of libFuzzer's final execution counts in these logs.
final_execs()
{
	cat "$@" | sed -n 's/^stat::number_of_executed_units: *//p' |
		awk '{ s += $1 } END { print s + 0 }'
}

# Each way prints "EXECUTIONS SECONDS" for N workers.
way_raw()
{
	fresh
	for ((i = 0; i < $1; i++)); do
		mkdir "c$i"
		"$bdir/iopt-fuzz" -max_total_time="$secs" "${lf[@]}" "c$i" "${seeds[@]}" \
			>"log$i" 2>&1 &
	done
	wait
	echo "$(final_execs log*) $(wall)"
}

way_fork()
{
	fresh
	"$bdir/iopt-fuzz" -fork="$1" -ignore_crashes=1 -max_total_time="$secs" \
		"${lf[@]}" corpus "${seeds[@]}" >log 2>&1 || true
	echo "$(sed -n 's/^#\([0-9]*\): cov: .*/\1/p' log | tail -n 1) $(wall)"
}

way_jobs()
{
	fresh
	"$bdir/iopt-fuzz" -jobs="$1" -workers="$1" -max_total_time="$secs" \
		"${lf[@]}" corpus "${seeds[@]}" >log 2>&1 || true
	echo "$(final_execs fuzz-*.log) $(wall)"
}

way_runner()
{
	local out
	fresh
	out=$(bash "$top/scripts/campaign.sh" --build "$bdir" --dir "$work/run/c" \
		--workers "$1" --time "$secs" 2>&1) || true
	sed -n 's/^executions:  \([0-9]*\) .*/\1/p' <<<"$out" | tr '\n' ' '
	sed -n 's/^campaign: .* workers, \([0-9]*\)s.*/\1/p' <<<"$out"
}

way_afl()
{
	local in=$work/afl-in role
	fresh
	rm -rf "$in"
	mkdir -p "$in"
	for s in "${seeds[@]}"; do
		cp "$s"/* "$in/"
	done
	for ((i = 0; i < $1; i++)); do
		role=(-S "s$i")
		[ "$i" -gt 0 ] || role=(-M main)
		AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
			afl-fuzz -V "$secs" "${role[@]}" -i "$in" -o sync \
			-x "$top/corpus/iopt-fuzz.dict" -- "$afl/iopt-fuzz" \
			>"afl$i.log" 2>&1 &
	done
	wait
	echo "$(cat sync/*/fuzzer_stats | awk '$1 == "execs_done" { s += $3 } END { print s + 0 }') $(wall)"
}

ways=(raw fork jobs runner)
[ -z "$afl" ] || ways+=(afl)
[ -z "${IOPT_BENCH_WAYS:-}" ] || read -r -a ways <<<"$IOPT_BENCH_WAYS"
reps=${IOPT_BENCH_REPS:-1}
bench_positive IOPT_BENCH_REPS "$reps"

# The median of the numbers given.
median()
{
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "bench/scale.sh $bdir, ${secs}s per run, $reps run(s) per cell, ${IOPT_FORMAT:-every} format; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %16s %16s %6s\n' way "1 worker" "2 workers" 2/1
runs=()
for w in "${ways[@]}"; do
	r1=() r2=() wall1=() wall2=()
	for ((k = 0; k < reps; k++)); do
		for n in 1 2; do
			read -r execs secs_taken < <("way_$w" "$n")
			rate=$(awk -v e="${execs:-0}" -v s="$secs_taken" 'BEGIN { printf "%d", e / s }')
			eval "r$n+=(\"\$rate\") wall$n+=(\"\$secs_taken\")"
			runs+=("$(printf '%s, %d worker(s), run %d: %s/s (%ss)' "$w" "$n" $((k + 1)) "$rate" "$secs_taken")")
		done
	done
	m1=$(median "${r1[@]}") m2=$(median "${r2[@]}")
	printf '%-8s %16s %16s %6s\n' "$w" \
		"$(printf '%s/s (%.0fs)' "$m1" "$(median "${wall1[@]}")")" \
		"$(printf '%s/s (%.0fs)' "$m2" "$(median "${wall2[@]}")")" \
		"$(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", a ? b / a : 0 }')"
done
[ "$reps" -eq 1 ] || printf '  %s\n' "${runs[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
