/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside review mode (review.h): review.c runs the two trees in lockstep
 * and judges; review_observe.c compares what the ports of the same role
 * did in one stage (results, WARNs, TLB callbacks, allocations, CMOs,
 * table images).
 */
#ifndef IOPT_FUZZ_REVIEW_INTERNAL_H
#define IOPT_FUZZ_REVIEW_INTERNAL_H

#include "run.h"

#define EXPLAINED_MAX	8

struct review {
	struct run *b, *p;		/* base and patched */
	const struct iopt_run_opts *opts;
	const char *stage;		/* "alloc", the op's name, "teardown" */
	unsigned int op_index;
	/* the contracts predict this stage differently: how (else empty) */
	char explain[256];
	bool diverging;			/* ... and the states will differ after it */
	bool diverged;			/* they do: only the oracles are compared */
	/* one tree ran the op, the other's contract forbids it: how (else empty) */
	char one_sided[160];
	/* the difference that ends the program */
	char what[32];			/* its class */
	char desc[2048];		/* what each tree did */
	bool differs;
	/* the contract changes seen, the first with its description */
	char explained[EXPLAINED_MAX][96];
	unsigned int nexplained;
	char first_desc[2048];
};

/* An observation differs: a contract change if explained, else the end. */
void differ(struct review *v, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* review_observe.c: one observation of the ports b and p of one role */
void cmp_results(struct review *v, const struct side *b, const struct side *p);
void cmp_warns(struct review *v, const struct side *b, const struct side *p);
void cmp_tlb(struct review *v, const struct side *b, const struct side *p);
void cmp_allocs(struct review *v, const struct side *b, const struct side *p);
void cmp_cmos(struct review *v, struct side *b, struct side *p);
void cmp_images(struct review *v, struct side *b, struct side *p);

#endif /* IOPT_FUZZ_REVIEW_INTERNAL_H */
