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

struct iopt_model;

/* One op as the executor ran it (struct iopt_run_opts' observe). */
struct iopt_op_view {
	unsigned int index;
	int kind;			/* enum iopt_op_kind (input.h) */
	const void *op;			/* its struct iopt_op */
	/* the arguments, resolved against the geometry the kernel chose */
	uint64_t iova, pa;
	size_t pgsize, count;
	int prot;
	/* run on every side (not a skipped violation, access, fault or re-create) */
	bool ran;
	bool skipped;			/* broke a caller precondition: not run */
	/* the model's prediction (ran or skipped ops) */
	long ret;
	size_t mapped;
	bool warn;
	unsigned int tables_added, tables_freed;
	const struct iopt_model *model;	/* the model after the op */
	bool failed;			/* the program's report came at this op */
};

/* Planted in the IOMMU driver stand-in of a port (struct iopt_drv_cfg). */
struct iopt_drv_plant {
	long skip_add_page_nth;		/* the Nth tlb_add_page is lost */
	long skip_flush_walk_nth;	/* the Nth tlb_flush_walk is lost */
	long skip_flush_all_nth;	/* the Nth tlb_flush_all is lost */
	long widen_add_page_nth;	/* the Nth tlb_add_page is a tlb_flush_all */
	long defer_flush_walk_nth;	/* the Nth tlb_flush_walk comes too late */
	long add_page_granule_nth;	/* the Nth tlb_add_page of a block names a page */
	long flush_walk_short_nth;	/* the Nth tlb_flush_walk covers half its range */
	long flush_walk_granule_nth;	/* the Nth tlb_flush_walk's granule is its size */
	bool narrow_pgsizes;		/* asks for all page sizes but the largest */
	bool prot_flip;			/* maps with IOMMU_CACHE flipped */
	bool map_twice;			/* a map that worked is tried again */
	bool i2p_page_only;		/* iova_to_phys loses the page offset */
	bool walk_zero_l3;		/* pgtable_walk's level-3 descriptor comes back 0 */
	long skip_dirty_nth;		/* the Nth dirty range is not recorded */
	long move_dirty_nth;		/* ... recorded one length up the IOVAs */
	int table_bit;			/* maps flip this bit of a table descriptor */
	int edge_bug;			/* enum iopt_edge_bug (iopt/port.h) */
	int cfg_plant;			/* a written-back field corrupted (enum iopt_cfg_plant) */
	int warn_after;			/* a call WARNs at its end (enum iopt_warn_plant) */
	int lookup_effect;		/* a lookup does more than read (enum iopt_lookup_plant) */
	/*
	 * After the Nth unmap, the contiguous bit of the first leaf it left
	 * in its range flipped (iopt/plant_leaf.h); made by the executor
	 * (fuzz/run.c), not the stand-in, which does not decode tables
	 */
	long unmap_leaf_bit_nth;
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
	/*
	 * Review mode: the patched tree's instead, if patched_plant (those
	 * and IOPT_PLANT_PATCHED's: a difference planted in one tree)
	 */
	bool patched_plant;
	struct iopt_knobs patched_knobs[IOPT_ROLES];
	struct iopt_drv_plant patched_drv_plant[IOPT_ROLES];
	int force_fmt;		/* 1 + enum iopt_fmt: every input in that format */
	/*
	 * The model's shadow broken (a table miscounted) at op N (from 1) of
	 * each program, if the model predicts that op
	 * (IOPT_PLANT=model-invariant:N; IOPT_MODEL_CHECKS)
	 */
	unsigned long plant_model_nth;
	/*
	 * The in-place walks that stand for full ones say "the same"
	 * whatever they find; the full ones, which debug and sanitizer
	 * builds (IOPT_MODEL_CHECKS) run besides, must catch it: a
	 * "selfcheck" report (test-diff's *-selfcheck cases).
	 */
	bool plant_image_same;
	/* ... and the model check's walk lists one table too few */
	bool plant_list_short;
	/*
	 * ... and the in-place comparison of an op's range says "the same
	 * as side 0's" whatever it finds (its list of tables right)
	 */
	bool plant_range_same;
	/* a known upstream bug (fuzz/known.c) is an ordinary report */
	bool strict_known;
	/* print no report (a review prints its own) */
	bool quiet;
	/*
	 * Hash what each program did into iopt_run_stats.digest (iopt-replay
	 * --digest): off, the digest is 0 and the hashing is not done.
	 */
	bool digest;
	/*
	 * Told each op of the program as the executor ran it, with the
	 * model's prediction and the model after it (fuzz/kunit_gen.c);
	 * NULL: nobody asks.
	 */
	void (*observe)(void *ctx, const struct iopt_op_view *v);
	/*
	 * ... and, with observe, each op the model is asked of before it runs:
	 * its arguments and the model before it (no prediction yet)
	 */
	void (*observe_before)(void *ctx, const struct iopt_op_view *v);
	void *observe_ctx;
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
	/*
	 * What was not run or not compared in full, counted rather than
	 * silent: configurations the kernel accepts but builds nonsense of
	 * (ias not above the granule shift: not run); CMO lists (and in
	 * review mode allocation lists) compared only up to where the first
	 * ended, as a log was full (fuzz/coherency.c, review_observe.c).
	 * TLB callbacks past TLB_EVENTS and dirty ranges past DIRTY_MAX are
	 * compared by their number and a hash of them all: tlb_cut and
	 * dirty_cut stay 0 (kept for the stats files' format).
	 */
	unsigned long degenerate_cfgs;
	unsigned long cmo_cut, tlb_cut, dirty_cut, alloc_cut;
	unsigned long reports;
	unsigned long known;		/* programs ended by a known upstream bug */
	char last_signature[96];
	/* ... and of that report: the check, the side it failed on ("" between sides) */
	char last_check[32];
	char last_side[16];
	/*
	 * What the last program did, hashed: each op's results and TLB
	 * callbacks, each build's allocation, CMO and WARN records, the final
	 * images and the verdict (iopt-replay --digest; tests/digests/).
	 */
	uint64_t digest;
};

enum iopt_verdict iopt_run(const uint8_t *data, size_t size,
			   const struct iopt_run_opts *opts);

/*
 * What judges an input for the entry points, the minimizer and the
 * reproducers: iopt_run, or in a review build the review of two trees
 * (fuzz/review_judge.c sets it), whose IOPT_SHARED counts as known.
 */
extern enum iopt_verdict (*iopt_judge_run)(const uint8_t *data, size_t size,
					   const struct iopt_run_opts *opts);

/* The ports iopt_run() runs: this binary's tree's, unless pointed elsewhere. */
extern const struct iopt_port *const *iopt_run_ports;
const struct iopt_run_stats *iopt_run_stats(void);

#endif /* IOPT_FUZZ_EXEC_H */
