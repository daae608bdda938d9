#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# digest-test.sh [--update] REPLAY KEY FILES_ID: replay the shipped seeds
# and regression inputs with `REPLAY --digest` and compare, input by input,
# the hash of what each did (results, TLB callbacks, allocation, CMO and
# WARN records, images, verdict) with tests/digests/KEY.digest (KEY: the
# version of the tree it was recorded on and the emulated page shift, e.g.
# 6.12.117-p12). Its first line names the kernel files it was recorded
# from (FILES_ID: IOPT_TREE_FILES_ID in the build's generated/tree.cmake).
# A refactoring must leave the digests as they are; a change that means to
# alter what the harness does regenerates them with --update and says why
# in its commit, as does a digest recorded for a new tree.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -eq 3 ] || { echo "usage: digest-test.sh [--update] REPLAY KEY FILES_ID" >&2; exit 2; }
replay=$1
golden=$here/digests/$2.digest
head="# io-pgtable files $3"

out=$("$replay" --digest "$top/corpus/seeds" "$top/corpus/regressions" 2>/dev/null |
	grep -v '^iopt-replay: ')
[ -n "$out" ] || { echo "digest-test: $replay printed no digest" >&2; exit 1; }
if [ $update = 1 ]; then
	printf '%s\n%s\n' "$head" "$out" > "$golden"
	echo "digest-test: wrote $golden ($(printf '%s\n' "$out" | wc -l) inputs)"
	exit 0
fi
if [ ! -f "$golden" ]; then
	echo "digest-test: no $golden: generate it with tests/digest-test.sh --update $replay $2 $3" >&2
	exit 1
fi
if [ "$(head -n 1 "$golden")" != "$head" ]; then
	echo "digest-test: $golden was recorded from other kernel files than $3 (its first line: $(head -n 1 "$golden"))" >&2
	exit 1
fi
if ! diff -u <(tail -n +2 "$golden") <(printf '%s\n' "$out"); then
	echo "digest-test: what the harness does changed on these inputs (above)" >&2
	exit 1
fi
echo "digest-test: $(($(wc -l < "$golden") - 1)) inputs as recorded in $golden"
