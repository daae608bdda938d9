#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# campaign.sh [options] [-- LIBFUZZER_FLAGS...]: a differential fuzz
# campaign of N independent libFuzzer workers for a time budget. This
# script only starts, restarts and stops processes; the build's
# iopt-campaign keeps the campaign directory (corpus, reports, their
# index), classifies reports and prints the progress lines and the
# summary. See docs/campaigns.md, "Campaign runner".
#
# Exit status: 0 no reports (known upstream bugs are not reports), 1
# reports (or libFuzzer failed), 2 bad usage, 130 interrupted.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

usage()
{
	cat <<EOF
usage: scripts/campaign.sh [options] [-- LIBFUZZER_FLAGS...]
  --build DIR      a build directory holding iopt-fuzz and iopt-campaign
                   (default: build the main job's configuration into
                   build/main, as run.sh does)
  --fuzzer BIN     another libFuzzer target (its reports are replayed one by
                   one through it; iopt-campaign from --build or beside BIN)
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
  --no-repro       do not write a reproducer per new signature at the end
                   (by default: DIR/repros/<signature>/, iopt-replay --repro)
EOF
}

# Bad usage: one line, exit 2.
die()
{
	echo "iopt: campaign: $*" >&2
	exit 2
}

build="" fuzzer="" name="" dir="" workers=2 secs=180 every=5 dict=""
minimize=0 repro=1
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
	--no-repro)
		repro=0
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
	[ -x "$build/iopt-fuzz" ] && [ -x "$build/iopt-campaign" ] ||
		die "no iopt-fuzz and iopt-campaign in '$build' (build it first, or leave out --build)"
	build=$(cd "$build" && pwd)
fi
alone=()
if [ -n "$fuzzer" ]; then
	[ -f "$fuzzer" ] && [ -x "$fuzzer" ] || die "no such fuzz target '$fuzzer'"
	fuzzer=$(cd "$(dirname "$fuzzer")" && pwd)/$(basename "$fuzzer")
	[ -n "$build" ] || [ -x "$(dirname "$fuzzer")/iopt-campaign" ] ||
		die "no iopt-campaign beside '$fuzzer': give --build DIR too"
	alone=(--fuzzer "$fuzzer" --alone)
fi
[ -z "$name" ] || [ -z "$dir" ] || die "give --name or --dir, not both"
if [ -n "$name" ]; then
	[[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]] ||
		die "a campaign name is letters, digits, '.', '_' and '-', not '$name'"
fi
for i in ${seeds[@]+"${!seeds[@]}"}; do
	[ -d "${seeds[i]}" ] || die "no such seed directory '${seeds[i]}'"
	seeds[i]=$(cd "${seeds[i]}" && pwd)
done
[ -z "$dict" ] || [ -f "$dict" ] || die "no such dictionary '$dict'"

# The target: a given build, a given fuzzer, or the main job's build.
if [ -z "$build" ] && [ -z "$fuzzer" ]; then
	build=$top/build/main
	bash "$top/scripts/build-main.sh" "$build"
fi
fuzzer=${fuzzer:-$build/iopt-fuzz}
camp=${build:-$(dirname "$fuzzer")}/iopt-campaign
[ -n "$dict" ] || [ ! -f "$top/corpus/iopt-fuzz.dict" ] ||
	dict=$top/corpus/iopt-fuzz.dict
for s in "$top/corpus/seeds" "$top/corpus/regressions"; do
	[ -d "$s" ] && seeds+=("$s")
done
seed_args=()
for s in ${seeds[@]+"${seeds[@]}"}; do
	seed_args+=(--seeds "$s")
done

dir=${dir:-$top/build/campaigns/${name:-$(date +%Y%m%d-%H%M%S)}}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# One runner per campaign directory. The lock is inherited by the
# workers, so a runner killed outright keeps it until they are gone.
exec 9>>"$dir/.lock"
flock -n 9 || die "'$dir' is in use by another campaign runner"

stamp=$(date +%Y%m%d-%H%M%S)
sname=$stamp-$$
sess=$dir/sessions/$sname
"$camp" prepare "$dir" "$sess" --workers "$workers" ${seed_args[@]+"${seed_args[@]}"}
export TMPDIR=$sess/tmp

