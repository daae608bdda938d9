#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# campaign-test.sh MODE ...: tests of scripts/campaign.sh.
#
#   args BUILD_DIR              bad arguments: one "iopt:" line, exit 2,
#                               nothing started
#   clean BUILD_DIR WORK        a two-worker campaign on the clean build,
#                               ended by -runs: progress, a summary that
#                               counts both workers' executions, no
#                               report, a corpus of complete inputs; and
#                               libFuzzer failing is exit 1, not clean
#   interrupt BUILD_DIR WORK    a minimised run, then ^C halfway through a
#                               rerun: the summary still comes, the corpus
#                               keeps every input, no worker is left; a
#                               second runner on the directory is refused
#   interrupt-tick BUILD_DIR WORK
#                               ^C while the runner's iopt-campaign is in
#                               a progress tick (a wrapper holds the tick
#                               open and says when): the tick finishes,
#                               the summary still comes, exit 130
#   planted BUILD_DIR WORK      a planted bug (IOPT_PLANT): reports are
#                               deduplicated by signature, workers restart
#                               after each, the same signatures whether
#                               classified by the executor or through the
#                               fuzz target; a known bug kept apart
#   known BUILD_DIR WORK        a planted bug standing for a known upstream
#                               bug (IOPT_KNOWN_PLANT): no worker stops,
#                               the summary lists it apart, exit 0
#   stats BUILD_DIR WORK        the summary adds up each worker's stats
#                               file, one in the current format and one an
#                               older iopt-fuzz wrote (no alloc-cut): none
#                               of its counts is lost
#   paths BUILD_DIR WORK        a campaign directory whose path holds a
#                               space, a backslash and an 'é': a minimised
#                               run, then one with reports
#
# and of scripts/coverage.sh:
#
#   coverage-args WORK          bad arguments: one "iopt:" line, exit 2,
#                               nothing built
#   coverage WORK TREE          a coverage build (no libFuzzer) and its
#                               report for one input, then two: the
#                               numbers grow
#
# Campaigns that only need some fuzzing end by libFuzzer's -runs, not by
# the clock, so that they do not depend on the machine's speed.
set -uo pipefail
# Planted bugs and format filters are chosen by each test, not inherited.
unset IOPT_PLANT IOPT_FORMAT IOPT_KNOWN_PLANT
# The campaigns run in one format, arm64-s2: they test the runner, and
# must not depend on what the fuzzer happens to reach in the others.
# (The ARM_HD divergences that once showed in arm64-s1 after a device
# write were the harness's HTTU model, fixed in 518b855: 150 s of
# IOPT_FORMAT=arm64-s1 on 6.12 under ASan from the seeds, 31,000 runs
# with HD-quirk device writes in the corpus, found nothing.)
campaign_fmt=arm64-s2
plant=skip-cmo@hyp

top=$(cd "$(dirname "$0")/.." && pwd)
runner=$top/scripts/campaign.sh
mode=${1:?usage: campaign-test.sh MODE ...}
fails=0

# A 300-second runner in a process group of its own, as a terminal's
# job, logging to LOG: its pid (the group's) in $pid.
start_runner_job()
{
	set -m
	bash "$runner" --build "$1" --dir "$2" --time 300 --progress 1 \
		>"$3" 2>&1 &
	pid=$!
	set +m
}

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

# No worker's output directory is left: all emptied into the corpus.
check_emptied()
{
	local n
	n=$(find "$1/sessions" -name new | wc -l)
	[ "$n" -eq 0 ] && ok "the workers' output directories were emptied into the corpus" ||
		fail "$n output directories left behind"
}

# table OUT HEADING: the rows of the summary's table under HEADING
# ("reports" or "known bugs"): count, new, signature, first input.
table()
{
	awk -v h="$2:" '
		index($0, h) == 1 { on = 1; next }
		on && /^   count   new  / { next }
		on && /^ +[0-9]+ +[0-9]+  / { print; next }
		{ on = 0 }' <<<"$1"
}

