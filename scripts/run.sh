#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: set up, build against the default tree (Debian's
# linux-source-7.3, or IOPT_KERNEL_SRC) under ASan+UBSan, run the
# kernel's own selftests in both ports, then a two-worker differential
# fuzz campaign (IOPT_FUZZ_SECONDS, default 180) that drives the kernel
# and hyp builds side by side against the reference model, with a
# progress line every few seconds and a summary (scripts/campaign.sh).
#
# The campaign lives in build/campaigns/main/ (corpus, reports) and a
# rerun continues its corpus; the shipped seeds in corpus/ are read,
# never written.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${IOPT_FUZZ_SECONDS:-180}
bdir=$top/build/main

[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || {
	echo "iopt: IOPT_FUZZ_SECONDS wants a positive whole number of seconds, not '$secs'" >&2
	exit 2
}
bash "$top/scripts/build-main.sh" "$bdir"
"$bdir/iopt-selftest"
exec bash "$top/scripts/campaign.sh" --build "$bdir" --name main --workers 2 \
	--time "$secs"
