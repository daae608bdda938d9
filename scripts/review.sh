#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# review.sh --base TREE (--patched TREE | --patch FILE) [--time SECONDS]
#           [--out DIR] [--workers N] [--build DIR] [--no-coverage]
#           [--sanitize LIST] [--kconfig SYM=y|n,...]
#           [--patched-contract NAME]
#
# What does a patch change? Builds a review build of the two trees (the
# base, and the patched one: a tree, or the base's files with a patch or a
# mailbox of patches applied to a copy), runs each tree's own selftests
# in its two ports, replays the shipped corpus, runs
# a campaign of SECONDS that fuzzes for differences between the trees
# (docs/review.md), minimises one reproducer per class of difference, with
# a KUnit case, and writes DIR/report.md. See docs/review.md.
#
# TREE: a kernel source directory, DIR@REV (a git revision), a
# linux-source-*.tar.xz, or a short name of scripts/trees.sh (7.3, 6.12...).
# Nothing is written outside DIR (default build/reviews/<date>), but for
# the build directory (default DIR/build; --build reuses one). The review
# build runs under ASan and UBSan (--sanitize address,undefined, the
# default; "none" for a plain build, faster, as the tests use).
# --kconfig sets a Kconfig symbol the trees' files test that iopt-fuzz
# does not set by itself (a patch's new option; IOPT_KCONFIG,
# docs/design.md): without it such a symbol takes its Kconfig default,
# and the report's notices say which.
# --patched-contract judges the patched tree by a contract the patch
# declares (a proposal of oracle/contract.c, e.g. 7.2+cont-hint; `iopt-contract
# --list` in a build's contract-tool/ lists them) instead of its version's:
# its behaviour changes are then contract changes, checked against the
# proposal, and the fuzzing goes on past them (docs/contracts.md).
#
# Exit status: 0 no behavioural difference found (bugs both trees share
# aside), 1 differences found (contract changes and one tree's known bugs
# included: the report tells them apart), 2 bad usage, a patch that does
# not apply, or trees that do not build.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cmdline="scripts/review.sh $*"
. "$top/scripts/trees.sh"

die() { echo "iopt: review: $*" >&2; exit 2; }
say() { echo "iopt: review: $*"; }

usage()
{
	sed -n '4,7p' "$0" | sed 's/^# \{0,1\}//; s/^/usage: /; 2,$s/^usage: /       /'
}

base="" patched="" patch="" secs=300 out="" workers=2 build="" coverage=1 kconfig=""
pcontract=""
san=address,undefined
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help)
		usage
		exit 0 ;;
	--no-coverage)
		coverage=0
		shift
		continue ;;
	--base|--patched|--patch|--time|--out|--workers|--build|--sanitize|--kconfig|\
	--patched-contract)
		[ $# -ge 2 ] || die "$1 needs a value" ;;
	*)
		die "unknown argument '$1' (see --help)" ;;
	esac
	case $1 in
	--base)		base=$2 ;;
	--patched)	patched=$2 ;;
	--patch)	patch=$2 ;;
	--time)		secs=$2 ;;
	--out)		out=$2 ;;
	--workers)	workers=$2 ;;
	--build)	build=$2 ;;
	--sanitize)	san=$2 ;;
	--kconfig)	kconfig=$2 ;;
	--patched-contract) pcontract=$2 ;;
	esac
	shift 2
done

# ---- the arguments: all checked before anything is written ------------------

[ -n "$base" ] || die "--base TREE is required (see --help)"
[ -n "$patched" ] || [ -n "$patch" ] || die "--patched TREE or --patch FILE is required"
[ -z "$patched" ] || [ -z "$patch" ] || die "--patched and --patch exclude each other"
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] ||
	die "--time wants a positive whole number of seconds, not '$secs'"
[[ $workers =~ ^[0-9]+$ ]] && [ "$workers" -gt 0 ] ||
	die "--workers wants a positive whole number, not '$workers'"
[ "$san" != none ] || san=""
[[ $san =~ ^((address|undefined)(,(address|undefined))*)?$ ]] ||
	die "--sanitize wants address,undefined, a part of it, or none, not '$san'"