# check_table OUT HEADING N: the table's counts add up to the N inputs
# of that kind in reports/, and it lists each signature once.
check_table()
{
	local rows n total
	rows=$(table "$1" "$2")
	n=$(grep -c . <<<"$rows")
	total=$(awk '{ s += $1 } END { print s + 0 }' <<<"$rows")
	[ "$total" -eq "$3" ] && [ "$3" -gt 0 ] &&
		ok "$2: the counts of $n signatures add up to the $3 inputs" ||
		fail "$2: the counts add up to $total, for $3 inputs"
	[ "$(awk '{ print $3, $4 }' <<<"$rows" | sort | uniq -d | wc -l)" -eq 0 ] &&
		ok "$2: each signature listed once" || fail "$2: a signature is listed twice"
}

# The number of worker processes a campaign directory's runs started.
processes()
{
	find "$1/sessions" -name '*.log' -path '*/w[0-9]*/*' | wc -l
}

finish()
{
	[ "$fails" -eq 0 ] || { echo "campaign-test $mode: $fails check(s) failed"; exit 1; }
	echo "campaign-test $mode: all checks passed"
	exit 0
}

progress_re='^  \[ *[0-9]+s\] execs [1-9][0-9]* \([0-9]+/s\)  coverage [1-9][0-9]* edges  corpus [1-9][0-9]*  reports [0-9]+ \([0-9]+ signatures\)'

case $mode in
args)
	bdir=$2
	work=$bdir/campaign-tests/args
	rm -rf "$work"
	mkdir -p "$work/lone"
	printf '#!/bin/sh\nexit 0\n' >"$work/lone/fuzz-target"
	chmod +x "$work/lone/fuzz-target"
	usage_errors "$work/c" "campaign dir" bash "$runner" --dir "$work/c" <<END
unknown flag|--bogus --build $bdir
stray argument|--build $bdir corpus
non-numeric time|--build $bdir --time abc
time with a unit|--build $bdir --time 10s
time zero|--build $bdir --time 0
time without a value|--build $bdir --time
no workers|--build $bdir --workers 0
progress zero|--build $bdir --progress 0
build dir without iopt-fuzz|--build $bdir/CMakeFiles
missing build dir|--build $work/nowhere
missing fuzz target|--fuzzer $work/nowhere
fuzz target without iopt-campaign beside it|--fuzzer $work/lone/fuzz-target
missing seed directory|--build $bdir --seeds $work/nowhere
missing dictionary|--build $bdir --dict $work/nowhere
END
	usage_errors "$work/c" "campaign dir" bash "$runner" --build "$bdir" <<END
name and dir|--name x --dir $work/c
name with a slash|--name a/b
END
	# And a good command line gets past the checks (to --help).
	out=$(bash "$runner" --build "$bdir" --time 5 --help 2>&1) &&
		[[ $out == usage:* ]] && ok "--help: usage, exit 0" ||
		fail "--help did not print the usage and exit 0"
	finish ;;

