#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# campaign.sh [options] [-- LIBFUZZER_FLAGS...]: a differential fuzz
# campaign of N workers (libFuzzer -fork=N) for a time budget, with a
# progress line every few seconds, reports deduplicated by their signature
# and a closing summary table. See docs/campaigns.md, "Campaign runner".
#
# Inputs are never deleted or overwritten: libFuzzer writes new inputs to a
# per-run directory, and the runner moves each one, once complete (its name
# is the SHA-1 of its content), into the campaign's corpus with rename(2).
# Exit status: 0 no reports, 1 reports (or libFuzzer failed), 2 bad usage,
# 130 interrupted (after the summary).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

usage()
{
	cat <<EOF
usage: scripts/campaign.sh [options] [-- LIBFUZZER_FLAGS...]
  --build DIR      a build directory holding iopt-fuzz (default: build the
                   main job's configuration into build/main, as run.sh does)
  --fuzzer BIN     another libFuzzer target (its reports are replayed one by
                   one through it, not by a build's iopt-replay)
  --name NAME      campaign directory build/campaigns/NAME (default: a new
                   one named by the date); a rerun continues its corpus
  --dir DIR        campaign directory, instead of --name
  --workers N      parallel workers (default 2)
  --time SECONDS   time budget (default 180)
  --progress SECS  seconds between progress lines (default 5)
  --seeds DIR      extra read-only seed corpus (repeatable; corpus/seeds and
                   corpus/regressions are used when present)
  --dict FILE      libFuzzer dictionary (default corpus/iopt-fuzz.dict if present)
  --minimize       at the end, minimise the corpus into a new directory and
                   swap it in (the old one is kept as corpus.old-DATE)
EOF
}

# Bad usage: one line, exit 2.
die()
{
	echo "iopt: campaign: $*" >&2
	exit 2
}

build="" fuzzer="" name="" dir="" workers=2 secs=180 every=5 dict=""
minimize=0
seeds=()
extra=()
while [ $# -gt 0 ]; do
	opt=$1
	case $opt in
	-h|--help)
		usage
		exit 0 ;;
	--minimize)
		minimize=1
		shift
		continue ;;
	--)
		shift
		extra=("$@")
		break ;;
	--build|--fuzzer|--name|--dir|--workers|--time|--progress|--seeds|--dict)
		[ $# -ge 2 ] || die "$opt needs a value"
		val=$2
		shift 2 ;;
	*)
		die "unknown argument '$opt' (see --help)" ;;
	esac
	case $opt in
	--build)	build=$val ;;
	--fuzzer)	fuzzer=$val ;;
	--name)		name=$val ;;
	--dir)		dir=$val ;;
	--workers)	workers=$val ;;
	--time)		secs=$val ;;
	--progress)	every=$val ;;
	--seeds)	seeds+=("$val") ;;
	--dict)		dict=$val ;;
	esac
done

[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] ||
	die "--time wants a positive whole number of seconds, not '$secs'"
[[ $workers =~ ^[0-9]+$ ]] && [ "$workers" -gt 0 ] ||
	die "--workers wants a positive whole number, not '$workers'"
[[ $every =~ ^[0-9]+$ ]] && [ "$every" -gt 0 ] ||
	die "--progress wants a positive whole number of seconds, not '$every'"
if [ -n "$build" ]; then
	[ -d "$build" ] || die "no such build directory '$build'"
	[ -x "$build/iopt-fuzz" ] ||
		die "no iopt-fuzz in '$build' (build it first, or leave out --build)"
	build=$(cd "$build" && pwd)
fi
if [ -n "$fuzzer" ]; then
	[ -f "$fuzzer" ] && [ -x "$fuzzer" ] ||
		die "no such fuzz target '$fuzzer'"
	fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
