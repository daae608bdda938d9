#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/ratio.sh BUILD [CORPUS...]: what the differential executor costs
# over the kernel work it checks. The same inputs run through
#
#   bare  iopt-bare: the kernel port alone, the same programs, nothing
#         compared (fuzz/bare.c);
#   hyp   iopt-bare --hyp: the hyp port alone, the same way;
#   full  iopt-replay: the model, the kernel port and the hyp port, every
#         comparison (what a campaign's worker runs per input);
#
# and for each it prints the instructions of one pass over the inputs
# (perf stat where the machine has the counter, else valgrind's
# callgrind; build with -gdwarf-4 if valgrind cannot read the debug
# information) and the wall time of one pass (IOPT_RATIO_INPUTS inputs,
# default 5000, run in one process, the best of IOPT_RATIO_REPS runs,
# default 3), each less what the program takes on no input (its
# start-up), and their ratio full/bare (issue 11's measure: one bare port,
# the kernel's), the ratio full/(bare + hyp) (the checks against the two
# ports they check: 1 is no checks at all) and what the checks cost, full
# less bare and hyp, in bare ports. Only the inputs
# iopt-replay runs clean are used (a divergence or a known upstream bug
# ends the executor's program early, not iopt-bare's), so both do the
# same kernel work on the kernel port; the full one does it on the hyp
# port too. The hyp port costs more than the kernel port (at EL2 a kmalloc
# takes a whole page from the pool, and each page is flushed to PoC when
# it goes back), so the floor of full/bare, two ports and no checks, is
# (bare + hyp)/bare, above 2.
#
# CORPUS: directories or files of inputs (default corpus/seeds and
# corpus/regressions); IOPT_RATIO_EVERY=N takes the first input and every
# Nth after it, in the order iopt-replay --classify lists them (a sample
# of a large campaign corpus). IOPT_RATIO_PROFILE=FILE keeps the full executor's
# callgrind profile in FILE (callgrind only). Measured here, never
# asserted in a test; docs/performance.md has numbers and a profile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:?usage: bench/ratio.sh BUILD [CORPUS...]}
shift
[ $# -gt 0 ] || set -- "$top/corpus/seeds" "$top/corpus/regressions"
bench_tools "$bdir" iopt-bare iopt-replay
bench_corpora "$@"
reps=${IOPT_RATIO_REPS:-3}
bench_positive IOPT_RATIO_REPS "$reps"
every=${IOPT_RATIO_EVERY:-1}
bench_positive IOPT_RATIO_EVERY "$every"
bdir=$(cd "$bdir" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/clean" "$work/empty"

# The clean inputs (of every Nth), linked into one directory (read in
# name order by both).
total=0
seen=0
while IFS=$'\t' read -r verdict _ path; do
	seen=$((seen + 1))
	[ $(((seen - 1) % every)) -eq 0 ] || continue
	total=$((total + 1))
	[ "$verdict" = clean ] || continue
	ln -s "$(cd "$(dirname "$path")" && pwd)/$(basename "$path")" \
		"$work/clean/$(printf '%06d' "$total")-$(basename "$path")"
done < <("$bdir/iopt-replay" --classify "$@" || true)
clean=$(ls "$work/clean" | wc -l)
[ "$clean" -gt 0 ] || { echo "bench: no input of '$*' runs clean" >&2; exit 1; }

if perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -q '^[0-9]'; then
	counter=perf
else
	command -v valgrind >/dev/null ||
		{ echo "bench: no instruction counter: neither perf's nor valgrind" >&2; exit 2; }
	counter=callgrind
fi

# instructions PROFILE TOOL ARG...: user-space instructions of one run
# (PROFILE: where callgrind keeps its profile, or "").
instructions()
{
	local out=${1:-$work/cg.out}

	shift
	if [ "$counter" = perf ]; then
		perf stat -x, -e instructions:u -o "$work/perf" \
			"$bdir/$1" "${@:2}" >/dev/null 2>&1 || true
		sed -n 's/^\([0-9]*\),.*instructions.*/\1/p' "$work/perf"
	else
		valgrind --tool=callgrind --callgrind-out-file="$out" \
			"$bdir/$1" "${@:2}" >/dev/null 2>"$work/vg" || true
		sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$work/vg"
	fi
}

# A count or one clear line: valgrind cannot read clang-14's default DWARF 5
n=$(instructions "" iopt-bare "$work/clean")
[ -n "$n" ] && [ "$n" -gt 0 ] || {
	echo "bench: $counter counted nothing in $bdir (valgrind: $(grep -m1 -E 'debuginfo|Giving up|error' "$work/vg" 2>/dev/null | sed 's/^==[0-9]*== //')); configure the build with -DCMAKE_C_FLAGS=-gdwarf-4" >&2
	exit 2
}

# nanoseconds TOOL DIR...: the best wall time of $reps runs.
nanoseconds()
{
	local best="" t0 t tool=$1

	shift
	for ((i = 0; i < reps; i++)); do
		t0=$(date +%s%N)
		"$bdir/$tool" "$@" >/dev/null 2>&1 || true
		t=$(($(date +%s%N) - t0))
		[ -n "$best" ] && [ "$best" -le "$t" ] || best=$t
	done
	echo "$best"
}

# Wall time: the inputs run over and over in one process, some
# IOPT_RATIO_INPUTS (default 5000) in all, so that the work outweighs the
# start-up; the time of one pass is the total's share.
many=${IOPT_RATIO_INPUTS:-5000}
bench_positive IOPT_RATIO_INPUTS "$many"
npass=$(((many + clean - 1) / clean))
passes=()
for ((i = 0; i < npass; i++)); do
	passes+=("$work/clean")
done

echo "bench/ratio.sh $bdir: $clean clean inputs of $total in $*$([ "$every" -eq 1 ] || echo " (every ${every}th of $seen)")"
echo "tree: $("$bdir/iopt-replay" --version | sed -n 's/^kernel tree: //p'); instructions by $counter; wall time of $npass passes, best of $reps; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Each summary; the ops they ran (the kernel work per op is what the
# ratio follows from one corpus to another: docs/performance.md).
sum_bare=$("$bdir/iopt-bare" "$work/clean")
sum_hyp=$("$bdir/iopt-bare" --hyp "$work/clean")
sum_full=$("$bdir/iopt-replay" "$work/clean" 2>/dev/null)
printf '%s\n' "$sum_bare" "$sum_hyp" "$sum_full" | sed 's/^/  /'
ops_of() { sed -n 's/.* \([0-9][0-9]*\) ops run.*/\1/p' <<<"$1" | tail -n 1; }
ops_bare=$(ops_of "$sum_bare")
ops_full=$(ops_of "$sum_full")
declare -A ins ns
for t in bare hyp full; do
	tool=(iopt-bare)
	[ "$t" != hyp ] || tool=(iopt-bare --hyp)
	[ "$t" != full ] || tool=(iopt-replay)
	profile=
	[ "$t" != full ] || profile=${IOPT_RATIO_PROFILE:-}
	i0=$(instructions "" "${tool[@]}" "$work/empty")
	i1=$(instructions "$profile" "${tool[@]}" "$work/clean")
	ins[$t]=$((i1 - i0))
	ns[$t]=$((($(nanoseconds "${tool[@]}" "${passes[@]}") - $(nanoseconds "${tool[@]}" "$work/empty")) / npass))
done
printf '%-24s %16s %12s %12s %12s\n' harness instructions "per input" "wall/pass" "per input"
for t in bare hyp full; do
	case $t in
	bare)	name="bare (iopt-bare)" ;;
	hyp)	name="hyp (iopt-bare --hyp)" ;;
	full)	name="full (iopt-replay)" ;;
	esac
	printf '%-24s %16d %12d %10.1fms %10.1fus\n' "$name" \
		"${ins[$t]}" $((ins[$t] / clean)) \
		"$(awk -v n="${ns[$t]}" 'BEGIN { print n / 1e6 }')" \
		"$(awk -v n="${ns[$t]}" -v c="$clean" 'BEGIN { print n / 1e3 / c }')"
