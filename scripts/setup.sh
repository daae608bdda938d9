#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what iopt-fuzz needs from Debian 12 packages. Idempotent: quiet
# and fast when everything is present. Run as root (or with sudo available).
set -euo pipefail

pkgs=(
	clang-14 llvm-14 libclang-rt-14-dev	# compiler, libFuzzer, sanitizers
	afl++					# AFL++ 4.04c
	libxxhash-dev				# XXH3 for table images
	cmake make xz-utils			# build, tarball extraction
	zip unzip				# OSS-Fuzz seed corpus (ci/oss-fuzz/)
	linux-source-6.12 linux-source-6.1	# the two supported trees
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "iopt: setup: need root to install: ${missing[*]}" >&2
		exit 1
	}
	sudo=sudo
fi

echo "iopt: setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
