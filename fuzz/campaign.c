// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-campaign: the bookkeeping of a campaign directory, for
 * scripts/campaign.sh (which only starts, watches and stops processes).
 * See docs/campaigns.md for the directory's layout.
 *
 *   prepare DIR SESSION --workers N [--seeds D]...
 *       make the session's directories; finish what earlier, killed runs
 *       left (a minimised corpus not swapped in; complete inputs not yet
 *       in the corpus); link the start set (the corpus and the seeds,
 *       minus inputs of reports)
 *   tick DIR SESSION --since EPOCH [--fuzzer BIN --alone]
 *       harvest, prune the start set, classify new reports, print the
 *       progress line
 *   prune DIR SESSION
 *       drop from the start set every input a report holds (a worker
 *       about to restart must not abort on it again)
 *   harvest DIR SESSION
 *       the final harvest: workers are gone; cut-short inputs are
 *       quarantined, the workers' directories emptied
 *   summary DIR SESSION --fuzzer BIN --workers N --seconds S [--alone]
 *           [--interrupted] [--minimised N] [--seeds D]...
 *       the final harvest, every report classified, the coverage of the
 *       corpus measured, the summary printed. Exit status 1 if the
 *       campaign holds reports (known upstream bugs are not), else 0.
 *
 * Reports are classified by this build's executor, each input in a child
 * process (classify.h), or with --alone through the fuzz target BIN.
 * Exit status 2 and one line "iopt-campaign: ..." on bad usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "plant.h"


const char *camp_dir, *camp_sess, *camp_fuzzer;
bool camp_alone, camp_interrupted;
long camp_workers, camp_since, camp_seconds, camp_minimised = -1;
const char **camp_seeds;
int camp_nr_seeds;
struct iopt_run_opts camp_opts;

/* ---- The summary ---------------------------------------------------------- */

/*
 * One pass of the fuzz target over the corpus (and the seeds): the edges
 * and features it reaches, and the edges instrumented. false if it did not
 * get through (a seed crashes the target, as under IOPT_PLANT).
 */
static bool coverage(bool with_seeds, unsigned long v[3])
{
	char *scratch = camp_join(camp_sess, "tmp/coverage"), *prefix, *out = NULL;
	char *corpus = camp_join(camp_dir, "corpus"), **argv;
	const char *s;
	int status, n = 0;
	bool ok = false;

	if (asprintf(&prefix, "-artifact_prefix=%s/", scratch) < 0)
		camp_die("out of memory");
	mkdir(scratch, 0755);
	argv = calloc(camp_nr_seeds + 6, sizeof(*argv));
	argv[n++] = (char *)camp_fuzzer;
	argv[n++] = "-runs=0";
	argv[n++] = "-timeout=25";
	argv[n++] = prefix;
	argv[n++] = corpus;
	for (int i = 0; with_seeds && i < camp_nr_seeds; i++)
		argv[n++] = (char *)camp_seeds[i];
	if (!iopt_capture(argv, &out, &status) &&
	    (s = strstr(out, "INITED cov: ")) &&
	    sscanf(s, "INITED cov: %lu ft: %lu", &v[0], &v[1]) == 2) {
		s = strstr(out, " inline 8-bit counters)");
		while (s && s > out && s[-1] >= '0' && s[-1] <= '9')
			s--;
		v[2] = s ? strtoul(s, NULL, 10) : 0;
		ok = true;
	}
	iopt_remove_flat_dir(scratch);
	free(out);
	free(argv);
	free(prefix);
	free(corpus);
	free(scratch);
	return ok;
}

static void table(bool known, int width)
{
	printf("  %6s %5s  %-*s  %s\n", "count", "new", width,
	       known ? "known bug" : "signature", "first input");
	for (size_t g = 0; g < camp_nr_groups; g++)
		if (camp_groups[g].known == known)
			printf("  %6lu %5lu  %-*s  %s\n", camp_groups[g].count,
			       camp_groups[g].fresh, width, camp_groups[g].sig,
			       camp_groups[g].first);
}

