#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench/test-time.sh CLONE [LOG]: the test suite's wall time, measured
# (never asserted): `bash scripts/test.sh` run in CLONE (a fresh clone, as
# CI runs it: a build directory left from an earlier run makes the builds
# cheaper), its output kept in LOG (a new file outside CLONE: the tests
# check that nothing is written in the source tree; default a new file in
# ${TMPDIR:-/tmp}), then the seconds each configuration took (its build and
# its tests), the total, and the suite's closing line. The exit status is
# the suite's. CI has 2 cores and wants the suite well under 20 minutes.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

clone=${1:?usage: bench/test-time.sh CLONE [LOG]}
[ -f "$clone/scripts/test.sh" ] || bench_die "'$clone' is not a clone of iopt-fuzz"
clone=$(cd "$clone" && pwd)
if [ $# -gt 1 ]; then
	log=$2
	[ ! -e "$log" ] || bench_die "'$log' exists: give another LOG"
	{ : >"$log"; } 2>/dev/null || bench_die "cannot write '$log'"
	log=$(cd "$(dirname "$log")" && pwd)/$(basename "$log")
	case $log in
	"$clone"/*) rm -f "$log"; bench_die "'$log' is inside the clone: give a LOG outside it" ;;
	esac
else
	log=$(mktemp "${TMPDIR:-/tmp}/test-time.XXXXXX.log" 2>/dev/null) ||
		bench_die "cannot make a log in '${TMPDIR:-/tmp}'"
fi

start=$(date +%s)
(cd "$clone" && bash scripts/test.sh) 2>&1 |
	while IFS= read -r line; do
		printf '%d %s\n' $(($(date +%s) - start)) "$line"
	done >"$log"
rc=${PIPESTATUS[0]}
total=$(($(date +%s) - start))

# "=== NAME: tree ..." begins a configuration (the set-up before the
# first is counted with it); ctest's output comes when its run ends.
awk -v total="$total" '
	BEGIN { from = 0 }
	$2 == "===" && $4 == "tree" {
		if (name != "") {
			printf "%-16s %5d s\n", name, $1 - from
			from = $1
		}
		name = $3
		sub(/:$/, "", name)
	}
	END {
		if (name != "") printf "%-16s %5d s\n", name, total - from
		printf "%-16s %5d s\n", "total", total
	}' "$log"
tail -n 1 "$log" | cut -d' ' -f2-
echo "log: $log"
exit "$rc"
