#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
#
# ClusterFuzzLite runs this as $SRC/build.sh: the OSS-Fuzz build, unchanged.
exec bash "$SRC/iopt-fuzz/ci/oss-fuzz/build.sh"