[[ $kconfig =~ ^([A-Z0-9_]+=[yn](,[A-Z0-9_]+=[yn])*)?$ ]] ||
	die "--kconfig wants SYM=y or SYM=n, comma-separated, not '$kconfig'"
[[ $pcontract =~ ^[A-Za-z0-9.+_-]*$ ]] ||
	die "--patched-contract wants a contract's name, not '$pcontract'"
tree_ok()	# TREE: a path, DIR@REV or a short name that exists
{
	local t
	t=$(iopt_tree "$1")
	[ -e "$t" ] || [ -d "${t%@*}" ]
}
tree_ok "$base" || die "no such kernel tree '$base'"
base=$(iopt_tree "$base")
if [ -n "$patched" ]; then
	tree_ok "$patched" || die "no such kernel tree '$patched'"
	patched=$(iopt_tree "$patched")
fi
if [ -n "$patch" ]; then
	[ -f "$patch" ] && [ -r "$patch" ] || die "cannot read the patch '$patch'"
	grep -q -E '^(diff --git |--- )' "$patch" ||
		die "'$patch' holds no unified diff"
	patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
fi
[ -n "$out" ] || out=$top/build/reviews/$(date +%Y%m%d-%H%M%S)
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
	die "'$out' exists and is not empty: name a new --out directory"
fi
mkdir -p "$out" || die "cannot create '$out'"
out=$(cd "$out" && pwd)
[ -n "$build" ] || build=$out/build
command -v git >/dev/null || die "git is needed (bash scripts/setup.sh installs it)"

log=$out/review.log
: > "$log"
t_start=$(date +%s)

# ---- the patched tree: a copy of the base's files, the patches applied -------

