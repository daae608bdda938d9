/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside iopt-campaign (fuzz/campaign.c): the campaign's options, and what
 * its files share. campaign_files.c: paths, listings, hashes, numbers;
 * campaign_corpus.c: the corpus (one writer) and the start set;
 * campaign_index.c: the index of reports, their groups, the workers'
 * stats and the progress line; campaign.c: the summary and the command
 * line.
 */
#ifndef IOPT_FUZZ_CAMPAIGN_H
#define IOPT_FUZZ_CAMPAIGN_H

#include <stdbool.h>

#include "classify.h"
#include "exec.h"
#include "sha1.h"

#define TIMEOUT		25	/* seconds per input, as the workers' -timeout */
#define TICK_CLASSIFY	200	/* reports classified per progress line */

/* The options (campaign.c) */
extern const char *camp_dir, *camp_sess, *camp_fuzzer;
extern bool camp_alone, camp_interrupted;
extern long camp_workers, camp_since, camp_seconds, camp_minimised;
extern const char **camp_seeds;
extern int camp_nr_seeds;
extern struct iopt_run_opts camp_opts;

/* The reports, one group per signature (campaign_index.c) */
struct camp_group {
	const char *sig, *first;
	unsigned long count, fresh;
	bool known;
};

extern struct camp_group *camp_groups;
extern size_t camp_nr_groups;

void camp_harvest(bool final);
void camp_prepare(void);
void camp_prune(void);
void camp_recover_merged(const char *corpus);
bool camp_worker_name(const char *name);
void camp_classify_pending(size_t limit, bool final);
unsigned long camp_count_files(const char *path);
void camp_group_reports(void);
void camp_load_index(void);
void camp_progress(void);
void camp_totals(bool known, unsigned long *inputs, unsigned long *sigs,
		   unsigned long *fresh);
/* What the workers' executors did not run or compared in part (exec.h). */
struct camp_limits {
	unsigned long skipped, degenerate, cmo_cut, tlb_cut, dirty_cut;
	unsigned long alloc_cut;
};
void camp_worker_stats(unsigned long *execs, unsigned long *cov,
		       struct camp_limits *lim);
int camp_summary(void);
void camp_die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void camp_free_list(char **v);
int camp_cmp_str(const void *a, const void *b);
int camp_hash_file(const char *path, char hex[IOPT_SHA1_HEX]);
bool camp_is_file(const char *path);
char *camp_join(const char *a, const char *b);
char **camp_list_dir(const char *path, size_t *count);
long camp_read_number(const char *path);
const char *camp_report_hash(const char *name);
void camp_write_number(const char *path, long n);

#endif /* IOPT_FUZZ_CAMPAIGN_H */
