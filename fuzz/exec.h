/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differential executor: one decoded program, run op by op on the
 * reference model and on every port, compared after each op.
 */
#ifndef IOPT_FUZZ_EXEC_H
#define IOPT_FUZZ_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <iopt/env.h>

struct iopt_run_opts {
	bool verbose;		/* print the op trace and each comparison */
	bool abort_on_report;	/* print the report, the signature, abort() */
	FILE *out;		/* where reports and traces go (stderr if NULL) */
	/* planted bugs for the tests, applied after every env reset */
	struct iopt_knobs kernel_knobs;
	struct iopt_knobs hyp_knobs;
	bool hyp_prot_flip;	/* the hyp build sees IOMMU_CACHE flipped */
	int force_fmt;		/* 1 + enum iopt_fmt: every input in that format */
	/* cfg->alloc aligns small PGDs exactly, as trees before 64-byte fix ask */
	bool show_small_pgd_bug;
};

enum iopt_verdict {
	IOPT_CLEAN,
	IOPT_DIVERGENCE,
	IOPT_KNOWN,	/* a known upstream bug: last_signature "known:<id>" */
};

struct iopt_run_stats {
	unsigned long inputs, ops, skipped_violations, rejected_cfgs;
	unsigned long predicted_warns;	/* contract WARNs: fatal at EL2 */
	unsigned long kernel_only;	/* programs the hyp port cannot build */
	unsigned long reports;
	char last_signature[96];
};

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts);
const struct iopt_run_stats *iopt_run_stats(void);

#endif /* IOPT_FUZZ_EXEC_H */