echo "iopt: campaign in $dir: $workers workers (independent libFuzzer processes), ${secs}s"
echo "  target:  $fuzzer"
tree=$("$(dirname "$camp")/iopt-replay" --version 2>/dev/null | sed -n 's/^kernel tree: //p' || true)
[ -z "$tree" ] || echo "  tree:    $tree"
[ -z "${IOPT_PLANT:-}" ] || echo "  planted: $IOPT_PLANT (IOPT_PLANT: a planted bug, for demonstrations)"
[ -z "${IOPT_FORMAT:-}" ] || echo "  format:  $IOPT_FORMAT only (IOPT_FORMAT)"
echo "  corpus:  $(ls -A "$dir/corpus" | wc -l) inputs from earlier runs${seeds[0]+; seeds: ${seeds[*]}}${dict:+; dictionary: $dict}"

lf_args=(-timeout=25 -print_final_stats=1 -artifact_prefix="$dir/reports/")
[ -z "$dict" ] || lf_args+=(-dict="$dict")
start=$(date +%s)
deadline=$((start + secs))

# Worker i: libFuzzer in a session of its own (a terminal's ^C reaches
# the runner only), restarted after each report (it aborts on one) until
# the budget is spent or the runner stops it. A process that exits with
# an error without writing a report input means libFuzzer failed.
worker()
{
	local wd=$sess/w$1 n=0 left rc
	trap '' INT TERM
	while [ ! -e "$sess/stop" ]; do
		left=$((deadline - $(date +%s)))
		[ "$left" -gt 0 ] || break
		n=$((n + 1))
		IOPT_STATS=$wd/$n.stats setsid "$fuzzer" "${lf_args[@]}" \
			-max_total_time="$left" ${extra[@]+"${extra[@]}"} \
			"$wd/new" "$sess/start" </dev/null >"$wd/$n.log" 2>&1 &
		echo $! >"$wd/pid"
		rc=0
		wait $! || rc=$?
		rm -f "$wd/pid"
		[ "$rc" -ne 0 ] && [ ! -e "$sess/stop" ] || break
		grep -q 'Test unit written to ' "$wd/$n.log" ||
			{ echo "$rc $wd/$n.log" >"$wd/failed"; break; }
		"$camp" prune "$dir" "$sess"
	done
}

# Signal every running libFuzzer (its process group: a merge's child
# too; a merge writes only to its new directory, and is interrupted).
signal_all()
{
	local f p sig
	for f in "$sess"/w*/pid "$sess/merge.pid"; do
		sig=$1
		[ "$f" != "$sess/merge.pid" ] || [ "$sig" != USR1 ] || sig=INT
		p=$(cat "$f" 2>/dev/null) && kill -"$sig" -- -"$p" 2>/dev/null || true
	done
}

alive()
{
	local p
	for p in "${pids[@]}"; do
		! kill -0 "$p" 2>/dev/null || return 0
	done
	return 1
}

# ^C, TERM or the watchdog: stop gracefully (on SIGUSR1 libFuzzer exits
# between two inputs); 10 s later interrupt, 20 s later kill.
stop=0 halt_at=0
halt()
{
	[ "$halt_at" -gt 0 ] || halt_at=$(date +%s)
	touch "$sess/stop"
	signal_all USR1
}
on_signal()
{
	stop=$((stop + 1))
	[ "$stop" -gt 1 ] ||
		echo "iopt: campaign: interrupted; stopping the workers (their inputs are kept)"
	halt
}
trap on_signal INT TERM

# iopt-campaign while the workers run: deaf to ^C and TERM, which the
# runner's trap handles once the call is done. A terminal's ^C reaches the
# whole foreground process group: a tick it killed would end the runner
# (set -e) without stopping the workers or printing the summary.
camp_shielded()
{
	(trap '' INT TERM; exec "$camp" "$@")
}

pids=()
for i in $(seq 0 $((workers - 1))); do
	worker "$i" &
	pids+=($!)
done
next=$((start + every))
while alive; do
	sleep 1 &
	wait $! 2>/dev/null || true
	now=$(date +%s)
	if [ "$halt_at" -gt 0 ]; then
		signal_all "$( ((now - halt_at < 10)) && echo USR1 ||
			{ ((now - halt_at < 20)) && echo INT || echo KILL; })"
		continue
	fi
	if cat "$sess"/w*/failed >/dev/null 2>&1; then
		halt
	elif [ "$now" -ge $((deadline + 30)) ]; then
		echo "iopt: campaign: libFuzzer overran the budget by 30 s; stopping it"
		halt
	elif [ "$now" -ge "$next" ]; then
		next=$((now + every))
		camp_shielded tick "$dir" "$sess" --since "$start" ${alone[@]+"${alone[@]}"}
		ticked=$now
	fi
