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

usage() { echo "usage: bench/replay-time.sh BUILD [BUILD...] -- CORPUS..." >&2; exit 2; }
builds=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	builds+=("$1")
	shift
done
[ $# -gt 1 ] && [ ${#builds[@]} -gt 0 ] || usage
shift
for b in "${builds[@]}"; do
	[ -x "$b/iopt-replay" ] || { echo "bench: no iopt-replay in '$b'" >&2; exit 2; }
done
for c in "$@"; do
	[ -e "$c" ] || { echo "bench: no such corpus '$c'" >&2; exit 2; }
done
passes=${IOPT_BENCH_PASSES:-3}
reps=${IOPT_BENCH_REPS:-5}
for v in "$passes" "$reps"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] ||
		{ echo "bench: IOPT_BENCH_PASSES and IOPT_BENCH_REPS are positive whole numbers, not '$v'" >&2; exit 2; }
done
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
