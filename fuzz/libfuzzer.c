// SPDX-License-Identifier: GPL-2.0-only
/*
 * iopt-fuzz: the libFuzzer target (also linked with AFL++'s driver).
 *
 * A divergence prints its report and one signature line
 * "iopt: <check>/<op>/<format>", then aborts, so that the fuzzer keeps
 * the input as a crash. A known upstream bug (verdict.h) does not stop
 * the fuzzer: the first time a process meets it, it prints
 * "iopt: known:<id>" and, when libFuzzer was given -artifact_prefix=P,
 * keeps that input as P"known-<sha1>"; then fuzzing goes on.
 *
 * IOPT_STATS=FILE: keep "execs N skipped N degenerate N cmo-cut N tlb-cut N
 * dirty-cut N alloc-cut N" in FILE (rewritten every quarter of a second, and before a
 * divergence aborts), for the campaign runner: the executions, and what
 * the executor did not run or compared in part (struct iopt_run_stats).
 * IOPT_PLANT, IOPT_FORMAT and IOPT_VERBOSE: see plant.h.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <iopt/version.h>
#include "exec.h"
#include "plant.h"
#include "sha1.h"
#include "verdict.h"

#define MAX_KNOWN	64

static struct iopt_run_opts opts;
/* A run's report and trace, held until its verdict is known. */
static FILE *out;
static char *out_buf;
static size_t out_len;
static const char *artifact_prefix;
static char known_met[MAX_KNOWN][IOPT_SIG_MAX];
static int nr_known;
static int stats_fd = -1;
static unsigned long execs;
static struct timespec stats_at;

static void stats_write(void)
{
	const struct iopt_run_stats *st = iopt_run_stats();
	char line[192];
	int n;

	if (stats_fd < 0)
		return;
	n = snprintf(line, sizeof(line),
		     "execs %lu skipped %lu degenerate %lu cmo-cut %lu tlb-cut %lu dirty-cut %lu alloc-cut %lu\n",
		     execs, st->skipped_violations, st->degenerate_cfgs,
		     st->cmo_cut, st->tlb_cut, st->dirty_cut, st->alloc_cut);
	if (pwrite(stats_fd, line, n, 0) != n)
		stats_fd = -1;	/* a campaign's progress line only */
}

static void stats_tick(void)
{
	struct timespec now;

	execs++;
	if (stats_fd < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if ((now.tv_sec - stats_at.tv_sec) * 1000000000L +
	    (now.tv_nsec - stats_at.tv_nsec) < 250000000L)
		return;
	stats_at = now;
	stats_write();
}

/* Keep the input of a known bug as <artifact_prefix>known-<sha1>. */
static void keep_known(const uint8_t *data, size_t size)
{
	char hex[IOPT_SHA1_HEX], *path = NULL, *tmp = NULL;
	FILE *f;

	if (!artifact_prefix)
		return;
	iopt_sha1_hex(data, size, hex);
	if (asprintf(&path, "%sknown-%s", artifact_prefix, hex) < 0 ||
	    asprintf(&tmp, "%s.known-%s.%d", artifact_prefix, hex, getpid()) < 0)
		goto out;
	f = fopen(tmp, "wb");
	if (!f)
		goto out;
	if (fwrite(data, 1, size, f) == size && !fclose(f))
		(void)!link(tmp, path);	/* complete, and never over another */
	else
		fclose(f);
	unlink(tmp);
out:
	free(path);
	free(tmp);
}

static void known(const char *sig, const uint8_t *data, size_t size)
{
	for (int i = 0; i < nr_known; i++)
		if (!strcmp(known_met[i], sig))
			return;
	if (nr_known == MAX_KNOWN)
		return;
	strcpy(known_met[nr_known++], sig);
	fprintf(stderr, "iopt: %s\n", sig);
	keep_known(data, size);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *stats = getenv("IOPT_STATS");

	if (iopt_version_arg(*argc, *argv))
		exit(0);
	if (iopt_opts_from_env(&opts, "iopt-fuzz") ||
	    iopt_verdict_init("iopt-fuzz"))
		exit(2);
	out = open_memstream(&out_buf, &out_len);
	if (!out)
		exit(2);
	opts.out = out;
	for (int i = 1; i < *argc; i++)
		if (!strncmp((*argv)[i], "-artifact_prefix=", 17))
			artifact_prefix = (*argv)[i] + 17;
	if (stats && *stats) {
		stats_fd = open(stats, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (stats_fd < 0) {
			fprintf(stderr, "iopt-fuzz: IOPT_STATS '%s': cannot write it\n",
				stats);
			exit(2);
		}
		stats_write();
		atexit(stats_write);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char sig[IOPT_SIG_MAX];
	enum iopt_verdict v = iopt_judge(data, size, &opts, sig);

	stats_tick();
	if (ftello(out) > 0) {
		fflush(out);
		if (v == IOPT_DIVERGENCE || opts.verbose)
			fwrite(out_buf, 1, out_len, stderr);
		rewind(out);
	}
	if (v == IOPT_DIVERGENCE) {
		stats_write();
		abort();
	}
	if (v == IOPT_KNOWN)
		known(sig, data, size);
	return 0;
}