subjects=()
skipped=()
if [ -n "$patch" ]; then
	say "extracting the base's files"
	bash "$top/cmake/probe-tree.sh" "$base" "$out/trees/base" >>"$log" 2>&1 ||
		die "$(tail -n 1 "$log")"
	mkdir -p "$out/trees/patched" "$out/patches"
	cp -r "$out/trees/base/ktree/." "$out/trees/patched/" || die "cannot copy the base's files"
	rm -f "$out/trees/patched/.source"
	base_given=$base
	base=$out/trees/base/ktree
	# A mailbox of patches (git format-patch: "From <sha> <date>"; b4 am:
	# "From git@z <date>") or one diff.
	if head -n 1 "$patch" | grep -q -E '^From [^ ]+ '; then
		git mailsplit -o"$out/patches" "$patch" >/dev/null 2>>"$log" ||
			die "cannot split the mailbox '$patch'"
	else
		cp "$patch" "$out/patches/0001"
	fi
	present=()
	while IFS= read -r -d '' f; do
		present+=("${f#"$out/trees/patched/"}")
	done < <(find "$out/trees/patched" -type f -print0)
	for p in "$out"/patches/*; do
		s=$(sed -n '/^Subject:/{s/^Subject: *//;s/^\[[^]]*\] *//;p;q}' "$p")
		subjects+=("${s:-$(basename "$patch") (a diff)}")
		files=$(cd "$out/trees/patched" && GIT_CEILING_DIRECTORIES=$out/trees \
			git apply --numstat -p1 "$p" 2>>"$log" | cut -f3)
		[ -n "$files" ] || die "'$(basename "$p")' of '$patch' holds no patch git can read"
		inc=()
		for f in $files; do
			if grep -qxF -- "$f" < <(printf '%s\n' "${present[@]}"); then
				inc+=("--include=$f")
			else
				skipped+=("$f")
			fi
		done
		[ ${#inc[@]} -gt 0 ] || continue
		# (outside any repository: git must not apply relative to one)
		if ! (cd "$out/trees/patched" && GIT_CEILING_DIRECTORIES=$out/trees \
			git apply -p1 "${inc[@]}" "$p") >>"$log" 2>&1; then
			die "the patch '${subjects[-1]}' does not apply to $base_given: $(grep -m1 -E 'error|patch failed' "$log")"
		fi
	done
	patched=$out/trees/patched
	say "applied ${#subjects[@]} patch(es) to a copy of the base's files${skipped:+; not built by iopt-fuzz, so not applied: ${skipped[*]}}"
fi

# ---- the review build -----------------------------------------------------------

say "building the review build of $base and $patched (log: $log)"
if ! cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER=clang-14 \
	-DIOPT_KERNEL_SRC="$base" -DIOPT_PATCHED_SRC="$patched" \
	-DIOPT_SANITIZE="$san" -DIOPT_KCONFIG="$kconfig" \
	-DIOPT_PATCHED_CONTRACT="$pcontract" >"$out/configure.log" 2>&1; then
	cat "$out/configure.log" >>"$log"
	die "the trees do not configure: $(grep -E '^iopt: |CMake Error' "$out/configure.log" |
		grep -v -m1 '^iopt: notice: ' |
		sed 's/^iopt: IOPT_PATCHED_CONTRACT=/--patched-contract /' ||
		tail -n 1 "$out/configure.log")"
fi
if ! cmake --build "$build" -j"$(nproc)" --target iopt-review iopt-review-fuzz \
	iopt-campaign iopt-kunit iopt-kunit-patched iopt-selftest \
	iopt-selftest-patched >>"$log" 2>&1; then
	die "the trees do not build: $(grep -m1 -E 'error' "$log")"
fi
notices=$(grep '^iopt: notice: ' "$out/configure.log")

# ---- each tree's own selftests ------------------------------------------------

# selftests NAME BINARY: run them (NAME.txt in $out/selftests), print one
# line: PASS or FAIL, each port's count, the first expectation that failed.
selftests()
{
	local f=$out/selftests/$1.txt first after
	"$2" >"$f" 2>"$out/selftests/$1.err"
	if grep -q '^result: PASS$' "$f"; then
		echo PASS
		return
	fi
	# (a KUnit suite's: the first expectation, and what our runner saw
	# after the case, e.g. WARNs the suite does not expect)
	first=$(grep -m1 -o 'EXPECTATION FAILED at .*' "$f" | sed 's|at .*/|at |')
	after=$(grep -m1 "iopt-fuzz's KUnit shim: " "$f" | sed 's/.*KUnit shim: //; s| at /[^ ]*/| at |')
	# each port: its verdict and counts, and what it left if anything
	echo "FAIL: $(awk '
		/^  [a-z]+ port: / {
			if (p != "") print p
			p = $0; sub(/^  /, "", p); sub(/: kernel selftests /, ": ", p)
			sub(/ \(returned [-0-9]+\)/, "", p)
		}
		/afterwards/ && / [1-9][0-9]* (WARNs|detections|live|DMA)/ {
			a = $0; sub(/.*afterwards /, "", a); p = p ", afterwards " a
		}
		END { if (p != "") print p }' "$f" |
		paste -sd ';' | sed 's/;/; /g')${first:+; first: $first}${after:+; after the case: $after}"
}
say "running each tree's own selftests"
mkdir -p "$out/selftests"
st_base=$(selftests base "$build/iopt-selftest")
st_patched=$(selftests patched "$build/iopt-selftest-patched")
# (one tree passing them and the other not is a difference)
st_differ=0
[ "${st_base%%:*}" = "${st_patched%%:*}" ] || st_differ=1

# ---- the shipped corpus, then the campaign --------------------------------------

say "replaying the shipped corpus"
"$build/iopt-review" --classify "$top/corpus/seeds" "$top/corpus/regressions" \
	>"$out/corpus.tsv" 2>>"$log"
say "fuzzing for differences for ${secs}s with $workers worker(s)"
bash "$top/scripts/campaign.sh" --fuzzer "$build/iopt-review-fuzz" --no-repro \
	--dir "$out/campaign" --time "$secs" --workers "$workers" \
	>"$out/campaign.log" 2>&1
crc=$?
[ $crc -le 1 ] || [ $crc -eq 130 ] || die "the campaign failed (exit $crc): see $out/campaign.log"

# ---- the classes: what the corpus and the campaign found ------------------------

