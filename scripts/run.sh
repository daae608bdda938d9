#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: set up, build against the default tree (Debian's
# linux-source-6.12, or IOPT_KERNEL_SRC), and run the kernel's own
# io-pgtable-arm selftests in the kernel port, with a summary.
# (The differential fuzz campaign replaces this once it exists.)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${IOPT_KERNEL_SRC:-/usr/src/linux-source-6.12.tar.xz}
bdir=$top/build/main

bash "$top/scripts/setup.sh"
echo "iopt: building against $tree in $bdir"
cmake -S "$top" -B "$bdir" -DCMAKE_C_COMPILER=clang-14 \
	-DIOPT_KERNEL_SRC="$tree" -DIOPT_SANITIZE=address,undefined \
	>"$bdir.log" 2>&1 || { grep -E '^iopt:' "$bdir.log" || tail -n 20 "$bdir.log"; exit 1; }
cmake --build "$bdir" -j"$(nproc)" >>"$bdir.log" 2>&1 ||
	{ tail -n 30 "$bdir.log"; exit 1; }
"$bdir/iopt-selftest"
