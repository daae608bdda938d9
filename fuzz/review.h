/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Review mode (fuzz/review.c): the same program on two trees, base and
 * patched, compared after every op. The verdict, with its signature in
 * iopt_run_stats()->last_signature:
 *   IOPT_DIVERGENCE  a difference the contracts do not explain, or the
 *                    oracles disagree: "iopt: review-<what>/<op>/<fmt>"
 *   IOPT_KNOWN       only contract changes: "known:contract-<what>/<op>/<fmt>"
 *                    (the first), or a known upstream bug of one tree:
 *                    "known:<base|patched>-<id>"
 *   IOPT_SHARED      both trees fail alike: "known:both-<signature>"
 *   IOPT_CLEAN       no difference
 */
#ifndef IOPT_FUZZ_REVIEW_H
#define IOPT_FUZZ_REVIEW_H

#include "exec.h"

struct iopt_port;

/* The ports of the two trees of a review build, NULL-terminated. */
extern const struct iopt_port *const iopt_tree_ports[];
extern const struct iopt_port *const iopt_patched_ports[];

enum iopt_verdict iopt_review(const uint8_t *data, size_t size,
			      const struct iopt_run_opts *opts,
			      const struct iopt_port *const *base,
			      const struct iopt_port *const *patched);

/* The last review's oracle verdicts: each tree's signature, "" when it kept its contract. */
void iopt_review_oracles(char *base, char *patched, size_t n);
/* ... and the difference it ended at, "<port>: what each tree did" ("" if none). */
const char *iopt_review_difference(void);

#endif /* IOPT_FUZZ_REVIEW_H */
