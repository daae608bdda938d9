# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by the scripts: the one place that names the kernel trees.
#
#   iopt_tree NAME     the tree called NAME: 6.1 and 6.12 are Debian 12's
#                      linux-source packages in /usr/src; 7.2 (sid) and 7.3
#                      (trixie-backports) are fetched by scripts/setup.sh
#                      into the cache. Any other NAME (a directory, a
#                      tarball, DIR@REV) is printed as it is.
#   iopt_tree_cache    where the fetched trees are kept: $IOPT_CACHE, else
#                      /var/cache/iopt-fuzz as root, else
#                      ${XDG_CACHE_HOME:-~/.cache}/iopt-fuzz
#   IOPT_DEFAULT_TREE  the tree of the main job, scripts/coverage.sh and
#                      the OSS-Fuzz build when IOPT_KERNEL_SRC is not set
#   IOPT_FETCHED_TREES the fetched trees, as VERSION:DEBIAN_SUITE (where
#                      each is today)
#   IOPT_FETCH_SUITES  the suites searched too, for every fetched tree: a
#                      series moves between them (sid, then testing and
#                      backports) and leaves sid first; apt takes the
#                      highest version any of them has

IOPT_DEFAULT_TREE=7.3
IOPT_FETCHED_TREES="7.3:trixie-backports 7.2:sid"
IOPT_FETCH_SUITES="sid testing trixie-backports"

iopt_tree_cache()
{
	if [ -n "${IOPT_CACHE:-}" ]; then
		echo "$IOPT_CACHE"
	elif [ "$(id -u)" -eq 0 ]; then
		echo /var/cache/iopt-fuzz
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/iopt-fuzz"
	fi
}

iopt_tree()
{
	case $1 in
	6.1|6.12)
		echo "/usr/src/linux-source-$1.tar.xz" ;;
	7.2|7.3)
		echo "$(iopt_tree_cache)/linux-source-$1.tar.xz" ;;
	*)
		echo "$1" ;;
	esac
}
