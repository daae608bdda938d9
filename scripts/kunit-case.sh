#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit-case.sh BUILD_DIR KUNIT_C [--patched] [-v]
#
# Run a KUnit case (the kunit.c of iopt-replay --repro) in iopt-fuzz's
# KUnit shim: copy it into BUILD_DIR (a build directory of this project,
# configured for the tree the case is for; --patched: a review build's
# patched tree), rebuild iopt-kunit (only the case is compiled again) and
# run it, with the bug IOPT_PLANT names planted if set. Exit status: iopt-kunit's (0 every case passes, 1 one
# fails); 2 when the arguments are wrong or the case does not build.
# Runs of the same BUILD_DIR take turns (flock).
set -uo pipefail

die() { echo "kunit-case: $*" >&2; exit 2; }

[ $# -ge 2 ] || die "usage: kunit-case.sh BUILD_DIR KUNIT_C [--patched] [-v]"
build=$1
case_c=$2
shift 2
suffix=
if [ "${1:-}" = --patched ]; then
	suffix=-patched
	shift
fi
[ -f "$build/CMakeCache.txt" ] || die "'$build' is not a configured build directory of iopt-fuzz"
[ -f "$case_c" ] && [ -r "$case_c" ] || die "cannot read '$case_c'"
dest=$build/kunit-case$suffix
[ -d "$dest" ] || die "'$build' has no kunit-case/: configure it again with this version of iopt-fuzz"

exec 9>"$dest/.lock"
flock 9
cmp -s "$case_c" "$dest/kunit.c" || cp "$case_c" "$dest/kunit.c" ||
	die "cannot copy '$case_c' into '$dest'"
log=$dest/build.log
if ! cmake --build "$build" --target iopt-kunit$suffix >"$log" 2>&1; then
	grep -E "error|Error" "$log" | head -n 20 >&2
	die "'$case_c' does not build against the tree of '$build' (the whole log: $log)"
fi
"$build/iopt-kunit$suffix" "$@"
