// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-replay [-v] [--digest] FILE|DIR...: run inputs through the same
 * executor as the fuzzer. -v prints the op trace and each comparison;
 * --digest prints a hash of what each input did (fuzz/exec.h). Exit status:
 * 0 all clean, 1 a divergence, 2 usage error (a path that cannot be read).
 * IOPT_PLANT, IOPT_FORMAT and IOPT_VERBOSE: see plant.h.
 * iopt-replay --repro DIR FILE: a minimized reproducer of FILE's report
 * (repro.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <iopt/version.h>
#include "exec.h"
#include "plant.h"
#include "repro.h"

#define REPLAY_MAX_INPUT	(1 << 20)

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
	static uint8_t buf[REPLAY_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	enum iopt_verdict verdict;
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
	verdict = iopt_run(buf, n, &opts);
	if (print_digest)
		show_digest(path);
	if (verdict == IOPT_CLEAN)
		return 0;
	fprintf(stderr, "iopt-replay: %s: %s\n", path,
		iopt_run_stats()->last_signature);
	if (verdict == IOPT_KNOWN) {	/* a known upstream bug: not a failure */
		nr_known++;
		return 0;
	}
	nr_bad++;
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a directory in name order, so replays are deterministic. */
static int replay_dir(const char *dir)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int worst = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "iopt-replay: cannot open '%s': %s\n", dir,
			strerror(errno));
		return 2;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (asprintf(&names[n], "%s/%s", dir, de->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (!stat(names[i], &st) && S_ISREG(st.st_mode)) {
			int rc = replay_file(names[i]);

			worst = rc > worst ? rc : worst;
		}
		free(names[i]);
	}
	free(names);
	return worst;
}

int main(int argc, char **argv)
{
	int worst = 0, first = 1;
	struct stat st;

	if (iopt_version_arg(argc, argv))
		return 0;
	if (iopt_opts_from_env(&opts, "iopt-replay"))
		return 2;
	if (argc > 1 && !strcmp(argv[1], "--repro"))	/* fuzz/repro.h */
		return iopt_repro_main(argc - 2, argv + 2, &opts);
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "-v"))
			opts.verbose = true;
		else if (!strcmp(argv[first], "--digest"))
			print_digest = true;
		else
			break;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: iopt-replay [-v] [--digest] FILE|DIR...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		int rc;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "iopt-replay: no such file or directory: '%s'\n",
				argv[i]);
			return 2;
		}
		rc = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
		worst = rc > worst ? rc : worst;
	}
	printf("iopt-replay: %lu inputs, %lu divergent, %lu known upstream bugs, %lu ops run, %lu skipped as precondition violations, %lu on the kernel port only\n",
	       nr_inputs, nr_bad, nr_known, iopt_run_stats()->ops,
	       iopt_run_stats()->skipped_violations,
	       iopt_run_stats()->kernel_only);
	return worst;
}
