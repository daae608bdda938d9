#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# campaign-test.sh MODE ...: tests of scripts/campaign.sh.
#
#   args BUILD_DIR              bad arguments: one "iopt:" line, exit 2,
#                               nothing started
#   clean BUILD_DIR WORK        a 15 s two-worker campaign on the clean
#                               build: progress, a summary, no report, a
#                               non-empty corpus of complete inputs
#   interrupt BUILD_DIR WORK    ^C halfway through a rerun: the summary
#                               still comes, the corpus keeps every input
#                               and stays consistent, no worker is left
#   planted BUILD_DIR WORK      a planted bug (IOPT_PLANT): the reports
#                               are deduplicated by signature line, the
#                               same whether replayed in one batch or
#                               one by one
#
# and of scripts/coverage.sh:
#
#   coverage-args WORK          bad arguments: one "iopt:" line, exit 2,
#                               nothing built
#   coverage WORK TREE          a coverage build (no libFuzzer) and its
#                               report for one input, then two: the
#                               numbers grow
set -uo pipefail
# Planted bugs and format filters are chosen by each test, not inherited.
unset IOPT_PLANT IOPT_FORMAT
# The campaigns run in one format, arm64-s2: they test the runner, and
# must not depend on the model's state. (Now, a campaign of a minute or
# two in arm64-s1 with the ARM_HD quirk finds divergences on the clean
# build after a device write: tables/teardown, tables/recreate,
# dirty/read_and_clear_dirty.)
campaign_fmt=arm64-s2

top=$(cd "$(dirname "$0")/.." && pwd)
runner=$top/scripts/campaign.sh
mode=${1:?usage: campaign-test.sh MODE ...}
fails=0

fail()
{
	echo "FAIL: $*"
	fails=$((fails + 1))
}

ok()
{
	echo "ok: $*"
}

# usage_errors MADE LABEL CMD...: for each "what|args" line of stdin,
# CMD args must exit 2 with one "iopt:" line and must not create MADE.
usage_errors()
{
	local made=$1 label=$2 what args out rc lines
	shift 2
	while IFS='|' read -r what args; do
		[ -n "$what" ] || continue
		# shellcheck disable=SC2086 # the arguments, word-split
		out=$("$@" $args 2>&1)
		rc=$?
		lines=$(printf '%s\n' "$out" | wc -l)
		if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [[ $out == "iopt: "* ]] &&
		   [ ! -e "$made" ]; then
			ok "$what: $out"
		else
			fail "$what: rc $rc (want 2), $lines lines (want 1 'iopt:' line), $label $([ -e "$made" ] && echo created || echo absent):"
			printf '%s\n' "$out" | head -n 5
		fi
	done
}

# Every file of the corpus is complete: its name is the SHA-1 of its content.
check_corpus()
{
	local c=$1 bad
	bad=$(cd "$c" && sha1sum -- * 2>/dev/null | awk '$1 != $2' | wc -l)
	[ "$bad" -eq 0 ] && ok "each corpus file is named by its SHA-1" ||
		fail "$bad corpus files whose name is not their SHA-1"
}

finish()
{
	[ "$fails" -eq 0 ] || { echo "campaign-test $mode: $fails check(s) failed"; exit 1; }
	echo "campaign-test $mode: all checks passed"
	exit 0
}

case $mode in
args)
	bdir=$2
	work=$bdir/campaign-tests/args
	rm -rf "$work"
	mkdir -p "$work"
	usage_errors "$work/c" "campaign dir" bash "$runner" --dir "$work/c" <<EOF