done
wait || true
end=$(date +%s)
[ "${ticked:-0}" -eq "$end" ] ||
	"$camp" tick "$dir" "$sess" --since "$start" ${alone[@]+"${alone[@]}"}
failed=$(cat "$sess"/w*/failed 2>/dev/null | head -n 1 || true)

# Minimisation: into a new directory, swapped in when done. libFuzzer's
# merge runs its inner process through the shell: relative paths, from
# the campaign directory, keep odd characters of a path out of that.
minimised=()
if [ "$minimize" -eq 1 ] && [ "$stop" -eq 0 ] && [ -z "$failed" ]; then
	"$camp" harvest "$dir" "$sess"
	m=corpus.merging-$stamp
	mkdir "$dir/$m"
	echo "iopt: campaign: minimising the corpus into $dir/$m"
	ln -s "$fuzzer" "$sess/fuzzer"
	(cd "$dir" && TMPDIR=sessions/$sname/tmp exec setsid "sessions/$sname/fuzzer" \
		-merge=1 -timeout=25 -artifact_prefix=reports/ "$m" corpus \
		</dev/null >"sessions/$sname/merge.log" 2>&1) &
	echo $! >"$sess/merge.pid"
	m_rc=0
	wait $! || m_rc=$?
	while kill -0 "$(cat "$sess/merge.pid")" 2>/dev/null; do
		wait "$(cat "$sess/merge.pid")" && m_rc=0 || m_rc=$?
	done
	rm -f "$sess/merge.pid" "$sess/fuzzer"
	if [ "$stop" -eq 0 ] && [ "$m_rc" -eq 0 ] &&
	   grep -q '^MERGE-OUTER: ' "$sess/merge.log"; then
		mv -T "$dir/$m" "$dir/corpus.merged-$stamp"
		mv -T "$dir/corpus" "$dir/corpus.old-$stamp"
		mv -T "$dir/corpus.merged-$stamp" "$dir/corpus"
		minimised=(--minimised "$(ls -A "$dir/corpus.old-$stamp" | wc -l)")
		echo "iopt: campaign: corpus minimised: ${minimised[1]} -> $(ls -A "$dir/corpus" | wc -l) inputs (the old one is $dir/corpus.old-$stamp)"
	else
		echo "iopt: campaign: minimisation did not complete; the corpus is unchanged (partial result in $dir/$m, log $sess/merge.log)"
	fi
fi

summary=(--fuzzer "$fuzzer" --workers "$workers" --seconds $((end - start)))
[ "$stop" -eq 0 ] || summary+=(--interrupted)
rc=0
"$camp" summary "$dir" "$sess" "${summary[@]}" ${alone[@]+"${alone[@]}"} \
	${minimised[@]+"${minimised[@]}"} ${seed_args[@]+"${seed_args[@]}"} || rc=$?

# A reproducer per signature (docs/reproducers.md): the first report of
# each, minimised, with its KUnit case; one already written is kept.
# iopt-replay beside iopt-fuzz (iopt-review beside iopt-review-fuzz).
if [ "$repro" -eq 1 ] && [ "$stop" -eq 0 ] && [ -s "$dir/signatures.tsv" ]; then
	case $(basename "$fuzzer") in
	iopt-fuzz)	replay=$(dirname "$fuzzer")/iopt-replay ;;
	*-fuzz)		replay=${fuzzer%-fuzz} ;;
	*)		replay="" ;;
	esac
	if [ -n "$replay" ] && [ -x "$replay" ]; then
		nrep=0
		while IFS=$'\t' read -r file verdict sig _; do
			[ "$verdict" != clean ] || continue
			r=$dir/repros/$(printf '%s' "$sig" | tr -c 'A-Za-z0-9._-' _)
			[ ! -e "$r" ] || continue
			mkdir -p "$dir/repros"
			"$replay" --repro "$r" "$dir/reports/$file" >>"$sess/repro.log" 2>&1 &&
				nrep=$((nrep + 1))
		done < <(sort -s -t$'\t' -k3,3 -u "$dir/signatures.tsv")
		[ "$nrep" -eq 0 ] ||
			echo "iopt: campaign: $nrep new reproducer(s), one per signature: $dir/repros/ (log $sess/repro.log)"
	fi
fi
if [ -n "$failed" ]; then
	echo "iopt: campaign: libFuzzer stopped unexpectedly (status ${failed%% *}); last lines of ${failed#* }:" >&2
	tail -n 5 "${failed#* }" >&2
	exit 1
fi
[ "$stop" -eq 0 ] || exit 130
[ "$rc" -le 1 ] || exit 1
exit "$rc"
