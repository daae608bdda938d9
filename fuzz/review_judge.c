// SPDX-License-Identifier: GPL-2.0-only
/*
 * In a review build, the entry points (iopt-review-fuzz from libfuzzer.c,
 * iopt-review from replay.c) judge an input by the review of the two
 * trees (fuzz/review.h) instead of iopt_run.
 */
#include "review.h"
#include "verdict.h"

static enum iopt_verdict review_run(const uint8_t *data, size_t size,
				    const struct iopt_run_opts *opts)
{
	return iopt_review(data, size, opts, iopt_tree_ports,
			   iopt_patched_ports);
}

__attribute__((constructor)) static void review_judge_init(void)
{
	iopt_judge_run = review_run;
}
