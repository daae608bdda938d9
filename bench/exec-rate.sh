#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/exec-rate.sh BUILD_DIR [SECONDS]: the executor's speed, measured
# (never asserted in a test): a libFuzzer run from an empty corpus on one
# core, reporting execs/s. Run it for a sanitizer build and a plain one.
set -euo pipefail
bdir=${1:?usage: bench/exec-rate.sh BUILD_DIR [SECONDS]}
secs=${2:-30}
[ -x "$bdir/iopt-fuzz" ] || { echo "bench: no iopt-fuzz in '$bdir'" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
"$bdir/iopt-fuzz" -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" 2>"$work/log" || true
grep -E '^iopt: ' "$work/log" || true
sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\)/exec\/s: \1/p;s/^stat::number_of_executed_units: *\([0-9]*\)/execs: \1/p' "$work/log"
