// SPDX-License-Identifier: GPL-2.0-only
/*
 * In a review build, the entry points (iopt-review-fuzz from libfuzzer.c,
 * iopt-review from replay.c) judge an input by the review of the two
 * trees (fuzz/review.h) instead of iopt_run.
 */
#include <stdio.h>
#include <string.h>

#include "kunit_gen.h"
#include "repro.h"
#include "review.h"
#include "verdict.h"

static enum iopt_verdict review_run(const uint8_t *data, size_t size,
				    const struct iopt_run_opts *opts)
{
	return iopt_review(data, size, opts, iopt_tree_ports,
			   iopt_patched_ports);
}

/*
 * Which checks a case written from the base's clean run needs to show a
 * difference of the kernel's build that no oracle reported (0: none can).
 */
static unsigned int base_case(const char *sig)
{
	if (strncmp(iopt_review_difference(), "kernel: ", 8))
		return 0;	/* a KUnit case runs the kernel's build */
	if (strstr(sig, "iopt: review-alloc/"))
		return IOPT_KUNIT_PIN_ALLOCS;
	if (strstr(sig, "iopt: review-tlb/unmap/"))
		return IOPT_KUNIT_CHECK_TLB;
	return 0;
}

/*
 * A reproducer's KUnit case is written for the tree whose oracle fails
 * (patched first): iopt_run on that tree's ports, and its signature.
 */
static const char *kunit_target(const uint8_t *data, size_t size,
				const struct iopt_run_opts *opts,
				unsigned int *base_checks)
{
	static char sig[96];
	char b[96], p[96];
	struct iopt_run_opts o = *opts;

	o.quiet = true;
	o.verbose = false;
	o.abort_on_report = false;
	review_run(data, size, &o);
	iopt_review_oracles(b, p, sizeof(b));
	*base_checks = 0;
	if (p[0]) {
		iopt_run_ports = iopt_patched_ports;
	} else if (b[0]) {
		iopt_run_ports = iopt_tree_ports;
	} else if ((*base_checks = base_case(iopt_run_stats()->last_signature))) {
		/* a case from the base's clean run that fails on patched */
		snprintf(sig, sizeof(sig), "%s", iopt_run_stats()->last_signature);
		iopt_run_ports = iopt_tree_ports;
		return sig;
	} else {
		return NULL;
	}
	iopt_run(data, size, &o);
	snprintf(sig, sizeof(sig), "%s", iopt_run_stats()->last_signature);
	return sig;
}

__attribute__((constructor)) static void review_judge_init(void)
{
	iopt_judge_run = review_run;
	iopt_repro_kunit_target = kunit_target;
}
