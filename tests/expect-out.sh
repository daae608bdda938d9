#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# expect-out.sh REGEX CMD...: passes when CMD exits 0 AND its output
# matches REGEX (CTest's PASS_REGULAR_EXPRESSION alone ignores the exit
# status).
regex=$1
shift
out=$("$@" 2>&1)
rc=$?
if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -E -q -- "$regex"; then
	printf '%s\n' "$out" | tail -n 20
	echo "expect-out: '$*' exited $rc; wanted 0 and output matching /$regex/"
	exit 1
fi
printf '%s\n' "$out" | grep -E -m 3 -- "$regex"
exit 0