fi
[ -z "$name" ] || [ -z "$dir" ] || die "give --name or --dir, not both"
if [ -n "$name" ]; then
	[[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] ||
		die "a campaign name is letters, digits, '.', '_' and '-', not '$name'"
fi
for s in ${seeds[@]+"${seeds[@]}"}; do
	[ -d "$s" ] || die "no such seed directory '$s'"
done
[ -z "$dict" ] || [ -f "$dict" ] || die "no such dictionary '$dict'"

# The target: a given build, a given fuzzer, or the main job's build.
if [ -z "$build" ] && [ -z "$fuzzer" ]; then
	build=$top/build/main
	bash "$top/scripts/build-main.sh" "$build"
fi
replayer=""
if [ -z "$fuzzer" ]; then
	fuzzer=$build/iopt-fuzz
	# Same executor, many inputs per process: classifies reports fast.
	[ -x "$build/iopt-replay" ] && replayer=$build/iopt-replay
fi
[ -n "$dict" ] || [ ! -f "$top/corpus/iopt-fuzz.dict" ] ||
	dict=$top/corpus/iopt-fuzz.dict
for s in "$top/corpus/seeds" "$top/corpus/regressions"; do
	[ -d "$s" ] && seeds+=("$s")
done

if [ -z "$dir" ]; then
	dir=$top/build/campaigns/${name:-$(date +%Y%m%d-%H%M%S)}
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
corpus=$dir/corpus
reports=$dir/reports
index=$dir/signatures.tsv

# One runner per campaign directory. The lock is inherited by libFuzzer,
# so a runner killed outright keeps it until its workers are gone.
exec 9>>"$dir/.lock"
flock -n 9 || die "'$dir' is in use by another campaign runner"

stamp=$(date +%Y%m%d-%H%M%S)
sess=$dir/sessions/$stamp-$$
mkdir -p "$reports" "$sess/new" "$sess/tmp"
touch "$index"

# A minimisation that completed but was not swapped in (runner killed).
if [ ! -d "$corpus" ]; then
	m=$(ls -d "$dir"/corpus.merged-* 2>/dev/null | tail -n 1 || true)
	[ -z "$m" ] || mv -T "$m" "$corpus"
fi
mkdir -p "$corpus"

# Move the complete inputs of a run's output directory into the corpus.
# A file whose name is not the SHA-1 of its content was cut short (the
# writer was killed): it goes to quarantine/, still kept.
harvest()
{
	local new=$1 sum name h
	[ -d "$new" ] || return 0
	while read -r sum name; do
		h=${name##*/}
		if [ "$sum" != "$h" ]; then
			mkdir -p "$dir/quarantine"
			mv -n -- "$name" "$dir/quarantine/"
			echo "iopt: campaign: kept a cut-short input in $dir/quarantine/$h"
		elif [ ! -e "$corpus/$h" ]; then
			mv -n -- "$name" "$corpus/$h"
			harvested=$((harvested + 1))
		elif cmp -s -- "$name" "$corpus/$h"; then
			rm -f -- "$name"	# an identical copy is in the corpus
		fi
	done < <(find "$new" -maxdepth 1 -type f -print0 | xargs -0r sha1sum)
	rmdir "$new" 2>/dev/null || true
}

harvested=0
for old in "$dir"/sessions/*/new; do
	[ "$old" != "$sess/new" ] || continue
	harvest "$old"
	rmdir "${old%/new}/tmp" 2>/dev/null || true
done
[ "$harvested" -eq 0 ] ||
	echo "iopt: campaign: recovered $harvested inputs of an earlier, killed run"
harvested=0

# ---- Reports: classified once, by replaying them ---------------------------
#
# The key is the iopt signature line; for anything else (a sanitizer, a
# fatal detection of the runtime, a timeout) the crash type and top frame.

sig_re='^iopt: [^ /]+/[^ /]+/[^ /]+$'
skip_re='^(__sanitizer_|__asan|__ubsan|__lsan|__interceptor_|fuzzer::|abort$|raise$|gsignal$|__GI_|__libc_|__pthread_kill|pthread_kill|iopt_fatal$|malloc$|calloc$|realloc$|free$|aligned_alloc$|posix_memalign$|operator)'
declare -A sig_of=() fresh=()
while IFS=$'\t' read -r n s _; do
	[ -n "$n" ] && sig_of[$n]=$s
done <"$index"

top_frame()
{
	awk -v skip="$skip_re" -v leak="$2" '
		leak && !/(Direct|Indirect) leak of/ && !started { next }
		{ started = 1 }
		/^ *#[0-9]+ 0x[0-9a-f]+ in / && $4 !~ skip { print $4; found = 1; exit }
		END { if (!found) print "?" }' <<<"$1"
}

crash_key()
{
	local out=$1 kind=$2 fatal summary tool rest type fn
	fatal=$(sed -n 's/^\(iopt\[[a-z]*\]: fatal: [a-z-]*\):.*/\1/p' <<<"$out" | head -n 1)
	summary=$(sed -n 's/^SUMMARY: //p' <<<"$out" | head -n 1)
	if [ -n "$fatal" ]; then
		echo "$fatal in $(top_frame "$out" 0)"
		return
	fi
	case $summary in
	"")
		echo "unreproduced $kind"
		return ;;
	*Sanitizer:*leaked*)
		echo "lsan: leak, allocated in $(top_frame "$out" 1)"
		return ;;
	libFuzzer:\ deadly\ signal)
		echo "libFuzzer: deadly signal in $(top_frame "$out" 0)"
		return ;;
	libFuzzer:*)
		echo "$summary"
		return ;;
	esac
	tool=${summary%%: *}
	rest=${summary#*: }
	type=${rest%% *}
	case $tool in
	AddressSanitizer)		tool=asan ;;
	UndefinedBehaviorSanitizer)	tool=ubsan ;;
	LeakSanitizer)			tool=lsan ;;
	esac
	fn=""
	[[ $rest != *" in "* ]] || fn=${rest##* in }
	fn=${fn%% *}
	if [ -n "$fn" ]; then
		echo "$tool: $type in $fn"
	else	# UBSan names no function: its file:line instead
		loc=${rest#"$type"}
		loc=${loc# }
		loc=${loc%% *}
		loc=${loc##*/}
		echo "$tool: $type at ${loc%:*}"
	fi
}

# Replay one report with the target that found it. timeout(1) runs it in
# a process group of its own: a terminal's ^C does not reach it. The copy
# of the input that libFuzzer writes when a replay crashes goes to the
# run's temporary directory (replay-*), not to the current directory.
classify_file()
{
	local f=$1 kind out sig rc=0
	local -a lf=(-timeout=25 -artifact_prefix="$sess/tmp/replay-")
	kind=${f##*/}
	kind=${kind%-*}
	# Fast path: an iopt divergence (no symbolising, no stack).
	out=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}symbolize=0 \
		timeout -k 5 120 "$fuzzer" -handle_abrt=0 "${lf[@]}" "$f" \
		</dev/null 2>&1) || rc=$?
	sig=$(grep -E "$sig_re" <<<"$out" | tail -n 1 || true)
	# Otherwise, unless it ran clean or timed out, once more with stacks.
	if [ -z "$sig" ] && [ "$rc" -ne 0 ] &&
	   ! grep -q -E '^SUMMARY: libFuzzer: (timeout|out-of-memory)' <<<"$out"; then
		out=$(timeout -k 5 120 "$fuzzer" "${lf[@]}" "$f" </dev/null 2>&1 || true)
	fi
	[ -n "$sig" ] || sig=$(crash_key "$out" "$kind")
	echo "$sig"
}

# The index: input name, signature, and how it was replayed ("batch": by
# iopt-replay with others, "alone": by the fuzz target, on its own).
record()
{
	sig_of[$1]=$2
	fresh[$1]=1
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$index"
}

# Classify the reports not yet in the index, oldest first, at most $1 of
# them replayed one by one (0: all). During the run ($2 = 0), skip files
# whose content does not match their name yet (still being written).
classify_pending()
{
	local limit=$1 final=$2 n h path sig done_one=0
	local -a pending=()
	local -A batch=()

	while read -r n; do
		[[ $n =~ ^(crash|leak|timeout|oom)-[0-9a-f]{40}$ ]] || continue
		[ -z "${sig_of[$n]+x}" ] || continue
		if [ "$final" -eq 0 ]; then
			h=$(sha1sum <"$reports/$n" 2>/dev/null) || continue
			[ "${h%% *}" = "${n#*-}" ] || continue
		fi
		pending+=("$n")
	done < <(ls -tr -- "$reports")
	[ ${#pending[@]} -gt 0 ] || return 0

	if [ -n "$replayer" ]; then
		while IFS=$'\t' read -r path sig; do
			batch[${path##*/}]=$sig
		done < <(cd "$reports" && timeout -k 5 600 "$replayer" "${pending[@]}" \
				</dev/null 2>&1 >/dev/null |
			sed -n 's/^iopt-replay: \(.*\): \(iopt: [^ ]*\)$/\1\t\2/p' || true)
	fi
	for n in "${pending[@]}"; do
		if [ -n "${batch[$n]+x}" ]; then
			record "$n" "${batch[$n]}" batch
			continue
		fi
		[ "$limit" -eq 0 ] || [ "$done_one" -lt "$limit" ] || break
		# A second ^C: leave the rest to the next run.
		[ "$stop" -lt 2 ] || break
		sig=$(classify_file "$reports/$n")
		record "$n" "$sig" alone
		done_one=$((done_one + 1))
	done
}

nr_reports()
{
	ls -- "$reports" | grep -c -E '^(crash|leak|timeout|oom)-' || true
}

nr_signatures()
{
	local n
	local -A seen=()
	for n in "${!sig_of[@]}"; do
		[ -f "$reports/$n" ] && seen[${sig_of[$n]}]=1
	done
	echo ${#seen[@]}
}

# ---- The run ---------------------------------------------------------------

# ^C or TERM: stop the workers gracefully, then harvest and summarise as
# usual. stop counts the user's requests; halt_at is when the workers were
# asked to stop (by the user or by the overrun watchdog).
lf_pid="" lf_sig=USR1 stop=0 halt_at=0
halt()
{
	[ "$halt_at" -gt 0 ] || halt_at=$(date +%s)
	[ -z "$lf_pid" ] || kill -"$lf_sig" -- -"$lf_pid" 2>/dev/null || true
}
on_signal()
{
	stop=$((stop + 1))
	[ "$stop" -gt 1 ] ||
		echo "iopt: campaign: interrupted; stopping the workers (their inputs are kept)"
	halt
}
trap on_signal INT TERM

nr_files()
{
	find "$@" -maxdepth 1 -type f 2>/dev/null | wc -l
}

lf_args=(-fork="$workers" -ignore_crashes=1 -max_total_time="$secs"
	-timeout=25 -artifact_prefix="$reports/")
[ -z "$dict" ] || lf_args+=(-dict="$dict")
lf_args+=(${extra[@]+"${extra[@]}"})
log=$sess/fuzz.log
before=$(nr_files "$corpus")
tree=""
[ -z "$replayer" ] || tree=$("$replayer" --version | sed -n 's/^kernel tree: //p')

echo "iopt: campaign in $dir: $workers workers (libFuzzer -fork=$workers), ${secs}s"
echo "  target:  $fuzzer"
[ -z "$tree" ] || echo "  tree:    $tree"
[ -z "${IOPT_PLANT:-}" ] || echo "  planted: $IOPT_PLANT (IOPT_PLANT: a planted bug, for demonstrations)"
[ -z "${IOPT_FORMAT:-}" ] || echo "  format:  $IOPT_FORMAT only (IOPT_FORMAT)"
echo "  corpus:  $before inputs from earlier runs${seeds[0]+; seeds: ${seeds[*]}}${dict:+; dictionary: $dict}"

# libFuzzer 14's fork mode seeds its edge count with the initial corpus's
# feature count, so during the run only the features (which include the
# edges) are shown; the edges are measured on the corpus at the end.
last=""
progress()
{
	local now=$1 l n ft rate
	l=$(grep -E '^#[0-9]+: cov: ' "$log" | tail -n 1 || true)
	[ -z "$l" ] || last=$l
	n=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	execs=${n:-0}
	rate=$((execs / (now > start ? now - start : 1)))
	printf '  [%4ss] execs %s (%s/s)  coverage %s features  corpus %s  reports %s (%s signatures)\n' \
		$((now - start)) "$execs" "$rate" "${ft:-0}" \
		$(($(nr_files "$corpus" "$sess/new"))) "$(nr_reports)" \
		"$(nr_signatures)"
}

start=$(date +%s)
execs=0
if [ "$stop" -eq 0 ]; then
	# Its own session: a terminal's ^C reaches this runner only, which
	# stops libFuzzer gracefully: on SIGUSR1 the fork parent exits between
	# two jobs, never halfway through writing an input.
	TMPDIR=$sess/tmp setsid "$fuzzer" "${lf_args[@]}" \
		"$sess/new" "$corpus" ${seeds[@]+"${seeds[@]}"} \
		</dev/null >"$log" 2>&1 &
	lf_pid=$!
fi
next=$((start + every))
budget_out=0
while [ -n "$lf_pid" ] && kill -0 "$lf_pid" 2>/dev/null; do
	sleep 1 &
	wait $! 2>/dev/null || true
	now=$(date +%s)
	if [ "$halt_at" -gt 0 ]; then
		# Not gone after a graceful stop: interrupt, then kill.
		if [ $((now - halt_at)) -ge 30 ]; then
			kill -KILL -- -"$lf_pid" 2>/dev/null || true
		elif [ $((now - halt_at)) -ge 15 ]; then
			kill -INT -- -"$lf_pid" 2>/dev/null || true
		fi
		continue
	fi
	if [ "$now" -ge $((start + secs)) ] && [ "$budget_out" -eq 0 ]; then
		# The fork parent looks at the clock only when a job ends, and
		# job n runs for n seconds: alone, it overruns by up to a job.
		# Its stop file (which it writes itself when the time is up)
		# ends the jobs now, normally: their new inputs still merge.
		for d in "$sess"/tmp/libFuzzerTemp.FuzzWithFork*.dir; do
			[ ! -d "$d" ] || echo 1 >"$d/STOP"
		done
		budget_out=1
	fi
	if [ "$now" -ge $((start + secs + 60)) ]; then
		echo "iopt: campaign: libFuzzer overran the budget by 60 s; stopping it"
		halt
		continue
	fi
	[ "$now" -ge "$next" ] || continue
	next=$((now + every))
	classify_pending 20 0
	progress "$now"
done
lf_rc=0
[ -z "$lf_pid" ] || wait "$lf_pid" || lf_rc=$?
# The workers are in libFuzzer's process group; wait for the last of
# them (30 s at most: then kill them).
for i in $(seq 1 301); do
	[ -n "$lf_pid" ] && kill -0 -- -"$lf_pid" 2>/dev/null || break
	[ "$i" -le 300 ] || kill -KILL -- -"$lf_pid" 2>/dev/null || true
	sleep 0.1
done
end=$(date +%s)
[ -z "$lf_pid" ] || progress "$end"

harvest "$sess/new"
lf_ok=1
grep -q -E '^INFO: exiting: |libFuzzer: exiting as requested' "$log" ||
	[ "$halt_at" -gt 0 ] || lf_ok=0
classify_pending 0 1

# ---- Optional minimisation: into a new directory, swapped in when done -----

minimised=""
if [ "$minimize" -eq 1 ] && [ "$halt_at" -eq 0 ] && [ "$lf_ok" -eq 1 ]; then
	m=$dir/corpus.merging-$stamp
	mkdir "$m"
	echo "iopt: campaign: minimising the corpus into $m"
	lf_sig=INT	# the merge writes only to $m: stop it at once
	TMPDIR=$sess/tmp setsid "$fuzzer" -merge=1 -timeout=25 \
		-artifact_prefix="$reports/" "$m" "$corpus" \
		</dev/null >"$sess/merge.log" 2>&1 &
	lf_pid=$!
	wait "$lf_pid" && m_rc=0 || m_rc=$?
	while kill -0 "$lf_pid" 2>/dev/null; do
		wait "$lf_pid" && m_rc=0 || m_rc=$?
	done
	if [ "$stop" -eq 0 ] && [ "$m_rc" -eq 0 ] &&
	   grep -q '^MERGE-OUTER: ' "$sess/merge.log"; then
		mv -T "$m" "$dir/corpus.merged-$stamp"
		mv -T "$corpus" "$dir/corpus.old-$stamp"
		mv -T "$dir/corpus.merged-$stamp" "$corpus"
		minimised=$(nr_files "$dir/corpus.old-$stamp")
		echo "iopt: campaign: corpus minimised: $minimised -> $(nr_files "$corpus") inputs (the old one is $dir/corpus.old-$stamp)"
	else
		echo "iopt: campaign: minimisation did not complete; the corpus is unchanged (partial result in $m, log $sess/merge.log)"
	fi
	classify_pending 0 1
fi

# ---- Summary ----------------------------------------------------------------

declare -A cnt=() nnew=() first=()
order=()
while IFS=$'\t' read -r n s _; do
	[ -n "$n" ] && [ -f "$reports/$n" ] || continue
	if [ -z "${cnt[$s]+x}" ]; then
		order+=("$s")
		cnt[$s]=0
		nnew[$s]=0
		first[$s]=$reports/$n
	fi
	cnt[$s]=$((cnt[$s] + 1))
	[ -z "${fresh[$n]+x}" ] || nnew[$s]=$((nnew[$s] + 1))
done <"$index"

fuzz_secs=$((end > start ? end - start : 1))
# Coverage of what the campaign has: one pass over the corpus and seeds
# (the corpus alone if a seed crashes the target, as under IOPT_PLANT).
cov="" note=""
for pass in seeds corpus; do
	dirs=("$corpus")
	[ "$pass" = corpus ] || dirs+=(${seeds[@]+"${seeds[@]}"})
	cov=$(timeout -k 5 600 "$fuzzer" -runs=0 -timeout=25 \
		-artifact_prefix="$sess/tmp/replay-" "${dirs[@]}" \
		</dev/null 2>&1 |
		sed -n 's/^#[0-9]*[[:space:]]*INITED cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p' |
		head -n 1 || true)
	[ -z "$cov" ] || break
done
[ "$pass" = seeds ] || [ -z "${seeds[0]+x}" ] ||
	note=" (the corpus alone: a seed crashes the target)"
total=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline 8-bit counters.*/\1/p' "$log" | head -n 1)
if [ -n "$cov" ]; then
	read -r edges features <<<"$cov"
	cov="$edges of ${total:-?} edges in the kernel files, $features features$note"
fi
echo
echo "==== iopt-fuzz campaign summary ===="
echo "campaign:    $dir ($workers workers, ${fuzz_secs}s$([ "$stop" -eq 0 ] || echo ", interrupted"))"
echo "executions:  $execs ($((execs / fuzz_secs))/s)"
echo "coverage:    ${cov:-unknown}"
echo "corpus:      $(nr_files "$corpus") inputs in $corpus (+$harvested this run${minimised:+, then minimised from $minimised})"
if [ ${#order[@]} -eq 0 ]; then
	echo "reports:     none"
else
	nr=0 nn=0 w=9
	for s in "${order[@]}"; do
		nr=$((nr + cnt[$s]))
		nn=$((nn + nnew[$s]))
		[ ${#s} -le $w ] || w=${#s}
	done
	echo "reports:     $nr inputs, ${#order[@]} signatures ($nn new in this run)"
	printf '  %6s %5s  %-*s  %s\n' count new "$w" signature "first input"
	for s in "${order[@]}"; do
		printf '  %6d %5d  %-*s  %s\n' "${cnt[$s]}" "${nnew[$s]}" "$w" "$s" "${first[$s]}"
	done
	if [ -n "$replayer" ]; then
		echo "replay one:  $replayer -v <input>"
	else
		echo "replay one:  $fuzzer <input>"
	fi
fi
# The replays' copies of report inputs (the originals are in reports/).
rm -f -- "$sess"/tmp/replay-*
rmdir "$sess/tmp" 2>/dev/null || true
if [ "$lf_ok" -eq 0 ]; then
	echo "iopt: campaign: libFuzzer stopped unexpectedly (status $lf_rc); last lines of $log:" >&2
	tail -n 5 "$log" >&2
	exit 1
fi
[ "$stop" -eq 0 ] || exit 130
[ ${#order[@]} -eq 0 ] || exit 1
exit 0