done
awk -v a="${ins[bare]}" -v h="${ins[hyp]}" -v b="${ins[full]}" \
    -v x="${ns[bare]}" -v xh="${ns[hyp]}" -v y="${ns[full]}" \
    -v ob="${ops_bare:-0}" -v of="${ops_full:-0}" 'BEGIN {
	printf "%-24s %15.2fx %12s %11.2fx\n", "ratio full/bare", (a ? b / a : 0), "", (x > 0 ? y / x : 0)
	printf "%-24s %15.2fx %12s %11.2fx\n", "floor (bare+hyp)/bare", (a ? (a + h) / a : 0), "", (x > 0 ? (x + xh) / x : 0)
	printf "%-24s %15.2fx %12s %11.2fx\n", "ratio full/(bare+hyp)", (a + h ? b / (a + h) : 0), "", (x + xh > 0 ? y / (x + xh) : 0)
	printf "%-24s %15.2fx %12s %11.2fx\n", "checks, in bare ports", (a ? (b - a - h) / a : 0), "", (x > 0 ? (y - x - xh) / x : 0)
	if (ob > 0 && of > 0)
		printf "%-24s %16d (kernel port, %d ops); checks %d (full less both ports, %d ops)\n", "instructions per op", a / ob, ob, (b - a - h) / of, of
}'
[ -z "${IOPT_RATIO_PROFILE:-}" ] || [ "$counter" != callgrind ] ||
	echo "profile of the full executor: $IOPT_RATIO_PROFILE (callgrind_annotate --inclusive=yes $IOPT_RATIO_PROFILE)"
