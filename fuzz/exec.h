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
#include <iopt/port.h>

/* Planted in the IOMMU driver stand-in of a port (struct iopt_drv_cfg). */
struct iopt_drv_plant {
	long skip_add_page_nth;		/* the Nth tlb_add_page is lost */
	long skip_flush_walk_nth;	/* the Nth tlb_flush_walk is lost */
	bool prot_flip;			/* maps with IOMMU_CACHE flipped */
};

struct iopt_run_opts {
	bool verbose;		/* print the op trace and each comparison */
	bool abort_on_report;	/* print the report, the signature, abort() */
	FILE *out;		/* where reports and traces go (stderr if NULL) */
	/*
	 * Planted bugs for the tests, by the role of the port they are
	 * planted in: in its env (applied after every env reset), and in
	 * its IOMMU driver stand-in.
	 */
	struct iopt_knobs knobs[IOPT_ROLES];
	struct iopt_drv_plant drv_plant[IOPT_ROLES];
	int force_fmt;		/* 1 + enum iopt_fmt: every input in that format */
	/* a known upstream bug (fuzz/known.c) is an ordinary report */
	bool strict_known;
	/* print no report (a review prints its own) */
	bool quiet;
};

enum iopt_verdict {
	IOPT_CLEAN,
	IOPT_DIVERGENCE,
	IOPT_KNOWN,		/* a known upstream bug: last_signature "known:<id>" */
	IOPT_SHARED,		/* review: both trees fail alike ("both: <signature>") */
};

struct iopt_run_stats {
	unsigned long inputs, ops, skipped_violations, rejected_cfgs;
	unsigned long predicted_warns;	/* contract WARNs: fatal at EL2 */
	unsigned long kernel_only;	/* programs a port cannot build (run without it) */
	unsigned long reports;
	unsigned long known;		/* programs ended by a known upstream bug */
	char last_signature[96];
	/*
	 * What the last program did, hashed: each op's results and TLB
	 * callbacks, each build's allocation, CMO and WARN records, the final
	 * images and the verdict (iopt-replay --digest; tests/digests/).
	 */
	uint64_t digest;
};

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts);
const struct iopt_run_stats *iopt_run_stats(void);

#endif /* IOPT_FUZZ_EXEC_H */
