# SPDX-License-Identifier: GPL-2.0-only
#
# bench/lib.sh: the argument checks the bench scripts share, sourced by
# them. Each refuses with one line on stderr and exit status 2.

bench_die()
{
	echo "bench: $*" >&2
	exit 2
}

# bench_positive NAME VALUE: VALUE is a positive whole number.
bench_positive()
{
	[[ $2 =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] ||
		bench_die "$1 is a positive whole number, not '$2'"
}

# bench_tools BUILD TOOL...: each TOOL is built in BUILD.
bench_tools()
{
	local b=$1 t

	shift
	for t in "$@"; do
		[ -x "$b/$t" ] || bench_die "no $t in '$b'"
	done
}

# bench_corpora PATH...: each corpus (a directory or a file) exists.
bench_corpora()
{
	local c

	for c in "$@"; do
		[ -e "$c" ] || bench_die "no such corpus '$c'"
	done
}