unknown flag|--bogus --build $bdir
stray argument|--build $bdir corpus
non-numeric time|--build $bdir --time abc
time with a unit|--build $bdir --time 10s
time zero|--build $bdir --time 0
time without a value|--build $bdir --time
no workers|--build $bdir --workers 0
build dir without iopt-fuzz|--build $bdir/CMakeFiles
missing build dir|--build $work/nowhere
missing fuzz target|--fuzzer $work/nowhere
EOF
	# And a good command line gets past the checks (to --help).
	out=$(bash "$runner" --build "$bdir" --time 5 --help 2>&1) &&
		[[ $out == usage:* ]] && ok "--help: usage, exit 0" ||
		fail "--help did not print the usage and exit 0"
	finish ;;

clean)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/clean
	rm -rf "$dir"
	out=$(bash "$runner" --build "$bdir" --dir "$dir" --time 15 --progress 5 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && ok "exit 0" || fail "exit $rc (want 0)"
	grep -q -x -F "  format:  $campaign_fmt only (IOPT_FORMAT)" <<<"$out" &&
		ok "the format filter is announced" || fail "the format filter is not announced"
	n=$(grep -c -E '^  \[ *[0-9]+s\] execs [1-9][0-9]* \([0-9]+/s\)  coverage [1-9][0-9]* features  corpus [1-9]' <<<"$out")
	[ "$n" -ge 2 ] && ok "$n progress lines" || fail "$n progress lines (want 2 or more)"
	grep -q '^==== iopt-fuzz campaign summary ====$' <<<"$out" &&
		ok "a summary" || fail "no summary"
	grep -q -E '^executions:  [1-9][0-9]* \([1-9][0-9]*/s\)$' <<<"$out" &&
		ok "executions counted" || fail "no executions in the summary"
	grep -q -E '^coverage:    [1-9][0-9]* of [1-9][0-9]* edges in the kernel files, [1-9][0-9]* features$' <<<"$out" &&
		ok "coverage measured" || fail "no coverage in the summary"
	grep -q '^reports:     none$' <<<"$out" &&
		ok "no report" || fail "the summary lists reports"
	n=$(find "$dir/reports" -type f | wc -l)
	[ "$n" -eq 0 ] && ok "reports/ is empty" || fail "$n files in reports/"
	n=$(find "$dir/corpus" -type f | wc -l)
	[ "$n" -gt 0 ] && ok "$n inputs in the corpus" || fail "empty corpus"
	grep -q -E "^corpus:      $n inputs in $dir/corpus \(\+$n this run\)$" <<<"$out" &&
		ok "the summary counts them" || fail "the summary's corpus line is wrong"
	check_corpus "$dir/corpus"
	n=$(find "$dir/sessions" -name new | wc -l)
	[ "$n" -eq 0 ] && ok "the run's output directory was emptied into the corpus" ||
		fail "$n output directories left behind"
	finish ;;

interrupt)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/interrupt
	rm -rf "$dir"
	# A first run, minimised: into a new directory, the old one kept.
	bash "$runner" --build "$bdir" --dir "$dir" --time 5 --minimize \
		>"$3/interrupt.1.log" 2>&1 || fail "first run: exit $? (want 0)"
	(cd "$dir/corpus" && ls) >"$3/interrupt.before"
	n1=$(wc -l <"$3/interrupt.before")
	[ "$n1" -gt 0 ] || fail "the first run left an empty corpus"
	old=$(ls -d "$dir"/corpus.old-* 2>/dev/null)
	n0=$(ls "$old" 2>/dev/null | wc -l)
	notold=$(ls "$old" 2>/dev/null | comm -13 - "$3/interrupt.before" | wc -l)
	[ -n "$old" ] && [ "$n0" -ge "$n1" ] && [ "$notold" -eq 0 ] &&
		grep -q -E "^corpus:      $n1 inputs in $dir/corpus \(\+$n0 this run, then minimised from $n0\)$" "$3/interrupt.1.log" &&
		ok "minimised $n0 -> $n1 inputs, the $n0 kept in ${old##*/}" ||
		fail "minimisation: corpus.old-* '$old' of $n0 inputs, $n1 after, $notold not from it"
	[ "$(ls -d "$dir"/corpus.merg* 2>/dev/null | wc -l)" -eq 0 ] &&
		ok "no merge directory left" || fail "a merge directory is left"
	# As a terminal's ^C: SIGINT to the runner's whole process group.
	set -m
	bash "$runner" --build "$bdir" --dir "$dir" --time 300 --progress 2 \
		>"$3/interrupt.2.log" 2>&1 &
	pid=$!
	set +m
	for _ in $(seq 1 60); do
		grep -q -E '^  \[ *[0-9]+s\] execs [1-9]' "$3/interrupt.2.log" && break
		sleep 1
	done
	t0=$(date +%s)
	kill -INT -- -"$pid"
	wait "$pid"
	rc=$?
	t=$(($(date +%s) - t0))
	out=$(cat "$3/interrupt.2.log")
	printf '%s\n' "$out"
	[ $rc -eq 130 ] && ok "exit 130" || fail "exit $rc (want 130)"
	[ $t -le 30 ] && ok "stopped ${t}s after ^C" || fail "took ${t}s to stop"
	grep -q -E "^  corpus:  $n1 inputs from earlier runs" <<<"$out" &&
		ok "continued from the $n1 inputs of the first run" ||
		fail "did not continue from the first run's $n1 inputs"
	grep -q -E '^campaign: .*, interrupted\)$' <<<"$out" && grep -q '^reports:     none$' <<<"$out" &&
		ok "a summary, marked interrupted" || fail "no summary after ^C"
	missing=$(cd "$dir/corpus" && ls | comm -23 "$3/interrupt.before" - | wc -l)
	[ "$missing" -eq 0 ] && ok "every input of the first run is still there" ||
		fail "$missing inputs of the first run are gone"
	n2=$(find "$dir/corpus" -type f | wc -l)
	grep -q -E "^corpus:      $n2 inputs in $dir/corpus \(\+$((n2 - n1)) this run\)$" <<<"$out" &&
		ok "the summary counts the $((n2 - n1)) new ones" || fail "the summary's corpus line is wrong"
	check_corpus "$dir/corpus"
	n=$(find "$dir/sessions" -name new | wc -l)
	[ "$n" -eq 0 ] && ok "the run's output directory was emptied into the corpus" ||
		fail "$n output directories left behind"
	left=$(pgrep -f -- "-artifact_prefix=$dir/reports/" | wc -l)
	[ "$left" -eq 0 ] && ok "no worker left running" || fail "$left workers left running"
	finish ;;