clean)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/clean
	runs=20000
	rm -rf "$dir" "$3/clean-failing"
	out=$(bash "$runner" --build "$bdir" --dir "$dir" --time 120 --progress 1 \
		-- -runs=$runs 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && ok "exit 0" || fail "exit $rc (want 0)"
	grep -q -x -F "  format:  $campaign_fmt only (IOPT_FORMAT)" <<<"$out" &&
		ok "the format filter is announced" || fail "the format filter is not announced"
	n=$(grep -c -E "$progress_re" <<<"$out")
	[ "$n" -ge 1 ] && ok "$n progress lines" || fail "no progress line"
	grep -q '^==== iopt-fuzz campaign summary ====$' <<<"$out" &&
		ok "a summary" || fail "no summary"
	# Each worker runs -runs inputs (its seeds, its mutations, what the
	# other shares); the summary adds both up.
	execs=$(sed -n 's/^executions:  \([0-9]*\) ([0-9]*\/s)$/\1/p' <<<"$out")
	[ "${execs:-0}" -ge $((2 * runs)) ] &&
		ok "$execs executions: both workers' counted" ||
		fail "executions '${execs:-none}', want at least $((2 * runs))"
	secs=$(sed -n 's/^campaign:    .* (2 workers, \([0-9]*\)s)$/\1/p' <<<"$out")
	[ -n "$secs" ] && [ "$secs" -lt 120 ] && ok "ended by -runs, after ${secs}s" ||
		fail "did not end by -runs ('$secs' s)"
	n=$(processes "$dir")
	[ "$n" -eq 2 ] && ok "one process per worker, none restarted" ||
		fail "$n worker processes, want 2"
	grep -q -E '^coverage:    [1-9][0-9]* of [1-9][0-9]* edges in the kernel files, [1-9][0-9]* features$' <<<"$out" &&
		ok "coverage measured" || fail "no coverage in the summary"
	grep -q -E '^not checked: [0-9]+ ops skipped as precondition violations, [0-9]+ degenerate configurations not run; compared in part: [0-9]+ CMO lists, [0-9]+ TLB callback lists, [0-9]+ dirty lists, [0-9]+ allocation lists$' <<<"$out" &&
		ok "what was not checked is counted" || fail "no 'not checked' line in the summary"
	grep -q '^reports:     none$' <<<"$out" &&
		ok "no report" || fail "the summary lists reports"
	# (the tree's known upstream bugs, if the run met any, are kept apart)
	n=$(find "$dir/reports" -type f ! -name 'known-*' | wc -l)
	[ "$n" -eq 0 ] && ok "no report input in reports/" || fail "$n report files in reports/"
	n=$(find "$dir/corpus" -type f | wc -l)
	[ "$n" -gt 0 ] && ok "$n inputs in the corpus" || fail "empty corpus"
	grep -q -E "^corpus:      $n inputs in $dir/corpus \(\+$n this run\)$" <<<"$out" &&
		ok "the summary counts them" || fail "the summary's corpus line is wrong"
	check_corpus "$dir/corpus"
	check_emptied "$dir"
	# libFuzzer itself failing (a flag it refuses) is no clean run.
	out=$(bash "$runner" --build "$bdir" --dir "$3/clean-failing" --time 60 \
		-- -dict="$3/nowhere" 2>&1)
	rc=$?
	[ $rc -eq 1 ] && grep -q '^iopt: campaign: libFuzzer stopped unexpectedly (status [1-9][0-9]*); last lines of ' <<<"$out" &&
		grep -q '^ParseDictionaryFile: ' <<<"$out" &&
		ok "libFuzzer failing: exit 1, and its log's last lines" ||
		{ fail "libFuzzer failing: exit $rc (want 1), or no message:"; printf '%s\n' "$out" | tail -n 5; }
	finish ;;

interrupt)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/interrupt
	rm -rf "$dir"
	# A first run, minimised: into a new directory, the old one kept.
	bash "$runner" --build "$bdir" --dir "$dir" --time 120 --minimize \
		-- -runs=3000 >"$3/interrupt.1.log" 2>&1 || fail "first run: exit $? (want 0)"
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
	start_runner_job "$bdir" "$dir" "$3/interrupt.2.log"
	for _ in $(seq 1 60); do
		grep -q -E "$progress_re" "$3/interrupt.2.log" && break
		sleep 1
	done
	out=$(bash "$runner" --build "$bdir" --dir "$dir" --time 5 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [ "$out" = "iopt: campaign: '$dir' is in use by another campaign runner" ] &&
		ok "a second runner on the directory: $out" ||
		fail "a second runner on the directory: exit $rc, '$out'"
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
	check_emptied "$dir"
	left=$(pgrep -f -- "-artifact_prefix=$dir/reports/" | wc -l)
	[ "$left" -eq 0 ] && ok "no worker left running" || fail "$left workers left running"
	finish ;;

interrupt-tick)
	bdir=$(cd "$2" && pwd)
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/interrupt-tick
	rm -rf "$dir" "$3/tick-build"
	# The build, but its iopt-campaign holds each progress tick open for
	# a second and says so, so that the ^C lands inside one.
	mkdir -p "$3/tick-build"
	for f in "$bdir"/iopt-*; do
		ln -s "$f" "$3/tick-build/"
	done
	rm "$3/tick-build/iopt-campaign"
	cat >"$3/tick-build/iopt-campaign" <<-EOF
	#!/usr/bin/env bash
	if [ "\$1" = tick ]; then
		touch "$3/in-tick"
		sleep 1
	fi
	exec "$bdir/iopt-campaign" "\$@"
	EOF
	chmod +x "$3/tick-build/iopt-campaign"
	rm -f "$3/in-tick"
	start_runner_job "$3/tick-build" "$dir" "$3/interrupt-tick.log"
	for _ in $(seq 1 600); do
		[ ! -e "$3/in-tick" ] || break
		sleep 0.1
	done
	[ -e "$3/in-tick" ] && ok "a tick began" || fail "no tick in 60 s"
	kill -INT -- -"$pid"
	wait "$pid"
	rc=$?
	out=$(cat "$3/interrupt-tick.log")
	printf '%s\n' "$out"
	[ $rc -eq 130 ] && ok "exit 130" || fail "exit $rc (want 130)"
	grep -q -E '^campaign: .*, interrupted\)$' <<<"$out" &&
		ok "a summary, marked interrupted, after a ^C inside a tick" ||
		fail "no summary after a ^C inside a tick"
	left=$(pgrep -f -- "-artifact_prefix=$dir/reports/" | wc -l)
	[ "$left" -eq 0 ] && ok "no worker left running" || fail "$left workers left running"
	finish ;;

