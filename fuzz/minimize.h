/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The minimizer: a program that ends in a report, made as small as it
 * can be while it still ends in the same report (the same verdict and the
 * same signature line, iopt_run_stats()->last_signature, whatever check
 * produced it). Delta debugging (ddmin) over the ops first, then each
 * value toward a simpler one: header bytes toward a canonical
 * configuration, slots toward 0, counts toward 1, prot and flags toward
 * fewer bits; repeated until nothing changes. Deterministic: the same
 * program, tree, build and options give the same result.
 */
#ifndef IOPT_FUZZ_MINIMIZE_H
#define IOPT_FUZZ_MINIMIZE_H

#include "exec.h"
#include "input.h"

struct iopt_min_result {
	enum iopt_verdict verdict;	/* what the program gave, and still gives */
	char signature[96];
	unsigned int ops_before, ops_after;
	unsigned long runs;		/* programs run */
};

/*
 * Minimize prog in place under opts (their planted bugs and format; the
 * output and verbosity are the minimizer's). Returns 0, or -1 when prog
 * ends in no report (prog is then left as it was).
 */
int iopt_minimize(struct iopt_prog *prog, const struct iopt_run_opts *opts,
		  struct iopt_min_result *res);

#endif /* IOPT_FUZZ_MINIMIZE_H */
