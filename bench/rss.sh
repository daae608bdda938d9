#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/rss.sh BUILD SECONDS [DIR] [INTERVAL]: the memory of a campaign's
# workers over time. Runs scripts/campaign.sh --build BUILD --workers 2
# (IOPT_RSS_WORKERS to change) --time SECONDS in DIR (default: a new
# temporary directory, removed at the end) and every INTERVAL seconds
# (default 10) reads VmRSS and VmHWM from /proc/<pid>/status of each
# worker's libFuzzer process (the pid the runner keeps in
# sessions/*/w<i>/pid; a restart after a report is a new process).
# Writes every sample to DIR/rss.tsv (or a temporary file) and prints a
# table: the RSS of each worker at twelve points of the run, each
# worker's least and largest RSS after its first minute, and how many
# processes it ran. Measured here, never asserted in a test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/rss.sh BUILD SECONDS [DIR] [INTERVAL]"
bdir=${1:?$usage}
secs=${2:?$usage}
dir=${3:-}
every=${4:-10}
workers=${IOPT_RSS_WORKERS:-2}
bench_tools "$bdir" iopt-fuzz
bench_positive SECONDS "$secs"
bench_positive INTERVAL "$every"
bench_positive IOPT_RSS_WORKERS "$workers"
keep=1
if [ -z "$dir" ]; then
	dir=$(mktemp -d)
	keep=0
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
out=$dir/rss.tsv
[ "$keep" -eq 1 ] || trap 'rm -rf "$dir"' EXIT

echo "bench/rss.sh $bdir: $workers workers, ${secs}s, a sample every ${every}s; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bash "$top/scripts/campaign.sh" --build "$bdir" --dir "$dir" \
	--workers "$workers" --time "$secs" --progress 60 >"$dir/campaign.log" 2>&1 &
runner=$!

# One line per worker process alive: seconds, worker, pid, VmRSS and
# VmHWM in kB. The newest session is this run's.
printf 't\tworker\tpid\trss_kb\thwm_kb\n' >"$out"
t0=$(date +%s)
while kill -0 "$runner" 2>/dev/null; do
	sess=$(ls -d "$dir"/sessions/*/ 2>/dev/null | tail -n 1 || true)
	for f in ${sess:+"$sess"w*/pid}; do
		[ -e "$f" ] || continue
		w=$(basename "$(dirname "$f")")
		p=$(cat "$f" 2>/dev/null) || continue
		awk -v t=$(($(date +%s) - t0)) -v w="$w" -v p="$p" '
			$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 }
			END { if (r != "") printf "%d\t%s\t%s\t%d\t%d\n", t, w, p, r, h }' \
			"/proc/$p/status" 2>/dev/null >>"$out" || true
	done
	sleep "$every" &
	wait $! || true
done
rc=0
wait "$runner" || rc=$?
grep -E '^(executions|corpus|reports):' "$dir/campaign.log" || true
[ "$rc" -le 1 ] || { echo "bench: the campaign failed ($rc); see $dir/campaign.log" >&2; exit 1; }

# The table: RSS (MB) of each worker at the sample nearest each twelfth
# of the run, then min and max after the first minute.
awk -v secs="$secs" -v nw="$workers" '
NR == 1 { next }
{
	w = $2; n[w]++; t[w, n[w]] = $1; r[w, n[w]] = $4
	if (!(w SUBSEP $3 in seen)) { seen[w, $3] = 1; procs[w]++ }
	if ($1 >= 60) {
		if (!(w in lo) || $4 < lo[w]) lo[w] = $4
		if ($4 > hi[w]) hi[w] = $4
	}
}
END {
	printf "%8s", "time"
	for (j = 0; j < nw; j++) printf " %10s", "w" j " MB"
	printf "\n"
	for (k = 1; k <= 12; k++) {
		at = secs * k / 12
		printf "%7ds", at
		for (j = 0; j < nw; j++) {
			w = "w" j; best = 0
			for (i = 1; i <= n[w]; i++)
				if (!best || (t[w, i] - at)^2 < (t[w, best] - at)^2)
					best = i
			if (best) printf " %10.1f", r[w, best] / 1024
			else printf " %10s", "-"
		}
		printf "\n"
	}
	for (j = 0; j < nw; j++) {
		w = "w" j
		printf "%s: %d process(es)", w, procs[w]
		if (w in lo)
			printf "; after the first minute %.1f to %.1f MB", lo[w] / 1024, hi[w] / 1024
		printf "\n"
	}
}' "$out"
echo "samples: $out; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