planted)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/planted
	known=stale/teardown
	known_id=known:plant-stale-teardown
	rm -rf "$dir" "$3"/planted-replay-*
	# The main job's way: a build's iopt-fuzz, the reports classified by
	# its iopt-campaign; both take the planted bug from IOPT_PLANT. One
	# of its signatures stands for a known bug: it is kept apart.
	out=$(IOPT_PLANT=$plant IOPT_KNOWN_PLANT=$known bash "$runner" \
		--build "$bdir" --dir "$dir" --time 10 --progress 4 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 1 ] && ok "exit 1 (reports)" || fail "exit $rc (want 1)"
	grep -q -x -F "  planted: $plant (IOPT_PLANT: a planted bug, for demonstrations)" <<<"$out" &&
		ok "the plant is announced" || fail "the plant is not announced"
	nfiles=$(find "$dir/reports" -type f -name 'crash-*' | wc -l)
	rows=$(table "$out" reports)
	nrows=$(grep -c . <<<"$rows")
	sigs=$(awk '{ print $3, $4 }' <<<"$rows")
	[ "$nrows" -ge 1 ] && ok "$nrows signatures" || fail "no signature table"
	# A skipped clean: the CMOs differ, or the walker reads stale memory.
	[ "$(grep -c -v -E '^iopt: (cmo|stale)/' <<<"$sigs")" -eq 0 ] &&
		ok "all signatures are 'iopt: cmo/...' or 'iopt: stale/...'" ||
		fail "other signatures: $(grep -v -E '^iopt: (cmo|stale)/' <<<"$sigs")"
	[ "$(grep -c -F "iopt: $known/" <<<"$sigs")" -eq 0 ] &&
		ok "none is the known bug's ($known)" || fail "a report of the known bug $known"
	check_table "$out" reports "$nfiles"
	grep -q -E "^reports:     $nfiles inputs, $nrows signatures \($nfiles new in this run\)$" <<<"$out" &&
		ok "the reports line" || fail "the reports line is wrong"
	[ "$(awk '$1 >= 2' <<<"$rows" | wc -l)" -ge 1 ] &&
		ok "several inputs deduplicated under one signature" ||
		fail "no signature has more than one input"
	n=$(processes "$dir")
	[ "$n" -gt 2 ] && ok "workers restarted after reports ($n processes)" ||
		fail "$n worker processes: none restarted"
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
	# A reproducer per signature, minimised, with its KUnit case
	nrep=$(find "$dir/repros" -mindepth 2 -maxdepth 2 -name kunit.c 2>/dev/null | wc -l)
	nsig=$(cut -f3 "$dir/signatures.tsv" | sort -u | grep -c .)
	[ "$nrep" -eq "$nsig" ] && grep -q "^iopt: campaign: $nrep new reproducer(s), one per signature" <<<"$out" &&
		ok "$nrep reproducers, one per signature" ||
		fail "$nrep reproducers in $dir/repros for $nsig signatures"
	# The known bug, when met (that depends on the mutations): apart,
	# one input per worker process; the fuzz target exits 0 on it. (The
	# tree's own known upstream bugs may be met too, without it.)
	nknown=$(find "$dir/reports" -type f -name 'known-*' | wc -l)
	[ "$nknown" -eq 0 ] || check_table "$out" "known bugs" "$nknown"
	path=$(table "$out" "known bugs" | awk -v id="$known_id" '$3 == id { print $4 }')
	if [ -n "$path" ]; then
		with=$([ -f "$path" ] && IOPT_PLANT=$plant IOPT_KNOWN_PLANT=$known \
			"$bdir/iopt-fuzz" -artifact_prefix="$3/planted-replay-" "$path" 2>&1)
		rc=$?
		[ $rc -eq 0 ] && grep -q -x "iopt: $known_id" <<<"$with" &&
			ok "$known_id: its first input replays to it, exit 0" ||
			fail "$known_id: first input '$path': exit $rc, or not that known bug"
	else
		ok "the known bug was not met in this run"
	fi
	n=$(awk -F '\t' '$1 ~ /^crash-/ && $2 == "divergence"' "$dir/signatures.tsv" | wc -l)
	[ "$n" -eq "$nfiles" ] && ok "all $nfiles indexed as divergences" ||
		fail "$n of $nfiles indexed as divergences"
	# The other way (through the fuzz target, one input at a time)
	# gives every input the same signature: forget the index, rerun
	# briefly, from an empty directory, which the replays must leave empty.
	mv "$dir/signatures.tsv" "$dir/signatures.batch"
	rm -rf "$3/planted-cwd"
	mkdir -p "$3/planted-cwd"
	out=$(cd "$3/planted-cwd" && IOPT_PLANT=$plant IOPT_KNOWN_PLANT=$known \
		bash "$runner" --fuzzer "$bdir/iopt-fuzz" --dir "$dir" --time 2 2>&1)
	rc=$?
	n=$(find "$3/planted-cwd" -type f | wc -l)
	[ "$n" -eq 0 ] && ok "nothing written to the current directory" ||
		fail "$n files written to the current directory"
	[ $rc -eq 1 ] && ok "rerun with --fuzzer: exit 1" || fail "rerun with --fuzzer: exit $rc (want 1)"
	tab=$(printf '\t')
	nrows=$(wc -l <"$dir/signatures.batch")
	both=$(join -t "$tab" <(sort "$dir/signatures.tsv") <(sort "$dir/signatures.batch"))
	same=$(awk -F '\t' '$2 == $5 && $3 == $6' <<<"$both" | wc -l)
	[ "$same" -eq "$nrows" ] &&
		ok "through the fuzz target, all $nrows inputs get the same verdict and signature" ||
		fail "through the fuzz target, $same of $nrows inputs get the same verdict and signature"
	finish ;;

