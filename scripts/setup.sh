#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what iopt-fuzz needs from Debian 12 packages, and fetch the
# newer kernel trees (scripts/trees.sh) as Debian packages into a cache.
# Idempotent: quiet and fast when everything is present. Run as root (or
# with sudo available) for the packages; the trees need no root.
#
# The trees come from Debian sid, testing or trixie-backports (the
# highest version any has: scripts/trees.sh) through an apt
# configuration of our own (sources, lists and archives in a temporary
# directory): the machine's apt sources are not touched. Only the
# linux-source-*.tar.xz is kept.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/trees.sh"

pkgs=(
	clang-14 llvm-14 libclang-rt-14-dev	# compiler, libFuzzer, sanitizers
	afl++					# AFL++ 4.04c
	libxxhash-dev				# XXH3 for table images
	cmake make xz-utils			# build, tarball extraction
	git					# trees given as DIR@REV
	zip unzip				# OSS-Fuzz seed corpus (ci/oss-fuzz/)
	linux-source-6.12 linux-source-6.1	# Debian 12's trees
)

install_packages()
{
	local missing=() p sudo=""

	for p in "${pkgs[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed"; then
			missing+=("$p")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0

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
}

# fetch_trees: every tree of IOPT_FETCHED_TREES not in the cache yet.
fetch_trees()
{
	local cache want=() suites=() t v s tmp log opts deb

	cache=$(iopt_tree_cache)
	missing_trees() {
		want=() suites=()
		for t in $IOPT_FETCHED_TREES; do
			v=${t%%:*}
			[ -f "$cache/linux-source-$v.tar.xz" ] && continue
			want+=("$v")
			suites+=("${t#*:}")
		done
		[ ${#want[@]} -gt 0 ]
	}
	missing_trees || return 0

	# One fetch at a time (the lock goes with the shell); then look again.
	mkdir -p "$cache" && exec 9>"$cache/.lock" && flock 9 &&
		tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || {
		echo "iopt: setup: cannot write the tree cache '$cache' (set IOPT_CACHE)" >&2
		exit 1
	}
	trap 'rm -rf "$tmp"' EXIT
	missing_trees || return 0
	log=$tmp/log
	mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
	suites+=($IOPT_FETCH_SUITES)
	for s in $(printf '%s\n' "${suites[@]}" | sort -u); do
		echo "deb [trusted=yes] http://deb.debian.org/debian $s main"
	done > "$tmp/sources.list"
	opts=(-q -o "Dir::Etc::SourceList=$tmp/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::Etc::Preferences=/dev/null
		-o Dir::Etc::PreferencesParts=/dev/null
		-o "Dir::State::Lists=$tmp/lists"
		-o "Dir::Cache=$tmp/cache"
		-o "Dir::Cache::Archives=$tmp/cache/archives")
	# As root apt downloads as _apt, who cannot write our directory.
	[ "$(id -u)" -eq 0 ] && opts+=(-o APT::Sandbox::User=root)

	suites=($(printf '%s\n' "${suites[@]}" | sort -u))
	echo "iopt: setup: fetching ${want[*]/#/linux-source-} from Debian (${suites[*]}) into $cache" >&2
	apt-get "${opts[@]}" update >"$log" 2>&1 || {
		echo "iopt: setup: cannot read the Debian package lists (${suites[*]}): $(grep -E '^(E|W|Err):' "$log" | head -n 1)" >&2
		exit 1
	}
	for v in "${want[@]}"; do
		(cd "$tmp" && apt-get "${opts[@]}" download "linux-source-$v") >"$log" 2>&1 &&
			deb=$(ls "$tmp"/linux-source-"$v"_*.deb 2>/dev/null | head -n 1) &&
			[ -n "$deb" ] &&
			dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./usr/src/linux-source-$v.tar.xz" >"$tmp/tree" 2>>"$log" &&
			[ -s "$tmp/tree" ] || {
			if grep -q -E "^E: (Unable to locate package|Couldn't find any package|Package .* has no installation candidate)" "$log"; then
				echo "iopt: setup: linux-source-$v is in none of Debian's ${suites[*]}: Debian has moved past it (scripts/trees.sh names the trees)" >&2
			else
				echo "iopt: setup: cannot fetch linux-source-$v from Debian: $(grep -E '^(E|W|Err):|tar:' "$log" | head -n 1)" >&2
			fi
			exit 1
		}
		mv "$tmp/tree" "$cache/linux-source-$v.tar.xz"
		rm -f "$deb"
	done
	rm -rf "$tmp"
	trap - EXIT
}

install_packages
fetch_trees