int camp_summary(void)
{
	unsigned long execs, cov, v[3] = { 0 }, inputs, sigs, fresh;
	unsigned long kin, ksigs, kfresh;
	char *corpus = camp_join(camp_dir, "corpus"), *count = camp_join(camp_sess, "harvested");
	char *start = camp_join(camp_sess, "start"), self[4096];
	ssize_t n;
	int width = 9;
	bool with_seeds, cov_ok;
	struct camp_limits lim;

	camp_harvest(true);
	camp_classify_pending(0, true);
	iopt_remove_flat_dir(start);
	free(start);
	camp_worker_stats(&execs, &cov, &lim);
	camp_group_reports();
	camp_totals(false, &inputs, &sigs, &fresh);
	camp_totals(true, &kin, &ksigs, &kfresh);
	for (size_t g = 0; g < camp_nr_groups; g++)
		if ((int)strlen(camp_groups[g].sig) > width)
			width = strlen(camp_groups[g].sig);
	with_seeds = coverage(true, v);
	cov_ok = with_seeds || (camp_nr_seeds && coverage(false, v));

	printf("\n==== iopt-fuzz campaign summary ====\n");
	printf("campaign:    %s (%ld workers, %lds%s)\n", camp_dir, camp_workers, camp_seconds,
	       camp_interrupted ? ", interrupted" : "");
	printf("executions:  %lu (%lu/s)\n", execs, execs / (camp_seconds > 0 ? camp_seconds : 1));
	printf("not checked: %lu ops skipped as precondition violations, %lu degenerate configurations not run; compared in part: %lu CMO lists, %lu TLB callback lists, %lu dirty lists, %lu allocation lists\n",
	       lim.skipped, lim.degenerate, lim.cmo_cut, lim.tlb_cut,
	       lim.dirty_cut, lim.alloc_cut);
	if (cov_ok)
		printf("coverage:    %lu of %lu edges in the kernel files, %lu features%s\n",
		       v[0], v[2], v[1], !with_seeds ?
		       " (the corpus alone: a seed crashes the target)" : "");
	else
		printf("coverage:    unknown\n");
	printf("corpus:      %lu inputs in %s (+%ld this run", camp_count_files(corpus),
	       corpus, camp_read_number(count));
	if (camp_minimised >= 0)
		printf(", then minimised from %ld", camp_minimised);
	printf(")\n");
	if (!sigs) {
		printf("reports:     none\n");
	} else {
		printf("reports:     %lu inputs, %lu signatures (%lu new in this run)\n",
		       inputs, sigs, fresh);
		table(false, width);
	}
	if (ksigs) {
		printf("known bugs:  %lu inputs, %lu known upstream bugs (%lu new in this run), not reports\n",
		       kin, ksigs, kfresh);
		table(true, width);
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	if (strrchr(self, '/'))
		strrchr(self, '/')[1] = 0;
	if (sigs || ksigs)
		printf("replay one:  %s%s <input>\n", camp_alone ? camp_fuzzer : self,
		       camp_alone ? "" : "iopt-replay -v");
	free(corpus);
	free(count);
	return sigs ? 1 : 0;
}

/* ---- Command line ------------------------------------------------------- */

static long number(const char *opt, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 0)
		camp_die("%s wants a whole number, not '%s'", opt, v);
	return n;
}

int main(int argc, char **argv)
{
	static const char *const cmds[] = {
		"prepare", "tick", "prune", "harvest", "summary",
	};
	const char *cmd = argc > 1 ? argv[1] : "";
	struct stat st;
	size_t c;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(cmd, cmds[c]))
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0]) || argc < 4)
		camp_die("usage: iopt-campaign prepare|tick|prune|harvest|summary DIR SESSION [options] (see fuzz/campaign.c)");
	camp_dir = argv[2];
	camp_sess = argv[3];
	camp_seeds = calloc(argc, sizeof(*camp_seeds));
	for (int i = 4; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--alone") || !strcmp(o, "--interrupted")) {
			*(o[2] == 'a' ? &camp_alone : &camp_interrupted) = true;
			continue;
		}
		if (!v)
			camp_die("%s needs a value", o);
		i++;
		if (!strcmp(o, "--workers"))
			camp_workers = number(o, v);
		else if (!strcmp(o, "--since"))
			camp_since = number(o, v);
		else if (!strcmp(o, "--seconds"))
			camp_seconds = number(o, v);
		else if (!strcmp(o, "--minimised"))
			camp_minimised = number(o, v);
		else if (!strcmp(o, "--fuzzer"))
			camp_fuzzer = v;
		else if (!strcmp(o, "--seeds"))
			camp_seeds[camp_nr_seeds++] = v;
		else
			camp_die("unknown option '%s'", o);
	}
	if (stat(camp_dir, &st) || !S_ISDIR(st.st_mode))
		camp_die("no campaign directory '%s'", camp_dir);
	if ((camp_alone || c == 4) && !camp_fuzzer)
		camp_die("%s needs --fuzzer", camp_alone ? "--alone" : cmd);
	if (iopt_opts_from_env(&camp_opts, "iopt-campaign") ||
	    iopt_verdict_init("iopt-campaign"))
		return 2;
	/* The runner stops on ^C; a job of ours is short, and ends first. */
	signal(SIGINT, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (c == 0) {
		char *s = camp_join(camp_dir, "sessions");
		char *d = camp_join(camp_dir, "corpus");
		char *r = camp_join(camp_dir, "reports");

		mkdir(s, 0755);
		camp_recover_merged(d);
		mkdir(d, 0755);
		mkdir(r, 0755);
		free(s);
		free(d);
		free(r);
		if (mkdir(camp_sess, 0755) && errno != EEXIST)
			camp_die("cannot make '%s': %s", camp_sess, strerror(errno));
		camp_prepare();
		return 0;
	}
	if (stat(camp_sess, &st) || !S_ISDIR(st.st_mode))
		camp_die("no session directory '%s'", camp_sess);
	camp_load_index();
	switch (c) {
	case 1:
		camp_harvest(false);
		camp_prune();
		camp_classify_pending(TICK_CLASSIFY, false);
		camp_progress();
		return 0;
	case 2:
		camp_prune();
		return 0;
	case 3:
		camp_harvest(true);
		return 0;
	}
	return camp_summary();
}

