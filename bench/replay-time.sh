#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/replay-time.sh BUILD [BUILD...] -- CORPUS...: the wall time of
# iopt-replay over the same inputs in each build (a sanitizer build's
# executor as a campaign's worker runs it, on a corpus a campaign made),
# IOPT_BENCH_PASSES passes in one process (default 3), IOPT_BENCH_REPS
# runs (default 5) alternating between the builds; prints each build's
# best and worst. Measured here, never asserted in a test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: bench/replay-time.sh BUILD [BUILD...] -- CORPUS..." >&2; exit 2; }
builds=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	builds+=("$1")
	shift
done
[ $# -gt 1 ] && [ ${#builds[@]} -gt 0 ] || usage
shift
for b in "${builds[@]}"; do
	bench_tools "$b" iopt-replay
done
bench_corpora "$@"
passes=${IOPT_BENCH_PASSES:-3}
reps=${IOPT_BENCH_REPS:-5}
bench_positive IOPT_BENCH_PASSES "$passes"
bench_positive IOPT_BENCH_REPS "$reps"
args=()
for ((i = 0; i < passes; i++)); do
	args+=("$@")
done

echo "bench/replay-time.sh: $passes pass(es) over $*, $reps run(s) per build; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A best worst
for ((r = 0; r < reps; r++)); do
	for b in "${builds[@]}"; do
		t0=$(date +%s%N)
		"$b/iopt-replay" "${args[@]}" >/dev/null 2>&1 || true
		t=$((($(date +%s%N) - t0) / 1000000))
		[ -n "${best[$b]:-}" ] && [ "${best[$b]}" -le "$t" ] || best[$b]=$t
		[ -n "${worst[$b]:-}" ] && [ "${worst[$b]}" -ge "$t" ] || worst[$b]=$t
	done
done
for b in "${builds[@]}"; do
	printf '%-40s best %6d ms, worst %6d ms\n' "$b" "${best[$b]}" "${worst[$b]}"
done