known)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir=$3/known
	rm -rf "$dir"
	# Every divergence of the plant stands for a known bug: the workers
	# go on to their -runs.
	out=$(IOPT_PLANT=$plant IOPT_KNOWN_PLANT=stale,cmo bash "$runner" \
		--build "$bdir" --dir "$dir" --time 120 --progress 1 -- -runs=5000 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && ok "exit 0: known bugs only" || fail "exit $rc (want 0)"
	grep -q '^reports:     none$' <<<"$out" && ok "no report" ||
		fail "the summary lists reports"
	nknown=$(find "$dir/reports" -type f -name 'known-*' | wc -l)
	n=$(find "$dir/reports" -type f | wc -l)
	[ "$n" -eq "$nknown" ] && [ "$n" -gt 0 ] &&
		ok "$n inputs of known bugs in reports/, nothing else" ||
		fail "$n files in reports/, $nknown of known bugs"
	check_table "$out" "known bugs" "$nknown"
	rows=$(table "$out" "known bugs")
	# (the planted stand-in, and the tree's own known upstream bugs)
	[ "$(awk '$3 !~ /^known:/' <<<"$rows" | wc -l)" -eq 0 ] &&
		grep -q -E '^known:plant-(stale|cmo)$' <<<"$(awk '{ print $3 }' <<<"$rows")" &&
		ok "every row is a known bug, known:plant-stale or known:plant-cmo among them" ||
		fail "other known bugs: $(awk '{ print $3 }' <<<"$rows")"
	grep -q -E "^known bugs:  $nknown inputs, $(grep -c . <<<"$rows") known upstream bugs \($nknown new in this run\), not reports$" <<<"$out" &&
		ok "the known bugs line" || fail "the known bugs line is wrong"
	n=$(processes "$dir")
	[ "$n" -eq 2 ] && ok "no worker stopped for a known bug" || fail "$n worker processes, want 2"
	for log in "$dir"/sessions/*/w[01]/1.log; do
		[ "$(grep -c -x 'iopt: known:plant-stale' "$log")" -eq 1 ] &&
			ok "${log#"$dir/"}: 'iopt: known:plant-stale' once" ||
			fail "${log#"$dir/"}: 'iopt: known:plant-stale' not exactly once"
	done
	finish ;;

paths)
	bdir=$2
	export IOPT_FORMAT=$campaign_fmt
	dir="$3/odd path\\é/c a\\b é"
	rm -rf "$3/odd path\\é"
	out=$(bash "$runner" --build "$bdir" --dir "$dir" --time 120 --minimize \
		-- -runs=3000 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && ok "exit 0" || fail "exit $rc (want 0)"
	grep -q -E '^campaign:    .* \(2 workers, [0-9]+s\)$' <<<"$out" &&
		grep -q -x -F "campaign:    $dir (2 workers, $(sed -n 's/^campaign: .*(2 workers, \([0-9]*s\))$/\1/p' <<<"$out"))" <<<"$out" &&
		ok "the summary names the directory" || fail "the summary's campaign line is wrong"
	n=$(find "$dir/corpus" -type f | wc -l)
	grep -q -F "corpus:      $n inputs in $dir/corpus (+" <<<"$out" &&
		grep -q -F ", then minimised from " <<<"$out" && [ "$n" -gt 0 ] &&
		ok "$n inputs, minimised" || fail "no minimised corpus line"
	check_corpus "$dir/corpus"
	check_emptied "$dir"
	out=$(IOPT_PLANT=$plant bash "$runner" --build "$bdir" --dir "$dir" --time 5 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 1 ] && ok "with a planted bug: exit 1" || fail "with a planted bug: exit $rc (want 1)"
	nfiles=$(find "$dir/reports" -type f -name 'crash-*' | wc -l)
	check_table "$out" reports "$nfiles"
	path=$(table "$out" reports | head -n 1 | sed 's/^.*  \(\/.*\)$/\1/')
	[ -f "$path" ] && [[ $path == "$dir/reports/crash-"* ]] &&
		ok "its first input is in the directory's reports/" ||
		fail "first input '$path' is not in $dir/reports"
	check_corpus "$dir/corpus"
	finish ;;

classify)
	bdir=$2
	work=$3/classify
	rm -rf "$work"
	mkdir -p "$work/camp/reports"
	# iopt-replay --classify: each input in a child of the executor.
	seeds=$top/corpus/seeds
	n=$(ls "$seeds" | wc -l)
	out=$("$bdir/iopt-replay" --classify "$seeds" "$work/nowhere")
	rc=$?
	# (clean, or the tree's known upstream bugs: 6.12's small-PGD one)
	[ $rc -eq 2 ] && [ "$(grep -c -P '^(clean\t-|known\tknown:[a-z0-9-]+)\t' <<<"$out")" -eq "$n" ] &&
		grep -q -x -P "unreadable\t-\t$work/nowhere" <<<"$out" &&
		ok "clean build: $n clean or known, the missing path unreadable, exit 2" ||
		fail "clean build: exit $rc, or not $n clean or known lines and one unreadable"
	# (a plant, its check/op and formats: by default $plant, stale/map,
	# arm64-s1/s2; another where the tree cannot show that one,
	# tests/CMakeLists.txt. The checks may be "(a|b)": each is then a
	# known bug of its own)
	cplant=${4:-$plant}
	cop=${5:-stale/map}
	cfmt=${6:-arm64-s[12]}
	ccheck=${cop%%/*}
	ccheck=${ccheck#(}
	ccheck=${ccheck%)}
	out=$(IOPT_PLANT=$cplant "$bdir/iopt-replay" --classify "$seeds")
	rc=$?
	n=$(grep -c -P "^divergence\tiopt: $cop/$cfmt\t" <<<"$out")
	[ $rc -eq 1 ] && [ "$n" -gt 0 ] &&
		[ "$(grep -c -v -P "^(clean\t-|known\tknown:[a-z0-9-]+|divergence\tiopt: $cop/$cfmt)\t" <<<"$out")" -eq 0 ] &&
		ok "$cplant: $n divergences iopt: $cop/..., the rest clean or known, exit 1" ||
		fail "$cplant: exit $rc, $n divergences"
	out=$(IOPT_PLANT=$cplant IOPT_KNOWN_PLANT=${ccheck//|/,} "$bdir/iopt-replay" --classify "$seeds")
	rc=$?
	[ $rc -eq 0 ] && [ "$(grep -c -P "^known\tknown:plant-($ccheck)\t" <<<"$out")" -eq "$n" ] &&
		ok "$cplant as a known bug: $n known:plant-($ccheck), exit 0" ||
		fail "$cplant as a known bug: exit $rc, or not $n known:plant-($ccheck)"
	out=$(IOPT_KNOWN_PLANT=stale "$bdir/iopt-replay" --classify "$seeds" 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [ "$(grep -c . <<<"$out")" -eq 1 ] &&
		ok "IOPT_KNOWN_PLANT without a plant: $out" ||
		fail "IOPT_KNOWN_PLANT without a plant: exit $rc, '$out'"
	# Through a fuzz target: a stand-in that prints what libFuzzer and
	# the sanitizers print, by the input's content, gives these keys.
	cat >"$work/fuzz-target" <<'END'
#!/bin/sh
for a; do f=$a; done
p() { printf '%s\n' "$@"; }
case $(cat "$f") in
asan)	p '==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6' \
	  '    #0 0x5 in __asan_memcpy (/b/iopt-fuzz+0x1)' \
	  '    #1 0x6 in __arm_lpae_map /k/drivers/iommu/io-pgtable-arm.c:345:7' \
	  'SUMMARY: AddressSanitizer: heap-buffer-overflow /k/drivers/iommu/io-pgtable-arm.c:345:7 in __arm_lpae_map'
	exit 1 ;;
ubsan)	p '/k/drivers/iommu/io-pgtable-arm.c:345:12: runtime error: shift exponent 64' \
	  'SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /k/drivers/iommu/io-pgtable-arm.c:345:12 in '
	exit 1 ;;
leak)	p '==1==ERROR: LeakSanitizer: detected memory leaks' '' \
	  'Direct leak of 24 byte(s) in 1 object(s) allocated from:' \
	  '    #0 0x1 in malloc (/b/iopt-fuzz+0x1)' \
	  '    #1 0x2 in iopt_kmalloc /t/slab.c:10:3' \
	  'SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).'
	exit 1 ;;
fatal)	p 'iopt[hyp]: fatal: outside-arena: pa 0x1 outside the arena' \
	  '==1== ERROR: libFuzzer: deadly signal' \
	  '    #0 0x1 in __sanitizer_print_stack_trace (/b/iopt-fuzz+0x1)' \
	  '    #1 0x2 in fuzzer::PrintStackTrace() (/b/iopt-fuzz+0x2)' \
	  '    #2 0x3 in abort (/lib/libc.so.6+0x3)' \
	  '    #3 0x4 in iopt_fatal /t/log.c:174:2' \
	  '    #4 0x5 in iopt_phys_to_virt /t/physmem.c:147:3' \
	  'SUMMARY: libFuzzer: deadly signal'
	exit 77 ;;
div)	p 'iopt: stale/map/arm64-s2' '==1== ERROR: libFuzzer: deadly signal' \
	  'SUMMARY: libFuzzer: deadly signal'
	exit 77 ;;
known)	p 'iopt: known:plant-x'
	exit 0 ;;
timeout) p '==1== ERROR: libFuzzer: timeout after 25 seconds' \
	  'SUMMARY: libFuzzer: timeout'
	exit 70 ;;
segv)	kill -SEGV $$ ;;
esac
exit 0
END
	chmod +x "$work/fuzz-target"
	tab=$(printf '\t')
	while IFS='|' read -r content verdict sig; do
		h=$(printf '%s' "$content" | sha1sum | cut -c1-40)
		printf '%s' "$content" >"$work/camp/reports/crash-$h"
		printf 'crash-%s\t%s\t%s\n' "$h" "$verdict" "$sig" >>"$work/want"
	done <<'END'
asan|crash|asan: heap-buffer-overflow in __arm_lpae_map
ubsan|crash|ubsan: undefined-behavior at io-pgtable-arm.c:345
leak|crash|lsan: leak, allocated in iopt_kmalloc
fatal|crash|iopt[hyp]: fatal: outside-arena in iopt_phys_to_virt
div|divergence|iopt: stale/map/arm64-s2
known|known|known:plant-x
timeout|crash|libFuzzer: timeout
segv|crash|signal: SIGSEGV in ?
clean|clean|-
END
	camp=$work/camp
	"$bdir/iopt-campaign" prepare "$camp" "$camp/sessions/s" --workers 1 &&
		out=$("$bdir/iopt-campaign" summary "$camp" "$camp/sessions/s" \
			--fuzzer "$work/fuzz-target" --alone --workers 1 --seconds 1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 1 ] && ok "summary: exit 1 (reports)" || fail "summary: exit $rc (want 1)"
	got=$(cut -f1-3 "$camp/signatures.tsv" | sort)
	diff <(sort "$work/want") <(printf '%s\n' "$got") &&
		ok "each input's verdict and signature, through the fuzz target" ||
		fail "verdicts or signatures through the fuzz target differ (above)"
	[ "$(cut -f4 "$camp/signatures.tsv" | sort -u)" = s ] &&
		ok "the index names the session" || fail "the index's session column"
	grep -q -E '^reports:     7 inputs, 7 signatures \(7 new in this run\)$' <<<"$out" &&
		grep -q -E '^known bugs:  1 inputs, 1 known upstream bugs \(1 new in this run\), not reports$' <<<"$out" &&
		ok "the summary: 7 reports, 1 known bug, the clean one in neither" ||
		fail "the summary's reports or known bugs line"
	finish ;;

stats)
	bdir=$2
	work=$3/stats
	rm -rf "$work"
	camp=$work/camp
	mkdir -p "$camp"
	"$bdir/iopt-campaign" prepare "$camp" "$camp/sessions/s" --workers 2 ||
		fail "prepare"
	mkdir -p "$camp/sessions/s/w0" "$camp/sessions/s/w1"
	printf 'execs 100 skipped 1 degenerate 2 cmo-cut 3 tlb-cut 0 dirty-cut 0 alloc-cut 4\n' \
		>"$camp/sessions/s/w0/1.stats"
	# (before 2026-12-01 there was no alloc-cut: the whole line was lost)
	printf 'execs 50 skipped 10 degenerate 20 cmo-cut 30 tlb-cut 0 dirty-cut 40\n' \
		>"$camp/sessions/s/w1/1.stats"
	: >"$camp/sessions/s/w0/1.log"
	: >"$camp/sessions/s/w1/1.log"
	out=$("$bdir/iopt-campaign" summary "$camp" "$camp/sessions/s" \
		--fuzzer "$bdir/iopt-fuzz" --alone --workers 2 --seconds 10)
	printf '%s\n' "$out"
	grep -q -x -F 'executions:  150 (15/s)' <<<"$out" &&
		ok "both workers' executions" || fail "the executions line"
	grep -q -x -F 'not checked: 11 ops skipped as precondition violations, 22 degenerate configurations not run; compared in part: 33 CMO lists, 0 TLB callback lists, 40 dirty lists, 4 allocation lists' <<<"$out" &&
		ok "every count of both stats files, the older one's too" ||
		fail "the 'not checked' line lost counts"
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
		# them), fewer in all. Only a file that holds its selftests (up
		# to 6.18; not the pKVM split, whose kernel glue holds them, nor
		# 6.19+'s KUnit file) gets that line.
		re2='^iopt: coverage without the built-in selftests \([0-9]+ functions\): lines [0-9.]+% \(([0-9]+)/([0-9]+)\), branches'
		line2=$(grep -E "^iopt: coverage without" <<<"$out")
		if grep -q '^#ifdef CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST' \
			"$work/b/ktree/drivers/iommu/io-pgtable-arm.c"; then
			[[ $line =~ $summary_re ]] && [[ $line2 =~ $re2 ]] &&
				[ "${BASH_REMATCH[1]}" -eq "${hits[-1]}" ] &&
				[ "${BASH_REMATCH[2]}" -lt "$(sed -E "s|$summary_re.*|\2|" <<<"$line")" ] &&
				ok "$d: the same covered lines of fewer without the selftests" ||
				fail "$d: no or a wrong line without the selftests: '$line2'"
		else
			[ -z "$line2" ] &&
				ok "$d: no selftests in io-pgtable-arm.c, no line without them" ||
				fail "$d: a line without the selftests, but the file has none: '$line2'"
		fi
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
