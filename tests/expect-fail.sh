#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# expect-fail.sh REGEX CMD...: passes when CMD exits non-zero AND its output
# matches REGEX, so a negative control cannot pass by failing for the wrong
# reason (or by crashing in an unrelated way).
regex=$1
shift
out=$("$@" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
	printf '%s\n' "$out" | tail -n 20
	echo "expect-fail: '$*' exited 0, expected a failure"
	exit 1
fi
if ! printf '%s\n' "$out" | grep -E -q -- "$regex"; then
	printf '%s\n' "$out" | tail -n 20
	echo "expect-fail: '$*' failed (rc $rc) but its output does not match /$regex/"
	exit 1
fi
printf '%s\n' "$out" | grep -E -m 3 -- "$regex"
echo "expect-fail: failed as expected (rc $rc)"
exit 0