# "<verdict>\t<signature>\t<input>" of every input that showed something
{
	awk -F'\t' '$1 != "clean" && $1 != "unreadable"' "$out/corpus.tsv"
	[ -f "$out/campaign/signatures.tsv" ] &&
		awk -F'\t' -v r="$out/campaign/reports" \
			'$2 != "clean" { print $2 "\t" $3 "\t" r "/" $1 }' \
			"$out/campaign/signatures.tsv"
} >"$out/found.tsv"
# One line per class: count, verdict, class, first input, formats. A class
# is a signature without its format ("iopt: review-cmo/map/arm64-s1" and
# ".../arm64-s2" are one class, seen in two formats).
awk -F'\t' '
	{
		c = $2; fmt = "-"
		if (match(c, "/(arm32-s1|arm32-s2|arm64-s1|arm64-s2|mali)$")) {
			fmt = substr(c, RSTART + 1); c = substr(c, 1, RSTART - 1)
		}
		n[c]++
		if (!(c in f)) { f[c] = $3; v[c] = $1; fm[c] = "" }
		if (fmt != "-" && index(" " fm[c] " ", " " fmt " ") == 0)
			fm[c] = fm[c] (fm[c] == "" ? "" : " ") fmt
	}
	END {
		for (c in n)
			print n[c] "\t" v[c] "\t" c "\t" f[c] "\t" (fm[c] == "" ? "-" : fm[c])
	}' "$out/found.tsv" |
	sort -t$'\t' -k2,2 -k1,1nr -k3,3 >"$out/classes.tsv"
# (a bug both trees share is no difference)
ndiff=$(awk -F'\t' '$3 !~ /^known:both-/' "$out/classes.tsv" | wc -l)
ndiff=$((ndiff + st_differ))

say "minimising a reproducer of each of $(wc -l <"$out/classes.tsv") classes"
i=0
while IFS=$'\t' read -r count verdict sig input formats; do
	i=$((i + 1))
	d=$out/classes/$(printf '%02d' $i)
	"$build/iopt-review" --repro "$d" "$input" >>"$log" 2>&1 || continue
	printf '%s\n' "$sig" >"$d/signature"
	grep -q 'KUNIT_CASE' "$d/kunit.c" 2>/dev/null || continue
	kb=pass kp=pass
	bash "$top/scripts/kunit-case.sh" "$build" "$d/kunit.c" >"$d/kunit-base.log" 2>&1 || kb=fail
	bash "$top/scripts/kunit-case.sh" "$build" "$d/kunit.c" --patched >"$d/kunit-patched.log" 2>&1 || kp=fail
	printf 'base %s\npatched %s\n' "$kb" "$kp" >"$d/kunit-result"
done <"$out/classes.tsv"

# ---- coverage of io-pgtable-arm.c, on each tree ---------------------------------

cov_base="not measured (--no-coverage)" cov_patched=$cov_base
if [ $coverage = 1 ]; then
	say "measuring the coverage of io-pgtable-arm.c on each tree"
	export IOPT_KCONFIG=$kconfig
	cov_base=$(IOPT_CONTRACT= bash "$top/scripts/coverage.sh" --tree "$base" --build "$out/coverage-base" \
		"$out/campaign/corpus" "$top/corpus/seeds" 2>>"$log" | sed -n 's/^iopt: coverage of [^:]*: //p')
	cov_patched=$(IOPT_CONTRACT=$pcontract bash "$top/scripts/coverage.sh" --tree "$patched" --build "$out/coverage-patched" \
		"$out/campaign/corpus" "$top/corpus/seeds" 2>>"$log" | sed -n 's/^iopt: coverage of [^:]*: //p')
fi

# ---- the report ---------------------------------------------------------------------

export out build top base patched secs workers ndiff cov_base cov_patched notices t_start
export st_base st_patched st_differ
export cmdline
export IOPT_REVIEW_SUBJECTS
IOPT_REVIEW_SUBJECTS=$(printf '%s\n' "${subjects[@]+"${subjects[@]}"}")
bash "$top/scripts/review-report.sh" >"$out/report.md" || die "cannot write $out/report.md"
say "report: $out/report.md"
sed -n '1,/^$/p' "$out/report.md" | sed -n '1,8p'
[ "$ndiff" -eq 0 ]
exit $?
