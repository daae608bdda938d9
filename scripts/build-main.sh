#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-main.sh [BUILD_DIR]: set up (scripts/setup.sh), then configure and
# build the main job's configuration into BUILD_DIR (default build/main):
# the default tree (scripts/trees.sh, or IOPT_KERNEL_SRC: a path or a
# tree's short name) under
# ASan+UBSan. The configure and build output goes to BUILD_DIR.log. Used
# by scripts/run.sh and scripts/campaign.sh.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"
tree=$(iopt_tree "${IOPT_KERNEL_SRC:-$IOPT_DEFAULT_TREE}")
bdir=${1:-$top/build/main}

bash "$top/scripts/setup.sh"
mkdir -p "$(dirname "$bdir")"
echo "iopt: building against $tree in $bdir"
cmake -S "$top" -B "$bdir" -DCMAKE_C_COMPILER=clang-14 \
	-DIOPT_KERNEL_SRC="$tree" -DIOPT_SANITIZE=address,undefined \
	>"$bdir.log" 2>&1 || { grep -E '^iopt:' "$bdir.log" || tail -n 20 "$bdir.log"; exit 1; }
cmake --build "$bdir" -j"$(nproc)" >>"$bdir.log" 2>&1 ||
	{ tail -n 30 "$bdir.log"; exit 1; }