planted)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/planted
	plant=skip-cmo@hyp
	rm -rf "$dir" "$3"/planted-replay-*
	# The main job's way: a build's iopt-fuzz, the reports classified by
	# one iopt-replay process; both take the planted bug from IOPT_PLANT.
	out=$(IOPT_PLANT=$plant bash "$runner" --build "$bdir" --dir "$dir" \
		--time 10 --progress 4 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 1 ] && ok "exit 1 (reports)" || fail "exit $rc (want 1)"
	grep -q -x -F "  planted: $plant (IOPT_PLANT: a planted bug, for demonstrations)" <<<"$out" &&
		ok "the plant is announced" || fail "the plant is not announced"
	nfiles=$(find "$dir/reports" -type f -name 'crash-*' | wc -l)
	rows=$(sed -n '/^   count   new  signature/,/^replay one:/p' <<<"$out" | sed '1d;$d')
	nrows=$(grep -c . <<<"$rows")
	total=$(awk '{ s += $1 } END { print s + 0 }' <<<"$rows")
	sigs=$(awk '{ print $3, $4 }' <<<"$rows")
	[ "$nrows" -ge 1 ] && ok "$nrows signatures" || fail "no signature table"
	# A skipped clean: the CMOs differ, or the walker reads stale memory.
	[ "$(grep -c -v -E '^iopt: (cmo|stale)/' <<<"$sigs")" -eq 0 ] &&
		ok "all signatures are 'iopt: cmo/...' or 'iopt: stale/...'" ||
		fail "other signatures: $(grep -v -E '^iopt: (cmo|stale)/' <<<"$sigs")"
	[ "$(sort <<<"$sigs" | uniq -d | wc -l)" -eq 0 ] &&
		ok "each signature listed once" || fail "a signature is listed twice"
	[ "$total" -eq "$nfiles" ] && [ "$nfiles" -gt 0 ] &&
		ok "the counts add up to the $nfiles report inputs" ||
		fail "counts add up to $total, for $nfiles report inputs"
	grep -q -E "^reports:     $nfiles inputs, $nrows signatures \($nfiles new in this run\)$" <<<"$out" &&
		ok "the reports line" || fail "the reports line is wrong"
	[ "$(awk '$1 >= 2' <<<"$rows" | wc -l)" -ge 1 ] &&
		ok "several inputs deduplicated under one signature" ||
		fail "no signature has more than one input"
	while read -r count _ s1 s2 path; do
		# The first input gives that signature with the plant, and
		# runs clean without it.
		with=$([ -f "$path" ] && IOPT_PLANT=$plant "$bdir/iopt-fuzz" \
			-artifact_prefix="$3/planted-replay-" "$path" 2>&1)
		without=$([ -f "$path" ] && "$bdir/iopt-replay" "$path" 2>&1)
		if [[ $path == "$dir/reports/crash-"* ]] &&
		   grep -q -x -F "$s1 $s2" <<<"$with" &&
		   grep -q ' 0 divergent' <<<"$without"; then
			ok "$s1 $s2: $count inputs; the first replays to it, and clean without the plant"
		else
			fail "$s1 $s2: first input '$path' is missing, does not replay to it, or diverges without the plant"
		fi
	done <<<"$rows"
	n=$(awk -F '\t' '$3 == "batch"' "$dir/signatures.tsv" | wc -l)
	[ "$n" -eq "$nfiles" ] && ok "all classified by one iopt-replay batch" ||
		fail "$n of $nfiles classified by the iopt-replay batch"
	# The other way (the fuzz target alone, one replay per input) gives
	# every input the same signature: forget the index, rerun briefly.
	# (from an empty directory, which the replays must leave empty)
	mv "$dir/signatures.tsv" "$dir/signatures.batch"
	rm -rf "$3/planted-cwd"
	mkdir -p "$3/planted-cwd"
	out=$(cd "$3/planted-cwd" && IOPT_PLANT=$plant bash "$runner" \
		--fuzzer "$bdir/iopt-fuzz" --dir "$dir" --time 2 2>&1)
	rc=$?
	n=$(find "$3/planted-cwd" -type f | wc -l)
	[ "$n" -eq 0 ] && ok "nothing written to the current directory" ||
		fail "$n files written to the current directory"
	[ $rc -eq 1 ] && ok "rerun with --fuzzer: exit 1" || fail "rerun with --fuzzer: exit $rc (want 1)"
	tab=$(printf '\t')
	both=$(join -t "$tab" <(sort "$dir/signatures.tsv") <(sort "$dir/signatures.batch"))
	same=$(awk -F '\t' '$2 == $4 && $3 == "alone"' <<<"$both" | wc -l)
	[ "$same" -eq "$nfiles" ] &&
		ok "replayed alone, all $nfiles get the batch's signature" ||
		fail "replayed alone, $same of $nfiles get the batch's signature"
	finish ;;

