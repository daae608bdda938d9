// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-replay [-v] [--digest] FILE|DIR...: run inputs through the same
 * executor as the fuzzer. -v prints the op trace and each comparison;
 * --digest prints a hash of what each input did (fuzz/exec.h, used by
 * tests/digest-test.sh). Exit status: 0 all clean (or known upstream bugs
 * only), 1 a divergence, 2 usage error (a path that cannot be read).
 *
 * iopt-replay --classify FILE|DIR...: one line per input, for scripts:
 * "<verdict>\t<signature>\t<path>" (classify.h), each input run in a
 * child process, so a crash is classified too. The path is the rest of
 * the line. Exit status: 2 if an input was unreadable, else 1 if one was
 * a report (divergence or crash), else 0.
 *
 * iopt-replay --repro DIR FILE: a minimized reproducer of FILE's report
 * (repro.h).
 *
 * Directories are read in name order (not recursively). IOPT_PLANT,
 * IOPT_FORMAT, IOPT_VERBOSE: see plant.h; IOPT_KNOWN_PLANT: verdict.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <iopt/version.h>
#include "classify.h"
#include "exec.h"
#include "plant.h"
#include "repro.h"
#include "verdict.h"

#define CLASSIFY_TIMEOUT	25	/* seconds, as a campaign's -timeout */

static struct iopt_run_opts opts;
static unsigned long nr_inputs, nr_bad, nr_known;
static bool print_digest;

/* --digest: "<hash> <dir>/<file>", the last two components of the path. */
static void show_digest(const char *path)
{
	const char *name = path + strlen(path);
	int slashes = 0;

	while (name > path && !(name[-1] == '/' && ++slashes == 2))
		name--;
	printf("%016llx %s\n", (unsigned long long)iopt_run_stats()->digest,
	       name);
}

static int replay_file(const char *path)
{
	static uint8_t buf[IOPT_MAX_INPUT];
	char sig[IOPT_SIG_MAX];
	FILE *f = fopen(path, "rb");
	enum iopt_verdict v;
	size_t n;

	if (!f) {
		fprintf(stderr, "iopt-replay: cannot read '%s': %s\n", path,
			strerror(errno));
		return 2;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	nr_inputs++;
	if (opts.verbose)
		fprintf(stderr, "== %s (%zu bytes)\n", path, n);
	v = iopt_judge(buf, n, &opts, sig);
	if (print_digest)
		show_digest(path);
	if (v == IOPT_CLEAN)
		return 0;
	fprintf(stderr, "iopt-replay: %s: %s\n", path, sig);
	if (v == IOPT_KNOWN) {
		nr_known++;
		return 0;
	}
	nr_bad++;
	return 1;
}

static int classify_file(const char *path)
{
	static const struct iopt_classifier c = {
		.opts = &opts, .timeout = CLASSIFY_TIMEOUT,
	};
	char sig[IOPT_CLASS_SIG_MAX];
	enum iopt_class v = iopt_classify(&c, path, sig);

	printf("%s\t%s\t%s\n", iopt_class_name(v), sig, path);
	fflush(stdout);
	return v == IOPT_CLASS_UNREADABLE ? 2 : iopt_class_is_report(v);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each regular file of a directory, in name order: the worst status. */
static int each_in_dir(const char *dir, int (*fn)(const char *))
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int worst = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (asprintf(&names[n], "%s%s%s", dir,
			     dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (!stat(names[i], &st) && S_ISREG(st.st_mode)) {
			int rc = fn(names[i]);

			worst = rc > worst ? rc : worst;
		}
		free(names[i]);
	}
	free(names);
	return worst;
}

int main(int argc, char **argv)
{
	int worst = 0, first = 1, classify = 0;
	struct stat st;

	if (iopt_version_arg(argc, argv))
		return 0;
	if (iopt_opts_from_env(&opts, "iopt-replay") ||
	    iopt_verdict_init("iopt-replay"))
		return 2;
	if (argc > 1 && !strcmp(argv[1], "--repro"))	/* fuzz/repro.h */
		return iopt_repro_main(argc - 2, argv + 2, &opts);
	if (argc > 1 && !strcmp(argv[1], "-v")) {
		opts.verbose = true;
		first = 2;
	} else if (argc > 1 && !strcmp(argv[1], "--classify")) {
		opts.verbose = false;
		classify = 1;
		first = 2;
	} else if (argc > 1 && !strcmp(argv[1], "--digest")) {
		print_digest = true;
		opts.digest = true;
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: iopt-replay [-v|--classify|--digest] FILE|DIR...\n       iopt-replay --repro DIR FILE\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		int rc;

		if (classify) {
			rc = stat(argv[i], &st) || !S_ISDIR(st.st_mode) ?
			     classify_file(argv[i]) :
			     each_in_dir(argv[i], classify_file);
		} else if (stat(argv[i], &st)) {
			fprintf(stderr, "iopt-replay: no such file or directory: '%s'\n",
				argv[i]);
			return 2;
		} else {
			rc = S_ISDIR(st.st_mode) ? each_in_dir(argv[i], replay_file) :
			     replay_file(argv[i]);
		}
		if (rc < 0) {
			fprintf(stderr, "iopt-replay: cannot open '%s': %s\n",
				argv[i], strerror(errno));
			rc = 2;
		}
		worst = rc > worst ? rc : worst;
	}
	if (classify)
		return worst;
	printf("iopt-replay: %lu inputs, %lu divergent, %lu known upstream bugs, %lu ops run, %lu skipped as precondition violations, %lu on the kernel port only, %lu degenerate configurations not run; compared in part: %lu CMO lists, %lu TLB callback lists, %lu dirty lists, %lu allocation lists\n",
	       nr_inputs, nr_bad, nr_known, iopt_run_stats()->ops,
	       iopt_run_stats()->skipped_violations,
	       iopt_run_stats()->kernel_only,
	       iopt_run_stats()->degenerate_cfgs, iopt_run_stats()->cmo_cut,
	       iopt_run_stats()->tlb_cut, iopt_run_stats()->dirty_cut,
	       iopt_run_stats()->alloc_cut);
	return worst;
}
