#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: set up, build against the default tree (Debian's
# linux-source-6.12, or IOPT_KERNEL_SRC) under ASan+UBSan, run the
# kernel's own selftests in both ports, then a differential fuzz campaign
# (IOPT_FUZZ_SECONDS, default 180) that drives the kernel and hyp builds
# side by side against the reference model, and print a summary.
#
# The campaign's corpus and any report inputs go to build/campaign/; the
# shipped seeds in corpus/ are read, never written.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${IOPT_KERNEL_SRC:-/usr/src/linux-source-6.12.tar.xz}
secs=${IOPT_FUZZ_SECONDS:-180}
bdir=$top/build/main
work=$top/build/campaign

bash "$top/scripts/setup.sh"
mkdir -p "$top/build" "$work/corpus" "$work/reports"
echo "iopt: building against $tree in $bdir"
cmake -S "$top" -B "$bdir" -DCMAKE_C_COMPILER=clang-14 \
	-DIOPT_KERNEL_SRC="$tree" -DIOPT_SANITIZE=address,undefined \
	>"$bdir.log" 2>&1 || { grep -E '^iopt:' "$bdir.log" || tail -n 20 "$bdir.log"; exit 1; }
cmake --build "$bdir" -j"$(nproc)" >>"$bdir.log" 2>&1 ||
	{ tail -n 30 "$bdir.log"; exit 1; }
"$bdir/iopt-selftest"

echo "iopt: differential campaign for ${secs}s (kernel port vs hyp port vs model)"
seeds=()
[ -n "$(ls -A "$top/corpus" 2>/dev/null | grep -v README)" ] && seeds=("$top/corpus")
set +e
"$bdir/iopt-fuzz" -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$work/reports/" "$work/corpus" "${seeds[@]}" \
	2>"$work/fuzz.log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null' INT TERM
while kill -0 $pid 2>/dev/null; do
	sleep 10
	line=$(grep -E '^#[0-9]+' "$work/fuzz.log" | tail -n 1)
	[ -n "$line" ] && echo "  progress: $line"
done
wait $pid
rc=$?
set -e

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log")
cov=$(grep -E '^#[0-9]+' "$work/fuzz.log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
echo
echo "==== iopt-fuzz campaign summary ===="
echo "tree:        $("$bdir/iopt-replay" --version | sed -n 's/^kernel tree: //p')"
echo "executions:  ${execs:-0} (${rate:-0}/s)"
echo "coverage:    ${cov:-0} edges in the kernel files"
echo "corpus:      $(ls "$work/corpus" | wc -l) inputs in $work/corpus"
sigs=$(grep -E '^iopt: [a-z_]+/' "$work/fuzz.log" | sort | uniq -c || true)
if [ -n "$sigs" ] || [ $rc -ne 0 ]; then
	echo "reports:     $(ls "$work/reports" | wc -l) input(s) in $work/reports"
	printf '%s\n' "${sigs:-  (see $work/fuzz.log)}"
	echo "replay one:  $bdir/iopt-replay -v $work/reports/<file>"
	exit 1
fi
echo "reports:     none"