coverage-args)
	work=$2/coverage-args
	rm -rf "$work"
	usage_errors "$work/b" "build dir" bash "$top/scripts/coverage.sh" --build "$work/b" <<END
unknown flag|--bogus
missing corpus directory|$work/nowhere
missing tree|--tree $work/nowhere $top/docs
tree without a value|--tree
END
	finish ;;

coverage)
	work=$2/coverage
	rm -rf "$work"
	mkdir -p "$work/one" "$work/two"
	# tests/test_diff.c's programs: 4K stage 1, then 64K stage 2.
	printf '\2\0\5\5\0\1\0\0\0\1\2\0\3\3\0\41\42\1\0\7\1\1\0\1\1\2\3\0\1\41\1\0\0' \
		>"$work/one/s1"
	cp "$work/one/s1" "$work/two/s1"
	printf '\3\2\5\5\0\1\0\0\0\1\1\0\0\3\0\101\5\0\1\3\1\1\0\0\0' \
		>"$work/two/s2-64k"
	summary_re='^iopt: coverage of drivers/iommu/io-pgtable-arm.c: lines [0-9.]+% \(([0-9]+)/([0-9]+)\), branches [0-9.]+% \(([0-9]+)/([0-9]+)\)'
	hits=()
	for d in one two; do
		out=$(bash "$top/scripts/coverage.sh" --tree "$3" --build "$work/b" "$work/$d" 2>&1)
		rc=$?
		printf '%s\n' "$out"
		[ $rc -eq 0 ] && ok "$d: exit 0" || fail "$d: exit $rc (want 0)"
		line=$(grep -E "$summary_re" <<<"$out")
		if [[ $line =~ $summary_re ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] &&
		   [ "${BASH_REMATCH[1]}" -lt "${BASH_REMATCH[2]}" ] &&
		   [ "${BASH_REMATCH[3]}" -gt 0 ]; then
			ok "$d: some, not all, of the lines and branches covered"
			hits+=("${BASH_REMATCH[1]}")
		else
			fail "$d: no summary line, or no line covered: '$line'"
			hits+=(0)
		fi
		# Without the selftests: the same lines covered (no replay runs
		# them), fewer in all.
		re2='^iopt: coverage without the built-in selftests \([0-9]+ functions\): lines [0-9.]+% \(([0-9]+)/([0-9]+)\), branches'
		line2=$(grep -E "$re2" <<<"$out")
		[[ $line =~ $summary_re ]] && [[ $line2 =~ $re2 ]] &&
			[ "${BASH_REMATCH[1]}" -eq "${hits[-1]}" ] &&
			[ "${BASH_REMATCH[2]}" -lt "$(sed -E "s|$summary_re.*|\2|" <<<"$line")" ] &&
			ok "$d: the same covered lines of fewer without the selftests" ||
			fail "$d: no or a wrong line without the selftests: '$line2'"
		grep -q 'io-pgtable-arm.c' "$work/b/html/index.html" 2>/dev/null &&
			ok "$d: HTML report" || fail "$d: no HTML report naming io-pgtable-arm.c"
	done
	[ "${hits[1]}" -gt "${hits[0]}" ] &&
		ok "the 64K stage-2 input adds lines (${hits[0]} -> ${hits[1]})" ||
		fail "a second, different input added no line (${hits[0]} -> ${hits[1]})"
	n=$(cat "$work/b"/CMakeFiles/*/flags.make "$work/b"/CMakeFiles/*/link.txt 2>/dev/null |
		grep -c -e '-fsanitize=fuzzer')
	[ "$n" -eq 0 ] && ok "no libFuzzer flags in the coverage build" ||
		fail "libFuzzer flags in $n places of the coverage build"
	n=$(grep -c -e '-fcoverage-mapping' "$work/b"/CMakeFiles/iopt_hyp_port_objs.dir/flags.make 2>/dev/null)
	[ "$n" -gt 0 ] && ok "the ports are built with coverage" ||
		fail "no -fcoverage-mapping for the hyp port"
	[ ! -e "$work/b/iopt-fuzz" ] && ok "no iopt-fuzz built" || fail "iopt-fuzz was built"
	finish ;;

*)
	echo "campaign-test: unknown mode '$mode'"
	exit 2 ;;
esac
