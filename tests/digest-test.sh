#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# digest-test.sh [--update] REPLAY KEY: replay the shipped seeds and
# regression inputs with `REPLAY --digest` and compare, input by input, the
# hash of what each did (results, TLB callbacks, allocation, CMO and WARN
# records, images, verdict) with tests/digests/KEY.digest (KEY: the tree's
# version and the emulated page shift, e.g. 6.12.117-p12). A refactoring
# must leave them as they are; a change that means to alter what the
# harness does regenerates them with --update and says why in its commit.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -eq 2 ] || { echo "usage: digest-test.sh [--update] REPLAY KEY" >&2; exit 2; }
replay=$1
golden=$here/digests/$2.digest

out=$("$replay" --digest "$top/corpus/seeds" "$top/corpus/regressions" 2>/dev/null |
	grep -v '^iopt-replay: ')
[ -n "$out" ] || { echo "digest-test: $replay printed no digest" >&2; exit 1; }
if [ $update = 1 ]; then
	printf '%s\n' "$out" > "$golden"
	echo "digest-test: wrote $golden ($(wc -l < "$golden") inputs)"
	exit 0
fi
if [ ! -f "$golden" ]; then
	echo "digest-test: no $golden: generate it with tests/digest-test.sh --update $replay $2" >&2
	exit 1
fi
if ! diff -u "$golden" <(printf '%s\n' "$out"); then
	echo "digest-test: what the harness does changed on these inputs (above)" >&2
	exit 1
fi
echo "digest-test: $(wc -l < "$golden") inputs as recorded in $golden"
