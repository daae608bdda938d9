#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bare-test.sh BARE: iopt-bare (bench/ratio.sh's harness of the kernel
# work alone) skips exactly the ops the executor skips. `BARE --check`
# predicts every op with the reference model too and fails on the first
# caller-precondition verdict that differs; it runs over the shipped seeds
# and regressions and over 600 programs of random bytes made here (the
# same every time: a Park-Miller generator with a fixed seed), and must
# have seen ops of both kinds. With IOPT_BARE_PLANT=no-skips, iopt-bare
# runs every op it should skip, and --check must catch that. `BARE --hyp`
# (the hyp port alone, bench/ratio.sh's other bare harness) must run and
# skip the same way.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bare=${1:?usage: bare-test.sh BARE}
work=$(mktemp -d)
trap '[ -n "${IOPT_KEEP:-}" ] || rm -rf "$work"' EXIT
mkdir "$work/random"

# Each line: one program's bytes as \xHH escapes, an 8-byte header (a
# page-size set with a granule, ias and oas of 32 to 48 bits, quirks one
# time in four, so that most configurations are accepted) and 40 to 160 bytes of ops.
awk 'BEGIN {
	x = 20261201
	for (f = 0; f < 600; f++) {
		x = (x * 16807) % 2147483647
		n = 48 + x % 121
		line = ""
		for (i = 0; i < n; i++) {
			x = (x * 16807) % 2147483647
			b = int(x / 65536) % 256
			if (i == 1 && b % 8 == 5)	# no granule: rejected
				b++
			if (i == 2 || i == 3)		# ias, oas of 32 to 48 bits
				b %= 6
			if (i == 4 && b >= 64)		# mostly no quirks
				b = 0
			line = line sprintf("\\x%02x", b)
		}
		print line
	}
}' | {
	i=0
	while read -r line; do
		printf "$line" >"$work/random/$(printf 'r%03d' "$i")"
		i=$((i + 1))
	done
}

out=$("$bare" --check "$top/corpus/seeds" "$top/corpus/regressions" "$work/random")
rc=$?
printf '%s\n' "$out" | tail -n 5
[ "$rc" -eq 0 ] || { echo "bare-test: iopt-bare --check failed ($rc)"; exit 1; }
sed -n 's/.* \([0-9]*\) ops run .*, \([0-9]*\) skipped .*/\1 \2/p' <<<"$out" | {
	read -r ran skipped
	[ "${ran:-0}" -gt 0 ] && [ "${skipped:-0}" -gt 0 ] ||
		{ echo "bare-test: want ops both run and skipped, got '${ran:-} ${skipped:-}'"; exit 1; }
} || exit 1

out=$("$bare" --hyp --check "$top/corpus/seeds" "$top/corpus/regressions" "$work/random")
rc=$?
printf '%s\n' "$out" | tail -n 1
[ "$rc" -eq 0 ] || { echo "bare-test: iopt-bare --hyp --check failed ($rc)"; exit 1; }
grep -q ' ops run on the hyp port, ' <<<"$out" ||
	{ echo "bare-test: iopt-bare --hyp did not run the hyp port"; exit 1; }

out=$(IOPT_BARE_PLANT=no-skips "$bare" --check "$work/random")
rc=$?
printf '%s\n' "$out" | grep -m 2 'the model says' || true
[ "$rc" -eq 1 ] || { echo "bare-test: IOPT_BARE_PLANT=no-skips went unnoticed ($rc)"; exit 1; }
echo "bare-test: iopt-bare skips what the model skips; a planted difference is caught"
